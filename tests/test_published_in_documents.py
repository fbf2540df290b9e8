"""A Wigan performance lead sets up a folder with its council's published figures and gets a draft
whose tables name North West and the statistical neighbours' median: figures checked by hand
against DfE's raw CSVs."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

import published_by_hand as hand
from conftest import docx_text, run_cli
from selfeval.load.workbook import load_workbook

pytestmark = pytest.mark.skipif(not hand.DFE.is_dir(), reason="shared DfE data absent (CI has it)")
WIGAN = "359"


def pct(value: float) -> str:
    """As the documents print a percentage: one decimal, two for a half-way median (18.45)."""
    return f"{value:.1f}%" if round(value, 1) == round(value, 6) else f"{value:.2f}%"


@pytest.fixture(scope="module")
def wigan(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wigan") / "wigan"
    result = run_cli("init", str(folder), "--council", "Wigan")
    assert result.code == 0, result.output
    return folder


def generate(folder: Path) -> tuple[str, str]:
    result = run_cli("generate", cwd=folder)
    assert result.code == 0, result.output
    return docx_text(folder / "outputs" / "self-evaluation.docx"), result.stderr


def kpi_cells(text: str, name: str) -> list[str]:
    """The cells of the first KPI row for ``name`` (one paragraph each, as docx_text gives them)."""
    lines = text.splitlines()
    start = lines.index(name)
    return lines[start:start + 14]


def test_init_with_a_council_prefills_its_figures_region_and_neighbours(wigan: Path) -> None:
    data = load_workbook(wigan / "inputs" / "performance.xlsx")
    labels = {c.label for c in data.comparators}
    assert "North West" in labels and "London" not in labels
    assert {c.kind for c in data.comparators} == {"england", "region", "statistical_neighbours"}
    re_ref = {o.period.label: o.value for o in data.observations_for("RE-REF")}
    assert re_ref["2024-25"] == float(hand.council_rereferrals(WIGAN))
    sn = next(c for c in data.comparators_for("RE-REF") if c.kind == "statistical_neighbours" and c.period.label == "2024-25")
    assert sn.value == hand.sn_median_rereferrals(WIGAN)[0]
    assert (wigan / "inputs" / "council.yaml").read_text(encoding="utf-8").strip().endswith("council: Wigan")


def test_the_self_evaluation_shows_england_north_west_and_the_neighbours_median(wigan: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(wigan, work)
    text, _ = generate(work)
    assert "North West" in text and "SN median" in text and "median of its 10 statistical neighbours" in text
    assert "London" not in text
    cells = kpi_cells(text, "Re-referrals within 12 months")
    own = float(hand.council_rereferrals(WIGAN))
    median, count = hand.sn_median_rereferrals(WIGAN)
    assert cells[1] == pct(own) and cells[2] == "2024-25"
    assert cells[3] == f"DfE 2024-25: {pct(own)}"  # the published figure, labelled as DfE's
    assert cells[6] == pct(hand.england_rereferrals())
    assert cells[7] == f"{pct(median)} ({count} of 10)"
    assert cells[8].endswith(" of 11")
    assert cells[9] == pct(hand.region_rereferrals("North West"))
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in text
    assert "Source: Department for Education, Children in need, reporting year 2025" in text


def test_with_no_workbook_the_performance_section_comes_from_published_data(tmp_path: Path) -> None:
    (tmp_path / "inputs" / "findings").mkdir(parents=True)
    (tmp_path / "inputs" / "council.yaml").write_text("council: Wigan\n", encoding="utf-8")
    text, _ = generate(tmp_path)
    cells = kpi_cells(text, "Re-referrals within 12 months")
    assert cells[1] == pct(float(hand.council_rereferrals(WIGAN))) and cells[3] == "DfE published, 2024-25"
    assert cells[6] == "22.6%"
    # Wigan's 2024-25 figure for plans lasting 2 years or more is suppressed ('c'): said so, never 0.
    cells = kpi_cells(text, "Child protection plans open for 2 years or more")
    assert cells[1] == "suppressed (small number)" and cells[2] == "2024-25"
    assert "0.0%" not in cells[1]


def test_a_comparator_typed_in_the_workbook_overrides_the_published_one_and_says_so(wigan: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(wigan, work)
    book = work / "inputs" / "performance.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Comparators"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "RE-REF" and row[2].value == "England" and row[3].value == "2024-25":
            row[4].value = 30.0
    last = ws.max_row + 1
    for c, v in enumerate(["CLA-RATE", "Children looked after rate", "London", "2024-25", 55, "typed by hand"], start=1):
        ws.cell(row=last, column=c, value=v)
    ws.tables["ComparatorsTable"].ref = f"A2:F{last}"
    wb.save(book)
    text, warnings = generate(work)
    assert kpi_cells(text, "Re-referrals within 12 months")[6] == "30.0% (workbook)"
    assert "30.0% typed in the workbook" in text and "instead of DfE's published 22.6%" in text
    assert "London" in warnings and "North West" in warnings  # an old London row is refused, loudly
    assert "London" not in text


def test_every_document_showing_dfe_figures_lists_the_releases_and_the_ogl_notice(wigan: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(wigan, work)
    generate(work)
    for name in ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"):
        text = docx_text(work / "outputs" / name)
        assert "Contains public sector information licensed under the Open Government Licence v3.0" in text, name
        assert "Department for Education, Children in need, reporting year 2025" in text, name
        assert "London" not in text, name
