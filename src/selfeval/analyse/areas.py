"""Which judgement area an area for improvement belongs to."""

from __future__ import annotations

import re
from functools import cache

from selfeval import facts
from selfeval.models.findings import AreaForImprovement, Findings, Strength


FALLBACK_AREA = "impact_of_leaders"


def judgement_area_for(
    item: AreaForImprovement | Strength, findings: Findings | None, *, default: str | None = FALLBACK_AREA
) -> tuple[str | None, str]:
    """The area key of an area for improvement or strength, and how we know it: stated in the file,
    from its source paragraphs, or from its words; ``default`` when nothing says."""
    if item.judgement_area:
        if getattr(item, "judgement_area_inferred", False):
            shown = ", ".join(str(n) for n in item.source_paragraphs)
            return item.judgement_area, f"inferred on import from paragraph(s) {shown} of the report (not yet checked)"
        return item.judgement_area, "stated in the findings file"
    for number in item.source_paragraphs if findings is not None else []:
        section = findings.section_for_paragraph(number) if findings is not None else None
        if section and section.judgement_area:
            return section.judgement_area, f"paragraph {number} is in the section on {facts.judgement_areas()[section.judgement_area].short.lower()}"
    text = item.text.lower()
    for area, cue in _cues():
        if cue in text and _cue_pattern(cue).search(text):  # the substring test first: most cues are not in the text at all
            return area, f"inferred from the words '{cue}'"
    return default, "no clearer match; placed with leadership"


@cache
def _cues() -> tuple[tuple[str, str], ...]:
    """(area, cue) in the order the cues are tried."""
    return tuple((area, cue) for area, cues in facts.area_cues().items() for cue in cues)


@cache  # compiled when a text first has the cue, once: most cues are in no area's words
def _cue_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(cue)}")


def fit_era(area: str, era: facts.Era) -> str:
    """The same judgement area in another era's terms, so findings from a 2019 report and a 2026
    report sit under the headings of the framework the documents follow."""
    if area in era.areas:
        return area
    successor = facts.judgement_areas()[area].successor if area in facts.judgement_areas() else None
    if successor:
        # A SIF judgement (2013-2018) sits under the ILACS judgement that took its place.
        return fit_era(successor, era)
    if area in ("children_in_care", "care_leavers") and "children_in_care_and_care_leavers" in era.areas:
        return "children_in_care_and_care_leavers"
    if area == "children_in_care_and_care_leavers" and "children_in_care" in era.areas:
        return "children_in_care"
    # Overall effectiveness is not a practice area: what it says is about leaders.
    return "impact_of_leaders"
