"""Read a council's scorecard through its mapping into ``PerformanceData``.

Every value cell is one of: a number (as in selfeval's own format: ``85``, ``85%``, ``1,234``,
a cell formatted as a percentage), a marker (suppressed: ``c * x z``; not available: ``- n/a ..``,
blank, or what the mapping declares), or a problem reported at ``file!Sheet!Cell``. A mapping
that no longer fits the file (a sheet or a heading renamed) is reported with the heading it
expected, so the person knows what to correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from selfeval.errors import ErrorList, InputError, Location, SelfevalError
from selfeval.load.scorecard import vocabulary as vocab
from selfeval.load.scorecard.grid import Grids, mapping_path_for, read_grids
from selfeval.load.scorecard.mapping import ROLE_TITLES, Mapping, SheetMap, load_mapping
from selfeval.load.scorecard.measures import MeasureInfo, decimals_shown, describe
from selfeval.load.scorecard.structure import Resolved, cell_text, locate, long_rows, walk_wide
from selfeval.load.workbook import FORMULA, CellProblem, Sheet, column_letter, parse_number
from selfeval.models.performance import (
    Comparator,
    ComparatorKind,
    Indicator,
    Marker,
    Observation,
    PerformanceData,
    Period,
    squash,
)

MAX_ERRORS = 20
COMPARATOR_LABELS = {"england": "England", "region": "region", "statistical_neighbours": "statistical neighbours"}
_ROLES: tuple[ComparatorKind | Literal["target"], ...] = ("england", "region", "statistical_neighbours", "target")


class _Errors:
    def __init__(self, grids: Grids):
        self.grids = grids
        self.items: list[SelfevalError] = []
        self.overflow = 0

    def add(self, sheet: Sheet, row: int | None, col: int | None, message: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.overflow += 1
            return
        self.items.append(InputError(message, self.grids.where(sheet, row, col)))

    def add_error(self, error: SelfevalError) -> None:
        self.items.append(error)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        if self.overflow:
            self.items.append(InputError(f"... and {self.overflow} more problems not shown: fix these first", Location(self.grids.path)))
        if len(self.items) == 1:
            raise self.items[0]
        raise ErrorList(list(self.items))


@dataclass
class _Cell:
    number: float | None
    status: Marker | None
    done: bool  # already a percentage (typed "85%" or formatted as %), or not a % measure
    row: int
    col: int


@dataclass
class _Measure:
    info: MeasureInfo
    sheet: Sheet
    row: int | None
    values: dict[tuple, tuple[Period, _Cell | None, _Cell | None, _Cell | None]] = field(default_factory=dict)  # period id -> (period, value, num, den)
    targets: list[tuple[Period | None, _Cell]] = field(default_factory=list)
    comparators: list[tuple[ComparatorKind, Period | None, _Cell]] = field(default_factory=list)
    rag: tuple[str, str] | None = None  # (colour, cell)
    rag_by_period: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    tolerance: _Cell | None = None

    def add(self, role: ComparatorKind | Literal["target"], when: Period | None, cell: _Cell | None) -> None:
        """A target or comparator cell (``when`` None: undated, it goes with the latest value); blanks are skipped."""
        if cell is None or cell.number is None:
            return
        if role == "target":
            self.targets.append((when, cell))
        else:
            self.comparators.append((role, when, cell))


def load_scorecard(path: Path, mapping_path: Path | None = None) -> PerformanceData:
    """Read ``path`` through ``<stem>.mapping.yaml`` (or ``mapping_path``)."""
    mapping_path = mapping_path or mapping_path_for(path)
    mapping = load_mapping(mapping_path)
    check_belongs(mapping, mapping_path, path)
    grids = read_grids(path)
    return ScorecardReader(grids, mapping, mapping_path).read()


def check_belongs(mapping: Mapping, mapping_path: Path, path: Path) -> None:
    """A mapping is for one file: 'long.mapping.yaml' written for long.xlsx does not fit long.csv."""
    if mapping.file != path.name:
        raise InputError(
            f"{mapping_path.name} is the mapping of {mapping.file} (its 'file:' line), not of {path.name}: give {path.name} a name of "
            f"its own (each scorecard's mapping is <its name>.mapping.yaml), or correct 'file:' if {mapping.file} was renamed",
            Location(mapping_path, line=1),
        )


class ScorecardReader:
    def __init__(self, grids: Grids, mapping: Mapping, mapping_path: Path):
        self.grids = grids
        self.mapping = mapping
        self.mapping_path = mapping_path
        self.errors = _Errors(grids)
        self.notes: list[str] = []
        self.suppressed = frozenset(s.strip().lower() for s in mapping.values.suppressed)
        self.not_available = frozenset(s.strip().lower() for s in mapping.values.not_available)
        self.measures: list[_Measure] = []
        self.ids: dict[str, str] = {}  # id -> where first defined
        self.unmapped: list[str] = []
        self.fractions: list[str] = []  # % measures whose values were read as fractions (0.85 = 85%)

    # -- the whole file ---------------------------------------------------------------------------

    def read(self) -> PerformanceData:
        by_name = {s.name: s for s in self.grids.sheets}
        by_squash = {squash(s.name): s for s in self.grids.sheets}
        if not self.mapping.sheets:
            raise InputError(
                f"{self.mapping_path.name} maps no sheets: run 'selfeval workbook map {self.grids.path.name}' again", Location(self.mapping_path)
            )
        for i, smap in enumerate(self.mapping.sheets):
            sheet = by_name.get(smap.name) or by_squash.get(squash(smap.name))
            if sheet is None:
                names = ", ".join(s.name for s in self.grids.sheets)
                self.errors.add_error(InputError(
                    f"the mapping {self.mapping_path.name} (sheets[{i}]) reads a sheet named '{smap.name}', which the file no longer has "
                    f"(its sheets are: {names}): correct the sheet's name in the mapping",
                    Location(self.grids.path),
                ))
                continue
            res = locate(sheet, smap.heading_row, smap.years_row, {k: v for k, v in smap.columns.model_dump().items() if v})
            if res.missing:
                row_headings = ", ".join(f"'{cell_text(v)}'" for v in sheet.rows[smap.heading_row - 1] if cell_text(v)) if smap.heading_row <= len(sheet.rows) else ""
                for role, heading in res.missing:
                    self.errors.add(
                        sheet, smap.heading_row, None,
                        f"the mapping {self.mapping_path.name} expects a column headed '{heading}' (the {ROLE_TITLES.get(role, role)}) "
                        f"on row {smap.heading_row}, but that row has {row_headings or 'no headings'}: if the column was renamed, "
                        f"change 'columns: {role}:' in the mapping to its new heading (or delete the line if it has gone)",
                    )
                continue
            if smap.layout == "wide":
                if not res.periods:
                    self.errors.add(sheet, res.heading_row, None, f"row {res.heading_row} has no period columns (such as 2024-25, Q2 2025-26 or Apr-25)")
                    continue
                self._wide(sheet, smap, res)
            else:
                self._long(sheet, smap, res)
        indicators: list[Indicator] = []
        observations: list[Observation] = []
        comparators: list[Comparator] = []
        for m in self.measures:
            built = self._build(m)
            if built is None:
                continue
            indicator, obs, comps = built
            indicators.append(indicator)
            observations.extend(obs)
            comparators.extend(comps)
        if self.fractions:
            shown = ", ".join(self.fractions[:8]) + (" ..." if len(self.fractions) > 8 else "")
            self.notes.append(
                f"{self.grids.path.name}: the values of {len(self.fractions)} % measure(s) ({shown}) are all 1 or less, so they were read as "
                f"fractions (0.85 = 85%); if that is wrong, set 'values: percentages: percentages' in {self.mapping_path.name}"
            )
        if self.unmapped:
            shown = ", ".join(f"'{n}'" for n in self.unmapped[:5]) + (" ..." if len(self.unmapped) > 5 else "")
            self.notes.append(
                f"{self.grids.path.name}: {len(self.unmapped)} measure(s) are not in {self.mapping_path.name} yet ({shown}); they were read "
                f"as worked out afresh. Run 'selfeval workbook map {self.grids.path.name}' to add them to the mapping and check them"
            )
        incomplete = [i for i in indicators if i.incomplete]
        if incomplete:
            shown = ", ".join(f"{i.id} ({i.incomplete})" for i in incomplete[:6]) + (" ..." if len(incomplete) > 6 else "")
            self.notes.append(
                f"{self.mapping_path.name}: {len(incomplete)} measure(s) have no unit or polarity yet: {shown}. The documents show them with "
                "a 'to complete' note and compare them with nothing until you fill in 'unit:' and 'polarity:' in the mapping"
            )
        self.errors.raise_if_any()
        if not indicators:
            raise InputError(f"no measures were found through the mapping {self.mapping_path.name}", Location(self.grids.path))
        return PerformanceData(
            source_path=str(self.grids.path), indicators=indicators, observations=observations, comparators=comparators, notes=self.notes
        )

    # -- cells ---------------------------------------------------------------------------------------

    def _cell(self, sheet: Sheet, r: int, c: int, context: str) -> _Cell | None:
        raw = sheet.value(r, c)
        if raw is FORMULA:
            from selfeval.load.workbook import FORMULA_MESSAGE

            self.errors.add(sheet, r, c, FORMULA_MESSAGE)
            return None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None  # blank: nothing to read
        status = vocab.marker(raw, self.suppressed, self.not_available)
        if status is not None:
            return _Cell(None, status, True, r, c)
        try:
            number, explicit = parse_number(raw)
        except CellProblem as e:
            self.errors.add(
                sheet, r, c,
                f"{e} ({context}); if it marks a suppressed or missing value, add it to 'values: suppressed' or 'not_available' in {self.mapping_path.name}",
            )
            return None
        if number is None:
            return None
        if sheet.is_percent(r, c) and not explicit:
            number, explicit = number * 100, True
        return _Cell(number, None, explicit, r, c)

    def _info(self, sheet: Sheet, smap: SheetMap, res: Resolved, name: str, ref: str | None, row: int, section: str | None) -> MeasureInfo:
        def text(role: str) -> str | None:
            c = res.single.get(role)
            return cell_text(sheet.value(row, c)) if c else None

        entry = self.mapping.measure(smap.name, name)
        if entry is None:
            self.unmapped.append(name)
        info = describe(
            sheet=smap.name, name=name, ref=ref, file_unit=text("unit"), file_polarity=text("polarity"), file_area=text("judgement_area"),
            section_area=smap.sections.get(section) if section else None, sheet_area=smap.area, entry=entry, unit_from_the_name=False,
        )
        if entry is None and info.id in self.ids:
            from selfeval.load.scorecard.mapping import unique_id

            info.id = unique_id(info.id, set(self.ids))
        if info.id in self.ids:
            self.errors.add(sheet, row, res.single.get("id") or res.single.get("name"),
                            f"the id {info.id} is used twice (first at {self.ids[info.id]}): give one of them another 'id' in {self.mapping_path.name}")
        self.ids.setdefault(info.id, sheet.ref(row, res.single.get("name") or res.single.get("id") or 1))
        return info

    def _rag(self, sheet: Sheet, r: int, c: int | None) -> tuple[str, str] | None:
        if c is None:
            return None
        raw = cell_text(sheet.value(r, c))
        if raw is None:
            return None
        colour = vocab.rag_of(raw)
        if colour is None:
            self.notes.append(f"{self.grids.place(sheet, r, c)}: '{raw}' is not a RAG rating (Red, Amber or Green), so it was not used")
            return None
        return colour, self.grids.place(sheet, r, c)

    # -- wide -----------------------------------------------------------------------------------------

    def _wide(self, sheet: Sheet, smap: SheetMap, res: Resolved) -> None:
        rows = walk_wide(sheet, res)
        for mr in rows.measures:
            r = mr.row or mr.numerator_row or mr.denominator_row
            assert r is not None
            info = self._info(sheet, smap, res, mr.name, mr.ref, r, mr.section)
            m = _Measure(info, sheet, r)
            context = f"measure {info.id}"
            for c, period in res.periods.items():
                value = self._cell(sheet, mr.row, c, f"{context}, {period.label}") if mr.row else None
                num = self._cell(sheet, mr.numerator_row, c, f"{context} numerator, {period.label}") if mr.numerator_row else None
                den = self._cell(sheet, mr.denominator_row, c, f"{context} denominator, {period.label}") if mr.denominator_row else None
                m.values[period.identity] = (period, value, num, den)
            for role in _ROLES:
                cells: list[tuple[Period | None, int]] = []
                if role in res.single:
                    cells.append((None, res.single[role]))
                cells.extend((p, c) for c, p in res.dated.get(role, {}).items())
                for when, c in cells:
                    m.add(role, when, self._cell(sheet, r, c, f"{context}, {ROLE_TITLES[role]}"))
            if "tolerance" in res.single:
                m.tolerance = self._cell(sheet, r, res.single["tolerance"], f"{context}, tolerance")
            m.rag = self._rag(sheet, r, res.single.get("rag"))
            self.measures.append(m)

    # -- long -----------------------------------------------------------------------------------------

    def _long(self, sheet: Sheet, smap: SheetMap, res: Resolved) -> None:
        if "period" not in res.single or not ({"value", "numerator"} & set(res.single)):
            self.errors.add(sheet, res.heading_row, None, "a long layout needs a period column and a value column: set 'columns: period' and 'value' in the mapping")
            return
        grouped, refs, _skipped = long_rows(sheet, res)
        pc = res.single["period"]
        for name, rows in grouped.items():
            info = self._info(sheet, smap, res, name, refs.get(name), rows[0], None)
            m = _Measure(info, sheet, rows[0])
            context = f"measure {info.id}"
            for r in rows:
                raw = sheet.value(r, pc)
                period = vocab.parse_period(raw)
                if period is None:
                    self.errors.add(sheet, r, pc, f"'{cell_text(raw) or ''}' is not a period (write e.g. 2024-25, Q2 2025-26, Apr-25 or 31/03/2025) ({context})")
                    continue
                pctx = f"{context}, {period.label}"
                cells = [self._cell(sheet, r, res.single[f], pctx) if f in res.single else None for f in ("value", "numerator", "denominator")]
                if period.identity in m.values:
                    first = m.values[period.identity][1]
                    self.errors.add(sheet, r, pc, f"a second row for {info.id} in {period.label} (the first is row {first.row if first else '?'})")
                    continue
                m.values[period.identity] = (period, cells[0], cells[1], cells[2])
                for role in _ROLES:
                    if role in res.single:
                        m.add(role, period, self._cell(sheet, r, res.single[role], f"{pctx}, {ROLE_TITLES[role]}"))
                rag = self._rag(sheet, r, res.single.get("rag"))
                if rag:
                    m.rag_by_period[period.identity] = rag
                if "tolerance" in res.single and m.tolerance is None:
                    m.tolerance = self._cell(sheet, r, res.single["tolerance"], f"{pctx}, tolerance")
            self.measures.append(m)

    # -- one measure into the model -------------------------------------------------------------------

    def _build(self, m: _Measure) -> tuple[Indicator, list[Observation], list[Comparator]] | None:
        info = m.info
        sheet = m.sheet
        unit = info.unit or "ratio"
        is_percent = unit == "%"
        # Percentages stored as fractions (0.85 for 85%): the mapping says, or (auto) every number of the measure is 1 or less.
        plain: list[_Cell] = [c for (_p, v, _n, _d) in m.values.values() for c in (v,) if c is not None and c.number is not None and not c.done]
        plain += [c for (_p, c) in m.targets if not c.done] + [c for (_k, _p, c) in m.comparators if not c.done]
        scale = 1.0
        if is_percent and plain:
            mode = self.mapping.values.percentages
            fractions = mode == "fractions" or (mode == "auto" and all(abs(c.number or 0) <= 1 for c in plain) and any(c.number for c in plain))
            if fractions:
                scale = 100.0
                if mode == "auto":
                    self.fractions.append(info.id)

        def num(cell: _Cell | None) -> float | None:
            if cell is None or cell.number is None:
                return None
            return cell.number * scale if (is_percent and not cell.done) else cell.number

        ok = True
        observations: list[Observation] = []
        latest: Period | None = None
        for _key, (observed, v, n, d) in sorted(m.values.items(), key=lambda kv: kv[1][0].sort_key):
            value, numerator, denominator = num(v), (n.number if n else None), (d.number if d else None)
            ctx = f"measure {info.id}, {observed.label}"
            where = v or n or d
            if where is None:
                continue
            if numerator is not None and denominator is not None:
                if is_percent and numerator > denominator and n is not None:
                    self.errors.add(sheet, n.row, n.col, f"the numerator {numerator:g} is larger than the denominator {denominator:g} ({ctx})")
                    ok = False
                    continue
                if value is None and denominator > 0 and info.unit:
                    mult = {"%": 100, "rate per 10,000": 10_000}.get(unit, 1)
                    value = numerator if unit == "count" else numerator / denominator * mult
            if value is not None:
                if value < 0 and info.unit:
                    self.errors.add(sheet, where.row, where.col, f"{value:g} is negative; {unit} values cannot be ({ctx})")
                    ok = False
                    continue
                if is_percent and value > 100:
                    self.errors.add(sheet, where.row, where.col, f"{value:g}% is more than 100% ({ctx})")
                    ok = False
                    continue
            status: Marker | None = None
            if value is None:
                statuses = [c.status for c in (v, n, d) if c is not None and c.status]
                status = "suppressed" if "suppressed" in statuses else ("not available" if statuses else None)
                if status is None and numerator is None and denominator is None:
                    continue
            observations.append(Observation(
                indicator_id=info.id, period=observed, value=value, numerator=numerator, denominator=denominator,
                status=status if value is None else None, cell=sheet.ref(where.row, where.col),
            ))
            if value is not None:
                latest = observed
        # Trailing "not available" cells (months not reached yet) are just the future: keep suppressed ones only,
        # and "not available" ones only between values.
        last_value = max((i for i, o in enumerate(observations) if o.value is not None), default=-1)
        observations = [o for i, o in enumerate(observations) if o.value is not None or o.status == "suppressed" or i < last_value]
        if not ok:
            return None
        target: float | None = None
        if m.targets:
            dated = [(p, c) for p, c in m.targets if p is not None]
            if dated:
                chosen = max(dated, key=lambda pc: pc[0].sort_key)
                if latest is not None:
                    covering = [(p, c) for p, c in dated if p.start <= latest.end and latest.end <= p.end] or [
                        (p, c) for p, c in dated if p.end <= latest.end]
                    if covering:
                        chosen = max(covering, key=lambda pc: pc[0].sort_key)
                target = num(chosen[1])
            else:
                target = num(m.targets[-1][1])
        comparators: list[Comparator] = []
        seen: set[tuple] = set()
        for kind, dated_at, cell in m.comparators:
            when = dated_at or latest
            value = num(cell)
            if when is None or value is None:
                continue
            key = (kind, when.identity)
            if key in seen:
                continue
            seen.add(key)
            comparators.append(Comparator(
                indicator_id=info.id, kind=kind, label=COMPARATOR_LABELS[kind], period=when, value=value,
                source=f"{self.grids.path.name}", cell=sheet.ref(cell.row, cell.col),
            ))
        if info.entry is not None and not any(c.kind == "england" for c in comparators):
            for period_text, value in info.entry.comparators.get("England", {}).items():
                period = vocab.parse_period(period_text)
                if period is not None:
                    # DfE's England figure from the catalogue, marked as published: the shipped statistics
                    # replace it when the council is known, and it is never reported as typed by the council.
                    comparators.append(Comparator(
                        indicator_id=info.id, kind="england", label="England", period=period, value=value,
                        source=info.source, published=True,
                    ))
        rag = m.rag
        if m.rag_by_period and latest is not None:
            rag = m.rag_by_period.get(latest.identity) or rag
        incomplete = " and ".join(info.missing) or None
        decimals = decimals_shown(info, info.unit, (o.value for o in observations if o.value is not None))
        tolerance = info.tolerance if info.tolerance is not None else num(m.tolerance)
        try:
            # Validated from the mapping's words (a framework ref list as typed, a RAG colour), as pydantic reads them.
            indicator = Indicator.model_validate(dict(
                id=info.id, name=info.name, judgement_area=info.judgement_area, framework_refs=info.framework_ref,
                unit=unit, polarity=info.polarity or "contextual", decimals=decimals, target=target, tolerance=tolerance,
                key=info.key, internal=info.internal, definition=info.definition, source=info.source,
                council_rag=rag[0] if rag else None, council_rag_cell=rag[1] if rag else None,
                catalogue_id=info.entry.id if info.entry else None, incomplete=incomplete,
            ))
        except Exception as e:  # pydantic's ValidationError: one of the mapping's values is not usable
            from pydantic import ValidationError

            if not isinstance(e, ValidationError):
                raise
            for err in e.errors(include_url=False):
                fieldname = str(err["loc"][0]) if err["loc"] else "id"
                self.errors.add_error(InputError(
                    f"{err['msg']} (measure '{info.name}', {fieldname}: correct it in the mapping)", Location(self.mapping_path)
                ))
            return None
        return indicator, observations, comparators

