"""The import_resolution command, as staff run it."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import Footnote, Paragraph, Reference, Resolution
from tests.conftest import SEED

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_resolution", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def row_counts():
    return [model.objects.count() for model in (Resolution, Paragraph, Footnote, Reference)]


def test_dry_run_prints_the_parsed_document_and_writes_nothing():
    code, out, _ = run(SEED, "--dry-run")

    document = json.loads(out)
    assert code == 0
    assert row_counts() == [0, 0, 0, 0]
    assert document["symbol"] == "A/RES/77/273"
    assert document["body"] == "GA"
    assert document["session"] == "77"
    assert document["adopted_on"] == "2023-02-24"
    assert document["distributed_on"] == "2023-03-02"
    assert document["agenda_items"] == [{"number": "58", "title": "Peacebuilding and sustaining peace"}]
    assert document["draft_symbol"] == "A/77/L.53"
    assert document["meeting"] == "60th plenary meeting"
    assert document["language"] == "en"
    assert len(document["preambular"]) == 24
    assert [p["lead_phrase"] for p in document["operative"]] == [
        "Encourages",
        "Also encourages",
        "Welcomes",
        "Encourages",
    ]
    assert all(set(p) >= {"number", "lead_phrase", "text", "subparagraphs"} for p in document["operative"])
    assert [f["marker"] for f in document["footnotes"]] == list("1234567")
    assert {"A/RES/72/7", "A/RES/75/272", "S/2007/279", "A/76/920"} <= set(document["references"])


def test_import_then_reimport_reports_unchanged():
    code, out, _ = run(SEED)
    assert code == 0
    assert "imported A/RES/77/273" in out

    code, out, _ = run(SEED)
    assert code == 0
    assert "unchanged A/RES/77/273" in out
    assert row_counts()[:2] == [1, 28]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("Résolution".encode("latin-1") * 20, "not UTF-8"),
        (b"A shopping list:\n\n- apples\n- pears\n", "not a resolution"),
    ],
)
def test_a_file_that_is_not_a_resolution_fails_with_its_name_and_reason(tmp_path, content, reason):
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)

    code, _, err = run(bad)

    assert code == 1
    assert "bad.md" in err
    assert reason in err
    assert row_counts() == [0, 0, 0, 0]


def test_a_resolution_without_operative_part_fails_and_writes_nothing(tmp_path, seed_text):
    cut = tmp_path / "preamble-only.md"
    cut.write_text(seed_text.split("1. *Encourages*")[0], encoding="utf-8")

    code, _, err = run(cut)

    assert code == 1
    assert "preamble-only.md" in err
    assert "operative" in err
    assert row_counts() == [0, 0, 0, 0]


def test_an_unreadable_path_fails_with_its_name(tmp_path):
    code, _, err = run(tmp_path / "missing.md")

    assert code == 1
    assert "missing.md" in err


def test_with_several_paths_the_good_ones_import_and_a_summary_says_what_happened(tmp_path):
    bad = tmp_path / "empty.md"
    bad.write_text("")

    code, out, err = run(bad, SEED)

    assert code == 1
    assert "empty.md: failed" in err
    assert "imported A/RES/77/273" in out
    assert "Summary: 1 imported, 0 updated, 0 unchanged, 0 skipped, 1 failed" in err
    assert row_counts()[:2] == [1, 28]


def test_a_folder_imports_with_a_progress_bar_and_a_failed_file_does_not_stop_the_run(tmp_path):
    import shutil

    folder = tmp_path / "documents"
    shutil.copytree("tests/fixtures/akn", folder)
    (folder / "broken.xml").write_text("<akomaNtoso><unclosed></akomaNtoso>")

    files = len(list(folder.glob("*.xml")))
    code, out, err = run(folder, "--progress")

    assert code == 1
    assert f"0/{files} [" in err and "file/s" in err  # the progress bar, counting the files
    assert "broken.xml: failed" in err
    summary = err.strip().splitlines()[-2]  # the last line is the command's error
    imported = Resolution.objects.count()
    assert imported >= 6
    assert summary == f"Summary: {imported} imported, 0 updated, 0 unchanged, 0 skipped, 1 failed"

    (folder / "broken.xml").unlink()
    code, out, err = run(folder)

    assert code == 0
    assert (
        err.strip().splitlines()[-1]
        == f"Summary: 0 imported, 0 updated, {imported} unchanged, 0 skipped, 0 failed"
    )
    assert Resolution.objects.count() == imported


def test_a_non_resolution_named_on_the_command_line_fails_but_in_a_folder_is_skipped(tmp_path):
    statement = (
        '<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><statement name="statement">'
        '<meta><identification source="#x"><FRBRWork><FRBRthis value="/akn/un/x"/></FRBRWork></identification>'
        "</meta><coverPage><p><docNumber>S/PRST/2099/1</docNumber></p></coverPage>"
        "<mainBody><p>The Security Council takes note.</p></mainBody></statement></akomaNtoso>"
    )
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "prst.xml").write_text(statement)

    named_code, _, named_err = run(folder / "prst.xml")
    walked_code, walked_out, walked_err = run(folder)

    assert named_code == 1 and "not a resolution" in named_err
    assert walked_code == 0 and "skipped" in walked_out and "1 skipped" in walked_err


AKN_FIXTURE = "tests/fixtures/akn/ga_without_vote.xml"


@pytest.mark.parametrize(
    "declaration",
    [
        # An external entity reading a local file (XXE).
        '<!DOCTYPE akomaNtoso [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
        # An external DTD fetched from the network.
        '<!DOCTYPE akomaNtoso SYSTEM "http://127.0.0.1:9/akn.dtd">',
        # An internal entity, expanded without bound in a "billion laughs".
        '<!DOCTYPE akomaNtoso [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    ],
)
@pytest.mark.parametrize("fmt", ["auto", "akn"])
def test_xml_with_a_doctype_or_entities_is_refused_with_a_clear_message(tmp_path, declaration, fmt):
    """Issue 10: a DOCTYPE with entities or an external DTD is refused, nothing read, nothing written."""
    xml = Path(AKN_FIXTURE).read_text(encoding="utf-8")
    xml = xml.replace("<akomaNtoso ", f"{declaration}\n<akomaNtoso ", 1)
    xml = xml.replace("Mountain springs and the people", "&secret; &lol2; Mountain springs and the people")
    bad = tmp_path / "doctype.xml"
    bad.write_text(xml, encoding="utf-8")

    code, _, err = run(bad, "--format", fmt)

    assert code == 1
    assert "doctype.xml: failed" in err
    assert "document type declaration" in err
    assert "root:" not in err  # nothing of /etc/passwd
    assert row_counts() == [0, 0, 0, 0]


def test_a_language_other_than_the_six_official_ones_is_refused_naming_them(tmp_path):
    """Issue 11, defect 6: a German text is not a language version of a UN resolution."""
    xml = Path(AKN_FIXTURE).read_text(encoding="utf-8").replace('language="eng"', 'language="deu"')
    german = tmp_path / "german.xml"
    german.write_text(xml, encoding="utf-8")

    code, _, err = run(german)

    assert code == 1
    assert "'de'" in err
    for name in (
        "Arabic (ar)",
        "Chinese (zh)",
        "English (en)",
        "French (fr)",
        "Russian (ru)",
        "Spanish (es)",
    ):
        assert name in err
    assert row_counts() == [0, 0, 0, 0]

    code, _, err = run(german, "--dry-run")
    assert code == 1 and "official language" in err


# --- Coverage: every word of the body in exactly one stored place (issue 11) --------------

AKN = Path(__file__).parent / "fixtures" / "akn"


def test_dry_run_reports_the_coverage_of_each_document():
    code, out, err = run(AKN / "ga_tables.xml", "--dry-run")

    assert code == 0
    assert "parsed A/RES/79/901 (dry run, nothing written); coverage 100 %" in err
    assert json.loads(out)["coverage"] == {
        "percent": 100.0,
        "source_words": 81,
        "unplaced": [],
        "repeated": [],
        "measured": True,
    }
    assert row_counts() == [0, 0, 0, 0]


def test_import_says_coverage_100_percent():
    code, out, _ = run(AKN / "ga_tables.xml")

    assert code == 0
    assert "imported A/RES/79/901 [en] (1 preambular, 2 operative paragraphs; coverage 100 %)" in out


def test_text_left_unplaced_imports_with_a_warning_naming_it_listed_in_the_summary():
    code, _, err = run(AKN / "ga_unknown_element.xml", AKN / "ga_tables.xml")

    assert code == 0
    assert (
        "warning – A/RES/79/902 [en]: coverage 75.8 %: 8 word(s) of the source left unplaced: "
        '<blockContainer eId="blockContainer_4">: “springs fed by glaciers shall be mapped first” (8 words)'
    ) in err
    *_, listed, summary = err.strip().splitlines()
    assert listed == "Below 100 % coverage (1): A/RES/79/902 [en] 75.8 %"
    assert summary == "Summary: 2 imported, 0 updated, 0 unchanged, 0 skipped, 0 failed"
    assert Resolution.objects.filter(symbol="A/RES/79/902").exists()


def test_strict_refuses_a_document_below_full_coverage_and_writes_nothing_of_it():
    code, _, err = run(AKN / "ga_unknown_element.xml", AKN / "ga_tables.xml", "--strict")

    assert code == 1
    assert "failed – A/RES/79/902: refused by --strict, coverage 75.8 %" in err
    assert "Summary: 1 imported, 0 updated, 0 unchanged, 0 skipped, 1 failed" in err
    assert list(Resolution.objects.values_list("symbol", flat=True)) == ["A/RES/79/901"]


# --- Output a person reads (issue 18, deliverable 6) -----------------------------------------

STATEMENT = (
    '<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><statement name="statement">'
    '<meta><identification source="#x"><FRBRWork><FRBRthis value="/akn/un/x"/></FRBRWork></identification>'
    "</meta><coverPage><p><docNumber>S/PRST/2099/1</docNumber></p></coverPage>"
    "<mainBody><p>The Security Council takes note.</p></mainBody></statement></akomaNtoso>"
)
GREEN, YELLOW, RED = "\x1b[32;1m", "\x1b[33;1m", "\x1b[31;1m"  # Django's SUCCESS, WARNING, ERROR


def folder_of(tmp_path, *files, statement=False, broken=False):
    import shutil

    folder = tmp_path / "documents"
    folder.mkdir()
    for file in files:
        shutil.copy(file, folder)
    if statement:
        (folder / "prst.xml").write_text(STATEMENT)
    if broken:
        (folder / "broken.xml").write_text("<akomaNtoso><unclosed></akomaNtoso>")
    return folder


def on_a_terminal(*args):
    """The command in a process of its own whose stdout and stderr are a terminal, as a person sees it."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from tests.conftest import REPO

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 rows, 100 columns
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_resolution", *map(str, args)],
        cwd=REPO,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "TERM": "xterm", "DJANGO_COLORS": ""},
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=120), output.decode()


def last_line_with(text, output):
    return next(line for line in reversed(output.replace("\r", "\n").splitlines()) if text in line)


def test_on_a_terminal_a_dry_run_of_a_folder_names_the_skipped_document_under_the_bar_and_sums_up_in_green(
    tmp_path,
):
    folder = folder_of(tmp_path, SEED, AKN / "ga_tables.xml", statement=True)

    code, output = on_a_terminal(folder, "--dry-run")

    assert code == 0
    assert "0/3 [" in output and "file/s]" in output  # the progress bar was on
    assert "prst.xml: skipped \u2013 " in output and "S/PRST/2099/1" in output
    summary = last_line_with("Summary", output)
    assert "Summary (dry run, nothing written): 2 parsed, 1 skipped, 0 failed" in summary
    assert GREEN in summary
    assert RED not in output


def test_on_a_terminal_a_summary_is_red_only_when_something_failed(tmp_path):
    folder = folder_of(tmp_path, AKN / "ga_tables.xml", broken=True)

    code, output = on_a_terminal(folder, "--dry-run")

    assert code == 1
    summary = last_line_with("Summary", output)
    assert "1 parsed, 0 skipped, 1 failed" in summary and RED in summary
    assert RED in last_line_with("broken.xml: failed", output)


def test_a_summary_is_green_when_nothing_failed_and_yellow_when_text_was_left_unplaced(tmp_path):
    from io import StringIO

    def summary(*args):
        err = StringIO()
        call_command("import_resolution", *map(str, args), stdout=StringIO(), stderr=err, force_color=True)
        return err.getvalue().strip().splitlines()[-1]

    assert summary(AKN / "ga_tables.xml", SEED) == (
        f"{GREEN}Summary: 2 imported, 0 updated, 0 unchanged, 0 skipped, 0 failed\x1b[0m"
    )
    assert summary(AKN / "ga_unknown_element.xml", SEED).startswith(
        f"{YELLOW}Summary: 1 imported, 0 updated, 1 unchanged"
    )


def test_with_the_bar_a_skipped_document_is_still_named_and_the_imported_ones_are_not(tmp_path):
    folder = folder_of(tmp_path, AKN / "ga_tables.xml", statement=True)

    code, out, err = run(folder, "--progress")

    assert code == 0
    assert "prst.xml: skipped \u2013 " in out
    assert "imported A/RES/79/901" not in out  # one line per file is the bar's job
    assert err.strip().splitlines()[-1] == "Summary: 1 imported, 0 updated, 0 unchanged, 1 skipped, 0 failed"


def test_a_dry_run_of_several_files_counts_what_it_parsed(tmp_path):
    code, _, err = run(AKN / "ga_tables.xml", AKN / "ga_parts.xml", "--dry-run")

    assert code == 0
    parsed = err.count("(dry run, nothing written);")
    assert parsed >= 3  # a file in parts is several documents
    assert err.strip().splitlines()[-1] == (
        f"Summary (dry run, nothing written): {parsed} parsed, 0 skipped, 0 failed"
    )
    assert row_counts() == [0, 0, 0, 0]


def test_a_poorer_source_of_a_held_resolution_is_kept_out_counted_and_named():
    """Issue 18: the PDF text held, the Markdown of the same resolution is kept out, not imported."""
    pdf_text = Path("tests/fixtures/pdftext/A_RES_77_273.txt")
    run(pdf_text)
    held = Paragraph.objects.operative().get(number="1").text

    code, out, err = run(SEED, pdf_text)

    reason = "A/RES/77/273 [en] is held from its official PDF text, richer than this Markdown"
    assert code == 0
    assert f"A_RES_77_273.md: kept \u2013 {reason}" in out
    assert err.strip().splitlines()[-2:] == [
        f"Kept, a richer source being held (1): {reason}",
        "Summary: 0 imported, 0 updated, 1 unchanged, 1 kept, 0 skipped, 0 failed",
    ]
    assert Paragraph.objects.operative().get(number="1").text == held


TEXT = Path(__file__).parent / "fixtures" / "pdftext"


@pytest.mark.parametrize("path", [TEXT / "annex.txt", SEED], ids=["pdf text", "markdown"])
def test_dry_run_reports_the_coverage_of_pdf_text_and_markdown(path):
    code, out, err = run(path, "--dry-run")

    assert code == 0
    assert "(dry run, nothing written); coverage 100 %" in err
    coverage = json.loads(out)["coverage"]
    assert coverage["measured"] and coverage["percent"] == 100.0 and coverage["source_words"] > 100
    assert row_counts() == [0, 0, 0, 0]


def losing_annex_paragraph_2(monkeypatch):
    """The import as it would run with a PDF parser that loses paragraph 2 of annex I."""
    from resolutions.importer import parse_all
    from resolutions.management.commands import import_resolution

    def parse_losing(text, fmt="auto"):
        documents = parse_all(text, fmt)
        annex = documents[0].annexes[0]
        annex.paragraphs = [p for p in annex.paragraphs if p.number != "2"]
        return documents

    monkeypatch.setattr(import_resolution, "parse_all", parse_losing)


def test_pdf_text_left_unplaced_imports_with_a_warning_naming_its_line(monkeypatch):
    losing_annex_paragraph_2(monkeypatch)

    code, out, err = run(TEXT / "annex.txt")

    assert code == 0
    assert "warning – A/RES/79/340 [en]: coverage " in err
    assert "word(s) of the source left unplaced: line 52: “councils should” (2 words)" in err
    assert "Below 100 % coverage (1): A/RES/79/340 [en]" in err
    assert "imported A/RES/79/340" in out


def test_strict_refuses_pdf_text_below_full_coverage(monkeypatch):
    losing_annex_paragraph_2(monkeypatch)

    code, _, err = run(TEXT / "annex.txt", "--strict")

    assert code == 1
    assert "failed – A/RES/79/340: refused by --strict, coverage" in err
    assert row_counts() == [0, 0, 0, 0]


def test_strict_imports_pdf_text_and_markdown_placed_word_for_word():
    code, out, _ = run(TEXT / "parts.txt", SEED, "--strict")

    assert code == 0
    assert "imported A/RES/79/260 A [en]" in out and "imported A/RES/79/260 B [en]" in out
    assert "imported A/RES/77/273 [en]" in out
    assert out.count("coverage 100 %") == 3


def test_dry_run_shows_the_table_of_contents():
    code, out, _ = run(TEXT / "annex.txt", "--dry-run")

    assert code == 0
    assert json.loads(out)["contents"] == [
        {"level": 1, "title": "Annex I", "paragraph": "annex 1"},
        {"level": 2, "title": "Guidelines on community water councils", "paragraph": "annex 1"},
        {"level": 2, "title": "I. General principles", "paragraph": "annex 1, 1"},
        {"level": 1, "title": "Annex II", "paragraph": "annex 2"},
        {"level": 2, "title": "Terms of reference", "paragraph": "annex 2"},
    ]


def test_dry_run_contents_of_a_sectioned_resolution_name_each_section_s_paragraph():
    code, out, _ = run(AKN / "ga_sectioned.xml", "--dry-run")

    assert code == 0
    contents = json.loads(out)["contents"]
    assert [entry["title"].split(".")[0] for entry in contents] == ["I", "II", "III", "IV"]
    assert contents[1] == {"level": 1, "title": "II. Placeholder subvention", "paragraph": "pp II.1"}
