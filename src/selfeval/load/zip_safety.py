"""Checks before opening a Word template: the same size and zip-bomb guard as for workbooks."""

from __future__ import annotations

from pathlib import Path

from selfeval.load.xlsx_safety import check_ooxml


def check_zip(path: Path, *, kind: str) -> None:
    # check_ooxml writes "an {kind}"; every kind we pass starts with a vowel sound.
    check_ooxml(path, kind=kind, required_member="word/document.xml")
