"""Scratch space (chart pictures, LibreOffice's profile) that never outlives the run that made it.

A scratch folder is removed when the run ends, however it ends: normally, on an error, on Ctrl-C,
and on SIGTERM (the CLI turns SIGTERM into an interrupt, see ``cli.main``). A run killed outright
(SIGKILL, power cut) cannot clean up after itself, so each folder's name carries the process id
(``selfeval-<pid>-xxxx``) and the next run removes the folders of processes that no longer exist.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "selfeval-"
_NAME = re.compile(rf"^{PREFIX}(\d+)-[A-Za-z0-9_]+$")


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A new private folder in the system's temporary folder, removed on every way out."""
    remove_abandoned()
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def remove_abandoned(folder: Path | None = None) -> None:
    """Remove scratch folders left by selfeval runs that were killed (their process is gone)."""
    where = Path(folder or tempfile.gettempdir())
    try:
        entries = list(os.scandir(where))
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        m = _NAME.match(entry.name)
        if not m:
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or (uid is not None and entry.stat(follow_symlinks=False).st_uid != uid):
                continue
        except OSError:
            continue
        if not _alive(int(m.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: leave its folder alone
    return True
