"""What selfeval needs to know about one measure (id, unit, polarity, area, ...), and where each came from.

The same rules at ``workbook map`` time (to write the mapping) and when reading (for a measure
added to the scorecard since): what the mapping says wins; then the scorecard's own columns on
the measure's row; then the catalogue indicator it matches; at map time only, a unit the name
states plainly ("% of ...", "per 10,000", "(number)"), then "%" when every value cell is formatted as a
percentage. Decimals: the mapping's, else at least as many as the values carry (``decimals_shown``). Polarity is never guessed: a measure with no polarity
from any of these is listed for the person to complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, TypeVar

from selfeval.load.scorecard import vocabulary as vocab
from selfeval.load.scorecard.catalogue import CatalogueEntry, catalogue, match, unit_from_name
from selfeval.load.scorecard.mapping import MeasureMap
from selfeval.models.performance import ID_PATTERN

T = TypeVar("T")


@dataclass
class MeasureInfo:
    id: str
    name: str
    unit: str | None
    polarity: str | None
    judgement_area: str | None = None
    framework_ref: str | None = None
    decimals: int | None = None
    tolerance: float | None = None
    key: bool = False
    internal: bool = False
    definition: str | None = None
    source: str | None = None
    entry: CatalogueEntry | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it came from

    @property
    def missing(self) -> list[str]:
        return [f for f in ("unit", "polarity") if getattr(self, f) is None]


# The most decimal places a scorecard's own values set, by unit: enough for 9.7% or 45.27 per 10,000, few
# enough that float noise (0.097 * 100 = 9.700000000000001) or a computed 9.6666667 never prints as 9.667%.
# A measure without a unit yet may hold fractions (0.125): up to 3.
SHOWN_PLACES_CAP = {"%": 1}
OTHER_PLACES_CAP = 2
NO_UNIT_PLACES_CAP = 3


def places_carried(values: Iterable[float], cap: int) -> int:
    """How many decimal places the values carry, at most ``cap``: 9.7 -> 1, 9.700000000000001 -> 1, 48.0 -> 0."""
    most = 0
    for v in values:
        places = next((d for d in range(cap) if round(v, d) == round(v, 6)), cap)
        most = max(most, places)
        if most == cap:
            break
    return most


def decimals_shown(info: MeasureInfo, unit: str | None, values: Iterable[float]) -> int | None:
    """The decimals a measure is shown with. The mapping's, if it sets them; otherwise at least as many as the
    scorecard's own values carry and never fewer than the catalogue's (DfE publishes 10%; the council's own
    9.7% is not rounded to it, or 9.9% -> 9.7% would read as 'stable'). None: the unit's usual places."""
    if info.sources.get("decimals") == "the mapping":
        return info.decimals
    if unit is None:
        return places_carried(values, NO_UNIT_PLACES_CAP) if info.decimals is None else info.decimals
    carried = places_carried(values, SHOWN_PLACES_CAP.get(unit, OTHER_PLACES_CAP))
    floor = info.decimals if info.decimals is not None else (0 if unit in ("count", "days") else 1)
    if carried <= floor:
        return info.decimals
    return carried


def usable_id(text: str | None) -> str | None:
    """'HP 01' -> 'HP-01'; None if nothing usable is left."""
    if not text:
        return None
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._")
    return cleaned if cleaned and re.match(ID_PATTERN, cleaned) else None


def slug(name: str) -> str:
    words = [w for w in re.sub(r"[^A-Za-z0-9]+", " ", name).split() if w.lower() not in ("of", "the", "a", "an", "with", "in", "and", "to", "for")]
    text = ""
    for w in words:
        if len(text) + len(w) + 1 > 28 and text:
            break
        text = f"{text}-{w}" if text else w
    return text.upper() or "MEASURE"


def describe(
    *,
    sheet: str,
    name: str,
    ref: str | None,
    file_unit: str | None,
    file_polarity: str | None,
    file_area: str | None,
    section_area: str | None,
    sheet_area: str | None,
    entry: MeasureMap | None,
    unit_from_the_name: bool,
    unit_from_format: str | None = None,
) -> MeasureInfo:
    unit = vocab.unit_of(file_unit) if file_unit else None
    polarity = vocab.polarity_of(file_polarity) if file_polarity else None
    info = MeasureInfo(id="", name=name, unit=None, polarity=None)
    cat: CatalogueEntry | None = None
    if entry is not None:
        cat = catalogue().get(entry.matches.upper()) if entry.matches else None
        if entry.matches:
            info.sources["matches"] = "the mapping"
    else:
        found = match(name, ref, unit or (unit_from_name(name) if unit_from_the_name else None) or unit_from_format)
        cat = found.entry if found else None
    info.entry = cat

    def pick(fieldname: str, *options: tuple[T | None, str]) -> T | None:
        for value, where in options:
            if value is not None:
                info.sources[fieldname] = where
                return value
        return None

    m = entry
    cat_where = f"catalogue: {cat.name}" if cat else ""
    info.unit = pick(
        "unit", (m.unit if m else None, "the mapping"), (unit, "the scorecard"), (cat.unit if cat else None, cat_where),
        (unit_from_name(name) if unit_from_the_name else None, "from the measure's name: check"),
        (unit_from_format, "from the cells' number format: check"),
    )
    info.polarity = pick(
        "polarity", (m.polarity if m else None, "the mapping"), (polarity, "the scorecard"), (cat.polarity if cat else None, cat_where),
    )
    area = vocab.area_of(file_area) if file_area else None
    info.judgement_area = pick(
        "judgement_area", (m.judgement_area if m else None, "the mapping"), (area, "the scorecard"),
        (section_area, "the section band"), (cat.judgement_area if cat else None, cat_where), (sheet_area, "the sheet's name"),
    )
    info.framework_ref = pick("framework_ref", (m.framework_ref if m else None, "the mapping"), (cat.framework_ref if cat else None, cat_where))
    info.decimals = pick("decimals", (m.decimals if m else None, "the mapping"), (cat.decimals if cat else None, cat_where))
    info.definition = pick("definition", (m.definition if m else None, "the mapping"), (cat.definition if cat else None, cat_where))
    info.source = cat.source if cat else None
    if m is not None:
        info.tolerance, info.key, info.internal = m.tolerance, m.key, m.internal
        info.id = m.id
    else:
        info.id = usable_id(ref) or (cat.id if cat else None) or slug(name)
    return info
