"""Workbooks are read straight from their XML (no openpyxl on the normal path), and every sheet comes
out exactly as openpyxl's read-only mode gave it: the same values of the same types, the same
percentage cells, merged ranges and formulas without results, the same refusals and messages. A
file the fast reader does not take exactly so is handed to openpyxl whole."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference

import scorecard_fixtures
from conftest import INPUTS
from selfeval.errors import ErrorList, SelfevalError
from selfeval.load import workbook as workbook_module
from selfeval.load import xlsx_reader
from selfeval.load.workbook import WorkbookReader, load_workbook, screen_personal_data


def _with_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "open_book", lambda path: None)


def _typed(rows: list[list[Any]]) -> list[list[tuple[str, Any]]]:
    return [[(type(v).__name__, v) for v in row] for row in rows]


def _grids(path: Path) -> tuple[bool, list[str], list[str], dict[str, Any]]:
    try:
        reader = WorkbookReader(path)
    except SelfevalError as e:
        return False, [], [], {"error": str(e)}
    try:
        sheets: dict[str, Any] = {}
        for name in reader.sheetnames:
            try:
                sheet = reader.sheet(name)
                sheets[name] = (_typed(sheet.rows), sorted(sheet.percent_cells))
            except SelfevalError as e:
                sheets[name] = str(e)
        return reader.book is not None, reader.sheetnames, reader.worksheet_names(), sheets
    finally:
        reader.close()


def _outcome(fn: Any, path: Path) -> Any:
    try:
        return ("ok", repr(fn(path)))
    except ErrorList as e:
        return ("errors", [str(err) for err in e.errors])
    except SelfevalError as e:
        return ("error", str(e))


def _screen(path: Path) -> Any:
    try:
        reader = WorkbookReader(path)
    except SelfevalError as e:
        return ("error", str(e))
    try:
        return _outcome(lambda p: screen_personal_data(reader, p), path)
    finally:
        reader.close()


def assert_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool = True) -> None:
    took_fast, names, worksheets, sheets = _grids(path)
    assert took_fast is fast, "the fast reader should have taken this file" if fast else "openpyxl should read this file"
    screened, loaded = _screen(path), _outcome(load_workbook, path)
    with monkeypatch.context() as m:
        _with_openpyxl(m)
        took, names2, worksheets2, sheets2 = _grids(path)
        assert not took
        assert (names, worksheets) == (names2, worksheets2)
        assert sheets == sheets2
        assert screened == _screen(path)
        assert loaded == _outcome(load_workbook, path)


# -- workbooks as councils and selfeval write them ---------------------------------------------------

def test_the_example_workbook_and_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("performance.xlsx", "improvement-plan-tracker.xlsx"):
        assert_same_both_ways(INPUTS / name, monkeypatch)


@pytest.mark.parametrize(
    "build", [scorecard_fixtures.wide_scorecard, scorecard_fixtures.monthly_dashboard,
              scorecard_fixtures.long_export_xlsx, scorecard_fixtures.two_heading_rows],
)
def test_council_scorecard_layouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Any) -> None:
    assert_same_both_ways(build(tmp_path / "scorecard.xlsx"), monkeypatch)


def _every_kind_of_cell(path: Path, *, epoch_1904: bool = False) -> Path:
    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Data"
    ws.append(["ID", "Name", "2024-25", "Q1 2025-26", "When", "Flag"])
    ws.append(["A1", "Integer and float", 5, 5.0, dt.datetime(2025, 3, 31), True])
    ws.append(["A2", "Percentages", 0.85, 0.5, dt.date(2025, 3, 31), False])
    for col in ("C", "D"):
        ws[f"{col}3"].number_format = "0.0%"
    ws.append(["A3", "Literal % is not a percentage", 85, 86, dt.time(12, 30), None])
    ws["C4"].number_format = '0.0"%"'
    ws["D4"].number_format = "0.0\\%"
    ws.append(["A4", "Dates by format", 45000, 45000.5, dt.timedelta(hours=30), "x"])
    ws["C5"].number_format = "dd/mm/yyyy"
    ws["D5"].number_format = "yyyy-mm-dd h:mm"
    ws["E5"].number_format = "[h]:mm:ss"
    ws.append(["A5", "Errors and formulas", "#N/A", "=1/0", "=SUM(C2:C3)", " padded text "])
    ws["C6"].data_type = "e"
    ws.append(["A6", "Big and small", 1e20, -0.0, 12345678901234567, "1,234"])
    ws.append([None, None, None, None, None, None, None, None, "far right"])
    ws.append([])
    ws.append(["A8", "after a gap", "c", "x", "z", "n/a"])
    ws["A12"] = "Merged band"
    ws.merge_cells("A12:F12")
    ws["C13"] = 0.25
    ws["C13"].number_format = "0%"
    ws.merge_cells("C13:D14")
    ws["B20"] = CellRichText([TextBlock(InlineFont(b=True), "Bold "), "and plain"])
    ws["B21"] = "Text with _x000D_ and x005F_ escapes"
    ws["B22"] = "Unicode: café – “quotes” ✓"
    other = wb.create_sheet("Second sheet")
    other["A1"] = "Only one cell"
    chart = wb.create_chartsheet("A chart")
    bar = BarChart()
    bar.add_data(Reference(ws, min_col=3, min_row=1, max_row=4), titles_from_data=True)
    chart.add_chart(bar)
    wb.create_sheet("Empty")
    wb.save(path)
    return path


def test_every_kind_of_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_both_ways(_every_kind_of_cell(tmp_path / "cells.xlsx"), monkeypatch)


def test_the_1904_date_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_both_ways(_every_kind_of_cell(tmp_path / "mac.xlsx", epoch_1904=True), monkeypatch)


def test_a_chart_sheet_named_like_a_data_sheet_is_reported_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(["ID", "Name", "Unit", "Polarity"])
    ws.append(["X1", "Something", "count", "higher is better"])
    chart = wb.create_chartsheet("Data")
    bar = BarChart()
    bar.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    chart.add_chart(bar)
    path = tmp_path / "chart-data.xlsx"
    wb.save(path)
    assert_same_both_ways(path, monkeypatch)


# -- files written by other programs: the XML as it can come ----------------------------------------

def _rewrite(source: Path, target: Path, member: str, edit: Any) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edit(data) if info.filename == member else data)
    return target


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    "edit, fast",
    [
        (lambda d: d, True),
        (lambda d: d.replace(b"<worksheet ", b'<!DOCTYPE worksheet [<!ENTITY x "y">]><worksheet ', 1), False),
        (lambda d: d.replace(b'<row r="2"', b"<row", 1), False),  # a row without its number
        (lambda d: d.replace(b' r="B2"', b"", 1), False),  # a cell without its place
        (lambda d: d.replace(b'<c r="A2" t="inlineStr">', b'<c r="A2" t="d"><v>2025-03-31</v>', 1)
         .replace(b"<is><t>A1</t></is></c>", b"</c>", 1), False),
        (lambda d: d.replace(b"<sheetData>", b"<sheetData><!-- a comment --><?pi here?>", 1), True),
        (lambda d: d.replace(b'<dimension ref="', b'<dimension ref="bad', 1), False),
        (lambda d: d.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"), False),
        (lambda d: d.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=", 1).replace(b"</worksheet>", b"</x:worksheet>"), True),
        (lambda d: d[: len(d) // 2], False),  # cut short
    ],
)
def test_sheet_xml_variants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Any, fast: bool) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["ID", "2024-25", "2025-26"])
    ws.append(["A1", 0.5, 0.75])
    ws.append(["A2", "=B2*2", "#DIV/0!"])
    source = tmp_path / "plain.xlsx"
    wb.save(source)  # openpyxl writes strings inline, as selfeval's own workbooks have them
    path = _rewrite(source, tmp_path / "variant.xlsx", SHEET, edit)
    assert_same_both_ways(path, monkeypatch, fast=fast)


def _as_shared_strings(source: Path, target: Path, table: str | None = None) -> Path:
    """The same workbook with the sheet's inline strings moved to a shared-string table (as Excel
    writes them); ``table``: the <si> items to use instead (the cells then point at them in turn)."""
    import re

    found: list[str] = []

    def to_shared(m: re.Match[str]) -> str:
        found.append(m.group(3))
        return f'<c r="{m.group(1)}"{m.group(2)} t="s"><v>{len(found) - 1}</v></c>'

    with zipfile.ZipFile(source) as zin:
        sheet = re.sub(r'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is>(.*?)</is></c>', to_shared, zin.read(SHEET).decode())
        items = table or "".join(f"<si>{inner}</si>" for inner in found)
        parts = {
            SHEET: sheet.encode(),
            "xl/sharedStrings.xml": (
                f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>'
            ).encode(),
            "[Content_Types].xml": zin.read("[Content_Types].xml").replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
        }
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, parts.pop(info.filename, None) or zin.read(info))
            for name, data in parts.items():
                zout.writestr(name, data)
    return target


def test_shared_strings_plain_rich_and_phonetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in range(1, 5):
        ws.cell(r, 1, f"placeholder {r}")
    ws["B1"] = 0.5
    source = tmp_path / "s.xlsx"
    wb.save(source)
    assert_same_both_ways(_as_shared_strings(source, tmp_path / "shared.xlsx"), monkeypatch)
    table = (
        '<si><r><rPr><b/></rPr><t xml:space="preserve">Bold </t></r><r><t>then plain</t></r>'
        '<rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
        "<si><t>plain &amp; x005F_escaped _x000D_</t></si>"
        "<si><t>first</t><t>second t wins</t></si>"
        "<si/>"
    )
    assert_same_both_ways(_as_shared_strings(source, tmp_path / "rich.xlsx", table), monkeypatch)


def test_a_style_out_of_range_goes_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = 0.5
    source = tmp_path / "s.xlsx"
    wb.save(source)
    path = _rewrite(source, tmp_path / "bad-style.xlsx", SHEET, lambda d: d.replace(b'<c r="A1"', b'<c r="A1" s="99"', 1))
    assert_same_both_ways(path, monkeypatch, fast=False)


def test_the_normal_path_does_not_import_openpyxl(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    code = (
        "import sys; from pathlib import Path; from selfeval.load.inputs import load_inputs; "
        f"load_inputs(Path({str(folder)!r})); print('openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_copied_number_formats_are_openpyxls() -> None:
    from openpyxl.styles import numbers
    from openpyxl.utils.datetime import WINDOWS_EPOCH, MAC_EPOCH, from_excel

    assert xlsx_reader.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    formats = list(numbers.BUILTIN_FORMATS.values()) + [
        "dd/mm/yyyy", "[$-809]dd mmmm yyyy", '"Year" yyyy', "0.0%", "[h]:mm", "[mm]:ss", "[ss].00", "mm:ss", "yy",
        '[Red]0.0;[Blue]-0.0', "_-* #,##0_-", "General;@", "\\d0", "[$£-809]#,##0.00", "h", "[hh]", "",
    ]
    for fmt in formats:
        assert xlsx_reader.is_date_format(fmt) == numbers.is_date_format(fmt), fmt
        assert xlsx_reader.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt), fmt
    for value in (0, 0.5, 0.999999, 1, 59, 59.5, 60, 61, 45000, 45000.25, 2958465.9999, 1e-9, 0.0000115):
        for epoch in (WINDOWS_EPOCH, MAC_EPOCH):
            for timedelta in (False, True):
                assert _result(xlsx_reader.from_excel, value, epoch, timedelta) == _result(from_excel, value, epoch, timedelta)


def _result(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as e:  # the same failure, where openpyxl fails (a date past 9999)
        return type(e).__name__


def test_workbook_module_keeps_its_names() -> None:
    # the error class and the scanner other modules (and older tests) use are still there
    assert workbook_module._ExcelError is xlsx_reader.ExcelError
    assert callable(workbook_module._scan_sheet_xml)


def test_a_forged_sparse_sheet_is_left_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell in column XFD on many rows would make the grids billions of cells: openpyxl streams it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "ID"
    for r in range(2, 200):
        ws.cell(r, 16384, "far")
    path = tmp_path / "sparse.xlsx"
    wb.save(path)
    assert xlsx_reader.open_book(path) is None
    wb.create_sheet("Small")["A1"] = "x"
    del wb["Data"]
    wb.save(path)
    assert xlsx_reader.open_book(path) is not None


def test_a_big_sheet_is_streamed_to_the_same_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts past _TREE_MAX_BYTES are streamed row by row: the cells are the tree's, and openpyxl's."""
    paths = [INPUTS / "performance.xlsx", _every_kind_of_cell(tmp_path / "cells.xlsx"),
             scorecard_fixtures.wide_scorecard(tmp_path / "wide.xlsx")]
    trees = [_grids(p) for p in paths]
    monkeypatch.setattr(xlsx_reader, "_TREE_MAX_BYTES", 0)
    assert [_grids(p) for p in paths] == trees
    for path in paths:
        assert_same_both_ways(path, monkeypatch)


def test_a_scorecard_cell_is_named_as_its_location_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfeval.load.scorecard.grid import read_grids

    monkeypatch.chdir(tmp_path)
    for path in (scorecard_fixtures.wide_scorecard(tmp_path / "wide.xlsx"), scorecard_fixtures.long_export_csv(tmp_path / "long.csv")):
        grids = read_grids(path)
        sheet = grids.sheets[0]
        for row, col in ((1, 1), (3, 2), (12, 27), (None, None), (4, None)):
            assert grids.place(sheet, row, col) == str(grids.where(sheet, row, col))


@pytest.mark.parametrize(
    "body",
    [
        '<dimension ref="A1:C3"/><sheetData><row r="1"/></sheetData>',
        '<dimension ref="bad"/><sheetData><row r="1"/></sheetData>',
        '<sheetData><row r="1"/></sheetData><dimension ref="bad"/>',  # the parser stops at </sheetData>
        '<sheetData><row r="1"><dimension ref="bad"/></row></sheetData>',  # ends before </sheetData>
        '<sheetData><row r="1"/></sheetData>',
        '<sheetPr><dimension ref="bad"/></sheetPr><dimension ref="A1"/><sheetData/>',
        '<dimension ref="A1"/><dimension ref="bad"/><sheetData/>',
        '<dimension ref="bad"><x/></dimension><sheetData/>',
        '<sheetPr/><dimension/><sheetData/>',
        '<other><sheetData/></other><dimension ref="bad"/>',
        '',
    ],
)
def test_the_dimension_check_on_a_parsed_sheet_is_the_streamed_one(body: str) -> None:
    """A sheet parsed whole has its <dimension> checked on the tree, as the streaming check did."""
    from xml.etree import ElementTree as ET

    from selfeval.load import xlsx_reader

    data = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</worksheet>'.encode()

    def refused(check: Any, arg: Any) -> bool:
        try:
            check(arg)
        except xlsx_reader.NotPlain:
            return True
        return False

    assert refused(xlsx_reader._check_tree_dimension, ET.fromstring(data)) == refused(xlsx_reader._check_dimension, data)
