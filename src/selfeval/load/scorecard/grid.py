"""A scorecard file (.xlsx, or .csv in UTF-8 with or without a BOM) as grids of cell values.

Workbooks go through the same checks and reader as selfeval's own format (size and zip-bomb
limits before opening, merged ranges filled, formulas without a saved result marked, and the
personal-data screen on every sheet's heading rows). A CSV is one grid named after the file;
its cells are text, read as numbers, periods and markers later, exactly as text typed in Excel.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.errors import InputError, Location, display_path
from selfeval.load.workbook import Sheet

MAX_CSV_BYTES = 50 * 1024 * 1024
SCORECARD_SUFFIXES = (".xlsx", ".xlsm", ".csv")
# A scorecard's mapping sits beside it: finding the scorecards needs its name, not the mapping's models.
MAPPING_SUFFIX = ".mapping.yaml"


def mapping_path_for(scorecard: Path) -> Path:
    return scorecard.with_name(scorecard.stem + MAPPING_SUFFIX)

# Sheets of prose or working that are never a scorecard.
SKIPPED_SHEETS = {"instructions", "readme", "read me", "notes", "guidance", "help", "about", "contents", "cover", "key", "glossary", "definitions"}


@dataclass
class Grids:
    """A scorecard's sheets (or a CSV's one), read as grids of values."""

    path: Path
    sheets: list[Sheet]
    is_csv: bool
    _shown_path: str | None = field(default=None, repr=False, compare=False)

    def where(self, sheet: Sheet, row: int | None = None, col: int | None = None) -> Location:
        """file!Sheet!Cell for a workbook; file:line (and the column letter) for a CSV."""
        from selfeval.load.workbook import column_letter

        if self.is_csv:
            return Location(self.path, cell=f"{column_letter(col)}{row}" if row and col else None, line=None if col else row)
        if row and col:
            return Location(self.path, cell=sheet.ref(row, col))
        return Location(self.path, cell=sheet.name)

    def place(self, sheet: Sheet, row: int | None = None, col: int | None = None) -> str:
        """``str(self.where(...))``, with the file's path as shown worked out once: showing it resolves
        the path against the working folder, and a scorecard names a cell on every row."""
        where = self.where(sheet, row, col)
        if not where.cell:
            return str(where)
        if self._shown_path is None:
            self._shown_path = display_path(self.path)
        return f"{self._shown_path}!{where.cell}"  # as Location.__str__ writes a cell


def read_grids(path: Path) -> Grids:
    """Every sheet of the file as a grid, after the safety checks. Raises InputError at the file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Grids(path, [_csv_sheet(path)], True)
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError(
            f"selfeval reads scorecards saved as .xlsx or .csv, not {suffix or 'a file without an extension'}: "
            "open it in Excel and save it as an Excel Workbook (.xlsx) or CSV UTF-8",
            Location(path),
        )
    from selfeval.load.workbook import WorkbookReader, screen_personal_data
    from selfeval.safety.xlsx_safety import check_ooxml

    check_ooxml(path)
    reader = WorkbookReader(path)
    try:
        screen_personal_data(reader, path)
        sheets = [reader.sheet(name) for name in reader.worksheet_names()]
    finally:
        reader.close()
    return Grids(path, sheets, False)


def _csv_sheet(path: Path) -> Sheet:
    from selfeval.safety.personal_data import TextValue, check_text_values, looks_personal

    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"the file cannot be read ({e.strerror})", Location(path)) from None
    if size > MAX_CSV_BYTES:
        raise InputError(f"the file is {size / 1024 / 1024:.0f} MB; the limit is {MAX_CSV_BYTES // 1024 // 1024} MB", Location(path))
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] or raw[:4] == b"PK\x03\x04":
        raise InputError("this is not a CSV text file (it looks like a spreadsheet saved with a .csv name): save it as CSV UTF-8", Location(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            f"the file is not UTF-8 text (byte 0x{raw[e.start]:02x}): in Excel choose Save As > 'CSV UTF-8 (Comma delimited)'",
            Location(path, line=line),
        ) from None
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[object]] = []
    for r, record in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
        row: list[object] = [cell if cell.strip() != "" else None for cell in record]
        while row and row[-1] is None:
            row.pop()
        if r <= 20:
            for c, cell in enumerate(row, start=1):
                if isinstance(cell, str) and looks_personal(cell):
                    from selfeval.load.workbook import column_letter

                    raise InputError(
                        f"the column heading '{cell.strip()}' looks like personal data about individual children. "
                        "selfeval takes aggregate figures only (percentages, rates and counts for the whole service), "
                        "never child-level data: remove this column from the file, or summarise it first",
                        Location(path, cell=f"{column_letter(c)}{r}"),
                    )
        rows.append(row)
    # The same screen as every workbook cell: NHS and NI numbers, UPNs, postcodes, dates of birth (never quoted).
    check_text_values(
        (TextValue(cell, r, c) for r, row in enumerate(rows, start=1) for c, cell in enumerate(row, start=1) if isinstance(cell, str)),
        path,
    )
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(path.stem, rows)
