"""Under each judgement area's table, a head of service wants to read what the figures add up to:
which way the area is going, how it stands against England and statistical neighbours, where the
biggest gaps are and which area for improvement the figures speak to. The table keeps the detail:
no sentence repeats a row."""

from __future__ import annotations

import datetime as dt
import re

from selfeval.analyse.areas import fit_era
from selfeval.analyse.evidence import change_over, interpret
from selfeval.analyse.grade_prompts import grade_prompt
from selfeval.analyse.indicators import summarise
from selfeval.analyse.pack import build_pack
from selfeval.load.inputs import load_inputs
from selfeval.models.findings import AreaForImprovement, Findings
from selfeval.models.performance import Comparator, Indicator, IndicatorSummary, Observation, Period

from conftest import INPUTS


def _summary(
    ind_id: str, name: str, values: dict[str, float], *, polarity: str = "higher is better", unit: str = "%",
    england: float | None = None, neighbours: float | None = None, target: float | None = None,
) -> IndicatorSummary:
    ind = Indicator(id=ind_id, name=name, unit=unit, polarity=polarity, judgement_area="children_in_care", target=target)
    obs = [Observation(indicator_id=ind_id, period=Period.parse(p), value=v) for p, v in values.items()]
    comps = []
    latest = Period.parse(list(values)[-1]) if values else None
    if latest is None:
        return summarise(ind, obs, comps)
    if england is not None:
        comps.append(Comparator(indicator_id=ind_id, kind="england", label="England", period=latest, value=england))
    if neighbours is not None:
        comps.append(Comparator(indicator_id=ind_id, kind="statistical_neighbours", label="statistical neighbours", period=latest, value=neighbours))
    return summarise(ind, obs, comps)


def _area_summaries() -> list[IndicatorSummary]:
    return [
        _summary("STAB", "Children with 3 or more placements", {"2021-22": 12, "2022-23": 11, "2023-24": 10, "2024-25": 9},
                 polarity="lower is better", england=10, neighbours=9.5, target=10),
        _summary("MISS", "Children in care who went missing", {"2021-22": 10, "2022-23": 11, "2023-24": 12, "2024-25": 13},
                 polarity="higher is better", england=11, neighbours=12),
        _summary("RHI", "Return home interviews offered", {"2022-23": 70, "2023-24": 74, "2024-25": 68},
                 england=80, neighbours=78, target=85),
        _summary("CLA", "Children looked after rate", {"2022-23": 63, "2023-24": 61, "2024-25": 58},
                 polarity="contextual", unit="rate per 10,000", england=67),
    ]


def test_the_paragraph_counts_which_way_the_area_went_over_one_and_three_years():
    evidence = interpret("children_in_care", _area_summaries())
    text = evidence.text
    assert "Over the last year, of the 3 indicators that can be judged better or worse, 2 improved and 1 declined" in text
    assert "the one measure of demand and context fell" in text
    assert "Since 2021-22" in text or "Over the last two to three years" in text


def test_it_says_where_the_council_stands_against_england_and_statistical_neighbours_and_its_targets():
    text = interpret("children_in_care", _area_summaries()).text
    assert "Against England, 2 better and 1 worse" in text
    assert "against statistical neighbours, 2 better and 1 worse" in text
    assert "1 of the 2 indicators with a target meet it; 1 misses it." in text


def test_it_names_the_largest_gaps_by_size_not_by_restating_the_row():
    evidence = interpret("children_in_care", _area_summaries())
    behind = [g for g in evidence.gaps if g.relative < 0]
    assert behind[0].indicator.id == "RHI"  # 68% against 80%: the widest relative gap behind
    assert "The widest gap behind England is return home interviews offered (worse by 12.0 points)" in evidence.text


def test_each_area_for_improvement_is_told_which_indicators_speak_to_it():
    afi = AreaForImprovement(id="ANY-1", text="The undertaking and quality of return home interviews for children who go missing from care.")
    evidence = interpret("children_in_care", _area_summaries(), [afi])
    assert [s.id for s in evidence.links[0].indicators] == ["MISS", "RHI"]
    assert "For ANY-1, the indicators to watch are" in evidence.text
    unmeasured = AreaForImprovement(id="ANY-2", text="The quality of life-story work.")
    assert "No indicator here measures ANY-2 directly" in interpret("children_in_care", _area_summaries(), [unmeasured]).text


def test_no_evidence_sentence_restates_a_table_row():
    """A table row is an indicator's latest value in its period: the prose never repeats one, for
    any judgement area of the example."""
    pack = build_pack(load_inputs(INPUTS), today=dt.date(2026, 6, 1))
    for area in pack.era.areas:
        summaries = [s for s in pack.indicators if s.judgement_area and fit_era(s.judgement_area, pack.era) == area]
        afis = [v.afi for v in pack.areas if v.judgement_area == area]
        evidence = interpret(area, summaries, afis)
        for sentence in evidence.sentences:
            for s in summaries:
                if not s.has_data:
                    continue
                restates = s.latest_text in sentence and (s.latest_period or "") in sentence
                assert not restates, (area, s.id, sentence)
                # And no indicator's own one-line summary appears as prose.
                assert s.sentence not in sentence
        names = [s.name.lower() for s in summaries]
        for name in names:
            assert len(re.findall(re.escape(name), evidence.text.lower())) <= 1 + sum(
                1 for link in evidence.links for i in link.indicators if i.name.lower() == name
            )


def test_a_quarterly_indicator_without_the_same_quarter_last_year_is_compared_year_on_year():
    s = _summary("RR", "Re-referrals", {"2023-24": 19.8, "2024-25": 18.6, "2025-26 Q2": 18.3}, polarity="lower is better")
    change = change_over(s, 1)
    assert change is not None and change.since == "2023-24" and change.verdict == "better"


def test_an_area_without_data_says_so():
    empty = _summary("X", "Something", {})
    assert interpret("care_leavers", [empty]).text == "No indicator linked to this area has data yet."


def test_the_grade_prompt_gives_ofsteds_last_grade_and_what_has_changed_since():
    pack = build_pack(load_inputs(INPUTS), today=dt.date(2026, 6, 1))
    prompt = grade_prompt("help_and_protection", pack.engagements, [], pack.era)
    assert prompt.grade == "requires_improvement"
    assert [a.id for a in prompt.still_open] == ["LAM-2026-01", "LAM-2026-02"]
    assert prompt.closed == []


def test_indicators_count_as_moved_since_the_inspection_only_with_a_figure_from_before_it():
    report = Findings.model_validate({
        "local_authority": "Anytown", "type": "full inspection", "inspection_dates": [{"start": "2024-05-06"}],
        "judgements": {"children_in_care": "Good"},
        "areas_for_improvement": [
            {"id": "A-1", "text": "Return home interviews for children who go missing from care.", "judgement_area": "children_in_care"},
            {"id": "A-2", "text": "Life-story work for children in care.", "judgement_area": "children_in_care", "status": "closed"},
        ],
    })
    summaries = _area_summaries()  # 2024-25 ends after May 2024, 2023-24 before it
    prompt = grade_prompt("children_in_care", [report], summaries, report.era)
    assert prompt.grade == "good"
    assert [a.id for a in prompt.still_open] == ["A-1"] and [a.id for a in prompt.closed] == ["A-2"]
    assert (prompt.improved, prompt.declined) == (2, 1)
    assert len(prompt.moved) == 4
