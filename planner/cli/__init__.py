"""The `roster` command line. Each command group lives in its own module."""

from __future__ import annotations

import sys

import typer

from planner.cli import scenario_cmds

app = typer.Typer(
    name="roster",
    help="Shift roster optimizer and staffing planner (排班优化与人员规划).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check-scenario")(scenario_cmds.check_scenario)
app.command("calendar")(scenario_cmds.calendar)
from planner.cli import validate_cmd  # noqa: E402, I001

app.command("validate")(validate_cmd.validate)
from planner.cli import solve_cmds  # noqa: E402, I001

app.command("solve")(solve_cmds.solve_cmd)
app.command("explain")(solve_cmds.explain_cmd)
from planner.cli import whatif_cmds  # noqa: E402, I001

app.command("staffing")(whatif_cmds.staffing)
app.command("designs")(whatif_cmds.designs)
app.command("leave")(whatif_cmds.leave)
app.command("compare")(whatif_cmds.compare)
app.command("changes")(whatif_cmds.changes)
app.command("batch")(whatif_cmds.batch)
from planner.cli import report_cmds  # noqa: E402, I001

app.command("report")(report_cmds.report)
app.command("ics")(report_cmds.ics)
from planner.cli import store_cmds  # noqa: E402, I001

store_cmds.register(app)
from planner.cli import team_cmds  # noqa: E402, I001

team_cmds.register(app)
from planner.cli import curtois_cmds  # noqa: E402, I001

app.command("import-curtois")(curtois_cmds.import_curtois)
app.command("export-curtois")(curtois_cmds.export_curtois)
app.command("score-curtois")(curtois_cmds.score_curtois)


# An unforeseen error ends in one line and a log file, never a traceback (planner/files/crash_log.py).
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE


def main() -> None:
    """The `roster` command: the Typer app behind the last-resort handler.

    A bad option or argument (a usage error) is bad input like any other: one line naming the
    option and the value, exit 2, rather than Click's framed usage box."""
    from planner.cli.common import EXIT_BAD_INPUT, err_console

    def say(line: str) -> None:
        err_console.print(line, highlight=False, markup=False, soft_wrap=True)

    try:
        code = app(standalone_mode=False, prog_name="roster")
    except typer.Abort:
        say("已中断 interrupted")
        raise SystemExit(130) from None
    except typer.TyperException as exc:  # Click's usage errors, as Typer (0.29: its own click) raises them
        message = " ".join(exc.format_message().split())
        if not message:  # `roster` alone: the help is printed already
            raise SystemExit(exc.exit_code) from None
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "roster"
        say(f"错误 error: {where}: {message} (see {where} --help)")
        raise SystemExit(EXIT_BAD_INPUT if exc.exit_code == 2 else exc.exit_code) from None
    except Exception as exc:  # noqa: BLE001 — bad input was handled already; this is the rest
        from planner.files.crash_log import crash_line, record_crash

        path = record_crash(exc, "roster " + " ".join(sys.argv[1:]))
        say(crash_line(exc, path))
        raise SystemExit(EXIT_INTERNAL) from None
    raise SystemExit(code if isinstance(code, int) else 0)
