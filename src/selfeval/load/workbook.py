"""Read the council's performance workbook (``inputs/performance.xlsx``).

Workbook format (full user guide: ``docs/workbook-format.md``). Sheet names and column headings
are matched ignoring case, spacing, underscores/hyphens, ``*`` and anything in brackets, so
"Judgement Area", "judgement_area" and "Judgement area (ILACS)" are the same heading.

``Indicators`` (required) — one row per indicator; the header row is the first row (of the first 20)
with an ``ID`` heading, so title rows above it are fine. Columns:

    ID*, Name*, Judgement area, Framework ref, Unit*, Polarity*, Decimals, Target, Tolerance,
    Key (yes/no), Internal (yes/no), Definition, Source          (* required; others optional)

``Data`` (the wide layout most councils keep) — ``ID`` column, then one column per period. A period
heading may be a real date or text: ``2024`` (calendar year), ``2024-25`` / ``2024/25`` (financial
year), ``2025-Q2`` / ``Q2 2025`` (calendar quarter), ``2025-26 Q1`` / ``Q1 2025/26`` (financial
quarter), ``Mar 2025`` / ``2025-03`` (month), ``31/03/2025`` (a snapshot date). Two heading rows
are supported: a merged ``2025-26`` above ``Q1 Q2 Q3 Q4``. An optional ``Measure`` column marks
rows holding the ``Numerator`` or ``Denominator`` of the indicator on the row above (blank =
``Value``). Columns headed Name, Indicator, Unit, Notes, Comments, etc. are ignored.

``Values`` (optional, long layout, instead of or as well as ``Data``) — ID, Period, Value,
Numerator, Denominator.

``Comparators`` (optional, long layout) — ID, Comparator (England, Region or a region's name such
as London, Statistical neighbours), Period, Value, Source.

``Instructions`` and any other sheets are ignored.

Values: an empty cell means "no value". Anything else must be a number (text such as ``"85%"`` or
``"1,234"`` is accepted); ``n/a``, ``-`` and Excel errors are reported. Percentages may be stored
as 85 or as 0.85: a cell formatted as a percentage is always a fraction (0.85 shown as 85%); for
other cells of a ``%`` indicator, if *every* value on that indicator's row (or, for the long
sheets, all of that indicator's values) is 1 or less, they are read as fractions and multiplied by
100, and a note says so. A target is read the same way; a tolerance is in percentage points unless
its cell is formatted as a percentage. If a value is blank but a numerator and denominator are given,
the value is calculated (``%`` x100, rate per 10,000 x10,000, ratio and days as the quotient).

Every problem is reported at its cell (``inputs/performance.xlsx!Data!D14: ...``); up to
``MAX_ERRORS`` problems are collected and raised together as an ``ErrorList``.

The file is first checked by ``xlsx_safety.check_ooxml`` (size, zip bomb, merged-cell bounds).
Cells are read by ``xlsx_reader`` straight from the sheets' XML with the values openpyxl's
read-only, data-only mode gives (a file it does not take exactly so is read with openpyxl and
defusedxml, as before). Merged ranges have their value copied into every cell of the range, and
formula cells with no saved result are reported ("open and save in Excel").
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import ValidationError

from selfeval.errors import ErrorList, InputError, Location, SelfevalError
from selfeval.load.xlsx_reader import ExcelError
from selfeval.safety.xlsx_safety import check_ooxml
from selfeval.models.performance import (
    ID_PATTERN,
    Comparator,
    Indicator,
    Observation,
    PerformanceData,
    Period,
    comparator_kind,
    heading_key,
    squash,
)

MAX_ERRORS = 20
HEADER_SEARCH_ROWS = 20
FORMULA_MESSAGE = (
    "this cell has a formula but no saved result (the file was last saved by a program that does not "
    "calculate): open the workbook in Excel, save it, and run again"
)


class _FormulaWithoutValue:
    def __repr__(self) -> str:
        return "<formula without cached value>"


FORMULA = _FormulaWithoutValue()


# -- headings ----------------------------------------------------------------------------------

ID_HEADINGS = {"id", "indicator id", "indicator code", "code", "kpi id", "kpi code"}

INDICATOR_COLUMNS: dict[str, set[str]] = {
    "id": ID_HEADINGS,
    "name": {"name", "indicator", "indicator name", "title", "kpi", "measure name"},
    "judgement_area": {"judgement area", "area", "ilacs area", "ilacs judgement area", "judgement"},
    "framework_refs": {
        "framework ref", "framework refs", "framework reference", "national framework", "national framework ref",
        "framework", "outcome/enabler", "framework outcome/enabler", "national framework outcome/enabler",
    },
    "unit": {"unit", "units", "unit of measure"},
    "polarity": {"polarity", "good is", "direction of good"},
    "decimals": {"decimals", "decimal places", "dp"},
    "target": {"target"},
    "tolerance": {"tolerance", "amber tolerance", "tolerance for amber"},
    "key": {"key", "key indicator", "chart"},
    "internal": {"internal", "internal only"},
    "definition": {"definition", "description"},
    "source": {"source", "data source"},
}
INDICATOR_REQUIRED = ("id", "name", "unit", "polarity")

DATA_IGNORED = {
    "name", "indicator", "indicator name", "title", "unit", "units", "polarity", "notes", "note", "comment", "comments",
    "description", "definition", "area", "judgement area", "framework ref", "framework", "target", "tolerance",
    "source", "rag", "key", "internal", "decimals", "commentary", "owner", "lead", "frequency",
}
MEASURES = {"value": "value", "": "value", "numerator": "numerator", "num": "numerator", "denominator": "denominator", "den": "denominator", "denom": "denominator"}

VALUES_COLUMNS: dict[str, set[str]] = {
    "id": ID_HEADINGS,
    "period": {"period", "date", "year", "quarter", "month"},
    "value": {"value", "council value", "our value", "la value"},
    "numerator": {"numerator", "num"},
    "denominator": {"denominator", "den", "denom"},
}
COMPARATOR_COLUMNS: dict[str, set[str]] = {
    "id": ID_HEADINGS,
    "comparator": {"comparator", "benchmark", "compared with", "comparator group"},
    "period": {"period", "date", "year"},
    "value": {"value", "comparator value"},
    "source": {"source", "data source"},
}


# -- a sheet read into memory --------------------------------------------------------------------

@dataclass
class Sheet:
    """A worksheet's cells as a grid, with merged ranges filled and formula cells marked."""

    name: str
    rows: list[list[Any]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 1-based

    def value(self, row: int, col: int) -> Any:
        if 1 <= row <= len(self.rows):
            r = self.rows[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return None

    def is_percent(self, row: int, col: int) -> bool:
        return (row, col) in self.percent_cells

    def ref(self, row: int, col: int) -> str:
        return f"{self.name}!{column_letter(col)}{row}"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def column_letter(col: int) -> str:
    letters = _LETTERS.get(col)
    if letters is None:
        letters = ""
        n = col
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        if 0 < col <= 18_278:  # A to ZZZ: a bounded cache (every cell reference asks)
            _LETTERS[col] = letters
    return letters


_LETTERS: dict[int, str] = {}


def _coord(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", text)
    if not m:
        raise ValueError(text)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z0-9:$]+)"')


def _merged_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges in a sheet's raw XML, as (first row, first column, last row, last column)."""
    if b"mergeCell" not in data:
        return []  # most sheets: one quick scan, where the pattern is tried at every '<'
    merges = []
    for m in _MERGE_RE.finditer(data):
        parts = m.group(1).decode("ascii").split(":")
        try:
            r1, c1 = _coord(parts[0])
            r2, c2 = _coord(parts[-1])
        except ValueError:
            continue
        merges.append((r1, c1, r2, c2))
    return merges


def _scan_sheet_xml(data: bytes) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """Merged ranges, and the cells holding a formula with no saved value, from a sheet's raw XML."""
    merges = _merged_ranges(data)
    missing: set[tuple[int, int]] = set()
    if b"<f" in data or b":f>" in data or b":f " in data:
        from defusedxml.ElementTree import iterparse

        import io

        for _event, el in iterparse(io.BytesIO(data), events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "c":
                f = v = None
                for child in el:
                    ctag = child.tag.rsplit("}", 1)[-1]
                    if ctag == "f":
                        f = child
                    elif ctag == "v":
                        v = child
                    elif ctag == "is":
                        v = child
                if f is not None and (v is None or (v.text is None and len(v) == 0)) and el.get("r"):
                    try:
                        missing.add(_coord(el.get("r")))
                    except ValueError:
                        pass
                el.clear()
            elif tag == "row":
                el.clear()
    return merges, missing


class WorkbookReader:
    """A workbook's sheets as ``Sheet`` grids by (fuzzy) name.

    Read straight from the XML by ``xlsx_reader`` (the values openpyxl gives, ten times faster and
    without importing openpyxl); a file that reader does not take exactly as openpyxl would is read
    with openpyxl, read-only and data-only, with defusedxml, as before."""

    def __init__(self, path: Path):
        from selfeval.load.xlsx_reader import open_book

        self.path = path
        self.book = open_book(path)
        self.wb: Any = None
        if self.book is None:
            self.wb = self._open_with_openpyxl(path)
            self.sheetnames: list[str] = list(self.wb.sheetnames)
        else:
            self.sheetnames = list(self.book.sheetnames)
        self.names = {squash(n): n for n in self.sheetnames}

    def _open_with_openpyxl(self, path: Path) -> Any:
        import openpyxl
        from openpyxl.xml import DEFUSEDXML

        if not DEFUSEDXML:
            raise SelfevalError(
                "selfeval needs the 'defusedxml' package to read workbooks safely: reinstall selfeval "
                "(pip install selfeval) and do not set OPENPYXL_DEFUSEDXML=False",
                Location(path),
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception as e:  # openpyxl's failures on damaged files are many and untyped
            raise InputError(f"the file cannot be read as an Excel workbook ({type(e).__name__}: {e})", Location(path)) from None

    def close(self) -> None:
        if self.wb is not None:
            self.wb.close()

    def worksheet_names(self) -> list[str]:
        """The sheets that hold cells (chart sheets hold none)."""
        if self.book is not None:
            return [n for n in self.sheetnames if n in self.book.sheets]
        return [n for n in self.sheetnames if hasattr(self.wb[n], "iter_rows")]

    def find(self, *names: str) -> str | None:
        for n in names:
            if squash(n) in self.names:
                return self.names[squash(n)]
        return None

    def sheet(self, name: str) -> Sheet:
        if self.book is not None:
            return self._fast_sheet(name)
        ws = self.wb[name]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # a forged <dimension> must not make every row 16,384 cells wide
        try:
            return self._read_sheet(ws, name)
        except SelfevalError:
            raise
        except Exception as e:  # openpyxl's XML and value errors on a damaged sheet are many and untyped
            from selfeval.safety.personal_data import damaged_sheet

            raise damaged_sheet(self.path, name, e) from None

    def _fast_sheet(self, name: str) -> Sheet:
        assert self.book is not None
        cells = self.book.sheets.get(name)
        if cells is None:  # a chart sheet: openpyxl's has no rows to read, and says so
            from selfeval.safety.personal_data import damaged_sheet

            raise damaged_sheet(self.path, name, AttributeError("'Chartsheet' object has no attribute 'iter_rows'"))
        percent = {at for at, fmt in cells.number_formats.items() if _is_percent_cached(fmt)}
        sheet = Sheet(name, [list(row) for row in cells.rows], percent)
        _apply_scan(sheet, _merged_ranges(cells.xml), cells.formulas_without_values)
        return sheet

    def _read_sheet(self, ws: Any, name: str) -> Sheet:
        rows: list[list[Any]] = []
        percent: set[tuple[int, int]] = set()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r, cells in enumerate(ws.iter_rows(), start=1):
                row = []
                for c, cell in enumerate(cells, start=1):
                    value = getattr(cell, "value", None)
                    if value is not None and getattr(cell, "data_type", None) == "e":
                        value = _ExcelError(str(value))
                    elif isinstance(value, (int, float)) and not isinstance(value, bool):
                        if is_percent_format(getattr(cell, "number_format", "") or ""):
                            percent.add((r, c))
                    row.append(value)
                while row and row[-1] is None:
                    row.pop()
                rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        sheet = Sheet(name, rows, percent)
        self._apply_xml_scan(ws, sheet)
        return sheet

    def _apply_xml_scan(self, ws: Any, sheet: Sheet) -> None:
        member = getattr(ws, "_worksheet_path", None)
        if not member:
            return
        try:
            with zipfile.ZipFile(self.path) as zf:
                data = zf.read(member)
        except (KeyError, OSError, zipfile.BadZipFile):
            return
        merges, missing = _scan_sheet_xml(data)
        _apply_scan(sheet, merges, missing)


def _apply_scan(sheet: Sheet, merges: list[tuple[int, int, int, int]], missing: set[tuple[int, int]]) -> None:
    """Mark formulas saved without a result, and copy each merged range's value into its cells."""
    for r, c in missing:
        if sheet.value(r, c) is None:
            _set(sheet, r, c, FORMULA)
    # A merged range only matters where the sheet has data: bound it to the used range, so a
    # range reaching XFD1048576 costs no more than the cells really there.
    used_rows, used_cols = len(sheet.rows), sheet.width
    for r1, c1, r2, c2 in merges:
        anchor = sheet.value(r1, c1)
        if anchor is None:
            continue
        for r in range(r1, min(r2, used_rows) + 1):
            for c in range(c1, min(c2, used_cols) + 1):
                if (r, c) != (r1, c1) and sheet.value(r, c) is None:
                    _set(sheet, r, c, anchor)
                    if sheet.is_percent(r1, c1):
                        sheet.percent_cells.add((r, c))


_PERCENT_FORMATS: dict[str, bool] = {}  # a workbook uses a handful of formats; bounded below


def _is_percent_cached(fmt: str) -> bool:
    if fmt not in _PERCENT_FORMATS:
        if len(_PERCENT_FORMATS) > 1024:  # a long batch run meets many workbooks: never grow without bound
            _PERCENT_FORMATS.clear()
        _PERCENT_FORMATS[fmt] = is_percent_format(fmt)
    return _PERCENT_FORMATS[fmt]


def is_percent_format(fmt: str) -> bool:
    """'0.0%' -> True; '0.0"%"' and '0.0\\%' (a literal % sign after a plain number) -> False."""
    if "%" not in fmt:
        return False
    fmt = re.sub(r'"[^"]*"', "", fmt)
    fmt = re.sub(r"\\.", "", fmt)
    fmt = re.sub(r"\[[^\]]*\]", "", fmt)
    return "%" in fmt


def _set(sheet: Sheet, row: int, col: int, value: Any) -> None:
    while len(sheet.rows) < row:
        sheet.rows.append([])
    r = sheet.rows[row - 1]
    while len(r) < col:
        r.append(None)
    r[col - 1] = value


# An Excel error value such as #DIV/0! or #N/A, as saved in the cell (a str, told apart by its class).
_ExcelError = ExcelError


# -- cell values ---------------------------------------------------------------------------------

class CellProblem(ValueError):
    """A problem with one cell; the loader adds where it is."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not isinstance(value, _ExcelError) and value.strip() == "")


_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(value: Any) -> tuple[float | None, bool]:
    """(number, explicit_percent) for a cell value; (None, False) if blank. Raises CellProblem otherwise.

    ``explicit_percent`` is True for text such as "85%": the number is already a percentage.
    """
    if value is FORMULA:
        raise CellProblem(FORMULA_MESSAGE)
    if _blank(value):
        return None, False
    if isinstance(value, _ExcelError):
        raise CellProblem(f"'{value}' is an Excel error, not a number: fix the formula or clear the cell")
    if isinstance(value, bool):
        raise CellProblem(f"'{value}' is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise CellProblem("is not a number")
        return number, False
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise CellProblem(f"'{value}' is a date, not a number: format the cell as a number")
    text = str(value).strip().replace("\u00a0", " ")
    percent = text.endswith("%")
    core = text[:-1].strip() if percent else text
    if core and _NUMBER_RE.match(core) and any(ch.isdigit() for ch in core):
        return float(core.replace(",", "")), percent
    raise CellProblem(f"{_quoted(text)} is not a number (leave the cell empty if there is no value)")


# Words in capitals, as a person's name is written ('Jayden Smith', "O'Neil", 'Mary-Jane'): such a
# cell is never quoted back, since it may name a child. Markers ('n/a', 'TBC', 'c'), numbers written
# oddly ('22,6') and notes ('awaiting sign-off') are, so the person sees what to fix.
_NAME_PART = r"[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+|[A-Z][a-z]+)*"  # each repeat starts with a mark or a capital: no backtracking
_NAME_LIKE = re.compile(rf"{_NAME_PART}(?: {_NAME_PART}){{0,3}}")


def _quoted(text: str) -> str:
    if len(text) <= 80 and _NAME_LIKE.fullmatch(text) and not text.isupper():
        return "the cell's text (not repeated here: it could be a name)"
    return f"'{text}'"


def _text(value: Any) -> str | None:
    if value is FORMULA:
        raise CellProblem(FORMULA_MESSAGE)
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


# -- the loader ------------------------------------------------------------------------------------

class _Errors:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[SelfevalError] = []
        self.overflow = 0

    def add(self, sheet: Sheet | str, row: int | None, col: int | None, message: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.overflow += 1
            return
        name = sheet.name if isinstance(sheet, Sheet) else sheet
        cell = f"{name}!{column_letter(col)}{row}" if row and col else name
        self.items.append(InputError(message, Location(self.path, cell=cell)))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        if self.overflow:
            self.items.append(InputError(f"... and {self.overflow} more problems not shown: fix these first", Location(self.path)))
        if len(self.items) == 1:
            raise self.items[0]
        raise ErrorList(list(self.items))


@dataclass
class _Header:
    """The row of a sheet's column headings, and the column of each field."""

    row: int
    columns: dict[str, int]  # field -> column


def _find_header(sheet: Sheet, columns: dict[str, set[str]], errors: _Errors, required: Iterable[str]) -> _Header | None:
    header_row = None
    for r in range(1, min(len(sheet.rows), HEADER_SEARCH_ROWS) + 1):
        if any(not _blank(v) and v is not FORMULA and heading_key(v) in ID_HEADINGS for v in sheet.rows[r - 1]):
            header_row = r
            break
    if header_row is None:
        errors.add(sheet, 1, 1, f"no heading row with an 'ID' column in the first {HEADER_SEARCH_ROWS} rows of the {sheet.name} sheet")
        return None
    # A heading merged over two rows fills both: use the lower row, so the upper one can group periods.
    id_col = next(c for c, v in enumerate(sheet.rows[header_row - 1], 1) if not _blank(v) and v is not FORMULA and heading_key(v) in ID_HEADINGS)
    if header_row < len(sheet.rows) and sheet.value(header_row + 1, id_col) == sheet.value(header_row, id_col):
        header_row += 1
    found: dict[str, int] = {}
    for c, v in enumerate(sheet.rows[header_row - 1], 1):
        if _blank(v) or v is FORMULA:
            continue
        key = heading_key(v)
        for fieldname, names in columns.items():
            if key in names:
                if fieldname in found:
                    errors.add(sheet, header_row, c, f"a second '{v}' column (the first is column {column_letter(found[fieldname])})")
                else:
                    found[fieldname] = c
                break
    missing = [f for f in required if f not in found]
    if missing:
        listed = ", ".join(f"'{f.replace('_', ' ').capitalize()}'" for f in missing)
        errors.add(sheet, header_row, 1, f"the heading row has no {listed} column")
        return None
    return _Header(header_row, found)


def load_workbook(path: Path) -> PerformanceData:
    """Read and check a performance workbook. Raises InputError or ErrorList located at Sheet!Cell."""
    path = Path(path)
    check_ooxml(path)
    reader = WorkbookReader(path)
    try:
        screen_personal_data(reader, path)  # aggregate figures only: refuse child-level data
        return _Loader(path, reader).load()
    finally:
        reader.close()


def screen_personal_data(reader: WorkbookReader, path: Path) -> None:
    """The personal-data screen on every cell of every sheet: values read with python-calamine where it
    can (ten times faster; see selfeval.load.xlsx_values), else streamed with openpyxl."""
    from selfeval.load.xlsx_values import workbook_values
    from selfeval.safety.personal_data import check_cell_values, check_no_personal_data

    if reader.book is not None:  # every worksheet already read, with openpyxl's values
        from selfeval.load.xlsx_reader import non_empty_cells

        check_cell_values(((name, non_empty_cells(cells)) for name, cells in reader.book.sheets.items()), path)
        return
    sheets = workbook_values(path)
    if sheets is None:
        check_no_personal_data(reader.wb, path)
    else:
        check_cell_values(sheets, path)


class _Loader:
    def __init__(self, path: Path, reader: WorkbookReader):
        self.path = path
        self.reader = reader
        self.errors = _Errors(path)
        self.notes: list[str] = []
        self.indicators: dict[str, Indicator] = {}
        self.indicator_rows: dict[str, int] = {}
        self.target_cells: dict[str, tuple[Sheet, int, int]] = {}
        self.fraction_rows: set[str] = set()  # % indicators whose values were read as fractions
        self.percent_rows: set[str] = set()  # % indicators whose values were read as percentages
        self.periods: dict[tuple[type, Any], Period] = {}  # each long-layout period cell value, parsed once
        self.kinds: dict[str, tuple[str, str] | None] = {}  # each comparator name, looked up once

    def _indicator_rows(self, sheet: Sheet, header_row: int, cols: dict[str, int]) -> Iterator[tuple[int, dict[str, Any], str, Indicator]]:
        """The non-blank rows of a long-layout sheet that name a known indicator (others are reported)."""
        for r in range(header_row + 1, len(sheet.rows) + 1):
            raw = {f: sheet.value(r, c) for f, c in cols.items()}
            if all(_blank(v) for v in raw.values()):
                continue
            found = self._row_indicator(sheet, r, cols["id"], raw["id"])
            if found is not None:
                yield (r, raw, *found)

    def _row_indicator(self, sheet: Sheet, row: int, col: int, raw: Any) -> tuple[str, Indicator] | None:
        """The indicator a long-layout row is about, or None after reporting why it is not known."""
        try:
            ident = _text(raw)
        except CellProblem as e:
            self.errors.add(sheet, row, col, str(e))
            return None
        if ident is None:
            self.errors.add(sheet, row, col, "this row has no indicator ID")
            return None
        ind = self._known(sheet, row, col, ident)
        return (ident, ind) if ind is not None else None

    def _period(self, sheet: Sheet, row: int, col: int, raw: Any, ident: str) -> Period | None:
        """The period in a long-layout row, or None after reporting why it cannot be read."""
        try:
            if raw is FORMULA:
                raise ValueError(FORMULA_MESSAGE)
            if _blank(raw):
                raise ValueError("the period is missing")
            # A long sheet repeats a handful of periods on every row; a Period is frozen, so the rows
            # with the same cell value can share the one parsed (keyed by type too: 2024 is not '2024').
            key = (type(raw), raw)
            period = self.periods.get(key)
            if period is None:
                period = self.periods[key] = Period.parse(raw)
            return period
        except ValueError as e:
            self.errors.add(sheet, row, col, f"{e} (indicator {ident})")
            return None

    def load(self) -> PerformanceData:
        r = self.reader
        ind_name = r.find("Indicators", "Indicator definitions", "Definitions")
        data_name = r.find("Data")
        values_name = r.find("Values")
        comp_name = r.find("Comparators", "Benchmarks")
        if ind_name is None:
            found = ", ".join(r.sheetnames)
            raise InputError(
                f"the workbook has no 'Indicators' sheet (its sheets are: {found}); start from the template made by 'selfeval init'",
                Location(self.path),
            )
        if data_name is None and values_name is None:
            raise InputError(
                "the workbook has no 'Data' sheet (one column per period) or 'Values' sheet (one row per value); "
                "start from the template made by 'selfeval init'",
                Location(self.path),
            )
        self._indicators(r.sheet(ind_name))
        observations: dict[tuple, Observation] = {}
        if data_name is not None:
            self._data(r.sheet(data_name), observations)
        if values_name is not None:
            self._values(r.sheet(values_name), observations)
        comparators: list[Comparator] = []
        if comp_name is not None:
            comparators = self._comparators(r.sheet(comp_name))
        self._targets()
        self.errors.raise_if_any()
        return PerformanceData(
            source_path=str(self.path),
            indicators=list(self.indicators.values()),
            observations=list(observations.values()),
            comparators=comparators,
            notes=self.notes,
        )

    # -- Indicators ------------------------------------------------------------------------------

    def _indicators(self, sheet: Sheet) -> None:
        header = _find_header(sheet, INDICATOR_COLUMNS, self.errors, INDICATOR_REQUIRED)
        if header is None:
            return
        cols = header.columns
        for r in range(header.row + 1, len(sheet.rows) + 1):
            raw = {f: sheet.value(r, c) for f, c in cols.items()}
            if all(_blank(v) for v in raw.values()):
                continue
            record: dict[str, Any] = {"row": r}
            ok = True
            for fieldname, value in raw.items():
                c = cols[fieldname]
                try:
                    if fieldname in ("target", "tolerance"):
                        number, explicit = parse_number(value)
                        if number is not None and (sheet.is_percent(r, c) and not explicit):
                            number *= 100
                        record[fieldname] = number
                        if fieldname == "target" and number is not None:
                            record["_target_formatted"] = sheet.is_percent(r, c) or explicit
                    elif fieldname == "decimals":
                        record[fieldname] = None if _blank(value) else (value if isinstance(value, (int, float)) and not isinstance(value, bool) else _text(value))
                    else:
                        record[fieldname] = _text(value)
                except CellProblem as e:
                    self.errors.add(sheet, r, c, str(e))
                    ok = False
            ident = record.get("id")
            if not ident:
                if any(not _blank(record.get(f)) for f in ("unit", "polarity")):
                    self.errors.add(sheet, r, cols["id"], "this indicator has no ID: give it a short code such as RE-REF")
                continue  # a heading or note row
            if not re.match(ID_PATTERN, ident):
                self.errors.add(sheet, r, cols["id"], f"'{ident}' is not a usable ID: use letters, digits, '-', '_' or '.', with no spaces")
                continue
            if ident in self.indicator_rows:
                self.errors.add(sheet, r, cols["id"], f"duplicate indicator ID '{ident}' (already used on row {self.indicator_rows[ident]})")
                continue
            self.indicator_rows[ident] = r
            if not ok:
                continue
            target_formatted = record.pop("_target_formatted", False)
            for required in ("name", "unit", "polarity"):
                if record.get(required) is None:
                    self.errors.add(sheet, r, cols[required], f"the {required} of indicator {ident} is missing")
                    ok = False
            if not ok:
                continue
            try:
                indicator = Indicator.model_validate(record)
            except ValidationError as e:
                for err in e.errors(include_url=False):
                    fieldname = str(err["loc"][0]) if err["loc"] else "id"
                    col = cols.get(fieldname, cols["id"])
                    self.errors.add(sheet, r, col, f"{err['msg']} (indicator {ident})")
                continue
            self.indicators[ident] = indicator
            if indicator.target is not None and not target_formatted:
                self.target_cells[ident] = (sheet, r, cols["target"])
        if not self.indicator_rows and not self.errors.items:
            self.errors.add(sheet, header.row + 1, 1, "the Indicators sheet lists no indicators")

    def _targets(self) -> None:
        """A % target of 1 or less is a fraction (0.9 = 90%) unless the indicator's values are plain percentages."""
        for ident, (sheet, r, c) in self.target_cells.items():
            ind = self.indicators[ident]
            if ind.unit == "%" and ind.target is not None and 0 < ind.target <= 1 and ident not in self.percent_rows:
                ind.target = ind.target * 100
                self.notes.append(
                    f"{sheet.ref(r, c)}: target {ind.target / 100:g} for {ident} was read as {ind.target:g}% "
                    "(format the cell as a percentage or type the target as a percentage to avoid this guess)"
                )

    # -- shared checks ------------------------------------------------------------------------------

    def _known(self, sheet: Sheet, r: int, c: int, ident: str) -> Indicator | None:
        ind = self.indicators.get(ident)
        if ind is None:
            if ident in self.indicator_rows:
                return None  # defined, but its definition has an error already reported
            self.errors.add(sheet, r, c, f"'{ident}' is not an indicator on the Indicators sheet: add it there or correct the ID")
        return ind

    def _normalise_percent(
        self, ind: Indicator, items: list[tuple[Sheet, int, int, float, bool]], where: str, *, own: bool = True
    ) -> list[float]:
        """items: (sheet, row, col, number, already_percent). Returns the numbers as percentages."""
        plain = [n for (_s, _r, _c, n, done) in items if not done]
        as_fraction = bool(plain) and all(abs(n) <= 1 for n in plain) and any(n != 0 for n in plain)
        if ind.unit == "%" and plain and own:
            (self.fraction_rows if as_fraction else self.percent_rows).add(ind.id)
        if as_fraction:
            s, r, c, _n, _d = next(i for i in items if not i[4])
            self.notes.append(
                f"{s.ref(r, c)}: all of {ind.id}'s {where} are 1 or less, so they were read as fractions "
                "(0.85 = 85%); format the cells as percentages or type 85 for 85% to avoid this guess"
            )
        return [n * 100 if (as_fraction and not done) else n for (_s, _r, _c, n, done) in items]

    def _check_value(self, sheet: Sheet, r: int, c: int, ind: Indicator, value: float, context: str) -> bool:
        if value < 0:
            self.errors.add(sheet, r, c, f"{value:g} is negative; {ind.unit} values cannot be ({context})")
            return False
        if ind.unit == "%" and value > 100:
            self.errors.add(sheet, r, c, f"{value:g}% is more than 100% ({context})")
            return False
        return True

    def _add_observation(
        self, observations: dict[tuple, Observation], sheet: Sheet, r: int, c: int, ind: Indicator, period: Period,
        value: float | None, numerator: float | None, denominator: float | None, num_cell: tuple[int, int] | None,
    ) -> None:
        context = f"indicator {ind.id}, period {period.label}"
        nr, nc = num_cell or (r, c)
        if denominator is not None and denominator < 0:
            self.errors.add(sheet, nr, nc, f"the denominator {denominator:g} is negative ({context})")
            return
        if numerator is not None and numerator < 0:
            self.errors.add(sheet, nr, nc, f"the numerator {numerator:g} is negative ({context})")
            return
        if numerator is not None and denominator is not None:
            if ind.unit == "%" and numerator > denominator:
                self.errors.add(sheet, nr, nc, f"the numerator {numerator:g} is larger than the denominator {denominator:g} ({context})")
                return
            if value is None and denominator > 0:
                scale = {"%": 100, "rate per 10,000": 10_000}.get(ind.unit, 1)
                value = numerator if ind.unit == "count" else numerator / denominator * scale
        if value is not None and not self._check_value(sheet, r, c, ind, value, context):
            return
        if value is None and numerator is None and denominator is None:
            return
        key = (ind.id, period.identity)
        if key in observations:
            self.errors.add(sheet, r, c, f"a second value for {ind.id} in {period.label} (the first is at {observations[key].cell})")
            return
        observations[key] = Observation(
            indicator_id=ind.id, period=period, value=value, numerator=numerator, denominator=denominator, cell=sheet.ref(r, c)
        )

    # -- Data (wide) -------------------------------------------------------------------------------

    def _data(self, sheet: Sheet, observations: dict[tuple, Observation]) -> None:
        header = _find_header(sheet, {"id": ID_HEADINGS, "measure": {"measure", "value type", "type"}}, self.errors, ("id",))
        if header is None:
            return
        hr = header.row
        periods: dict[int, Period] = {}
        seen: dict[tuple, int] = {}
        for c in range(1, sheet.width + 1):
            if c in header.columns.values():
                continue
            v = sheet.value(hr, c)
            if v is FORMULA:
                self.errors.add(sheet, hr, c, FORMULA_MESSAGE)
                continue
            if _blank(v):
                continue
            if isinstance(v, str) and heading_key(v) in DATA_IGNORED:
                continue
            try:
                period = self._period_heading(v, sheet.value(hr - 1, c) if hr > 1 else None)
            except ValueError as e:
                self.errors.add(sheet, hr, c, f"{e} (column headings on the Data sheet must be periods)")
                continue
            if period.identity in seen:
                self.errors.add(sheet, hr, c, f"a second column for {period.label} (the first is column {column_letter(seen[period.identity])})")
                continue
            seen[period.identity] = c
            periods[c] = period
        id_col = header.columns["id"]
        measure_col = header.columns.get("measure")
        # Gather rows: indicator id -> {measure: (row, {col: cell value})}
        rows_by_id: dict[str, dict[str, int]] = {}
        last_id: str | None = None
        for r in range(hr + 1, len(sheet.rows) + 1):
            try:
                ident = _text(sheet.value(r, id_col))
                measure_text = _text(sheet.value(r, measure_col)) if measure_col else None
            except CellProblem as e:
                self.errors.add(sheet, r, id_col, str(e))
                continue
            measure = MEASURES.get(squash(measure_text or ""))
            if measure is None:
                self.errors.add(sheet, r, measure_col, f"'{measure_text}' is not a measure (use Value, Numerator or Denominator)")
                continue
            if ident is None and measure != "value" and last_id:
                ident = last_id
            has_values = any(not _blank(sheet.value(r, c)) for c in periods)
            if ident is None:
                if has_values:
                    first = next(c for c in periods if not _blank(sheet.value(r, c)))
                    self.errors.add(sheet, r, id_col, f"this row has values (e.g. in {sheet.ref(r, first)}) but no indicator ID")
                continue
            last_id = ident
            if ident not in self.indicators:
                if has_values or measure == "value":
                    self._known(sheet, r, id_col, ident)
                continue
            by_measure = rows_by_id.setdefault(ident, {})
            if measure in by_measure:
                self.errors.add(sheet, r, id_col, f"a second {measure} row for {ident} (the first is row {by_measure[measure]})")
                continue
            by_measure[measure] = r
        for ident, by_measure in rows_by_id.items():
            ind = self.indicators[ident]
            parsed: dict[str, dict[int, tuple[float, bool]]] = {}
            for measure, r in by_measure.items():
                parsed[measure] = {}
                for c, period in periods.items():
                    try:
                        number, explicit = parse_number(sheet.value(r, c))
                    except CellProblem as e:
                        self.errors.add(sheet, r, c, f"{e} (indicator {ident}, period {period.label})")
                        continue
                    if number is None:
                        continue
                    if measure == "value" and sheet.is_percent(r, c) and not explicit:
                        number, explicit = number * 100, True
                    parsed[measure][c] = (number, explicit or measure != "value" or ind.unit != "%")
            values = parsed.get("value", {})
            if ind.unit == "%" and values:
                r = by_measure["value"]
                items = [(sheet, r, c, n, done) for c, (n, done) in values.items()]
                fixed = self._normalise_percent(ind, items, "values on this row")
                values = {c: (n, True) for c, n in zip(values, fixed)}
            for c, period in periods.items():
                value = values.get(c, (None, True))[0]
                num = parsed.get("numerator", {}).get(c, (None, True))[0]
                den = parsed.get("denominator", {}).get(c, (None, True))[0]
                r = by_measure.get("value") or by_measure.get("numerator") or by_measure["denominator"]
                num_cell = (by_measure["numerator"], c) if num is not None and "numerator" in by_measure else None
                if value is None and num is None and den is None:
                    continue
                self._add_observation(observations, sheet, r, c, ind, period, value, num, den, num_cell)

    def _period_heading(self, value: Any, above: Any) -> Period:
        try:
            return Period.parse(value)
        except ValueError as first:
            if not _blank(above) and above is not FORMULA and not isinstance(value, (dt.date, dt.datetime)):
                a = above.date().isoformat() if isinstance(above, dt.datetime) else str(above).strip()
                v = str(value).strip()
                for combined in (f"{a} {v}", f"{v} {a}"):
                    try:
                        return Period.parse(combined)
                    except ValueError:
                        pass
            raise first

    # -- Values (long) ------------------------------------------------------------------------------

    def _values(self, sheet: Sheet, observations: dict[tuple, Observation]) -> None:
        header = _find_header(sheet, VALUES_COLUMNS, self.errors, ("id", "period"))
        if header is None:
            return
        cols = header.columns
        if not any(k in cols for k in ("value", "numerator")):
            self.errors.add(sheet, header.row, 1, "the heading row has no 'Value' column")
            return
        pending: dict[str, list[tuple]] = {}
        for r, raw, ident, ind in self._indicator_rows(sheet, header.row, cols):
            period = self._period(sheet, r, cols["period"], raw["period"], ident)
            if period is None:
                continue
            numbers: dict[str, tuple[float | None, bool]] = {}
            ok = True
            for f in ("value", "numerator", "denominator"):
                if f not in cols:
                    numbers[f] = (None, False)
                    continue
                try:
                    n, explicit = parse_number(raw[f])
                except CellProblem as e:
                    self.errors.add(sheet, r, cols[f], f"{e} (indicator {ident}, period {period.label})")
                    ok = False
                    continue
                if f == "value" and n is not None and sheet.is_percent(r, cols[f]) and not explicit:
                    n, explicit = n * 100, True
                numbers[f] = (n, explicit or ind.unit != "%")
            if ok:
                pending.setdefault(ident, []).append((r, period, numbers))
        for ident, rows in pending.items():
            ind = self.indicators[ident]
            with_values = [(r, p, nums) for (r, p, nums) in rows if nums["value"][0] is not None]
            if ind.unit == "%" and with_values:
                items = [(sheet, r, cols["value"], nums["value"][0], nums["value"][1]) for (r, p, nums) in with_values]
                fixed = self._normalise_percent(ind, items, "values on the Values sheet")
                for (r, p, nums), n in zip(with_values, fixed):
                    nums["value"] = (n, True)
            for r, period, nums in rows:
                vc = cols.get("value", cols["id"])
                num_cell = (r, cols["numerator"]) if "numerator" in cols else None
                self._add_observation(
                    observations, sheet, r, vc, ind, period, nums["value"][0], nums["numerator"][0], nums["denominator"][0], num_cell
                )

    # -- Comparators (long) ---------------------------------------------------------------------------

    def _comparators(self, sheet: Sheet) -> list[Comparator]:
        header = _find_header(sheet, COMPARATOR_COLUMNS, self.errors, ("id", "comparator", "period", "value"))
        if header is None:
            return []
        cols = header.columns
        pending: dict[str, list[tuple]] = {}
        seen: dict[tuple, str] = {}
        for r, raw, ident, ind in self._indicator_rows(sheet, header.row, cols):
            try:
                name = _text(raw["comparator"])
                source = _text(raw.get("source"))
            except CellProblem as e:
                self.errors.add(sheet, r, cols["comparator"], str(e))
                continue
            if name and name not in self.kinds:  # a handful of names, one on every row
                self.kinds[name] = comparator_kind(name)
            kind = self.kinds[name] if name else None
            if kind is None:
                self.errors.add(
                    sheet, r, cols["comparator"],
                    f"'{name or ''}' is not a comparator (use England, Region or your region's name, or Statistical neighbours) (indicator {ident})",
                )
                continue
            period = self._period(sheet, r, cols["period"], raw["period"], ident)
            if period is None:
                continue
            try:
                number, explicit = parse_number(raw["value"])
            except CellProblem as e:
                self.errors.add(sheet, r, cols["value"], f"{e} (indicator {ident}, {kind[1]}, period {period.label})")
                continue
            if number is None:
                continue  # a comparator not published (yet): nothing to compare with
            if sheet.is_percent(r, cols["value"]) and not explicit:
                number, explicit = number * 100, True
            key = (ident, kind[0], kind[1], period.identity)
            if key in seen:
                self.errors.add(sheet, r, cols["period"], f"a second {kind[1]} value for {ident} in {period.label} (the first is at {seen[key]})")
                continue
            seen[key] = sheet.ref(r, cols["value"])
            pending.setdefault(ident, []).append((r, kind, period, number, explicit or ind.unit != "%", source))
        result: list[Comparator] = []
        for ident, rows in pending.items():
            ind = self.indicators[ident]
            numbers = [n for (_r, _k, _p, n, _d, _s) in rows]
            if ind.unit == "%":
                items = [(sheet, r, cols["value"], n, done) for (r, _k, _p, n, done, _s) in rows]
                numbers = self._normalise_percent(ind, items, "comparator values", own=False)
            for (r, kind, period, _n, _d, source), number in zip(rows, numbers):
                if not self._check_value(sheet, r, cols["value"], ind, number, f"indicator {ident}, {kind[1]}, period {period.label}"):
                    continue
                result.append(
                    Comparator(indicator_id=ident, kind=kind[0], label=kind[1], period=period, value=number, source=source, cell=sheet.ref(r, cols["value"]))
                )
        return result
