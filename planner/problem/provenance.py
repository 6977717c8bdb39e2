"""What a reviewer needs to reproduce a published roster: the versions that made it and a digest
of everything it was made from (issue 16).

The digest is over content, never over paths: the scenario as loaded (its `sources` and the
calendar override paths left out, since they differ between machines), the kind of every day
of the horizon (which is what the override files contributed), the horizon and the history.
Two machines holding the same inputs get the same digest; a changed holiday, person or rule
changes it.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from typing import Any

from planner.problem.instance import Instance

# The packages whose versions decide a roster (the solver above all) or its figures.
VERSIONED_PACKAGES = ("roster-planner", "ortools", "pydantic", "holidays")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "platform": platform.platform(terse=True)}
    for name in VERSIONED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def input_document(inst: Instance) -> dict[str, Any]:
    scenario = inst.scenario.model_dump(mode="json", exclude={"sources": True, "calendar": {"overrides"}})
    return {
        "scenario": scenario,
        "start": inst.start.isoformat(),
        "end": inst.end.isoformat(),
        "days": [d.model_dump(mode="json") for d in inst.days],
        "history": [a.model_dump(mode="json") for a in inst.history],
    }


def input_digest(inst: Instance) -> str:
    """SHA-256 of the inputs in a canonical JSON form (sorted keys, no spaces)."""
    text = json.dumps(input_document(inst), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
