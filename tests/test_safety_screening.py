"""No child-level data reaches a document: every text that flows from the workbook, the tracker or a
findings file is screened, and a hit stops the run at its cell or line without repeating the identifier."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import INPUTS, SHARED_REPORTS, run_cli
from selfeval.errors import ErrorList, InputError
from selfeval.safety.personal_data import identifier_rule, looks_personal, nhs_number_is_valid

NHS = "943 476 5919"  # a valid modulus-11 NHS number (the NHS's own example)
TRACKER = "improvement-plan-tracker.xlsx"


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example inputs with a tracker written by 'plan export', as a council would have them."""
    folder = tmp_path_factory.mktemp("council") / "inputs"
    shutil.copytree(INPUTS, folder)
    result = run_cli("plan", "export", "--inputs", str(folder))
    assert result.code == 0, result.output
    return folder


def _copy(council: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    shutil.copytree(council, folder)
    return folder


def _type_in_tracker(folder: Path, cell: str, text: str) -> None:
    wb = openpyxl.load_workbook(folder / TRACKER)
    ws = wb["Actions"]
    ws[cell] = text
    wb.save(folder / TRACKER)


def _progress_cell(folder: Path) -> str:
    ws = openpyxl.load_workbook(folder / TRACKER)["Actions"]
    for row in ws.iter_rows():
        for c in row:
            if c.value == "Progress update":
                return f"{c.column_letter}{c.row + 1}"
    raise AssertionError("no Progress column")


def test_an_nhs_number_typed_into_the_tracker_stops_generate_at_its_cell(council: Path, tmp_path: Path) -> None:
    folder = _copy(council, tmp_path)
    cell = _progress_cell(folder)
    _type_in_tracker(folder, cell, f"Reviewed the case of the child with NHS no {NHS} in supervision")
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(folder), "--out", str(out), "--public")
    assert result.code == 2, result.output
    message = " ".join(result.stderr.split())
    assert f"{TRACKER}!Actions!{cell}: this looks like an NHS number" in message
    assert NHS not in result.output and NHS.replace(" ", "") not in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.glob("*.docx"))


def test_plan_export_refuses_the_tracker_too(council: Path, tmp_path: Path) -> None:
    folder = _copy(council, tmp_path)
    _type_in_tracker(folder, "B40", "Placement at 12 Acacia Road, SE11 5QY")
    before = (folder / TRACKER).read_bytes()
    result = run_cli("plan", "export", "--inputs", str(folder))
    assert result.code == 2, result.output
    assert f"{TRACKER}!Actions!B40: this looks like a postcode" in " ".join(result.stderr.split())
    assert "SE11 5QY" not in result.output
    assert (folder / TRACKER).read_bytes() == before


def test_an_indicator_name_with_a_date_of_birth_is_refused(council: Path, tmp_path: Path) -> None:
    folder = _copy(council, tmp_path)
    wb = openpyxl.load_workbook(folder / "performance.xlsx")
    wb["Indicators"]["B3"] = "Re-referrals (Jayden, DOB 02/03/2014)"
    wb.save(folder / "performance.xlsx")
    result = run_cli("validate", str(folder))
    assert result.code == 2, result.output
    assert "performance.xlsx!Indicators!B3: this looks like a date of birth" in " ".join(result.stderr.split())
    assert "02/03/2014" not in result.output


def test_a_findings_file_with_a_national_insurance_number_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS / "findings", folder / "findings")
    path = sorted((folder / "findings").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("notes: Checked with the mother, NI number QQ 12 34 56 C, at the visit")
    lines[-1] = lines[-1].replace("QQ", "AB")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", str(folder))
    assert result.code == 2, result.output
    assert f"{path.name}:{len(lines)}:8: this looks like a National Insurance number" in " ".join(result.stderr.split())
    assert "AB 12 34 56 C" not in result.output


def test_a_heading_far_down_any_sheet_is_found(council: Path, tmp_path: Path) -> None:
    folder = _copy(council, tmp_path)
    wb = openpyxl.load_workbook(folder / "performance.xlsx")
    ws = wb.create_sheet("Notes")
    ws["C45"] = "Name (child)"
    wb.save(folder / "performance.xlsx")
    result = run_cli("validate", str(folder))
    assert result.code == 2, result.output
    assert "performance.xlsx!Notes!C45: the heading 'Name (child)' names a personal identifier" in " ".join(result.stderr.split())


@pytest.mark.parametrize("heading", ["Name (child)", "Young person", "Placement address", "Child", "Name [young person]", "Carer's postcode"])
def test_more_headings_that_name_a_person(heading: str) -> None:
    assert looks_personal(heading)


@pytest.mark.parametrize(
    "text, rule",
    [
        ("943 476 5919", "an NHS number"), ("9434765919", "an NHS number"), ("AB123456C", "a National Insurance number"),
        ("ab 12 34 56 c", "a National Insurance number"), ("H801200001001", "a unique pupil number (UPN)"),
        ("SW1A 1AA", "a postcode"), ("lives at se11 5qy", "a postcode"), ("M12WD", "a postcode"),
        ("born 02/03/2014", "a date of birth"), ("DOB: 2014-03-02", "a date of birth"), ("d.o.b. 2 March 2014", "a date of birth"),
        ("Date of birth 2nd March 2014", "a date of birth"), ("02/03/2014 (DOB)", "a date of birth"),
    ],
)
def test_each_identifier_rule(text: str, rule: str) -> None:
    assert identifier_rule(text) == rule


@pytest.mark.parametrize(
    "text",
    [
        "Inspection 12/01/2026", "inspection dates: 12/01/2026 to 23/01/2026", "Q1 2025/26", "2024-25", "Re-referrals within 12 months",
        "9434765918",  # fails the modulus-11 check
        "0207 926 1000", "Telephone 020 7926 1000", "LAM-2026-03", "CIN12AB", "Outcome 3, national framework", "NI 62",
        "E06000010", "810", "ILACS 2023", "Babies born in 2024 are counted", "children born after the reforms",
        "The 2023-24 figure was 19.8%", "Ofsted's framework from January 2023",
    ],
)
def test_ordinary_figures_and_dates_are_not_mistaken_for_identifiers(text: str) -> None:
    assert identifier_rule(text) is None, text


def test_the_example_and_real_reports_pass(tmp_path: Path) -> None:
    """The embedded example (two findings files, a workbook) and a real imported report are clean."""
    result = run_cli("validate", str(INPUTS))
    assert result.code == 0, result.output
    if not SHARED_REPORTS.is_dir():
        pytest.skip(f"shared reports folder {SHARED_REPORTS} is absent (CI has it)")
    report = sorted(SHARED_REPORTS.glob("*.pdf"))[0]
    out = tmp_path / "inputs" / "findings" / "report.yaml"
    out.parent.mkdir(parents=True)
    assert run_cli("import", str(report), "-o", str(out)).code in (0, 1), "import"
    result = run_cli("validate", str(out.parents[1]))
    assert "personal" not in result.output, result.output


# -- the property: random identifiers in random cells ---------------------------------------------

def _nhs(digits: list[int]) -> str | None:
    total = sum(d * w for d, w in zip(digits, range(10, 1, -1)))
    check = (11 - total % 11) % 11
    if check == 10:
        return None
    number = "".join(map(str, digits)) + str(check)
    return number if nhs_number_is_valid(number) else None


_letters = st.sampled_from("ABCEGHJKLMNPRSTWXYZ")
nhs_numbers = st.lists(st.integers(0, 9), min_size=9, max_size=9).map(_nhs).filter(lambda n: n is not None).map(
    lambda n: f"{n[:3]} {n[3:6]} {n[6:]}"
)
ni_numbers = st.tuples(_letters, _letters, st.integers(0, 999999), st.sampled_from("ABCD")).filter(
    lambda t: t[0] + t[1] not in {"GB", "BG", "NK", "KN", "TN", "NT", "ZZ"}
).map(lambda t: f"{t[0]}{t[1]}{t[2]:06d}{t[3]}")
upns = st.tuples(_letters, st.integers(0, 10**12 - 1)).map(lambda t: f"{t[0]}{t[1]:012d}")
_inward = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")
postcodes = st.tuples(st.sampled_from(["SE11", "M1", "B33", "LS6", "W1A", "EC1V", "CR0", "N17"]), st.integers(0, 9), _inward, _inward).map(
    lambda t: f"{t[0]} {t[1]}{t[2]}{t[3]}"
)
dobs = st.tuples(st.sampled_from(["DOB", "born", "date of birth:", "D.O.B."]), st.dates(min_value=__import__("datetime").date(2000, 1, 1))).map(
    lambda t: f"{t[0]} {t[1]:%d/%m/%Y}"
)
identifiers = st.one_of(nhs_numbers, ni_numbers, upns, postcodes, dobs)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    identifier=identifiers,
    target=st.sampled_from(["performance.xlsx", TRACKER]),
    row=st.integers(1, 60),
    col=st.integers(1, 30),
    prefix=st.sampled_from(["", "Update: ", "Reviewed - ", "("]),
)
def test_a_random_identifier_in_a_random_cell_stops_the_run(
    council: Path, tmp_path_factory: pytest.TempPathFactory, identifier: str, target: str, row: int, col: int, prefix: str
) -> None:
    from typer.testing import CliRunner

    from selfeval.cli import app

    folder = tmp_path_factory.mktemp("prop") / "inputs"
    shutil.copytree(council, folder)
    wb = openpyxl.load_workbook(folder / target)
    ws = wb[wb.sheetnames[(row + col) % len(wb.sheetnames)]]
    ws.cell(row=row, column=col, value=f"{prefix}{identifier}")
    wb.save(folder / target)
    out = folder.parent / "outputs"
    result = CliRunner().invoke(app, ["generate", "--inputs", str(folder), "--out", str(out), "--public"])
    assert result.exit_code == 2, result.output
    assert identifier not in result.output and identifier.replace(" ", "") not in result.output
    assert "personal data" in result.output
    assert not out.exists() or not any(out.iterdir())
