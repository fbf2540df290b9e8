"""The improvement plan and board summary, and the tracker round trip a council lives with for months."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from conftest import INPUTS, docx_text, run_cli
from docx_reading import cell_fill, open_docx, table_after_heading, table_rows

# Lambeth printed "outcome 3" (December 2023 numbering); a plan drafted after 2 March 2026 numbers
# the safety outcome 2 (data/framework_editions.yaml).
SAFE_IN_FORCE = "Outcome 2: Children and young people are safe in and outside of their homes"
PLAN_HEADERS = ["Ref", "Actions", "Lead officer", "Timescale", "Success measures", "Progress", "RAG"]
# An area's row: [id, area text + source line (merged over Actions to Timescale), .., .., indicator
# measures (merged over Success measures and Progress), .., RAG]; then one row per action:
ID, ACTION, LEAD, DUE, MEASURE, PROGRESS, RAG = range(7)


@pytest.fixture(scope="module")
def plan(example_outputs):
    return open_docx(example_outputs / "improvement-plan.docx")


def _plan_table(doc):
    return table_after_heading(doc, "Areas for improvement and actions")


def _plan_areas(doc) -> dict[str, dict]:
    """Area id -> {"area": the area's row, "actions": its action rows}, in the plan's order."""
    areas: dict[str, dict] = {}
    for r in table_rows(_plan_table(doc))[1:]:
        if r[ACTION] == r[LEAD] == r[DUE] and r[MEASURE] == r[PROGRESS]:  # the merged cells of an area's row
            areas[r[ID]] = {"area": r, "actions": []}
        else:
            areas[list(areas)[-1]]["actions"].append(r)
    return areas


def _column(area: dict, column: int) -> str:
    return "\n".join(a[column] for a in area["actions"])


def test_plan_is_landscape_with_one_row_per_area_latest_first(plan):
    assert plan.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert table_rows(_plan_table(plan))[0] == PLAN_HEADERS
    assert list(_plan_areas(plan)) == [
        "LAM-2026-01", "LAM-2026-02", "LAM-2026-03",  # the 2023 visit's areas were closed by the 2026 inspection
    ]


def test_plan_rows_stay_short_never_split_and_name_refs_in_a_key_below(plan):
    """Each row is a few lines: the area's short ref label in the table, its full title in the key."""
    table = _plan_table(plan)
    for tr in table._tbl.findall(qn("w:tr"))[1:]:
        assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None, "a row never breaks across pages"
    for r in table_rows(table)[1:]:
        assert "Children and young people are safe" not in r[ACTION], "the full title is in the key, not the row"
    body = [p.text for p in plan.paragraphs]
    key = body.index("National Framework refs in the table:")
    assert body[key + 1] == SAFE_IN_FORCE


def test_plan_rows_carry_source_framework_title_and_judgement_area(plan):
    rhi = _plan_areas(plan)["LAM-2026-03"]["area"]
    assert rhi[ACTION] == (
        "The undertaking and quality of return home interviews for children who go missing from care.\n"  # whole, verbatim
        "January 2026 inspection, paragraph 35 · Outcome 2 · Children in care"
    )
    closed = {r[0]: r for t in plan.tables for r in table_rows(t) if len(r) == 4 and r[0].startswith("LAM-")}
    police = closed["LAM-2023-03"]
    assert police[2] == "June 2023 focused visit"
    assert police[3].startswith("Raised again by the January 2026 inspection (LAM-2026-03")


def test_the_example_plan_is_a_living_plan_marked_illustrative(plan):
    """A new user opening the example sees what a plan looks like a few months in: the tracker's
    actions with their leads, dates, progress and RAG (invented, and every one says so)."""
    areas = _plan_areas(plan)
    front_door = areas["LAM-2026-01"]
    relaunch = front_door["actions"][0]
    assert relaunch[ID] == "LAM-2026-01.1" and relaunch[ACTION].startswith("Illustrative: Re-launch the threshold guidance")
    assert relaunch[LEAD] == "Head of Service, Front Door" and relaunch[DUE] == "30 June 2026"
    assert "clinics running weekly since May" in relaunch[PROGRESS] and relaunch[RAG] == "Green"
    assert front_door["area"][RAG] == "Amber"  # one action green, one slipping: the area is at risk
    assert areas["LAM-2026-02"]["area"][RAG] == "Green"  # one action complete, one on track
    assert areas["LAM-2026-03"]["area"][RAG] == "Red"
    # An action added since the board's last review has no lead or date yet: the plan asks for them.
    newest = areas["LAM-2026-03"]["actions"][-1]
    assert newest[LEAD] == "[To complete: lead officer]" and newest[RAG] == "Not yet rated"
    every_action = [a[ACTION] for area in areas.values() for a in area["actions"]]
    assert every_action and all(line.startswith("Illustrative: ") for line in every_action)


def test_the_example_tracker_says_it_is_illustrative_not_lambeths_real_actions():
    ws = openpyxl.load_workbook(INPUTS / "improvement-plan-tracker.xlsx")["Actions"]
    assert "ILLUSTRATIVE EXAMPLE" in ws["A1"].value and "not Lambeth's real actions" in ws["A1"].value
    leads = {c.value for c in ws["G"][2:] if c.value}
    roles = ("Head of", "Manager", "Director", "Social Worker")
    assert leads and all(any(role in lead for role in roles) for lead in leads), "lead officers are roles, never people's names"


def test_header_row_repeats_on_every_page_as_word_expects(plan):
    tr = _plan_table(plan).rows[0]._tr
    header = tr.trPr.find(qn("w:tblHeader"))
    assert header is not None
    assert header.get(qn("w:val")) is None  # Word writes the bare element; w:val="true" fails the schema


def test_rag_legend_lists_blue_green_amber_red(plan):
    rows = table_rows(table_after_heading(plan, "RAG status"))
    assert [r[0] for r in rows[1:5]] == ["Blue", "Green", "Amber", "Red"]
    assert rows[1][1].startswith("Complete")


# -- round trip --------------------------------------------------------------------------------------


@pytest.fixture()
def council(tmp_path) -> Path:
    """A council starting its plan: the example's findings and workbook, and no tracker yet."""
    work = tmp_path / "inputs"
    shutil.copytree(INPUTS, work, ignore=shutil.ignore_patterns("improvement-plan-tracker.xlsx"))
    return work


def _sheet_cells(path: Path) -> dict[tuple[int, int], object]:
    ws = openpyxl.load_workbook(path)["Actions"]
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_tracker_round_trip_keeps_every_typed_cell_and_added_column(council, tmp_path):
    tracker = council / "improvement-plan-tracker.xlsx"
    result = run_cli("plan", "export", "--inputs", str(council))
    assert result.code == 0, result.output
    wb = openpyxl.load_workbook(tracker)
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    assert ws.cell(row=2, column=col["Area ID"]).value == "LAM-2026-01"
    # A performance officer fills in two actions for the first area and adds a column of their own.
    ws.cell(row=2, column=col["Action"], value="Weekly audit of screening decisions & feedback to IRH managers")
    ws.cell(row=2, column=col["Lead officer"], value="Head of the IRH")
    ws.cell(row=2, column=col["Due date"], value=dt.datetime(2027, 3, 31))
    ws.cell(row=2, column=col["Progress update"], value="First audits done; 12 cases reviewed")
    ws.cell(row=2, column=col["RAG"], value="Green")
    ws.insert_rows(3)
    ws.cell(row=3, column=col["Area ID"], value="LAM-2026-01")
    ws.cell(row=3, column=col["Action"], value="Refresh threshold guidance with partners")
    ws.cell(row=3, column=col["RAG"], value="Amber")
    extra = len(header) + 1
    ws.cell(row=1, column=extra, value="Our notes")
    ws.cell(row=2, column=extra, value="Discussed at DMT 4 Dec")
    assert ws.cell(row=4, column=col["Area ID"]).value == "LAM-2026-02"
    ws.cell(row=4, column=col["Action"], value="Joint protocol with housing for 16- and 17-year-olds")
    ws.cell(row=4, column=col["RAG"], value="Blue")
    wb.save(tracker)
    typed = _sheet_cells(tracker)

    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(council), "--out", str(out))
    assert result.code == 0, result.output
    plan = open_docx(out / "improvement-plan.docx")
    areas = _plan_areas(plan)
    first = areas["LAM-2026-01"]
    assert "Weekly audit of screening decisions & feedback to IRH managers" in _column(first, ACTION)
    assert "Refresh threshold guidance with partners" in _column(first, ACTION)
    assert "Head of the IRH" in _column(first, LEAD) and "31 March 2027" in _column(first, DUE)
    assert "First audits done; 12 cases reviewed" in _column(first, PROGRESS)
    assert first["area"][RAG] == "Amber"  # the worst of Green and Amber
    rag_cell = _plan_table(plan).rows[1].cells[RAG]
    assert cell_fill(rag_cell) == "FFD966"
    homeless = [a for a in areas.values() if "16- and 17-year-olds" in a["area"][ACTION]][0]
    assert homeless["area"][RAG] == "Blue"
    untouched = areas["LAM-2026-03"]  # nobody has planned this one yet: the plan says so
    assert _column(untouched, ACTION) == "[To complete: actions for this area]" and untouched["area"][RAG] == "Not yet rated"

    result = run_cli("plan", "export", "--inputs", str(council))  # fills the reference cells of the inserted row
    assert result.code == 0, result.output
    again = _sheet_cells(tracker)
    for where, value in typed.items():
        assert again.get(where) == value, f"cell {where} changed from {value!r} to {again.get(where)!r}"
    before = tracker.read_bytes()
    result = run_cli("plan", "export", "--inputs", str(council))
    assert result.code == 0, result.output
    assert tracker.read_bytes() == before, "nothing new to add: the person's file is left exactly as it was"

    # A new focused visit brings a new area: export adds its row, keeps every typed cell and a backup.
    visit = council / "findings" / "lambeth-2023-08-focused-visit.yaml"
    later = visit.read_text(encoding="utf-8").replace("start: 2023-06-27", "start: 2026-06-01").replace("end: 2023-06-28", "end: 2026-06-02")
    later = later.replace("LAM-2023-0", "LAM-2026-FV-0")
    (council / "findings" / "lambeth-2026-06-focused-visit.yaml").write_text(later, encoding="utf-8")
    result = run_cli("plan", "export", "--inputs", str(council))
    assert result.code == 0, result.output
    assert "4 rows added" in result.stdout
    again = _sheet_cells(tracker)
    for where, value in typed.items():
        assert again.get(where) == value, f"cell {where} changed from {value!r} to {again.get(where)!r}"
    assert list(council.glob("improvement-plan-tracker.backup-*.xlsx")), "a backup of the previous tracker is kept"


def test_tracker_has_rag_drop_down_and_real_dates(council):
    run_cli("plan", "export", "--inputs", str(council))
    ws = openpyxl.load_workbook(council / "improvement-plan-tracker.xlsx")["Actions"]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"Blue,Green,Amber,Red"' in lists
    assert any(dv.type == "date" for dv in ws.data_validations.dataValidation)


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("L2", "Purple", "'Purple' is not a RAG status"),
        ("H2", "next spring", "'next spring' is not a date"),
        ("M2", "maybe", "'maybe' should be Yes or No"),
    ],
)
def test_bad_tracker_cells_are_reported_at_their_cell(council, tmp_path, cell, value, message):
    run_cli("plan", "export", "--inputs", str(council))
    tracker = council / "improvement-plan-tracker.xlsx"
    wb = openpyxl.load_workbook(tracker)
    ws = wb["Actions"]
    ws["F2"] = "An action"
    ws[cell] = value
    wb.save(tracker)
    result = run_cli("generate", "--inputs", str(council), "--out", str(tmp_path / "o"))
    assert result.code == 2
    assert f"improvement-plan-tracker.xlsx!Actions!{cell}: {message}" in result.stderr
    assert "Traceback" not in result.output


# -- board summary ------------------------------------------------------------------------------------


def test_board_summary_has_outcome_progress_and_care_indicators(example_outputs):
    text = docx_text(example_outputs / "board-summary.docx")
    for heading in ("1. Inspection outcome", "2. Improvement plan progress", "3. Children in care and care leavers: headline indicators"):
        assert heading in text
    assert "The plan covers 3 areas for improvement: 1 green, 1 amber, 1 red." in text  # the illustrative tracker's actions
    assert "Care leavers aged 19 to 21 in education, employment or training" in text


def _set_indicator(workbook: Path, indicator_id: str, **columns: object) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Indicators"]
    header = next(r for r in ws.iter_rows() if r[0].value == "ID")
    col = {c.value: c.column for c in header if c.value}
    for row in ws.iter_rows():
        if row[0].value == indicator_id:
            for name, value in columns.items():
                ws.cell(row=row[0].row, column=col[name], value=value)
    wb.save(workbook)


def _set_latest_value(workbook: Path, indicator_id: str, value: float) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Data"]
    header = next(r for r in ws.iter_rows() if r[0].value == "ID")
    last_col = max(c.column for c in header if c.value)
    for row in ws.iter_rows():
        if row[0].value == indicator_id:
            ws.cell(row=row[0].row, column=last_col, value=value)
    wb.save(workbook)


def test_public_version_suppresses_small_numbers_and_leaves_out_internal_items(council, tmp_path):
    workbook = council / "performance.xlsx"
    _set_indicator(workbook, "CONTACTS", Internal="no")
    _set_latest_value(workbook, "CONTACTS", 3)  # a small count: must not be published
    _set_indicator(workbook, "REF-RATE", Internal="yes")
    run_cli("plan", "export", "--inputs", str(council))
    tracker = council / "improvement-plan-tracker.xlsx"
    twb = openpyxl.load_workbook(tracker)
    tws = twb["Actions"]
    tws["F2"] = "Confidential staffing change in the IRH"
    tws["I2"] = "Agency staff cost per case"
    tws["L2"] = "Red"
    tws["M2"] = "Yes"
    tws["F3"] = "Publish the homelessness protocol"
    twb.save(tracker)

    out = tmp_path / "public"
    result = run_cli("generate", "--inputs", str(council), "--out", str(out), "--public")
    assert result.code == 0, result.output
    for name in ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"):
        text = docx_text(out / name)
        assert "Confidential staffing change" not in text, name
        assert "Agency staff cost per case" not in text, name
        assert "Referral rate" not in text, name
    public_plan = open_docx(out / "improvement-plan.docx")
    first = _plan_areas(public_plan)["LAM-2026-01"]
    assert first["area"][RAG] == "Not yet rated", "an internal action's RAG must not colour the public plan"
    sef = open_docx(out / "self-evaluation.docx")
    contacts = [r for r in table_rows(table_after_heading(sef, "5. Performance overview")) if r[0] == "Contacts received"][0]
    assert contacts[1].startswith("fewer than 5")
    assert "Publish the homelessness protocol" in docx_text(out / "improvement-plan.docx")
    assert "public version" in docx_text(out / "board-summary.docx")

    private = tmp_path / "private"
    assert run_cli("generate", "--inputs", str(council), "--out", str(private)).code == 0
    assert "Confidential staffing change" in docx_text(private / "improvement-plan.docx")
    sef = open_docx(private / "self-evaluation.docx")
    contacts = [r for r in table_rows(table_after_heading(sef, "5. Performance overview")) if r[0] == "Contacts received"][0]
    assert contacts[1].startswith("3")


def test_every_bad_cell_in_a_tracker_row_is_reported_and_status_without_action_is_mentioned(council, tmp_path):
    run_cli("plan", "export", "--inputs", str(council))
    tracker = council / "improvement-plan-tracker.xlsx"
    wb = openpyxl.load_workbook(tracker)
    ws = wb["Actions"]
    ws["F2"], ws["H2"], ws["L2"] = "An action", "soon", "Purple"
    wb.save(tracker)
    result = run_cli("validate", str(council))
    assert result.code == 2
    assert "Actions!H2: 'soon' is not a date" in result.stderr and "Actions!L2: 'Purple' is not a RAG status" in result.stderr

    ws["H2"], ws["L2"] = None, "Green"
    ws["L3"] = "Amber"  # a status typed on a row that has no action yet
    wb.save(tracker)
    result = run_cli("validate", str(council))
    assert result.code == 0, result.output
    assert "rows with a lead, date, progress or RAG but no Action were ignored (Actions!F3)" in result.stderr


@pytest.mark.parametrize(("rags", "expected"), [(["Blue", "Blue"], "Blue"), (["Blue", None], "Not yet rated"), (["Blue", "Amber"], "Amber"), (["Green", "Red"], "Red")])
def test_an_area_is_blue_only_when_every_action_is_complete(council, tmp_path, rags, expected):
    run_cli("plan", "export", "--inputs", str(council))
    tracker = council / "improvement-plan-tracker.xlsx"
    wb = openpyxl.load_workbook(tracker)
    ws = wb["Actions"]
    ws.insert_rows(3)
    ws["A3"] = "LAM-2026-01"
    for row, rag in zip((2, 3), rags):
        ws[f"F{row}"] = f"Action {row}"
        ws[f"L{row}"] = rag
    wb.save(tracker)
    out = tmp_path / "o"
    assert run_cli("generate", "--inputs", str(council), "--out", str(out)).code == 0
    assert _plan_areas(open_docx(out / "improvement-plan.docx"))["LAM-2026-01"]["area"][RAG] == expected


def docx_text_of(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)
