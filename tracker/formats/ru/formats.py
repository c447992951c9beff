"""Russian as the United Nations writes it: "24 февраля 2023 года", the month in the genitive (Django's
own Russian writes "24 февраля 2023 г."), as in the closing lines of A/RES/77/273 in Russian
("60‑е пленарное заседание 24 февраля 2023 года"). Times on the 24-hour clock with their time zone, as in
English (tracker/formats/en/formats.py). Numbers as the UN's Russian texts write them: "1 234,5".

Input accepts ISO dates and day-first dates, never month-first: "02.03.2023" is 2 March.
"""

DATE_FORMAT = "j E Y года"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y года, H:i T"
YEAR_MONTH_FORMAT = "F Y года"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i T"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2023-02-24, what the admin's calendar writes
    "%d.%m.%Y",  # 24.02.2023
    "%d/%m/%Y",  # 24/02/2023
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a space that does not break
NUMBER_GROUPING = 3
