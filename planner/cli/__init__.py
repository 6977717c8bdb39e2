"""The `roster` command line. Each command group lives in its own module."""

from __future__ import annotations

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
