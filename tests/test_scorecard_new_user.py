"""A Leeds performance lead sets up a folder with 'selfeval init --council Leeds', then adds the
council's own dashboard (percentages typed as fractions and shown through the cell format '0.0%').

What they need: the draft shows the council's own figures as the dashboard shows them (9.7%, not
DfE's whole-number 10%), so the trend is the one the council sees; a measure whose name says
'(number)' is a count, one whose cells are all formatted as percentages is a percentage; and when
the dashboard and init's pre-filled workbook hold the same measures, one message says what to do.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import scorecard_fixtures as fx
from conftest import INPUTS, run_cli
from docx_reading import open_docx, table_after_heading, table_rows

PLACEMENTS = "Children in care with 3 or more placements"


@pytest.fixture(scope="module")
def leeds(tmp_path_factory) -> dict[str, object]:
    """init --council Leeds, the findings, the dashboard mapped; then validate as the lead first runs it."""
    folder = tmp_path_factory.mktemp("leeds") / "leeds"
    made = run_cli("init", str(folder), "--council", "Leeds")
    assert made.code == 0, made.output
    shutil.copytree(INPUTS / "findings", folder / "inputs" / "findings", dirs_exist_ok=True)
    fx.percent_dashboard(folder / "inputs" / "dashboard.xlsx")
    mapped = run_cli("workbook", "map", "inputs/dashboard.xlsx", cwd=folder)
    assert mapped.code == 0, mapped.output
    first_validate = run_cli("validate", cwd=folder)
    return {"folder": folder, "mapped": mapped.output, "mapping": (folder / "inputs" / "dashboard.mapping.yaml").read_text(),
            "first_validate": first_validate}


def _block(mapping: str, name: str) -> str:
    return mapping[mapping.index(f"name: {name}"):].split("  - sheet:")[0]


def test_a_measure_whose_name_says_number_is_mapped_as_a_count(leeds):
    block = _block(leeds["mapping"], "Family group conferences held (number)")
    assert 'unit: count  # from the measure\'s name: check' in block


def test_a_measure_whose_cells_are_all_formatted_as_percentages_is_mapped_as_a_percentage(leeds):
    block = _block(leeds["mapping"], "Care leavers in touch with the local authority")
    assert 'unit: "%"  # from the cells\' number format: check' in block
    # One value cell not formatted as a percentage: selfeval does not guess, the lead completes it.
    assert "unit: TO COMPLETE" in _block(leeds["mapping"], "Visits to children in care on time")


def test_the_clash_with_inits_prefilled_workbook_is_said_once_with_what_to_do(leeds):
    result = leeds["first_validate"]
    assert result.code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    message = errors[0]
    assert message.startswith("error: inputs/performance.xlsx: your own scorecard dashboard.xlsx and this workbook, which "
                              "'selfeval init' pre-filled with your council's published figures, both hold 3 measure(s): ")
    # Listed in the council's own words, with the ids.
    assert "RE-REF (Re-referrals within 12 months)" in message and f"STAB-SHORT ({PLACEMENTS})" in message
    assert "If dashboard.xlsx replaces this workbook, move performance.xlsx out of the inputs folder" in message
    assert "other measure(s) with figures then leave the documents" in message
    assert "To keep both, give each of these measures another id in dashboard.mapping.yaml (its 'id:' line)" in message
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def drafted(leeds) -> Path:
    """The lead follows the message: performance.xlsx moved out, then validate and generate."""
    folder: Path = leeds["folder"]  # type: ignore[assignment]
    (folder / "inputs" / "performance.xlsx").rename(folder / "performance.xlsx")
    validated = run_cli("validate", cwd=folder)
    assert validated.code == 0, validated.output
    generated = run_cli("generate", cwd=folder)
    assert generated.code == 0, generated.output
    return folder


def _kpis(folder: Path) -> dict[str, list[str]]:
    rows = table_rows(table_after_heading(open_docx(folder / "outputs" / "self-evaluation.docx"), "5. Performance overview"))
    return {r[0].strip(): r for r in rows[1:]}


def test_the_councils_own_figures_are_shown_as_its_dashboard_shows_them_and_the_trend_follows(drafted):
    row = _kpis(drafted)[PLACEMENTS]
    latest, period, published = row[1].split("\n")
    assert (latest, period) == ("9.7%", "2025-26 Q2")  # DfE publishes whole numbers (10%); the council's figure is 9.7%
    assert row[2] == "9.9% (2025-26 Q1)"
    assert row[3] == "↓ improving"  # not 'stable', as 10% -> 10% would have said
    # DfE's own figure for Leeds is printed as DfE publishes it.
    assert re.fullmatch(r"DfE \d{4}-\d{2}: \d+%", published), published
    # A measure the catalogue shows with one decimal keeps it.
    assert _kpis(drafted)["Re-referrals within 12 months"][1].startswith("19.7%\n")
    # Comparators: the dashboard's own England and neighbours' figures with its decimals; DfE's
    # published regional figure as DfE publishes it (a whole number, not '11.0%').
    england, neighbours, region = row[4], row[5], row[6]
    assert england.startswith("10.0%") and neighbours.startswith("10.5%"), (england, neighbours)
    assert re.fullmatch(r"\d+% \(\d{4}-\d{2}\)", region), region


# -- the rule, on its own ----------------------------------------------------------------------------

@pytest.mark.parametrize("values, cap, places", [
    ([9.9, 9.7], 1, 1),
    ([0.097 * 100, 0.099 * 100], 1, 1),  # float noise (9.700000000000001) is not a decimal the council typed
    ([29 / 3], 1, 1),  # 9.6666667 is capped: never 9.667%
    ([45.27, 44.0], 2, 2),
    ([48.0, 52.0], 2, 0),
    ([], 1, 0),
])
def test_decimals_are_as_many_as_the_values_carry_up_to_a_sensible_cap(values, cap, places):
    from selfeval.load.scorecard.measures import places_carried

    assert places_carried(values, cap) == places


def test_decimals_set_in_the_mapping_win(tmp_path):
    from selfeval.load.scorecard.read import load_scorecard

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    fx.percent_dashboard(inputs / "dashboard.xlsx")
    assert run_cli("workbook", "map", "inputs/dashboard.xlsx", cwd=tmp_path).code == 0
    mapping = inputs / "dashboard.mapping.yaml"
    text = mapping.read_text()
    at = text.index(f"name: {PLACEMENTS}")
    mapping.write_text(text[:at] + text[at:].replace("    id: STAB-SHORT\n", "    id: STAB-SHORT\n    decimals: 0\n", 1))
    data = load_scorecard(inputs / "dashboard.xlsx")
    decimals = {i.id: i.decimals for i in data.indicators}
    assert decimals["STAB-SHORT"] == 0  # the mapping says so
    assert decimals["RE-REF"] == 1  # the catalogue's, which the values do not exceed
    assert decimals["FAMILY-GROUP-CONFERENCES"] is None  # whole numbers: a count's usual 0


@pytest.mark.parametrize("name", ["Family group conferences held (number)", "Contacts (no.)", "Referrals (No)", "Referrals (count)",
                                  "Missing episodes (total)", "Visits (#)"])
def test_a_name_that_says_it_counts_gives_the_unit_count(name):
    from selfeval.load.scorecard.catalogue import unit_from_name

    assert unit_from_name(name) == "count"


def test_inits_workbook_is_told_apart_from_one_the_council_made(tmp_path):
    import openpyxl

    from selfeval.load.scorecard.inputs import made_by_init

    assert run_cli("init", str(tmp_path / "c"), "--council", "Leeds").code == 0
    assert made_by_init(tmp_path / "c" / "inputs" / "performance.xlsx")
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "own.xlsx")
    assert not made_by_init(tmp_path / "own.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert not made_by_init(tmp_path / "broken.xlsx")
