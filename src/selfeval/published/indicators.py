"""The published indicators: each measure of ``measures.yaml`` with its catalogue definition.

Name, unit, polarity, decimals and definition come from the one standard catalogue
(``selfeval/data/indicators.yaml``), so a workbook row and a published figure with the same id are
the same indicator. ``tools/build_published.py`` bakes them into the store's index.json, which is
what is read at run time (no YAML parsing when a council's figures are loaded).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from selfeval.published.store import index

if TYPE_CHECKING:  # the models (and pydantic) are not needed to read the store
    from selfeval.models.performance import Polarity, Unit


@dataclass(frozen=True)
class PublishedIndicator:
    """A published indicator: its catalogue definition and the DfE release it comes from."""

    id: str
    name: str
    unit: Unit
    polarity: Polarity
    decimals: int
    definition: str
    judgement_area: str
    framework_ref: str
    release: str  # key into measures.yaml releases: cin | cla | csww
    basis: str  # year_to_march | september

    def period_label(self, year: str) -> str:
        """DfE's year as selfeval writes periods: '2025' -> '2024-25' (year to March) or 'Sep 2025'."""
        y = int(year)
        if self.basis == "september":
            return f"Sep {y}"
        return f"{y - 1}-{str(y)[2:]}"

    def period_words(self, year: str) -> str:
        y = int(year)
        if self.basis == "september":
            return f"at 30 September {y}"
        return f"year ending 31 March {y}"


def definitions() -> list[dict[str, Any]]:
    """Build time: each measure joined to its catalogue entry (raises if measures.yaml names an unknown id)."""
    from selfeval import facts
    from selfeval.published.derive import recipes

    catalogue = {item["id"]: item for item in facts.load_data("indicators.yaml")["indicators"]}
    result = []
    for m in recipes().measures:
        item = catalogue.get(m.id)
        if item is None:
            raise KeyError(f"measures.yaml names {m.id}, which is not in selfeval/data/indicators.yaml")
        result.append(asdict(PublishedIndicator(
            id=m.id, name=item["name"], unit=item["unit"], polarity=item["polarity"], decimals=int(item["decimals"]),
            definition=item["definition"], judgement_area=item["judgement_area"], framework_ref=item["framework_ref"],
            release=m.release, basis=m.basis,
        )))
    return result


@cache
def published_indicators() -> tuple[PublishedIndicator, ...]:
    return tuple(PublishedIndicator(**item) for item in index()["indicators"])


def published_indicator(indicator_id: str) -> PublishedIndicator | None:
    return next((i for i in published_indicators() if i.id == indicator_id), None)


def release_title(release: str) -> str:
    r = index()["releases"][release]
    return f"{r['publisher']}, {r['title']}"


def attribution(releases: list[str]) -> list[str]:
    """The lines every document showing these figures carries: releases used, then the OGL notice."""
    lines = [release_title(r) for r in releases]
    licence = index()["licence"]
    lines.append(f"{licence['text']} ({licence['url']})")
    return lines
