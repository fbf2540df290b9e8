"""Match a scorecard's measure names to selfeval's indicator catalogue (``data/indicators.yaml``).

A council writes "Re-referrals within 12 months", "Repeat referrals (12 months)" or "Care leavers
aged 19-21 in suitable accommodation"; the catalogue knows the indicator's unit, polarity,
definition, judgement area, framework ref and published comparators. Names are compared word by
word (plurals, "19-21" / "19 to 21" and small words aside) against the catalogue name and the
aliases in ``data/scorecard_vocabulary.yaml``. A match must be clearly the best, and numbers in
the name must agree ("aged 17-18" is not "aged 19 to 21"); otherwise nothing is matched and the
person completes the unit and polarity in the mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from selfeval import facts
from selfeval.load.scorecard.vocabulary import vocabulary

MATCH_SCORE = 0.7
MARGIN = 0.1
_STOP = {"of", "the", "a", "an", "in", "with", "who", "that", "and", "or", "for", "to", "on", "at", "by", "as", "is",
         "were", "was", "are", "be", "been", "from", "percentage", "proportion", "pct", "percent", "within", "no"}


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    name: str
    unit: str
    polarity: str
    judgement_area: str | None
    framework_ref: str | None
    decimals: int | None
    definition: str | None
    source: str | None
    comparators: dict[str, dict[str, float]] = field(default_factory=dict)  # label -> {period: value}


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> frozenset[str]:
    t = text.lower().replace("&", " and ").replace("’", "'")
    t = re.sub(r"(\d)\s*[-–/]\s*(\d)", r"\1 to \2", t)
    t = t.replace("10,000", "10000").replace("10k", "10000")
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return frozenset(_stem(w) for w in t.split() if w not in _STOP)


def _numbers(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if w.isdigit() and w != "10000")


@cache
def catalogue() -> dict[str, CatalogueEntry]:
    data: dict[str, Any] = facts.load_data("indicators.yaml")
    publications = data.get("publications", {})
    entries: dict[str, CatalogueEntry] = {}
    for item in data["indicators"]:
        source = item.get("source")
        entries[item["id"]] = CatalogueEntry(
            id=item["id"], name=item["name"], unit=item["unit"], polarity=item["polarity"],
            judgement_area=item.get("judgement_area"), framework_ref=item.get("framework_ref"),
            decimals=item.get("decimals"), definition=item.get("definition"),
            source=publications.get(source, source) if source else None,
            comparators={str(k): {str(p): float(v) for p, v in (vals or {}).items()} for k, v in (item.get("comparators") or {}).items() for vals in [v]},
        )
    return entries


@cache
def _candidates() -> tuple[tuple[str, frozenset[str]], ...]:
    result: list[tuple[str, frozenset[str]]] = []
    aliases = vocabulary().aliases
    for entry in catalogue().values():
        result.append((entry.id, tokens(entry.name)))
        for alias in aliases.get(entry.id, ()):
            result.append((entry.id, tokens(alias)))
    return tuple(result)


@dataclass(frozen=True)
class Match:
    entry: CatalogueEntry
    score: float


def match(name: str, ref: str | None = None, unit: str | None = None) -> Match | None:
    """The catalogue indicator a measure is, or None when no match is clear."""
    entries = catalogue()
    if ref and ref.strip().upper() in entries:
        return Match(entries[ref.strip().upper()], 1.0)
    words = tokens(name)
    if not words:
        return None
    best: dict[str, float] = {}
    for ident, cand in _candidates():
        if not cand:
            continue
        entry_numbers = _numbers(tokens(entries[ident].name))
        if _numbers(words) and entry_numbers and _numbers(words) != entry_numbers:
            continue  # "aged 17-18" is not "aged 19 to 21"; "within 12 months" is not "within 6 months"
        common = len(words & cand)
        jaccard = common / len(words | cand)
        contained = 0.9 if (common == len(cand) and len(cand) >= 2) else 0.0
        score = max(jaccard, contained)
        if score > best.get(ident, 0.0):
            best[ident] = score
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < MATCH_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
        return None
    entry = entries[ranked[0][0]]
    if unit is not None and unit != entry.unit:
        return None  # "Number of re-referrals" is a count, not the catalogue's percentage
    return Match(entry, ranked[0][1])


# "Family group conferences held (number)", "Contacts (no.)", "Referrals (count)", "Visits (#)", "Missing episodes (n)".
_COUNT_IN_BRACKETS = re.compile(r"\(\s*(?:numbers?|nos?\.?|counts?|totals?|n|#)\s*\)")


def unit_from_name(name: str) -> str | None:
    """A unit the measure's own name states plainly ('% of ...', '... per 10,000', '(days)', '(number)'); else None."""
    low = name.lower()
    if "%" in low or re.search(r"\b(percentage|proportion|percent)\b", low):
        return "%"
    if re.search(r"per\s*10,?000|per 10k", low):
        return "rate per 10,000"
    if re.search(r"\(days\)|\bin days\b|number of days|average days|days? (?:from|between|to)\b", low):
        return "days"
    if re.match(r"\s*(number|no\.|count|total) of\b", low) or _COUNT_IN_BRACKETS.search(low):
        return "count"
    return None
