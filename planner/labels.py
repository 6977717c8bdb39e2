"""Chinese labels for what users see (UI, reports, CLI tables). Identifiers stay English."""

KIND_ZH = {"workday": "工作日", "restday": "休息日", "holiday": "法定节假日"}
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
LEVEL_ZH = {
    "coverage": "覆盖缺口",
    "changes": "相对已发布排班的改动",
    "overtime": "超出法定加班上限",
    "substitutes": "替岗次数",
    "requests": "未满足的申请",
    "fairness": "公平性差距",
}
STATUS_ZH = {
    "OPTIMAL": "已证明最优",
    "FEASIBLE": "可行（未证明最优）",
    "INFEASIBLE": "无可行解",
    "UNKNOWN": "未知",
    "SKIPPED": "不适用",
    "NOT_SOLVED": "未求解（时间不足或已中断）",
}
