"""No child-level data: a workbook with columns that look like personal identifiers is refused,
through the real CLI, with a message explaining that selfeval takes aggregate figures only."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import INPUTS, run_cli
from selfeval.errors import ErrorList, InputError
from selfeval.safety.personal_data import check_workbook_file, looks_personal

INDICATORS = [
    ["ID", "Name", "Judgement area", "Framework ref", "Unit", "Polarity", "Decimals", "Target", "Tolerance", "Key", "Internal"],
    ["RE-REF", "Re-referrals within 12 months", "help_and_protection", "outcome 1", "%", "lower is better", 1, None, None, "yes", "no"],
]
DATA = [["ID", "Indicator", "2023-24", "2024-25"], ["RE-REF", "Re-referrals", 19.8, 18.6]]


def workbook(path: Path, **extra_sheets: list[list]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in {"Indicators": INDICATORS, "Data": DATA, **extra_sheets}.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    (folder / "findings").mkdir(parents=True)
    shutil.copy(sorted((INPUTS / "findings").glob("*.yaml"))[0], folder / "findings")
    return folder


def test_validate_refuses_a_workbook_with_a_date_of_birth_column(inputs: Path) -> None:
    workbook(
        inputs / "performance.xlsx",
        Children=[["Child ID", "Date of birth", "Legal status"], ["C123456", "2012-04-01", "C2"]],
    )
    result = run_cli("validate", str(inputs))
    assert result.code == 2, result.output
    message = " ".join(result.stderr.split())
    assert "performance.xlsx!Children!A1:" in message and "performance.xlsx!Children!B1:" in message
    assert "the heading 'Child ID' names a personal identifier" in message
    assert "selfeval takes aggregate figures only" in message and "never child-level data" in message
    assert "Traceback" not in result.output


def test_generate_refuses_it_too_and_writes_nothing(inputs: Path, tmp_path: Path) -> None:
    data = [row + extra for row, extra in zip(DATA, [["Date of Birth (DD/MM/YYYY)"], ["01/04/2012"]])]
    workbook(inputs / "performance.xlsx", Data=data)
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 2, result.output
    assert "performance.xlsx!Data!E1:" in result.stderr
    assert "aggregate figures only" in " ".join(result.stderr.split())
    assert not out.exists() or not list(out.glob("*.docx"))


def test_a_heading_below_a_title_row_is_found(tmp_path: Path) -> None:
    path = workbook(tmp_path / "p.xlsx", Extract=[["Export from case system, 3 March 2025"], [], ["Forename", "Surname", "NHS number"]])
    with pytest.raises(ErrorList, match="aggregate figures only") as info:
        check_workbook_file(path)
    assert [e.location.cell for e in info.value.errors] == ["Extract!A3", "Extract!B3", "Extract!C3"]


@pytest.mark.parametrize(
    "heading",
    ["Name of child", "Child name", "Child's name", "Young person's name", "First name", "Surname", "Full name", "DOB", "D.O.B.",
     "Date of birth", "Date of Birth (dd/mm/yyyy)", "Child ID", "child_id", "Person ID", "LCS ID", "Mosaic ID", "UPN",
     "Unique Pupil Number", "NHS number", "NHS No.", "NI number", "National Insurance number", "Postcode", "Home address",
     "Address line 1", "Case number"],
)
def test_headings_that_name_a_personal_identifier(heading: str) -> None:
    assert looks_personal(heading), heading


@pytest.mark.parametrize(
    "heading",
    ["Name", "Indicator", "ID", "Judgement area", "Framework ref", "Unit", "Target", "Definition", "Source", "Comparator",
     "Number of children in care", "Children in care", "Care leavers in touch", "2024-25", "Q1 2025/26", "Numerator",
     "Denominator", "Measure", "Gender", "Age group", "Ethnicity",
     "Do not put any child's name, date of birth or NHS number in this workbook."],
)
def test_aggregate_headings_are_not_mistaken_for_personal_data(heading: str) -> None:
    assert not looks_personal(heading), heading


def test_the_example_and_the_scaffolded_workbooks_pass(tmp_path: Path) -> None:
    from selfeval.scaffold.workbook_template import build_workbook

    check_workbook_file(INPUTS / "performance.xlsx")
    build_workbook(tmp_path / "performance.xlsx")
    check_workbook_file(tmp_path / "performance.xlsx")


def test_an_instructions_sheet_may_talk_about_personal_data(tmp_path: Path) -> None:
    path = workbook(tmp_path / "p.xlsx", Instructions=[["Never enter names, dates of birth or NHS numbers."], ["Child name: never"]])
    check_workbook_file(path)


@pytest.mark.parametrize("sheet", ["Notes", "Guidance", "Help", "About", "Readme", "Instructions"])
def test_a_sheet_is_not_skipped_because_of_its_name(tmp_path: Path, sheet: str) -> None:
    path = workbook(tmp_path / "p.xlsx", **{sheet: [["Anything about this sheet"], ["Child name", "Legal status"]]})
    with pytest.raises(InputError) as info:
        check_workbook_file(path)
    assert info.value.location.cell == f"{sheet}!A2"
