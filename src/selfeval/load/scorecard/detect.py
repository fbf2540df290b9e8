"""Work out how a council's scorecard is laid out, for ``selfeval workbook map``.

For each sheet: the heading row (the row, within the first 30, with the most headings selfeval
knows and periods, that has a measure name or id column), whether it is *wide* (a column per
period) or *long* (a row per measure and period), each role's column, the section bands, the
numerator / denominator rows, and every measure with its unit and polarity and where those came
from. What is not used is listed with the reason, so the person can check the mapping.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from selfeval.load.scorecard import vocabulary as vocab
from selfeval.load.scorecard.grid import SKIPPED_SHEETS, Grids
from selfeval.load.scorecard.mapping import ROLE_TITLES, Columns, Mapping, MeasureMap, SheetMap, unique_id
from selfeval.load.scorecard.measures import describe
from selfeval.load.scorecard.structure import Resolved, cell_text, find_heading_row, heading_at, long_rows, walk_wide
from selfeval.load.workbook import Sheet, column_letter, parse_number, CellProblem
from selfeval.models.performance import squash


@dataclass
class Understanding:
    """What ``workbook map`` understood (what, where, how it is read) and what it ignored (where, why)."""

    understood: list[tuple[str, str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    notes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (sheet, measure) -> field -> where from
    own_format: bool = False


def is_own_format(grids: Grids) -> bool:
    names = {squash(s.name) for s in grids.sheets}
    return ("indicators" in names or "indicator definitions" in names) and bool({"data", "values"} & names)


def detect(grids: Grids) -> tuple[Mapping, Understanding]:
    u = Understanding()
    mapping = Mapping(file=grids.path.name)
    if not grids.is_csv and is_own_format(grids):
        u.own_format = True
        return mapping, u
    used_ids: set[str] = set()
    several = len(grids.sheets) > 1
    for sheet in grids.sheets:
        if squash(sheet.name) in SKIPPED_SHEETS:
            u.ignored.append((sheet.name, "a notes or instructions sheet"))
            continue
        if not sheet.rows:
            u.ignored.append((sheet.name, "empty"))
            continue
        res = find_heading_row(sheet)
        if res is None:
            u.ignored.append((sheet.name, _why_not(sheet)))
            continue
        _sheet(grids, sheet, res, mapping, u, used_ids, several)
    return mapping, u


def _why_not(sheet: Sheet) -> str:
    """Why a sheet was not read, naming the row that came closest, so the person knows what to add."""
    from selfeval.load.scorecard.structure import classify_headings

    best = None
    for r in range(1, min(len(sheet.rows), 30) + 1):
        res = classify_headings(sheet, r, None)
        if res.periods and (best is None or len(res.periods) > len(best.periods)):
            best = res
    if best is None:
        return ("no heading row in the first 30 rows has period columns (such as 2024-25, Q2 2025-26, Apr-25 or a date) "
                "or Period and Value columns")
    headings = ", ".join(f"'{h}'" for _c, h, _w in best.ignored[:8])
    return (f"row {best.heading_row} has period columns but no column selfeval recognises as the measure name or id "
            f"(its other headings: {headings or 'none'}): name the column 'Indicator' or 'Measure' in a copy, or write the "
            "sheet's entry in the mapping by hand (see docs/workbook-format.md, 'Your own scorecard')")


def _heading(sheet: Sheet, res: Resolved, c: int) -> str:
    return cell_text(heading_at(sheet, res.heading_row, c, res.years_row)) or ""


def _sheet(grids: Grids, sheet: Sheet, res: Resolved, mapping: Mapping, u: Understanding, used_ids: set[str], several: bool) -> None:
    name = sheet.name
    prefix = "" if grids.is_csv else f"{name}!"
    long = "period" in res.single and bool({"value", "numerator"} & set(res.single))
    columns: dict[str, str] = {}
    for role, c in res.single.items():
        columns[role] = _heading(sheet, res, c)
    for role, cols in res.dated.items():
        first = min(cols)
        split = vocab.split_period(_heading(sheet, res, first))
        if split:
            columns[role] = split[1]
    area = vocab.area_of(name) if several else None
    smap = SheetMap(name=name, layout="long" if long else "wide", heading_row=res.heading_row, years_row=res.years_row,
                    columns=Columns(**columns), area=area)
    where_row = f"{prefix}row {res.heading_row}" + (f" (years on row {res.years_row})" if res.years_row else "")
    u.understood.append(("layout", prefix.rstrip("!") or grids.path.name,
                         "long: one row per measure and period" if long else "wide: one column per period"))
    u.understood.append(("heading row", where_row, ", ".join(_heading(sheet, res, c) for c in sorted(res.single.values()))))
    if area:
        u.understood.append(("judgement area of the sheet", name, area))
    for role, c in sorted(res.single.items(), key=lambda kv: kv[1]):
        how = f"'{_heading(sheet, res, c)}'" + (" (worked out from what the column holds: check)" if role in res.inferred else "")
        u.understood.append((ROLE_TITLES.get(role, role), f"{prefix}{column_letter(c)}", how))
    for role, cols in res.dated.items():
        text = ", ".join(f"{column_letter(c)} {p.label}" for c, p in sorted(cols.items()))
        u.understood.append((ROLE_TITLES.get(role, role), prefix.rstrip("!") or grids.path.name, f"'{columns.get(role)} <period>': {text}"))
    if res.periods:
        ps = sorted(res.periods.items(), key=lambda kv: kv[1].sort_key)
        u.understood.append(("periods", f"{prefix}{column_letter(min(res.periods))}-{column_letter(max(res.periods))}",
                             f"{len(ps)} columns, {ps[0][1].label} to {ps[-1][1].label} (new period columns are picked up)"))
    for c, heading, why in res.ignored:
        u.ignored.append((f"{prefix}{column_letter(c)} '{heading}'", why))
    found: list[tuple[str, str | None, int, str | None]] = []  # (name, ref, row, section)
    value_cells: dict[str, list[tuple[int, int]]] = {}  # each measure's value cells, for its number format
    if long:
        grouped, refs, skipped = long_rows(sheet, res)
        for label, rows in grouped.items():
            found.append((label, refs.get(label), rows[0], None))
            if "value" in res.single:
                value_cells[label] = [(r, res.single["value"]) for r in rows]
        value_cols = [res.single[f] for f in ("value", "numerator", "denominator") if f in res.single]
        value_rows = [r for rows in grouped.values() for r in rows]
        u.understood.append(("measures", f"{prefix}{column_letter(res.single.get('name') or res.single['id'])}",
                             f"{len(grouped)} measures in {len(value_rows)} rows"))
    else:
        wide = walk_wide(sheet, res)
        for mr in wide.measures:
            found.append((mr.name, mr.ref, mr.row or mr.numerator_row or 0, mr.section))
            if mr.row:
                value_cells[mr.name] = [(mr.row, c) for c in res.periods]
        for r, text in wide.bands:
            a = vocab.area_of(text)
            smap.sections[text] = a
            u.understood.append(("section band", f"{prefix}row {r}", f"'{text}' -> {a or 'no judgement area (set one in the mapping)'}"))
        nd = [mr for mr in wide.measures if mr.numerator_row or mr.denominator_row]
        if nd:
            u.understood.append(("numerator / denominator rows", prefix.rstrip("!") or grids.path.name,
                                 f"under {len(nd)} measures (e.g. rows {nd[0].numerator_row or nd[0].denominator_row} under '{nd[0].name}')"))
        skipped = wide.skipped
        value_cols = list(res.periods)
        value_rows = [r for mr in wide.measures for r in (mr.row, mr.numerator_row, mr.denominator_row) if r]
        u.understood.append(("measures", f"{prefix}{column_letter(res.single.get('name') or res.single['id'])}", f"{len(wide.measures)} measures"))
    for r, why in skipped:
        u.ignored.append((f"{prefix}row {r}", why))
    _markers(sheet, value_rows, value_cols, prefix, u)
    mapping.sheets.append(smap)
    for label, ref, row, section in found:
        def cell_of(role: str) -> str | None:
            c = res.single.get(role)
            return cell_text(sheet.value(row, c)) if c else None

        info = describe(
            sheet=name, name=label, ref=ref, file_unit=cell_of("unit"), file_polarity=cell_of("polarity"), file_area=cell_of("judgement_area"),
            section_area=smap.sections.get(section) if section else None, sheet_area=area, entry=None, unit_from_the_name=True,
            unit_from_format="%" if all_percent(sheet, value_cells.get(label, [])) else None,
        )
        info.id = unique_id(info.id, used_ids)
        used_ids.add(info.id)
        notes: dict[str, str] = {}
        if info.entry is not None:
            notes["matches"] = f"{info.entry.name} ({info.entry.unit}, {info.entry.polarity})"
        for f in ("unit", "polarity", "judgement_area", "framework_ref"):
            if f in info.sources and info.sources[f] != "the mapping":
                notes[f] = info.sources[f] if not info.sources[f].startswith("catalogue") else "catalogue"
        if info.unit is None:
            notes["unit"] = "not in the scorecard or the catalogue: please fill in"
        if info.polarity is None:
            notes["polarity"] = "not in the scorecard or the catalogue: please fill in"
        u.notes[(name, label)] = notes
        mapping.measures.append(MeasureMap(
            sheet=name, name=label, id=info.id, matches=info.entry.id if info.entry else None, unit=info.unit, polarity=info.polarity,
            judgement_area=info.judgement_area, framework_ref=info.framework_ref,
        ))


def all_percent(sheet: Sheet, cells: list[tuple[int, int]]) -> bool:
    """Every number among the cells is formatted as a percentage (0.0%): the measure is a percentage, as Excel shows it.
    Markers and blanks do not count; numbers typed as text ('85%') are not a cell format."""
    numbers = [(r, c) for r, c in cells if isinstance(sheet.value(r, c), (int, float)) and not isinstance(sheet.value(r, c), bool)]
    return bool(numbers) and all(sheet.is_percent(r, c) for r, c in numbers)


def _markers(sheet: Sheet, rows: list[int], cols: list[int], prefix: str, u: Understanding) -> None:
    """Which suppression / not-available markers the values use, and any text that is neither."""
    seen: Counter[str] = Counter()
    odd: dict[str, str] = {}
    for r in rows:
        for c in cols:
            raw = sheet.value(r, c)
            if raw is None or not isinstance(raw, str) or not raw.strip():
                continue
            status = vocab.marker(raw)
            if status is not None:
                seen[f"'{raw.strip()}' ({status})"] += 1
                continue
            try:
                parse_number(raw)
            except CellProblem:
                odd.setdefault(raw.strip(), f"{prefix}{column_letter(c)}{r}")
    if seen:
        u.understood.append(("suppressed / not available", prefix.rstrip("!") or "values", ", ".join(f"{k} x{n}" for k, n in seen.most_common())))
    for text, where in list(odd.items())[:10]:
        u.ignored.append((where, f"'{text}' is neither a number nor a known marker: add it to 'values: suppressed' or 'not_available' in the mapping"))
