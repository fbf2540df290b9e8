"""Read the improvement-plan tracker (``improvement-plan-tracker.xlsx``) as the council's actions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from selfeval.errors import ErrorList, InputError, Location, SelfevalError
from selfeval.load.workbook import FORMULA, FORMULA_MESSAGE, Sheet, WorkbookReader, screen_personal_data
from selfeval.safety.xlsx_safety import check_ooxml
from selfeval.models.actions import HEADER_SEARCH_ROWS, RAG_SPELLINGS, TRACKER_SHEET, Action, ActionPlan, find_header, header_map  # noqa: F401 (re-exported)

_YES = {"yes", "y", "true", "1", "internal"}
_NO = {"no", "n", "false", "0", ""}


def load_actions(path: Path) -> ActionPlan:
    check_ooxml(path)
    reader = WorkbookReader(path)
    try:
        # Action and progress text reaches every document: screen every cell of every sheet first.
        screen_personal_data(reader, path)
        name = reader.find(TRACKER_SHEET)
        if name is None:
            raise InputError(f"the tracker has no '{TRACKER_SHEET}' sheet (create one with 'selfeval plan export')", Location(path))
        sheet = reader.sheet(name)
    finally:
        reader.close()
    header_row, columns = find_header(sheet.rows, sheet.name, path)
    actions: list[Action] = []
    errors: list[SelfevalError] = []
    ignored: list[str] = []
    for r in range(header_row + 1, len(sheet.rows) + 1):
        values = {f: sheet.value(r, c) for f, c in columns.items()}
        if _blank(values.get("text")):
            # An area with no action yet, or an empty row; typed status with no action is worth a word.
            if any(not _blank(values.get(f)) for f in ("rag", "progress", "lead", "due")):
                ignored.append(sheet.ref(r, columns["text"]))
            continue
        try:
            actions.append(_action(values, r, sheet, columns, path))
        except ErrorList as e:
            errors.extend(e.errors)
    if errors:
        raise ErrorList(errors[:20])
    notes = []
    if ignored:
        cells = ", ".join(ignored[:5]) + (" ..." if len(ignored) > 5 else "")
        notes.append(f"{path.name}: rows with a lead, date, progress or RAG but no Action were ignored ({cells}); type the action to include them")
    return ActionPlan(actions=actions, notes=notes)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _action(values: dict[str, Any], row: int, sheet: Sheet, columns: dict[str, int], path: Path) -> Action:
    """One action row; every bad cell in the row is reported, not only the first."""
    problems: list[InputError] = []

    def bad(field: str, message: str) -> None:
        problems.append(InputError(message, Location(path, cell=sheet.ref(row, columns[field]))))

    for field, value in values.items():
        if value is FORMULA:
            bad(field, FORMULA_MESSAGE)
    area_id = _text(values.get("area_id"))
    if not area_id:
        bad("area_id", "this action has no Area ID; copy the id of the area for improvement it belongs to")
    rag = None
    if not _blank(values.get("rag")) and values.get("rag") is not FORMULA:
        rag = RAG_SPELLINGS.get(str(values["rag"]).strip().lower())
        if rag is None:
            bad("rag", f"'{values['rag']}' is not a RAG status (use Blue, Green, Amber or Red)")
    due = None
    if not _blank(values.get("due")) and values.get("due") is not FORMULA:
        due = _date(values["due"])
        if due is None:
            bad("due", f"'{values['due']}' is not a date (type a date such as 31/03/2027)")
    internal = False
    if not _blank(values.get("internal")) and values.get("internal") is not FORMULA:
        word = str(values["internal"]).strip().lower()
        if word not in _YES | _NO:
            bad("internal", f"'{values['internal']}' should be Yes or No")
        internal = word in _YES
    if problems:
        raise ErrorList(problems)
    return Action(
        area_id=area_id or "",
        action_id=_text(values.get("action_id")) or f"{area_id}.{row}",
        text=_text(values["text"]) or "",
        lead=_text(values.get("lead")),
        due=due,
        success_measure=_text(values.get("success_measure")),
        indicator_id=_text(values.get("indicator_id")),
        progress=_text(values.get("progress")),
        rag=rag,
        internal=internal,
        row=row,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, day)  # British order: day first
        except ValueError:
            return None
    for fmt_ in ("%d %B %Y", "%d %b %Y", "%B %Y"):
        try:
            return dt.datetime.strptime(text, fmt_).date()
        except ValueError:
            continue
    return None
