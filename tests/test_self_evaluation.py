"""The self-evaluation a head of service opens: read back and checked as they would check it."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
import yaml
from docx.oxml.ns import qn

from conftest import INPUTS, docx_text
from docx_reading import (
    body_blocks,
    cell_fill,
    comment_anchors,
    comment_texts,
    headings,
    highlighted_runs,
    open_docx,
    table_after_heading,
    table_rows,
    visible_text,
)

AREAS_IN_ORDER = [
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "The impact of leaders on social work practice with children and families",
]
QUESTIONS = [
    "What do we know about the quality and impact of practice?",
    "How do we know?",
    "What are we doing next?",
]


@pytest.fixture(scope="module")
def sef(example_outputs):
    return open_docx(example_outputs / "self-evaluation.docx")


def test_headings_follow_ofsteds_three_questions_for_each_judgement_area(sef):
    expected = [
        (1, "1. Context and summary of judgements"),
        (2, "What Ofsted found"),
        (2, "Our local context"),
        (2, "Latest inspection"),
        (2, "Inspections and visits"),
        (2, "Our improvement journey"),
        (1, "2. Quality and impact of practice"),
    ]
    for area in AREAS_IN_ORDER:
        expected.append((2, area))
        expected += [(3, q) for q in QUESTIONS]
    expected.append((1, "3. Progress since the last inspection"))
    found = headings(sef)
    level_1 = [h for h in found if h[0] == 1]
    assert [t for _, t in level_1] == [
        "1. Context and summary of judgements",
        "2. Quality and impact of practice",
        "3. Progress since the last inspection",
        "4. The National Framework",
        "5. Performance overview",
        "6. Our plans for the next 12 months",
        "About this draft",
    ]
    assert found[: len(expected)] == expected


def _section_text(sef, title: str) -> str:
    """Everything (paragraphs and tables) from the Heading 2 ``title`` up to the next Heading 1 or 2."""
    from docx.text.paragraph import Paragraph

    collecting, parts = False, []
    for child in sef.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, sef._body)
            level = p.style.name if p.style is not None else ""
            if level in ("Heading 1", "Heading 2"):
                if collecting:
                    break
                collecting = p.text == title and level == "Heading 2"
        if collecting:
            parts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
    assert parts, f"no section headed {title!r}"
    return "\n".join(parts)


def _afis(name: str) -> list[dict]:
    return yaml.safe_load((INPUTS / "findings" / name).read_text(encoding="utf-8"))["areas_for_improvement"]


def test_every_lambeth_area_for_improvement_sits_under_its_judgement_area(sef):
    from selfeval.framework_refs import text_without_refs as afi_text_without_ref
    from selfeval.facts import judgement_areas

    # The 2026 areas; the 2023 visit's were closed by the 2026 inspection (see test_lambeth_journey).
    for name in ("lambeth-2026-01-full-inspection.yaml",):
        for afi in _afis(name):
            section = _section_text(sef, judgement_areas()[afi["judgement_area"]].title)
            assert afi_text_without_ref(afi["text"]) in section, afi["id"]


def test_the_2026_areas_cite_their_paragraphs_and_the_safety_outcome_numbered_as_today(sef):
    # Lambeth printed "outcome 3" in January 2026 (the December 2023 numbering); the SEF, drafted
    # after 2 March 2026, numbers the safety outcome 2 and names it.
    text = docx_text_from(sef)
    assert "return home interviews for children who go missing from care. [Outcome 2: Children and young people are safe in and outside of their homes] (January 2026 inspection, paragraph 35)" in text


def docx_text_from(doc) -> str:
    return "\n".join(body_blocks(doc))


def test_summary_of_judgements_shows_the_grades_and_a_self_assessment_column(sef):
    rows = table_rows(table_after_heading(sef, "Latest inspection"))
    assert rows[0] == ["Judgement", "Ofsted grade", "Our self-assessed grade now"]
    grades = {r[0]: r[1] for r in rows[1:]}
    assert grades["The experiences and progress of care leavers"] == "Outstanding"
    assert grades["The experiences and progress of children who need help and protection"] == "Requires improvement to be good"
    assert grades["Overall effectiveness"] == "Good"
    assert all(r[2].startswith("[To complete:") for r in rows[1:])


def _workbook_latest() -> dict[str, tuple[str, float]]:
    """Straight from the spreadsheet, independently of selfeval's loader: the last filled period."""
    wb = openpyxl.load_workbook(INPUTS / "performance.xlsx", data_only=True)
    ws = wb["Data"]
    rows = list(ws.iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if r and r[0] == "ID")
    periods = rows[header_index][2:]
    latest = {}
    for r in rows[header_index + 1 :]:
        if not r or not r[0]:
            continue
        filled = [(p, v) for p, v in zip(periods, r[2:]) if v is not None]
        if filled:
            latest[r[1]] = filled[-1]
    return latest


def test_kpi_table_values_equal_the_workbook(sef):
    rows = table_rows(table_after_heading(sef, "5. Performance overview"))
    by_name = {r[0]: r for r in rows[1:]}
    latest = _workbook_latest()
    assert len(latest) >= 15
    for name, (period, value) in latest.items():
        row = by_name[name]
        shown = row[1].split("\n")[0]
        number = float(shown.rstrip("%").replace(",", "").split()[0])
        assert number == pytest.approx(value, abs=0.051), name
        assert str(period) in row[1], name


def test_indicators_without_council_values_say_no_data_yet(sef):
    rows = table_rows(table_after_heading(sef, "5. Performance overview"))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Contacts received"][1].startswith("no data yet")


def test_rag_cells_are_shaded_in_their_colour(sef):
    table = table_after_heading(sef, "5. Performance overview")
    colours = {"Red": "F4A6A6", "Amber": "FFD966", "Green": "A9D18E"}
    seen = set()
    for row in table.rows[1:]:
        rag_cell = row.cells[-1]
        if rag_cell.text in colours:
            assert cell_fill(rag_cell) == colours[rag_cell.text], row.cells[0].text
            seen.add(rag_cell.text)
    assert {"Green", "Amber"} <= seen


def test_missing_evidence_is_a_highlighted_placeholder_with_a_comment(sef):
    markers = [r for r in highlighted_runs(sef) if r.startswith("[To complete:")]
    assert len(markers) >= 10
    assert "[To complete: our local context: population, deprivation, demand, service structure and any recent changes of leadership]" in markers
    assert comment_anchors(sef) == len(markers)
    comments = comment_texts(sef)
    assert len(comments) == len(markers)
    assert any("Ofsted looks for evidence of impact" in c for c in comments)


def test_no_template_tags_remain_anywhere(example_outputs):
    text = docx_text(example_outputs / "self-evaluation.docx")
    assert "{{" not in text and "{%" not in text


def test_word_features_properties_toc_and_page_numbers(sef):
    props = sef.core_properties
    assert props.title == "Lambeth: Self-evaluation of children's social care practice"
    assert props.author == "Lambeth"
    assert props.subject and props.created and props.modified
    settings = sef.settings.element
    update = settings.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    instr = " ".join(t.text for t in sef.element.body.iter(qn("w:instrText")))
    assert "TOC" in instr
    footer_instr = " ".join(t.text for t in sef.sections[0].footer._element.iter(qn("w:instrText")))
    assert "PAGE" in footer_instr
    cover = [p.text for p in sef.paragraphs[:12]]
    assert "Lambeth" in cover and "Self-evaluation of children's social care practice" in cover
    assert any(t.startswith("DRAFT") for t in cover)


def test_charts_have_alt_text_with_the_same_numbers_as_the_table(sef):
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    descriptions = [d.get("descr") for d in sef.element.body.iter(f"{{{wp}}}docPr")]
    assert descriptions and all(descriptions)
    re_ref = next(d for d in descriptions if "Re-referrals" in d)
    assert "2025-26 Q2 18.3" in re_ref


def test_focused_visit_areas_show_suggested_refs(tmp_path):
    from conftest import INPUTS, run_cli

    # The council keeps the 2023 visit's areas open, so they are listed with their suggested refs.
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    visit = inputs / "findings" / "lambeth-2023-08-focused-visit.yaml"
    visit.write_text(re.sub(r"(  - id: LAM-2023-0\d\n)", r"\1    status: open\n", visit.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(tmp_path / "out"))
    assert result.code == 0, result.output
    text = docx_text_from(open_docx(tmp_path / "out" / "self-evaluation.docx"))
    assert "Police response to children who go missing" in text
    assert "[Outcome 2: Children and young people are safe in and outside of their homes (suggested)]" in text
    assert "a person confirms one by setting confirmed: true" in text


def test_progress_section_links_the_2023_missing_area_to_return_home_interviews(sef):
    blocks = body_blocks(sef)
    start = blocks.index("3. Progress since the last inspection")
    end = blocks.index("4. The National Framework")
    section = "\n".join(blocks[start:end])
    assert "LAM-2023-03" in section and "LAM-2026-03" in section
    assert "missing" in section
    # The related indicators' change: the indicator on the same theme comes first.
    entry = section.split("\nLAM-2023-03: ", 1)[1].split("\nLAM-2023-04: ", 1)[0]
    related = entry.split("Related indicators: ", 1)[1]
    assert related.startswith("Children looked after who went missing: ")
    assert ".." not in section


def test_findings_from_two_ilacs_eras_all_appear_under_the_latest_frameworks_areas(tmp_path):
    """A 2019 inspection (one judgement for children in care and care leavers) and a 2024 visit."""
    from conftest import run_cli

    findings = tmp_path / "inputs" / "findings"
    findings.mkdir(parents=True)
    (findings / "2019.yaml").write_text(
        "local_authority: Testshire\ntype: full inspection\ninspection_dates: [{start: 2019-03-04, end: 2019-03-15}]\n"
        "judgements: {impact_of_leaders: Good, help_and_protection: Good, children_in_care_and_care_leavers: Requires improvement, overall_effectiveness: Good}\n"
        "areas_for_improvement:\n  - {id: O-1, text: Pathway plans for care leavers., judgement_area: children_in_care_and_care_leavers}\n"
        "strengths:\n  - {text: Foster carers are well supported., judgement_area: children_in_care_and_care_leavers}\n",
        encoding="utf-8",
    )
    (findings / "2024.yaml").write_text(
        "local_authority: Testshire\ntype: focused visit\ninspection_dates: [{start: 2024-05-01, end: 2024-05-02}]\n"
        "areas_for_improvement:\n  - {id: V-1, text: Stability of homes for children in care., judgement_area: children_in_care}\n"
        "  - {id: V-2, text: Support for care leavers in custody., judgement_area: care_leavers}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--inputs", str(tmp_path / "inputs"), "--out", str(out))
    assert result.code == 0, result.output
    sef = open_docx(out / "self-evaluation.docx")
    combined = _section_text(sef, "The experiences and progress of children in care and care leavers")
    for text in ("Pathway plans for care leavers.", "Stability of homes for children in care.", "Support for care leavers in custody.", "Foster carers are well supported."):
        assert text in combined, text


def test_the_contents_page_lists_the_headings_in_any_viewer_and_word_still_refreshes_it(sef):
    """A director previewing the draft in a browser or LibreOffice sees the contents, not a note that
    Word would fill them in; Word replaces the same entries with page numbers when it opens the file."""
    from docx_reading import is_contents_entry

    body = sef.element.body
    entries = [visible_text(p) for p in body.iter(qn("w:p")) if is_contents_entry(p)]
    headings = [
        visible_text(p) for p in body.iter(qn("w:p"))
        if p.pPr is not None and p.pPr.pStyle is not None and p.pPr.pStyle.val in ("Heading1", "Heading2", "Heading3")
        and visible_text(p).strip()
    ]
    assert entries == headings and "1. Context and summary of judgements" in entries
    assert "Word fills in the table of contents" not in docx_text_of_body(sef)
    begin = next(f for f in body.iter(qn("w:fldChar")) if f.get(qn("w:fldCharType")) == "begin")
    assert begin.get(qn("w:dirty")) == "true", "Word refreshes the contents (and their page numbers) on opening"


def docx_text_of_body(doc) -> str:
    return "\n".join(visible_text(p) for p in doc.element.body.iter(qn("w:p")))
