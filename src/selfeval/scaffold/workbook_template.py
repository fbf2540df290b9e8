"""Build the performance workbook template (and, with council values, the embedded example).

The template follows the format read by ``selfeval.load.workbook``: an Instructions sheet, an
Indicators sheet pre-filled with the standard indicators of ``selfeval/data/indicators.yaml``, a wide
Data sheet (blank, or for ``init --council`` the council's own DfE published figures), and a
Comparators sheet with DfE's published figures (England; for a council also its own region and its
statistical neighbours' median), each marked with its source and year. Drop-down lists come from a hidden Lists sheet
(an in-cell list cannot contain "rate per 10,000" because of its comma).

Built with openpyxl in normal mode so that data validation, frozen panes and Excel tables can be added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfeval import reference
from selfeval.models.performance import POLARITIES, REGIONS, UNITS, Period

DEFAULT_PERIODS = ("2022-23", "2023-24", "2024-25")
VALIDATION_ROWS = 500

INDICATOR_HEADINGS = (
    "ID", "Name", "Judgement area", "Framework ref", "Unit", "Polarity", "Decimals", "Target", "Tolerance",
    "Key", "Internal", "Definition", "Source",
)
WIDTHS = {"ID": 14, "Name": 44, "Judgement area": 22, "Framework ref": 14, "Unit": 16, "Polarity": 17, "Decimals": 9,
          "Target": 9, "Tolerance": 10, "Key": 6, "Internal": 9, "Definition": 70, "Source": 48}


@dataclass
class StandardIndicator:
    id: str
    name: str
    judgement_area: str
    framework_ref: str
    unit: str
    polarity: str
    decimals: int
    definition: str
    source: str
    comparators: dict[str, dict[str, float]] = field(default_factory=dict)


def standard_indicators() -> list[StandardIndicator]:
    """The standard indicators shipped in ``selfeval/data/indicators.yaml``."""
    data = reference.load_data("indicators.yaml")
    pubs = data["publications"]
    result = []
    for item in data["indicators"]:
        result.append(
            StandardIndicator(
                id=item["id"], name=item["name"], judgement_area=item["judgement_area"], framework_ref=item["framework_ref"],
                unit=item["unit"], polarity=item["polarity"], decimals=int(item["decimals"]), definition=item["definition"],
                source=pubs[item["source"]],
                comparators={str(k): {str(p): float(v) for p, v in vals.items()} for k, vals in (item.get("comparators") or {}).items()},
            )
        )
    return result


def comparator_source(indicator: StandardIndicator, period_label: str) -> str:
    """'DfE, Children in need statistics (via LAIT), year ending 31 March 2025'."""
    period = Period.parse(period_label)
    if period.kind == "financial-year":
        when = f"year ending 31 March {period.end.year}"
    else:
        when = f"at 30 September {period.end.year}" if period.end.month == 9 else period.label
    return f"{indicator.source}, {when}"


@dataclass(frozen=True)
class ComparatorRow:
    """One row of the Comparators sheet."""

    id: str
    name: str
    comparator: str  # England | the region's name | Statistical neighbours
    period: str
    value: float
    source: str


def example_comparator_rows() -> list[ComparatorRow]:
    """The England and London figures typed in data/indicators.yaml: the embedded (Lambeth, London) example."""
    return [
        ComparatorRow(ind.id, ind.name, comparator, period, value, comparator_source(ind, period))
        for ind in standard_indicators()
        for comparator, by_period in ind.comparators.items()
        for period, value in by_period.items()
    ]


def _column_for(year: str, basis: str) -> str:
    """The Data-sheet column a DfE year belongs in: '2025' -> '2024-25'; a 30 September 2024 workforce
    snapshot ('2024') -> '2024-25' (the year it falls in), as the Instructions sheet tells users."""
    y = int(year)
    if basis == "september":
        return f"{y}-{str(y + 1)[2:]}"
    return f"{y - 1}-{str(y)[2:]}"


def published_rows(council_name: str | None, periods: tuple[str, ...]) -> tuple[list[ComparatorRow], dict[str, dict[str, float]]]:
    """Comparator rows (England; with a council also its own region and its statistical neighbours'
    median) and the council's own published values, from DfE's figures shipped with selfeval."""
    from selfeval.analyse.benchmarks import council_figures, number
    from selfeval.councils import resolve_council
    from selfeval.published.indicators import published_indicators, release_title
    from selfeval.published.store import ENGLAND, area

    rows: list[ComparatorRow] = []
    values: dict[str, dict[str, float]] = {}
    if council_name is None:
        england = area(ENGLAND)
        for ind in published_indicators():
            for year, value in sorted((england.series.get(ind.id, {}) if england else {}).items()):
                n = number(value)
                if n is not None and _column_for(year, ind.basis) in periods:
                    rows.append(ComparatorRow(ind.id, ind.name, "England", ind.period_label(year), n,
                                              f"{release_title(ind.release)}, {ind.period_words(year)}"))
        return rows, values
    figures = council_figures(resolve_council(council_name))
    for item in figures.indicators:
        ind = item.indicator
        for y in item.years:
            column = _column_for(y.year, ind.basis)
            if column not in periods:
                continue
            source = f"{release_title(ind.release)}, {ind.period_words(y.year)}"
            groups: list[tuple[str, float | int | str | None, str]] = [
                ("England", y.england, ""), (figures.region, y.region, ""),
                ("Statistical neighbours", y.sn_median, f"; median of the {y.sn_count} of {y.sn_of} statistical neighbours with a value"),
            ]
            for label, figure, extra in groups:
                n = number(figure)
                if n is not None:
                    rows.append(ComparatorRow(ind.id, ind.name, label, y.period, n, source + extra))
            own = number(y.council)
            if own is not None:
                values.setdefault(ind.id, {})[column] = own
    return rows, values


@dataclass
class CouncilValues:
    """Illustrative or real council values to write into the Data sheet of a built workbook."""

    council: str
    periods: tuple[str, ...]
    values: dict[str, dict[str, float]]  # indicator id -> period label -> value
    targets: dict[str, tuple[float, float | None]] = field(default_factory=dict)  # id -> (target, tolerance)
    key: set[str] = field(default_factory=set)
    internal: set[str] = field(default_factory=set)
    illustrative: bool = True


def build_workbook(path: Path, council: CouncilValues | None = None, comparators: list[ComparatorRow] | None = None) -> None:
    """Write the template (``council`` None), a council's workbook or the example.

    ``comparators`` default: DfE's England figures for the template (no region: selfeval does not
    know the council yet), the example's England and London figures for the example."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo
    from openpyxl.worksheet.worksheet import Worksheet

    indicators = standard_indicators()
    periods = council.periods if council else DEFAULT_PERIODS
    if comparators is None:
        comparators = example_comparator_rows() if council and council.illustrative else published_rows(None, periods)[0]
    wb = Workbook()
    bold = Font(bold=True)
    banner_font = Font(bold=True, color="9C0006", size=12)
    banner_fill = PatternFill("solid", fgColor="FFC7CE")
    note_font = Font(italic=True, color="555555")
    wrap = Alignment(wrap_text=True, vertical="top")

    def banner(ws: Worksheet, text: str) -> None:
        ws["A1"] = text
        if council and council.illustrative:
            ws["A1"].font = banner_font
            ws["A1"].fill = banner_fill
        else:
            ws["A1"].font = note_font

    # -- Instructions ---------------------------------------------------------------------------
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "Instructions"
    ws.column_dimensions["A"].width = 120
    lines = _instructions(council)
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
        elif line.isupper() or (council and council.illustrative and line.startswith("ILLUSTRATIVE")):
            cell.font = banner_font if line.startswith("ILLUSTRATIVE") else bold
            if line.startswith("ILLUSTRATIVE"):
                cell.fill = banner_fill

    # -- Lists (hidden, for drop-downs) ----------------------------------------------------------------
    lists = wb.create_sheet("Lists")
    refs = list(reference.framework_items())
    areas = list(reference.judgement_areas())
    columns = {
        "Unit": list(UNITS), "Polarity": list(POLARITIES), "Framework ref": refs, "Judgement area": areas,
        "Yes/No": ["yes", "no"], "Comparator": ["England", *[r for r in REGIONS if r not in ("Inner London", "Outer London")], "Statistical neighbours"],
    }
    list_ranges: dict[str, str] = {}
    for col, (title, items) in enumerate(columns.items(), start=1):
        letter = get_column_letter(col)
        lists.cell(row=1, column=col, value=title).font = bold
        for r, item in enumerate(items, start=2):
            lists.cell(row=r, column=col, value=item)
        list_ranges[title] = f"Lists!${letter}$2:${letter}${len(items) + 1}"
    lists.sheet_state = "hidden"

    def dropdown(ws: Worksheet, title: str, column_letter: str, first_row: int, prompt: str) -> None:
        dv = DataValidation(type="list", formula1=list_ranges[title], allow_blank=True, showErrorMessage=True,
                            errorTitle=f"Not a {title.lower()}", error=f"Choose a {title.lower()} from the list.",
                            promptTitle=title, prompt=prompt, showInputMessage=True)
        dv.add(f"{column_letter}{first_row}:{column_letter}{first_row + VALIDATION_ROWS}")
        ws.add_data_validation(dv)

    # -- Indicators ------------------------------------------------------------------------------------
    ws = wb.create_sheet("Indicators", 1)
    banner(ws, ("ILLUSTRATIVE EXAMPLE - " if council and council.illustrative else "")
           + "One row per indicator. ID, Name, Unit and Polarity are required; see the Instructions sheet.")
    hr = 2
    for c, h in enumerate(INDICATOR_HEADINGS, start=1):
        cell = ws.cell(row=hr, column=c, value=h)
        cell.font = bold
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[h]
    for r, ind in enumerate(indicators, start=hr + 1):
        target, tolerance = (council.targets.get(ind.id, (None, None)) if council else (None, None))
        row = [
            ind.id, ind.name, ind.judgement_area, ind.framework_ref, ind.unit, ind.polarity, ind.decimals, target, tolerance,
            "yes" if council and ind.id in council.key else "no",
            "yes" if council and ind.id in council.internal else "no",
            ind.definition, ind.source,
        ]
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if INDICATOR_HEADINGS[c - 1] in ("Definition", "Name", "Source"):
                cell.alignment = wrap
    last = hr + len(indicators)
    ws.freeze_panes = ws.cell(row=hr + 1, column=3)
    table = Table(displayName="IndicatorsTable", ref=f"A{hr}:{get_column_letter(len(INDICATOR_HEADINGS))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    dropdown(ws, "Judgement area", "C", hr + 1, "The ILACS judgement area this indicator evidences.")
    dropdown(ws, "Framework ref", "D", hr + 1, "The National Framework outcome or enabler (e.g. outcome 1).")
    dropdown(ws, "Unit", "E", hr + 1, "%, rate per 10,000, days, count or ratio.")
    dropdown(ws, "Polarity", "F", hr + 1, "Whether a higher value is better, a lower value is better, or neither (contextual).")
    dropdown(ws, "Yes/No", "J", hr + 1, "yes: a key indicator (gets a chart).")
    dropdown(ws, "Yes/No", "K", hr + 1, "yes: left out of documents made for the public (--public).")
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="4", allow_blank=True, showErrorMessage=True,
                        errorTitle="Decimals", error="A whole number from 0 to 4.")
    dv.add(f"G{hr + 1}:G{hr + 1 + VALIDATION_ROWS}")
    ws.add_data_validation(dv)
    for letter in ("H", "I"):
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
                            errorTitle="Not a number", error="Type a number, or leave the cell empty.")
        dv.add(f"{letter}{hr + 1}:{letter}{hr + 1 + VALIDATION_ROWS}")
        ws.add_data_validation(dv)

    # -- Data (wide) ----------------------------------------------------------------------------------
    ws = wb.create_sheet("Data", 2)
    if council and council.illustrative:
        banner(ws, f"ILLUSTRATIVE VALUES for {council.council}: made up for the example, NOT the council's published figures. "
                   "Comparators on the Comparators sheet are the real published figures.")
    elif council:
        banner(ws, f"{council.council}'s DfE published year-end figures, pre-filled by selfeval (workforce: the 30 September "
                   "snapshot in the year's column). Add your own local figures as new columns (e.g. 2025-26 Q1); correct any cell you know better.")
    else:
        banner(ws, "Your council's values: one row per indicator, one column per period. Leave a cell empty when there is no value. "
                   "Add a column for each new period (e.g. 2025-26 Q1).")
    headings = ["ID", "Indicator", *periods]
    for c, h in enumerate(headings, start=1):
        ws.cell(row=hr, column=c, value=h).font = bold
        ws.column_dimensions[get_column_letter(c)].width = 14 if c != 2 else 44
    for r, ind in enumerate(indicators, start=hr + 1):
        ws.cell(row=r, column=1, value=ind.id)
        ws.cell(row=r, column=2, value=ind.name)
        for c, p in enumerate(periods, start=3):
            v = council.values.get(ind.id, {}).get(p) if council else None
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    ws.freeze_panes = ws.cell(row=hr + 1, column=3)
    table = Table(displayName="DataTable", ref=f"A{hr}:{get_column_letter(len(headings))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
                        errorTitle="Not a number", error="Type a number, or leave the cell empty if there is no value.")
    dv.add(f"C{hr + 1}:{get_column_letter(max(len(headings), 3) + 8)}{hr + 1 + VALIDATION_ROWS}")
    ws.add_data_validation(dv)

    # -- Comparators (long) -----------------------------------------------------------------------------
    ws = wb.create_sheet("Comparators", 3)
    regions = sorted({r.comparator for r in comparators if r.comparator not in ("England", "Statistical neighbours")})
    banner(ws, "Published comparators (real figures, with their source and year). "
           + (f"Region: {', '.join(regions)}. " if regions else
              "No region or statistical neighbours yet: 'selfeval init --council NAME' fills them in, or selfeval adds them "
              "from DfE's figures when it knows the council. ")
           + "A value typed here replaces the published one, and the documents say so.")
    headings = ["ID", "Indicator", "Comparator", "Period", "Value", "Source"]
    for c, (h, w) in enumerate(zip(headings, (14, 44, 22, 12, 10, 80)), start=1):
        ws.cell(row=hr, column=c, value=h).font = bold
        ws.column_dimensions[get_column_letter(c)].width = w
    r = hr
    for crow in comparators:
        r += 1
        for c, v in enumerate([crow.id, crow.name, crow.comparator, crow.period, crow.value, crow.source], start=1):
            ws.cell(row=r, column=c, value=v)
    ws.freeze_panes = ws.cell(row=hr + 1, column=1)
    table = Table(displayName="ComparatorsTable", ref=f"A{hr}:F{max(r, hr + 1)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    dropdown(ws, "Comparator", "C", hr + 1, "England, your council's own region (e.g. North West) or Statistical neighbours.")

    wb.properties.creator = "selfeval"
    wb.properties.title = "Performance workbook" + (f" - {council.council}" if council else " template")
    wb.properties.created = dt.datetime(2025, 1, 1)
    wb.properties.modified = dt.datetime(2025, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _instructions(council: CouncilValues | None) -> list[str]:
    lines = ["Performance workbook for selfeval"]
    if council and council.illustrative:
        lines += [
            f"ILLUSTRATIVE EXAMPLE: the council values on the Data sheet are made up for {council.council} to show how selfeval works. "
            "They are NOT the council's published figures. The England and London comparators are the real published figures.",
            "",
        ]
    lines += [
        "selfeval reads this workbook to write the KPI tables and sentences in your self-evaluation, improvement plan and board summary. "
        "Keep it as your normal performance record: add a column on the Data sheet for each new period.",
        "",
        "SHEETS",
        "Indicators: one row per indicator. ID (a short code, no spaces), Name, Unit and Polarity are required. "
        "Judgement area and Framework ref link the indicator to Ofsted's judgement areas and the National Framework, "
        "so the documents show the evidence beside each finding. Target and Tolerance give the RAG rating: green when the target is met, "
        "amber when missed by no more than the tolerance, red otherwise. Key = yes gives the indicator a chart. "
        "Internal = yes leaves it out of documents made for the public (selfeval generate --public).",
        "Data: your council's values, one row per indicator (matched by ID) and one column per period. Leave a cell empty when there is no value: "
        "do not type n/a or -. The documents say 'no data yet' for an indicator with no values.",
        "Comparators: England, region and statistical neighbour figures, one row each, with the period they refer to and their source.",
        "Values (optional, not in this template): instead of the Data sheet you may list values one per row: ID, Period, Value, Numerator, Denominator.",
        "This Instructions sheet and any other sheets you add are ignored.",
        "",
        "UNITS AND POLARITY",
        "Unit: % | rate per 10,000 | days | count | ratio. Polarity: higher is better | lower is better | contextual "
        "(a contextual indicator, such as a referral rate, is described as up or down, never as better or worse).",
        "Percentages may be typed as 85 or as 85% (Excel stores 0.85 formatted as a percentage): both are read as 85%. "
        "A row of plain numbers that are all 1 or less (0.85, 0.9) is read as fractions; selfeval says so when it makes that guess.",
        "Decimals: how many decimal places documents show (blank: 0 for counts and days, 1 otherwise).",
        "",
        "PERIODS (column headings on the Data sheet)",
        "2024-25 or 2024/25 = financial year (April to March); 2024 = calendar year; 2025-26 Q1 = April to June 2025; "
        "2025-Q2 = calendar quarter (April to June 2025); Mar 2025 or a date on the 1st of a month = that month; 31/03/2025 = a snapshot on that date.",
        "DfE labels years by when they end: DfE '2025' for children in need, child protection, children looked after and care leavers is 2024-25 "
        "(the year ending 31 March 2025). Workforce figures are a snapshot at 30 September: put your 30 September 2024 figure in the 2024-25 column; "
        "selfeval compares it with the England figure for Sep 2024.",
        "",
        "SOURCES OF THE PRE-FILLED FIGURES",
        "The comparators are DfE published statistics (children in need, children looked after and care leavers, children's social work "
        "workforce) shipped with selfeval: England, and for a council set up with 'selfeval init --council NAME' its own region and the median "
        "of its 10 statistical neighbours (DfE's 2025 model). Each row on the Comparators sheet names its source and year. "
        "Contains public sector information licensed under the Open Government Licence v3.0. "
        "Contacts and some timeliness measures are local measures with no published figure in selfeval's data.",
        "",
        "If a cell holds a formula, save the workbook in Excel before running selfeval so that its result is stored in the file.",
    ]
    return lines
