"""The improvement plan: every area for improvement verbatim, mapped to the National Framework,
with its actions, success measures and RAG status."""

# Types written as objects, not postponed as strings: see selfeval.models.

from pydantic import Field

from selfeval.render import formatting as fmt
from selfeval.models.pack import ClosedAreaView, Pack
from selfeval.render.context_models import ClosedRow, CommonCtx, KpiRow, PlanRow, RagRow
from selfeval.render.documents.shared import Shared, any_suggested, framework_key, kpi_rows
from selfeval.render.placeholders import todo

SUBJECT = "Improvement plan in response to Ofsted"


class ImprovementPlanCtx(CommonCtx):
    subtitle: str = Field(description="What the plan responds to.")
    intro: str = Field(description="Opening paragraph.")
    rag_legend: list[RagRow] = Field(description="RAG legend with counts.")
    rows: list[PlanRow] = Field(description="One row per area for improvement: latest engagement first, then still-open earlier areas.")
    framework_key: list[str] = Field(description="The National Framework refs the plan's rows name, each once with its full title (the key below the table).")
    closed_intro: str = Field(description="Introduction to the areas closed since the last plan.")
    closed: list[ClosedRow] = Field(description="Earlier areas closed by the latest inspection or by the council, with the reason.")
    kpi_intro: str = Field(description="Introduction to the performance measures.")
    kpis: list[KpiRow] = Field(description="Indicators used as success measures.")


def build(shared: Shared) -> ImprovementPlanCtx:
    pack = shared.pack
    latest = pack.latest
    earlier_open = sum(1 for v in pack.areas if not v.is_latest)
    if latest is None:
        intro = todo("the areas for improvement: add the inspection's findings with 'selfeval import REPORT.pdf'", place="plan-intro", title="Areas for improvement")
        subtitle = "Response to Ofsted"
    else:
        n = len(latest.areas_for_improvement)
        intro = f"This plan responds to the {fmt.count(n, 'area')} for improvement in the {fmt.engagement_name(latest)}"
        intro += f", and carries forward {fmt.count(earlier_open, 'still-open area')} from earlier engagements." if earlier_open else "."
        intro += " Each area is quoted verbatim and mapped to the Children's Social Care National Framework."
        if any_suggested(pack):
            intro += " " + fmt.SUGGESTED_NOTE
        if any(r.item.kind == "outcome" for v in pack.areas for r in v.refs) and (note := fmt.numbering_note(pack.generated)):
            intro += " " + note
        subtitle = f"Response to Ofsted's {fmt.engagement_name(latest)}" + (f" ({latest.title})" if latest.title else "")
    refs = {r.ref for v in pack.areas for r in v.refs}
    if pack.areas:
        kpis = pack.indicators_for_refs(refs)
        kpi_intro = "Indicators linked to the areas for improvement, used as success measures."
    else:  # nothing to link to yet: show the indicators the plan will draw on
        kpis = list(pack.indicators)
        kpi_intro = "Our performance indicators (no areas for improvement are recorded yet)."
    return ImprovementPlanCtx(
        **shared.common(),
        subtitle=subtitle,
        intro=intro,
        rag_legend=shared.rag_legend,
        rows=shared.plan_rows,
        framework_key=framework_key(pack),
        closed_intro=(
            "These earlier areas are no longer carried in the plan. An inspection re-examines the whole service, so an area "
            "raised before it is closed by it, whether it raised the area again (the new area carries it on) or not. "
            "To keep one open, write 'status: open' on it in its findings file; to close one yourself, 'status: closed'."
        ),
        closed=[closed_row(c) for c in recently_closed(pack)],
        kpi_intro=kpi_intro,
        kpis=kpi_rows(pack, kpis, empty="indicators linked to the areas for improvement"),
    )


def recently_closed(pack: Pack) -> list[ClosedAreaView]:
    """Areas closed by the latest inspection or by the council; older closures are in the SEF's journey."""
    latest = pack.latest_inspection
    return [c for c in pack.closed_areas if c.by is None or c.by is latest]


def closed_row(closed: ClosedAreaView) -> ClosedRow:
    return ClosedRow(
        id=closed.afi.id,
        text=closed.afi.text,
        source=fmt.source_text(closed.findings, closed.afi.source_paragraphs),
        reason=closed.reason[0].upper() + closed.reason[1:] + ".",
    )
