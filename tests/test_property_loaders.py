"""Property-based tests for every loader: findings YAML, the performance workbook and the report
importer's text path. Whatever a user pastes in, selfeval either reads it (keeping the text intact)
or answers with a SelfevalError - never any other exception, which would be a traceback.

Fixed seed (derandomize) and small example counts keep CI fast and repeatable."""

from __future__ import annotations

import re

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval.errors import ErrorList, SelfevalError

FAST = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What council staff paste: markup characters, control characters Excel cells carry, emoji,
# right-to-left text, template syntax, Rich markup, our own placeholder marker, and very long cells.
FRAGMENTS = [
    "&", "<", ">", '"', "'", "&amp;", "<w:t>", "]]>", "\x0b", "\x0c", "\x00", "\x1f", "\x01", "\t", "\n", "\r\n",
    "😀", "👩🏽‍⚕️", "🏳️‍🌈", "مرحبا بالعالم", "שלום עולם", "\u202e", "\u200b", "\ufeff", "\u2028", "\u00a0",
    "{{ x }}", "{% if %}", "{%p endfor %}", "{{r x }}", "{# c #}", "{{ ''.__class__ }}", "[/bold]", "[red]",
    "[To complete: local context]", "%s", "{0}", "\\", "C:\\Users\\a", "null", "~", "- item", "key: value", "#",
    "*alias", "&anchor", "!!python/object", "x" * 10_000,
]
_chars = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be saved as UTF-8 by anyone
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(_chars, max_size=12)), min_size=1, max_size=5).map("".join)


def findings_dict(t: list[str]) -> dict:
    return {
        "local_authority": "LA " + t[0],
        "type": "full inspection",
        "inspection_kind": "short",
        "title": "Title " + t[1],
        "inspection_dates": [{"start": "2025-03-03", "end": "2025-03-07"}],
        "lead_inspector": "Lead " + t[2],
        "inspectors": ["Lead " + t[2], "Other " + t[3]],
        "judgements": {"impact_of_leaders": "Good", "help_and_protection": "Good", "children_in_care": "Good",
                       "care_leavers": "Good", "overall_effectiveness": "Good"},
        "summary": ["Summary " + t[4]],
        "areas_for_improvement": [
            {"id": "EX-1", "text": "AFI " + t[5], "framework_refs": ["enabler 2"], "source_paragraphs": [1], "judgement_area": "care_leavers"},
            {"id": "EX-2", "text": "Second AFI " + t[6], "judgement_area": "help_and_protection"},
        ],
        "strengths": [{"text": "Strength " + t[7], "source_paragraphs": [1], "judgement_area": "care_leavers"}],
        "sections": [{"heading": "Heading " + t[8], "judgement_area": "care_leavers", "grade": "Good",
                      "paragraphs": [{"number": 1, "text": "Paragraph " + t[9]}]}],
        "notes": "Notes " + t[10],
    }


def text_fields(f) -> list[str]:
    return [f.local_authority, f.title, f.lead_inspector, *f.inspectors, *f.summary,
            *(a.text for a in f.areas_for_improvement), *(s.text for s in f.strengths),
            *(s.heading for s in f.sections), *(p.text for s in f.sections for p in s.paragraphs), f.notes]


# -- findings YAML --------------------------------------------------------------------------------------------

@FAST
@given(st.lists(hostile_text, min_size=11, max_size=11))
def test_findings_with_hostile_text_load_with_the_text_intact(texts: list[str]) -> None:
    from selfeval.load.findings import load_findings_file

    data = findings_dict(texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        loaded = load_findings_file(path).findings
    expected = [data["local_authority"], data["title"], data["lead_inspector"], *data["inspectors"], *data["summary"],
                *(a["text"] for a in data["areas_for_improvement"]), data["strengths"][0]["text"],
                data["sections"][0]["heading"], data["sections"][0]["paragraphs"][0]["text"], data["notes"]]
    assert text_fields(loaded) == [_trim(e) for e in expected]


# pydantic's str_strip_whitespace trims Unicode White_Space (not Python's str.isspace, which adds \x1c-\x1f).
_WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000"


def _trim(text: str) -> str:
    return text.strip(_WHITE_SPACE)


@FAST
@given(st.one_of(hostile_text, st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_any_findings_file_content_is_read_or_refused_with_a_message(text: str) -> None:
    from selfeval.load.findings import load_findings_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            load_findings_file(path)
        except (SelfevalError, ErrorList) as e:
            assert str(e).strip()


@FAST
@given(hostile_text, st.sampled_from(["local_authority", "type", "title", "inspection_dates", "judgements", "areas_for_improvement", "notes", "strengths"]))
def test_hostile_values_in_any_key_are_read_or_refused(value: str, key: str) -> None:
    """A structural key given hostile text (a user pasting into the wrong place): a located message."""
    from selfeval.load.findings import load_findings_file

    data = findings_dict(["x"] * 11)
    data[key] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            load_findings_file(path)
        except (SelfevalError, ErrorList) as e:
            assert "f.yaml" in str(e)


# -- performance workbook -------------------------------------------------------------------------------------

def _cell_text(text: str) -> str:
    """What a cell can hold: openpyxl (like Excel's file format) cannot store XML-forbidden characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # lxml (which openpyxl writes with once anything has imported it) also refuses the
    # non-characters U+FFFE/U+FFFF and lone surrogates.
    text = re.sub("[\ud800-\udfff\ufffe\uffff]", "", ILLEGAL_CHARACTERS_RE.sub("", text))
    return text[:32_000] or "x"


@SLOWER
@given(st.lists(hostile_text, min_size=6, max_size=6), st.one_of(hostile_text, st.floats(allow_nan=True), st.integers(), st.none()))
def test_a_workbook_with_hostile_text_loads_or_is_refused_at_a_cell(texts: list[str], value) -> None:
    from selfeval.load.workbook import load_workbook

    name, definition, source, label, heading, other = (_cell_text(t) for t in texts)
    if isinstance(value, str):
        value = _cell_text(value)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ind = wb.create_sheet("Indicators")
    ind.append(["ID", "Name", "Judgement area", "Framework ref", "Unit", "Polarity", "Decimals", "Target", "Tolerance", "Key", "Internal", "Definition", "Source"])
    ind.append(["RE-REF", "Re-referrals " + name, "help_and_protection", "outcome 1", "%", "lower is better", 1, None, None, "yes", "no", definition, source])
    ind.append(["ASMT", "Assessments", "help_and_protection", "outcome 1", "%", "higher is better", 1, 90, 5, "no", "no", None, None])
    data = wb.create_sheet("Data")
    data.append(["ID", "Indicator", "2023-24", "2024-25"])
    data.append(["RE-REF", label, 19.8, 18.6])
    data.append(["ASMT", "Assessments", 88.0, value])
    extra = wb.create_sheet("Commentary")
    extra.append([heading, other])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "performance.xlsx"
        wb.save(path)
        try:
            loaded = load_workbook(path)
        except (SelfevalError, ErrorList) as e:
            errors = e.errors if isinstance(e, ErrorList) else [e]
            assert all("performance.xlsx" in str(x) for x in errors), [str(x) for x in errors]
            return
    indicator = next(i for i in loaded.indicators if i.id == "RE-REF")
    assert indicator.name.strip() == ("Re-referrals " + name).strip() or " ".join(indicator.name.split()) == " ".join(("Re-referrals " + name).split())


# -- report importer: the text path ---------------------------------------------------------------------------

REPORT_LINES = [
    "Inspection of Exampleshire local authority children's services",
    "Inspection dates: 3 to 7 March 2025",
    "Lead inspector: Jane Smith, His Majesty's Inspector",
    "Judgement Grade",
    "The impact of leaders on social work practice with children and families Good",
    "The experiences and progress of children who need help and protection Good",
    "The experiences and progress of children in care Good",
    "The experiences and progress of care leavers Good",
    "Overall effectiveness Good",
    "What needs to improve?",
    "- The quality of supervision. (Enabler 2)",
    "1. Children in care benefit from stable homes.",
    "",
]


@SLOWER
@given(st.lists(st.one_of(st.sampled_from(REPORT_LINES), hostile_text), max_size=25), st.sampled_from([".txt", ".md"]))
def test_any_report_text_is_imported_or_refused_and_what_is_written_loads_back(lines: list[str], suffix: str) -> None:
    from selfeval.commands.import_report import import_report
    from selfeval.load.findings import load_findings_file

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / f"report{suffix}"
        report.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        out = Path(tmp) / "findings.yaml"
        try:
            import_report(report, None, as_json=True)
            result = import_report(report, out, as_json=False, today=dt.date(2026, 1, 1))
        except (SelfevalError, ErrorList) as e:
            assert str(e).strip()
            return
        assert result.written == out
        load_findings_file(out)  # what import writes, validate reads
