"""`selfeval data councils | show | update`: a performance lead looks up the published figures."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import published_by_hand as hand
from conftest import run_cli

needs_dfe = pytest.mark.skipif(not hand.DFE.is_dir(), reason="shared DfE data absent (CI has it)")


def test_data_councils_lists_every_council_with_codes_region_and_neighbours() -> None:
    result = run_cli("data", "councils", "--json")
    assert result.code == 0, result.output
    councils = {c["name"]: c for c in json.loads(result.stdout)["councils"]}
    assert len(councils) == 153
    wigan = councils["Wigan"]
    assert (wigan["old_code"], wigan["new_code"], wigan["region"]) == ("359", "E08000010", "North West")
    assert len(wigan["statistical_neighbours"]) == 10 and "Sefton" in wigan["statistical_neighbours"]
    text = run_cli("data", "councils")
    assert text.code == 0 and "Wigan" in text.stdout and "North West" in text.stdout


@needs_dfe
def test_data_show_json_has_the_figures_worked_out_by_hand() -> None:
    result = run_cli("data", "show", "Wigan", "--indicator", "RE-REF", "--json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "Wigan" and data["region"] == "North West"
    assert data["statistical_neighbours"][:3] == ["Lancashire", "Lincolnshire", "Sefton"]
    (item,) = data["indicators"]
    assert (item["id"], item["name"], item["unit"]) == ("RE-REF", "Re-referrals within 12 months", "%")
    latest = lambda series: next(p for p in series if p["period"] == "2024-25")  # noqa: E731
    assert latest(item["council"])["value"] == float(hand.council_rereferrals("359"))
    assert latest(item["england"])["value"] == hand.england_rereferrals() == 22.6
    assert latest(item["region"])["value"] == hand.region_rereferrals("North West")
    median, count = hand.sn_median_rereferrals("359")
    sn = latest(item["statistical_neighbours_median"])
    assert (sn["value"], sn["neighbours_with_a_value"], sn["of"]) == (median, count, 10)
    assert any("Open Government Licence v3.0" in s for s in data["sources"])


@needs_dfe
def test_a_suppressed_figure_is_shown_as_suppressed_never_as_zero() -> None:
    result = run_cli("data", "show", "Wigan", "--indicator", "CPP-2YR-OPEN", "--json")
    point = next(p for p in json.loads(result.stdout)["indicators"][0]["council"] if p["period"] == "2024-25")
    assert point == {"period": "2024-25", "dfe_year": "2025", "value": None, "code": "c", "meaning": "suppressed (small number)"}
    text = run_cli("data", "show", "Wigan", "--indicator", "CPP-2YR-OPEN")
    line = next(line for line in text.stdout.splitlines() if line.strip().startswith("2024-25"))
    assert "suppressed (small number)" in line and " 0.0%" not in line.split("suppressed")[0]


def test_a_council_outside_london_never_shows_london() -> None:
    result = run_cli("data", "show", "Medway", "--json")
    data = json.loads(result.stdout)
    assert data["region"] == "South East"
    assert "London" not in result.stdout.replace("London Borough", "")


@pytest.mark.parametrize("spelling, code", [
    ("Kingston upon Hull, City of", "810"), ("Hull", "810"), ("Bradford Children and Families Trust", "380"),
    ("Telford & Wrekin", "894"), ("Durham", "840"), ("County Durham", "840"), ("E08000010", "359"), ("359", "359"),
])
def test_any_reasonable_spelling_finds_the_council(spelling: str, code: str) -> None:
    result = run_cli("data", "show", spelling, "--indicator", "CLA-RATE", "--json")
    assert result.code == 0, result.output
    assert json.loads(result.stdout)["old_code"] == code


def test_an_unknown_council_exits_2_with_the_nearest_names() -> None:
    result = run_cli("data", "show", "Seftn")
    assert result.code == 2
    assert "did you mean Sefton" in result.stderr and "Traceback" not in result.output


def test_an_unknown_indicator_exits_2_with_the_nearest_id() -> None:
    result = run_cli("data", "show", "Wigan", "--indicator", "REREF")
    assert result.code == 2 and "did you mean RE-REF" in result.stderr


def _newer_download(folder: Path) -> Path:
    """DfE's next edition of the referrals file: a 2026 year, and one 2024 value revised."""
    source = hand.DFE / hand.REREFERRALS
    with open(source, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for r in rows:
        if r["time_period"] == "2024" and r["old_la_code"] == "359":
            r["rereferral_percent"] = "25.0"
    extra = [dict(r, time_period="2026") for r in rows if r["time_period"] == "2025"]
    path = folder / "referrals_2013_to_2026.csv"  # users keep EES's own file names
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(extra + rows)
    return path


@needs_dfe
def test_data_update_reports_new_years_and_revised_values_and_uses_them(tmp_path: Path, monkeypatch) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    _newer_download(downloads)
    monkeypatch.setenv("SELFEVAL_DATA_DIR", str(tmp_path / "data"))
    result = run_cli("data", "update", str(downloads))
    assert result.code == 0, result.output
    assert "RE-REF: 2026 is new" in result.stdout and "REF-RATE: 2026 is new" in result.stdout
    assert "Wigan 2024: 24.4 -> 25.0" in result.stdout
    shown = json.loads(run_cli("data", "show", "Wigan", "--indicator", "RE-REF", "--json").stdout)
    council = {p["period"]: p["value"] for p in shown["indicators"][0]["council"]}
    assert council["2023-24"] == 25.0 and "2025-26" in council
    again = run_cli("data", "update", str(downloads))
    assert again.code == 0 and "nothing was stored" in again.stdout


def test_data_update_refuses_a_file_whose_columns_it_does_not_know(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SELFEVAL_DATA_DIR", str(tmp_path / "data"))
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "referrals.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,"
        "referral_count,rereferral_pct\n2026,Reporting year,National,E92000001,England,,,,,,1,2\n", encoding="utf-8")
    result = run_cli("data", "update", str(downloads))
    assert result.code == 2 and "Traceback" not in result.output
    assert "referrals.csv" in result.stderr and "rereferral_percent" in result.stderr
    assert not (tmp_path / "data").exists()
