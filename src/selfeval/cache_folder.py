"""The user's cache folder: what one run of selfeval made that the next can take instead of making it
again, as Python keeps compiled modules in ``__pycache__``.

It is ``$SELFEVAL_CACHE`` (empty turns the cache off), else ``%LOCALAPPDATA%\\selfeval\\Cache`` on
Windows, ``$XDG_CACHE_HOME/selfeval`` or ``~/.cache/selfeval``, with one sub-folder per kind of entry
(compiled templates, chart pictures, ...). The rules every kind keeps:

* the folder is the user's own (made 0700) and is refused if anyone else could write to it, so
  nobody can plant an entry for selfeval to read;
* an entry is named by a digest of everything it depends on, so a changed input or a new version of
  the code that made it is never answered from an old entry;
* an entry is written whole (a temporary file, then renamed) and old ones are removed beyond a
  number kept;
* nothing here ever stops a run: a folder that cannot be made, read or written is a cache not used.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path


def folder(kind: str, *, create: bool = False) -> Path | None:
    """The sub-folder for ``kind`` entries, if it is usable: the user's own, writable by nobody else."""
    root = _root()
    if root is None:
        return None
    where = root / kind
    try:
        if create:
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None  # someone else could plant entries here
    return where


def read(kind: str, name: str) -> bytes | None:
    """The entry ``name`` of ``kind``, or None if there is none (or it cannot be read)."""
    where = folder(kind)
    if where is None:
        return None
    try:
        return (where / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes, *, keep: int) -> None:
    """Keep ``data`` as the entry ``name`` of ``kind`` (quietly not, if the folder cannot be written),
    then remove the oldest entries beyond ``keep``."""
    where = folder(kind, create=True)
    if where is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, where / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(where, Path(name).suffix, keep)
    except OSError:
        pass


def module_source(module_file: str | None) -> bytes:
    """A module's source, read once, for naming entries by the code that made them (an entry made by
    other code is another entry). A module whose source cannot be read gives a value no readable one
    does, rather than an error: a cache that cannot name its entries well is still no reason to stop."""
    return _read(module_file) if module_file else b""


@cache
def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b"\0unreadable:" + path.encode("utf-8", "surrogatepass")


def _root() -> Path | None:
    explicit = os.environ.get("SELFEVAL_CACHE")
    if explicit is not None:
        return Path(explicit) if explicit else None  # SELFEVAL_CACHE= (empty) turns the cache off
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "selfeval" / "Cache" if base else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "selfeval"
    home = os.environ.get("HOME")
    return Path(home) / ".cache" / "selfeval" if home else None


def _prune(where: Path, suffix: str, keep: int) -> None:
    """Keep the newest entries: old inputs' and old versions' entries are never read again. Past
    ``keep``, the oldest tenth goes at once, so that a batch writing many entries sorts them by age
    once every few dozen writes, not at each."""
    entries = [p for p in where.iterdir() if p.name.endswith(suffix)]
    if len(entries) <= keep:
        return
    keep -= keep // 10

    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0  # removed meanwhile by another run

    entries.sort(key=age)
    for old in entries[: len(entries) - keep]:
        old.unlink(missing_ok=True)
