"""Figures worked out by hand from DfE's raw CSVs, independently of selfeval's own code: the tests
compare what selfeval ships and prints against these."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

DFE = Path(__file__).resolve().parents[2] / "shared" / "data" / "dfe"
REREFERRALS = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"


def rows(name: str) -> list[dict[str, str]]:
    with open(DFE / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def value(name: str, column: str, *, year: str, level: str, code: str | None = None, region: str | None = None) -> str:
    """The one cell for this year and place, as text (a code such as 'c' stays text)."""
    found = [
        r[column] for r in rows(name)
        if r["time_period"] == year and r["geographic_level"] == level
        and (code is None or r["old_la_code"] == code) and (region is None or r["region_name"] == region)
    ]
    assert len(found) == 1, (name, year, level, code, region, found)
    return found[0]


def england_rereferrals(year: str = "2025") -> float:
    return float(value(REREFERRALS, "rereferral_percent", year=year, level="National"))


def region_rereferrals(region: str, year: str = "2025") -> float:
    return float(value(REREFERRALS, "rereferral_percent", year=year, level="Regional", region=region))


def council_rereferrals(code: str, year: str = "2025") -> str:
    return value(REREFERRALS, "rereferral_percent", year=year, level="Local authority", code=code)


def council_cin_rate(code: str, year: str = "2025") -> float:
    """Children in need at 31 March per 10,000 children 0-17 (ONS mid-year before the year ends)."""
    cin = float(value("b1_children_in_need_2013_to_2025.csv", "At31_episodes", year=year, level="Local authority", code=code))
    pop = float(value("ons_mid-year_population_estimates_2012_to_2024.csv", "population_estimate",
                      year=str(int(year) - 1), level="Local authority", code=code))
    return round(cin / pop * 10000, 1)


def neighbours(code: str) -> list[str]:
    row = next(r for r in rows("sn_model_2025_wide.csv") if r["old_la_code"] == code)
    return [row[f"SN_{i}"].strip() for i in range(1, 11)]


def sn_median_rereferrals(code: str, year: str = "2025") -> tuple[float, int]:
    numbers = []
    for n in neighbours(code):
        text = council_rereferrals(n, year)
        try:
            numbers.append(float(text))
        except ValueError:
            pass
    return statistics.median(numbers), len(numbers)
