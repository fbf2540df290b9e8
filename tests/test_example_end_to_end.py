"""A new user runs `selfeval generate` on the embedded example and gets real documents."""

from __future__ import annotations

import yaml
from docx import Document

from conftest import INPUTS, docx_text, run_cli

SAFE = "Children and young people are safe in and outside of their homes"


def _lambeth_areas(name: str) -> list[str]:
    data = yaml.safe_load((INPUTS / "findings" / name).read_text(encoding="utf-8"))
    return [a["text"] for a in data["areas_for_improvement"]]


def _without_ref(text: str) -> str:
    from selfeval.framework_refs import text_without_refs as afi_text_without_ref

    return afi_text_without_ref(text)


def test_generate_writes_all_three_documents(example_outputs):
    for name in ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"):
        path = example_outputs / name
        assert path.is_file() and path.stat().st_size > 10_000
        Document(str(path))  # opens cleanly


def test_improvement_plan_has_the_2026_areas_verbatim_under_the_safety_outcome_numbered_as_today(example_outputs):
    doc = Document(str(example_outputs / "improvement-plan.docx"))
    plan = doc.tables[-2] if len(doc.tables) > 2 else doc.tables[1]
    rows = {}
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if cells and cells[0].startswith("LAM-"):
                rows[cells[0]] = cells
    areas_2026 = _lambeth_areas("lambeth-2026-01-full-inspection.yaml")
    assert len(areas_2026) == 3
    for i, text in enumerate(areas_2026, start=1):
        area_words, source_line = rows[f"LAM-2026-0{i}"][1].split("\n")  # the area's row: its words whole, then where from
        assert area_words == _without_ref(text)
        assert " · Outcome 2 · " in source_line  # Lambeth printed "outcome 3"; from 2 March 2026 the safe outcome is 2
    assert any(p.text == f"Outcome 2: {SAFE}" for p in doc.paragraphs), "the ref's full title is in the key below the table"
    assert plan is not None


def test_improvement_plan_has_the_four_2023_focused_visit_areas(example_outputs):
    text = docx_text(example_outputs / "improvement-plan.docx")
    areas_2023 = _lambeth_areas("lambeth-2023-08-focused-visit.yaml")
    assert len(areas_2023) == 4
    for area in areas_2023:
        assert _without_ref(area) in text


def test_no_template_tags_are_left(example_outputs):
    for name in ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"):
        text = docx_text(example_outputs / name)
        assert "{{" not in text and "{%" not in text and "}}" not in text


def test_validate_accepts_the_example():
    result = run_cli("validate", str(INPUTS))
    assert result.code == 0, result.output
    assert "OK" in result.stdout


def test_version_and_help():
    from selfeval import __version__

    result = run_cli("--version")
    assert result.code == 0 and __version__ in result.stdout
    result = run_cli("--help")
    assert result.code == 0 and "generate" in result.stdout and "validate" in result.stdout
