"""Build the embedded example's plan tracker, ``inputs/improvement-plan-tracker.xlsx``.

The actions are ILLUSTRATIVE: invented to show what a living improvement plan looks like (actions,
leads, dates, progress and RAG), not Lambeth's real actions. The workbook says so in a banner above
the header and on its 'How to use' sheet, and every action's text starts with "Illustrative:" so the
generated plan and board summary say so too. Lead officers are roles, never people's names.

The layout is the one 'selfeval plan export' writes (rows for every area, drop-downs, real dates);
this script then fills in the actions as a council would.

    PYTHONPATH=src python tools/build_example_tracker.py [OUTPUT]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from selfeval.commands.plan import export  # noqa: E402
from selfeval.models.actions import TRACKER_COLUMNS, TRACKER_SHEET  # noqa: E402
from selfeval.write.tracker import write_text  # noqa: E402

MARK = "Illustrative: "
BANNER = (
    "ILLUSTRATIVE EXAMPLE: these actions were invented to show how selfeval reads a plan tracker. "
    "They are not Lambeth's real actions."
)

# area id -> actions: (text, lead role, due, success measure, indicator id, progress, RAG).
# Only the areas the example's plan answers (the January 2026 inspection's; the earlier ones are
# closed); dates run from the inspection to its first anniversary, so the board sees a mix of
# complete, on-track, slipping and off-track actions, as in a real plan a few months in.
ACTIONS: dict[str, list[tuple[str, str, dt.date | None, str, str, str, str]]] = {
    "LAM-2026-01": [
        ("Re-launch the threshold guidance at the integrated referral hub, with weekly practice clinics for screening social workers",
         "Head of Service, Front Door", dt.date(2026, 6, 30), "Monthly audit: 90% of screening decisions rated good or better", "",
         "Guidance re-launched in April; clinics running weekly since May; audit grades at 84% in October", "Green"),
        ("Introduce manager sign-off and a check of historical information for every contact closed with no further action",
         "Service Manager, Integrated Referral Hub", dt.date(2026, 9, 30), "Re-referrals within 12 months below 18%", "RE-REF",
         "Sign-off live since June; the history check is delayed by the case-recording upgrade to January 2027", "Amber"),
    ],
    "LAM-2026-02": [
        ("Train front door staff on the Southwark judgment and young people's right to accommodation",
         "Principal Social Worker", dt.date(2026, 5, 31), "Audit of presentations: rights explained and recorded in every case", "",
         "Training delivered to all front door staff in May; the August audit found rights recorded in 19 of 20 cases", "Blue"),
        ("Agree a joint housing and children's services protocol for 16- and 17-year-olds who present as homeless",
         "Assistant Director, Safeguarding", dt.date(2026, 12, 31), "Every young person presenting as homeless is assessed under section 17", "",
         "Protocol drafted with housing; sign-off at the December partnership board", "Green"),
    ],
    "LAM-2026-03": [
        ("Commission return home interviews from one provider, offered within 72 hours of every missing episode",
         "Head of Service, Children in Care", dt.date(2026, 10, 31), "Return home interviews offered within 72 hours: 85%", "",
         "Tender evaluation complete; the new contract starts in January 2027, three months late", "Amber"),
        ("Report missing episodes, interviews completed and their themes to the exploitation panel each month",
         "Performance and Quality Assurance Manager", dt.date(2026, 9, 30), "Monthly report received by the panel", "",
         "Not started: the case-recording system cannot yet report interviews completed", "Red"),
        # Added after the board's last review: no lead or date agreed yet, so the plan asks for them.
        ("Agree with the police how the return home interview is shared after each missing episode",
         "", None, "", "", "", ""),
    ],
}


def build(out: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.cell_range import MultiCellRange

    with tempfile.TemporaryDirectory() as scratch:
        laid_out = Path(scratch) / "improvement-plan-tracker.xlsx"
        export(ROOT / "inputs", laid_out)  # exactly what 'selfeval plan export' writes
        wb = openpyxl.load_workbook(laid_out)
    ws = wb[TRACKER_SHEET]
    col = {name: i for i, (name, *_rest) in enumerate(TRACKER_COLUMNS, start=1)}
    reference = {}
    for r in range(2, ws.max_row + 1):
        area = ws.cell(row=r, column=col["area_id"]).value
        if area:
            reference[str(area)] = [ws.cell(row=r, column=col[n]).value for n in ("area_text", "source", "framework")]
    ws.delete_rows(2, ws.max_row)
    r = 2
    for area, actions in ACTIONS.items():
        if area not in reference:
            raise SystemExit(f"the example findings have no area {area}; update ACTIONS")
        for n, (text, lead, due, measure, indicator, progress, rag) in enumerate(actions, start=1):
            values = dict(zip(("area_text", "source", "framework"), reference[area]))
            values.update(area_id=area, action_id=f"{area}.{n}", text=MARK + text, lead=lead, due=due,
                          success_measure=measure, indicator_id=indicator, progress=progress, rag=rag, internal="No")
            for name, value in values.items():
                if value in ("", None):
                    continue  # left blank, as a person leaves what is not yet known
                cell = ws.cell(row=r, column=col[name])
                if isinstance(value, str):
                    write_text(cell, value)  # as 'plan export' writes text: never a formula
                else:
                    cell.value = value
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row=r, column=col["due"]).number_format = "dd/mm/yyyy"
            r += 1
    # The banner goes above the header (the reader finds the header in the first rows); drop-downs
    # and the frozen panes move down with it. Not merged and not wrapped: the text runs on across the
    # empty cells to its right, and the tracker stays free of merged cells (which the reader refuses
    # when they are unbounded).
    ws.insert_rows(1)
    banner = ws.cell(row=1, column=1, value=BANNER)
    banner.font = Font(bold=True, color="7F3F00")
    for c in range(1, len(TRACKER_COLUMNS) + 1):
        ws.cell(row=1, column=c).fill = PatternFill("solid", fgColor="FFF2CC")
    ws.row_dimensions[1].height = 24
    banner.alignment = Alignment(vertical="center")
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange(" ".join(_shift(str(rng)) for rng in dv.sqref.ranges))
    ws.freeze_panes = "B3"
    guide = wb["How to use"]
    guide.insert_rows(1, 2)
    guide["A1"] = BANNER
    guide["A1"].font = Font(bold=True, color="7F3F00")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    # Read back as 'selfeval generate' will: the personal-data screen and every cell's check.
    from selfeval.load.actions import load_actions

    plan = load_actions(out)
    expected = sum(len(a) for a in ACTIONS.values())
    if len(plan.actions) != expected or plan.notes:
        raise SystemExit(f"{out}: read back {len(plan.actions)} of {expected} actions ({plan.notes})")
    return out


def _shift(rng: str) -> str:
    import re

    return re.sub(r"([A-Z]+)(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", rng)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "inputs" / "improvement-plan-tracker.xlsx"
    print(f"wrote {build(target)}")
