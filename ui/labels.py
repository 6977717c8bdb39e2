"""Chinese words the web app shows, beyond the shared ones in planner.problem.labels and planner.rules."""

from __future__ import annotations

from typing import Any

from models.scenario import LabourRules
from planner.problem.labels import LABOUR_RULE_ZH, LEVEL_STATUS_ZH, OVERTIME_CAP_ZH, WORKING_TIME_ZH
from planner.problem.numbers import plain
from planner.rules import label

APP_TITLE = "应急指挥中心排班"
PAGE_ROSTER = "排班"
PAGE_WHY = "解释"
PAGE_CALENDAR = "日历"
PAGE_STAFF = "人员"
PAGE_APPROVALS = "申请审批"
PAGE_PUBLISHED = "已发布排班"
PAGE_AUDIT = "账户与审计"
PAGE_MINE = "我的排班"

# Status words for solve levels the shared table may not know (planner.problem.labels is the source).
STATUS_UI = {"EDITED": "手工修改后重新评分", "SKIPPED": "不适用", "NOT_SOLVED": "未求解", **LEVEL_STATUS_ZH}

PIN_OFF = "off"  # a fixed day off (format spec: `fixed` with shift: off)
PIN_ABSENT = "absent"  # an absence of kind `other` on that date
PIN_CURRENT = "current"  # pin whatever the current roster has in that cell
PIN_CHOICES_ZH = {PIN_CURRENT: "保持当前排班", PIN_OFF: "休息（固定）", PIN_ABSENT: "不在岗（请假）"}

CELL_OFF = "休"
CELL_ABSENT = "假"
PIN_MARK = "◆"  # a plain symbol: CJK fonts have it, an emoji font may be missing
WARN_MARK = "⚠"

WANT_ZH = {"on": "想上班", "off": "想休息"}


def rules_text(rules: Any, defaults: LabourRules) -> str:
    """A person's own labour rules, where they differ from the scenario's, in words."""
    if not isinstance(rules, LabourRules):
        return ""
    base = defaults.model_dump()
    diff = {k: v for k, v in rules.model_dump().items() if base.get(k) != v}
    return "，".join(f"{LABOUR_RULE_ZH.get(k, k)} {rule_value(k, v)}" for k, v in diff.items())


def rule_value(key: str, value: Any) -> str:
    if key == "overtime_cap":
        return OVERTIME_CAP_ZH.get(value, str(value))
    if key == "working_time" and isinstance(value, dict):
        return WORKING_TIME_ZH.get(value.get("system", ""), str(value.get("system", "")))
    return plain(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def level_label(progress_level: str, role_names: dict[str, str]) -> tuple[str, str]:
    """'overtime [video+image]' -> ('超出法定加班上限', '视频会议保障工程师、视频图像保障工程师'):
    the level for the metric, the roles of the part being solved for a line of its own (a metric
    cuts a long value short)."""
    name, _, rest = progress_level.partition(" ")
    roles = [role_names.get(r, r) for r in rest.strip("[]").split("+") if r]
    return label(name), "、".join(roles)


# The override file's format, for the calendar page (calendars/cn/README.md in English; the
# keys are the file's own and stay English).
OVERRIDE_FORMAT_ZH = """**文件格式**（一个年份一个文件，照国务院办公厅通知逐条抄录）：

```yaml
year: 2027
notice:
  title: 国务院办公厅关于2027年部分节假日安排的通知
  date: 2026-11-04          # 通知的发布日期
holidays:                   # 法定节假日：日期: 名称
  2027-01-01: 元旦
days_off:                   # 调休、补假的休息日（不是法定节假日）
  2027-02-15: 春节假期（调休）
makeup_workdays:            # 调休上班的周末日期
  2027-02-07: 春节调休上班
```

同一日期不能既是节假日又是调休上班日；所有日期都必须在 `year` 这一年内。载入前会先校验，有误时不会使用。"""
