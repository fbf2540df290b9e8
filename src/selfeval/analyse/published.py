"""DfE's published figures brought into a council's performance data.

For every indicator with a published equivalent (the standard catalogue's id, or a council scorecard's
measure matched to the catalogue: ``Indicator.catalogue_id``):

* the **comparators** England, the council's own region (named) and the statistical-neighbour
  median (with how many of the 10 had a value) are added for every published year;
* a comparator **typed in the workbook** for the same group and period is kept instead, and says so
  (the published figure it replaces is kept beside it); a region typed in the workbook that is not
  the council's own region (an old template's London rows, say) is dropped with a warning: a draft
  never shows another region as the council's own;
* the council's **own published figure** and its **rank** among itself and its neighbours are set on
  the indicator summary, beside the local figures, labelled as DfE's.

With no workbook at all, the council's published series become the performance data, so the
documents still have a real performance section.
"""

from __future__ import annotations

import functools

from selfeval.analyse.benchmarks import CouncilFigures, IndicatorFigures, council_figures, median_places, number
from selfeval.analyse.indicators import period_of
from selfeval.councils import Council
from selfeval.models.pack import PublishedContext
from selfeval.models.performance import Comparator, ComparatorKind, Indicator, IndicatorSummary, Observation, PerformanceData, Period
from selfeval.published.indicators import PublishedIndicator, attribution, published_indicators, release_title
from selfeval.published.store import Value, code_meaning

PUBLISHED_SOURCE = "DfE published statistics"
SN_LABEL = "statistical neighbours' median"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _text(value: Value, ind: Indicator, places: int | None = None) -> str:
    from selfeval.analyse.indicators import format_value

    meaning = code_meaning(value)
    if meaning is not None:
        return meaning
    return format_value(float(value), ind, places=places)


def published_id(ind: Indicator) -> str | None:
    """The published indicator a workbook's or scorecard's indicator is: a scorecard measure matched to
    the catalogue ("HP01 Re-referrals within 12 months" -> RE-REF) by its match, else by its own id."""
    ids = published_ids()
    for candidate in (ind.catalogue_id, ind.id):
        if candidate and candidate.upper() in ids:
            return candidate.upper()
    return None


def published_comparators(item: IndicatorFigures, region: str, indicator_id: str | None = None) -> list[Comparator]:
    """England, the region and the SN median of one indicator, one per published year (filed under
    ``indicator_id``, the workbook's own id, when it is not the published one)."""
    ind = item.indicator
    result: list[Comparator] = []
    source = f"{release_title(ind.release)}"
    for y in item.years:
        period = period_of(y.period)
        groups: tuple[tuple[ComparatorKind, str, Value | None, int | None, int | None], ...] = (
            ("england", "England", y.england, None, None),
            ("region", region, y.region, None, None),
            ("statistical_neighbours", SN_LABEL, y.sn_median, y.sn_count, y.sn_of),
        )
        for kind, label, value, count, of in groups:
            n = number(value)
            if n is None:
                continue
            result.append(Comparator(
                indicator_id=indicator_id or ind.id, kind=kind, label=label, period=period, value=n,
                source=f"{source}, {ind.period_words(y.year)}", published=True, count=count, of=of,
            ))
    return result


def merge(data: PerformanceData, figures: CouncilFigures, warnings: list[str]) -> tuple[PerformanceData, list[str]]:
    """The workbook's data with the published comparators added; returns the override notes too."""
    own_region = figures.region.lower()
    matched = {i.id: pid for i in data.indicators if (pid := published_id(i)) and figures.indicator(pid) is not None}
    typed: list[Comparator] = []
    for c in data.comparators:
        if c.published and c.indicator_id in matched:
            continue  # a catalogue figure a scorecard reader filled in: the shipped store's series supersede it
        if c.kind == "region" and c.label.lower() not in (own_region, "region"):
            warnings.append(
                f"the workbook's Comparators sheet gives {c.label} figures as the region for {c.indicator_id}"
                f"{f' ({c.cell})' if c.cell else ''}, but {figures.council.name} is in {figures.region}: "
                f"they were left out and DfE's {figures.region} figures used"
            )
            continue
        if c.kind == "region":
            c = c.model_copy(update={"label": figures.region})  # "Region" typed for the council's own: named
        typed.append(c)
    typed_groups = {(c.indicator_id, c.kind) for c in typed}
    added: list[Comparator] = []
    notes: list[str] = []
    for ind in data.indicators:
        pid = matched.get(ind.id)
        item = figures.indicator(pid) if pid else None
        if item is None:
            continue
        pubs = published_comparators(item, figures.region, ind.id)
        for i, mine in enumerate(typed):
            if mine.indicator_id != ind.id:
                continue
            pub = counterpart(mine, pubs)
            if pub is None:
                continue
            if round(mine.value, ind.places) == round(pub.value, ind.places):
                # The published figure itself (as init writes it): keep its neighbour count and source, under
                # the typed group's label and period so the series stays one group.
                typed[i] = mine.model_copy(update={"count": pub.count, "of": pub.of, "source": pub.source, "published": True})
                continue
            typed[i] = mine.model_copy(update={"replaces_published": pub.value})
            theirs = "" if pub.period.identity == mine.period.identity else f" ({pub.period.label})"
            notes.append(
                f"{ind.name}, {pub.label} {mine.period.label}: {_text(mine.value, ind)} typed in the workbook"
                f"{f' ({mine.cell})' if mine.cell else ''} is used instead of DfE's published {_text(pub.value, ind)}{theirs}."
            )
        # A group the workbook types (England, region, neighbours) is the user's series: published years are
        # added only to groups it leaves empty, so a typed figure is never outdated silently.
        added += [pub for pub in pubs if (ind.id, pub.kind) not in typed_groups]
    comparators = typed + added
    return data.model_copy(update={"comparators": comparators}), notes


def counterpart(typed: Comparator, published: list[Comparator]) -> Comparator | None:
    """DfE's figure a typed comparator stands in for: the same group and period, or the one published
    snapshot that falls inside the typed period (DfE's workforce count at 30 September 2024 for a
    scorecard column headed 2024-25)."""
    group = [p for p in published if p.kind == typed.kind]
    same = [p for p in group if p.period.identity == typed.period.identity]
    if same:
        return same[0]
    inside = [p for p in group if p.period.kind in ("date", "month") and typed.period.start <= p.period.end <= typed.period.end]
    return inside[0] if len(inside) == 1 else None


def from_published(figures: CouncilFigures) -> PerformanceData:
    """No workbook: the council's published series as its performance data (numbers only; codes are
    shown through the summary's published text, never as values)."""
    indicators: list[Indicator] = []
    observations: list[Observation] = []
    comparators: list[Comparator] = []
    for item in figures.indicators:
        if item.latest is None:
            continue
        ind = _indicator(item.indicator)
        indicators.append(ind)
        comparators += published_comparators(item, figures.region)
        for y in item.years:
            n = number(y.council)
            if n is not None:
                observations.append(Observation(indicator_id=ind.id, period=period_of(y.period), value=n))
    return PerformanceData(
        source_path=None, indicators=indicators, observations=observations, comparators=comparators,
        notes=[f"No performance workbook: the indicators are {figures.council.name}'s DfE published figures."],
    )


def _indicator(p: PublishedIndicator) -> Indicator:
    return Indicator(
        id=p.id, name=p.name, judgement_area=p.judgement_area, framework_refs=[p.framework_ref], unit=p.unit,
        polarity=p.polarity, decimals=p.decimals, definition=p.definition, source=f"{PUBLISHED_SOURCE} ({release_title(p.release)})",
    )


def annotate(
    summary: IndicatorSummary, figures: CouncilFigures, pid: str | None, *, only_published: bool, public: bool
) -> IndicatorSummary:
    """Set the council's own published figure (labelled as DfE's) and its rank on one summary (``pid``:
    the published indicator it is, see ``published_id``)."""
    item = figures.indicator(pid) if pid else None
    if item is None or item.latest is None:
        return summary
    latest = item.latest
    ind = _indicator(item.indicator)
    published = f"DfE {latest.period}: {_text(latest.council, ind)}" if latest.council is not None else ""
    if item.note:
        published += f" ({item.note})"
    rank = ""
    if latest.rank is not None:
        # Short enough for a table cell; the sources say what 1st means (best, or highest when neither is better).
        rank = f"{_ordinal(latest.rank)} of {latest.rank_of}" + ("" if latest.period == summary.latest_period else f" ({latest.period})")
    update: dict[str, object] = {"published_text": published, "rank_text": rank}
    if only_published:
        # The figures are the published ones: say where they come from, and never skip a suppressed latest year.
        update["published_text"] = f"DfE published, {latest.period}" + (f" ({item.note})" if item.note else "")
        if isinstance(latest.council, str):
            # The latest year is a code: say what it means for that year, and compare nothing with it.
            meaning = _text(latest.council, ind)
            earlier = f"{summary.latest_text} ({summary.latest_period})" if summary.latest_period else "–"
            update.update({
                "latest_text": meaning, "latest_period": latest.period, "latest": None,
                "previous_text": earlier, "change_text": "–", "movement": None, "direction": "not_applicable",
                "direction_text": "–", "comparisons": [], "rag": "none", "rag_text": "–", "suppressed": True,
                "england_text": _text(latest.england, ind) if latest.england is not None else "–",
                "region_text": _text(latest.region, ind) if latest.region is not None else "–",
                "neighbours_text": (f"{sn_text(latest.sn_median, ind)} ({latest.sn_count} of {latest.sn_of})"
                                    if latest.sn_median is not None else "–"),
                "sentence": f"{ind.name}: {meaning} in DfE's figures for {latest.period}"
                            + (f" (the last published figure was {earlier})." if summary.latest_period else "."),
            })
    return summary.model_copy(update=update)


def context(figures: CouncilFigures, overrides: list[str]) -> PublishedContext:
    return PublishedContext(
        council=figures.council, region=figures.region, neighbours=[n.name for n in figures.neighbours],
        attribution=attribution(figures.releases), overrides=overrides, notes=list(figures.notes),
    )


def sn_text(value: float, ind: Indicator) -> str:
    return _text(value, ind, places=median_places(value, ind.places))


@functools.cache
def published_ids() -> frozenset[str]:
    return frozenset(i.id for i in published_indicators())


def figures_for(council: Council, data: PerformanceData | None) -> CouncilFigures:
    ids = None if data is None else [pid for i in data.indicators if (pid := published_id(i))]
    return council_figures(council, ids)
