"""English as the United Nations writes it: "24 February 2023", "13:34" (Django's own English is
American: "Feb. 24, 2023", "1:34 p.m."). Times carry their time zone (settings.TIME_ZONE), since staff
in several countries read them.

Input accepts ISO dates and day-first dates, never month-first: "02/03/2023" is 2 March.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i T"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2023-02-24, what the admin's calendar writes
    "%d/%m/%Y",  # 24/02/2023
    "%d %B %Y",  # 24 February 2023
    "%d %b %Y",  # 24 Feb 2023
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
