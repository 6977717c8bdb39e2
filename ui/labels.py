"""Chinese words the web app shows, beyond the shared ones in planner.problem.labels and planner.rules."""

from __future__ import annotations

from planner.problem.labels import LEVEL_STATUS_ZH

APP_TITLE = "应急指挥中心排班"
PAGE_ROSTER = "排班"
PAGE_WHY = "解释"
PAGE_CALENDAR = "日历"
PAGE_STAFF = "人员"

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
