"""The charts are plain functions over plain data: read as text (SVG and its table), no database."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from resolutions import charts

SVG = "{http://www.w3.org/2000/svg}"


def parsed(chart):
    return ET.fromstring(str(chart.svg))


def texts(chart):
    return [element.text for element in parsed(chart).iter(f"{SVG}text")]


def test_every_chart_is_an_image_labelled_by_its_title_and_description():
    drawn = [
        charts.bar_list("a", "Notes by country", [("Kazakhstan", 3)]),
        charts.month_columns("b", "Notes by month", {datetime.date(2024, 1, 1): 2}),
        charts.status_bar("c", "Status", [("ongoing", "Ongoing", 1)]),
        charts.timeline_strip(
            "d", "Timeline", [charts.Event(datetime.date(2024, 1, 1), "note", "A meeting")]
        ),
    ]
    for chart in drawn:
        svg = parsed(chart)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{chart.id}-title"
        assert svg.get("aria-describedby") == f"{chart.id}-desc"
        assert svg.find(f"{SVG}title").get("id") == f"{chart.id}-title"
        assert svg.find(f"{SVG}title").text == chart.title
        assert svg.find(f"{SVG}desc").text == chart.description
        assert "style=" not in str(chart.svg)  # the CSP allows no inline style


def test_bar_list_draws_bars_in_proportion_with_labels_and_values_and_a_table():
    chart = charts.bar_list(
        "countries",
        "Notes by country",
        [("Kazakhstan", 40, "/notes/?country=kaz"), ("Uzbekistan", 10, "/notes/?country=uzb")],
        label_column="Country",
    )

    widths = [float(rect.get("width")) for rect in parsed(chart).iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(4 * widths[1], abs=2)  # whole pixels
    assert texts(chart) == ["Kazakhstan", "40", "Uzbekistan", "10"]
    assert chart.description == "Kazakhstan: 40 notes; Uzbekistan: 10 notes."
    assert chart.columns == ["Country", "Notes"]
    assert chart.rows[0][0] == charts.Cell("Kazakhstan", "/notes/?country=kaz")
    assert chart.rows[1][1].text == "10"


def test_bar_list_draws_a_short_name_and_keeps_the_full_one_in_the_table():
    name = "United Nations Regional Centre for Preventive Diplomacy for Central Asia"
    chart = charts.bar_list("partners", "Partners", [(name, 5, "", "UNRCCA")])

    assert texts(chart)[0] == "UNRCCA"
    assert chart.rows[0][0].text == name


def test_long_labels_are_cut_to_fit_and_markup_is_escaped():
    chart = charts.bar_list(
        "x", "<b>T</b>", [("A very long name of a theme for testing", 1), ("<script>", 1)]
    )

    assert texts(chart)[0].endswith("…") and len(texts(chart)[0]) <= 22
    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)
    assert "&lt;b&gt;T&lt;/b&gt;" in str(chart.svg)


def test_an_empty_chart_says_so():
    for chart in (
        charts.bar_list("x", "Themes", []),
        charts.month_columns("y", "Months", {}),
        charts.timeline_strip("z", "Timeline", []),
    ):
        assert chart.rows == []
        assert chart.description in ("Nothing to show.", "No published note or assessment.")


def test_month_columns_show_every_month_between_the_first_and_last_even_empty_ones():
    counts = {datetime.date(2023, 11, 1): 4, datetime.date(2024, 2, 1): 2}
    chart = charts.month_columns("months", "Notes by month", counts)

    assert charts.month_span(datetime.date(2023, 11, 1), datetime.date(2024, 2, 1)) == [
        datetime.date(2023, 11, 1),
        datetime.date(2023, 12, 1),
        datetime.date(2024, 1, 1),
        datetime.date(2024, 2, 1),
    ]
    heights = [float(rect.get("height")) for rect in parsed(chart).iter(f"{SVG}rect")]
    assert heights[0] == 2 * heights[1]  # two columns drawn, the empty months none
    assert [[cell.text for cell in row] for row in chart.rows] == [
        ["November 2023", "4"],
        ["February 2024", "2"],
    ]
    assert chart.description == "6 notes from November 2023 to February 2024; the most in November 2023 (4)."
    assert "Nov" in texts(chart) and "2024" in texts(chart)


def test_status_bar_names_each_status_with_its_count_not_by_colour_alone():
    chart = charts.status_bar(
        "statuses",
        "Paragraphs by status",
        [("implemented", "Implemented", 3), ("ongoing", "Ongoing", 1), ("", "Not assessed", 0)],
    )

    assert texts(chart) == ["Implemented: 3 (75%)", "Ongoing: 1 (25%)", "Not assessed: 0 (0%)"]
    parts = [rect for rect in parsed(chart).iter(f"{SVG}rect") if rect.get("height") == "24"]
    assert [part.get("fill") for part in parts] == [
        charts.STATUS_COLOURS["implemented"],
        charts.STATUS_COLOURS["ongoing"],
    ]
    assert float(parts[0].get("width")) == 3 * float(parts[1].get("width"))
    assert chart.description == "4 operative paragraphs: Implemented 3; Ongoing 1; Not assessed 0."


def test_timeline_puts_notes_and_assessments_on_one_axis_in_date_order():
    events = [
        charts.Event(datetime.date(2024, 6, 1), "assessment", "Going on.", "ongoing", "Ongoing"),
        charts.Event(datetime.date(2023, 3, 1), "note", "Consultation in Bishkek", href="/notes/1/"),
        charts.Event(datetime.date(2025, 1, 1), "note", "Visit to Dushanbe", href="/notes/2/"),
    ]
    chart = charts.timeline_strip("t", "Timeline of op 1", events, start=datetime.date(2023, 1, 1))

    svg = parsed(chart)
    circles = [float(circle.get("cx")) for circle in svg.iter(f"{SVG}circle")]
    square = next(rect for rect in svg.iter(f"{SVG}rect"))
    assert circles[0] < float(square.get("x")) < circles[1]  # the assessment falls between the two notes
    assert square.get("fill") == charts.STATUS_COLOURS["ongoing"]
    assert "O" in texts(chart)  # lettered with its status
    assert {"2024", "2025"} <= set(texts(chart))  # years on the axis
    assert [[cell.text for cell in row] for row in chart.rows] == [
        ["1 March 2023", "Consultation in Bishkek"],
        ["1 June 2024", "Assessed: Ongoing"],
        ["1 January 2025", "Visit to Dushanbe"],
    ]
    assert chart.rows[0][1].href == "/notes/1/"
    assert chart.description == (
        "2 notes from 1 March 2023 to 1 January 2025; assessed Ongoing on 1 June 2024."
    )


def test_a_compact_strip_has_no_text_but_its_description():
    chart = charts.timeline_strip(
        "s", "op 1", [charts.Event(datetime.date(2024, 1, 1), "note", "A")], compact=True, width=240
    )

    assert texts(chart) == []
    assert chart.description == "1 note from 1 January 2024 to 1 January 2024."
