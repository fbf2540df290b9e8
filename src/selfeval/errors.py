"""The one error type a user ever sees.

Every problem with a user's input, template or output folder is raised as a
``SelfevalError`` carrying where it happened; the CLI prints ``location: message``
and exits with ``exit_code``. Anything else escaping is a bug in selfeval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and inside it a line/column or a Sheet!Cell."""

    path: Path | str | None = None
    line: int | None = None
    column: int | None = None
    cell: str | None = None  # "Sheet!D14" for workbooks

    def __str__(self) -> str:
        if self.path is None:
            return ""
        text = display_path(self.path)
        if self.cell:
            return f"{text}!{self.cell}"
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def display_path(path: Path | str) -> str:
    """A path as the user would recognise it: relative to where they ran the command if possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class SelfevalError(Exception):
    """A problem the user can fix; printed as one line (or a short list) without a traceback."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.details = details or []

    def __str__(self) -> str:
        where = str(self.location) if self.location else ""
        return f"{where}: {self.message}" if where else self.message


class InputError(SelfevalError):
    """Invalid findings, workbook, report or template supplied by the user."""


class OutputError(SelfevalError):
    """The output cannot be written safely (locked, edited, not writable)."""

    exit_code = 3


class ErrorList(SelfevalError):
    """Several independent input errors, reported together so the user can fix them in one pass.

    A ``SelfevalError`` itself, so one ``except SelfevalError`` (and the CLI's one handler) covers
    both; ``errors`` are the individual problems, each with its own location."""

    def __init__(self, errors: Sequence[SelfevalError]) -> None:
        self.errors: list[SelfevalError] = [
            item for e in errors for item in (e.errors if isinstance(e, ErrorList) else [e])
        ]
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
