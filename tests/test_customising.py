"""A council makes the documents its own: edits a template in Word, confirms a suggested ref."""

from __future__ import annotations

import shutil

from docx import Document

from conftest import INPUTS, docx_text, run_cli


def test_a_reworded_template_is_used_and_the_others_fall_back_to_the_defaults(tmp_path):
    templates = tmp_path / "our-templates"
    result = run_cli("templates", "export", str(templates))
    assert result.code == 0, result.output
    # Only the self-evaluation is customised: a heading reworded and a paragraph of our own added.
    (templates / "improvement-plan.docx").unlink()
    (templates / "board-summary.docx").unlink()
    doc = Document(str(templates / "self-evaluation.docx"))
    heading = next(p for p in doc.paragraphs if p.text == "Our local context")
    heading.runs[0].text = "About our borough"
    doc.add_paragraph("Prepared for {{ council }} by the performance team.")
    doc.save(str(templates / "self-evaluation.docx"))

    out = tmp_path / "out"
    result = run_cli("generate", "--inputs", str(INPUTS), "--out", str(out), "--templates", str(templates))
    assert result.code == 0, result.output
    text = docx_text(out / "self-evaluation.docx")
    assert "About our borough" in text and "Our local context" not in text
    assert "Prepared for Lambeth by the performance team." in text
    assert "Lambeth: improvement plan" in docx_text(out / "improvement-plan.docx")


def test_a_template_typo_is_reported_with_the_template_and_nothing_is_written(tmp_path):
    templates = tmp_path / "t"
    run_cli("templates", "export", str(templates))
    doc = Document(str(templates / "board-summary.docx"))
    doc.add_paragraph("{{ councill }}")
    doc.save(str(templates / "board-summary.docx"))
    out = tmp_path / "out"
    result = run_cli("generate", "--inputs", str(INPUTS), "--out", str(out), "--templates", str(templates))
    assert result.code == 2
    assert "board-summary.docx" in result.stderr and "councill" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.glob("*.docx"))


def test_confirming_a_suggested_ref_removes_the_suggested_marking(tmp_path):
    work = tmp_path / "inputs"
    shutil.copytree(INPUTS, work)
    visit = work / "findings" / "lambeth-2023-08-focused-visit.yaml"
    text = visit.read_text(encoding="utf-8")
    marker = "  - id: LAM-2023-03\n"
    assert marker in text
    text = text.replace(marker, marker + "    status: open\n    framework_refs:\n      - ref: outcome 3\n        source: suggested\n        confirmed: true\n", 1)
    # Kept open by the council (the 2026 inspection would otherwise close them), so they are in the plan.
    text = text.replace("  - id: LAM-2023-04\n", "  - id: LAM-2023-04\n    status: open\n", 1)
    visit.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("generate", "--inputs", str(work), "--out", str(out))
    assert result.code == 0, result.output
    doc = Document(str(out / "improvement-plan.docx"))
    rows: dict[str, list[str]] = {}
    for t in doc.tables:
        for r in t.rows:
            rows.setdefault(r.cells[0].text, [c.text for c in r.cells])  # the area's own row comes before its actions
    confirmed, suggested = rows["LAM-2023-03"][1], rows["LAM-2023-04"][1]
    assert "· Outcome 2 ·" in confirmed  # the numbering in force on the plan's date (safe: outcome 2 from 2 March 2026) and "suggested" not in confirmed
    assert "(suggested" in suggested
