"""Where things are on one scorecard sheet: the heading row, each role's column, the period columns,
and (wide layout) which rows are measures, numerator/denominator rows and section bands.

Shared by ``workbook map`` (which finds the headings) and the reader (which finds them again from
the mapping every time, so title rows added above or new period columns cost the person nothing).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from selfeval.load.scorecard import vocabulary as vocab
from selfeval.load.workbook import FORMULA, Sheet, _blank
from selfeval.models.performance import Period

HEADING_SEARCH_ROWS = 30
SINGLE_ROLES = ("id", "name", "row_kind", "polarity", "unit", "rag", "judgement_area", "framework_ref", "period", "value",
                "numerator", "denominator", "tolerance")
_MONTH_ONLY = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.IGNORECASE)


def cell_text(value: Any) -> str | None:
    if value is None or value is FORMULA:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def heading_at(sheet: Sheet, row: int, col: int, years_row: int | None) -> Any:
    """The heading of a column: its cell on the heading row, else (two heading rows) the one above."""
    v = sheet.value(row, col)
    if _blank(v) and years_row:
        return sheet.value(years_row, col)
    return v


def column_period(sheet: Sheet, row: int, col: int, years_row: int | None) -> Period | None:
    """The period a column holds, from its heading and (two heading rows) the year above it."""
    low = sheet.value(row, col)
    up = sheet.value(years_row, col) if years_row else None
    if _blank(low) or low is FORMULA:
        return vocab.parse_period(up) if not _blank(up) and up is not FORMULA else None
    own = vocab.parse_period(low)
    if own is not None and not (isinstance(low, str) and _MONTH_ONLY.match(low.strip())):
        return own
    if _blank(up) or up is FORMULA:
        return own
    upper = up.date().isoformat() if isinstance(up, dt.datetime) else cell_text(up) or ""
    lower = cell_text(low) or ""
    year = vocab.parse_period(upper)
    if year is not None and year.kind == "financial-year" and _MONTH_ONLY.match(lower):
        month = vocab.parse_period(f"{lower} {year.start.year}")
        if month is not None and month.start.month < 4:
            month = vocab.parse_period(f"{lower} {year.end.year}")
        return month
    for combined in (f"{upper} {lower}", f"{lower} {upper}"):
        p = vocab.parse_period(combined)
        if p is not None:
            return p
    return own


@dataclass
class Resolved:
    heading_row: int
    years_row: int | None
    single: dict[str, int] = field(default_factory=dict)  # role -> column
    dated: dict[str, dict[int, Period]] = field(default_factory=dict)  # role -> {column: period}, e.g. England 2024-25
    periods: dict[int, Period] = field(default_factory=dict)  # wide layout: column -> period
    ignored: list[tuple[int, str, str]] = field(default_factory=list)  # (column, heading, why)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (role, heading expected) not found
    inferred: set[str] = field(default_factory=set)  # roles worked out from a column's contents, not its heading

    def roles(self) -> set[str]:
        return set(self.single) | {r for r, cols in self.dated.items() if cols}


def classify_headings(sheet: Sheet, row: int, years_row: int | None, wanted: dict[str, str] | None = None) -> Resolved:
    """Each column of the heading row as a role, a period, or ignored (with why).

    ``wanted`` (from a mapping) gives role -> heading; without it the vocabulary decides."""
    res = Resolved(row, years_row)
    wanted_keys = {role: vocab.key(h) for role, h in (wanted or {}).items() if h}
    period_seen: dict[tuple, int] = {}
    width = max(len(sheet.rows[row - 1]) if row <= len(sheet.rows) else 0, len(sheet.rows[years_row - 1]) if years_row else 0)
    for c in range(1, width + 1):
        raw = heading_at(sheet, row, c, years_row)
        if _blank(raw) or raw is FORMULA:
            continue
        text = cell_text(raw) or ""
        k = vocab.key(text)
        role: str | None = None
        dated: tuple[str, str, Period] | None = None
        if wanted is not None:
            role = next((r for r, h in wanted_keys.items() if h == k), None)
            if role is None:
                split = vocab.split_period(text)
                if split and wanted_keys.get(split[0]) == vocab.key(split[1]):
                    dated = split
        else:
            role = vocab.role_of(text)
            if role is None:
                dated = vocab.split_period(text)
        if dated is not None:
            res.dated.setdefault(dated[0], {})[c] = dated[2]
            continue
        if role in ("target", "england", "region", "statistical_neighbours"):
            # A plain "Target" or "England" column: its period is the measure's latest.
            if role in res.single:
                res.ignored.append((c, text, f"a second '{text}' column (the first is column {_letter(res.single[role])})"))
            else:
                res.single[role] = c
            continue
        if role in ("comment", "direction"):
            why = ("free text: selfeval writes its own sentence, and comments can name children" if role == "comment"
                   else "selfeval works out the direction of travel from the values")
            res.ignored.append((c, text, why))
            continue
        if role is not None:
            if role in res.single:
                res.ignored.append((c, text, f"a second column for the {role.replace('_', ' ')} (the first is column {_letter(res.single[role])})"))
            else:
                res.single[role] = c
            continue
        period = column_period(sheet, row, c, years_row)
        if period is not None:
            if period.identity in period_seen:
                res.ignored.append((c, text, f"a second column for {period.label} (the first is column {_letter(period_seen[period.identity])})"))
            else:
                period_seen[period.identity] = c
                res.periods[c] = period
            continue
        why = vocab.vocabulary().known_unused.get(k) or "not a period, comparator or heading selfeval knows"
        res.ignored.append((c, text, why))
    if wanted is None and len(res.periods) >= 2:
        _infer_from_contents(sheet, res)
    if wanted is not None:
        for role, h in (wanted or {}).items():
            if h and role not in res.single and not res.dated.get(role):
                res.missing.append((role, h))
    return res


def _infer_from_contents(sheet: Sheet, res: Resolved) -> None:
    """A heading selfeval does not know ('Measure description', 'Ref No.') beside period columns: the
    column of longer text is the measure name, and one of short unique codes the id."""
    unknown = [(c, h) for c, h, why in res.ignored if why == "not a period, comparator or heading selfeval knows" and c < min(res.periods)]
    below = range(res.heading_row + 1, min(len(sheet.rows), res.heading_row + 60) + 1)

    def texts(c: int) -> list[str]:
        out = []
        for r in below:
            t = cell_text(sheet.value(r, c))
            if t and vocab.marker(t) is None and not re.fullmatch(r"[-+\d.,%\s]+", t):
                out.append(t)
        return out

    for role, ok in (
        ("name", lambda ts: sum(1 for t in ts if " " in t and len(t) >= 8) >= max(3, len(ts) // 2)),
        ("id", lambda ts: len(ts) >= 3 and all(len(t) <= 12 and " " not in t.strip() for t in ts) and len(set(ts)) == len(ts)
         and sum(any(ch.isdigit() for ch in t) for t in ts) >= len(ts) // 2),
    ):
        if role in res.single:
            continue
        for c, h in unknown:
            if c in res.single.values():
                continue
            if ok(texts(c)):
                res.single[role] = c
                res.inferred.add(role)
                res.ignored = [x for x in res.ignored if x[0] != c]
                break


def _letter(col: int) -> str:
    from selfeval.load.workbook import column_letter

    return column_letter(col)


def find_heading_row(sheet: Sheet, limit: int = HEADING_SEARCH_ROWS) -> Resolved | None:
    """The likeliest heading row (and years row above it): the most known headings and periods,
    with a measure name or id column."""
    best: tuple[int, Resolved] | None = None
    for r in range(1, min(len(sheet.rows), limit) + 1):
        if not sheet.rows[r - 1]:
            continue
        for years_row in (None, r - 1 if r > 1 else None):
            if years_row is not None and not sheet.rows[years_row - 1]:
                continue
            res = classify_headings(sheet, r, years_row)
            roles = res.roles()
            if not ({"name", "id"} & roles):
                continue
            long = "period" in roles and bool({"value", "numerator"} & roles)
            if not long and not res.periods:
                continue
            score = 2 * len(roles) + len(res.periods) + (5 if long else 0)
            if best is None or score > best[0]:
                best = (score, res)
    return best[1] if best else None


def locate(sheet: Sheet, heading_row: int, years_row: int | None, wanted: dict[str, str]) -> Resolved:
    """The mapping's headings on this sheet: at the mapped row, else on the nearest row that has them all
    (title rows added or removed above the table since the mapping was made)."""
    first = classify_headings(sheet, heading_row, years_row, wanted)
    if not first.missing:
        return first
    offset_years = (heading_row - years_row) if years_row else None
    for r in sorted(range(1, min(len(sheet.rows), HEADING_SEARCH_ROWS + heading_row) + 1), key=lambda x: abs(x - heading_row)):
        if r == heading_row:
            continue
        yr = r - offset_years if offset_years else None
        if yr is not None and yr < 1:
            continue
        res = classify_headings(sheet, r, yr, wanted)
        if not res.missing:
            return res
    return first


# -- rows of a wide sheet -----------------------------------------------------------------------

@dataclass
class MeasureRows:
    name: str
    ref: str | None
    row: int | None  # the value row (None: only numerator / denominator rows)
    numerator_row: int | None = None
    denominator_row: int | None = None
    section: str | None = None


@dataclass
class WideRows:
    measures: list[MeasureRows] = field(default_factory=list)
    bands: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)


def _row_values(sheet: Sheet, r: int) -> list[Any]:
    return [v for v in (sheet.rows[r - 1] if r <= len(sheet.rows) else []) if not _blank(v) and v is not FORMULA]


def walk_wide(sheet: Sheet, res: Resolved) -> WideRows:
    out = WideRows()
    name_col = res.single.get("name")
    id_col = res.single.get("id")
    kind_col = res.single.get("row_kind")
    section: str | None = None
    last: MeasureRows | None = None
    for r in range(res.heading_row + 1, len(sheet.rows) + 1):
        values = _row_values(sheet, r)
        if not values:
            continue
        name = cell_text(sheet.value(r, name_col)) if name_col else None
        ref = cell_text(sheet.value(r, id_col)) if id_col else None
        texts = {cell_text(v) for v in values}
        has_data = any(not _blank(sheet.value(r, c)) for c in res.periods)
        kind = vocab.row_kind(cell_text(sheet.value(r, kind_col))) if kind_col else None
        if kind is None and not (ref and name):
            kind = vocab.row_kind(name) if name else (vocab.row_kind(ref) if ref and not name_col else None)
        if kind in ("numerator", "denominator"):
            if last is None:
                out.skipped.append((r, f"a {kind} row with no measure above it"))
                continue
            if kind == "numerator":
                last.numerator_row = r
            else:
                last.denominator_row = r
            continue
        # A section band: one text, alone on its row or merged across it (the merge copies it into every cell).
        if len(texts) == 1 and isinstance(values[0], str) and (not has_data or len(values) > 2) and vocab.marker(values[0]) is None:
            text = texts.pop() or ""
            if re.match(r"^(source|note|notes|key|\*|data as at|provisional)\b", text.strip().lower()):
                out.skipped.append((r, "a note, not a measure"))
                continue
            section = text
            out.bands.append((r, text))
            last = None
            continue
        label = name or ref
        if not label:
            out.skipped.append((r, "no measure name" + (" or id" if id_col else "")))
            continue
        last = MeasureRows(name=label, ref=ref, row=r, section=section)
        out.measures.append(last)
    return out


def long_rows(sheet: Sheet, res: Resolved) -> tuple[dict[str, list[int]], dict[str, str | None], list[tuple[int, str]]]:
    """Long layout: measure name -> its rows (in order), its id, and rows skipped (with why)."""
    name_col = res.single.get("name")
    id_col = res.single.get("id")
    rows: dict[str, list[int]] = {}
    refs: dict[str, str | None] = {}
    skipped: list[tuple[int, str]] = []
    for r in range(res.heading_row + 1, len(sheet.rows) + 1):
        if not _row_values(sheet, r):
            continue
        name = cell_text(sheet.value(r, name_col)) if name_col else None
        ref = cell_text(sheet.value(r, id_col)) if id_col else None
        label = name or ref
        if not label:
            skipped.append((r, "no measure name"))
            continue
        rows.setdefault(label, []).append(r)
        refs.setdefault(label, ref)
    return rows, refs, skipped
