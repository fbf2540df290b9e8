"""Which judgement area an area for improvement belongs to."""

from __future__ import annotations

import re

from selfeval import reference
from selfeval.models.findings import AreaForImprovement, Findings


def judgement_area_for(afi: AreaForImprovement, findings: Findings) -> tuple[str, str]:
    """The area key and how we know it: stated in the file, from its source paragraphs, or from its words."""
    if afi.judgement_area:
        return afi.judgement_area, "stated in the findings file"
    for number in afi.source_paragraphs:
        section = findings.section_for_paragraph(number)
        if section and section.judgement_area:
            return _fit_era(section.judgement_area, findings), f"paragraph {number} is in the section on {reference.judgement_areas()[section.judgement_area].short.lower()}"
    text = afi.text.lower()
    for area, cues in reference.area_cues().items():
        for cue in cues:
            if re.search(rf"\b{re.escape(cue)}", text):
                return _fit_era(area, findings), f"inferred from the words '{cue}'"
    return _fit_era("impact_of_leaders", findings), "no clearer match; placed with leadership"


def _fit_era(area: str, findings: Findings) -> str:
    # Before 2023 children in care and care leavers were one judgement.
    if area in ("children_in_care", "care_leavers") and "children_in_care_and_care_leavers" in findings.era.areas:
        return "children_in_care_and_care_leavers"
    return area

