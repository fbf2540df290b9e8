"""The example tells Lambeth's whole journey, 2015-2026: every engagement in order with its
outcome, the grades over time (SIF judgements under their ILACS successors), what became of every
earlier area for improvement, and a plan that carries only what is still open."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from docx import Document

from conftest import INPUTS, docx_text, run_cli

SEVEN = [
    "February 2015 SIF inspection: overall effectiveness inadequate",
    "January 2018 SIF inspection: overall effectiveness requires improvement to be good",
    "October 2021 focused visit (from the council's summary of the letter): 2 areas for improvement",
    "October 2022 inspection: overall effectiveness requires improvement to be good",
    "June 2023 focused visit: 4 areas for improvement",
    "December 2024 focused visit (from the council's summary of the letter): strengths noted",
    "January 2026 inspection: overall effectiveness good",
]


def _journey_table(path: Path) -> list[list[str]]:
    for table in Document(str(path)).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == "Inspection":
            return rows
    raise AssertionError("no grades-over-time table")


def test_the_journey_names_all_seven_engagements_in_order_with_their_outcomes(example_outputs: Path) -> None:
    text = docx_text(example_outputs / "self-evaluation.docx")
    journey = next(line for line in text.splitlines() if line.startswith("Our journey with Ofsted, in order:"))
    positions = [journey.find(item) for item in SEVEN]
    assert all(p >= 0 for p in positions), [item for item, p in zip(SEVEN, positions) if p < 0]
    assert positions == sorted(positions)


def test_grades_over_time_put_sif_judgements_under_their_ilacs_successors(example_outputs: Path) -> None:
    rows = _journey_table(example_outputs / "self-evaluation.docx")
    assert [r[0] for r in rows[1:]] == ["February 2015 SIF inspection", "January 2018 SIF inspection", "October 2022 inspection", "January 2026 inspection"]
    sif_2018 = rows[2]
    assert sif_2018[3] == "Requires improvement to be good (adoption performance: inadequate)"  # adoption kept, not dropped
    assert rows[4][1:] == ["Good", "Requires improvement to be good", "Good", "Outstanding", "Good"]
    text = docx_text(example_outputs / "self-evaluation.docx")
    assert "shown under the ILACS judgement that took their place" in text
    assert "Ofsted grades by judgement, 2015 SIF to 2026 ILACS" in text  # the chart's caption


def test_each_earlier_area_says_what_later_engagements_found(example_outputs: Path) -> None:
    text = docx_text(example_outputs / "self-evaluation.docx")
    # 2018's adoption concern: followed through to the 2022 inspection, which found adoption improved.
    block = text.split("\nLAM-2018-02: ", 1)[1].split("Related indicators:", 1)[0]
    assert "October 2022 inspection" in block and "Where it stands: Closed" in block
    # The 2021 repeat-assessment area, from the council's summary, followed into 2022.
    assert "LAM-2021-01: Reviewing repeated assessments" in text
    # The 2023 police-response area is carried on by the 2026 area on children who go missing.
    block = text.split("\nLAM-2023-03: ", 1)[1].split("Related indicators:", 1)[0]
    assert "Closed: raised again by the January 2026 inspection (LAM-2026-03" in block


def test_the_plan_carries_what_is_open_and_closes_the_rest_with_reasons(example_outputs: Path) -> None:
    doc = Document(str(example_outputs / "improvement-plan.docx"))
    plan_ids, closed = [], {}
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][:2] == ["Ref", "Area for improvement"] and len(rows[0]) == 4:
            closed = {r[0]: r[3] for r in rows[1:]}
        elif rows[0][:2] == ["Ref", "Actions"]:
            plan_ids = [r[0] for r in rows[1:] if r[1] == r[2]]  # an area's row (its words span the action columns)
    assert plan_ids == ["LAM-2026-01", "LAM-2026-02", "LAM-2026-03"]
    assert set(closed) == {f"LAM-2023-0{i}" for i in range(1, 5)} | {f"LAM-2022-0{i}" for i in range(1, 8)}
    assert closed["LAM-2023-03"].startswith("Raised again by the January 2026 inspection (LAM-2026-03")
    assert all(reason.endswith(".") and "January 2026 inspection" in reason for reason in closed.values())


def test_a_person_keeps_an_earlier_area_open(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    path = inputs / "findings" / "lambeth-2023-08-focused-visit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["areas_for_improvement"][0]["status"] = "open"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    rows = [[c.text for c in r.cells] for t in Document(str(out / "improvement-plan.docx")).tables for r in t.rows]
    assert any(r[0] == "LAM-2023-01" and len(r) > 4 for r in rows)  # back in the plan, not in the closed table


def test_visits_whose_letters_are_not_here_say_where_their_findings_come_from() -> None:
    for name in ("lambeth-2021-12-focused-visit.yaml", "lambeth-2025-01-focused-visit.yaml"):
        data = yaml.safe_load((INPUTS / "findings" / name).read_text(encoding="utf-8"))
        assert "Council's published summary" in data["source"] and "not Ofsted's own words" in data["source"]
        texts = [a["text"] for a in data.get("areas_for_improvement", [])] + [s["text"] for s in data["strengths"]]
        assert all("council's summary" in t for t in texts)  # nothing presented as Ofsted's words


def test_every_engagement_in_the_history_table_has_a_findings_file() -> None:
    starts = sorted(
        yaml.safe_load(p.read_text(encoding="utf-8"))["inspection_dates"][0]["start"] for p in (INPUTS / "findings").glob("*.yaml")
    )
    assert [d.year for d in starts] == [2015, 2018, 2021, 2022, 2023, 2024, 2026]
    assert all(isinstance(d, dt.date) for d in starts)
