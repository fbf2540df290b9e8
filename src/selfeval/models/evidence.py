"""What the documents quote and interpret, as ``analyse.strengths``, ``analyse.evidence`` and
``analyse.grade_prompts`` work it out: Ofsted's sentences with where they are, the reading of an
area's indicators, and the prompts beside each judgement area."""

from __future__ import annotations

from dataclasses import dataclass, field

from selfeval.models.findings import AreaForImprovement, Findings
from selfeval.models.performance import IndicatorSummary


@dataclass(frozen=True)
class Quote:
    """One whole sentence of an Ofsted report, verbatim, and where it is."""

    text: str
    findings: Findings = field(repr=False, compare=False)
    paragraph: int | None
    heading: str
    score: float = 0.0
    words: tuple[str, ...] = ()  # the judgement words (or theme words) that chose it

    @property
    def paragraphs(self) -> list[int]:
        return [self.paragraph] if self.paragraph is not None else []


@dataclass(frozen=True)
class AreaExplanation:
    """An area for improvement and the report's sentences that explain it."""

    afi: AreaForImprovement
    findings: Findings = field(repr=False, compare=False)
    quotes: list[Quote]


@dataclass(frozen=True)
class Change:
    """One indicator's movement between two of its periods."""

    indicator: IndicatorSummary
    since: str  # period label of the earlier value
    delta: float
    verdict: str  # better | worse | same | up | down


@dataclass(frozen=True)
class Gap:
    """How far an indicator's latest value is from a comparator, in its own unit."""

    indicator: IndicatorSummary
    against: str  # 'England'
    relative: float  # signed: positive is better than the comparator (by polarity)
    size_text: str  # '3.2 points', '41.6 per 10,000'


@dataclass(frozen=True)
class AfiLink:
    """An area for improvement and the indicators that bear on it, with why."""

    afi: AreaForImprovement
    indicators: list[IndicatorSummary]
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AreaEvidence:
    """What a judgement area's indicators add up to: movement, standing, targets, gaps and links."""

    area: str
    year: list[Change]
    three_years: list[Change]
    standing: dict[str, dict[str, int]]  # comparator label -> {better, worse, same}
    targets: dict[str, int]  # met / missed
    gaps: list[Gap]
    links: list[AfiLink]
    sentences: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True)
class GradePrompt:
    """What has changed in a judgement area since its last grade: the prompt beside the self-assessed grade."""

    area: str
    inspection: Findings | None = field(repr=False)
    grade: str | None  # grade id, e.g. 'good'
    still_open: list[AreaForImprovement]
    closed: list[AreaForImprovement]
    visits: list[Findings] = field(repr=False)  # engagements since the inspection
    moved: list[Change]  # indicators with a value from before the inspection and a later one

    @property
    def improved(self) -> int:
        return sum(1 for c in self.moved if c.verdict == "better")

    @property
    def declined(self) -> int:
        return sum(1 for c in self.moved if c.verdict == "worse")
