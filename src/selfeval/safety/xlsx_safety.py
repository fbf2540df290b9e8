"""Checks made on an Office Open XML file (.xlsx, .docx) *before* any library opens it.

openpyxl with defusedxml refuses XML entity attacks, but nothing guards against a zip bomb
(a small file that inflates to gigabytes) or a huge file. ``check_ooxml`` rejects:

* a file larger than ``max_bytes`` (default 50 MB);
* a file that is not a zip archive at all (e.g. an old .xls, a CSV renamed to .xlsx);
* an archive whose members would inflate to more than ``max_uncompressed`` (default 500 MB) in total,
  or any member compressed more than ``max_ratio`` times (default 200);
* an archive with more than ``max_members`` members (default 10,000).

Reused for Word templates and reports, so messages name the kind of file via ``kind``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from selfeval.errors import InputError, Location

MB = 1024 * 1024
MAX_BYTES = 50 * MB
MAX_UNCOMPRESSED = 500 * MB
MAX_RATIO = 200
MAX_MEMBERS = 10_000


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
