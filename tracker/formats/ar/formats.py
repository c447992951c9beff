"""Arabic as the United Nations writes it: "24 شباط/فبراير 2023", the day, the month by both its names,
then the year, without Django's comma ("24 فبراير، 2023"), as in the closing lines of A/RES/77/273 in
Arabic ("الجلسة العامة 60", then "24 شباط/فبراير 2023"). Times on the 24-hour clock with their time zone, as
in English (tracker/formats/en/formats.py).

Digits: Western ones (0-9), never the Arabic-Indic ones (٠-٩). The three Arabic resolutions in
../shared/data (A/RES/75/272, 76/299 and 77/273 as the UN publishes them) hold 379 Western digits and no
Arabic-Indic one, in dates, symbols, paragraph numbers and counts alike. Django writes Western digits in
every language: nothing is converted.

Month names: the UN writes each month by its Levantine and its Egyptian name, and "يونيه", "يوليه"
where Django has "يونيو", "يوليو":
    كانون الثاني/يناير، شباط/فبراير، آذار/مارس، نيسان/أبريل، أيار/مايو، حزيران/يونيه، تموز/يوليه،
    آب/أغسطس، أيلول/سبتمبر، تشرين الأول/أكتوبر، تشرين الثاني/نوفمبر، كانون الأول/ديسمبر
(nine of them are in those three texts; January, May and August are not). A format cannot hold a
month's name: dates take it from Django's "E" (the "alt. month" translations), which Django's own
Arabic gives as the Egyptian name alone ("24 فبراير 2023") until the project's Arabic catalogue
(locale/ar) gives the names above. UN_MONTHS puts those msgids in the project's source, so that
makemessages keeps them in the catalogue.

Numbers: thousands by three with a comma, decimals with a point, "1,234.5", as the UN's Arabic
documents write them ("0.7 في المائة"; Django's own Arabic writes "1.234,5"). The three texts above hold
no number that would show it either way.

Input accepts ISO dates and day-first dates, never month-first: "02/03/2023" is 2 March.
"""

from django.utils.translation import pgettext_lazy

DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y، H:i T"
YEAR_MONTH_FORMAT = "E Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "j\u200f/n\u200f/Y"  # right-to-left marks: the day first, on the right
SHORT_DATETIME_FORMAT = "j\u200f/n\u200f/Y، H:i T"
FIRST_DAY_OF_WEEK = 1  # Monday, as in every other language here

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2023-02-24, what the admin's calendar writes
    "%d/%m/%Y",  # 24/02/2023
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

# Translators: a month as the United Nations writes it in a date, "24 February 2023". Arabic: both
# names, "شباط/فبراير" (tracker/formats/ar/formats.py). Other languages: leave empty (Django's own).
UN_MONTHS = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
