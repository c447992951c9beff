"""French as the United Nations writes it: "24 février 2023", as in the closing lines of A/RES/77/273 in
French ("60e séance plénière 24 février 2023"). Times on the 24-hour clock with their time zone, as in
English (tracker/formats/en/formats.py). Numbers as the UN's French texts write them: "1 234,5".

The UN writes the first of a month "1er août" (A/RES/76/299 in French); a date format cannot, so the first
is written "1 août 2023" here.

Input accepts ISO dates and day-first dates, never month-first: "02/03/2023" is 2 March.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i T"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
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
THOUSAND_SEPARATOR = "\xa0"  # a space that does not break
NUMBER_GROUPING = 3
