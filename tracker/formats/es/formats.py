"""Spanish as the United Nations writes it: "24 de febrero de 2023", as in the closing lines of
A/RES/77/273 in Spanish ("60a sesión plenaria 24 de febrero de 2023"); the first of a month is "1 de
agosto" (A/RES/76/299). Times on the 24-hour clock with their time zone, as in English
(tracker/formats/en/formats.py). Numbers as the UN's Spanish texts write amounts: "1.234.567,5" (Django's
own Spanish separates thousands with a space).

Input accepts ISO dates and day-first dates, never month-first: "02/03/2023" is 2 March.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i T"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i T"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2023-02-24, what the admin's calendar writes
    "%d/%m/%Y",  # 24/02/2023
    "%d.%m.%Y",  # 24.02.2023
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
