"""The app's last-resort handler: an error nobody foresaw is logged to a file on this machine
(planner/files/crash_log.py) and shown as one Chinese line, never as Streamlit's English
traceback box. Streamlit's own stop and rerun signals are BaseExceptions, not Exceptions, so
they pass through untouched.

It wraps the whole script (ui/app.py) and each fragment, since a fragment's own reruns do not
pass through the script.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

from planner.files.crash_log import crash_line, record_crash


def show_crash(exc: Exception) -> None:
    st.error("页面出现意外错误，已停止。" + crash_line(exc, record_crash(exc, "roster-app")))


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 — the last resort
            show_crash(exc)
            return None

    return wrapper
