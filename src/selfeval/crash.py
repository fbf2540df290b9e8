"""The one crash-report writer: the traceback of a bug in selfeval, kept for a bug report.

Users see one plain sentence and this file's path, never a traceback (see ``cli.main``)."""

from __future__ import annotations

import sys
import tempfile

from selfeval import __version__


def save_crash_report(details: str) -> str:
    """Write the version, the command line and ``details`` (tracebacks) to a new file; return its path."""
    with tempfile.NamedTemporaryFile("w", prefix="selfeval-crash-", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(f"selfeval {__version__}\n{' '.join(sys.argv)}\n\n{details}")
        return f.name
