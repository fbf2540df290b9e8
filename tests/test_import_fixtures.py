"""`selfeval import` on the extra fixtures in tests/fixtures/reports (see each *.source.txt).

REAL: bcp-2022-06/-10 monitoring-visit excerpts (the opening of two real letters, as reprinted by a newspaper).
SYNTHETIC: everything named synthetic-* (invented councils and findings in real Ofsted layouts; the PDFs are built
by make_synthetic.py with running headers, page numbers and paragraphs running over page breaks).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from selfeval.load.report import import_report
from selfeval.load.report.dates import date_list_prefix, parse_date_ranges

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
D = dt.date


def _get(name: str):
    return import_report(FIXTURES / name)


def _only_invented_council(ex) -> bool:
    """The synthetic councils are invented: the one thing an import may say is that the catalogue
    does not know them (every other self-check passes)."""
    failed = [c.name for c in ex.checks if not c.passed]
    return failed == ["council"] and ex.warnings == [f"self-check failed (council): {ex.checks[[c.name for c in ex.checks].index('council')].detail}"]


@pytest.mark.parametrize(
    ("name", "start", "end", "inspectors", "concern"),
    [
        ("bcp-2022-06-monitoring-visit-excerpt.txt", D(2022, 6, 7), D(2022, 6, 8), ["Anna Gravelle", "Steve Lowe"], "The impact of quality assurance"),
        ("bcp-2022-10-monitoring-visit-excerpt.txt", D(2022, 10, 4), D(2022, 10, 5), ["Steve Lowe", "Louise Hocking"], "T"),
    ],
)
def test_real_monitoring_visit_openings(name, start, end, inspectors, concern) -> None:
    ex = _get(name)
    assert ex.type == "monitoring visit"
    assert ex.local_authority == "Bournemouth, Christchurch and Poole"  # commas in the council's name survive
    assert ex.date_ranges == [(start, end)]
    assert ex.inspectors == inspectors and ex.lead_inspector == inspectors[0]
    assert ex.areas == [] and ex.afi_heading_raw is None  # the areas of concern under review are not AFIs
    [section] = ex.sections
    assert section.heading == "Areas covered by the visit"
    # the lead-in paragraph, then each bullet its own paragraph (glyph dropped)
    assert len(section.paragraphs) == 4
    assert section.paragraphs[1].text.startswith("The quality of practice, in particular assessment")
    assert section.paragraphs[3].text.startswith(concern)
    # The excerpt has no title line and no closing: both are said, not silently papered over.
    assert any("no title line" in w for w in ex.warnings)
    assert any("may be incomplete" in w for w in ex.warnings)
    assert not any("areas for improvement" in w for w in ex.warnings)  # a monitoring letter has none
    ex.to_findings(D(2026, 1, 1))  # valid findings


def test_synthetic_monitoring_visit_pdf() -> None:
    ex = _get("synthetic-northmoor-2024-02-monitoring-visit.pdf")
    assert (ex.type, ex.local_authority, ex.report_title) == (
        "monitoring visit", "Northmoor", "Monitoring visit to Northmoor children’s services")
    assert ex.date_ranges == [(D(2024, 2, 6), D(2024, 2, 7))]
    assert ex.published == D(2024, 3, 14)
    assert (ex.lead_inspector, ex.inspectors) == ("Helen Ashworth", ["Helen Ashworth", "Tom Baines"])
    assert ex.areas == []
    assert [s.heading for s in ex.sections] == ["Areas covered by the visit", "Findings and progress"]
    assert [len(s.paragraphs) for s in ex.sections] == [4, 6]
    # paragraphs that run over a page break stay whole
    assert [p.text.endswith(f"This is finding paragraph {i + 1}.") for i, p in enumerate(ex.sections[1].paragraphs)] == [True] * 6
    assert len(ex.summary) == 2 and ex.summary[0].startswith("Leaders have made steady progress")
    assert _only_invented_council(ex)
    ex.to_findings(D(2026, 1, 1))


def test_synthetic_focused_visit_with_priority_actions_pdf() -> None:
    ex = _get("synthetic-northmoor-2024-10-focused-visit-priority.pdf")
    assert (ex.type, ex.local_authority) == ("focused visit", "Northmoor")
    assert ex.dates_raw == "30 September 2024 to 1 October 2024"
    assert ex.date_ranges == [(D(2024, 9, 30), D(2024, 10, 1))]
    assert ex.inspectors == ["Priya Shah", "Lee Carter", "Dana Whitfield"]
    assert ex.published == D(2024, 12, 2)
    assert [a.priority for a in ex.areas] == [True, True, False, False, False]
    assert ex.areas[0].text.endswith("understood by all the professionals who work with them and their families.")
    assert ex.areas[3].text.endswith("understand the decisions that were made about them and why.")
    assert all(a.refs == [] for a in ex.areas)
    assert [s.heading for s in ex.sections] == ["Main findings"]
    assert len(ex.sections[0].paragraphs) == 6  # five findings and the written-statement paragraph
    assert len(ex.summary) == 3
    assert _only_invented_council(ex)
    findings = ex.to_findings(D(2026, 1, 1))
    assert [a.priority for a in findings.areas_for_improvement] == [True, True, False, False, False]


def test_synthetic_2019_full_report_pdf_title_also_running_header() -> None:
    ex = _get("synthetic-southfleet-2019-11-full-inspection.pdf")
    assert (ex.type, ex.local_authority, ex.inspection_kind) == ("full inspection", "Southfleet", "standard")
    assert ex.date_ranges == [(D(2019, 10, 28), D(2019, 11, 8))]
    assert ex.lead_inspector_raw == "Mark Evans, Her Majesty’s Inspector"
    assert {j.area: j.grade_id for j in ex.judgements} == {
        "impact_of_leaders": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care_and_care_leavers": "requires_improvement",
        "overall_effectiveness": "inadequate",
    }
    assert len(ex.areas) == 9
    assert all(a.text.endswith("children’s circumstances improve quickly enough.") for a in ex.areas)
    assert [(s.area, s.grade_id, [p.number for p in s.paragraphs]) for s in ex.sections] == [
        ("help_and_protection", "inadequate", [1, 2, 3, 4, 5, 6]),
        ("children_in_care_and_care_leavers", "requires_improvement", [7, 8, 9, 10, 11]),
        ("impact_of_leaders", "inadequate", [12, 13, 14, 15]),
    ]
    assert len(ex.summary) == 5  # paragraph 4 runs over the page break and stays whole
    assert ex.summary[3].endswith("Summary paragraph 4.")
    assert _only_invented_council(ex)


def test_synthetic_2018_focused_visit_text() -> None:
    ex = _get("synthetic-eastbridge-2018-11-focused-visit.txt")
    assert (ex.type, ex.local_authority) == ("focused visit", "Eastbridge")
    assert ex.date_ranges == [(D(2018, 11, 20), D(2018, 11, 21))]
    # 'The inspectors were Her Majesty’s Inspectors A and B.' - the title is not part of a name
    assert ex.inspectors == ["Ruth Oliver", "Marcus Hale"]
    assert ex.afi_heading_raw == "What needs to improve in practice"
    assert [a.text for a in ex.areas] == [
        "The quality of child in need plans, so that they are specific, measurable and time-bound.",
        "Management oversight of children’s cases, so that drift is identified early.",
    ]
    assert [s.heading for s in ex.sections] == ["Findings"] and len(ex.sections[0].paragraphs) == 2
    assert len(ex.summary) == 2
    assert _only_invented_council(ex)


def test_synthetic_jtai_letter_text() -> None:
    ex = _get("synthetic-westmarsh-2024-03-jtai.txt")
    assert (ex.type, ex.local_authority) == ("joint targeted area inspection", "Westmarsh")
    assert ex.date_ranges == [(D(2024, 3, 4), D(2024, 3, 8))]
    assert ex.lead_inspector == "Jo Reynolds"
    assert [a.text for a in ex.areas] == [
        "Information-sharing between health services and the police when children attend emergency departments with injuries.",
        "The quality of return home interviews for children who go missing.",
    ]
    assert [s.heading for s in ex.sections] == ["Strengths", "Main findings", "Next steps"]
    assert _only_invented_council(ex)
    assert ex.to_findings(D(2026, 1, 1)).type == "jtai"


def test_unread_improvement_heading_is_a_warning(tmp_path: Path) -> None:
    text = (FIXTURES / "synthetic-eastbridge-2018-11-focused-visit.txt").read_text(encoding="utf-8")
    report = tmp_path / "letter.txt"
    report.write_text(text.replace("What needs to improve in practice", "Areas for development"), encoding="utf-8")
    ex = import_report(report)
    assert any("'Areas for development' looks like a heading for areas for improvement" in w for w in ex.warnings)


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("7 and 8 June 2022. This was the first monitoring visit", "7 and 8 June 2022"),
        ("30 September 2024 to 11 October 2024", "30 September 2024 to 11 October 2024"),
        ("28 November to 2 December 2022 and it found", "28 November to 2 December 2022"),
        ("6 to 8 March and 20 to 22 March 2024", "6 to 8 March and 20 to 22 March 2024"),
        ("next week", None),
    ],
)
def test_date_list_prefix(text: str, prefix: str | None) -> None:
    assert date_list_prefix(text) == prefix


def test_more_date_styles() -> None:
    assert parse_date_ranges("30 September 2024 to 11 October 2024") == [(D(2024, 9, 30), D(2024, 10, 11))]
    assert parse_date_ranges("28 November to 2 December 2022") == [(D(2022, 11, 28), D(2022, 12, 2))]
    assert parse_date_ranges("30 September and 1 October 2024") == [(D(2024, 9, 30), D(2024, 10, 1))]


@pytest.mark.parametrize(
    "stem",
    ["synthetic-northmoor-2024-02-monitoring-visit", "synthetic-northmoor-2024-10-focused-visit-priority", "synthetic-southfleet-2019-11-full-inspection"],
)
def test_synthetic_docx_reads_like_its_pdf(stem: str) -> None:
    pdf, word = _get(stem + ".pdf"), _get(stem + ".docx")
    assert (word.type, word.local_authority, word.date_ranges, word.inspectors) == (pdf.type, pdf.local_authority, pdf.date_ranges, pdf.inspectors)
    assert [(a.text, a.priority) for a in word.areas] == [(a.text, a.priority) for a in pdf.areas]
    assert [s.heading for s in word.sections] == [s.heading for s in pdf.sections]
    assert [len(s.paragraphs) for s in word.sections] == [len(s.paragraphs) for s in pdf.sections]
