"""The implementation report as a Word document (python-docx), for a Regional Centre to edit into its
report to the General Assembly: the same content as the printable page."""

from io import BytesIO

from django.utils.formats import date_format
from django.utils.translation import gettext
from docx import Document
from docx.shared import Pt

from resolutions.implementation import ImplementationReport, NotesReport, body_paragraphs, capped_message


def period(note):
    start = date_format(note.start_date)
    return f"{start} – {date_format(note.end_date)}" if note.end_date else start


def new_document(title, tracker_url):
    document = Document()
    document.core_properties.title = title
    document.core_properties.comments = gettext("Made by the Resolution Tracker from %(url)s") % {
        "url": tracker_url
    }
    document.styles["Normal"].font.size = Pt(11)
    return document


def stamp_line(document, generated_at, tracker_url):
    stamp = document.add_paragraph()
    stamp.add_run(
        gettext(
            "Published implementation notes and assessments as of %(when)s, from the Resolution Tracker: %(url)s"
        )
        % {"when": date_format(generated_at, "DATETIME_FORMAT"), "url": tracker_url}
    ).italic = True


def report_docx(report: ImplementationReport, tracker_url, generated_at, site_url="") -> bytes:
    resolution = report.resolution
    symbol = {"symbol": resolution.symbol}
    document = new_document(gettext("%(symbol)s: implementation report") % symbol, tracker_url)
    document.add_heading(gettext("Implementation of resolution %(symbol)s") % symbol, level=0)
    document.add_paragraph(resolution.title)
    facts = [resolution.get_body_display()]
    if resolution.adopted_on:
        facts.append(gettext("adopted on %(date)s") % {"date": date_format(resolution.adopted_on)})
    document.add_paragraph(", ".join(facts))
    stamp_line(document, generated_at, tracker_url)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = gettext("%(symbol)s implementation report · %(date)s · %(url)s") % {
        "symbol": resolution.symbol,
        "date": date_format(generated_at, "DATE_FORMAT"),
        "url": tracker_url,
    }

    if not report.paragraphs:
        document.add_paragraph(gettext("This resolution has no numbered operative paragraph."))
    add_paragraphs(document, report, site_url)

    return saved(document)


def saved(document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def add_paragraphs(document, report: ImplementationReport, site_url="", level=1):
    """Each operative paragraph of ``report`` under a heading of ``level``: its words, status and
    rationale, and its published notes with their sources."""
    for item in report.paragraphs:
        paragraph = item.paragraph
        named = {"address": paragraph.address, "symbol": report.resolution.short_symbol}
        if level > 1:
            heading = gettext("Operative paragraph %(address)s of %(symbol)s") % named
        else:
            heading = gettext("Operative paragraph %(address)s") % named
        document.add_heading(heading, level=level)
        text = document.add_paragraph()
        text.add_run(f"{paragraph.address}. ")
        if paragraph.lead_phrase:
            text.add_run(paragraph.lead_phrase).italic = True
            text.add_run("" if paragraph.report_text[:1] in ",;:." else " ")
        text.add_run(paragraph.report_text)
        for sub in item.subparagraphs:
            line = document.add_paragraph(style="List Bullet")
            line.add_run(f"({sub.number}) ")
            if sub.lead_phrase:
                line.add_run(sub.lead_phrase).italic = True
                line.add_run(" ")
            line.add_run(sub.report_text)

        status = document.add_paragraph()
        status.add_run(gettext("Status:") + " ").bold = True
        status.add_run(item.status_label)
        if item.status_as_of:
            status.add_run(" " + gettext("(as of %(date)s)") % {"date": date_format(item.status_as_of)})
        if item.rationale:
            rationale = document.add_paragraph()
            rationale.add_run(gettext("Rationale:") + " ").bold = True
            rationale.add_run(item.rationale)

        if not item.notes:
            document.add_paragraph(gettext("No published implementation note."))
        for note in item.notes:
            document.add_heading(note.title, level=level + 1)
            meta = [period(note), note.get_kind_display()]
            if note.country_list:
                meta.append(", ".join(country.name for country in note.country_list))
            if note.entity_list:
                partners = ", ".join(str(entity) for entity in note.entity_list)
                meta.append(gettext("Partners: %(names)s") % {"names": partners})
            if note.is_demo:
                meta.append(gettext("Demonstration data, not a real record"))
            document.add_paragraph(" · ".join(meta)).runs[0].italic = True
            for block in body_paragraphs(note):
                document.add_paragraph(block)
            for source in note.source_list:
                line = document.add_paragraph(style="List Bullet")
                line.add_run(gettext("Source:") + " ").bold = True
                line.add_run(source.title)
                if source.document_symbol:
                    line.add_run(f" ({source.document_symbol})")
                if source.href:
                    line.add_run(f" <{source.href}>")
            if site_url:
                link = document.add_paragraph().add_run(f"{site_url.rstrip('/')}{note.get_absolute_url()}")
                link.italic = True


def notes_report_docx(report: NotesReport, title, filters, tracker_url, generated_at, site_url="") -> bytes:
    """The report of a filtered list of notes: each resolution, then its paragraphs and their notes."""
    heading = gettext("Implementation report: %(title)s") % {"title": title}
    document = new_document(heading, tracker_url)
    document.add_heading(heading, level=0)
    if filters:
        document.add_paragraph(gettext("Notes filtered by %(filters)s") % {"filters": "; ".join(filters)})
    stamp_line(document, generated_at, tracker_url)
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = gettext("Implementation report · %(date)s · %(url)s") % {
        "date": date_format(generated_at, "DATE_FORMAT"),
        "url": tracker_url,
    }
    if report.capped:
        document.add_paragraph(capped_message(report)).runs[0].bold = True
    if not report.resolutions:
        document.add_paragraph(gettext("No published implementation note matches these filters."))
    for part in report.resolutions:
        resolution = part.resolution
        document.add_heading(gettext("Resolution %(symbol)s") % {"symbol": resolution.symbol}, level=1)
        document.add_paragraph(resolution.title)
        add_paragraphs(document, part, site_url, level=2)
    return saved(document)
