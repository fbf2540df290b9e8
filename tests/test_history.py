"""Linking findings of the same council across engagements (issue 7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from selfeval.analyse.history import council_key, latest_links, link_history, open_earlier_areas
from selfeval.models.findings import Findings

FINDINGS = Path(__file__).resolve().parent.parent / "inputs" / "findings"
LAM23_MISSING = "Police response to children who go missing and police attendance at child protection meetings where information is shared to inform decisions about risks and plans to protect children."
LAM26_RHI = "The undertaking and quality of return home interviews for children who go missing from care. (outcome 3, national framework)"


def _lambeth_from_text() -> list[Findings]:
    """The two Lambeth engagements, reduced to what the link needs (used until the example YAMLs exist)."""
    visit = Findings(
        local_authority="Lambeth",
        type="focused visit",
        inspection_dates=[{"start": dt.date(2023, 6, 27), "end": dt.date(2023, 6, 28)}],
        areas_for_improvement=[
            {"id": "LAM-2023-01", "text": "Effective transition arrangements for children's cases transferring between social work teams.", "judgement_area": "help_and_protection"},
            {"id": "LAM-2023-03", "text": LAM23_MISSING, "judgement_area": "help_and_protection"},
        ],
    )
    inspection = Findings(
        local_authority="London Borough of Lambeth",
        type="full inspection",
        inspection_dates=[{"start": dt.date(2026, 1, 12), "end": dt.date(2026, 1, 23)}],
        areas_for_improvement=[
            {"id": "LAM-2026-02", "text": "The response to 16- and 17-year-olds who present as homeless, particularly those presenting at the front door. (outcome 3, national framework)", "framework_refs": ["outcome 3"]},
            {"id": "LAM-2026-03", "text": LAM26_RHI, "framework_refs": ["outcome 3"], "judgement_area": "children_in_care"},
        ],
        sections=[
            {
                "heading": "The experiences and progress of children in care: requires improvement to be good",
                "judgement_area": "children_in_care",
                "paragraphs": [
                    {"number": 35, "text": "When children go missing from care, return home interviews (RHIs) are not consistently recorded, and attempts to carry them out lack rigour."},
                ],
            }
        ],
    )
    return [inspection, visit]  # deliberately not in date order


def _lambeth() -> list[Findings]:
    paths = [FINDINGS / "lambeth-2023-08-focused-visit.yaml", FINDINGS / "lambeth-2026-01-full-inspection.yaml"]
    if all(p.exists() for p in paths):
        return [Findings.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]
    return _lambeth_from_text()


@pytest.fixture(params=["example", "text"])
def lambeth(request) -> list[Findings]:
    return _lambeth() if request.param == "example" else _lambeth_from_text()


def _link_for(links, area_id):
    [link] = [link for link in links if link.area.id == area_id]
    return link


def test_missing_children_area_links_to_return_home_interviews(lambeth):
    links = link_history(lambeth)
    link = _link_for(links, "LAM-2023-03")
    assert link.earlier.start.year == 2023 and link.later.start.year == 2026
    assert [m.area.id for m in link.areas][:1] == ["LAM-2026-03"]
    assert link.recurs
    reasons = link.areas[0].reasons
    assert any("missing" in r for r in reasons), reasons
    assert any(r.startswith("both about children who go missing") for r in reasons)
    assert link.status == "recurs as an area for improvement in the 2026 full inspection"
    assert "outcome 3" in link.refs  # suggested for the 2023 area, for joining indicators
    assert any(p.number == 35 for p in link.paragraphs)


def test_homelessness_does_not_link_to_missing_children(lambeth):
    link = _link_for(link_history(lambeth), "LAM-2023-03")
    assert "LAM-2026-02" not in [m.area.id for m in link.areas]  # same ref (outcome 3) alone is not a theme


def test_status_wording_without_a_recurring_area():
    earlier, later = _lambeth_from_text()[1], _lambeth_from_text()[0]
    later = later.model_copy(update={"areas_for_improvement": []})
    link = _link_for(link_history([earlier, later]), "LAM-2023-03")
    assert not link.recurs
    assert link.status == "not raised again in the 2026 full inspection; paragraph 35 comments on the same theme"
    assert link.paragraphs[0].excerpt.startswith("When children go missing")
    other = _link_for(link_history([earlier, later]), "LAM-2023-01")
    assert other.status == "no later finding on this theme in the 2026 full inspection"
    assert other.reasons == []


def test_councils_are_grouped_by_normalised_name():
    assert council_key("London Borough of Lambeth") == council_key("Lambeth") == council_key("Lambeth Council")
    assert council_key("Brighton and Hove City Council") == council_key("Brighton & Hove")
    other = _lambeth_from_text()[0].model_copy(update={"local_authority": "Harrow"})
    assert link_history([_lambeth_from_text()[1], other]) == []


def test_open_earlier_areas_for_the_improvement_plan(lambeth):
    open_areas = open_earlier_areas(lambeth)
    assert open_areas and all(f.start.year == 2023 for f, _ in open_areas)
    assert "LAM-2023-03" in [a.id for _, a in open_areas]
    visit = next(f for f in lambeth if f.start.year == 2023)
    closed = visit.model_copy(
        update={"areas_for_improvement": [a.model_copy(update={"status": "closed"}) for a in visit.areas_for_improvement]}
    )
    later = [f for f in lambeth if f is not visit]
    assert open_earlier_areas([closed, *later]) == []


def test_latest_links_only_compare_with_the_most_recent_engagement():
    visit, inspection = _lambeth_from_text()[1], _lambeth_from_text()[0]
    middle = Findings.model_validate(
        {**visit.model_dump(), "inspection_dates": [{"start": dt.date(2024, 10, 1)}], "areas_for_improvement": []}
    )
    links = link_history([visit, middle, inspection])
    assert {link.later.start.year for link in links} == {2024, 2026}
    assert {link.later.start.year for link in latest_links([visit, middle, inspection])} == {2026}
