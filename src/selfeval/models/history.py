"""What became of an earlier area for improvement at a later engagement (worked out in ``analyse.history``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from selfeval.models.findings import AreaForImprovement, Findings


def _no_reasons() -> list[str]:
    return []


@dataclass(frozen=True)
class AreaMatch:
    """A later area for improvement on the same theme as an earlier one, and how closely."""

    area: AreaForImprovement
    score: float
    # Why: worked out when first read. A pack links every earlier area to every later engagement,
    # and the documents give the reasons of the best match to the latest one only.
    why: Callable[[], list[str]] = field(default=_no_reasons, repr=False, compare=False)

    @cached_property
    def reasons(self) -> list[str]:
        return self.why()


@dataclass(frozen=True)
class ParagraphMatch:
    """A later report's paragraph on the same theme as an earlier area for improvement, and how closely."""

    number: int | None
    heading: str
    excerpt: str
    score: float
    why: Callable[[], list[str]] = field(default=_no_reasons, repr=False, compare=False)  # as AreaMatch's

    @cached_property
    def reasons(self) -> list[str]:
        return self.why()

    @property
    def label(self) -> str:
        return f"paragraph {self.number}" if self.number is not None else f"a paragraph under '{self.heading}'"


@dataclass(frozen=True)
class HistoryLink:
    """An earlier area for improvement and what one later engagement found on its theme."""

    council: str
    earlier: Findings
    area: AreaForImprovement
    later: Findings
    refs: list[str]  # the earlier area's framework refs (Ofsted's, the council's or suggested), for joining indicators
    judgement_area: str | None
    areas: list[AreaMatch] = field(default_factory=list)  # best first
    paragraphs: list[ParagraphMatch] = field(default_factory=list)  # best first
    status: str = ""

    @property
    def recurs(self) -> bool:
        return bool(self.areas)

    @property
    def reasons(self) -> list[str]:
        """Why the best later finding was judged to be about the same theme."""
        if self.areas:
            return self.areas[0].reasons
        if self.paragraphs:
            return self.paragraphs[0].reasons
        return []
