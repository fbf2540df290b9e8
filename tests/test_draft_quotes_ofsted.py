"""A head of service imports a real Ofsted report and generates: the self-evaluation opens with the
report's own summary, quotes at least two of Ofsted's sentences for every judgement area with
their paragraph numbers, explains each area for improvement in the report's words, reads the
figures in a paragraph rather than a bullet per row, and prompts an honest self-assessed grade."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import INPUTS, REPO, docx_text, run_cli

REPORTS_DEV = REPO.parent / "shared" / "domain" / "reports-dev"


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path]:
    pdf = REPORTS_DEV / "coventry-2022-08-full-inspection.pdf"
    if not pdf.exists():
        pytest.skip("the development reports are not here")
    folder = tmp_path_factory.mktemp("coventry")
    inputs = folder / "inputs"
    (inputs / "findings").mkdir(parents=True)
    result = run_cli("import", str(pdf), "-o", str(inputs / "findings" / "coventry.yaml"))
    assert result.code == 0, result.output
    shutil.copy(INPUTS / "performance.xlsx", inputs / "performance.xlsx")
    out = folder / "outputs"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    return inputs / "findings" / "coventry.yaml", out / "self-evaluation.docx"


def test_the_summary_opens_section_one_verbatim(imported):
    from selfeval.load.findings import load_findings_file

    findings_path, docx = imported
    findings = load_findings_file(findings_path).findings
    text = docx_text(docx)
    section1 = _section(text, "1. Context and summary of judgements", "2. Quality and impact of practice")
    assert findings.summary
    for paragraph in findings.summary:
        assert " ".join(paragraph.split()) in section1
    assert section1.index(findings.summary[0][:60]) < section1.index("Our local context")


def test_every_judgement_area_quotes_at_least_two_of_ofsteds_sentences_with_paragraph_numbers(imported):
    from selfeval.load.findings import load_findings_file

    findings_path, docx = imported
    findings = load_findings_file(findings_path).findings
    paragraphs = {p.number: " ".join(p.text.split()) for s in findings.sections for p in s.paragraphs}
    text = docx_text(docx)
    practice = _section(text, "2. Quality and impact of practice", "3. Progress since the last inspection")
    for heading in ("children who need help and protection", "children in care", "impact of leaders"):
        block = practice.split(heading, 1)[1].split("Areas for improvement", 1)[0]
        quotes = re.findall(r"\u201c([^\u201d]+)\u201d \([A-Z][a-z]+ \d{4} inspection, paragraph (\d+)\)", block)
        assert len(quotes) >= 2, (heading, block[:400])
        for sentence, number in quotes:
            assert sentence in paragraphs[int(number)], (heading, number, sentence)
    assert "[To complete: strengths" not in practice


def test_figures_are_read_in_a_paragraph_and_each_area_has_a_grade_prompt(imported):
    _, docx = imported
    text = docx_text(docx)
    assert text.count("Over the last year,") >= 3
    assert text.count("What grade would we give today") >= 3
    assert "Ofsted judged this area" in text


@pytest.fixture(scope="module")
def imported_with_care_leavers_judged(tmp_path_factory) -> tuple[Path, Path]:
    """Wigan, October 2025: an inspection that judges care leavers on their own (outstanding)."""
    pdf = REPORTS_DEV / "wigan-2025-11-full-inspection.pdf"
    if not pdf.exists():
        pytest.skip("the development reports are not here")
    inputs = tmp_path_factory.mktemp("wigan") / "inputs"
    (inputs / "findings").mkdir(parents=True)
    result = run_cli("import", str(pdf), "-o", str(inputs / "findings" / "wigan.yaml"))
    assert result.code == 0, result.output
    out = inputs.parent / "outputs"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    return inputs / "findings" / "wigan.yaml", out / "self-evaluation.docx"


def test_the_care_leavers_section_quotes_ofsted_on_care_leavers(imported_with_care_leavers_judged):
    from selfeval.load.findings import load_findings_file

    findings_path, docx = imported_with_care_leavers_judged
    findings = load_findings_file(findings_path).findings
    paragraphs = {p.number: " ".join(p.text.split()) for s in findings.sections for p in s.paragraphs}
    care_leavers_paragraphs = {p.number for s in findings.sections if s.judgement_area == "care_leavers" for p in s.paragraphs}
    practice = _section(docx_text(docx), "2. Quality and impact of practice", "3. Progress since the last inspection")
    block = practice.split("The experiences and progress of care leavers", 1)[1].split("Areas for improvement", 1)[0]
    quotes = re.findall(r"\u201c([^\u201d]+)\u201d \(October 2025 inspection, paragraph (\d+)\)", block)
    assert len(quotes) >= 2, block[:400]
    for sentence, number in quotes:
        assert sentence in paragraphs[int(number)], (number, sentence)  # verbatim, from the paragraph cited
        assert int(number) in care_leavers_paragraphs, "quoted from the report's care leavers section"
    assert "[To complete: strengths" not in block
