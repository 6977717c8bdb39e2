"""Saving what the user asked to keep: edited scenario lists, what-if variants, calendar
override uploads, per-person calendars and comparison tables.

Each save checks first and writes last, atomically (planner.files.atomic): a refused save
leaves every file as it was. The file formats themselves are in planner.files and
planner.reports; this is where the app and the CLI write them.

Calendar overrides: until the State Council publishes a year's arrangement, that year is
provisional (calendars.cn). When the notice is out, the service manager transcribes it (format:
calendars/cn/README.md) and uploads it on the 日历 page. The upload is validated in memory
(`calendars.cn.parse_override`) and only then saved into the user's data folder, under a name
that includes a digest of its content (read_override caches by path, so a corrected file must
get a new path).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
from pathlib import Path

from calendars.cn import parse_override, read_override
from models.calendar import CalendarOverride
from models.errors import InputError
from models.loader import MAX_YAML_BYTES, ScenarioError, load_scenario
from models.reading import FileRefused, read_bounded
from models.roster import Roster
from models.scenario import Scenario
from planner.files.atomic import atomic_write_bytes, atomic_write_text, ensure_folder
from planner.files.scenario_file import ConcurrentEditError, Entry, check_text, normalize, own_entries, render
from planner.files.variant_file import FILE_STEM, VariantEdits, variant_text
from planner.problem.instance import Instance
from planner.reports.comparison import check_output_path, comparison_csv_text, comparison_xlsx_bytes
from planner.reports.ics import ics_filename, person_calendars
from planner.whatif.compare import Outcome, Row

log = logging.getLogger(__name__)


def save_entries(
    path: str | os.PathLike,
    updates: dict[str, list[Entry]],
    expected: dict[str, list[Entry]] | None = None,
) -> Scenario:
    """Replace lists in a scenario file, validate the result, then write it atomically.

    `expected`, when given, is what the caller read before editing (`own_entries`); if the file's
    lists differ from it now, someone else changed them and nothing is written. Returns the
    scenario as loaded from the saved file. Raises InputError (ScenarioError) when the edited
    scenario is not valid; the file is then unchanged.
    """
    file = Path(path)
    try:
        text = read_bounded(file, MAX_YAML_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(file, "", None, None, "file not found") from None
    except FileRefused as exc:
        raise ScenarioError(file, "", None, None, str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(file, "", None, None, f"not a UTF-8 text file (byte {exc.start})") from None
    if expected is not None:
        for key, entries in expected.items():
            if own_entries(file, key) != [normalize(e) for e in entries]:
                raise ConcurrentEditError(
                    f"{file}: {key} was changed in the file since it was read; reload and retry"
                )
    new_text = render(text, updates)
    check_text(file, new_text)
    atomic_write_text(file, new_text)
    log.info("saved %s (%s)", file, ", ".join(f"{k}: {len(v)}" for k, v in updates.items()))
    return load_scenario(file)


def save_variant(
    base_path: str | os.PathLike, target: str | os.PathLike, edits: VariantEdits, overwrite: bool = False
) -> Scenario:
    """Write a variant file after loading it from a temporary copy beside the target; atomic.

    A refused variant (unknown person, an end before a start, an existing file) writes nothing.
    """
    file = Path(target)
    if not FILE_STEM.match(file.stem) or file.suffix != ".yaml":
        raise InputError(f"{file.name}: a variant file name is letters, digits, '-', '_' and ends in .yaml")
    if file.exists() and not overwrite:
        raise InputError(f"{file}: the file exists already; choose another name")
    if edits.empty:
        raise InputError(f"{file.name}: the variant changes nothing against its base")
    if not edits.name.strip():
        raise InputError(f"{file.name}: name: a variant needs a name")
    text = variant_text(base_path, file, edits)
    # The check loads a copy beside the target (its `extends` is relative to that folder), so the
    # folder must exist; a refused variant removes the folder again if this call made it.
    made = not file.parent.exists()
    ensure_folder(file.parent)
    try:
        scenario = check_text(file, text)
        atomic_write_text(file, text)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                file.parent.rmdir()
        raise
    log.info("saved variant %s", file)
    return scenario


MAX_OVERRIDE_BYTES = 64 * 1024


def install_override(data: bytes, filename: str, target_dir: Path) -> tuple[Path, CalendarOverride]:
    """Validate an uploaded override and save it as `<year>-<digest>.yaml` in target_dir.

    Raises ScenarioError (an InputError) naming the uploaded file when it is not a valid
    override; nothing is saved then.
    """
    if len(data) > MAX_OVERRIDE_BYTES:
        # An official arrangement is a page of dates (about 2 KiB); a bigger upload is not one,
        # and parsing megabytes of YAML would hold the page for minutes.
        raise ScenarioError(
            filename,
            "",
            None,
            None,
            f"file too large ({len(data)} bytes; a calendar file is at most {MAX_OVERRIDE_BYTES})",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(filename, "", None, None, f"not a UTF-8 text file (byte {exc.start})") from None
    override = parse_override(text, filename)
    digest = hashlib.sha256(data).hexdigest()[:8]
    path = target_dir / f"{override.year}-{digest}.yaml"
    atomic_write_bytes(path, data)
    return path, read_override(str(path))


def write_person_calendars(
    out_dir: str | os.PathLike, instance: Instance, roster: Roster, stamp: dt.datetime | None = None
) -> list[Path]:
    """Write DIR/<staff id>.ics for every person, each atomically; returns the paths."""
    calendars = person_calendars(instance, roster, stamp)
    paths = []
    for staff_id, data in calendars.items():
        path = Path(out_dir) / ics_filename(staff_id)
        atomic_write_bytes(path, data)
        paths.append(path)
    return paths


def write_comparison(path: str | os.PathLike, outcomes: list[Outcome], rows: list[Row]) -> None:
    """The comparison as .csv or .xlsx, written atomically."""
    target = check_output_path(path)
    if target.suffix.lower() == ".csv":
        atomic_write_text(target, comparison_csv_text(outcomes, rows))
    else:
        atomic_write_bytes(target, comparison_xlsx_bytes(outcomes, rows))
