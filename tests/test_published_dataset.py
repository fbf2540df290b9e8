"""The DfE published statistics shipped in the package: rebuilt from the raw CSVs, checked by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import published_by_hand as hand
from selfeval.analyse.benchmarks import council_figures, rank, sn_median
from selfeval.councils import resolve_council
from selfeval.published.store import area, code_meaning, shipped_store_dir

ROOT = Path(__file__).resolve().parents[1]
needs_dfe = pytest.mark.skipif(not hand.DFE.is_dir(), reason="shared DfE data absent (CI has it)")

WIGAN = "359"


@needs_dfe
def test_the_shipped_store_rebuilds_byte_for_byte_from_the_dfe_downloads() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_published.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, "run python tools/build_published.py:\n" + result.stdout + result.stderr


@needs_dfe
def test_england_re_referrals_2024_25_is_dfes_figure() -> None:
    england = area("england")
    assert england is not None
    assert england.value("RE-REF", "2025") == hand.england_rereferrals("2025") == 22.6


@needs_dfe
def test_a_councils_rate_per_10000_uses_the_ons_children_0_to_17() -> None:
    wigan = area("la-" + WIGAN)
    assert wigan is not None
    assert wigan.value("CIN-RATE", "2025") == hand.council_cin_rate(WIGAN, "2025")


@needs_dfe
def test_wigans_comparators_are_the_north_west_and_the_median_of_its_ten_neighbours() -> None:
    figures = council_figures(resolve_council("Wigan"), ["RE-REF"])
    latest = figures.indicator("RE-REF").latest
    assert figures.region == "North West"
    assert latest.period == "2024-25"
    assert latest.council == float(hand.council_rereferrals(WIGAN))
    assert latest.england == hand.england_rereferrals()
    assert latest.region == hand.region_rereferrals("North West")
    median, count = hand.sn_median_rereferrals(WIGAN)
    assert (latest.sn_median, latest.sn_count, latest.sn_of) == (median, count, 10)
    assert [n.old_code for n in figures.neighbours] == hand.neighbours(WIGAN)


@needs_dfe
def test_suppressed_values_stay_codes_never_zero() -> None:
    wigan = area("la-" + WIGAN)
    assert wigan is not None
    raw = hand.value("d5_cpps_at31march_by_duration_2013_to_2025.csv", "2_years_or_more_percent", year="2025", level="Local authority", code=WIGAN)
    assert raw == "c"
    assert wigan.value("CPP-2YR-OPEN", "2025") == "c"
    assert code_meaning("c") == "suppressed (small number)"


def test_the_sn_median_leaves_out_neighbours_without_a_number_and_counts_the_rest() -> None:
    assert sn_median([10, 20, "c", None, 30, "z"]) == (20, 3)
    assert sn_median([1, 2, 3, 4]) == (2.5, 4)
    assert sn_median(["c", None]) == (None, 0)


def test_rank_is_one_for_the_best_and_ties_share() -> None:
    assert rank(10, [12, 8, 10], "lower is better") == (2, 4)
    assert rank(10, [12, 8, 10], "higher is better") == (2, 4)
    assert rank(12, [12, 8, "c"], "higher is better") == (1, 3)
    assert rank("c", [12, 8], "lower is better") == (None, 2)


def test_no_series_is_joined_across_a_reorganisation() -> None:
    cumberland = council_figures(resolve_council("Cumberland"), ["RE-REF"])
    cumbria = council_figures(resolve_council("Cumbria"), ["RE-REF"])
    own = {y.year for y in cumberland.indicator("RE-REF").years if isinstance(y.council, (int, float))}
    old = {y.year for y in cumbria.indicator("RE-REF").years if isinstance(y.council, (int, float))}
    assert own and old and not own & old  # Cumbria's years are not Cumberland's
    assert min(own) > max(old)
    assert any("Cumbria" in note and "not joined" in note for note in cumberland.notes)
    north = council_figures(resolve_council("North Northamptonshire"), ["CLA-RATE"])
    assert any("Northamptonshire" in note for note in north.notes)
    assert all(y.council in (None, "z") for y in north.indicator("CLA-RATE").years if y.year <= "2021")


def test_a_joint_workforce_return_is_labelled_as_joint() -> None:
    kingston = council_figures(resolve_council("Kingston upon Thames"), ["SW-AGENCY"])
    item = kingston.indicator("SW-AGENCY")
    assert item.note and "joint" in item.note and "Richmond upon Thames" in item.note


def test_every_current_council_has_figures_and_the_store_is_small() -> None:
    from selfeval.councils import all_councils

    missing = [c.name for c in all_councils() if area("la-" + c.old_code) is None]
    assert missing == []
    size = sum(p.stat().st_size for p in shipped_store_dir().glob("*.json"))
    assert size < 3_000_000
