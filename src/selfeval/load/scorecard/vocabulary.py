"""The words councils' scorecards use (``data/scorecard_vocabulary.yaml``), as lookups.

Everything here is matched on a *heading key*: lower case, anything in brackets dropped, runs of
spaces, underscores and hyphens made one space. A heading may also carry a period ("England
2024-25"): :func:`split_period` separates the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from selfeval import reference
from selfeval.models.performance import Marker, Period, squash

ROLES = (
    "id", "name", "polarity", "unit", "rag", "comment", "row_kind", "target", "tolerance", "england", "region",
    "statistical_neighbours", "period", "value", "numerator", "denominator", "direction", "judgement_area", "framework_ref",
)
# The judgement areas a scorecard's measures are filed under (today's ILACS areas).
CURRENT_AREAS = ("help_and_protection", "children_in_care", "care_leavers", "impact_of_leaders")
# Roles whose heading may carry the period the column holds ("England 2024-25", "Target 2025-26").
PERIOD_ROLES = ("target", "england", "region", "statistical_neighbours")


def key(text: object) -> str:
    """'  Stat. Neighbours (2024-25) *' -> 'stat. neighbours'."""
    t = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
    t = t.replace("*", " ").replace(":", " ").replace("?", " ").replace("\u00a0", " ")
    return squash(t)


@dataclass(frozen=True)
class Vocabulary:
    headings: dict[str, str]  # heading key -> role
    known_unused: dict[str, str]
    row_kinds: dict[str, str]  # row label key -> numerator | denominator | value
    suppressed: frozenset[str]
    not_available: frozenset[str]
    rag: dict[str, str]
    polarity: dict[str, str]
    areas: tuple[tuple[tuple[str, ...], str], ...]
    aliases: dict[str, tuple[str, ...]]


@cache
def vocabulary() -> Vocabulary:
    data: dict[str, Any] = reference.load_data("scorecard_vocabulary.yaml")
    headings: dict[str, str] = {}
    for role, words in data["headings"].items():
        for w in words:
            headings.setdefault(key(w), role)
    row_kinds = {key(w): kind for kind, words in data["row_kinds"].items() for w in words}
    rag = {str(w).strip().lower(): colour for colour, words in data["rag"].items() for w in words}
    polarity = {squash(str(w)): p for p, words in data["polarity"].items() for w in words}
    areas = tuple((tuple(squash(w) for w in a["words"]), a["area"]) for a in data["areas"])
    aliases = {k: tuple(str(a) for a in v) for k, v in data["aliases"].items()}
    return Vocabulary(
        headings=headings,
        known_unused={key(k): v for k, v in data["known_unused"].items()},
        row_kinds=row_kinds,
        suppressed=frozenset(str(w).strip().lower() for w in data["suppressed"]),
        not_available=frozenset(str(w).strip().lower() for w in data["not_available"]),
        rag=rag,
        polarity=polarity,
        areas=areas,
        aliases=aliases,
    )


def role_of(heading: str) -> str | None:
    """The role of a heading that carries no period: 'PI Ref' -> 'id'."""
    return vocabulary().headings.get(key(heading))


def split_period(heading: object) -> tuple[str, str, Period] | None:
    """'England 2024-25' -> ('england', 'England', Period 2024-25); 'Target (2025/26)' -> ('target', 'Target', ...).

    Only for the roles that can carry a period; None when the heading is not of that shape."""
    text = str(heading).strip()
    inner = re.findall(r"\(([^)]*)\)", text)
    outer = re.sub(r"\([^)]*\)", " ", text)
    candidates: list[tuple[str, str]] = []
    for part in inner:
        candidates.append((outer, part))
    words = outer.split()
    for i in range(1, len(words)):
        candidates.append((" ".join(words[:i]), " ".join(words[i:])))
        candidates.append((" ".join(words[i:]), " ".join(words[:i])))
    for label, period_text in candidates:
        role = vocabulary().headings.get(key(label))
        if role not in PERIOD_ROLES:
            continue
        period = parse_period(period_text.strip().strip(",:"))
        if period is not None:
            return role, label.strip(), period
    return None


_SHORT_FY = re.compile(r"^\s*(fy\s*)?(\d{2})\s*[-/]\s*(\d{2})\s*$", re.IGNORECASE)


def parse_period(value: object) -> Period | None:
    """A period, also from a short financial year such as '24/25' or 'FY 24-25' (scorecard headings)."""
    try:
        return Period.parse(value)
    except ValueError:
        pass
    if isinstance(value, str):
        m = _SHORT_FY.match(value)
        if m and int(m.group(3)) == (int(m.group(2)) + 1) % 100:
            return Period.financial_year(2000 + int(m.group(2)), m.group(3))
    return None


def marker(value: object, extra_suppressed: frozenset[str] = frozenset(), extra_na: frozenset[str] = frozenset()) -> Marker | None:
    """'c' -> 'suppressed'; '-' or blank -> 'not available'; a number or other text -> None."""
    if value is None:
        return "not available"
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text == "":
        return "not available"
    v = vocabulary()
    if text in v.suppressed or text in extra_suppressed:
        return "suppressed"
    if text in v.not_available or text in extra_na:
        return "not available"
    return None


def rag_of(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return vocabulary().rag.get(value.strip().lower())


def polarity_of(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    v = vocabulary()
    if text in v.polarity:
        return v.polarity[text]
    return v.polarity.get(squash(text))


def unit_of(value: object) -> str | None:
    from pydantic_core import PydanticCustomError

    from selfeval.models.performance import normalise_unit

    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normalise_unit(value)
    except PydanticCustomError:
        return None


def row_kind(value: object) -> str | None:
    """'Num' -> 'numerator'; '  - Denominator' -> 'denominator'; anything else None."""
    if not isinstance(value, str):
        return None
    return vocabulary().row_kinds.get(key(value.strip().lstrip("-–•").strip()))


def area_of(text: str) -> str | None:
    """'Help and protection' / 'Front Door' / 'CLA' -> the ILACS judgement area key, if any."""
    direct = reference.area_for_title(text)
    if direct in CURRENT_AREAS:  # an earlier framework's area ('Children looked after') falls to the word rules
        return direct
    words = " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())
    for needed, area in vocabulary().areas:
        if all(re.search(rf"\b{re.escape(w)}s?\b", words) for w in needed):
            return area
    return None
