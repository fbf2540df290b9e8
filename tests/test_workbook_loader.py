"""The performance workbook, as a performance officer keeps it.

Good path: the layouts councils actually use load. Bad path: every mistake is answered with the
Sheet!Cell to fix and exit code 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import INPUTS, run_cli
from selfeval.errors import ErrorList, InputError
from selfeval.load.workbook import MAX_ERRORS, is_percent_format, load_workbook
from selfeval.models.performance import Period

INDICATOR_HEADINGS = ["ID", "Name", "Judgement area", "Framework ref", "Unit", "Polarity", "Decimals", "Target", "Tolerance", "Key", "Internal"]
RE_REF = ["RE-REF", "Re-referrals within 12 months", "help_and_protection", "outcome 1", "%", "lower is better", 1, None, None, "yes", "no"]
ASMT = ["ASMT-45", "Assessments within 45 days", "help_and_protection", "outcome 1", "%", "higher is better", 1, 90, 5, "no", "no"]
CONTACTS = ["CONTACTS", "Contacts", "help_and_protection", "outcome 1", "count", "contextual", 0, None, None, "no", "yes"]


def make_workbook(path: Path, sheets: dict[str, list[list]], *, formats: dict[str, str] | None = None,
                  merges: dict[str, list[str]] | None = None) -> Path:
    """Write a workbook with openpyxl: sheet name -> rows; formats {'Data!C2': '0%'}; merges {'Data': ['C1:D1']}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    for ref, fmt in (formats or {}).items():
        sheet, cell = ref.split("!")
        wb[sheet][cell].number_format = fmt
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def standard(data_rows: list[list] | None = None, **extra_sheets) -> dict[str, list[list]]:
    sheets = {
        "Indicators": [INDICATOR_HEADINGS, RE_REF, ASMT, CONTACTS],
        "Data": data_rows if data_rows is not None else [
            ["ID", "Indicator", "2023-24", "2024-25"],
            ["RE-REF", "Re-referrals", 19.8, 18.6],
            ["ASMT-45", "Assessments", 88.3, 91.2],
            ["CONTACTS", "Contacts", 5000, 5200],
        ],
    }
    sheets.update(extra_sheets)
    return sheets


def values_of(data, ident: str) -> dict[str, float | None]:
    return {o.period.label: o.value for o in data.observations_for(ident)}


# -- good path -----------------------------------------------------------------------------------------------

def test_the_shipped_example_workbook_loads_with_its_illustrative_values_and_real_comparators():
    data = load_workbook(INPUTS / "performance.xlsx")
    assert len(data.indicators) == 23
    assert values_of(data, "RE-REF")["2024-25"] == 18.6
    england = {c.period.label: c.value for c in data.comparators_for("RE-REF") if c.kind == "england"}
    assert england == {"2022-23": 22.4, "2023-24": 22.4, "2024-25": 22.6}
    assert values_of(data, "CONTACTS") == {}  # left blank: "no data yet"
    assert data.notes == []
    wb = openpyxl.load_workbook(INPUTS / "performance.xlsx", read_only=True)
    instructions = " ".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    assert "ILLUSTRATIVE" in instructions and "NOT the council's published figures" in instructions


def test_the_wide_layout_one_row_per_indicator_one_column_per_period(tmp_path):
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", standard()))
    assert values_of(data, "ASMT-45") == {"2023-24": 88.3, "2024-25": 91.2}
    assert data.indicator("ASMT-45").target == 90
    assert data.indicator("CONTACTS").internal is True
    assert data.indicator("RE-REF").framework_refs == ["outcome 1"]


def test_the_long_values_sheet_with_numerators_and_denominators(tmp_path):
    sheets = {
        "Indicators": [INDICATOR_HEADINGS, RE_REF, ASMT],
        "Values": [
            ["ID", "Period", "Value", "Numerator", "Denominator"],
            ["RE-REF", "2024-25", 18.6, 372, 2000],
            ["RE-REF", "2025-26 Q1", None, 90, 500],  # value worked out: 18%
            ["ASMT-45", "2024-25", 91.2, None, None],
        ],
    }
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", sheets))
    assert values_of(data, "RE-REF") == {"2024-25": 18.6, "2025-26 Q1": 18.0}
    assert data.observations_for("RE-REF")[0].numerator == 372


def test_a_measure_column_gives_numerator_and_denominator_rows_on_the_wide_sheet(tmp_path):
    rows = [
        ["ID", "Measure", "2024-25"],
        ["RE-REF", "Value", None],
        [None, "Numerator", 372],
        [None, "Denominator", 2000],
    ]
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", standard(rows)))
    (obs,) = data.observations_for("RE-REF")
    assert (obs.value, obs.numerator, obs.denominator) == (18.6, 372, 2000)


def test_two_heading_rows_with_a_merged_year_above_the_quarters(tmp_path):
    rows = [
        ["ID", "Indicator", "2025-26", None, "2024-25"],
        ["ID", "Indicator", "Q1", "Q2", None],
        ["RE-REF", "Re-referrals", 17.9, 18.3, 18.6],
    ]
    path = make_workbook(tmp_path / "p.xlsx", standard(rows), merges={"Data": ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]})
    data = load_workbook(path)
    assert values_of(data, "RE-REF") == {"2024-25": 18.6, "2025-26 Q1": 17.9, "2025-26 Q2": 18.3}


def test_a_judgement_area_merged_down_several_indicator_rows_applies_to_each(tmp_path):
    ind = [INDICATOR_HEADINGS, RE_REF, [*ASMT[:2], None, *ASMT[3:]], CONTACTS]
    path = make_workbook(tmp_path / "p.xlsx", standard(**{"Indicators": ind}), merges={"Indicators": ["C2:C3"]})
    data = load_workbook(path)
    assert data.indicator("ASMT-45").judgement_area == "help_and_protection"


def test_real_dates_as_period_headings(tmp_path):
    rows = [["ID", dt.datetime(2025, 3, 1), dt.datetime(2025, 4, 1), dt.datetime(2025, 3, 31)], ["RE-REF", 18.0, 18.5, 19.0]]
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", standard(rows)))
    assert values_of(data, "RE-REF") == {"Mar 2025": 18.0, "31 Mar 2025": 19.0, "Apr 2025": 18.5}


@pytest.mark.parametrize(
    "cells, formats, expected",
    [
        pytest.param([85, 90.5], {}, [85, 90.5], id="typed as 85"),
        pytest.param([0.85, 0.905], {}, [85, 90.5], id="stored as fractions 0.85"),
        pytest.param([0.85, 0.905], {"Data!B2": "0%", "Data!C2": "0.0%"}, [85, 90.5], id="formatted as percentages"),
        pytest.param(["85%", "90.5 %"], {}, [85, 90.5], id="typed as text 85%"),
        pytest.param([0, 0.5], {"Data!C2": "0.0%"}, [0, 50], id="zero stays zero"),
    ],
)
def test_percentages_stored_as_085_or_as_85_are_the_same(tmp_path, cells, formats, expected):
    rows = [["ID", "2023-24", "2024-25"], ["RE-REF", *cells]]
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", standard(rows), formats=formats))
    assert list(values_of(data, "RE-REF").values()) == pytest.approx(expected)


def test_the_fraction_guess_is_reported_as_a_note(tmp_path):
    rows = [["ID", "2023-24", "2024-25"], ["RE-REF", 0.2, 0.19]]
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", standard(rows)))
    assert any("Data!B2" in n and "fractions" in n for n in data.notes)


def test_a_literal_percent_sign_in_a_number_format_is_not_a_percentage():
    assert is_percent_format("0.0%") and is_percent_format("0%")
    assert not is_percent_format('0.0"%"') and not is_percent_format("0.0\\%") and not is_percent_format("General")


def test_blank_rows_heading_rows_title_rows_and_extra_sheets_are_ignored(tmp_path):
    sheets = standard(
        [
            ["Council performance scorecard (title row)"],
            [],
            ["ID", "Indicator", "2024-25", "Notes"],
            [None, "Help and protection"],  # a section heading row
            ["RE-REF", "Re-referrals", 18.6, "checked"],
            [],
            [None, None, None],
            ["ASMT-45", "Assessments", 91.2],
        ],
        Instructions=[["Read me"], ["ID", "not an indicator"]],
        Pivot=[["anything", 1, 2]],
    )
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", sheets))
    assert values_of(data, "RE-REF") == {"2024-25": 18.6}
    assert values_of(data, "ASMT-45") == {"2024-25": 91.2}


def test_headings_and_sheet_names_may_differ_in_case_and_spacing(tmp_path):
    headings = [" indicator ID ", "NAME", "Judgement_Area", "Framework  Ref", "unit *", "Polarity (good is)", "decimal places"]
    sheets = {
        " indicators ": [headings, ["RE-REF", "Re-referrals", "Help and protection", "Outcome one", "Percent", "Low", 1]],
        "DATA": [["Id", "2024/25", "Q1 2025/26"], ["RE-REF", 18.6, 17.9]],
    }
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", sheets))
    ind = data.indicator("RE-REF")
    assert (ind.unit, ind.polarity, ind.framework_refs, ind.judgement_area) == ("%", "lower is better", ["outcome 1"], "help_and_protection")
    assert values_of(data, "RE-REF") == {"2024-25": 18.6, "2025-26 Q1": 17.9}


def test_comparators_name_england_the_region_and_statistical_neighbours(tmp_path):
    comps = [
        ["ID", "Comparator", "Period", "Value", "Source"],
        ["RE-REF", "England", "2024-25", 22.6, "DfE CIN 2025"],
        ["RE-REF", "London", "2024-25", 19.4, "DfE CIN 2025"],
        ["RE-REF", "SN", "2024-25", 18.8, "LAIT SN May 2025"],
        ["ASMT-45", "England", "2024-25", 0.857, None],
    ]
    data = load_workbook(make_workbook(tmp_path / "p.xlsx", standard(Comparators=comps), formats={"Comparators!D5": "0.0%"}))
    kinds = {(c.kind, c.label, c.value) for c in data.comparators_for("RE-REF")}
    assert kinds == {("england", "England", 22.6), ("region", "London", 19.4), ("statistical_neighbours", "statistical neighbours", 18.8)}
    assert data.comparators_for("ASMT-45")[0].value == pytest.approx(85.7)


@pytest.mark.parametrize(
    "text, label, kind",
    [
        ("2024", "2024", "year"), ("2024-25", "2024-25", "financial-year"), ("2024/2025", "2024-25", "financial-year"),
        ("FY 2024/25", "2024-25", "financial-year"), ("2025-Q2", "2025-Q2", "quarter"), ("Q2 2025", "2025-Q2", "quarter"),
        ("2025-26 Q1", "2025-26 Q1", "quarter"), ("Q4 2025/26", "2025-26 Q4", "quarter"), ("Mar 2025", "Mar 2025", "month"),
        ("march 2025", "Mar 2025", "month"), ("Mar-25", "Mar 2025", "month"), ("2025-03", "Mar 2025", "month"),
        ("31/03/2025", "31 Mar 2025", "date"), ("2025-03-31", "31 Mar 2025", "date"), ("30 September 2025", "30 Sep 2025", "date"),
    ],
)
def test_period_headings_councils_write(text, label, kind):
    p = Period.parse(text)
    assert (p.label, p.kind) == (label, kind)


def test_a_financial_quarter_and_a_year_earlier():
    q = Period.parse("2025-26 Q4")
    assert (q.start, q.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q.year_earlier(Period.parse("Q4 2024/25"))
    assert not q.year_earlier(Period.parse("2024-25"))


# -- bad workbooks: each answered at its cell, exit code 2 ---------------------------------------------------

def _ind(**changes) -> list:
    row = list(RE_REF)
    for key, value in changes.items():
        row[INDICATOR_HEADINGS.index(key)] = value
    return row


BAD_CASES = [
    # (id, sheets, formats, expected cell, expected words)
    ("no ID column on Indicators", {"Indicators": [["Code name", "Name", "Unit", "Polarity"], ["RE-REF", "x", "%", "low"]]}, {},
     "Indicators!A1", "no heading row with an 'ID' column"),
    ("required Unit column missing", {"Indicators": [["ID", "Name", "Polarity"], ["RE-REF", "x", "low"]]}, {},
     "Indicators!A1", "no 'Unit' column"),
    ("duplicate indicator ID", {"Indicators": [INDICATOR_HEADINGS, RE_REF, RE_REF]}, {}, "Indicators!A3", "duplicate indicator ID 'RE-REF'"),
    ("ID with spaces", {"Indicators": [INDICATOR_HEADINGS, _ind(ID="RE REF")]}, {}, "Indicators!A2", "not a usable ID"),
    ("unknown unit", {"Indicators": [INDICATOR_HEADINGS, _ind(Unit="percentile")]}, {}, "Indicators!E2", "'percentile' is not a unit"),
    ("unknown polarity", {"Indicators": [INDICATOR_HEADINGS, _ind(Polarity="good")]}, {}, "Indicators!F2", "'good' is not a polarity"),
    ("unknown framework ref", {"Indicators": [INDICATOR_HEADINGS, _ind(**{"Framework ref": "outcome 9"})]}, {},
     "Indicators!D2", "'outcome 9' is not in the National Framework"),
    ("unknown judgement area", {"Indicators": [INDICATOR_HEADINGS, _ind(**{"Judgement area": "Early help"})]}, {},
     "Indicators!C2", "not an ILACS judgement area"),
    ("decimals not a whole number", {"Indicators": [INDICATOR_HEADINGS, _ind(Decimals=1.5)]}, {}, "Indicators!G2", "whole number"),
    ("target is text", {"Indicators": [INDICATOR_HEADINGS, _ind(Target="high")]}, {}, "Indicators!H2", "'high' is not a number"),
    ("internal is not yes or no", {"Indicators": [INDICATOR_HEADINGS, _ind(Internal="maybe")]}, {}, "Indicators!K2", "should be yes or no"),
    ("empty Indicators sheet", {"Indicators": []}, {}, "Indicators!A1", "no heading row"),
    ("n/a typed in a value cell", {"Data": [["ID", "2024-25", "2025-26 Q2"], ["RE-REF", 18.6, "n/a"]]}, {},
     "Data!C2", "'n/a' is not a number (leave the cell empty if there is no value) (indicator RE-REF, period 2025-26 Q2)"),
    # A name typed where a figure goes is never repeated in the message: it could be a child's.
    ("a name typed in a value cell", {"Data": [["ID", "2024-25"], ["RE-REF", "Jayden Smith"]]}, {},
     "Data!B2", "the cell's text (not repeated here: it could be a name) is not a number (leave the cell empty"),
    ("formula without a saved result", {"Data": [["ID", "2024-25"], ["RE-REF", "=B3*2"]]}, {}, "Data!B2", "open the workbook in Excel, save it"),
    ("Excel error value", {"Data": [["ID", "2024-25"], ["RE-REF", "#DIV/0!"]]}, {}, "Data!B2", "'#DIV/0!' is an Excel error"),
    ("date in a value cell", {"Data": [["ID", "2024-25"], ["RE-REF", dt.datetime(2025, 1, 1)]]}, {}, "Data!B2", "is a date, not a number"),
    ("bad period heading", {"Data": [["ID", "2024-26"], ["RE-REF", 18.6]]}, {}, "Data!B1", "not a financial year"),
    ("nonsense period heading", {"Data": [["ID", "Latest"], ["RE-REF", 18.6]]}, {}, "Data!B1", "'Latest' is not a period"),
    ("the same period twice", {"Data": [["ID", "2024-25", "2024/25"], ["RE-REF", 18.6, 18.7]]}, {}, "Data!C1", "a second column for 2024-25"),
    ("data row for an unknown indicator", {"Data": [["ID", "2024-25"], ["RE-REF", 18.6], ["REREF", 18.6]]}, {},
     "Data!A3", "'REREF' is not an indicator on the Indicators sheet"),
    ("values without an ID", {"Data": [["ID", "2024-25"], [None, 18.6]]}, {}, "Data!A2", "has values"),
    ("no ID column on Data", {"Data": [["Indicator", "2024-25"], ["RE-REF", 18.6]]}, {}, "Data!A1", "no heading row with an 'ID' column"),
    ("a percentage over 100", {"Data": [["ID", "2024-25"], ["RE-REF", 186]]}, {}, "Data!B2", "more than 100%"),
    ("a negative count", {"Data": [["ID", "2024-25"], ["CONTACTS", -5]]}, {}, "Data!B2", "negative"),
    ("negative denominator", {"Values": [["ID", "Period", "Value", "Numerator", "Denominator"], ["RE-REF", "2024-25", None, 5, -20]]}, {},
     "Values!D2", "denominator -20 is negative"),
    ("numerator larger than denominator", {"Values": [["ID", "Period", "Value", "Numerator", "Denominator"], ["RE-REF", "2024-25", None, 50, 20]]}, {},
     "Values!D2", "numerator 50 is larger than the denominator 20 (indicator RE-REF, period 2024-25)"),
    ("period missing on the Values sheet", {"Values": [["ID", "Period", "Value"], ["RE-REF", None, 18.6]]}, {}, "Values!B2", "the period is missing"),
    ("unknown comparator", {"Comparators": [["ID", "Comparator", "Period", "Value"], ["RE-REF", "Wales", "2024-25", 20.1]]}, {},
     "Comparators!B2", "'Wales' is not a comparator"),
    ("comparator value is text", {"Comparators": [["ID", "Comparator", "Period", "Value"], ["RE-REF", "England", "2024-25", "22,6"]]}, {},
     "Comparators!D2", "'22,6' is not a number"),
]


def _bad_sheets(sheets: dict) -> dict:
    full = standard()
    full.update(sheets)
    if "Values" in sheets:
        full.pop("Data")
    return full


@pytest.mark.parametrize("case", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_a_mistake_in_the_workbook_is_reported_at_its_cell(tmp_path, case):
    _name, sheets, formats, cell, words = case
    path = make_workbook(tmp_path / "inputs" / "performance.xlsx", _bad_sheets(sheets), formats=formats)
    with pytest.raises((InputError, ErrorList)) as info:
        load_workbook(path)
    errors = info.value.errors if isinstance(info.value, ErrorList) else [info.value]
    messages = [str(e) for e in errors]
    assert any(f"performance.xlsx!{cell}: " in m and words in m for m in messages), messages
    assert not any("Jayden" in m for m in messages)


@pytest.fixture(scope="module")
def a_findings_file() -> Path:
    return sorted((INPUTS / "findings").glob("*.yaml"))[0]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_selfeval_validate_answers_a_bad_workbook_with_the_cell_and_exit_code_2(tmp_path, case, a_findings_file):
    _name, sheets, formats, cell, words = case
    inputs = tmp_path / "inputs"
    (inputs / "findings").mkdir(parents=True)
    shutil.copy(a_findings_file, inputs / "findings")
    make_workbook(inputs / "performance.xlsx", _bad_sheets(sheets), formats=formats)
    result = run_cli("validate", "inputs", cwd=tmp_path)
    assert result.code == 2, result.output
    assert f"inputs/performance.xlsx!{cell}: " in result.stderr
    assert words in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_many_mistakes_are_reported_together_up_to_a_limit(tmp_path):
    rows = [["ID", "2024-25"]] + [["RE-REF" if i == 0 else f"X{i}", "n/a"] for i in range(40)]
    with pytest.raises(ErrorList) as info:
        load_workbook(make_workbook(tmp_path / "p.xlsx", standard(rows)))
    assert len(info.value.errors) == MAX_ERRORS + 1
    assert "more problems not shown" in str(info.value.errors[-1])


@pytest.mark.parametrize(
    "name, sheets, words",
    [
        ("no Indicators sheet", {"Data": [["ID", "2024-25"]]}, "no 'Indicators' sheet"),
        ("no Data or Values sheet", {"Indicators": [INDICATOR_HEADINGS, RE_REF]}, "no 'Data' sheet"),
    ],
)
def test_a_workbook_missing_a_sheet_says_which(tmp_path, name, sheets, words):
    path = make_workbook(tmp_path / "p.xlsx", sheets)
    with pytest.raises(InputError, match=words):
        load_workbook(path)


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    return path


@pytest.mark.parametrize(
    "name, make, words",
    [
        ("a CSV renamed to .xlsx", lambda p: p.write_text("ID,2024-25\nRE-REF,18.6\n") or p, "this is not an Excel workbook"),
        ("an old .xls file", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512) or p, "old-style .xls"),
        ("an empty file", lambda p: p.write_bytes(b"") or p, "the file is empty"),
        ("a zip that is not a workbook", lambda p: zipfile.ZipFile(p, "w").writestr("a.txt", "x") or p, "zip file but not an Excel workbook"),
        ("a zip bomb", _zip_bomb, "refused as unsafe"),
    ],
)
def test_a_file_that_is_not_a_safe_workbook_is_refused_before_opening(tmp_path, name, make, words):
    path = tmp_path / "performance.xlsx"
    make(path)
    with pytest.raises(InputError, match=words) as info:
        load_workbook(path)
    assert info.value.exit_code == 2


def test_an_oversized_file_is_refused(tmp_path, monkeypatch):
    import selfeval.safety.xlsx_safety as safety

    path = make_workbook(tmp_path / "p.xlsx", standard())
    monkeypatch.setattr(safety, "MAX_BYTES", 1000)
    monkeypatch.setattr(safety.check_ooxml, "__kwdefaults__", {**safety.check_ooxml.__kwdefaults__, "max_bytes": 1000})
    with pytest.raises(InputError, match="the limit is"):
        load_workbook(path)
