"""A Wigan performance lead brings the council's own scorecard: its measures are matched to the
catalogue, so DfE's published England, North West and statistical-neighbour figures come with them
without typing; a comparator the scorecard does give is used instead, and the draft says so.

Expected figures are worked out by hand from DfE's raw CSVs (tests/published_by_hand.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import published_by_hand as hand
from conftest import docx_text, run_cli
from docx_reading import open_docx, table_after_heading, table_rows

pytestmark = pytest.mark.skipif(not hand.DFE.is_dir(), reason="shared DfE data absent (CI has it)")
WIGAN = "359"


def pct(value: float) -> str:
    return f"{value:.1f}%" if round(value, 1) == round(value, 6) else f"{value:.2f}%"


def scorecard(path: Path) -> None:
    """The council's own refs (not selfeval's ids), fractions for percentages, and an England column
    filled in for one measure only (the team typed its own figure for caseloads)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KPIs"
    ws["A1"] = "Children's Services KPI report"
    ws.append([])
    ws.append(["Ref", "Measure", "Good is", "England 2024-25", "2023-24", "2024-25", "Q1 2025-26"])
    ws.append(["FD-7", "Re-referrals within 12 months", "Lower", None, 0.231, 0.224, 0.219])
    ws.append(["WF-2", "Average caseload (FTE)", "Lower", 99.0, 18.0, 17.5, 17.1])
    wb.save(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wigan")
    inputs = folder / "inputs"
    (inputs / "findings").mkdir(parents=True)
    (inputs / "council.yaml").write_text("council: Wigan\n", encoding="utf-8")
    scorecard(inputs / "kpis.xlsx")
    mapped = run_cli("workbook", "map", "inputs/kpis.xlsx", cwd=folder)
    assert mapped.code == 0, mapped.output
    assert "RE-REF" in mapped.output and "SW-CASELOAD" in mapped.output  # matched to the catalogue
    generated = run_cli("generate", cwd=folder)
    assert generated.code == 0, generated.output
    return folder


def kpis(folder: Path) -> dict[str, list[str]]:
    rows = table_rows(table_after_heading(open_docx(folder / "outputs" / "self-evaluation.docx"), "5. Performance overview"))
    return {r[0]: r for r in rows[1:]}


def test_a_matched_measure_gets_england_north_west_and_the_neighbours_median_from_dfe(folder: Path) -> None:
    row = kpis(folder)["Re-referrals within 12 months"]
    assert row[1].startswith("21.9%\n2025-26 Q1")
    assert f"DfE 2024-25: {pct(float(hand.council_rereferrals(WIGAN)))}" in row[1]  # the council's own published figure
    assert row[4] == f"{pct(hand.england_rereferrals())} (2024-25)"
    median, count = hand.sn_median_rereferrals(WIGAN)
    assert row[5].startswith(f"{pct(median)} (2024-25) ({count} of 10)")
    assert row[6] == f"{pct(hand.region_rereferrals('North West'))} (2024-25)"


def test_the_tables_name_north_west_and_never_london(folder: Path) -> None:
    sef = open_docx(folder / "outputs" / "self-evaluation.docx")
    heading = table_rows(table_after_heading(sef, "5. Performance overview"))[0]
    assert "North West" in heading and "SN median" in heading
    text = docx_text(folder / "outputs" / "self-evaluation.docx")
    assert "London" not in text
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in text


def test_a_comparator_the_scorecard_gives_wins_and_the_draft_says_so(folder: Path) -> None:
    row = kpis(folder)["Average caseload (FTE)"]
    assert row[4] == "99.0 (2024-25) (workbook)"
    text = docx_text(folder / "outputs" / "self-evaluation.docx")
    assert "Average caseload (FTE), England 2024-25: 99.0 typed in the workbook (KPIs!D5) is used instead of DfE's published" in text
    # The measures the scorecard gives no region or neighbours for still get DfE's.
    assert row[6] != "–" and row[5] != "–"
