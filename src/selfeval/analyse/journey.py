"""A council's improvement journey: its grades over time, and what became of each earlier area.

Two questions a self-evaluation answers from the findings alone:

* **How have the grades moved?** One row per judgement area of the era the documents follow and
  one column per graded engagement, oldest first. SIF judgements (2013-2018) sit in the row of the
  ILACS judgement that took their place (``successor`` in ``data/ilacs.yaml``); where two SIF
  judgements share a row (children looked after, and adoption performance) the second is named
  beside the first, never dropped.
* **Is an earlier area still open?** An inspection re-examines every part of the service, so an
  area raised before the latest graded inspection is *closed by it*: either the inspection raised
  it again (the new area carries it on) or it did not (its reason says which paragraph, if any,
  comments on the theme). Areas from visits after the latest inspection stay open. A person
  overrides either way by writing ``status: open`` or ``status: closed`` on the area.
"""

from __future__ import annotations

from selfeval import facts
from selfeval.analyse.areas import fit_era
from selfeval.models.findings import AreaForImprovement, Findings
from selfeval.models.history import HistoryLink
from selfeval.models.pack import ClosedAreaView, GradeCell, GradeRow, Journey


def grade_journey(engagements: list[Findings], era: facts.Era) -> Journey:
    """The grades of every graded engagement, oldest first, in the rows of ``era``'s judgements."""
    graded = sorted((f for f in engagements if f.judgements), key=lambda f: f.start)
    rows: list[GradeRow] = []
    mapped: list[str] = []
    # Overall effectiveness stays a row while any engagement graded it, even after the era that dropped it.
    areas = list(era.areas) + [a for a in ("overall_effectiveness",) if a not in era.areas]
    for area in areas:
        cells: list[GradeCell] = []
        for findings in graded:
            keys = [key for key in findings.judgements if area in _rows_of(key, era)]
            keys.sort(key=lambda key: key != area)  # the judgement of the same name first
            if not keys:
                cells.append(GradeCell(grade=None, source_key=None))
                continue
            first, rest = keys[0], keys[1:]
            cells.append(GradeCell(findings.judgements[first], first, [(k, findings.judgements[k]) for k in rest]))
            mapped.extend(k for k in keys if k != area and k not in mapped)
        if any(cell.grade for cell in cells):
            rows.append(GradeRow(area=area, cells=cells))
    return Journey(columns=graded, rows=rows, mapped=mapped)


def _rows_of(key: str, era: facts.Era) -> list[str]:
    """The rows of ``era`` where a judgement of another era belongs."""
    if key in era.areas or key == "overall_effectiveness":
        return [key]
    if key not in facts.judgement_areas():
        return []
    if key == "children_in_care_and_care_leavers":
        # One 2018-2023 judgement covered both of today's: it is shown in each.
        return [a for a in ("children_in_care", "care_leavers") if a in era.areas] or [fit_era(key, era)]
    return [fit_era(key, era)]


def standing(
    findings: Findings, afi: AreaForImprovement, engagements: list[Findings], links: list[HistoryLink]
) -> ClosedAreaView | None:
    """None while the area is open; otherwise why it is closed (by the person, or by a later inspection).

    ``engagements`` is the council's, newest first; ``links`` every history link of this area."""
    if afi.status == "closed":
        return ClosedAreaView(findings, afi, "closed by the council in the findings file", None)
    if "status" in afi.model_fields_set:
        return None  # the person wrote 'status: open': it stays open whatever later reports say
    later_inspections = [f for f in engagements if f.judgements and f.start > findings.start]
    if not later_inspections:
        return None
    inspection = min(later_inspections, key=lambda f: f.start)  # the first inspection after it
    link = next((lk for lk in links if lk.later is inspection and lk.area is afi), None)
    label = f"the {inspection.start.strftime('%B %Y')} {inspection.engagement.phrase.replace('full inspection', 'inspection')}"
    if link is not None and link.areas:
        carried = ", ".join(m.area.id for m in link.areas[:2])
        return ClosedAreaView(findings, afi, f"raised again by {label} ({carried}), which carries it on", inspection)
    if link is not None and link.paragraphs:
        return ClosedAreaView(
            findings, afi, f"not raised again by {label}; {link.paragraphs[0].label} comments on the same theme", inspection
        )
    return ClosedAreaView(findings, afi, f"not raised again by {label}, which re-examined the whole service", inspection)
