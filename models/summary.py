"""summary.json, the solve's record of what it did: the schema every reader checks it against.

A summary is read back from a solve folder (`publish`, `report`), from the store (`history`,
`actual`, re-plans) and from backups. Each of those could hold a file edited by hand or a row
changed inside the database, so it is validated here before use: a wrong type anywhere that a
later command reads (`"levels": "x"`, `"parameters": "x"`, a date that is not a date) is
refused with the key and value named, instead of crashing that later command.

Only the keys the product reads are typed; the rest (validation details, explanation) is kept
as it is (`extra="allow"`), so summaries written by newer versions still load.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from models.dates import year_problem
from models.errors import InputError

# The span a summary may cover: a contract runs one year; ten is far beyond any real use, and a
# 1,000-year span would make publishing expand hundreds of thousands of dates.
MAX_SUMMARY_DAYS = 3660


def iso_only(kind: type[dt.date]) -> Any:
    """A date (or date and time) as JSON carries it: an ISO string only. pydantic alone would
    also take a Unix integer; the store's backups use this too."""

    what = "a date and time (ISO 8601)" if kind is dt.datetime else "a date (YYYY-MM-DD)"

    def parse(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"not {what}")
        try:
            parsed = kind.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not {what}") from None
        problem = year_problem(parsed)
        if problem:
            raise ValueError(problem)
        return parsed

    return Annotated[kind, BeforeValidator(parse)]


IsoDate = iso_only(dt.date)


class LevelSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: StrictStr
    status: StrictStr | None = None
    value: StrictInt | StrictFloat | None = None
    bound: StrictInt | StrictFloat | None = None


class SolveSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    scenario: StrictStr = ""
    sources: list[StrictStr] = []
    # A solve always writes both; a summary stored by other means (tests, older tools) may lack them.
    start: IsoDate | None = None
    end: IsoDate | None = None
    proven: StrictBool = False
    interrupted: StrictBool = False
    levels: list[LevelSummary] = []
    parameters: dict[StrictStr, Any] = {}
    assignments: StrictInt | None = None
    roster_sha256: StrictStr | None = None

    def level_value(self, name: str) -> float | None:
        return next((lv.value for lv in self.levels if lv.name == name), None)


def _where(error: dict[str, Any]) -> str:
    """pydantic's location as a reader writes it: levels[0].name."""
    text = ""
    for part in error["loc"]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"


def check_summary(data: Any, source: str) -> SolveSummary:
    """A summary (parsed JSON) checked against the schema; InputError names `source` and the key."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: not a solve summary (expected a JSON object)")
    try:
        summary = SolveSummary.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        value = first.get("input")
        if first["type"] == "missing":
            shown = "(missing)"
        else:
            shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(f"{source}: {_where(first)} = {shown[:80]}: {message}") from None
    if summary.start is None or summary.end is None:
        return summary
    if summary.end < summary.start:
        raise InputError(f"{source}: end = {summary.end}: before start {summary.start}")
    if (summary.end - summary.start).days + 1 > MAX_SUMMARY_DAYS:
        raise InputError(
            f"{source}: start = {summary.start}, end = {summary.end}: more than {MAX_SUMMARY_DAYS} days"
        )
    return summary


def check_solve_summary(data: Any, source: str) -> SolveSummary:
    """A summary.json from a solve folder: like check_summary, and it must give its dates."""
    summary = check_summary(data, source)
    for key in ("start", "end"):
        if getattr(summary, key) is None:
            raise InputError(f"{source}: {key} = (missing): not a solve summary (no dates)")
    return summary


def parse_summary(text: str, source: str) -> SolveSummary:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{source}: unreadable summary: {exc}") from None
    return check_summary(data, source)
