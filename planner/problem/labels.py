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
RECORD_KIND_ZH = {"sick": "病假", "swap": "换班", "extra": "加班次", "cancel": "取消班次"}
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
