"""What a template can use: the rows and groups several documents share. With each document's own
model (in ``render/documents/``) these are the contract between selfeval and a council's own
templates: every ``{{ name }}`` in a template must be a field of its document's model, and the
README's template variable reference is generated from these descriptions."""

# Types written as objects, not postponed as strings: see selfeval.models.

from pathlib import Path
from typing import TypedDict

from pydantic import BaseModel, ConfigDict, Field


class _Ctx(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    def as_context(self) -> dict[str, object]:
        """Top-level fields as a dict without copying nested models (Jinja reads their attributes)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class KpiRow(_Ctx):
    id: str = Field(description="Indicator id from the workbook, e.g. RE-REF.")
    name: str = Field(description="Indicator name.")
    latest: str = Field(description="Latest value, formatted with its unit, or 'no data yet'.")
    latest_period: str = Field(description="The period of the latest value.")
    published: str = Field("", description="The council's own DfE published figure, e.g. 'DfE 2024-25: 19.7%' ('' if none).")
    rank: str = Field("", description="Rank among the council and its 10 statistical neighbours, e.g. '6th of 11' (1st = best), with its period if not the latest's.")
    previous: str = Field(description="Previous period's value, formatted.")
    trend: str = Field(description="Direction of travel with an arrow, e.g. '↑ improving'.")
    england: str = Field(description="England comparator, formatted, with its period if different.")
    stat_neighbours: str = Field(description="Statistical neighbours' median (DfE's method) with how many of the 10 had a value, e.g. '18.45% (10 of 10)'.")
    region: str = Field(description="The council's own region's figure, formatted (the heading is region_heading).")
    target: str = Field(description="The council's target, formatted.")
    rag: str = Field(description="RAG against target: Red, Amber, Green, or blank.")
    rag_fill: str = Field(description="Cell shading for the RAG, as hex (use with {% cellbg k.rag_fill %}).")
    sentence: str = Field(description="One plain-English sentence about the indicator.")


class ChartCtx(_Ctx):
    # docxtpl's InlineImage, set by render.docx as the template is filled. Nothing in selfeval reads
    # it (Jinja prints it), so it is any object here: naming docxtpl's class would import docxtpl into
    # every command that formats rows.
    image: object = Field(None, description="The chart picture; put {{ c.image }} alone in a paragraph.")
    caption: str = Field(description="Caption under the chart.")
    alt: str = Field(description="Alt text (also set on the picture for screen readers).")
    png: Path = Field(description="(internal) where the chart picture was drawn.", exclude=True)
    width_mm: float = Field(150, description="(internal) picture width.", exclude=True)
    pixels: tuple[int, int] = Field((0, 0), description="(internal) the picture's size in pixels, known before it is drawn.", exclude=True)


class JudgementRow(_Ctx):
    area: str = Field(description="Judgement title as Ofsted prints it.")
    grade: str = Field(description="Ofsted's grade at the latest inspection.")
    grade_fill: str = Field(description="Cell shading for the grade, hex.")
    since: str = Field("", description="What has changed since that grade: areas for improvement open and closed, later visits, indicators better or worse.")
    self_assessed: str = Field(description="The council's self-assessed grade (a placeholder to complete).")


class EngagementRow(_Ctx):
    dates: str = Field(description="When it happened.")
    kind: str = Field(description="Full inspection, focused visit, ...")
    outcome: str = Field(description="Grades, or what a visit looked at and its number of areas for improvement.")


class ClosedRow(_Ctx):
    id: str = Field(description="The area's id.")
    text: str = Field(description="The area verbatim.")
    source: str = Field(description="The engagement (and paragraphs) that raised it.")
    reason: str = Field(description="Why it is closed: raised again or not by a later inspection, or closed by the council.")


class JourneyRow(_Ctx):
    inspection: str = Field(description="'May 2015 SIF inspection'.")
    overall: str = Field(description="Overall effectiveness.")
    help_and_protection: str = Field(description="Help and protection.")
    children_in_care: str = Field(description="Children in care (SIF: children looked after and achieving permanence, with adoption).")
    care_leavers: str = Field(description="Care leavers.")
    leaders: str = Field(description="Impact of leaders (SIF: leadership, management and governance, with the LSCB review).")


class LatestCtx(_Ctx):
    title: str = Field(description="Report title.")
    name: str = Field(description="Short name such as 'January 2026 inspection'.")
    description: str = Field(description="One paragraph describing the latest inspection or visit.")


class AreaCtx(_Ctx):
    key: str = Field(description="Judgement area key, e.g. help_and_protection.")
    title: str = Field(description="Judgement area title.")
    grade: str = Field(description="Ofsted's latest grade for this area (or 'not graded').")
    self_assessed: str = Field(description="Self-assessed grade placeholder.")
    grade_prompt: str = Field("", description="Ofsted's last grade and what has changed since (areas closed or open, indicators): a prompt for candour.")
    strengths: list[str] = Field(description="Ofsted's strongest statements on this area, quoted whole with engagement and paragraph.")
    afis: list[str] = Field(description="Areas for improvement in this area, verbatim, with framework ref, source and the report's sentences that explain it.")
    evidence_intro: str = Field(description="Sentence introducing the indicators.")
    kpis: list[KpiRow] = Field(description="Indicators linked to this area.")
    evidence: str = Field("", description="What the indicators add up to: direction, standing against comparators, gaps, links to areas for improvement.")
    kpi_sentences: list[str] = Field(description="The evidence paragraph (as a one-item list, for templates written for the earlier per-indicator sentences).")
    charts: list[ChartCtx] = Field(description="Charts of the key indicators.")
    quality_assurance: str = Field(description="Audit and feedback evidence (placeholder to complete).")
    actions: list[str] = Field(description="What we are doing: actions from the plan tracker for this area.")


class ProgressCtx(_Ctx):
    heading: str = Field(description="The earlier area's id and its text, whole.")
    earlier: str = Field(description="The earlier area, verbatim, with its source.")
    later: str = Field(description="What each later engagement found on the same theme, oldest first.")
    standing: str = Field("", description="Whether the area is still open, or why it is closed.")
    reason: str = Field(description="Why selfeval linked them.")
    indicators: str = Field(description="Related indicators' change.")


class FrameworkRow(_Ctx):
    ref: str = Field(description="e.g. 'outcome 3'.")
    label: str = Field(description="e.g. 'Outcome 3'.")
    title: str = Field(description="Official title.")
    afis: str = Field(description="Linked areas for improvement (ids and short text).")
    indicators: str = Field(description="Linked indicators.")


class RagRow(_Ctx):
    name: str = Field(description="Blue, Green, Amber, Red or Not yet rated.")
    meaning: str = Field(description="What the status means.")
    count: str = Field(description="How many areas have it.")
    fill: str = Field(description="Cell shading, hex.")


class ActionCtx(_Ctx):
    id: str = Field("", description="The action's id from the tracker, e.g. 'LAM-2026-01.1'.")
    text: str = Field(description="The action, in the council's words.")
    lead: str = Field(description="Lead officer.")
    due: str = Field(description="Timescale / due date.")
    measure: str = Field("", description="The action's own success measure from the tracker.")
    progress: str = Field(description="Latest progress update.")
    rag: str = Field(description="The action's RAG.")
    rag_fill: str = Field("FFFFFF", description="Cell shading for the action's RAG, hex.")


class PlanRow(_Ctx):
    id: str = Field(description="Area id.")
    text: str = Field(description="Area for improvement verbatim (without the bracketed ref).")
    source: str = Field(description="Report and paragraph numbers.")
    framework: str = Field(description="National Framework ref with title ('suggested' until confirmed).")
    framework_short: str = Field(description="e.g. 'Outcome 3'.")
    judgement_area: str = Field(description="Judgement area (short).")
    actions: list[ActionCtx] = Field(description="Actions for this area (a placeholder when none).")
    measures: list[str] = Field(description="The area's success measures beyond its actions' own: linked indicators' baseline -> latest -> target (a placeholder when neither the actions nor the indicators give one).")
    rag: str = Field(description="Overall status of the area.")
    rag_fill: str = Field(description="Cell shading, hex.")


class CommonFields(TypedDict):
    """The fields of ``CommonCtx``, as the shared builder hands them to every document's model."""

    council: str
    document_date: str
    version: str
    marking: str
    sources: list[str]
    region_heading: str
    neighbours_heading: str


class CommonCtx(_Ctx):
    council: str = Field(description="The council, as named by Ofsted.")
    document_date: str = Field(description="Date of generation, e.g. '25 November 2026'.")
    version: str = Field(description="Version label of this draft.")
    marking: str = Field(description="Protective marking shown on the cover and in the header, e.g. 'DRAFT'.")
    sources: list[str] = Field(description="Where the content came from (findings files, workbook, comparators, DfE releases with the OGL v3.0 attribution).")
    region_heading: str = Field("Region", description="Heading of the KPI tables' region column: the council's own region, e.g. 'North West'.")
    neighbours_heading: str = Field("Stat. neighbours", description="Heading of the KPI tables' statistical-neighbour column ('SN median' with DfE's figures).")
