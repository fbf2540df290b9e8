"""The corporate parenting board summary: the inspection outcome, plan progress by RAG and
headline indicators for children in care and care leavers."""

# Types written as objects, not postponed as strings: see selfeval.models.

from pydantic import Field

from selfeval.render import formatting as fmt
from selfeval.render.context_models import CommonCtx, JudgementRow, KpiRow, LatestCtx, PlanRow, RagRow
from selfeval.render.documents.shared import Shared, kpi_rows
from selfeval.render.placeholders import todo

SUBJECT = "Corporate parenting board: inspection outcome and improvement progress"
CARE_AREAS = ("children_in_care", "care_leavers", "children_in_care_and_care_leavers")


class BoardSummaryCtx(CommonCtx):
    title: str = Field(description="'Corporate parenting board: inspection outcome and improvement progress'.")
    intro: str = Field(description="Opening paragraph.")
    latest: LatestCtx = Field(description="The latest inspection or visit.")
    judgements: list[JudgementRow] = Field(description="Latest inspection's judgements.")
    progress_summary: str = Field(description="One paragraph on plan progress.")
    rag_legend: list[RagRow] = Field(description="Counts by RAG.")
    rows: list[PlanRow] = Field(description="Areas for improvement with status.")
    kpi_intro: str = Field(description="Introduction to the headline indicators.")
    kpis: list[KpiRow] = Field(description="Headline indicators for children in care and care leavers.")
    kpi_sentences: list[str] = Field(description="One sentence per headline indicator.")
    board_asks: str = Field(description="What the board is asked to do (placeholder to complete).")


def build(shared: Shared) -> BoardSummaryCtx:
    pack = shared.pack
    legend = shared.rag_legend
    counts = {r.name: int(r.count) for r in legend}
    total = len(pack.areas)
    progress = (
        f"The plan covers {fmt.count(total, 'area')} for improvement: "
        + ", ".join(f"{n} {name.lower()}" for name, n in counts.items() if n)
        + "."
        if total
        else "There are no open areas for improvement."
    )
    care = [s for s in pack.indicators if s.judgement_area in CARE_AREAS]
    return BoardSummaryCtx(
        **shared.common(),
        title=SUBJECT,
        intro=f"This paper summarises Ofsted's {shared.latest.name}, progress against the improvement plan and headline indicators for children in care and care leavers.",
        latest=shared.latest,
        judgements=shared.judgements,
        progress_summary=progress,
        rag_legend=legend,
        rows=shared.plan_rows,
        kpi_intro="Headline indicators for children in care and care leavers, with trend and comparators.",
        kpis=kpi_rows(pack, care, empty="indicators for children in care and care leavers"),
        kpi_sentences=[s.sentence for s in care if s.sentence],
        board_asks=todo("what the board is asked to note or decide", place="board-asks", title="What the board is asked to note or decide"),
    )
