# Two commands do all the setup on a fresh machine:
#   make run    start the main job
#   make test   run the whole test suite
# Each creates the virtual environment .venv and installs the pinned dependencies first.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SCENARIO ?= scenarios/contract-2026.yaml

.PHONY: install run test bench lint clean browser

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# The PDF's Chinese font, instanced once per machine (planner/reports/fonts.py).
	$(PY) -m planner.reports.fonts
	touch $(STAMP)

install: $(STAMP)

# The web app on this machine only (127.0.0.1, see .streamlit/config.toml): http://127.0.0.1:8501
# `roster-app` passes the config file's settings itself, so it works from any folder.
run: $(STAMP)
	$(VENV)/bin/roster-app --scenario $(SCENARIO)

# Debian's chromium, its driver and a CJK font, for the web app's end-to-end test (tests/ui).
# Without them that test skips loudly; a failed install is a warning here, not an error.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ -z "$$(fc-list :lang=zh 2>/dev/null)" ]; then \
		( apt-get update && apt-get install -y chromium chromium-driver fonts-wqy-microhei ) \
		|| echo "WARNING: could not install chromium/chromium-driver: the browser end-to-end test will be SKIPPED"; \
	fi

# A throwaway PostgreSQL on a Unix socket in its own folder for the store's PostgreSQL tests
# (tests/postgres/start.sh), stopped and removed when the tests end, however they end; when it
# cannot start, those tests are skipped and say why.
test: $(STAMP) browser
	@url="$${ROSTER_TEST_PG_URL:-}"; \
	if [ -z "$$url" ]; then \
		url="$$(bash tests/postgres/start.sh 2>.pg-start.log || true)"; \
		trap 'bash tests/postgres/stop.sh "$$url"' EXIT; \
	fi; \
	if [ -z "$$url" ]; then echo "WARNING: no PostgreSQL for the store tests (see .pg-start.log): they will be SKIPPED"; fi; \
	ROSTER_TEST_PG_URL="$$url" $(PY) -m pytest

bench: $(STAMP)
	$(PY) -m planner.engine.bench

lint: $(STAMP)
	$(VENV)/bin/ruff check models calendars planner ui tests

clean:
	rm -rf $(VENV) .pytest_cache out .pg-start.log
