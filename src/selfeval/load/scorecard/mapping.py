"""The mapping file (``<scorecard stem>.mapping.yaml``): how selfeval reads one council scorecard.

Written by ``selfeval workbook map`` for a person to read and correct, and read back by
``validate`` and ``generate`` every month. It names *headings*, never column letters or row
numbers of values, so that new period columns and new rows are picked up without any change:

* ``sheets[].columns`` maps each role (id, name, polarity, target, england, ...) to the heading
  text of its column. For target and comparators the heading may carry its period
  (``England`` matches "England 2024-25" and, next year, "England 2025-26").
* Every other column whose heading is a period is a period column (wide layout).
* ``measures`` lists each measure with what selfeval needs (id, unit, polarity) and where that
  came from; the person completes the ones marked ``TO COMPLETE`` and may correct any of them.

Running ``workbook map`` again keeps everything already in the file: only sheets and measures
not yet there are added (see :func:`merge`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from selfeval.errors import ErrorList, InputError, Location
from selfeval.load.scorecard.grid import MAPPING_SUFFIX, mapping_path_for  # noqa: F401  where a scorecard's mapping is
from selfeval.load.yaml_source import format_loc, read_yaml

VERSION = 1
TO_COMPLETE = "TO COMPLETE"


class _Model(BaseModel):
    # Built when a mapping is first read or written: every generate imports this module (to find
    # the scorecards), and most read selfeval's own workbook, which needs no mapping.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Columns(_Model):
    """Role -> the heading of its column, as written in the scorecard (blank: the scorecard has none)."""

    id: str | None = None
    name: str | None = None
    row_kind: str | None = Field(None, description="Column saying whether a row is the value, numerator or denominator.")
    polarity: str | None = None
    unit: str | None = None
    target: str | None = None
    tolerance: str | None = None
    england: str | None = None
    region: str | None = None
    statistical_neighbours: str | None = None
    rag: str | None = None
    judgement_area: str | None = None
    framework_ref: str | None = None
    # long layout only
    period: str | None = None
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None


ROLE_TITLES = {
    "id": "indicator id", "name": "measure name", "row_kind": "value / numerator / denominator marker", "polarity": "polarity",
    "unit": "unit", "target": "target", "tolerance": "tolerance", "england": "England", "region": "region",
    "statistical_neighbours": "statistical neighbours", "rag": "the council's RAG", "judgement_area": "judgement area",
    "framework_ref": "framework ref", "period": "period", "value": "value", "numerator": "numerator", "denominator": "denominator",
}


class SheetMap(_Model):
    name: str = Field(description="The sheet's name (for a CSV, the file name without .csv).")
    layout: Literal["wide", "long"]
    heading_row: int = Field(ge=1, description="The row of column headings (found again if title rows are added above).")
    years_row: int | None = Field(None, ge=1, description="A row above the headings holding years over quarter or month columns.")
    columns: Columns = Field(default_factory=Columns)
    area: str | None = Field(None, description="Judgement area of every measure on the sheet, unless a section band or the measure says otherwise.")
    sections: dict[str, str | None] = Field(default_factory=dict, description="Section band text -> judgement area.")


class Values(_Model):
    percentages: Literal["auto", "fractions", "percentages"] = "auto"
    suppressed: list[str] = Field(default_factory=list, description="More markers read as suppressed.")
    not_available: list[str] = Field(default_factory=list, description="More markers read as not available.")

    @field_validator("suppressed", "not_available", mode="before")
    @classmethod
    def _texts(cls, value: object) -> object:
        if isinstance(value, list):
            return [str(v) for v in value]
        return value


class MeasureMap(_Model):
    sheet: str
    name: str = Field(description="The measure's name as the scorecard writes it: how its rows are found.")
    id: str
    matches: str | None = Field(None, description="The catalogue indicator this measure is, or blank.")
    unit: str | None = None
    polarity: str | None = None
    judgement_area: str | None = None
    framework_ref: str | None = None
    decimals: int | None = None
    tolerance: float | None = None
    key: bool = False
    internal: bool = False
    definition: str | None = None

    @field_validator("unit", "polarity", "matches", "judgement_area", "framework_ref", "definition", mode="before")
    @classmethod
    def _to_complete(cls, value: object) -> object:
        if value is None:
            return None
        text = str(value).strip()
        if text == "" or text.upper() == TO_COMPLETE or text.lower() in ("none", "null", "~"):
            return None
        return text

    @field_validator("id", "name", "sheet", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value)) if float(value).is_integer() else str(value)
        return value


class Mapping(_Model):
    selfeval_mapping: int = VERSION
    file: str
    values: Values = Field(default_factory=Values)
    sheets: list[SheetMap] = Field(default_factory=list)
    measures: list[MeasureMap] = Field(default_factory=list)

    def measure(self, sheet: str, name: str) -> MeasureMap | None:
        return self._index().get((sheet, name.strip().lower()))

    def _index(self) -> dict[tuple[str, str], MeasureMap]:
        cached = self.__dict__.get("_measure_index")
        if cached is None or len(cached) != len(self.measures):
            cached = {(m.sheet, m.name.strip().lower()): m for m in self.measures}
            self.__dict__["_measure_index"] = cached
        return cached


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; errors name its line."""
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("a mapping file holds 'file:', 'sheets:' and 'measures:'; run 'selfeval workbook map' to write one", Location(path, line=1))
    try:
        return Mapping.model_validate(doc.data)
    except ValidationError as e:
        errors = []
        for err in e.errors(include_url=False)[:20]:
            where, _ = doc.locate(tuple(err["loc"]))
            errors.append(InputError(f"{format_loc(tuple(err['loc']))}: {err['msg']}", where))
        if len(errors) == 1:
            raise errors[0] from None
        raise ErrorList(list(errors)) from None


# -- writing --------------------------------------------------------------------------------------

def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    plain = text and text[0].isalnum() and all(ch.isalnum() or ch in " .,_()/'+%&-" for ch in text) and text.lower() not in (
        "true", "false", "yes", "no", "on", "off", "null", "none", "y", "n",
    ) and not _numberish(text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def _numberish(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _line(indent: str, key: str, value: Any, note: str | None = None, *, keep_blank: bool = False) -> str | None:
    if value is None and not keep_blank:
        return None
    text = f"{indent}{key}:" + (f" {_scalar(value)}" if value is not None else "")
    return text + (f"  # {note}" if note else "")


HEADER = """\
# How selfeval reads {file}: written by 'selfeval workbook map'. Check it, and correct anything wrong.
# Running 'selfeval workbook map' again keeps what is here and only adds new sheets and measures
# (delete a sheet's entry to have it worked out again). 'selfeval validate' and 'generate' read the
# scorecard through this file every month: new period columns and new rows are picked up by themselves.
"""


def dump_mapping(mapping: Mapping, notes: dict[tuple[str, str], dict[str, str]] | None = None) -> str:
    """The mapping as commented YAML. ``notes``: (sheet, measure name) -> field -> comment."""
    out = [HEADER.format(file=mapping.file), f"selfeval_mapping: {mapping.selfeval_mapping}", f"file: {_scalar(mapping.file)}", ""]
    out.append("values:")
    out.append(f"  percentages: {mapping.values.percentages}  # auto: a % measure whose values are all 1 or less is read as fractions; or fractions / percentages")
    out.append(f"  suppressed: {json.dumps(mapping.values.suppressed, ensure_ascii=False)}  # markers besides c * x z read as suppressed")
    out.append(f"  not_available: {json.dumps(mapping.values.not_available, ensure_ascii=False)}  # markers besides - n/a .. and blank read as not available")
    out.append("")
    out.append("sheets:")
    for s in mapping.sheets:
        out.extend(_sheet_lines(s))
    out.append("")
    out.extend(measure_lines(mapping.measures, notes or {}, header=True))
    return "\n".join(out) + "\n"


def _sheet_lines(s: SheetMap) -> list[str]:
    lines = [f"  - name: {_scalar(s.name)}", f"    layout: {s.layout}  # wide: a column per period; long: a row per measure and period",
             f"    heading_row: {s.heading_row}"]
    if s.years_row:
        lines.append(f"    years_row: {s.years_row}  # years above the quarter or month headings")
    if s.area:
        lines.append(f"    area: {s.area}")
    lines.append("    columns:  # role: the heading of its column (target and comparator headings may carry their period)")
    for role in Columns.model_fields:
        value = getattr(s.columns, role)
        if value is not None:
            lines.append(f"      {role}: {_scalar(value)}")
    if s.sections:
        lines.append("    sections:  # section bands -> judgement area (help_and_protection, children_in_care, care_leavers, impact_of_leaders)")
        for text, area in s.sections.items():
            lines.append(f"      {_scalar(text)}: {area or ''}".rstrip())
    return lines


def measure_lines(measures: list[MeasureMap], notes: dict[tuple[str, str], dict[str, str]], *, header: bool = False) -> list[str]:
    lines: list[str] = []
    if header:
        lines.append("# One entry per measure. 'matches' is the indicator in selfeval's catalogue it was matched to")
        lines.append("# (its unit, polarity, definition and framework ref are used); set it blank if that is wrong.")
        lines.append("# unit: % | rate per 10,000 | days | count | ratio;  polarity: higher is better | lower is better | contextual")
        lines.append("measures:")
    for m in measures:
        n = notes.get((m.sheet, m.name), {})
        lines.append(f"  - sheet: {_scalar(m.sheet)}")
        lines.append(f"    name: {_scalar(m.name)}  # as in the scorecard: how its rows are found")
        lines.append(f"    id: {_scalar(m.id)}" + (f"  # {n['id']}" if n.get("id") else ""))
        for fieldname in ("matches", "unit", "polarity", "judgement_area", "framework_ref", "decimals", "tolerance"):
            value = getattr(m, fieldname)
            if fieldname in ("unit", "polarity") and value is None:
                lines.append(f"    {fieldname}: {TO_COMPLETE}  # {n.get(fieldname, 'not in the scorecard or the catalogue: please fill in')}")
                continue
            line = _line("    ", fieldname, value, n.get(fieldname))
            if line:
                lines.append(line)
        for flag in ("key", "internal"):
            if getattr(m, flag):
                lines.append(f"    {flag}: true")
    return lines


def merge(existing: Mapping, detected: Mapping) -> tuple[Mapping, list[SheetMap], list[MeasureMap]]:
    """The person's mapping with what is new in the file added; everything already there is kept as it is."""
    known_sheets = {s.name for s in existing.sheets}
    new_sheets = [s for s in detected.sheets if s.name not in known_sheets]
    known = {(m.sheet, m.name.strip().lower()) for m in existing.measures}
    used_ids = {m.id for m in existing.measures}
    new_measures: list[MeasureMap] = []
    for m in detected.measures:
        if (m.sheet, m.name.strip().lower()) in known:
            continue
        if m.id in used_ids:
            m = m.model_copy(update={"id": unique_id(m.id, used_ids)})
        used_ids.add(m.id)
        new_measures.append(m)
    merged = existing.model_copy(update={"sheets": existing.sheets + new_sheets, "measures": existing.measures + new_measures})
    return merged, new_sheets, new_measures


def unique_id(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"
