"""The PDF's Chinese font, embedded so that the proof renders the same on any machine.

Noto Sans SC (SIL Open Font License 1.1, which allows embedding) comes from the pinned package
justmytype-intl-cjk as one variable TrueType font. ReportLab embeds TrueType outlines but knows
nothing of font variations: read as it is, the font renders at its default instance, Thin. So it
is instanced once at Regular (wght 400) with fontTools and cached per machine, named after both
packages' versions (the same inputs always give the same file). The first PDF on a new machine
waits for that (about half a minute); `make install` does it ahead (`python -m planner.reports.fonts`).
"""

from __future__ import annotations

import os
import tempfile
from importlib import metadata, resources
from pathlib import Path

FAMILY = "Noto Sans SC"
WEIGHT = 400  # Regular
SOURCE = ("justmytype_intl_cjk", "fonts/ofl/notosanssc/NotoSansSC[wght].ttf")


def cache_dir() -> Path:
    """Where instanced fonts live: ROSTER_FONT_CACHE, or the user's cache folder."""
    if os.environ.get("ROSTER_FONT_CACHE"):
        return Path(os.environ["ROSTER_FONT_CACHE"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("roster-planner")) / "fonts"


def regular_font_path() -> Path:
    """The Regular instance of Noto Sans SC, built on first use."""
    versions = f"{metadata.version('justmytype-intl-cjk')}-fonttools{metadata.version('fonttools')}"
    target = cache_dir() / f"NotoSansSC-Regular-{versions}.ttf"
    if not target.is_file():
        _build(target)
    return target


def _build(target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    package, name = SOURCE
    with resources.as_file(resources.files(package).joinpath(name)) as source:
        font = instancer.instantiateVariableFont(TTFont(source), {"wght": WEIGHT})
    # The name table still says Thin (the variable font's default): name the instance for what it is.
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (2, 17):
            names.setName("Regular", record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (4,):
            names.setName(f"{FAMILY} Regular", 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("NotoSansSC-Regular", 6, record.platformID, record.platEncID, record.langID)
    font["OS/2"].usWeightClass = WEIGHT
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a build cut short never leaves half a font.
    fd, tmp = tempfile.mkstemp(prefix=".font-", suffix=".ttf", dir=target.parent)
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


if __name__ == "__main__":
    print(regular_font_path())
