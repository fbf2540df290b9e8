"""Every cell value of a workbook, fast, for the screens that need values and nothing else.

The personal-data screen reads every cell of every sheet. A workbook ``xlsx_reader`` takes is
screened from the cells it read; for one it hands to openpyxl (whose reading costs 50-90 µs a
cell), python-calamine (Rust) reads the same values about ten times faster, so the screen uses it
when it is installed.

calamine builds each sheet as one dense grid from its first to its last cell, so a forged sheet
with a cell in A1 and another in XFD1048576 would ask for billions of cells. Before calamine sees
a file, the sheets' raw XML (already size-checked by ``check_ooxml``) is scanned for the cells'
extent; beyond ``MAX_DENSE_CELLS``, or with cells whose place is not written out, the caller
falls back to openpyxl's streaming reader (``None`` here).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Iterator

MAX_DENSE_CELLS = 2_000_000  # a big real scorecard has tens of thousands

_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"\$?([A-Za-z]{1,3})\$?(\d{1,7})\"")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")

SheetCells = tuple[str, Iterator[tuple[int, int, Any]]]


def _column(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def _extent_is_small(data: bytes) -> bool:
    """The cells of one sheet's XML span at most MAX_DENSE_CELLS, and every cell says where it is."""
    refs = _CELL_REF.findall(data)
    if len(refs) != len(_ANY_CELL.findall(data)):
        return False  # a cell without r="...": where calamine puts it is not known here
    if not refs:
        return True
    rows = [int(r) for _, r in refs]
    cols = [_column(c) for c, _ in refs]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1) <= MAX_DENSE_CELLS


def _sheets_are_small(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename.lower()
                if name.startswith("xl/worksheets/") and name.endswith(".xml") and not _extent_is_small(zf.read(info)):
                    return False
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
    return True


def workbook_values(path: Path) -> list[SheetCells] | None:
    """(sheet name, (row, column, value) of every non-empty cell) for every worksheet, 1-based, read
    with python-calamine; ``None`` when it is not installed, cannot read the file, or the file's
    sheets are too sparse-and-wide to read as dense grids (the caller then uses openpyxl)."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum
    except ImportError:
        return None
    if not _sheets_are_small(path):
        return None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            sheets: list[SheetCells] = []
            for meta in workbook.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue  # chart and dialog sheets hold no cells
                sheet = workbook.get_sheet_by_name(meta.name)
                top, left = sheet.start if sheet.start is not None else (0, 0)
                sheets.append((meta.name, _cells(sheet.to_python(), top, left)))
            return sheets
        finally:
            workbook.close()
    except Exception:  # calamine's errors on a damaged file: openpyxl then gives the located message
        return None


def _cells(grid: list[list[Any]], top: int, left: int) -> Iterator[tuple[int, int, Any]]:
    for r, row in enumerate(grid, start=top + 1):
        for c, value in enumerate(row, start=left + 1):
            if value is not None and value != "":
                yield r, c, value
