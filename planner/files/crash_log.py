"""The last resort: an error nobody foresaw is written to a log file on this machine, and the
user sees one line naming that file, never a traceback.

The CLI (`planner.cli.main`) and the app (`ui/app.py`) each call `record_crash` from one
handler around everything else. The log stays on this machine (PIPL: an error message may name
a person); nothing is sent anywhere. ROSTER_LOG_DIR moves the folder (tests, shared machines).
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path

APP_NAME = "roster-planner"
# Keep the folder from growing without end on a machine that crashes in a loop.
KEEP_LOGS = 50


def log_folder() -> Path:
    configured = os.environ.get("ROSTER_LOG_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME))


def record_crash(exc: BaseException, where: str) -> Path | None:
    """Write `exc`'s traceback to a new log file and return its path; None when even that
    fails (a full disk), since the handler must not raise in its turn."""
    from planner.files.atomic import atomic_write_text

    now = dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")  # microseconds: each crash its own file, in order
    header = f"{now.isoformat(timespec='seconds')} {where} (pid {os.getpid()})\n"
    text = header + "".join(traceback.format_exception(exc))
    try:
        folder = log_folder()
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        atomic_write_text(path, text)
        _prune(folder)
        return path
    except Exception:  # noqa: BLE001 — the last resort must not fail in its turn
        return None


def crash_line(exc: BaseException, path: Path | None) -> str:
    """The one line a user sees: what kind of failure, and where its details are."""
    if path is None:
        where = "详情无法写入日志 (the log could not be written)"
    else:
        where = f"详情已写入 {path}，请把该文件交给维护人员 (details written there for the maintainers)"
    return f"内部错误 internal error ({type(exc).__name__})：{where}"


def _prune(folder: Path) -> None:
    logs = sorted(folder.glob("crash-*.log"))
    for old in logs[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)
