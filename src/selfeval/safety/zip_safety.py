"""Checks before opening a Word template: the same size and zip-bomb guard as for workbooks."""

from __future__ import annotations

from pathlib import Path

from selfeval.safety.xlsx_safety import check_ooxml

# check_ooxml writes "not an {kind}", so the wording starts with a vowel sound.
TEMPLATE_KIND = "Office Word template (.docx)"


def check_template(path: Path) -> None:
    check_ooxml(path, kind=TEMPLATE_KIND, required_member="word/document.xml")
