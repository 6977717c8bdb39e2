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
