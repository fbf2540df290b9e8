"""Analysis of performance indicators: pure functions from ``PerformanceData`` to ``IndicatorSummary``.

Rules (also in ``docs/workbook-format.md``):

* **Latest** is the most recent period with a value. **Previous** is the latest earlier period of the
  same kind (quarter after quarter, year after year); if there is none, the latest earlier period of
  any kind. (The same kind of period a year before, 2024-25 Q2 for 2025-26 Q2, is only looked at for
  suppression: a small number there keeps the indicator out of the charts, as it always has.)
* Values are compared **as displayed** (rounded to the indicator's decimals), so a document never says
  "up" between two values it prints the same.
* **Direction of travel**: improving / declining by polarity; stable when unchanged as displayed;
  ``not_applicable`` for a contextual indicator (it is only "up" or "down", never better or worse) or
  when there is no earlier value.
* **Comparators**: for each of England, region and statistical neighbours, the comparator for the same
  period, or else the most recent one ending no more than 18 months before the latest period ends
  (its period is then named: "better than England (22.6%, 2024-25)").
* **RAG** (only for an indicator with a target and a polarity): green if the target is met or beaten
  (met exactly is green); amber if missed by no more than the tolerance; red otherwise.
* **Suppression** (``public=True``): a count from 1 to ``threshold - 1`` is shown as "fewer than 5";
  a percentage or rate whose numerator or denominator is in that range is "suppressed (small number)".
  Zero is shown. A suppressed value is not compared, charted or used for a change. Indicators marked
  Internal are left out.
"""

from __future__ import annotations

from selfeval.wording import join_and

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from selfeval.analyse.benchmarks import median_places
from selfeval.models.performance import (
    Comparator,
    ComparatorKind,
    Comparison,
    Direction,
    Indicator,
    IndicatorSummary,
    Movement,
    Observation,
    PerformanceData,
    Period,
    Rag,
    Relation,
)

DEFAULT_THRESHOLD = 5
STALE_MONTHS = 18
NO_DATA = "no data yet"
DASH = "–"

UNIT_LABELS = {"%": "%", "rate per 10,000": "per 10,000 children", "days": "days", "count": "number", "ratio": "ratio"}
KIND_ORDER = ("england", "region", "statistical_neighbours")


# -- formatting --------------------------------------------------------------------------------------

# Frozen, so one parsed Period can stand in every comparator and observation that names it.
@lru_cache(maxsize=1024)  # the same few labels recur in every indicator's series and every DfE year
def period_of(label: str) -> Period:
    """``Period.parse`` of a period label, parsed once (ValueError, as it, for one that is none)."""
    return Period.parse(label)


def format_value(value: float, indicator: Indicator, *, in_words: bool = False, places: int | None = None) -> str:
    """22.6 -> '22.6%'; 519.4 -> '519.4' (or '519.4 per 10,000 children' in words); 426 -> '426 days'."""
    p = indicator.places if places is None else places
    text = f"{value:,.{p}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if indicator.unit == "%":
        return text + "%"
    if indicator.unit == "days":
        return text + (" day" if text == "1" else " days")
    if indicator.unit == "rate per 10,000" and in_words:
        return text + " per 10,000 children"
    return text


def format_change(change: float, indicator: Indicator) -> str:
    """+1.2 on a % indicator -> 'up 1.2 points'; 0 -> 'no change'."""
    if round(change, indicator.places) == 0:
        return "no change"
    word = "up" if change > 0 else "down"
    size = f"{abs(change):,.{indicator.places}f}"
    unit = {"%": " points" if size != "1" else " point", "days": " days" if size != "1" else " day"}.get(indicator.unit, "")
    return f"{word} {size}{unit}"


def _round(value: float, indicator: Indicator) -> float:
    return round(value, indicator.places)


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


# -- the pieces, each testable on its own -------------------------------------------------------------

def is_suppressed(obs: Observation | None, indicator: Indicator, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True if publishing this value could identify a child: a small count, or a rate built on one."""
    if obs is None:
        return False

    def small(n: float | None) -> bool:
        return n is not None and 0 < n < threshold

    if indicator.unit == "count" and small(obs.value):
        return True
    return small(obs.numerator) or small(obs.denominator)


def direction_of_travel(indicator: Indicator, latest: float | None, previous: float | None) -> tuple[Movement | None, Direction]:
    """(movement up/down/same, direction improving/declining/stable/not_applicable), compared as displayed."""
    if latest is None or previous is None:
        return None, "not_applicable"
    a, b = _round(latest, indicator), _round(previous, indicator)
    movement: Movement = "same" if a == b else ("up" if a > b else "down")
    if indicator.contextual:
        return movement, "not_applicable"
    if movement == "same":
        return movement, "stable"
    good = (movement == "up") == (indicator.polarity == "higher is better")
    return movement, "improving" if good else "declining"


def relation(indicator: Indicator, value: float, other: float) -> Relation:
    """better / worse / same by polarity; above / below / same for a contextual indicator."""
    a, b = _round(value, indicator), _round(other, indicator)
    if a == b:
        return "same"
    if indicator.contextual:
        return "above" if a > b else "below"
    return "better" if (a > b) == (indicator.polarity == "higher is better") else "worse"


_RELATION_WORDS = {"better": "better than", "worse": "worse than", "same": "in line with", "above": "above", "below": "below"}
_TARGET_WORDS = {"better": "better than target", "worse": "worse than target", "same": "on target", "above": "above target", "below": "below target"}


def pick_comparator(comparators: list[Comparator], latest: Observation) -> Comparator | None:
    """The comparator for the latest period, else the most recent earlier one that is not stale."""
    same = [c for c in comparators if c.period.identity == latest.period.identity]
    if same:
        return same[-1]
    earlier = [
        c for c in comparators
        if c.period.end <= latest.period.end and _months_between(c.period.end, latest.period.end) <= STALE_MONTHS
    ]
    return max(earlier, key=lambda c: c.period.sort_key) if earlier else None


def comparator_places(indicator: Indicator, c: Comparator) -> int:
    """Decimal places to print a comparator with. A figure from DfE's published statistics keeps
    DfE's own precision (their 11% stays '11%' beside a council's own 9.7%); a median of ten can fall
    half-way (18.45), so it is shown in full rather than rounded either way."""
    places = indicator.places
    if c.published:
        published = _published_decimals().get(indicator.catalogue_id or indicator.id)
        if published is not None:
            places = min(places, published)
    return median_places(c.value, places) if c.count is not None else places


@lru_cache(maxsize=1)
def _published_decimals() -> dict[str, int]:
    from selfeval.published.indicators import published_indicators

    return {p.id: p.decimals for p in published_indicators()}


def compare(indicator: Indicator, latest: Observation, comparators: list[Comparator]) -> list[Comparison]:
    """The latest value against each comparator group and the target, in words."""
    assert latest.value is not None
    groups: dict[tuple[ComparatorKind, str], list[Comparator]] = {}
    for c in sorted(comparators, key=lambda c: (KIND_ORDER.index(c.kind), c.period.sort_key)):
        groups.setdefault((c.kind, c.label), []).append(c)
    result: list[Comparison] = []
    for (kind, label), items in groups.items():
        chosen = pick_comparator(items, latest)
        if chosen is None:
            continue
        rel = relation(indicator, latest.value, chosen.value)
        value_text = format_value(chosen.value, indicator, places=comparator_places(indicator, chosen))
        other_period = chosen.period.label if chosen.period.identity != latest.period.identity else None
        detail = f"{value_text}, {other_period}" if other_period else value_text
        if chosen.count is not None:
            detail += f"; {chosen.count} of {chosen.of} neighbours with a value"
        result.append(
            Comparison(
                against=kind, label=label, value=chosen.value, value_text=value_text, period=other_period,
                relation=rel, words=f"{_RELATION_WORDS[rel]} {label} ({detail})",
                count=chosen.count, of=chosen.of, typed=chosen.replaces_published is not None,
            )
        )
    if indicator.target is not None:
        rel = relation(indicator, latest.value, indicator.target)
        value_text = format_value(indicator.target, indicator)
        result.append(
            Comparison(against="target", label="target", value=indicator.target, value_text=value_text,
                       relation=rel, words=f"{_TARGET_WORDS[rel]} ({value_text})")
        )
    return result


def rag(indicator: Indicator, value: float | None) -> Rag:
    """green (target met or beaten), amber (missed by no more than the tolerance), red, or none."""
    if value is None or indicator.target is None or indicator.contextual:
        return "none"
    gap = _round(value, indicator) - _round(indicator.target, indicator)
    if indicator.polarity == "lower is better":
        gap = -gap
    gap = round(gap, indicator.places + 2)
    if gap >= 0:
        return "green"
    if indicator.tolerance is not None and -gap <= round(indicator.tolerance, indicator.places + 2):
        return "amber"
    return "red"


# -- one indicator --------------------------------------------------------------------------------------

def summarise(
    indicator: Indicator,
    observations: list[Observation],
    comparators: list[Comparator],
    *,
    public: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
) -> IndicatorSummary:
    """Analyse one indicator: latest, previous, direction, comparisons, RAG and a sentence."""
    ind = indicator
    obs = sorted((o for o in observations if o.value is not None), key=lambda o: o.period.sort_key)
    # A scorecard's newest period may be marked suppressed (c) or not available (-): shown as such, never as 0.
    marked = sorted((o for o in observations if o.value is None and o.status), key=lambda o: o.period.sort_key)
    newest_marked = marked[-1] if marked and (not obs or marked[-1].period.sort_key > obs[-1].period.sort_key) else None
    hidden = {id(o) for o in obs if public and is_suppressed(o, ind, threshold)}
    latest = obs[-1] if obs else None
    previous: Observation | None = None
    year_ago: Observation | None = None  # a value hidden here too keeps the indicator out of the charts
    if latest is not None:
        earlier = obs[:-1]
        same_kind = [o for o in earlier if o.period.kind == latest.period.kind]
        previous = (same_kind or earlier)[-1] if earlier else None
        year_ago = next((o for o in reversed(earlier) if latest.period.year_earlier(o.period)), None)

    def shown(o: Observation | None) -> float | None:
        return None if o is None or id(o) in hidden else o.value

    def text(o: Observation | None, missing: str = DASH) -> str:
        if o is None:
            return missing
        if id(o) in hidden:
            return f"fewer than {threshold}" if ind.unit == "count" else "suppressed (small number)"
        assert o.value is not None  # only observations with a value are summarised
        return format_value(o.value, ind)

    latest_hidden = latest is not None and id(latest) in hidden
    movement, direction = direction_of_travel(ind, shown(latest), shown(previous))
    change = None
    latest_value, previous_value = shown(latest), shown(previous)
    if latest_value is not None and previous_value is not None:
        change = round(_round(latest_value, ind) - _round(previous_value, ind), ind.places)

    if newest_marked is not None:
        # The newest period has no value to compare: no trend is shown rather than one from older periods.
        movement, direction, change = None, "not_applicable", None
    own = [c for c in comparators if c.indicator_id == ind.id] if comparators else []
    comparisons = compare(ind, latest, own) if latest is not None and not latest_hidden else []
    if ind.incomplete:
        comparisons = []  # no unit or polarity yet: nothing to compare it with until the mapping says
    computed_rag = rag(ind, None if latest_hidden or latest is None or newest_marked is not None or ind.incomplete else latest.value)
    # The council's own RAG (from its scorecard) is what the documents show; validate notes a disagreement.
    rag_value = ind.council_rag or computed_rag

    def comparator_text(kind: str) -> str:
        c = next((c for c in comparisons if c.against == kind), None)
        if c is None and latest is None:
            # No council value yet: still show the most recent published comparator.
            group = [x for x in own if x.kind == kind]
            if group:
                last = max(group, key=lambda x: x.period.sort_key)
                counted = f"; {last.count} of {last.of}" if last.count is not None else ""
                return f"{format_value(last.value, ind, places=comparator_places(ind, last))} ({last.period.label}{counted})"
            return DASH
        if c is None:
            return DASH
        text = f"{c.value_text} ({c.period})" if c.period else c.value_text
        if c.count is not None:
            text += f" ({c.count} of {c.of})"
        if c.typed:
            text += " (workbook)"
        return text

    sentence = _sentence(ind, latest, previous, movement, direction, comparisons, text, latest_hidden, own)
    if newest_marked is not None:
        sentence = _marked_sentence(ind, newest_marked, latest, text)
    if ind.incomplete:
        sentence = f"[To complete: the {ind.incomplete} of this measure in the scorecard's mapping file] " + sentence
    series = sorted([(o.period, shown(o)) for o in obs] + [(o.period, None) for o in marked], key=lambda po: po[0].sort_key)
    series_labels = [(p.label, v) for p, v in series]
    return IndicatorSummary(
        id=ind.id, name=ind.name, unit=ind.unit, unit_label=UNIT_LABELS[ind.unit], polarity=ind.polarity,
        judgement_area=ind.judgement_area, framework_refs=list(ind.framework_refs), key=ind.key, internal=ind.internal,
        definition=ind.definition, source=ind.source,
        has_data=latest is not None,
        latest=shown(latest), latest_period=newest_marked.period.label if newest_marked else (latest.period.label if latest else None),
        previous=shown(previous), previous_period=previous.period.label if previous else None,
        baseline_text=(text(obs[0]) + f" ({obs[0].period.label})") if obs else DASH,
        change=change, movement=movement, direction=direction,
        comparisons=[] if newest_marked is not None else comparisons, target=ind.target, rag=rag_value,
        computed_rag=computed_rag, council_rag=ind.council_rag, council_rag_cell=ind.council_rag_cell,
        latest_status=newest_marked.status if newest_marked is not None else None, incomplete=ind.incomplete,
        suppressed=any(id(o) in hidden for o in (latest, previous, year_ago) if o is not None),
        sentence=sentence,
        latest_text=(newest_marked.status or DASH) if newest_marked is not None else text(latest, NO_DATA),
        previous_text=(text(latest) + f" ({latest.period.label})" if newest_marked is not None and latest is not None
                       else text(previous) + (f" ({previous.period.label})" if previous is not None else "")),
        change_text=format_change(change, ind) if change is not None else DASH,
        target_text=format_value(ind.target, ind) if ind.target is not None else DASH,
        england_text=comparator_text("england"),
        region_text=comparator_text("region"),
        neighbours_text=comparator_text("statistical_neighbours"),
        direction_text={"improving": "Improving", "declining": "Declining", "stable": "Stable"}.get(
            direction, {"up": "Up", "down": "Down", "same": "No change"}.get(movement or "", DASH) if ind.contextual else DASH
        ),
        rag_text={"red": "Red", "amber": "Amber", "green": "Green"}.get(rag_value, DASH),
        series=series_labels,
    )


def _sentence(
    ind: Indicator,
    latest: Observation | None,
    previous: Observation | None,
    movement: Movement | None,
    direction: Direction,
    comparisons: list[Comparison],
    text: Callable[[Observation | None], str],
    latest_hidden: bool,
    own: list[Comparator],
) -> str:
    if latest is None:
        latest_england = [c for c in own if c.kind == "england"]
        if latest_england:
            c = max(latest_england, key=lambda x: x.period.sort_key)
            return f"{ind.name}: no data yet (England {format_value(c.value, ind, in_words=True)} in {c.period.label})."
        return f"{ind.name}: no data yet."
    # Only observations with a value are summarised (a marked period has its own sentence).
    assert latest.value is not None
    value_words = text(latest) if latest_hidden else format_value(latest.value, ind, in_words=True)
    s = f"{ind.name}: {value_words} in {latest.period.label}"
    if movement is not None and previous is not None:
        if movement == "same":
            s += f", the same as in {previous.period.label}"
            if direction == "stable":
                s += " (stable)"
        else:
            assert previous.value is not None
            s += f", {movement} from {format_value(previous.value, ind, in_words=True)} in {previous.period.label}"
            if direction in ("improving", "declining"):
                s += f" ({direction})"
    elif previous is None and not latest_hidden:
        s += " (no earlier value to compare)"
    if comparisons:
        s += "; " + join_and([c.words for c in comparisons])
    return s + "."


def _marked_sentence(ind: Indicator, marked: Observation, latest: Observation | None, text: Callable[[Observation | None], str]) -> str:
    s = f"{ind.name}: {marked.status} in {marked.period.label}"
    if latest is not None:
        s += f" (the latest value is {text(latest)}, in {latest.period.label})"
    return s + "."


def rag_differences(summaries: list[IndicatorSummary]) -> list[str]:
    """One line per indicator whose council RAG differs from the one selfeval works out from its target."""
    lines = []
    for s in summaries:
        if s.council_rag and s.computed_rag != "none" and s.council_rag != s.computed_rag:
            where = f"{s.council_rag_cell}: " if s.council_rag_cell else ""
            lines.append(
                f"{where}{s.id} is rated {s.council_rag.capitalize()} in the scorecard, but against its target ({s.target_text}) "
                f"the latest value {s.latest_text} ({s.latest_period}) would be {s.computed_rag.capitalize()}; "
                "the documents show the scorecard's rating"
            )
    return lines


# -- all indicators -------------------------------------------------------------------------------------

def analyse(data: PerformanceData, *, public: bool = False, threshold: int = DEFAULT_THRESHOLD) -> list[IndicatorSummary]:
    """One summary per indicator, in workbook order; ``public`` drops internal indicators and suppresses small numbers."""
    by_indicator: dict[str, list[Observation]] = {}
    for o in data.observations:
        by_indicator.setdefault(o.indicator_id, []).append(o)
    comps: dict[str, list[Comparator]] = {}
    for c in data.comparators:
        comps.setdefault(c.indicator_id, []).append(c)
    return [
        summarise(ind, by_indicator.get(ind.id, []), comps.get(ind.id, []), public=public, threshold=threshold)
        for ind in data.indicators
        if not (public and ind.internal)
    ]

