"""Chinese as the United Nations writes it: "2023年2月24日", as in the closing lines of A/RES/77/273 in
Chinese ("第60次全体会议 2023年2月24日"); the same for Django's zh-hans, which written_in uses for texts.
Times on the 24-hour clock with their time zone, as in English (tracker/formats/en/formats.py). Numbers
as the UN's Chinese texts write them: thousands by three with a comma, "1,234.5" (Django's own Chinese
groups by four without a separator).

Input accepts ISO dates, year-first dates with the year in full and day-first dates, never month-first:
"02/03/2023" is 2 March.
"""

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i T"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i T"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2023-02-24, what the admin's calendar writes
    "%Y年%m月%d日",  # 2023年2月24日
    "%Y/%m/%d",  # 2023/2/24
    "%d/%m/%Y",  # 24/02/2023
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y年%m月%d日 %H:%M",
    "%Y/%m/%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
