"""The analysed pack: everything the documents show, worked out once by ``analyse.pack``.

Rendering only formats what is here. Every judgement area in the pack is already fitted to the era
the documents follow (a 2019 finding on children in care sits under the 2023 framework's heading).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from selfeval import facts
from selfeval.councils import Council
from selfeval.models.actions import Action, ActionPlan, Rag
from selfeval.models.evidence import AreaEvidence, AreaExplanation, GradePrompt, Quote
from selfeval.models.findings import AreaForImprovement, Findings, FrameworkRef, Strength
from selfeval.models.history import HistoryLink
from selfeval.models.performance import IndicatorSummary




@dataclass
class AreaView:
    """One area for improvement as the documents show it."""

    findings: Findings
    afi: AreaForImprovement
    judgement_area: str
    refs: list[FrameworkRef]
    is_latest: bool
    actions: list[Action] = field(default_factory=list)
    rag: Rag | None = None  # None: nothing rated yet, or not known to be complete
    measure_indicators: list[IndicatorSummary] = field(default_factory=list)  # indicators that measure its success


@dataclass(frozen=True)
class StrengthView:
    """A strength Ofsted named, with its engagement and the judgement area it is shown under."""

    findings: Findings
    strength: Strength
    judgement_area: str


@dataclass(frozen=True)
class SectionView:
    """A section of the latest inspection's report: its judgement area and paragraph range."""

    judgement_area: str | None
    first_paragraph: int | None
    last_paragraph: int | None


@dataclass(frozen=True)
class ProgressView:
    """An earlier area for improvement, what the latest engagement found, and the indicators on its theme."""

    link: HistoryLink
    indicators: list[IndicatorSummary]  # those that moved, most closely related first (at most three)
    later: list[HistoryLink] = field(default_factory=list)  # every later engagement's finding, oldest first
    closed: ClosedAreaView | None = None  # why the area is no longer open, if it is not


@dataclass(frozen=True)
class GradeCell:
    """One engagement's grade in one row of the journey table."""

    grade: str | None  # grade id; None when that engagement did not grade this area
    source_key: str | None  # the judgement it came from: a SIF or combined judgement when mapped
    also: list[tuple[str, str]] = field(default_factory=list)  # other judgements of that report in this row


@dataclass(frozen=True)
class GradeRow:
    """One judgement area's row of the journey table."""

    area: str  # a judgement area of the documents' era
    cells: list[GradeCell]  # one per Journey column


@dataclass(frozen=True)
class Journey:
    """Grades over time: one column per graded engagement, oldest first."""

    columns: list[Findings]
    rows: list[GradeRow]
    mapped: list[str]  # judgement keys shown under another era's heading (SIF, combined), for a note


@dataclass(frozen=True)
class ClosedAreaView:
    """An earlier area for improvement that is no longer open, and why."""

    findings: Findings
    afi: AreaForImprovement
    reason: str
    by: Findings | None  # the later inspection that closed it; None when the council closed it


@dataclass
class PublishedContext:
    """DfE's published figures the documents use (``analyse.published``): what the sources must say."""

    council: Council
    region: str  # the council's own region, by name
    neighbours: list[str]  # its 10 statistical neighbours' names, closest first
    attribution: list[str]  # releases used, then the OGL v3.0 notice
    overrides: list[str] = field(default_factory=list)  # comparators typed in the workbook instead of DfE's
    notes: list[str] = field(default_factory=list)  # reorganisations: series not joined


@dataclass
class Pack:
    """Everything the documents show for one council, worked out once (``analyse.pack``)."""

    council: str | None  # None until a findings file names it
    engagements: list[Findings]  # newest first
    latest: Findings | None  # None until the first findings file is added
    latest_inspection: Findings | None
    era: facts.Era
    areas: list[AreaView]  # latest engagement first, then still-open earlier areas
    strengths: list[StrengthView]  # every engagement's, in engagement order
    sections: list[SectionView]  # the latest inspection's
    indicators: list[IndicatorSummary]
    indicator_areas: dict[str, str]  # indicator id -> its fitted judgement area (absent when it names none)
    history: list[HistoryLink]
    progress: list[ProgressView]
    journey: Journey
    closed_areas: list[ClosedAreaView]  # earlier areas closed by a later inspection or by the council
    actions: ActionPlan
    public: bool
    generated: dt.date
    finding_files: list[str]  # file names only: a full path can name a person's folders
    workbook_file: str | None
    warnings: list[str] = field(default_factory=list)
    # Ofsted's own words and the reading of the figures, per judgement area key (analyse.strengths,
    # analyse.evidence, analyse.grade_prompts); explanations per area-for-improvement id.
    summary: list[str] = field(default_factory=list)  # the latest inspection's opening summary, verbatim
    quotes: dict[str, list[Quote]] = field(default_factory=dict)
    explanations: dict[str, AreaExplanation] = field(default_factory=dict)
    evidence: dict[str, AreaEvidence] = field(default_factory=dict)
    grade_prompts: dict[str, GradePrompt] = field(default_factory=dict)
    published: PublishedContext | None = None  # None: the council is not known (yet), no DfE figures used

    @property
    def earlier(self) -> list[Findings]:
        return self.engagements[1:]

    def indicators_in(self, area: str) -> list[IndicatorSummary]:
        return [s for s in self.indicators if self.indicator_areas.get(s.id) == area]

    def indicators_for_refs(self, refs: set[str]) -> list[IndicatorSummary]:
        return [s for s in self.indicators if refs.intersection(s.framework_refs)]
