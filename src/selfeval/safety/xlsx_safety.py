"""Checks made on an Office Open XML file (.xlsx, .docx) *before* any library opens it.

openpyxl with defusedxml refuses XML entity attacks, but nothing guards against a zip bomb
(a small file that inflates to gigabytes) or a huge file. ``check_ooxml`` rejects:

* a file larger than ``max_bytes`` (default 50 MB);
* a file that is not a zip archive at all (e.g. an old .xls, a CSV renamed to .xlsx);
* an archive whose members would inflate to more than ``max_uncompressed`` (default 500 MB) in total,
  or any member compressed more than ``max_ratio`` times (default 200);
* an archive with more than ``max_members`` members (default 10,000);
* any XML part that would expand past ``MAX_XML_PART`` (25 MB) however well it compresses: a real
  council scorecard sheet or a long report's ``document.xml`` is a few MB, and parsing hundreds of MB
  of XML takes minutes and gigabytes even when the ratio looks innocent;
* for workbooks, merged ranges covering more than ``MAX_MERGED_CELLS`` cells in all (openpyxl makes
  an object for every merged cell, so one ``<mergeCell ref="B3:XFD1048576"/>`` is a memory bomb).

Reused for Word templates and reports, so messages name the kind of file via ``kind``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from selfeval.errors import InputError, Location

MB = 1024 * 1024
MAX_BYTES = 50 * MB
MAX_UNCOMPRESSED = 500 * MB
MAX_RATIO = 200
MAX_MEMBERS = 10_000
MAX_XML_PART = 25 * MB
MAX_MERGED_CELLS = 200_000
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def check_ooxml(
    path: Path,
    *,
    kind: str = "Excel workbook (.xlsx)",
    required_member: str | None = "xl/workbook.xml",
    max_bytes: int = MAX_BYTES,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_ratio: float = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Raise InputError (located at the file) unless ``path`` is a plausible, safe-sized OOXML zip."""
    where = Location(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("the file does not exist", where) from None
    except OSError as e:
        raise InputError(f"the file cannot be read ({e.strerror})", where) from None
    if size > max_bytes:
        raise InputError(f"the file is {size / MB:.0f} MB; the limit is {max_bytes / MB:.0f} MB", where)
    if size == 0:
        raise InputError(f"the file is empty, not an {kind}", where)
    if not zipfile.is_zipfile(path):
        hint = ""
        with path.open("rb") as f:
            head = f.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            hint = " (it looks like an old-style .xls/.doc file or a password-protected file: open it and save it as " + kind + ")"
        raise InputError(f"this is not an {kind}{hint}", where)
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise InputError(f"the file is damaged and cannot be opened as an {kind} ({e})", where) from None
    if len(members) > max_members:
        raise InputError(f"the file has {len(members)} parts; an {kind} this large is refused as unsafe", where)
    total = 0
    for m in members:
        total += m.file_size
        if m.filename.lower().endswith(_XML_SUFFIXES) and m.file_size > MAX_XML_PART:
            raise InputError(
                f"the file is refused as unsafe: its part {m.filename} would expand to {m.file_size / MB:.0f} MB "
                f"(the limit for one part is {MAX_XML_PART / MB:.0f} MB; a real {kind} is far smaller)",
                where,
            )
        if m.file_size > 1 * MB and m.compress_size and m.file_size / m.compress_size > max_ratio:
            raise InputError(
                f"the file is refused as unsafe: its part {m.filename} would expand {m.file_size / m.compress_size:.0f} times "
                f"(to {m.file_size / MB:.0f} MB)",
                where,
            )
    if total > max_uncompressed:
        raise InputError(
            f"the file is refused as unsafe: it would expand to {total / MB:.0f} MB (the limit is {max_uncompressed / MB:.0f} MB)", where
        )
    if required_member and required_member not in names:
        raise InputError(f"this is a zip file but not an {kind}", where)
    if required_member == "xl/workbook.xml":
        _check_merged_cells(path, [m.filename for m in members if _is_sheet(m.filename)])


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and name.count("/") == 2


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?"')


def _column(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def merged_area(ref_match: re.Match[bytes]) -> int:
    c1, r1, c2, r2 = ref_match.groups()
    if c2 is None:
        return 1
    rows = abs(int(r2) - int(r1)) + 1
    cols = abs(_column(c2) - _column(c1)) + 1
    return rows * cols


def _check_merged_cells(path: Path, sheets: list[str]) -> None:
    """Refuse a workbook whose merged ranges cover more cells than any real layout needs."""
    total = 0
    with zipfile.ZipFile(path) as zf:
        for part in sheets:
            with zf.open(part) as f:
                data = f.read(MAX_XML_PART + 1)
            if b"mergeCell" not in data:
                continue
            for m in _MERGE.finditer(data):
                total += merged_area(m)
                if total > MAX_MERGED_CELLS:
                    ref = m.group(0).split(b'ref="')[-1].rstrip(b'"').decode("ascii", "replace")
                    raise InputError(
                        f"the file is refused as unsafe: its merged cells (e.g. {ref} in {part}) cover more than "
                        f"{MAX_MERGED_CELLS:,} cells; unmerge the cells beyond your table and save again",
                        Location(path),
                    )
