"""What the documents say about each indicator: trend, comparators, RAG, suppression and the sentence."""

from __future__ import annotations

import pytest

from selfeval.analyse.indicators import analyse, format_change, format_value, rag, summarise
from selfeval.models.performance import Comparator, Indicator, Observation, PerformanceData, Period


def indicator(polarity="higher is better", unit="%", **kw) -> Indicator:
    base = dict(id="X", name="Assessments within 45 days", unit=unit, polarity=polarity, judgement_area="help_and_protection",
                framework_refs="outcome 1")
    base.update(kw)
    return Indicator.model_validate(base)


def obs(period: str, value, ident="X", **kw) -> Observation:
    return Observation(indicator_id=ident, period=Period.parse(period), value=value, **kw)


def comp(kind: str, label: str, period: str, value: float, ident="X") -> Comparator:
    return Comparator(indicator_id=ident, kind=kind, label=label, period=Period.parse(period), value=value)


ENGLAND = [comp("england", "England", "2023-24", 84.5), comp("england", "England", "2024-25", 85.7)]


# -- direction of travel, both polarities and contextual -------------------------------------------------------

@pytest.mark.parametrize(
    "polarity, before, after, direction",
    [
        ("higher is better", 80, 85, "improving"),
        ("higher is better", 85, 80, "declining"),
        ("lower is better", 22, 19, "improving"),
        ("lower is better", 19, 22, "declining"),
        ("higher is better", 85, 85, "stable"),
        ("lower is better", 22.44, 22.36, "stable"),  # the same as displayed (22.4%)
    ],
)
def test_direction_of_travel_follows_polarity(polarity, before, after, direction):
    s = summarise(indicator(polarity), [obs("2023-24", before), obs("2024-25", after)], [])
    assert s.direction == direction
    assert s.latest == after and s.latest_period == "2024-25" and s.previous_period == "2023-24"


def test_a_contextual_indicator_is_never_called_better_or_worse():
    ind = indicator("contextual", unit="rate per 10,000", name="Referral rate")
    s = summarise(ind, [obs("2023-24", 541.8), obs("2024-25", 529.6)], [comp("england", "England", "2024-25", 519.4)])
    assert s.direction == "not_applicable" and s.movement == "down"
    assert s.comparisons[0].relation == "above"
    for word in ("better", "worse", "improving", "declining"):
        assert word not in s.sentence
    assert s.sentence == "Referral rate: 529.6 per 10,000 children in 2024-25, down from 541.8 per 10,000 children in 2023-24; above England (519.4)."
    assert s.direction_text == "Down"


def test_change_from_the_previous_period_of_the_same_kind():
    series = [obs("2024-25 Q1", 80.0), obs("2024-25 Q2", 82.0), obs("2025-26 Q1", 88.0), obs("2025-26 Q2", 90.5)]
    s = summarise(indicator(), series, [])
    assert (s.previous_period, s.change, s.change_text) == ("2025-26 Q1", 2.5, "up 2.5 points")


def test_no_previous_period():
    s = summarise(indicator(), [obs("2024-25", 85.0)], ENGLAND)
    assert s.previous is None and s.change is None and s.direction == "not_applicable"
    assert s.previous_text == "–" and s.change_text == "–"
    assert "no earlier value to compare" in s.sentence


def test_previous_period_falls_back_to_another_kind_when_there_is_none_of_the_same_kind():
    s = summarise(indicator(), [obs("2024-25", 85.0), obs("2025-26 Q1", 88.0)], [])
    assert s.previous_period == "2024-25" and s.direction == "improving"


def test_no_data_yet():
    s = summarise(indicator(), [], ENGLAND)
    assert not s.has_data and s.latest_text == "no data yet"
    assert s.sentence == "Assessments within 45 days: no data yet (England 85.7% in 2024-25)."
    assert s.england_text == "85.7% (2024-25)"  # the published figure is still shown
    assert s.rag == "none" and s.comparisons == []


# -- comparators ---------------------------------------------------------------------------------------------

def test_comparison_with_england_region_neighbours_and_target_in_words():
    comps = [*ENGLAND, comp("region", "London", "2024-25", 87.2), comp("statistical_neighbours", "statistical neighbours", "2024-25", 86.0)]
    s = summarise(indicator(target=90), [obs("2023-24", 88.3), obs("2024-25", 87.2)], comps)
    words = [c.words for c in s.comparisons]
    assert words == ["better than England (85.7%)", "in line with London (87.2%)", "better than statistical neighbours (86.0%)",
                     "worse than target (90.0%)"]
    assert (s.england_text, s.region_text, s.neighbours_text, s.target_text) == ("85.7%", "87.2%", "86.0%", "90.0%")
    assert s.sentence.endswith(
        "; better than England (85.7%), in line with London (87.2%), better than statistical neighbours (86.0%) and worse than target (90.0%)."
    )


def test_lower_is_better_comparison():
    s = summarise(indicator("lower is better", name="Re-referrals"), [obs("2024-25", 18.6)], [comp("england", "England", "2024-25", 22.6)])
    assert s.comparisons[0].words == "better than England (22.6%)"


def test_a_comparator_for_an_earlier_period_is_named_with_its_period():
    s = summarise(indicator(), [obs("2025-26 Q2", 90.8)], ENGLAND)
    assert s.comparisons[0].words == "better than England (85.7%, 2024-25)"
    assert s.england_text == "85.7% (2024-25)"


def test_a_stale_comparator_is_not_used():
    s = summarise(indicator(), [obs("2025-26", 90.0)], [comp("england", "England", "2022-23", 82.5)])
    assert s.comparisons == [] and s.england_text == "–"


def test_missing_comparators():
    s = summarise(indicator(), [obs("2024-25", 85.0)], [])
    assert s.comparisons == [] and s.england_text == s.region_text == s.neighbours_text == "–"


# -- RAG against target ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "polarity, target, tolerance, value, expected",
    [
        ("higher is better", 90, 5, 90, "green"),  # target met exactly
        ("higher is better", 90, 5, 92, "green"),
        ("higher is better", 90, 5, 85, "amber"),  # missed by exactly the tolerance
        ("higher is better", 90, 5, 84.9, "red"),
        ("higher is better", 90, None, 89.9, "red"),  # no tolerance: no amber
        ("lower is better", 18, 2, 18, "green"),
        ("lower is better", 18, 2, 19.5, "amber"),
        ("lower is better", 18, 2, 21, "red"),
        ("contextual", 18, 2, 21, "none"),
        ("higher is better", None, None, 50, "none"),
        ("higher is better", 0, None, 0, "green"),  # zero target, zero value
    ],
)
def test_rag_against_target_with_tolerance(polarity, target, tolerance, value, expected):
    assert rag(indicator(polarity, target=target, tolerance=tolerance), value) == expected


def test_target_met_exactly_reads_on_target():
    s = summarise(indicator(target=90), [obs("2024-25", 90.0)], [])
    assert s.rag == "green" and s.comparisons[-1].words == "on target (90.0%)" and s.rag_text == "Green"


# -- zero and equal values ------------------------------------------------------------------------------------

def test_zero_is_a_value_not_missing():
    ind = indicator("lower is better", name="Plans open 2+ years")
    s = summarise(ind, [obs("2023-24", 0.0), obs("2024-25", 0.0)], [comp("england", "England", "2024-25", 0.0)])
    assert s.has_data and s.latest_text == "0.0%" and s.direction == "stable" and s.change_text == "no change"
    assert s.comparisons[0].words == "in line with England (0.0%)"
    s = summarise(ind, [obs("2023-24", 0.0), obs("2024-25", 1.2)], [])
    assert s.direction == "declining" and s.change_text == "up 1.2 points"


# -- small-number suppression for public documents -----------------------------------------------------------------

def test_small_counts_are_suppressed_in_public_documents_only():
    ind = indicator("contextual", unit="count", name="Children placed at distance")
    series = [obs("2023-24", 7), obs("2024-25", 3)]
    internal = summarise(ind, series, [])
    assert internal.latest == 3 and not internal.suppressed
    public = summarise(ind, series, [], public=True)
    assert public.suppressed and public.latest is None and public.latest_text == "fewer than 5"
    assert public.change is None and public.change_text == "–"  # a change would give the number away
    assert "3" not in public.sentence and "fewer than 5" in public.sentence
    assert public.series == [("2023-24", 7), ("2024-25", None)]


def test_suppression_threshold_is_configurable_and_zero_is_shown():
    ind = indicator("contextual", unit="count")
    assert summarise(ind, [obs("2024-25", 7)], [], public=True, threshold=10).latest_text == "fewer than 10"
    assert summarise(ind, [obs("2024-25", 0)], [], public=True).latest_text == "0"
    assert summarise(ind, [obs("2024-25", 5)], [], public=True).latest_text == "5"


def test_a_percentage_built_on_a_small_numerator_is_suppressed():
    s = summarise(indicator(), [obs("2024-25", 75.0, numerator=3, denominator=4)], ENGLAND, public=True)
    assert s.suppressed and s.latest_text == "suppressed (small number)" and s.comparisons == [] and s.rag == "none"


def test_public_documents_leave_out_internal_indicators():
    data = PerformanceData(
        indicators=[indicator(id="A"), indicator(id="B", internal="yes")],
        observations=[obs("2024-25", 80, ident="A"), obs("2024-25", 70, ident="B")],
    )
    assert [s.id for s in analyse(data)] == ["A", "B"]
    assert [s.id for s in analyse(data, public=True)] == ["A"]


# -- formatting ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "unit, decimals, value, text",
    [("%", None, 22.6, "22.6%"), ("rate per 10,000", 1, 519.4, "519.4"), ("days", None, 426, "426 days"),
     ("count", None, 12345, "12,345"), ("ratio", 1, 15.24, "15.2"), ("%", 0, 0.4, "0%")],
)
def test_values_are_formatted_for_the_table(unit, decimals, value, text):
    assert format_value(value, indicator(unit=unit, decimals=decimals)) == text


def test_change_wording():
    ind = indicator(unit="days", decimals=0)
    assert format_change(-12, ind) == "down 12 days" and format_change(0.2, ind) == "no change"


def test_each_summary_keeps_its_framework_ref_and_judgement_area_for_the_evidence_tables():
    s = summarise(indicator(framework_refs="outcome 1; enabler 3"), [obs("2024-25", 85.0)], [])
    assert s.framework_refs == ["outcome 1", "enabler 3"] and s.judgement_area == "help_and_protection"


def test_the_baseline_is_the_earliest_value_for_success_measures():
    s = summarise(indicator(target=90), [obs("2023-24", 84.1), obs("2022-23", 80.0), obs("2024-25", 91.2)], [])
    assert s.baseline_text == "80.0% (2022-23)"
    assert summarise(indicator(), [], []).baseline_text == "–"
