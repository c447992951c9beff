"""Dates and numbers in each of the UN's languages as the UN writes them (tracker/formats/<code>/formats.py):
the day first, the month in words, and in Arabic Western digits, as the UN's Arabic texts have them."""

import datetime
import re

import pytest
from django import forms
from django.utils import translation
from django.utils.dates import MONTHS_ALT
from django.utils.formats import date_format, number_format
from django.utils.translation import trans_real

from tracker.formats.ar import formats as arabic

DAY = datetime.date(2022, 12, 30)
SAVED_AT = datetime.datetime(2023, 2, 24, 13, 34, tzinfo=datetime.UTC)
ARABIC_INDIC_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
# The names of the months in the UN's Arabic texts: both the Levantine and the Egyptian one.
UN_ARABIC_MONTHS = {"February": "شباط/فبراير", "December": "كانون الأول/ديسمبر"}


@pytest.fixture
def un_arabic_months(monkeypatch):
    """Arabic as it will be once the project's catalogue translates UN_MONTHS (tracker/formats/ar): no
    catalogue of the project holds Arabic yet, so two of the UN's names go into the one Django loaded."""
    catalogue = trans_real.translation("ar")._catalog._catalogs[0]
    for english, name in UN_ARABIC_MONTHS.items():
        monkeypatch.setitem(catalogue, f"alt. month\x04{english}", name)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("ru", "30 декабря 2022 года"),
        ("fr", "30 décembre 2022"),
        ("es", "30 de diciembre de 2022"),
        ("zh", "2022年12月30日"),
        (
            "zh-hans",
            "2022年12月30日",
        ),  # resolutions.templatetags.tracker.written_in's locale for Chinese texts
        ("en", "30 December 2022"),
    ],
)
def test_a_date_as_the_un_writes_it_in_each_language(language, written):
    with translation.override(language):
        assert date_format(DAY) == written


def test_arabic_writes_the_day_the_month_and_the_year_in_western_digits_without_a_comma():
    with translation.override("ar"):
        written = date_format(DAY)
        month = translation.pgettext("alt. month", "December")
    assert written == f"30 {month} 2022"
    assert not ARABIC_INDIC_DIGITS.search(written)


def test_the_catalogue_is_given_every_month_that_dates_name():
    """UN_MONTHS are the msgids of Django's "E", the month in a date, so that makemessages keeps them."""
    with translation.override("en"):
        assert [str(month) for month in arabic.UN_MONTHS] == [str(MONTHS_ALT[n]) for n in range(1, 13)]


def test_arabic_names_each_month_as_the_un_does_once_the_catalogue_translates_them(un_arabic_months):
    with translation.override("ar"):
        assert date_format(DAY) == "30 كانون الأول/ديسمبر 2022"
        assert date_format(SAVED_AT, "DATETIME_FORMAT") == "24 شباط/فبراير 2023، 13:34 UTC"


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("ru", "24 февраля 2023 года, 13:34 UTC"),
        ("fr", "24 février 2023, 13:34 UTC"),
        ("es", "24 de febrero de 2023, 13:34 UTC"),
        ("zh", "2023年2月24日 13:34 UTC"),
    ],
)
def test_a_time_is_on_the_24_hour_clock_with_its_time_zone(language, written):
    with translation.override(language):
        assert date_format(SAVED_AT, "DATETIME_FORMAT") == written


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("ru", "1\xa0234\xa0567,5"),
        ("fr", "1\xa0234\xa0567,5"),
        ("es", "1.234.567,5"),
        ("zh", "1,234,567.5"),
        ("ar", "1,234,567.5"),
    ],
)
def test_numbers_as_the_un_writes_them(language, written):
    with translation.override(language):
        assert number_format(1234567.5, 1, force_grouping=True) == written


@pytest.mark.parametrize("language", ["ar", "zh", "fr", "ru", "es"])
def test_a_typed_date_is_read_day_first_and_the_admins_calendar_is_understood(language):
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("02/03/2023") == datetime.date(2023, 3, 2)
        assert field.clean("2023-03-02") == datetime.date(2023, 3, 2)
        assert forms.DateTimeField().clean("02/03/2023 13:34").day == 2


def test_each_language_reads_the_date_it_writes_short():
    field = forms.DateField()
    for language, typed in [("ru", "02.03.2023"), ("zh", "2023年3月2日"), ("zh", "2023/3/2")]:
        with translation.override(language):
            assert field.clean(typed) == datetime.date(2023, 3, 2), (language, typed)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("language", "file"),
    [
        ("ar", "Arabic/A_RES_77_273-A.xml"),
        ("zh", "Chinese/A_RES_77_273-C.xml"),
        ("en", "English/A_RES_77_273-E.xml"),
        ("fr", "French/A_RES_77_273-F.xml"),
        ("ru", "Russian/A_RES_77_273-R.xml"),
        ("es", "Spanish/A_RES_77_273-S.xml"),
    ],
)
def test_the_date_of_77_273_is_written_as_in_the_uns_own_text(
    shared_data_dir, un_arabic_months, language, file
):
    """The resolution's closing lines, "60th plenary meeting, 24 February 2023", in each of its six texts."""
    xml = (shared_data_dir / "unxml" / "GAresolutions" / "77session" / file).read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", xml).split())
    with translation.override(language):
        written = date_format(datetime.date(2023, 2, 24))
    assert written in text
    if language == "ar":
        assert not ARABIC_INDIC_DIGITS.search(text)  # the UN's Arabic writes Western digits
