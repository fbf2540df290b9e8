"""A council's improvement journey from the SIF to today: the self-evaluation tells it in order.

Lambeth's own reports, imported as a performance lead would: the 2015 SIF inspection (inadequate),
the June 2023 focused visit, a 2024 focused visit (written by hand, as a council records one), and
the January 2026 ILACS inspection. The self-evaluation's table of engagements lists all four, dated,
each with its grades or theme and its number of areas for improvement, and the SIF's
recommendations are followed up in the progress section like any other area for improvement.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SHARED_REPORTS, run_cli
from docx_reading import open_docx, table_rows

DEV = SHARED_REPORTS.parent / "reports-dev"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="shared reports-dev folder is absent (CI has it)")

VISIT_2024 = """local_authority: Lambeth
type: focused visit
theme: The local authority's arrangements for care leavers
inspection_dates:
  - {start: 2024-10-08, end: 2024-10-09}
areas_for_improvement:
  - {id: LAM-2024-01, text: The quality and timeliness of pathway plans for care leavers., judgement_area: care_leavers}
  - {id: LAM-2024-02, text: Access to suitable accommodation for care leavers aged 18 to 21., judgement_area: care_leavers}
"""


def _engagements(sef) -> list[list[str]]:
    for table in sef.tables:
        rows = table_rows(table)
        if rows and rows[0][:2] == ["When", "Engagement"]:
            return rows[1:]
    raise AssertionError("no table of engagements in the self-evaluation")


def test_sif_ilacs_and_two_focused_visits_tell_the_journey_in_order(tmp_path: Path) -> None:
    findings = tmp_path / "inputs" / "findings"
    for report in (DEV / "lambeth-2015-05-sif-inspection.pdf", SHARED_REPORTS / "lambeth-2023-08-focused-visit.md",
                   SHARED_REPORTS / "lambeth-2026-01-full-inspection.txt"):
        result = run_cli("import", str(report), "-o", str(findings / (report.stem + ".yaml")))
        assert result.code == 0, result.output
    (findings / "lambeth-2024-10-focused-visit.yaml").write_text(VISIT_2024, encoding="utf-8")
    checked = run_cli("validate", str(tmp_path / "inputs"))
    assert checked.code == 0 and checked.stdout.startswith("OK: 4 findings files"), checked.output

    out = tmp_path / "out"
    result = run_cli("generate", "--inputs", str(tmp_path / "inputs"), "--out", str(out))
    assert result.code == 0, result.output
    sef = open_docx(out / "self-evaluation.docx")
    rows = _engagements(sef)
    assert [r[1] for r in rows] == ["Full inspection (standard)", "Focused visit", "Focused visit", "SIF inspection"]
    years = [int(re.findall(r"(20\d\d)", r[0])[-1]) for r in rows]
    assert years == sorted(years, reverse=True) == [2026, 2024, 2023, 2015]  # newest first, every one dated

    ilacs, visit_2024, visit_2023, sif = (r[2] for r in rows)
    assert "Overall effectiveness: Good" in ilacs and "(3 areas for improvement)" in ilacs
    assert "care leavers" in visit_2024 and "(2 areas for improvement)" in visit_2024
    assert "(4 areas for improvement)" in visit_2023
    assert sif.startswith("Overall effectiveness: Inadequate.")
    for grade in ("Help and protection: Requires improvement to be good", "Children looked after: Inadequate",
                  "Adoption performance: Inadequate", "Leadership, management and governance: Inadequate",
                  "Local Safeguarding Children Board: Inadequate"):
        assert grade in sif, grade
    assert "(36 areas for improvement)" in sif

    # The SIF's first priority action (children missing from home and care) is followed up.
    text = "\n".join(p.text for p in sef.paragraphs)
    assert "Ensure that all young people who go missing from home and care are promptly" in text
