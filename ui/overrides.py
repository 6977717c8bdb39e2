"""Loading an official calendar override file from the browser (日历 page).

Until the State Council publishes a year's arrangement, that year is provisional (calendars.cn).
When the notice is out, the service manager transcribes it (format: calendars/cn/README.md) and
uploads it here. The upload is validated in memory (`calendars.cn.parse_override`) and only then
saved atomically into the user's data folder, under a name that includes a digest
of its content (read_override caches by path, so a corrected file must get a new path).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from calendars.cn import parse_override, read_override
from models.calendar import CalendarOverride
from models.loader import ScenarioError
from planner.files.atomic import atomic_write_bytes


def install_override(data: bytes, filename: str, target_dir: Path) -> tuple[Path, CalendarOverride]:
    """Validate an uploaded override and save it as `<year>-<digest>.yaml` in target_dir.

    Raises ScenarioError (an InputError) naming the uploaded file when it is not a valid
    override; nothing is saved then.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(filename, "", None, None, f"not a UTF-8 text file (byte {exc.start})") from None
    override = parse_override(text, filename)
    target_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:8]
    path = target_dir / f"{override.year}-{digest}.yaml"
    atomic_write_bytes(path, data)
    return path, read_override(str(path))
