"""`roster-app`: start the web app with the project's settings, from any folder.

Streamlit reads `.streamlit/config.toml` only from the folder it is started in, so
`streamlit run <repo>/ui/app.py` from elsewhere would listen on every interface and send usage
statistics. The launcher reads the project's config file itself and passes every setting as a
command-line option, which takes precedence over anything else (issue 17). The app also refuses
to show data when it finds itself bound beyond this machine or with usage statistics on
(ui/app.py).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
APP = ROOT / "ui" / "app.py"


def config_flags(config: Path = CONFIG) -> list[str]:
    """Every option of the project's Streamlit config as `--section.key=value`."""
    with config.open("rb") as fh:
        data = tomllib.load(fh)
    flags = []
    for section, options in data.items():
        for key, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{key}={text}")
    return flags


def main(argv: list[str] | None = None) -> None:
    """roster-app [--scenario FILE] [other app options]: the app on this machine only."""
    from streamlit.web import cli

    app_args = list(sys.argv[1:] if argv is None else argv)
    # A relative scenario path means the caller's folder, whatever folder Streamlit runs in.
    for i, arg in enumerate(app_args[:-1]):
        if arg == "--scenario":
            app_args[i + 1] = str(Path(app_args[i + 1]).resolve())
    cli.main(["run", str(APP), *config_flags(), "--", *app_args], prog_name="streamlit")


if __name__ == "__main__":
    main()
