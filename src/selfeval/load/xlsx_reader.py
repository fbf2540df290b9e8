"""A workbook's cells read straight from its XML, with the values openpyxl's read-only mode gives.

openpyxl reads a sheet through defusedxml's parser, whose every element goes through Python
callbacks, and then builds a cell object per cell: 50-90 µs a cell, and 0.2 s to import. Here each
part is parsed by the standard library's C parser into a tree and only the cells are walked in
Python. What comes out is what openpyxl (read-only, data-only) gives, value for value: numbers as
int or float as the XML writes them, dates and durations by the cell's number format and the
workbook's epoch, error cells as their text, shared and inline strings joined as openpyxl joins
them, and each cell's number format (a percentage is a format, not a value).

Anything this reader does not do exactly as openpyxl does makes :func:`open_book` return None, and
the caller reads the file with openpyxl as before, with the same values and the same messages: a
DTD (so no entity can be declared: the XML bombs defusedxml refuses cannot occur here), a workbook
part other than ``xl/workbook.xml``, a strict-OOXML namespace, rows or cells without their place or
out of order, a cell type other than Excel's usual ones, a style or shared string index out of
range, a date cell beyond the calendar. The file has been through ``check_ooxml`` first (sizes,
zip bomb, merged-cell bounds).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, cast
from xml.etree import ElementTree as ET

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK_TYPES = (  # openpyxl's order of preference when it looks for the workbook part
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

# openpyxl.styles.numbers, copied so the normal path need not import openpyxl (0.2 s); a test holds
# them equal to openpyxl's own.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_BUILTIN_MAX = 164  # custom formats are numbered from here
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)
_COORD = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")
_DIMENSION = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?$")
_INT = re.compile(r"^\d+$")
# The grids hold every cell up to each row's last one, empty ones too, for every sheet at once. A
# real scorecard has tens of thousands; a sparse, forged sheet (a cell in XFD on every row) could ask
# for billions. Past this the file goes to openpyxl, which streams the sheets it only screens.
MAX_GRID_CELLS = 2_000_000


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _DATE_CHAR.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(value: float, epoch: dt.datetime, timedelta: bool) -> Any:
    """openpyxl.utils.datetime.from_excel: an Excel serial as a datetime, time or timedelta."""
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


class NotPlain(Exception):
    """The file needs openpyxl: something here is not read exactly as openpyxl reads it."""


class ExcelError(str):
    """An error cell's saved text (#N/A, #DIV/0!): openpyxl gives it as a str with data type 'e'."""


@dataclass
class StyleFormats:
    """Per cell style (the ``s=`` index): its number format, and whether it shows a date or a duration."""

    formats: list[str]
    dates: set[int]
    durations: set[int]
    with_percent_sign: set[int] = field(default_factory=set)  # only these can format a percentage


@dataclass
class SheetCells:
    """One worksheet's rows as openpyxl's iter_rows gives them after reset_dimensions (trailing
    empty cells and rows trimmed), the format of each number cell whose format has a '%' sign (no
    other can show a percentage: see ``workbook.is_percent_format``), the formula cells with no saved
    result (as ``workbook._scan_sheet_xml`` finds them) and the raw XML (for merged ranges)."""

    name: str
    rows: list[list[Any]]
    number_formats: dict[tuple[int, int], str]
    formulas_without_values: set[tuple[int, int]]
    xml: bytes


@dataclass
class Book:
    """A workbook as read from its XML: every worksheet's cells, with the styles and strings they use."""

    path: Path
    sheetnames: list[str]  # every sheet openpyxl lists, chart sheets too
    sheets: dict[str, SheetCells] = field(default_factory=dict)  # the worksheets, all read on opening
    styles: StyleFormats = field(default_factory=lambda: StyleFormats([], set(), set()))
    strings: list[str] = field(default_factory=list)
    epoch: dt.datetime = _WINDOWS_EPOCH
    grid_cells: int = 0  # cells (and rows) of every sheet's grid so far, empty ones too: see MAX_GRID_CELLS
    style_ids: dict[str | None, int] = field(default_factory=dict)  # each s= text met, checked once


def _xml(zf: zipfile.ZipFile, member: str) -> bytes:
    try:
        data = zf.read(member)
    except KeyError:
        raise NotPlain from None
    if b"\x00" in data[:4] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotPlain  # UTF-16 or UTF-32: the check below reads ASCII-compatible text only
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise NotPlain  # no DTD, so no entities: defusedxml's refusal (and its message) is openpyxl's to give
    return data


def _parse(data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        raise NotPlain from None


def open_book(path: Path) -> Book | None:
    """Every worksheet of the workbook, read (the screen reads them all), or None if openpyxl must read it.

    Everything is read here, before anything is returned, so that a file this reader cannot take is
    handed to openpyxl whole: the values and messages then are exactly openpyxl's."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _open(zf, path)
    except (NotPlain, OSError, zipfile.BadZipFile, ValueError, KeyError, IndexError, TypeError, OverflowError):
        return None


def _open(zf: zipfile.ZipFile, path: Path) -> Book:
    names = set(zf.namelist())
    types = _parse(_xml(zf, "[Content_Types].xml"))
    overrides = [(o.get("PartName"), o.get("ContentType")) for o in types.iter(f"{_CT}Override")]
    workbook_part = next((p for ct in _WORKBOOK_TYPES for p, t in overrides if t == ct), None)
    if workbook_part != "/xl/workbook.xml":
        raise NotPlain
    workbook = _parse(_xml(zf, "xl/workbook.xml"))
    if workbook.tag != f"{MAIN}workbook":
        raise NotPlain  # strict OOXML, or not a workbook: openpyxl's reading decides
    props = workbook.find(f"{MAIN}workbookPr")
    date1904 = props.get("date1904") if props is not None else None
    if date1904 not in (None, "0", "1", "true", "false"):
        raise NotPlain
    rels = _relationships(_parse(_xml(zf, "xl/_rels/workbook.xml.rels")))
    for part in ("docProps/core.xml", "docProps/custom.xml"):
        if part in names:
            _parse(_xml(zf, part))  # openpyxl reads these: a damaged one is its failure to report
    book = Book(path, [], epoch=_MAC_EPOCH if date1904 in ("1", "true") else _WINDOWS_EPOCH)
    book.styles = _styles(zf, names)
    shared = next((p for p, t in overrides if t == _SHARED_STRINGS), None)
    if shared is not None:
        book.strings = _shared_strings(_parse(_xml(zf, shared[1:])))
    members: list[tuple[str, str]] = []
    listed = workbook.find(f"{MAIN}sheets")
    for sheet in listed.findall(f"{MAIN}sheet") if listed is not None else ():
        name, rid = sheet.get("name"), sheet.get(f"{_REL}id")
        if not name or not rid or rid not in rels or name in book.sheetnames:
            raise NotPlain
        kind, target = rels[rid]
        if target not in names:
            continue  # openpyxl leaves out a sheet whose part is missing
        book.sheetnames.append(name)
        if "chartsheet" in kind:
            _parse(_xml(zf, target))
        else:
            members.append((name, target))
    for name, target in members:
        book.sheets[name] = _read_sheet(name, _xml(zf, target), book)
    return book


def _relationships(root: ET.Element) -> dict[str, tuple[str, str]]:
    """Id -> (type, zip member), targets resolved as openpyxl's get_dependents resolves them."""
    found: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{_PKG_REL}Relationship"):
        rid, kind, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
        if rid is None or kind is None or target is None or rel.get("TargetMode") == "External":
            continue
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        found[rid] = (kind, target)
    return found


def _styles(zf: zipfile.ZipFile, names: set[str]) -> StyleFormats:
    """Each cell style's number format as openpyxl's read-only cells report it (custom formats by
    their id; built-in ones by theirs, "General" where the id is unknown)."""
    if "xl/styles.xml" not in names:
        raise NotPlain  # openpyxl's default styles then: rare enough to leave to it
    root = _parse(_xml(zf, "xl/styles.xml"))
    custom: dict[int, str] = {}
    numfmts = root.find(f"{MAIN}numFmts")
    for nf in numfmts.findall(f"{MAIN}numFmt") if numfmts is not None else ():
        code = nf.get("formatCode")
        if code is None:
            raise NotPlain
        custom[int(nf.get("numFmtId", ""))] = code
    xfs = root.find(f"{MAIN}cellXfs")
    if xfs is None or not len(xfs) or any(xf.tag != f"{MAIN}xf" for xf in xfs):
        raise NotPlain
    styles = StyleFormats([], set(), set())
    for idx, xf in enumerate(xfs):
        fmt_id = int(xf.get("numFmtId", "0"))
        if fmt_id in custom:
            fmt: str | None = custom[fmt_id]
            shown = custom[fmt_id]
        elif fmt_id < _BUILTIN_MAX:
            fmt, shown = BUILTIN_FORMATS.get(fmt_id), BUILTIN_FORMATS.get(fmt_id, "General")
        else:
            raise NotPlain  # openpyxl would index its own list of formats with this
        styles.formats.append(shown)
        if "%" in shown:
            styles.with_percent_sign.add(idx)
        if is_date_format(fmt):
            styles.dates.add(idx)
        if is_timedelta_format(fmt):
            styles.durations.add(idx)
    return styles


def _text_content(node: ET.Element) -> str:
    """openpyxl's Text.content: the last plain <t>, then each rich-text run's last <t>, joined."""
    if len(node) == 1 and node[0].tag == _TEXT:  # the usual <is><t>text</t></is> or <si><t>text</t></si>
        return node[0].text or ""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "t":
            plain = child.text
        elif tag == "r":
            text = None
            for part in child:
                if part.tag.rsplit("}", 1)[-1] == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return (plain if plain is not None else "") + "".join(runs)


def _shared_strings(root: ET.Element) -> list[str]:
    return [_text_content(si).replace("x005F_", "") for si in root.iter(f"{MAIN}si")]


def _column(letters: str) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        if letters.isupper():  # at most 18,278 such keys (A to ZZZ): a bounded cache
            _COLUMNS[letters] = col
    return col


_COLUMNS: dict[str, int] = {}  # "AB" -> 28, for the letters of every reference already checked


def _checked_column(ref: str) -> int:
    """The column of a cell reference that openpyxl reads ("A1", "$B$7"); else the file goes to openpyxl."""
    m = _COORD.match(ref)
    if m is None or int(m.group(2)) == 0:
        raise NotPlain
    return _column(m.group(1))


def _checked_style(s: str | None, book: Book) -> int:
    """A cell's style index (its ``s=``), which must name one of the workbook's cell styles."""
    if s is not None and not _INT.match(s):
        raise NotPlain
    style = int(s) if s else 0
    if style >= len(book.styles.formats):
        raise NotPlain
    return style


def _cell_value(c: ET.Element, kind: str, style: int, book: Book) -> tuple[Any, bool]:
    """(value, is_number) for one cell, as openpyxl's WorkSheetParser.parse_cell gives it."""
    if kind == "inlineStr":
        inline = c.find(_INLINE)
        return (_text_content(inline) if inline is not None else None), False
    v = c.find(_VALUE)
    text = (v.text if v is not None else None) or None
    if text is None:
        return None, False
    if kind == "n":
        number: int | float = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        if style in book.styles.dates:
            try:
                return from_excel(number, book.epoch, style in book.styles.durations), False
            except (OverflowError, ValueError):
                raise NotPlain from None  # openpyxl warns and makes it #VALUE!: its path says so
        return number, True
    if kind == "s":
        return book.strings[int(text)], False
    if kind == "b":
        return bool(int(text)), False
    if kind == "str":
        return text, False
    if kind == "e":
        return ExcelError(text), False
    raise NotPlain  # 'd' (ISO dates) and anything else: openpyxl's own parsing


# An <f> element, with or without a namespace prefix (not <formula1> in a data validation, nor <fill>).
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formula_element(data: bytes) -> bool:
    """``_FORMULA_ELEMENT.search(data)``, with bytes.find doing the scan: the pattern's match holds
    '<f' or, with a prefix, ':f', and the pattern is tried only where one is (the search tried it at
    every '<' of the sheet, thousands of them, to find a handful of formulas or none)."""
    at = data.find(b"<f")
    while at >= 0:
        if _FORMULA_ELEMENT.match(data, at):
            return True
        at = data.find(b"<f", at + 1)
    at = data.find(b":f")
    while at >= 0:
        start = data.rfind(b"<", 0, at)  # '<prefix:f': a prefix holds no '<', so its '<' is the last before
        if start >= 0 and _FORMULA_ELEMENT.match(data, start):
            return True
        at = data.find(b":f", at + 1)
    return False


# A sheet part up to this size is parsed into a tree in one C call and its rows found by the C
# iterator; a bigger one is streamed, each row dropped once read, so it never sits in memory whole.
_TREE_MAX_BYTES = 4 * 1024 * 1024


def _read_sheet(name: str, data: bytes, book: Book) -> SheetCells:
    tree = len(data) <= _TREE_MAX_BYTES
    if not tree:
        _check_dimension(data)
    if _has_formula_element(data):  # no <f> element anywhere: no formula can lack its result
        missing: set[tuple[int, int]] | None = set()
    else:
        missing = None
    rows: list[list[Any]] = []
    formats: dict[tuple[int, int], str] = {}
    if tree:
        root = _parse(data)
        _check_tree_dimension(root)
        for row in root.iter(_ROW):
            _add_row(row, rows, formats, book)
        if missing is not None:
            for cell in root.iterfind(".//{*}c"):  # any namespace or none, anywhere, as the scan
                _note_formula(cell, missing)
    else:
        root = _stream_rows(data, rows, formats, book, missing)
    if root.tag != f"{MAIN}worksheet":
        raise NotPlain  # strict OOXML or not a worksheet: openpyxl decides
    while rows and not rows[-1]:
        rows.pop()
    return SheetCells(name, rows, formats, missing or set(), data)


def _stream_rows(
    data: bytes, rows: list[list[Any]], formats: dict[tuple[int, int], str], book: Book, missing: set[tuple[int, int]] | None
) -> ET.Element:
    """The rows of a big sheet, read as the parser streams them; returns the (emptied) root."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
    last: ET.Element | None = None
    for start in range(0, len(data), 1 << 20):
        try:
            parser.feed(data[start : start + (1 << 20)])
        except ET.ParseError:
            raise NotPlain from None
        for event in parser.read_events():
            el: ET.Element = cast(Any, event)[1]  # ("end", element): the only events asked for
            last = el
            if el.tag == _ROW:
                _add_row(el, rows, formats, book)
                el.clear()
            elif missing is not None and el.tag.rsplit("}", 1)[-1] == "c":
                _note_formula(el, missing)
    try:
        parser.close()
    except ET.ParseError:
        raise NotPlain from None
    if last is None:
        raise NotPlain
    return last


def _check_dimension(data: bytes) -> None:
    """openpyxl reads each sheet's <dimension> on opening (the first to end before <sheetData>
    does) and fails on a malformed one: here that file goes to openpyxl to fail there."""
    if b"dimension" not in data:
        return  # none to read (files written in streaming mode have none): no need to parse for it
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
    for start in range(0, len(data), 4096):
        try:
            parser.feed(data[start : start + 4096])
        except ET.ParseError:
            raise NotPlain from None
        for event in parser.read_events():
            el: ET.Element = cast(Any, event)[1]
            if el.tag == _DIMENSION_TAG:
                if not _DIMENSION.match(el.get("ref") or ""):
                    raise NotPlain
                return
            if el.tag == _SHEET_DATA:
                return


def _check_tree_dimension(root: ET.Element) -> None:
    """:func:`_check_dimension` on a sheet already parsed whole: the element its parser stops at is
    the first <dimension> or <sheetData> to end, found here by going down into the first child whose
    subtree holds one (the C iterator looks), without reading the sheet's rows in Python."""
    node = root
    while True:
        for child in node:
            if next(child.iter(_DIMENSION_TAG), None) is not None or next(child.iter(_SHEET_DATA), None) is not None:
                node = child  # the first element to end among those wanted is in here (or is this one)
                break
        else:
            break  # none below: this one ends first
    if node.tag == _DIMENSION_TAG and not _DIMENSION.match(node.get("ref") or ""):
        raise NotPlain


_ROW, _CELL, _VALUE, _INLINE, _TEXT = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}is", f"{MAIN}t"
_DIMENSION_TAG, _SHEET_DATA = f"{MAIN}dimension", f"{MAIN}sheetData"


def _add_row(row: ET.Element, rows: list[list[Any]], formats: dict[tuple[int, int], str], book: Book) -> None:
    """One <row>, placed as openpyxl places it: rows and cells must come in order, each with its place."""
    r_text = row.get("r")
    if r_text is None or not _INT.match(r_text):
        raise NotPlain
    r = int(r_text)
    if r <= len(rows):
        raise NotPlain  # out of order, repeated, or row 0
    book.grid_cells += r - len(rows)
    if book.grid_cells > MAX_GRID_CELLS:
        raise NotPlain
    while len(rows) < r - 1:
        rows.append([])
    values: list[Any] = []
    styles, with_percent_sign = book.style_ids, book.styles.with_percent_sign
    grid = book.grid_cells  # counted here, kept on the book once the row is read (a NotPlain drops the book)
    for c in row:
        if c.tag != _CELL:
            raise NotPlain
        attrib = c.attrib
        ref = attrib.get("r") or ""
        letters = ref.rstrip("0123456789")
        col = _COLUMNS.get(letters) if len(letters) < len(ref) and ref[len(letters)] != "0" else None
        if col is None:  # not the usual "AB12": check it as openpyxl would read it
            col = _checked_column(ref)
        width = len(values)
        if col <= width:
            raise NotPlain
        grid += col - width
        if grid > MAX_GRID_CELLS:
            raise NotPlain
        s = attrib.get("s")
        style = styles.get(s)
        if style is None:
            style = styles[s] = _checked_style(s, book)
        value, number = _cell_value(c, attrib.get("t", "n"), style, book)
        if col - 1 > width:
            values.extend([None] * (col - 1 - width))
        values.append(value)
        if number and style in with_percent_sign:
            formats[(r, col)] = book.styles.formats[style]
    book.grid_cells = grid
    while values and values[-1] is None:
        values.pop()
    rows.append(values)


def _note_formula(el: ET.Element, missing: set[tuple[int, int]]) -> None:
    """A formula cell with no saved result, found exactly as ``workbook._scan_sheet_xml`` finds it."""
    f = v = None
    for child in el:
        ctag = child.tag.rsplit("}", 1)[-1]
        if ctag == "f":
            f = child
        elif ctag in ("v", "is"):
            v = child
    ref = el.get("r")
    if f is not None and (v is None or (v.text is None and len(v) == 0)) and ref:
        m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
        if m:
            missing.add((int(m.group(2)), _column(m.group(1))))


def non_empty_cells(cells: SheetCells) -> Iterator[tuple[int, int, Any]]:
    """(row, column, value) of every cell with a value, 1-based, as the personal-data screen reads them."""
    for r, row in enumerate(cells.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                yield r, c, value
