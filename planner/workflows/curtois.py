"""The Curtois & Qu benchmark, in and out: an instance file imported as a scenario, a roster
written in the benchmark's solution form, and a solution file scored by the benchmark's own
model (planner.check.curtois). Files are read bounded and written atomically; bad input is an
InputError naming the file and line."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from models.errors import InputError
from models.loader import load_scenario
from models.reading import FileRefused, read_bounded
from models.roster import Roster
from models.scenario import Scenario
from planner.check.curtois import CqScore, score_solution
from planner.files.atomic import atomic_write_text
from planner.files.curtois import CqInstance, parse_instance, parse_solution, scenario_yaml, solution_text
from planner.files.roster_csv import read_roster_csv

MAX_INSTANCE_BYTES = 8 * 1024 * 1024


def _read_text(path: str | os.PathLike, what: str) -> str:
    file = Path(path)
    try:
        data = read_bounded(file, MAX_INSTANCE_BYTES)
    except FileNotFoundError:
        raise InputError(f"{file}: {what} not found") from None
    except FileRefused as exc:
        raise InputError(f"{file}: {exc}") from None
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: not a plain-text {what} (byte {exc.start} is not ASCII)") from None


def read_instance(path: str | os.PathLike) -> CqInstance:
    return parse_instance(_read_text(path, "Curtois & Qu instance file"), str(path), Path(path).stem)


def instance_scenario(inst: CqInstance, source: str) -> tuple[str, Scenario]:
    """The instance as scenario text, and that text loaded by the ordinary loader (so what is
    written is what the planner reads)."""
    text = scenario_yaml(inst, source)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        return text, load_scenario(path)


def import_curtois(path: str | os.PathLike, out: str | os.PathLike) -> tuple[CqInstance, Scenario]:
    inst = read_instance(path)
    text, scenario = instance_scenario(inst, Path(path).name)
    atomic_write_text(out, text)
    return inst, scenario


def roster_solution(inst: CqInstance, roster: Roster) -> dict[tuple[str, int], str]:
    """(employee, day) -> shift of a roster over the imported instance's dates."""
    out: dict[tuple[str, int], str] = {}
    for a in roster.assignments:
        d = inst.day(a.date)
        if not 0 <= d < inst.horizon:
            raise InputError(f"roster: {a.date} is outside the instance's {inst.horizon} days")
        out[a.staff_id, d] = a.shift
    return out


def write_solution(inst: CqInstance, roster: Roster, out: str | os.PathLike) -> CqScore:
    """Write the roster in the benchmark's solution form, then score the file as written."""
    atomic_write_text(out, solution_text(inst, roster_solution(inst, roster)))
    return score_file(inst, out)


def export_curtois(
    instance_path: str | os.PathLike, roster_csv: str | os.PathLike, out: str | os.PathLike
) -> CqScore:
    inst = read_instance(instance_path)
    _, scenario = instance_scenario(inst, Path(instance_path).name)
    return write_solution(inst, read_roster_csv(roster_csv, scenario), out)


def score_file(inst: CqInstance, solution: str | os.PathLike) -> CqScore:
    text = _read_text(solution, "solution file")
    return score_solution(inst, parse_solution(text, inst, str(solution)))
