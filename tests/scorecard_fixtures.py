"""Council scorecards in the layouts councils really use, built in code (no real council's file).

Each builder writes a file and returns what a reader should find in it, so tests can check the
self-evaluation read back: the latest values, comparators and the council's own RAG.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

# -- wide: title rows, merged section bands, text periods, comparators carrying their period ----------

WIDE_ROWS = [
    # id, name, polarity, target, england, sn, 2022-23, 2023-24, 2024-25, Q1 2025-26, Q2 2025-26, RAG
    ("band", "Help and protection"),
    ("HP01", "Re-referrals within 12 months", "Low", 0.20, 0.226, 0.215, 0.241, 0.232, 0.219, 0.224, 0.212, "R"),
    ("HP02", "Assessments completed within 45 working days", "High", 0.88, 0.857, 0.861, 0.81, 0.84, 0.87, 0.89, 0.91, "G"),
    ("HP03", "Children subject to a CP plan per 10,000", "-", None, 43.2, 45.0, 48.1, 46.3, 44.9, 45.5, 44.0, None),
    ("HP04", "Family group conferences held", None, None, None, None, 120, 131, 150, 40, "c", None),
    ("band", "Children in care"),
    ("CIC01", "Children in care with 3 or more placements in the year", "Low", 0.09, 0.10, 0.098, 0.11, 0.105, 0.095, "c", "-", "A"),
    ("CIC02", "Return home interviews offered within 72 hours (%)", "High", 0.9, None, None, 0.62, 0.71, 0.8, 0.82, 0.85, "A"),
    ("band", "Care leavers"),
    ("CL01", "Care leavers aged 19-21 in suitable accommodation", "High", 0.90, 0.88, 0.87, 0.84, 0.86, 0.88, 0.90, 0.92, "G"),
    ("band", "Workforce"),
    ("WF01", "Average caseload (FTE)", "Low", 16, 15.8, 16.4, 19.2, 18.1, 17.3, 17.0, 16.5, "G"),
]
WIDE_HEADINGS = ["PI Ref", "Indicator", "Polarity", "Target 2025-26", "England 2024-25", "Stat Neighbours 2024-25",
                 "2022-23", "2023-24", "2024-25", "Q1 2025-26", "Q2 2025-26", "RAG", "Comment", "Lead officer"]


def wide_scorecard(path: Path, *, next_quarter: dict[str, float] | None = None, title_rows: int = 0) -> Path:
    """``next_quarter``: id -> value for a "Q3 2025-26" column added after Q2 (the next month's file);
    ``title_rows``: more title rows above the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Scorecard"
    ws["A1"] = "Northshire Council: Children's Services Performance Scorecard"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:N1")
    ws["A2"] = "Quarter 2 2025-26 (July to September 2025). OFFICIAL"
    for _ in range(title_rows):
        ws.append(["Draft for the December board"])
    ws.append([])
    headings = list(WIDE_HEADINGS)
    if next_quarter is not None:
        headings.insert(11, "Q3 2025-26")
    ws.append(headings)
    for row in WIDE_ROWS:
        if row[0] == "band":
            ws.append([row[1]])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headings))
            continue
        ident, name, polarity, target, eng, sn, *values, rag = row
        if next_quarter is not None:
            values = [*values, next_quarter.get(ident)]
        ws.append([ident, name, polarity, target, eng, sn, *values, rag, "Improving after the MASH review", "Head of Service"])
    ws.append([])
    ws.append(["Source: case management system, extracted 10/10/2025. c = suppressed (fewer than 5 children); - = not available"])
    wb.save(path)
    return path


# Expected in the self-evaluation: latest values (percentages stored as fractions read as %), comparators, council RAG.
WIDE_EXPECT = {
    "HP01": {"latest": "21.2%", "period": "2025-26 Q2", "england": "22.6%", "rag": "Red"},
    "HP02": {"latest": "91.0%", "period": "2025-26 Q2", "england": "85.7%", "rag": "Green"},
    "CL01": {"latest": "92%", "period": "2025-26 Q2", "england": "88%", "rag": "Green"},
    "WF01": {"latest": "16.5", "period": "2025-26 Q2", "england": "15.8", "rag": "Green"},
}


# -- monthly dashboard: a sheet per service area, months as real dates (mmm-yy), Good is, Num/Den rows -------------

MONTHS = [dt.datetime(2025, m, 1) for m in range(4, 10)]  # Apr-25 .. Sep-25
MONTHLY = {
    "Front Door": [
        ("Contacts received", "Neither", None, [1510, 1422, 1630, 1390, 1288, 1577], None, None, "G"),
        ("% re-referrals within 12 months", "Lower", 20, [21.0, 22.5, 19.8, 20.4, 21.7, 18.9], [42, 45, 40, 41, 44, 37], [200, 200, 202, 201, 203, 196], "G"),
    ],
    "CIN-CP": [
        ("% ICPCs held within 15 working days", "Higher", 85, [80.0, 78.3, 88.9, 91.2, 86.0, 83.3], [40, 47, 48, 52, 43, 50], [50, 60, 54, 57, 50, 60], "A"),
        ("Repeat child protection plans", "Lower", 18, [22.0, 21.1, "*", 19.5, 20.0, 23.4], None, None, "R"),
    ],
    "CLA": [
        ("CLA rate per 10,000", "Neither", None, [71.2, 71.5, 72.0, 72.4, 71.9, 72.8], None, None, None),
        ("Missing episodes with a return home interview", "Higher", 90, [70.0, 72.0, 75.5, 80.1, 82.0, "c"], None, None, "A"),
    ],
}
MONTHLY_EXPECT = {
    "RE-REF": {"latest": "18.9%", "period": "Sep 2025", "rag": "Green"},
    "ICPC-15": {"latest": "83.3%", "period": "Sep 2025", "rag": "Amber"},
    "CPP-REPEAT": {"latest": "23.4%", "period": "Sep 2025", "rag": "Red"},
}


def monthly_dashboard(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    notes = wb.create_sheet("Read me")
    notes["A1"] = "Monthly performance dashboard. Data refreshed on the 10th working day."
    for area, measures in MONTHLY.items():
        ws = wb.create_sheet(area)
        ws["A1"] = f"{area} dashboard"
        ws.append([])
        ws.append(["Measure", "Good is", "Target", *MONTHS, "DoT", "RAG"])
        for c in range(4, 4 + len(MONTHS)):
            ws.cell(row=3, column=c).number_format = "mmm-yy"
        for name, good, target, values, nums, dens, rag in measures:
            last = values[-1] if not isinstance(values[-1], str) else values[-2]
            arrow = "↑" if isinstance(values[-1], (int, float)) and values[-1] > values[-2] else "↓"
            ws.append([name, good, target, *values, arrow, rag])
            if nums:
                ws.append(["Num", None, None, *nums])
                ws.append(["Den", None, None, *dens])
            del last
    wb.save(path)
    return path


# -- long BI export (.xlsx and .csv) ---------------------------------------------------------------

LONG_HEADINGS = ["Measure Name", "Polarity", "Reporting Period", "Value", "Numerator", "Denominator", "Target", "England",
                 "Statistical Neighbour Average", "Region"]
LONG_MEASURES = [
    ("Re-referrals within 12 months", "Smaller is better",
     [("2023-24", 0.232, 232, 1000, 0.2, 0.224, 0.22, 0.19), ("2024-25", 0.219, 230, 1050, 0.2, 0.226, 0.215, 0.194),
      ("Q1 2025-26", 0.224, 60, 268, 0.2, None, None, None), ("Q2 2025-26", 0.205, 55, 268, 0.2, None, None, None)]),
    ("Care leavers aged 19-21 in suitable accommodation", "Larger is better",
     [("2023-24", 0.86, 172, 200, 0.9, 0.88, 0.87, 0.89), ("2024-25", 0.88, 185, 210, 0.9, 0.88, 0.87, 0.9),
      ("Q1 2025-26", 0.9, 190, 211, 0.9, None, None, None), ("Q2 2025-26", "c", None, None, 0.9, None, None, None)]),
    ("Average caseload (FTE)", "Smaller is better",
     [("2023-24", 18.1, None, None, 16, 16.3, 16.9, 15.9), ("2024-25", 17.3, None, None, 16, 15.8, 16.4, 15.2),
      ("Q1 2025-26", 17.0, None, None, 16, None, None, None), ("Q2 2025-26", 16.2, None, None, 16, None, None, None)]),
]
LONG_EXPECT = {
    "RE-REF": {"latest": "20.5%", "period": "2025-26 Q2", "england": "22.6%"},
    "CL-ACCOM": {"latest": "suppressed", "period": "2025-26 Q2"},
    "SW-CASELOAD": {"latest": "16.2", "period": "2025-26 Q2", "england": "15.8"},
}


def _long_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for name, polarity, periods in LONG_MEASURES:
        for period, value, num, den, target, eng, sn, region in periods:
            rows.append([name, polarity, period, value, num, den, target, eng, sn, region])
    return rows


def long_export_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(LONG_HEADINGS)
    for row in _long_rows():
        ws.append(row)
    wb.save(path)
    return path


def long_export_csv(path: Path, *, bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(LONG_HEADINGS)
        for row in _long_rows():
            writer.writerow(["" if v is None else v for v in row])
    return path


# -- two heading rows: years above quarters ------------------------------------------------------------

def two_heading_rows(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Quarterly"
    ws["A1"] = "Quarterly performance report"
    ws.append([])
    ws.append(["Ref", "Measure", "Good is", "2024-25", None, None, None, "2025-26", None, "RAG"])
    ws.merge_cells("D3:G3")
    ws.merge_cells("H3:I3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:C4")
    ws.merge_cells("J3:J4")
    ws.append([None, None, None, "Q1", "Q2", "Q3", "Q4", "Q1", "Q2"])
    ws.append(["Q-01", "Re-referrals within 12 months", "Lower", 23.1, 22.8, 22.0, 21.9, 21.5, 20.9, "G"])
    ws.append(["Q-02", "Second or subsequent child protection plans", "Lower", 24.0, 23.0, 25.1, 24.4, 23.9, 22.2, "A"])
    ws.append(["Q-03", "Social worker vacancy rate", "Lower", 18.0, 17.5, 16.0, 15.2, "x", 14.1, "R"])
    wb.save(path)
    return path


TWO_ROW_EXPECT = {
    "Q-01": {"latest": "20.9%", "period": "2025-26 Q2", "rag": "Green"},
    "Q-03": {"latest": "14.1%", "period": "2025-26 Q2", "rag": "Red"},
}


# -- a performance dashboard: fractions formatted '0.0%', section bands, no refs (so catalogue ids) ----------

DASHBOARD_ROWS = [
    # name, polarity, 2023-24, 2024-25, Q1 2025-26, Q2 2025-26, target, England, SN
    ("band", "Referrals"),
    ("Re-referrals within 12 months", "Low is good", 0.238, 0.221, 0.209, 0.197, 0.20, 0.226, 0.219),
    ("Assessments completed within 45 working days", "High is good", 0.812, 0.846, 0.871, 0.880, 0.90, 0.859, 0.84),
    ("band", "Children in care"),
    ("Children in care with 3 or more placements", "Low is good", 0.112, 0.104, 0.099, 0.097, 0.10, 0.10, 0.105),
    ("Care leavers in touch with the local authority", "High is good", 0.91, 0.93, 0.94, 0.95, 0.95, None, None),
    ("Family group conferences held (number)", "High is good", 140, 171, 48, 52, 200, None, None),
    ("Visits to children in care on time", "High is good", 0.9, 0.91, 88, 0.93, None, None, None),  # one cell not formatted
]


def percent_dashboard(path: Path) -> Path:
    """A dashboard as a performance team keeps it in Excel: percentages typed as fractions and shown through
    the cell format '0.0%' (0.097 shows as 9.7%), counts as plain numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dashboard"
    ws.merge_cells("A1:I1")
    ws["A1"] = "Children's Services - Performance Dashboard (Q2 2025-26)"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Source: case management system"
    ws.append([])
    ws.append(["Indicator", "Polarity", "2023-24", "2024-25", "Q1 2025-26", "Q2 2025-26", "Target", "England", "Stat neighbours"])
    for row in DASHBOARD_ROWS:
        if row[0] == "band":
            ws.append([row[1]])
            continue
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
    wb.save(path)
    return path
