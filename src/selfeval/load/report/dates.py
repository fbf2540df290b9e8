"""Inspection dates in every style Ofsted has printed.

'12 to 23 January 2026', '9 July 2018 to 20 July 2018', '28 November to 2 December 2022',
'27 June to 28 June 2023', '4 and 5 July 2023' and several ranges ('6 to 8 March and 20 to 22 March
2024'). A day without a month or year takes them from the next date that has them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_ATOM = re.compile(rf"\b({_DAY})(?:\s+({_MONTH})\.?)?(?:\s+((?:19|20)\d\d))?\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|–|—|-)\s*$", re.IGNORECASE)
_LIST_JOIN = re.compile(r"^\s*(?:,|and|&|,\s*and)\s*$", re.IGNORECASE)


@dataclass
class _Atom:
    day: int
    month: int | None
    year: int | None
    start: int
    end: int


def date_list_prefix(text: str) -> str | None:
    """The leading date list of ``text`` ('7 and 8 June 2022. This was...' -> '7 and 8 June 2022'),
    up to the last date that belongs to it; None if it does not start with a date that has a year."""
    atoms = _atoms(text)
    if not atoms or atoms[0].start > 0:
        return None
    end = atoms[0].end
    for prev, atom in zip(atoms, atoms[1:]):
        between = text[prev.end : atom.start]
        if not (_RANGE_JOIN.match(between) or _LIST_JOIN.match(between)):
            break
        end = atom.end
    prefix = text[:end].strip()
    return prefix if re.search(r"(?:19|20)\d\d$", prefix) else None


_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


def _spelled(m: re.Match[str]) -> str:
    # British order, as Ofsted prints it: '12/09/2016' is 12 September 2016.
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return m.group(0)
    return f"{int(m.group(1))} {_MONTH_NAMES[month - 1]} {m.group(3)}"


def parse_date_ranges(text: str) -> list[tuple[dt.date, dt.date | None]]:
    """All date ranges in ``text``; a one-day date has end None. Raises ValueError if none or invalid.
    Numeric dates ('12/09/2016 to 06/10/2016', some 2016 reports) are read day first."""
    text = _NUMERIC.sub(_spelled, text)
    atoms = _atoms(text)
    if not atoms:
        raise ValueError(f"no dates in '{text}'")
    _fill_backwards(atoms)
    groups: list[list[_Atom]] = [[atoms[0]]]
    for prev, atom in zip(atoms, atoms[1:]):
        between = text[prev.end : atom.start]
        if _RANGE_JOIN.match(between) and len(groups[-1]) == 1:
            groups[-1].append(atom)
        elif _LIST_JOIN.match(between) or _RANGE_JOIN.match(between):
            groups.append([atom])
        else:
            break  # the rest of the text is not part of the date list
    ranges: list[tuple[dt.date, dt.date | None]] = []
    for group in groups:
        start = _date(group[0])
        end = _date(group[-1]) if len(group) > 1 else None
        if end is not None and end < start:
            raise ValueError(f"'{text}': range ends before it starts")
        ranges.append((start, end))
    return _merge_day_lists(ranges, groups, text)


def _atoms(text: str) -> list[_Atom]:
    out = []
    for m in _ATOM.finditer(text):
        day = int(m.group(1).lower().rstrip("stndrh"))  # '21st' -> 21 (_DAY is digits then a suffix)
        month = MONTHS[m.group(2).lower()] if m.group(2) else None
        year = int(m.group(3)) if m.group(3) else None
        out.append(_Atom(day, month, year, m.start(), m.end()))
    # Drop leading numbers that are not dates (e.g. page numbers) by requiring a month somewhere after.
    while out and all(a.month is None for a in out):
        out.pop()
    return out


def _fill_backwards(atoms: list[_Atom]) -> None:
    month = year = None
    for atom in reversed(atoms):
        if atom.year is not None:
            year = atom.year
        elif year is not None:
            atom.year = year
        if atom.month is not None:
            month = atom.month
        elif month is not None:
            atom.month = month


def _date(atom: _Atom) -> dt.date:
    if atom.month is None or atom.year is None:
        raise ValueError("date without month or year")
    return dt.date(atom.year, atom.month, atom.day)


def _merge_day_lists(
    ranges: list[tuple[dt.date, dt.date | None]], groups: list[list[_Atom]], text: str
) -> list[tuple[dt.date, dt.date | None]]:
    # '4 and 5 July 2023' are consecutive days of one visit: one range, as Ofsted means it.
    out: list[tuple[dt.date, dt.date | None]] = []
    for (start, end), group in zip(ranges, groups):
        if out and end is None and out[-1][1] is None and (start - out[-1][0]).days == 1:
            out[-1] = (out[-1][0], start)
        elif out and end is None and out[-1][1] is not None and (start - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], start)
        else:
            out.append((start, end))
    return out
