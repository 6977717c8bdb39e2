"""Loading an official calendar override file from the browser (日历 page).

Until the State Council publishes a year's arrangement, that year is provisional (calendars.cn).
When the notice is out, the service manager transcribes it (format: calendars/cn/README.md) and
uploads it here. The upload is validated with `calendars.cn.read_override` from a temporary copy
and only then saved atomically into the user's data folder, under a name that includes a digest
of its content (read_override caches by path, so a corrected file must get a new path).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from calendars.cn import read_override
from models.calendar import CalendarOverride
from models.loader import ScenarioError
from planner.files.atomic import atomic_write_bytes


def install_override(data: bytes, filename: str, target_dir: Path) -> tuple[Path, CalendarOverride]:
    """Validate an uploaded override and save it as `<year>-<digest>.yaml` in target_dir.

    Raises ScenarioError (an InputError) naming the uploaded file when it is not a valid
    override; nothing is saved then.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".yaml", dir=target_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            override = read_override(tmp)
        except ScenarioError as exc:
            raise ScenarioError(filename, exc.key, exc.line, exc.value, exc.message) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    digest = hashlib.sha256(data).hexdigest()[:8]
    path = target_dir / f"{override.year}-{digest}.yaml"
    atomic_write_bytes(path, data)
    return path, read_override(str(path))
