"""The one way selfeval writes a file: whole or not at all, readable as the user's other files are.

A temporary file in the same folder is filled, flushed to disk and renamed over the target in one
step, so a crash, a full disk or Ctrl-C leaves the previous version intact. ``mkstemp`` creates the
temporary file readable by its owner only; before the rename it gets the permissions the user's
umask gives new files (0644 under the usual 022), or the replaced file's own, so colleagues on a
shared drive can open what selfeval wrote.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Callable


def atomic_write(path: Path, data: bytes | str) -> None:
    """Replace (or create) ``path`` with ``data`` atomically; text is written as UTF-8 with \\n line ends."""
    payload = data.encode("utf-8") if isinstance(data, str) else data

    def fill(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            rest = payload
            pause = _test_slow_write() if not path.name.startswith(".") else 0.0  # not the hidden manifest
            if pause:
                # Test hook only (tests/test_reliability_outputs.py kills the process here, mid-write).
                handle.write(rest[: len(rest) // 2])
                handle.flush()
                time.sleep(pause)
                rest = rest[len(rest) // 2 :]
            handle.write(rest)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write_with(path, fill)


def atomic_write_with(path: Path, fill: Callable[[Path], None], *, keep_existing: bool = False) -> bool:
    """Let ``fill`` write a temporary file beside ``path``, then rename it over ``path``.

    With ``keep_existing`` a file that appeared at ``path`` meanwhile is left alone (the temporary
    file is discarded) and False is returned: for files a person may already have made their own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        fill(tmp)
        os.chmod(tmp, _mode_for(path))
        if keep_existing and path.exists():
            tmp.unlink()
            return False
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@cache
def _umask() -> int:
    # The only way to read the umask is to set it; it is put straight back (once per process).
    current = os.umask(0o022)
    os.umask(current)
    return current


def _test_slow_write() -> float:
    """TEST HOOK: ``SELFEVAL_TEST_SLOW_WRITE=SECONDS`` pauses each write of a document half-way, so a test can kill
    selfeval mid-write and check that the previous output survived. Not for users."""
    try:
        return float(os.environ.get("SELFEVAL_TEST_SLOW_WRITE", "0") or 0)
    except ValueError:
        return 0.0
