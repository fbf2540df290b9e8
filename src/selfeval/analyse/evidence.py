"""Evidence that interprets: for one judgement area, a short paragraph read from its indicators.

The table under it shows every figure; the paragraph says what the figures add up to, and never
repeats a row (no indicator's value is restated). Rules (also in ``docs/workbook-format.md``):

* **Over the last year**: each indicator's latest value against the same kind of period a year
  earlier (2025-26 Q2 against 2024-25 Q2); for one with no such period, its latest full-year value
  against the year before. Better or worse by polarity, compared as displayed.
* **Over three years**: the same, three years back; failing that, the earliest full year no more
  than three years before. The paragraph names the starting period when all share it.
* Contextual indicators (demand, population) are never better or worse: they are counted as rising
  or falling, separately.
* **Standing**: the latest value against England, the statistical-neighbour figure and the region
  as the indicator summaries carry them (the workbook's comparators or DfE's published ones), and
  against the council's own targets.
* **Largest gaps**: the indicator furthest behind England and the one furthest ahead, measured
  relative to England's value (so a rate and a percentage can be set side by side), with the gap in
  the indicator's own unit.
* **Areas for improvement**: an indicator speaks to an area for improvement when its name shares
  the area's practice theme (a concept of the framework-mapping lexicon, or two key terms); a
  shared framework ref alone is not enough, since outcome 3 covers every safety finding.
"""

from __future__ import annotations

from selfeval.wording import join_and


from selfeval.analyse.framework_map import concept_ids, key_terms, model, strip_ref
from selfeval.analyse.indicators import period_of
from selfeval.models.evidence import AfiLink, AreaEvidence, Change, Gap
from selfeval.models.findings import AreaForImprovement
from selfeval.models.performance import IndicatorSummary, Period

ANNUAL_KINDS = ("year", "financial-year")
MIN_SHARED_TERMS = 2
MAX_LINKED = 3


# -- periods from the series ---------------------------------------------------------------------

def _points(s: IndicatorSummary) -> list[tuple[Period, float]]:
    out = []
    for label, value in s.series:
        if value is None:
            continue
        try:
            out.append((period_of(label), value))
        except ValueError:
            continue
    return sorted(out, key=lambda p: p[0].sort_key)


def _years_back(period: Period, other: Period, years: int) -> bool:
    if other.kind != period.kind:
        return False
    if period.kind == "date":
        return (other.end.year, other.end.month) == (period.end.year - years, period.end.month)
    return (other.start.year, other.start.month) == (period.start.year - years, period.start.month)


def _verdict(s: IndicatorSummary, delta: float) -> str:
    places = _places(s)
    if round(delta, places) == 0:
        return "same"
    if s.polarity == "contextual":
        return "up" if delta > 0 else "down"
    return "better" if (delta > 0) == (s.polarity == "higher is better") else "worse"


def _places(s: IndicatorSummary) -> int:
    # The summaries carry values already rounded as displayed; the text shows how many places.
    text = s.latest_text.replace(",", "")
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def change_over(s: IndicatorSummary, years: int) -> Change | None:
    """Latest against ``years`` back (same kind of period), else annual against annual, as the rules say."""
    points = _points(s)
    if len(points) < 2:
        return None
    latest_p, latest_v = points[-1]
    exact = [(p, v) for p, v in points[:-1] if _years_back(latest_p, p, years)]
    if exact:
        p, v = exact[-1]
        return Change(s, p.label, round(latest_v - v, 6), _verdict(s, latest_v - v))
    annual = [(p, v) for p, v in points if p.kind in ANNUAL_KINDS]
    if len(annual) < 2:
        return None
    last_p, last_v = annual[-1]
    exact = [(p, v) for p, v in annual[:-1] if _years_back(last_p, p, years)]
    if exact:
        p, v = exact[-1]
    elif years > 1:
        within = [(p, v) for p, v in annual[:-1] if last_p.start.year - p.start.year <= years and last_p.start.year - p.start.year >= 2]
        if not within:
            return None
        p, v = within[0]
    else:
        return None
    return Change(s, p.label, round(last_v - v, 6), _verdict(s, last_v - v))


# -- standing and gaps -------------------------------------------------------------------------

def standing(summaries: list[IndicatorSummary]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    order = {"england": 0, "statistical_neighbours": 1, "region": 2}
    for s in summaries:
        if s.polarity == "contextual":
            continue
        for c in sorted(s.comparisons, key=lambda c: order.get(c.against, 9)):
            if c.against == "target":
                continue
            label = "statistical neighbours" if c.against == "statistical_neighbours" else c.label
            counts = out.setdefault(label, {"better": 0, "worse": 0, "same": 0})
            counts[c.relation] = counts.get(c.relation, 0) + 1
    return out


def targets(summaries: list[IndicatorSummary]) -> dict[str, int]:
    met = sum(1 for s in summaries if s.rag == "green")
    missed = sum(1 for s in summaries if s.rag in ("amber", "red"))
    return {"met": met, "missed": missed}


def _unit_words(s: IndicatorSummary, size: float) -> str:
    places = _places(s)
    text = f"{size:,.{places}f}"
    if s.unit == "%":
        return text + (" point" if text == "1" else " points")
    if s.unit == "rate per 10,000":
        return text + " per 10,000 children"
    if s.unit == "days":
        return text + (" day" if text == "1" else " days")
    return text


def gaps(summaries: list[IndicatorSummary]) -> list[Gap]:
    """Against England, by polarity, largest relative gap first."""
    out = []
    for s in summaries:
        if s.polarity == "contextual" or s.latest is None:
            continue
        england = next((c for c in s.comparisons if c.against == "england"), None)
        if england is None or england.value == 0 or england.relation == "same":
            continue
        diff = s.latest - england.value
        signed = diff if s.polarity == "higher is better" else -diff
        out.append(Gap(s, england.label, signed / abs(england.value), _unit_words(s, abs(diff))))
    return sorted(out, key=lambda g: -abs(g.relative))


# -- areas for improvement ------------------------------------------------------------------------

def indicator_links(afi: AreaForImprovement, summaries: list[IndicatorSummary]) -> AfiLink:
    """The indicators whose names share the area's theme (a practice concept, or two key terms)."""
    concepts = model().concepts
    mine = frozenset(concept_ids(strip_ref(afi.text)))
    my_terms = key_terms(strip_ref(afi.text))
    chosen, reasons = [], []
    for s in sorted(summaries, key=lambda s: s.polarity == "contextual"):
        # A broad concept (child protection) is shared by half the indicators of an area: only a
        # narrow one (children who go missing) links an indicator to the area on its own.
        shared = [cid for cid in concept_ids(s.name) if cid in mine and concepts[cid].specific]
        terms = my_terms & key_terms(s.name)
        if shared:
            chosen.append(s)
            reasons.append(f"{s.name}: both about {concepts[shared[0]].label}")
        elif len(terms) >= MIN_SHARED_TERMS:
            chosen.append(s)
            reasons.append(f"{s.name}: share the words {', '.join(sorted(terms))}")
    return AfiLink(afi, chosen[:MAX_LINKED], reasons[:MAX_LINKED])


# -- the paragraph -------------------------------------------------------------------------------

def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _join(parts: list[str]) -> str:
    return join_and([p for p in parts if p])


def _tally(better: int, worse: int, same: int, words: tuple[str, str, str]) -> str:
    """'all 6 improved', 'both improved', '4 improved, 1 declined and 1 did not change'."""
    total = better + worse + same
    good, bad, level = words
    if total == 1:
        return f"it {good if better else bad if worse else level}"
    if better == total:
        return f"both {good}" if total == 2 else f"all {total} {good}"
    return _join([f"{better} {good}" if better else "", f"{worse} {bad}" if worse else "", f"{same} {level}" if same else ""])


JUDGED = ("improved", "declined", "did not change")
DEMAND = ("fell", "rose", "held level")


def _split(changes: list[Change]) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    judged = [c for c in changes if c.indicator.polarity != "contextual"]
    context = [c for c in changes if c.indicator.polarity == "contextual"]
    j = (sum(c.verdict == "better" for c in judged), sum(c.verdict == "worse" for c in judged), sum(c.verdict == "same" for c in judged))
    # For demand, 'fell' comes first only as a word order; it is not 'good'.
    d = (sum(c.verdict == "down" for c in context), sum(c.verdict == "up" for c in context), sum(c.verdict == "same" for c in context))
    return j, d


def _movement_sentence(changes: list[Change], lead: str, *, first: bool) -> str | None:
    (b, w, s), (down, up, level) = _split(changes)
    parts = []
    total = b + w + s
    if total:
        noun = "indicators that can be judged better or worse" if first else "indicators judged by polarity"
        tally = _tally(b, w, s, JUDGED)
        if total == 1:
            parts.append(f"{lead}, the one {noun[:-1].replace('indicators', 'indicator')} {tally[3:]}")
        elif tally.startswith(("all ", "both ")):
            parts.append(f"{lead}, {tally.split(' ')[0]} {'' if tally.startswith('both') else str(total) + ' '}{noun} improved")
        else:
            parts.append(f"{lead}, of the {total} {noun}, {tally}")
    demand_total = down + up + level
    if demand_total:
        tally = _tally(down, up, level, DEMAND)
        text = (
            f"the one measure of demand and context {tally[3:]}" if demand_total == 1
            else f"of the {demand_total} measures of demand and context, {tally}"
        )
        parts.append(text if parts else f"{lead}, {text}")
    if not parts:
        return None
    return "; ".join(parts) + "."


def _since(changes: list[Change]) -> str:
    starts = {c.since for c in changes}
    return f"Since {starts.pop()}" if len(starts) == 1 else "Over the last two to three years"


def _standing_sentence(counts: dict[str, dict[str, int]]) -> str | None:
    parts = []
    for label, c in counts.items():
        total = sum(c.values())
        if not total:
            continue
        tally = _tally(c["better"], c["worse"], c["same"], ("better", "worse", "in line"))
        if tally.startswith("it "):
            tally = f"the one indicator is {tally[3:]}"
        elif tally.startswith(("all ", "both ")):
            tally = tally.replace(" better", " are better")
        parts.append(f"against {label}, {tally}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _gap_sentence(found: list[Gap]) -> str | None:
    behind = next((g for g in found if g.relative < 0), None)
    ahead = next((g for g in found if g.relative > 0), None)
    parts = []
    if behind:
        parts.append(f"the widest gap behind {behind.against} is {_lower(behind.indicator.name)} (worse by {behind.size_text})")
    if ahead:
        parts.append(f"the furthest ahead is {_lower(ahead.indicator.name)} (better by {ahead.size_text})")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _target_sentence(met: int, missed: int) -> str:
    total = met + missed
    if total == 1:
        return "The one indicator with a target " + ("meets it." if met else "misses it.")
    if met == total:
        return "Both indicators with a target meet it." if total == 2 else f"All {total} indicators with a target meet it."
    if met == 0:
        return f"None of the {total} indicators with a target meets it."
    return f"{met} of the {total} indicators with a target meet it; {missed} {'misses' if missed == 1 else 'miss'} it."


def _lower(name: str) -> str:
    # 'Re-referrals within 12 months' reads inside a sentence as 're-referrals within 12 months';
    # an acronym ('CIN rate') keeps its capitals.
    first = name.split(" ", 1)[0]
    return name if first.isupper() or any(ch.isupper() for ch in first[1:]) else name[0].lower() + name[1:]


def _afi_sentence(links: list[AfiLink], year: dict[str, Change]) -> list[str]:
    out = []
    for link in links:
        if link.indicators:
            named = []
            for s in link.indicators:
                change = year.get(s.id)
                word = {"better": "improving", "worse": "declining", "same": "unchanged", "up": "rising", "down": "falling"}.get(
                    change.verdict if change else "", ""
                )
                named.append(_lower(s.name) + (f" ({word} over the year)" if word else ""))
            out.append(f"For {link.afi.id}, the {'indicator to watch is' if len(named) == 1 else 'indicators to watch are'} {_join(named)}.")
        else:
            out.append(f"No indicator here measures {link.afi.id} directly: audit and case evidence will have to show progress.")
    return out


def interpret(area: str, summaries: list[IndicatorSummary], afis: list[AreaForImprovement] | None = None) -> AreaEvidence:
    """The interpreting paragraph for one judgement area from its indicators (already chosen for it)."""
    with_data = [s for s in summaries if s.has_data and s.latest is not None]
    year = [c for c in (change_over(s, 1) for s in with_data) if c]
    three = [c for c in (change_over(s, 3) for s in with_data) if c]
    counts = standing(with_data)
    met = targets(with_data)
    found = gaps(with_data)
    links = [indicator_links(a, with_data) for a in afis or []]
    sentences: list[str] = []
    if not with_data:
        sentences.append("No indicator linked to this area has data yet.")
    else:
        for s in (_movement_sentence(year, "Over the last year", first=True), _movement_sentence(three, _since(three), first=False) if three else None):
            if s:
                sentences.append(s)
        standing_text = _standing_sentence(counts)
        if standing_text:
            sentences.append(standing_text)
        if not any(label == "statistical neighbours" for label in counts) and counts:
            sentences.append("No statistical-neighbour figures are available for these indicators yet.")
        if met["met"] or met["missed"]:
            sentences.append(_target_sentence(met["met"], met["missed"]))
        gap_text = _gap_sentence(found)
        if gap_text:
            sentences.append(gap_text)
    sentences.extend(_afi_sentence(links, {c.indicator.id: c for c in year}))
    return AreaEvidence(area, year, three, counts, met, found, links, sentences)
