"""Refuse a workbook that holds child-level (personal) data.

selfeval works from aggregate figures only: percentages, rates and counts for the whole service.
A workbook with a column headed like a personal identifier (a child's name, date of birth, child
or pupil id, NHS number, address...) is probably an extract from the case management system, and
must not be copied into a self-evaluation. We look at the heading rows of every sheet (the first
``HEADER_ROWS`` rows) and refuse the file at the first such heading, before any figure is read.

A heading matches when, after lower-casing and dropping punctuation and anything in brackets, the
whole cell is one of the phrases below: "Date of birth (DD/MM/YYYY)" matches, a sentence in an
Instructions sheet that mentions dates of birth does not, and nor does the Indicators sheet's
plain "Name" column (the indicator's name).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from selfeval.errors import InputError, Location

HEADER_ROWS = 20
MAX_COLUMNS = 200
_MAX_HEADING_CHARS = 60

# Phrases after normalisation (see _normalise). Bare "name" is not here: it is the indicator's name.
_PERSON = r"(?:child|childs|children|young person|young persons|yp|person|persons|pupil|pupils|client|clients|service user|care leaver|carer|parent|mother|father)"
_PHRASES = [
    rf"{_PERSON} (?:full )?names?|(?:full )?names? of (?:the )?{_PERSON}",
    r"(?:first|given|middle|last|family|full|fore|sur) ?names?",
    r"forename|surname|maiden name|preferred name|known as",
    rf"(?:{_PERSON} )?(?:dob|d o b|date of birth|birth date|birthdate|birthday|date born)",
    r"dob dd mm yyyy|age at referral in years and months",
    rf"{_PERSON} (?:id|ids|identifier|ref|reference|number|no|code)",
    r"(?:lcs|mosaic|liquidlogic|eclipse|carefirst|paris|azeus|frameworki|case|case file|person) (?:id|ref|reference|number|no)",
    r"unique pupil number|upn|former upn|uln|unique learner number|upin",
    r"nhs (?:number|no|num|id)|nhs|chi number",
    r"ni (?:number|no)|nino|national insurance(?: number| no)?",
    r"(?:home |home address |current |previous )?(?:post ?code|postal code|address(?: line [1-3])?|street|house number)",
    r"(?:home |mobile |contact )?(?:telephone|phone|mobile)(?: number| no)?|email(?: address)?",
]
_PERSONAL = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _PHRASES) + r")$")
# Sheets of prose that may describe what *not* to include.
_IGNORED_SHEETS = {"instructions", "readme", "read me", "notes", "guidance", "help", "about"}


def _normalise(text: str) -> str:
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text.lower())
    text = text.replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def looks_personal(heading: str) -> bool:
    """True when a column heading names a personal identifier (see the module docstring)."""
    if not isinstance(heading, str) or len(heading) > _MAX_HEADING_CHARS:
        return False
    normal = _normalise(heading)
    return bool(normal) and bool(_PERSONAL.match(normal))


def check_no_personal_data(workbook: Any, path: Path) -> None:
    """Raise InputError at ``Sheet!Cell`` if any sheet's heading rows name a personal identifier.

    ``workbook`` is an open openpyxl workbook (read-only mode is fine)."""
    from openpyxl.utils import get_column_letter

    for sheet_name in workbook.sheetnames:
        if _normalise(sheet_name) in _IGNORED_SHEETS:
            continue
        sheet = workbook[sheet_name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = sheet.iter_rows(min_row=1, max_row=HEADER_ROWS, max_col=MAX_COLUMNS, values_only=True)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if isinstance(value, str) and looks_personal(value):
                        raise InputError(
                            f"the column heading '{value.strip()}' looks like personal data about individual children. "
                            "selfeval takes aggregate figures only (percentages, rates and counts for the whole service), "
                            "never child-level data: remove this column (and any names, dates of birth or ids) from the "
                            "workbook, or summarise it first",
                            Location(path, cell=f"{sheet_name}!{get_column_letter(c)}{r}"),
                        )


def check_workbook_file(path: Path) -> None:
    """Open ``path`` (already size- and zip-checked) read-only and run :func:`check_no_personal_data`."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as e:  # openpyxl's failures on damaged files are many and untyped
        raise InputError(f"the file cannot be read as an Excel workbook ({type(e).__name__}: {e})", Location(path)) from None
    try:
        check_no_personal_data(workbook, path)
    finally:
        workbook.close()

