"""Checks before opening any zip-based Office file (.docx, .xlsx): size cap and zip-bomb guard."""

from __future__ import annotations

import zipfile
from pathlib import Path

from selfeval.errors import InputError, Location

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path, *, kind: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse files that are too big, not zip containers, or would expand to far more than they weigh."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read the {kind} ({e.strerror})", Location(path)) from None
    if size > max_bytes:
        raise InputError(f"the {kind} is {size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB", Location(path))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise InputError(f"this is not a {kind} (it is not an Office Open XML file)", Location(path)) from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise InputError(
            f"the {kind} would expand to {total / 1e6:.0f} MB from {size / 1e6:.1f} MB; it looks like a zip bomb and was not opened",
            Location(path),
        )
