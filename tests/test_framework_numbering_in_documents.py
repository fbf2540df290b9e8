"""Documents number the National Framework outcomes as in force on their own date, with the title.

Lambeth's January 2026 report printed "outcome 3" for return home interviews: the December 2023
numbering, where 3 is "safe in and outside of their homes". On 2 March 2026 outcomes 2 and 3
changed places (../shared/domain/framework-numbering.md). The findings file keeps "outcome 3"
(edition-neutral storage); a plan drafted in February 2026 says "Outcome 3: ... safe ...", one
drafted in December 2026 says "Outcome 2: ... safe ...", and neither ever puts the family-network
title beside a safety area.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import INPUTS
from selfeval.analyse.pack import build_pack
from selfeval.load.inputs import load_inputs
from selfeval.models.pack import Pack
from selfeval.render import formatting as fmt
from selfeval.render.documents.self_evaluation import _afi_line, framework_rows
from selfeval.render.documents.shared import plan_rows

SAFE = "Children and young people are safe in and outside of their homes"
FAMILY = "Children and young people are supported by their family network"
BEFORE_SWAP = dt.date(2026, 2, 1)
AFTER_SWAP = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def packs() -> dict[dt.date, Pack]:
    inputs = load_inputs(INPUTS)
    return {day: build_pack(inputs, today=day) for day in (BEFORE_SWAP, AFTER_SWAP)}


def test_the_findings_file_keeps_the_2023_number_whatever_the_date(packs: dict[dt.date, Pack]) -> None:
    for pack in packs.values():
        rhi = next(v for v in pack.areas if v.afi.id == "LAM-2026-03")
        assert [r.ref for r in rhi.refs] == ["outcome 3"]
        assert rhi.refs[0].raw and "outcome 3" in rhi.refs[0].raw.lower()  # what Ofsted printed, verbatim


def test_a_plan_dated_before_march_2026_says_outcome_3_for_safety(packs: dict[dt.date, Pack]) -> None:
    rows = {r.id: r for r in plan_rows(packs[BEFORE_SWAP])}
    assert rows["LAM-2026-03"].framework == f"Outcome 3: {SAFE}"
    assert rows["LAM-2026-03"].framework_short == "Outcome 3"


def test_a_plan_dated_december_2026_says_outcome_2_for_the_same_safety_area(packs: dict[dt.date, Pack]) -> None:
    rows = {r.id: r for r in plan_rows(packs[AFTER_SWAP])}
    assert rows["LAM-2026-03"].framework == f"Outcome 2: {SAFE}"
    assert rows["LAM-2026-03"].framework_short == "Outcome 2"
    assert all(FAMILY not in r.framework for r in rows.values())  # never the family-network title on a safety area


def test_the_sef_lines_and_framework_table_follow_the_document_date(packs: dict[dt.date, Pack]) -> None:
    pack = packs[AFTER_SWAP]
    rhi = next(v for v in pack.areas if v.afi.id == "LAM-2026-03")
    assert f"[Outcome 2: {SAFE}]" in _afi_line(rhi, pack.generated)
    table = framework_rows(pack)
    outcomes = [(r.label, r.title) for r in table if r.ref.startswith("outcome")]
    # Rows in the order a reader of the 2026 numbering expects: Outcome 2 is the safety row.
    assert outcomes[1] == ("Outcome 2", SAFE) and outcomes[2] == ("Outcome 3", FAMILY)
    safety_row = next(r for r in table if r.label == "Outcome 2")
    assert "LAM-2026-03" in safety_row.afis
    earlier = framework_rows(packs[BEFORE_SWAP])
    assert next(r for r in earlier if r.label == "Outcome 3").title == SAFE


def test_a_2026_document_says_which_numbering_it_uses() -> None:
    note = fmt.numbering_note(AFTER_SWAP)
    assert "2 March 2026" in note and f"outcome 2 '{SAFE}'" in note and f"outcome 3 '{FAMILY}'" in note
    assert fmt.numbering_note(dt.date(2025, 12, 1)) == ""  # only one numbering had ever been in force


def test_the_generated_plan_and_sef_carry_the_numbering_note(example_outputs: Path) -> None:
    from conftest import docx_text

    for name in ("improvement-plan.docx", "self-evaluation.docx"):
        assert "numbered as in force from 2 March 2026" in docx_text(example_outputs / name), name


def test_import_lists_its_suggestions_in_todays_numbering_and_the_file_says_which_it_uses(tmp_path: Path) -> None:
    from selfeval.commands.import_report import run

    report = INPUTS.parent.parent / "shared" / "domain" / "reports-dev" / "hackney-2024-08-full-inspection.pdf"
    if not report.exists():
        pytest.skip("reports-dev not present")
    result = run(report, tmp_path / "hackney.yaml", as_json=False, today=AFTER_SWAP)
    suggested = [line for line in result.lines if "(suggested" in line]
    assert suggested and all(line.strip().startswith("HAC-2024-") for line in suggested)
    assert all(f"Outcome 2: {SAFE}" in line for line in suggested if SAFE in line)
    header = (tmp_path / "hackney.yaml").read_text(encoding="utf-8").split("local_authority:")[0]
    assert "December 2023 numbering" in header and "outcome 3 = children and young people are safe" in " ".join(w for w in header.split() if w != "#")
