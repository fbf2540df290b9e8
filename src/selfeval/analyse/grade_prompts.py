"""Prompts for candour beside each judgement area: Ofsted's last grade, and what has changed since
(areas for improvement closed or still open, later visits, indicators moved), so the council's own
grade is set against the evidence rather than hope.

Rules: the *last grade* is the area's grade at the most recent graded inspection. *Since* counts
every area for improvement of that inspection and of later engagements that belongs to the area
(by ``judgement_area_for``, in the documents' era). An indicator has *moved since the inspection*
when it has a value for a period ending on or before the inspection began and a later one: the
latest is compared with the last value before, better or worse by polarity, as displayed.
"""

from __future__ import annotations


from selfeval import reference
from selfeval.analyse.areas import fit_era, judgement_area_for
from selfeval.analyse.evidence import _points, _verdict
from selfeval.models.evidence import Change, GradePrompt
from selfeval.models.findings import AreaForImprovement, Findings
from selfeval.models.performance import IndicatorSummary


def _area_of(afi: AreaForImprovement, findings: Findings, era: reference.Era) -> str:
    key = judgement_area_for(afi, findings)[0] or "impact_of_leaders"
    return fit_era(key, era)


def since_inspection(s: IndicatorSummary, inspection: Findings) -> Change | None:
    """The indicator's latest value against its last value for a period ending before the inspection."""
    points = _points(s)
    before = [(p, v) for p, v in points if p.end <= inspection.start]
    after = [(p, v) for p, v in points if p.end > inspection.start]
    if not before or not after:
        return None
    (p0, v0), (_, v1) = before[-1], after[-1]
    return Change(s, p0.label, round(v1 - v0, 6), _verdict(s, v1 - v0))


def grade_prompt(area: str, engagements: list[Findings], indicators: list[IndicatorSummary], era: reference.Era) -> GradePrompt:
    """``engagements`` newest first; ``indicators`` those chosen for the area."""
    graded = [f for f in engagements if f.judgements]
    inspection = graded[0] if graded else None
    grade = None
    if inspection is not None:
        grade = next((g for key, g in inspection.judgements.items() if fit_era(key, era) == area and key != "overall_effectiveness"), None)
        if area == "overall_effectiveness":
            grade = inspection.judgements.get("overall_effectiveness")
    relevant = [f for f in engagements if inspection is None or f.start >= inspection.start]
    still_open: list[AreaForImprovement] = []
    closed: list[AreaForImprovement] = []
    for f in relevant:
        for afi in f.areas_for_improvement:
            if _area_of(afi, f, era) != area:
                continue
            (closed if afi.status == "closed" else still_open).append(afi)
    visits = [f for f in relevant if f is not inspection]
    moved = [c for c in (since_inspection(s, inspection) for s in indicators if s.has_data) if c] if inspection else []
    return GradePrompt(area, inspection, grade, still_open, closed, visits, moved)
