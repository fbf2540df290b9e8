"""The council's own actions against each area for improvement (the plan tracker workbook)."""

# Types written as objects, not postponed as strings: see selfeval.models.

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from selfeval.errors import InputError, Location
from selfeval.models.empty import empty_list
from selfeval.models.performance import heading_key

Rag = Literal["blue", "green", "amber", "red"]
RAG_TITLES: dict[str, str] = {"blue": "Blue", "green": "Green", "amber": "Amber", "red": "Red"}
RAG_MEANINGS: dict[str, str] = {
    "blue": "Complete: the action is done and its impact is evidenced",
    "green": "On track to be delivered by the due date",
    "amber": "Some slippage or fluctuating performance; at risk",
    "red": "Off track: needs intervention",
}
RAG_FILLS: dict[str, str] = {"blue": "9DC3E6", "green": "A9D18E", "amber": "FFD966", "red": "F4A6A6", "none": "FFFFFF"}


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area_id: str
    action_id: str
    text: str = Field(min_length=1)
    lead: str | None = None
    due: dt.date | None = None
    success_measure: str | None = None
    indicator_id: str | None = None
    progress: str | None = None
    rag: Rag | None = None
    internal: bool = False
    row: int | None = Field(None, description="Row in the tracker workbook, for messages.")


class ActionPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[Action] = Field(default_factory=empty_list)
    notes: list[str] = Field(default_factory=empty_list, description="Things the reader ignored that the user should know.")

    def for_area(self, area_id: str) -> list[Action]:
        return [a for a in self.actions if a.area_id == area_id]


# -- the tracker workbook's layout -------------------------------------------------------------------
# (field, heading, width, what it is). Headings are matched case- and space-insensitively on reading,
# and columns a person adds are kept but ignored.
TRACKER_SHEET = "Actions"
TRACKER_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("area_id", "Area ID", 14, "The area for improvement's id from the findings file (do not change)."),
    ("area_text", "Area for improvement", 60, "The area, for reference (selfeval fills it in)."),
    ("source", "Source", 22, "Which inspection or visit, and paragraphs (selfeval fills it in)."),
    ("framework", "National Framework", 22, "The framework ref (selfeval fills it in)."),
    ("action_id", "Action ID", 12, "Your own reference for the action, e.g. LAM-2026-01.1."),
    ("text", "Action", 60, "What you will do, in your own words. Rows with no action are ignored."),
    ("lead", "Lead officer", 22, "Who is accountable."),
    ("due", "Due date", 14, "When it will be done (a date)."),
    ("success_measure", "Success measure", 40, "How you will know it worked (audit grades, feedback...)."),
    ("indicator_id", "Indicator ID", 14, "An indicator id from performance.xlsx used as the success measure."),
    ("progress", "Progress update", 50, "Latest progress, for the board."),
    ("rag", "RAG", 10, "Blue (complete), Green, Amber or Red."),
    ("internal", "Internal", 10, "Yes to leave this action out of public documents (--public)."),
)
RAG_SPELLINGS: dict[str, Rag] = {
    "blue": "blue", "b": "blue", "complete": "blue", "completed": "blue", "done": "blue",
    "green": "green", "g": "green", "on track": "green",
    "amber": "amber", "a": "amber", "at risk": "amber",
    "red": "red", "r": "red", "off track": "red",
}


# -- finding the tracker's header row (read by load.actions and by write.tracker) ----------------------

_FIELDS = {heading_key(heading): name for name, heading, _, _ in TRACKER_COLUMNS}


def header_map(row: Sequence[object]) -> dict[str, int]:
    """Field name -> 1-based column, for the tracker's own headings found in ``row``."""
    found: dict[str, int] = {}
    for col, value in enumerate(row, start=1):
        if value is None:
            continue
        name = _FIELDS.get(heading_key(value))
        if name and name not in found:
            found[name] = col
    return found


HEADER_SEARCH_ROWS = 20


def find_header(rows: Sequence[Sequence[object]], sheet_name: str, path: Path) -> tuple[int, dict[str, int]]:
    """The 1-based header row (the first with 'Area ID' and 'Action') and its columns by field."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns = header_map(row)
        if "area_id" in columns and "text" in columns:
            return r, columns
    raise InputError(
        f"no header row with 'Area ID' and 'Action' columns was found in the first {HEADER_SEARCH_ROWS} rows",
        Location(path, cell=f"{sheet_name}!A1"),
    )
