# Two commands do all the setup on a fresh machine:
#   make run    start the main job
#   make test   run the whole test suite
# Each creates the virtual environment .venv and installs the pinned dependencies first.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SCENARIO ?= scenarios/contract-2026.yaml

.PHONY: install run test bench lint clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/roster check-scenario $(SCENARIO)
	$(VENV)/bin/roster calendar --start 2026-12-01 --end 2026-12-31 --scenario $(SCENARIO)

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m planner.bench

lint: $(STAMP)
	$(VENV)/bin/ruff check models calendars planner ui tests

clean:
	rm -rf $(VENV) .pytest_cache out
