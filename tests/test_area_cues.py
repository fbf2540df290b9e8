"""An area for improvement that names no judgement area and cites no paragraph (a short inspection's
letter often does neither) is placed by its words. Coventry's 2026 report asks for better 'planning
for children in need of help and protection': that is the help and protection judgement, not
leadership, where an area nothing places goes."""

from __future__ import annotations

import pytest

from selfeval.analyse.areas import judgement_area_for
from selfeval.models.findings import AreaForImprovement


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("The consistency of the quality and impact of planning for children in need of help and protection.", "help_and_protection"),
        ("The quality of plans for children in need.", "help_and_protection"),
        ("The quality of child in need plans.", "help_and_protection"),
        # A leadership cue still comes first, as before: oversight of help and protection is leaders' work.
        ("Management oversight of help and protection practice.", "impact_of_leaders"),
        ("The consistency of the quality and impact of supervision.", "impact_of_leaders"),
    ],
)
def test_an_area_is_placed_by_its_words_when_nothing_else_says(text: str, area: str) -> None:
    afi = AreaForImprovement(id="X-2026-01", text=text)
    assert judgement_area_for(afi, None)[0] == area
