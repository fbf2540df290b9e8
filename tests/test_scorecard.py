"""Bring your own scorecard: a council's existing performance workbook, read through a mapping made once.

Each layout councils use (built in tests/scorecard_fixtures.py, no real council's file) goes through
what a performance lead does: `selfeval workbook map FILE`, check the mapping, `selfeval validate`,
`selfeval generate`, and the self-evaluation read back holds the latest values, comparators and
the council's own RAG.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

import scorecard_fixtures as fx
from conftest import INPUTS, docx_text, run_cli
from docx_reading import open_docx, table_after_heading, table_rows


def _council(tmp_path: Path, builder, filename: str) -> Path:
    """A working folder: the example's findings and the council's scorecard in inputs/."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / "findings", inputs / "findings")
    builder(inputs / filename)
    return tmp_path


def _kpis(folder: Path) -> dict[str, list[str]]:
    sef = open_docx(folder / "outputs" / "self-evaluation.docx")
    rows = table_rows(table_after_heading(sef, "5. Performance overview"))
    return {r[0]: r for r in rows[1:]}


def _map_validate_generate(folder: Path, filename: str) -> tuple[str, str]:
    mapped = run_cli("workbook", "map", f"inputs/{filename}", cwd=folder)
    assert mapped.code == 0, mapped.output
    assert (folder / "inputs" / (Path(filename).stem + ".mapping.yaml")).is_file()
    validated = run_cli("validate", cwd=folder)
    assert validated.code == 0, validated.output
    generated = run_cli("generate", cwd=folder)
    assert generated.code == 0, generated.output
    return mapped.output, validated.output


NAMES = {row[0]: row[1] for row in fx.WIDE_ROWS if row[0] != "band"}


# -- wide ------------------------------------------------------------------------------------------

def test_a_wide_scorecard_is_refused_with_the_command_to_map_it_then_mapped_validated_and_generated(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    before = run_cli("validate", cwd=folder)
    assert "inputs/scorecard.xlsx is not read: it has no mapping" in before.output
    assert "selfeval workbook map inputs/scorecard.xlsx" in before.output

    mapped, validated = _map_validate_generate(folder, "scorecard.xlsx")
    # What it understood, as a table: heading row, id/name, comparators with their period, bands, markers.
    for seen in ("heading row", "Scorecard!row 4", "'PI Ref'", "'Indicator'", "'England <period>': E 2024-25",
                 "'Stat Neighbours <period>': F 2024-25", "'Target <period>': D 2025-26", "2022-23 to 2025-26 Q2",
                 "'Help and protection' -> help_and_protection", "'Care leavers' -> care_leavers", "'c' (suppressed)",
                 "the council's RAG", "Scorecard!M 'Comment'", "free text", "Scorecard!N 'Lead officer'"):
        assert seen in mapped, seen
    assert "RE-REF" in mapped and "CL-ACCOM" in mapped and "SW-CASELOAD" in mapped
    assert "OK: 7 findings files, 64 areas for improvement, 8 indicators in scorecard.xlsx" in validated
    # Percentages stored as fractions are read as percentages, and said so once.
    assert "read as fractions" in validated
    # The council's RAG disagrees with the target for CIC02 (85% against 90%, no tolerance): validate says so.
    assert "CIC02 is rated Amber in the scorecard, but against its target (90.0%) the latest value 85.0% (2025-26 Q2) would be Red" in validated

    kpis = _kpis(folder)
    for ident, want in fx.WIDE_EXPECT.items():
        row = kpis[NAMES[ident]]
        assert row[1].split("\nDfE ")[0] == f"{want['latest']}\n{want['period']}", ident
        assert row[4].startswith(want["england"]), (ident, row)
        assert row[-1] == want["rag"], ident
    # The council's own RAG is shown even where selfeval would compute another.
    assert kpis[NAMES["CIC02"]][-1] == "Amber"


def test_suppressed_and_unavailable_values_are_shown_as_such_never_as_zero(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    _map_validate_generate(folder, "scorecard.xlsx")
    kpis = _kpis(folder)
    placements = kpis[NAMES["CIC01"]]
    # 'c' in Q1; '-' (not available) in Q2 is not yet a period. The measure matched the catalogue, so the
    # council's own DfE figure follows on its own line.
    assert placements[1].split("\nDfE ")[0] == "suppressed\n2025-26 Q1"
    assert placements[2] == "9.5% (2024-25)"  # the latest real value, with its period, as the council wrote it
    assert placements[3] == "–"  # no trend from a suppressed value
    assert "0%" not in placements[1].split("\nDfE ")[0]


def test_a_measure_that_matches_nothing_is_listed_to_complete_and_shown_with_a_note(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    mapped, validated = _map_validate_generate(folder, "scorecard.xlsx")
    assert "to complete: 1 measure(s) need a unit and/or polarity (HP04)" in mapped
    text = (folder / "inputs" / "scorecard.mapping.yaml").read_text()
    block = text[text.index("name: Family group conferences held"):].split("  - sheet:")[0]
    assert "unit: TO COMPLETE" in block and "polarity: TO COMPLETE" in block
    assert "HP04 (unit and polarity)" in validated
    text = docx_text(folder / "outputs" / "self-evaluation.docx")
    assert "[To complete: the unit and polarity of this measure in the scorecard's mapping file] Family group conferences held" in text


# -- corrections survive, new periods and rows are picked up ------------------------------------------

def test_running_map_again_keeps_the_persons_corrections(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    assert run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder).code == 0
    mapping = folder / "inputs" / "scorecard.mapping.yaml"
    text = mapping.read_text()
    block_start = text.index("name: Family group conferences held")
    corrected = text[:block_start] + text[block_start:].replace("unit: TO COMPLETE", "unit: count  # we count them monthly", 1).replace(
        "polarity: TO COMPLETE", "polarity: higher is better", 1)
    corrected = corrected.replace("id: HP02\n", "id: ASSESS-45\n", 1).replace("percentages: auto", "percentages: fractions", 1)
    corrected += "# our own note at the end\n"
    mapping.write_text(corrected)

    again = run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder)
    assert again.code == 0, again.output
    assert "is up to date" in again.output
    assert mapping.read_text() == corrected  # byte for byte, comments included

    # A new measure next month: appended at the end; the corrections stay exactly as they were.
    fx.WIDE_ROWS.insert(5, ("HP05", "Social worker vacancy rate", "Low", 0.1, None, None, 0.2, 0.18, 0.15, 0.14, 0.12, "A"))
    try:
        fx.wide_scorecard(folder / "inputs" / "scorecard.xlsx")
    finally:
        del fx.WIDE_ROWS[5]
    third = run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder)
    assert third.code == 0, third.output
    after = mapping.read_text()
    assert after.startswith(corrected)
    assert "name: Social worker vacancy rate" in after[len(corrected):]
    assert "matches: SW-VACANCY" in after[len(corrected):]


def test_validate_and_generate_pick_up_new_period_columns_and_rows_without_any_change(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    assert run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder).code == 0
    mapping_before = (folder / "inputs" / "scorecard.mapping.yaml").read_text()
    # Next quarter's file: a Q3 2025-26 column after Q2, and a title row more above the table.
    fx.wide_scorecard(folder / "inputs" / "scorecard.xlsx", next_quarter={"HP01": 0.198}, title_rows=1)
    validated = run_cli("validate", cwd=folder)
    assert validated.code == 0, validated.output
    assert run_cli("generate", cwd=folder).code == 0
    assert _kpis(folder)[NAMES["HP01"]][1].split("\nDfE ")[0] == "19.8%\n2025-26 Q3"
    assert (folder / "inputs" / "scorecard.mapping.yaml").read_text() == mapping_before


def test_a_value_that_does_not_parse_names_the_file_sheet_and_cell(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    assert run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder).code == 0
    wb = openpyxl.load_workbook(folder / "inputs" / "scorecard.xlsx")
    wb["Scorecard"]["K6"] = "awaiting sign-off"
    wb.save(folder / "inputs" / "scorecard.xlsx")
    result = run_cli("validate", cwd=folder)
    assert result.code == 2
    assert "inputs/scorecard.xlsx!Scorecard!K6: 'awaiting sign-off' is not a number" in result.output
    assert "add it to 'values: suppressed' or 'not_available' in scorecard.mapping.yaml" in result.output
    assert "Traceback" not in result.output


def test_a_mapping_that_no_longer_fits_names_the_heading_it_expected(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "scorecard.xlsx")
    assert run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder).code == 0
    wb = openpyxl.load_workbook(folder / "inputs" / "scorecard.xlsx")
    wb["Scorecard"]["B4"] = "Performance measure"
    wb.save(folder / "inputs" / "scorecard.xlsx")
    result = run_cli("validate", cwd=folder)
    assert result.code == 2
    assert "expects a column headed 'Indicator' (the measure name)" in result.output
    assert "'Performance measure'" in result.output
    assert "change 'columns: name:' in the mapping" in result.output


# -- monthly dashboard -----------------------------------------------------------------------------

def test_a_monthly_dashboard_with_a_sheet_per_service_area(tmp_path):
    folder = _council(tmp_path, fx.monthly_dashboard, "dashboard.xlsx")
    mapped, validated = _map_validate_generate(folder, "dashboard.xlsx")
    for seen in ("Front Door!row 3", "'Good is'", "Apr 2025 to Sep 2025", "numerator / denominator rows", "Read me",
                 "Front Door!J 'DoT'", "selfeval works out the direction of travel", "'*' (suppressed)"):
        assert seen in mapped, seen
    assert "6 indicators in dashboard.xlsx" in validated
    kpis = _kpis(folder)
    names = {m[0]: m for measures in fx.MONTHLY.values() for m in measures}
    by_id = {"RE-REF": "% re-referrals within 12 months", "ICPC-15": "% ICPCs held within 15 working days",
             "CPP-REPEAT": "Repeat child protection plans"}
    for ident, want in fx.MONTHLY_EXPECT.items():
        row = kpis[by_id[ident]]
        assert row[1].split("\nDfE ")[0] == f"{want['latest']}\n{want['period']}", ident
        assert row[-1] == want["rag"], ident
    # Published England figures come with a matched measure (the dashboard has none).
    assert kpis[by_id["RE-REF"]][4] == "22.6% (2024-25)"
    assert names  # the fixture's measures


def test_numerator_and_denominator_rows_are_read_with_their_measure(tmp_path):
    from selfeval.load.scorecard.read import load_scorecard

    folder = _council(tmp_path, fx.monthly_dashboard, "dashboard.xlsx")
    assert run_cli("workbook", "map", "inputs/dashboard.xlsx", cwd=folder).code == 0
    data = load_scorecard(folder / "inputs" / "dashboard.xlsx")
    sep = [o for o in data.observations_for("RE-REF") if o.period.label == "Sep 2025"][0]
    assert (sep.value, sep.numerator, sep.denominator) == (18.9, 37, 196)
    repeat = {o.period.label: o for o in data.observations_for("CPP-REPEAT")}
    assert repeat["Jun 2025"].value is None and repeat["Jun 2025"].status == "suppressed"


# -- long exports ------------------------------------------------------------------------------------

@pytest.mark.parametrize("builder,filename", [
    (fx.long_export_xlsx, "export.xlsx"),
    (fx.long_export_csv, "export.csv"),
    (lambda p: fx.long_export_csv(p, bom=False), "export-nobom.csv"),
])
def test_a_long_bi_export(tmp_path, builder, filename):
    folder = _council(tmp_path, builder, filename)
    mapped, validated = _map_validate_generate(folder, filename)
    assert "long: one row per measure and period" in mapped
    assert "'Statistical Neighbour Average'" in mapped
    assert f"3 indicators in {filename}" in validated
    kpis = _kpis(folder)
    rows = {"RE-REF": "Re-referrals within 12 months", "CL-ACCOM": "Care leavers aged 19-21 in suitable accommodation",
            "SW-CASELOAD": "Average caseload (FTE)"}
    for ident, want in fx.LONG_EXPECT.items():
        row = kpis[rows[ident]]
        assert row[1].split("\nDfE ")[0] == f"{want['latest']}\n{want['period']}", (ident, row)
        if "england" in want:
            assert row[4].startswith(want["england"]), (ident, row)
    # "Smaller is better": lower re-referrals are an improvement.
    assert "improving" in kpis[rows["RE-REF"]][3]
    assert kpis[rows["RE-REF"]][6].startswith("19.4%")  # the region column


# -- two heading rows -----------------------------------------------------------------------------------

def test_two_heading_rows_years_above_quarters(tmp_path):
    folder = _council(tmp_path, fx.two_heading_rows, "quarterly.xlsx")
    mapped, validated = _map_validate_generate(folder, "quarterly.xlsx")
    assert "Quarterly!row 4 (years on row 3)" in mapped
    assert "2024-25 Q1 to 2025-26 Q2" in mapped
    kpis = _kpis(folder)
    names = {"Q-01": "Re-referrals within 12 months", "Q-03": "Social worker vacancy rate"}
    for ident, want in fx.TWO_ROW_EXPECT.items():
        row = kpis[names[ident]]
        assert row[1].split("\nDfE ")[0] == f"{want['latest']}\n{want['period']}", ident
        assert row[-1] == want["rag"], ident


# -- selfeval's own format -------------------------------------------------------------------------------

def test_selfevals_own_workbook_needs_no_mapping(tmp_path):
    own = tmp_path / "performance.xlsx"
    shutil.copy(INPUTS / "performance.xlsx", own)
    result = run_cli("workbook", "map", str(own), cwd=tmp_path)
    assert result.code == 0, result.output
    assert "is in selfeval's own format" in result.output and "needs no mapping" in result.output
    assert not (tmp_path / "performance.mapping.yaml").exists()


def test_a_scorecard_saved_as_performance_xlsx_is_told_to_map_it(tmp_path):
    folder = _council(tmp_path, fx.wide_scorecard, "performance.xlsx")
    result = run_cli("validate", cwd=folder)
    assert result.code == 2
    assert "has no 'Indicators' sheet" in result.output
    assert "run 'selfeval workbook map inputs/performance.xlsx'" in result.output
    mapped, validated = _map_validate_generate(folder, "performance.xlsx")
    assert "8 indicators in performance.xlsx" in validated


# -- bad files --------------------------------------------------------------------------------------------

def test_a_csv_that_is_not_utf8_is_refused_with_how_to_save_it(tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_bytes("Measure Name,Reporting Period,Value\nCare leavers \u2013 EET,2024-25,50\n".encode("cp1252"))
    result = run_cli("workbook", "map", str(bad), cwd=tmp_path)
    assert result.code == 2
    assert "not UTF-8" in result.output and "CSV UTF-8" in result.output
    assert "Traceback" not in result.output


def test_a_file_that_is_no_scorecard_says_what_was_looked_for(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Team rota"
    wb.active["A2"] = "Monday"
    wb.save(tmp_path / "rota.xlsx")
    result = run_cli("workbook", "map", "rota.xlsx", cwd=tmp_path)
    assert result.code == 2
    assert "no sheet looks like a scorecard" in result.output
    assert not (tmp_path / "rota.mapping.yaml").exists()


def test_a_scorecard_with_personal_data_headings_is_refused(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Child name,Measure Name,Reporting Period,Value\nx,Contacts,2024-25,5\n", encoding="utf-8")
    result = run_cli("workbook", "map", "export.csv", cwd=tmp_path)
    assert result.code == 2
    assert "export.csv!A1" in result.output and "personal data" in result.output


def test_short_financial_years_and_other_councils_headings_are_understood():
    from selfeval.load.scorecard.vocabulary import role_of, split_period

    assert split_period("National 24/25")[:2] == ("england", "National")
    assert split_period("National 24/25")[2].label == "2024-25"
    assert split_period("Comparator LAs 24/25")[0] == "statistical_neighbours"
    assert split_period("Target (25/26)")[2].label == "2025-26"
    assert role_of("Measure description") == "name" and role_of("Ref No.") == "id" and role_of("Better if") == "polarity"


def test_an_incomplete_measure_gets_no_rag_or_comparison_until_the_mapping_says():
    from selfeval.analyse.indicators import summarise
    from selfeval.models.performance import Indicator, Observation, Period

    ind = Indicator(id="X1", name="Up to date health assessments", unit="ratio", polarity="contextual", target=0.9, incomplete="unit")
    obs = [Observation(indicator_id="X1", period=Period.parse("2024-25"), value=0.8)]
    s = summarise(ind, obs, [])
    assert s.computed_rag == "none" and s.comparisons == []
    assert s.sentence.startswith("[To complete: the unit of this measure")


def test_the_init_template_is_superseded_by_a_mapped_scorecard(tmp_path):
    assert run_cli("init", str(tmp_path / "c")).code == 0
    folder = tmp_path / "c"
    shutil.copytree(INPUTS / "findings", folder / "inputs" / "findings", dirs_exist_ok=True)
    fx.wide_scorecard(folder / "inputs" / "scorecard.xlsx")
    assert run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder).code == 0
    result = run_cli("validate", cwd=folder)
    assert result.code == 0, result.output
    assert "8 indicators in scorecard.xlsx" in result.output
    assert "inputs/performance.xlsx holds no values of yours" in result.output


def test_a_council_folder_with_its_dfe_workbook_and_its_own_scorecard_names_both_files(tmp_path):
    """'init --council' fills performance.xlsx with DfE's figures, so it is read beside the scorecard."""
    folder = tmp_path / "c"
    assert run_cli("init", str(folder), "--council", "Wigan").code == 0
    fx.wide_scorecard(folder / "inputs" / "scorecard.xlsx")
    assert run_cli("workbook", "map", "inputs/scorecard.xlsx", cwd=folder).code == 0
    result = run_cli("validate", cwd=folder)
    assert result.code == 0, result.output
    assert "indicators in performance.xlsx and scorecard.xlsx" in result.output


@pytest.mark.parametrize("band, area", [
    ("Children we care for", "children_in_care"),
    ("Placements and corporate parenting", "children_in_care"),
    ("Protection", "help_and_protection"),
    ("Contacts and referrals", "help_and_protection"),
    ("Children in need", "help_and_protection"),
    ("Care leavers we support", "care_leavers"),
])
def test_section_bands_in_the_words_councils_use_are_filed_under_their_judgement_area(band, area):
    from selfeval.load.scorecard.vocabulary import area_of

    assert area_of(band) == area
