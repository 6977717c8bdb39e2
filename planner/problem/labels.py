"""Chinese labels for what users see (UI, reports, CLI tables). Identifiers stay English."""

DAY_KIND_ZH = {"workday": "工作日", "restday": "休息日", "holiday": "法定节假日"}
WEEKDAY_ZH = {
    "mon": "周一",
    "tue": "周二",
    "wed": "周三",
    "thu": "周四",
    "fri": "周五",
    "sat": "周六",
    "sun": "周日",
}
ABSENCE_ZH = {"annual": "年休假", "sick": "病假", "training": "培训", "personal": "事假", "other": "其他"}
PROVISIONAL_ZH = "暂定（尚无官方通知）"
# The store's records of changes to a published roster, and the states of a roster version.
RECORD_KIND_ZH = {
    "sick": "病假",
    "leave": "请假（已批准）",
    "swap": "换班",
    "extra": "加班次",
    "cancel": "取消班次",
}
VERSION_STATUS_ZH = {"draft": "草稿", "published": "已发布"}
# What a level's status means, in the words users read. OPTIMAL..UNKNOWN are CP-SAT's names
# (CpSolver.status_name); SKIPPED and NOT_SOLVED are the staged solve's own.
LEVEL_STATUS_ZH = {
    "OPTIMAL": "已证明最优",
    "FEASIBLE": "可行（未证明最优）",
    "INFEASIBLE": "无可行解",
    "UNKNOWN": "未知",
    "SKIPPED": "不适用",
    "NOT_SOLVED": "未求解（时间不足或已中断）",
}


WORKING_TIME_ZH = {"standard": "标准工时制", "comprehensive": "综合计算工时制", "flexible": "不定时工作制"}
PERIOD_ZH = {"month": "按月", "quarter": "按季度", "year": "按年"}


def period_zh(key: str) -> str:
    """An hours period's key in words: 2026-12 → 2026 年 12 月, 2026Q4 → 2026 年第 4 季度."""
    if "Q" in key:
        year, quarter = key.split("Q")
        return f"{year} 年第 {quarter} 季度"
    if "-" in key:
        year, month = key.split("-")
        return f"{year} 年 {int(month)} 月"
    return f"{key} 年"


def working_time_summary(scenario) -> list[dict]:
    """The working-time systems a scenario's roster relies on, one entry per distinct system with
    the people under it (models.scenario.WorkingTime); for summary.json, reports and the app."""
    groups: dict[tuple, dict] = {}
    for person in scenario.staff:
        rules = person.effective_rules
        wt = rules.working_time
        key = (wt.system, wt.period, wt.approval, rules.max_hours_per_day)
        entry = groups.setdefault(
            key,
            {
                "system": wt.system,
                "period": wt.period if wt.system == "comprehensive" else None,
                "approval": wt.approval,
                "max_hours_per_day": rules.max_hours_per_day,
                "needs_approval": wt.needs_approval,
                "staff": [],
            },
        )
        entry["staff"].append(person.id)
    return list(groups.values())


def working_time_lines(summary: list[dict]) -> list[str]:
    """The systems in words, with the warning where an approval is needed and has no number."""
    everyone = len(summary) == 1
    lines = []
    for entry in summary:
        name = WORKING_TIME_ZH[entry["system"]]
        if entry["period"]:
            name += f"（{PERIOD_ZH[entry['period']]}综合计算）"
        who = "全员" if everyone else "、".join(entry["staff"])
        limit = entry["max_hours_per_day"]
        text = f"工时制度：{name}，{who}" + (f"，每日最长 {limit:g} 小时" if limit is not None else "")
        if entry["needs_approval"]:
            if entry["approval"]:
                text += f"；审批文号 {entry['approval']}"
            else:
                text += "；须经劳动行政部门批准（劳动法第三十九条），尚无审批文号"
        lines.append(text)
    return lines


# The labour rules a person may carry of their own (models.scenario.LabourRules), as the staff
# page lists them.
LABOUR_RULE_ZH = {
    "min_rest_hours": "班次间最少休息（小时）",
    "max_consecutive_days": "最多连续工作天数",
    "max_overtime_hours_per_month": "每月加班上限（小时）",
    "max_overtime_hours_per_day": "每日加班上限（小时）",
    "overtime_cap": "加班上限",
    "standard_hours_per_day": "每日标准工时（小时）",
    "working_time": "工时制度",
    "max_presence_per_month": "每月驻场次数上限",
    "min_duty_shifts_per_month": "每月最少值班（夜班或休息日班）次数",
}
OVERTIME_CAP_ZH = {"soft": "可超出（计入代价）", "hard": "不可超出"}
