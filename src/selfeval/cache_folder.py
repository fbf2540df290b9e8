"""The user's cache folder: what selfeval keeps between runs so that the next one starts faster.

``$SELFEVAL_CACHE`` (empty: no cache), else ``$XDG_CACHE_HOME/selfeval``, else ``~/.cache/selfeval``
(``%LOCALAPPDATA%\\selfeval\\Cache`` on Windows), one sub-folder per kind of entry: the compiled
templates (``render/compiled_store``), the parsed reference data (``kept_data``). What is kept
there is loaded as code or as data, so a folder is used only when it is the user's own and nobody
else can write to it. Nothing here ever stops a run: a folder that cannot be used is a cache not used.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path


def folder(name: str, *, create: bool = False) -> Path | None:
    """The cache's sub-folder ``name``, if it is usable: the user's own, writable by nobody else."""
    root = _root()
    if root is None:
        return None
    path = root / name
    try:
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None  # someone else could plant code or data here
    return path


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` at once (a reader never sees half an entry); OSError if it cannot."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune(path: Path, suffix: str, keep: int) -> None:
    """Keep the newest ``keep`` entries ending in ``suffix``: old versions' entries are never read again."""
    entries = [p for p in path.iterdir() if p.name.endswith(suffix)]
    if len(entries) <= keep:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - keep]:
        old.unlink(missing_ok=True)


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
