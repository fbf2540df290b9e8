"""A council's published figures set against England, its own region, its statistical neighbours.

DfE's method (its Children's Social Care outcomes-and-enablers dashboard and LAIT):

* **Statistical-neighbour median**: the median of the values the council's 10 neighbours (DfE 2025
  model) published for that year; neighbours with no number (suppressed, not applicable, not yet a
  council) are left out and the count that had one is reported ("median of 8 of 10").
* **Region**: the council's own region, by name, as DfE publishes it (never another region).
* **Rank**: among the council and its neighbours that have a value, 1 = best by the indicator's
  polarity (for a contextual indicator 1 = highest, and it says so); equal values share a rank.

Reorganised councils are never joined across the change: Cumberland's series starts with its first
year as a council, and the note names Cumbria, whose figures stay Cumbria's.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from selfeval.councils import Council, by_code
from selfeval.published.indicators import PublishedIndicator, published_indicators
# Value from the store, not from derive: only 'selfeval data update' needs derive (~5 ms to import).
from selfeval.published.store import ENGLAND, AreaFigures, Value, area, council_key, joint_areas, region_key

SN_EXPECTED = 10


@dataclass(frozen=True)
class YearFigures:
    """One indicator in one DfE year for one council, with its comparators."""

    year: str  # DfE's year, "2025"
    period: str  # selfeval's label, "2024-25" or "Sep 2025"
    council: Value | None
    england: Value | None
    region: Value | None
    sn_median: float | None
    sn_count: int  # how many neighbours had a number
    sn_of: int  # how many neighbours the council has (10)
    neighbours: tuple[tuple[str, Value | None], ...]  # (name, value) closest first
    rank: int | None  # 1 = best (or highest, for a contextual indicator)
    rank_of: int  # how many (council + neighbours) had a number


@dataclass(frozen=True)
class IndicatorFigures:
    """One indicator's figures for a council, year by year."""

    indicator: PublishedIndicator
    years: tuple[YearFigures, ...]  # oldest first
    note: str | None = None  # joint return, reorganisation

    @property
    def latest(self) -> YearFigures | None:
        """The most recent year in which the council itself published something (a number or a code)."""
        own = [y for y in self.years if y.council is not None and y.council != "z"]
        return own[-1] if own else None


@dataclass(frozen=True)
class CouncilFigures:
    """A council's published figures, with its region and statistical neighbours."""

    council: Council
    region: str
    neighbours: tuple[Council, ...]
    indicators: tuple[IndicatorFigures, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def releases(self) -> list[str]:
        seen: list[str] = []
        for item in self.indicators:
            if item.latest is not None and item.indicator.release not in seen:
                seen.append(item.indicator.release)
        if any(i.indicator.id in ("CIN-RATE", "REF-RATE") for i in self.indicators):
            seen.append("ons")
        return seen + ["sn"]

    def indicator(self, indicator_id: str) -> IndicatorFigures | None:
        return next((i for i in self.indicators if i.indicator.id == indicator_id), None)


def number(value: Value | None) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def sn_median(values: list[Value | None]) -> tuple[float | None, int]:
    """DfE's statistical-neighbour benchmark: the median of the neighbours with a number, and how many."""
    numbers = [n for n in (number(v) for v in values) if n is not None]
    if not numbers:
        return None, 0
    return round(statistics.median(numbers), 4), len(numbers)


def median_places(value: float, decimals: int) -> int:
    """Decimal places to print a median: the indicator's, or one more for a half-way median (22.25)."""
    return decimals if round(value, decimals) == round(value, 6) else decimals + 1


def rank(own: Value | None, others: list[Value | None], polarity: str) -> tuple[int | None, int]:
    """(rank of ``own`` among itself and ``others``, how many had a number); 1 = best, ties share."""
    mine = number(own)
    pool = [n for n in (number(v) for v in [own, *others]) if n is not None]
    if mine is None:
        return None, len(pool)
    lower_first = polarity == "lower is better"
    better = [n for n in pool if (n < mine if lower_first else n > mine)]
    return len(better) + 1, len(pool)


def _series_area(council: Council, indicator_id: str) -> tuple[AreaFigures | None, str | None]:
    """The council's own area, or a joint return it is part of when it has no series of its own."""
    own = area(council_key(council.old_code))
    if own is not None and indicator_id in own.series:
        return own, None
    for joint in joint_areas(council.old_code):
        if indicator_id in joint.series:
            return joint, f"published as one joint return for {joint.name.replace(' / ', ' and ')}"
    return own, None


def council_figures(council: Council, indicator_ids: list[str] | None = None) -> CouncilFigures:
    """Everything DfE publishes for ``council`` (or the given indicators), year by year, with comparators."""
    england = area(ENGLAND)
    rkey = region_key(council.region)
    region = area(rkey) if rkey else None
    neighbours = tuple(by_code(code) for code in council.statistical_neighbours)
    wanted = [i for i in published_indicators() if indicator_ids is None or i.id in indicator_ids]
    items: list[IndicatorFigures] = []
    for ind in wanted:
        own, note = _series_area(council, ind.id)
        empty: dict[str, Value] = {}
        neighbour_series = []
        for n in neighbours:
            found = _series_area(n, ind.id)[0]
            neighbour_series.append((n.name, found.series.get(ind.id, empty) if found else empty))
        own_series = own.series.get(ind.id, empty) if own else empty
        england_series = england.series.get(ind.id, empty) if england else empty
        region_series = region.series.get(ind.id, empty) if region else empty
        rows: list[YearFigures] = []
        for year in sorted(set(own_series) | set(england_series)):
            values = tuple((name, series.get(year)) for name, series in neighbour_series)
            others = [v for _, v in values]
            median, count = sn_median(others)
            position, pool = rank(own_series.get(year), others, ind.polarity)
            rows.append(
                YearFigures(
                    year=year, period=ind.period_label(year), council=own_series.get(year),
                    england=england_series.get(year), region=region_series.get(year),
                    sn_median=median, sn_count=count, sn_of=len(neighbours), neighbours=values,
                    rank=position, rank_of=pool,
                )
            )
        items.append(IndicatorFigures(ind, tuple(rows), note))
    return CouncilFigures(council, council.region, neighbours, tuple(items), tuple(reorganisation_notes(council)))


def reorganisation_notes(council: Council) -> list[str]:
    """Plain sentences saying which series are not joined across a reorganisation."""
    notes = []
    if council.successor_of:
        before = ", ".join(by_code(c).name for c in council.successor_of)
        notes.append(
            f"{council.name} replaced {before}: DfE's figures for {before} are not joined to {council.name}'s "
            f"(see 'selfeval data show {by_code(council.successor_of[0]).name}')."
        )
    if council.predecessor_of:
        after = " and ".join(by_code(c).name for c in council.predecessor_of)
        notes.append(f"{council.name} was replaced by {after} in {council.abolished_in}; its series end there and are not continued by either.")
    return notes
