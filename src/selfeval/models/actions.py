"""The council's own actions against each area for improvement (the plan tracker workbook)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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

    actions: list[Action] = Field(default_factory=list)

    def for_area(self, area_id: str) -> list[Action]:
        return [a for a in self.actions if a.area_id == area_id]
