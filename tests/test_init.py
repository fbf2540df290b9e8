"""`selfeval init`: a performance officer sets up a new working folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import docx_text, run_cli
from selfeval.analyse.indicators import analyse
from selfeval.load.workbook import load_workbook
from selfeval.models.findings import Findings
from selfeval.render.registry import template_names
from selfeval.scaffold import FINDINGS_TEMPLATE_NAME


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("council")
    result = run_cli("init", str(target / "work"))
    assert result.code == 0, result.output
    return target / "work"


def test_init_creates_the_inputs_and_a_copy_of_the_templates(folder):
    assert (folder / "inputs" / "performance.xlsx").is_file()
    assert (folder / "inputs" / "findings" / FINDINGS_TEMPLATE_NAME).is_file()
    assert sorted(p.name for p in (folder / "templates").glob("*.docx")) == ["board-summary.docx", "improvement-plan.docx", "self-evaluation.docx"]


def test_init_never_overwrites_a_file(folder, tmp_path):
    workbook = folder / "inputs" / "performance.xlsx"
    before = workbook.read_bytes()
    result = run_cli("init", str(folder))
    assert result.code == 0
    assert "skipped" in result.stdout and "created" not in result.stdout
    assert workbook.read_bytes() == before


def test_init_into_a_file_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = run_cli("init", "notes.txt", cwd=tmp_path)
    assert result.code != 0 and "Traceback" not in result.output


def test_the_template_workbook_has_the_standard_indicators_and_published_comparators(folder):
    data = load_workbook(folder / "inputs" / "performance.xlsx")
    assert len(data.indicators) == 29
    assert data.observations == []  # council values left blank
    re_ref = data.indicator("RE-REF")
    assert (re_ref.unit, re_ref.polarity, re_ref.judgement_area, re_ref.framework_refs) == ("%", "lower is better", "help_and_protection", ["outcome 1"])
    england = {c.period.label: c.value for c in data.comparators_for("RE-REF") if c.kind == "england"}
    assert england == {"2022-23": 22.4, "2023-24": 22.4, "2024-25": 22.6}
    # Without --council selfeval does not know the region: no other council's region is pre-filled.
    assert [c for c in data.comparators if c.kind != "england"] == []
    assert data.comparators_for("CONTACTS") == []  # not published nationally
    assert all(c.source and any(y in c.source for y in ("2023", "2024", "2025")) for c in data.comparators)
    assert {s.latest_text for s in analyse(data)} == {"no data yet"}


def test_the_template_workbook_helps_the_user_in_excel(folder):
    wb = openpyxl.load_workbook(folder / "inputs" / "performance.xlsx")
    assert wb.sheetnames[:4] == ["Instructions", "Indicators", "Data", "Comparators"]
    ind = wb["Indicators"]
    assert ind.freeze_panes == "C3" and wb["Data"].freeze_panes == "C3"
    assert "IndicatorsTable" in ind.tables and "DataTable" in wb["Data"].tables
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ind.data_validations.dataValidation if dv.type == "list"}
    assert set(lists) >= {"C3", "D3", "E3", "F3"}  # judgement area, framework ref, unit, polarity drop-downs
    assert wb["Lists"].sheet_state == "hidden"


def test_the_findings_template_is_valid_once_copied_and_filled_in(folder):
    text = (folder / "inputs" / "findings" / FINDINGS_TEMPLATE_NAME).read_text(encoding="utf-8")
    Findings.model_validate(yaml.safe_load(text))


def test_init_then_generate_gives_documents_with_a_kpi_table_saying_no_data_yet(folder, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(folder, work)
    # The officer copies the findings template to a real findings file (as its header comment says).
    shutil.copy(work / "inputs" / "findings" / FINDINGS_TEMPLATE_NAME, work / "inputs" / "findings" / "example-2026-01.yaml")
    result = run_cli("generate", cwd=work)
    assert result.code == 0, result.output
    docs = sorted((work / "outputs").glob("*.docx"))
    assert [d.name for d in docs] == sorted(template_names())
    texts = {doc.name: docx_text(doc) for doc in docs}
    assert "no data yet" in texts["self-evaluation.docx"] and "Re-referrals within 12 months" in texts["self-evaluation.docx"]
    # The plan lists the indicators linked to the area for improvement's framework ref (outcome 3).
    assert "no data yet" in texts["improvement-plan.docx"] and "Section 47 enquiries rate" in texts["improvement-plan.docx"]


def test_init_then_generate_straight_away_works_with_placeholders(folder, tmp_path):
    """The acceptance story exactly: init into an empty folder, then generate there, nothing else."""
    work = tmp_path / "fresh"
    shutil.copytree(folder, work)
    result = run_cli("generate", cwd=work)
    assert result.code == 0, result.output
    assert "no findings files found" in result.stderr  # said once, as a warning
    plan = docx_text(work / "outputs" / "improvement-plan.docx")
    sef = docx_text(work / "outputs" / "self-evaluation.docx")
    assert "no data yet" in plan and "no data yet" in sef
    assert "[To complete: the latest inspection" in sef


def test_templates_edited_in_an_init_folder_are_used_without_any_option(folder, tmp_path):
    from docx import Document

    work = tmp_path / "ours"
    shutil.copytree(folder, work)
    board = work / "templates" / "board-summary.docx"
    doc = Document(str(board))
    doc.add_paragraph("Presented by the Director of Children's Services.")
    doc.save(str(board))
    result = run_cli("generate", cwd=work)
    assert result.code == 0, result.output
    assert "using your templates in templates" in result.stdout
    assert "Presented by the Director of Children's Services." in docx_text(work / "outputs" / "board-summary.docx")
