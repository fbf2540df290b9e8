"""The personal-data screen reads every cell of a workbook; with python-calamine it does so about ten times
faster than openpyxl, and it refuses exactly the same cells. A sparse, forged sheet (one cell in A1 and
one in XFD1048576) is never handed to calamine's dense grids: openpyxl's streaming reader takes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from selfeval.errors import ErrorList, InputError
from selfeval.load import xlsx_values
from selfeval.load.workbook import WorkbookReader, screen_personal_data

pytest.importorskip("python_calamine")


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["B2"] = "Indicator"
    ws["C3"] = 0.5
    ws["D4"] = dt.date(2024, 3, 31)
    ws["E9"] = "Child's date of birth"  # a heading naming a personal identifier
    ws["F12"] = 9434765919  # a valid NHS number, typed as a number
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Born 03/04/2015, placed in care"  # a date of birth in text
    wb.save(path)
    return path


def _refused_cells(path: Path) -> list[str]:
    reader = WorkbookReader(path)
    try:
        screen_personal_data(reader, path)
    except (InputError, ErrorList) as e:
        errors = e.errors if isinstance(e, ErrorList) else [e]
        return [str(err.location) for err in errors]
    finally:
        reader.close()
    return []


def test_calamine_and_openpyxl_refuse_the_same_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "performance.xlsx")
    sheets = xlsx_values.workbook_values(path)
    assert sheets is not None
    fast = _refused_cells(path)
    monkeypatch.setattr(xlsx_values, "workbook_values", lambda p: None)  # as without python-calamine
    slow = _refused_cells(path)
    assert fast == slow
    assert [cell.split("!")[-1] for cell in fast] == ["E9", "F12", "A1"], fast


def test_cells_keep_their_places(tmp_path: Path) -> None:
    sheets = xlsx_values.workbook_values(_workbook(tmp_path / "w.xlsx"))
    assert sheets is not None
    cells = {name: list(found) for name, found in sheets}
    assert cells["Data"][:2] == [(2, 2, "Indicator"), (3, 3, 0.5)]
    assert cells["Notes"] == [(1, 1, "Born 03/04/2015, placed in care")]


def test_a_forged_sparse_sheet_is_left_to_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Indicator"
    wb.active["XFD1048576"] = "Postcode"
    path = tmp_path / "sparse.xlsx"
    wb.save(path)
    assert xlsx_values.workbook_values(path) is None
    assert [c.split("!")[-1] for c in _refused_cells(path)] == ["XFD1048576"]
