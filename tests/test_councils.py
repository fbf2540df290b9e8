"""A council named any way its own staff, Ofsted, ONS or DfE would write it is the same council."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from selfeval.councils import UnknownCouncil, all_councils, by_code, councils_in_text, neighbours_of, resolve_council

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize(
    "spelling, name",
    [
        ("Kingston upon Hull", "Kingston upon Hull"),
        ("Hull", "Kingston upon Hull"),
        ("Kingston upon Hull, City of", "Kingston upon Hull"),
        ("Herefordshire", "Herefordshire"),
        ("Herefordshire, County of", "Herefordshire"),
        ("Bradford Children and Families Trust", "Bradford"),
        ("Telford & Wrekin", "Telford and Wrekin"),
        ("Bournemouth, Christchurch and Poole", "Bournemouth, Christchurch and Poole"),
        ("Durham", "Durham"),
        ("County Durham", "Durham"),
        ("Medway Children's Services", "Medway"),
        ("London Borough of Lambeth", "Lambeth"),
        ("Wigan Metropolitan Borough Council", "Wigan"),
        ("St. Helens", "St Helens"),
        ("810", "Kingston upon Hull"),
        ("E08000010", "Wigan"),
    ],
)
def test_every_reasonable_spelling_resolves(spelling: str, name: str) -> None:
    assert resolve_council(spelling).name == name


def test_there_are_153_councils_with_children_services_today() -> None:
    councils = all_councils()
    assert len(councils) == 153
    assert len({c.old_code for c in councils}) == 153
    assert all(len(c.statistical_neighbours) == 10 for c in councils if c.name != "Isles of Scilly" or c.statistical_neighbours)


def test_a_misspelt_name_says_what_was_meant() -> None:
    with pytest.raises(UnknownCouncil) as caught:
        resolve_council("Sefotn")
    assert "did you mean Sefton?" in caught.value.message


def test_a_trust_serving_two_councils_asks_which() -> None:
    with pytest.raises(UnknownCouncil) as caught:
        resolve_council("Achieving for Children")
    assert caught.value.ambiguous
    assert set(caught.value.suggestions) == {"Kingston upon Thames", "Richmond upon Thames"}


def test_reorganised_councils_are_kept_apart_from_their_successors() -> None:
    cumbria = resolve_council("Cumbria")
    assert not cumbria.current and cumbria.abolished_in == 2023
    successors = {by_code(code).name for code in cumbria.predecessor_of}
    assert successors == {"Cumberland", "Westmorland and Furness"}
    assert "909" in resolve_council("Cumberland").successor_of
    assert resolve_council("Dorset").current  # today's Dorset, not the old county council
    assert cumbria not in all_councils()


def test_councils_are_read_out_of_report_titles() -> None:
    assert [c.name for c in councils_in_text("Inspection of Bradford Children and Families Trust")] == ["Bradford"]
    assert [c.name for c in councils_in_text("Inspection of Derbyshire County Council children's services")] == ["Derbyshire"]
    assert [c.name for c in councils_in_text("Bournemouth, Christchurch and Poole Council")] == ["Bournemouth, Christchurch and Poole"]
    assert councils_in_text("Inspection of the local authority") == []


def test_statistical_neighbours_follow_dfe_2025_model_closest_first() -> None:
    wigan = resolve_council("Wigan")
    assert wigan.region == "North West"
    assert [c.name for c in neighbours_of(wigan)][:2] == ["Lancashire", "Lincolnshire"]


@pytest.mark.skipif(not (SHARED / "data" / "dfe").is_dir(), reason="shared DfE data absent (CI has it)")
def test_the_shipped_catalogue_rebuilds_from_the_shared_lookups() -> None:
    spec = importlib.util.spec_from_file_location("build_councils", ROOT / "tools" / "build_councils.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = (ROOT / "src" / "selfeval" / "data" / "councils.json").read_text(encoding="utf-8")
    assert module.render(module.build(SHARED)) == shipped
