"""`selfeval data councils | show | update`: the DfE published statistics shipped with selfeval."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.analyse.benchmarks import CouncilFigures, IndicatorFigures, YearFigures, council_figures, median_places
from selfeval.councils import Council, UnknownCouncil, all_councils, by_code, resolve_council
from selfeval.errors import InputError, Location
from selfeval.published.indicators import attribution, published_indicators
from selfeval.published.store import Value, code_meaning


def council_named(name: str) -> Council:
    """The council, or exit 2 with the nearest names ("did you mean Sefton?")."""
    try:
        return resolve_council(name)
    except UnknownCouncil as e:
        raise InputError(e.message) from None


# -- data councils -------------------------------------------------------------------------------

def councils(as_json: bool) -> str:
    items = all_councils()
    if as_json:
        return json.dumps(
            {"councils": [
                {
                    "name": c.name, "old_code": c.old_code, "new_code": c.new_code, "region": c.region, "la_type": c.la_type,
                    "statistical_neighbours": [by_code(n).name for n in c.statistical_neighbours],
                    "statistical_neighbour_codes": list(c.statistical_neighbours),
                    "successor_of": [by_code(o).name for o in c.successor_of],
                }
                for c in items
            ]},
            indent=2, ensure_ascii=False,
        )
    width = max(len(c.name) for c in items)
    lines = [f"{'Council':<{width}}  Code  ONS code   {'Region':<24}  Type"]
    for c in items:
        lines.append(f"{c.name:<{width}}  {c.old_code:<4}  {c.new_code}  {c.region:<24}  {c.la_type}")
        lines.append(f"{'':<{width}}  statistical neighbours: {', '.join(by_code(n).name for n in c.statistical_neighbours)}")
    lines.append(f"{len(items)} councils. Statistical neighbours: DfE's 2025 model, closest first.")
    return "\n".join(lines)


# -- data show -----------------------------------------------------------------------------------

def _json_value(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {"value": None}
    if isinstance(value, str):
        return {"value": None, "code": value, "meaning": code_meaning(value)}
    return {"value": value}


def _point(y: YearFigures, value: Value | None) -> dict[str, Any]:
    return {"period": y.period, "dfe_year": y.year, **_json_value(value)}


def _indicator_json(item: IndicatorFigures) -> dict[str, Any]:
    ind = item.indicator
    return {
        "id": ind.id, "name": ind.name, "unit": ind.unit, "polarity": ind.polarity, "definition": ind.definition,
        "note": item.note,
        "council": [_point(y, y.council) for y in item.years],
        "england": [_point(y, y.england) for y in item.years],
        "region": [_point(y, y.region) for y in item.years],
        "statistical_neighbours_median": [
            {**_point(y, y.sn_median), "neighbours_with_a_value": y.sn_count, "of": y.sn_of} for y in item.years
        ],
        "rank": [{"period": y.period, "dfe_year": y.year, "rank": y.rank, "of": y.rank_of} for y in item.years],
    }


def show_json(figures: CouncilFigures) -> dict[str, Any]:
    c = figures.council
    return {
        "name": c.name, "old_code": c.old_code, "new_code": c.new_code, "region": figures.region, "la_type": c.la_type,
        "statistical_neighbours": [n.name for n in figures.neighbours],
        "notes": list(figures.notes),
        "indicators": [_indicator_json(i) for i in figures.indicators],
        "sources": attribution(figures.releases),
    }


def text_value(value: Value | float | None, decimals: int, unit: str) -> str:
    """How a published figure is printed: '22.6%', '357.2', 'suppressed (small number)', '–'."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return code_meaning(value) or value
    text = f"{value:,.{decimals}f}"
    return text + "%" if unit == "%" else text


def show_text(figures: CouncilFigures) -> str:
    c = figures.council
    lines = [
        f"{c.name} ({c.old_code}, {c.new_code}): {c.la_type}, {figures.region}",
        f"Statistical neighbours (DfE 2025 model, closest first): {', '.join(n.name for n in figures.neighbours) or 'none'}",
        *figures.notes,
    ]
    for item in figures.indicators:
        ind = item.indicator
        lines += ["", f"{ind.name} [{ind.id}] ({ind.unit}, {ind.polarity})"]
        if item.note:
            lines.append(f"  {c.name}'s figures are {item.note}.")
        headings = ["Period", c.name, "England", figures.region, f"SN median (of {len(figures.neighbours)})", "Rank"]
        rows = []
        for y in item.years:
            if y.council is None and y.england is None:
                continue
            sn = text_value(y.sn_median, median_places(y.sn_median, ind.decimals) if y.sn_median is not None else 0, ind.unit)
            rows.append([
                y.period, text_value(y.council, ind.decimals, ind.unit), text_value(y.england, ind.decimals, ind.unit),
                text_value(y.region, ind.decimals, ind.unit), f"{sn} ({y.sn_count})" if y.sn_median is not None else "–",
                f"{y.rank} of {y.rank_of}" if y.rank else "–",
            ])
        widths = [max(len(str(r[i])) for r in [headings, *rows]) for i in range(len(headings))]
        for r in [headings, *rows]:
            lines.append("  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip())
    lines += ["", "SN median: the median of the statistical neighbours with a value (how many in brackets), as DfE's dashboard.",
              "Rank: 1 is the best of the council and its neighbours with a value; for an indicator where neither "
              "higher nor lower is better, 1 is the highest."]
    lines += ["Sources:", *[f"  {s}" for s in attribution(figures.releases)]]
    return "\n".join(lines)


def show(name: str, indicator: str | None, as_json: bool) -> str:
    council = council_named(name)
    ids = None
    if indicator is not None:
        known = {i.id.lower(): i.id for i in published_indicators()}
        if indicator.strip().lower() not in known:
            import difflib

            near = difflib.get_close_matches(indicator.strip().upper(), list(known.values()), n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(near)}?" if near else f" (published indicators: {', '.join(known.values())})"
            raise InputError(f"'{indicator}' is not a published indicator{hint}")
        ids = [known[indicator.strip().lower()]]
    figures = council_figures(council, ids)
    if as_json:
        return json.dumps(show_json(figures), indent=2, ensure_ascii=False)
    return show_text(figures)


# -- data update ---------------------------------------------------------------------------------

@dataclass
class UpdateResult:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def update(folder: Path) -> UpdateResult:
    """Read newer EES downloads in ``folder``, report new years and revised values, and store them."""
    from selfeval.published.update import apply_update

    if not folder.is_dir():
        raise InputError("is not a folder: give the folder holding the EES CSV files you downloaded", Location(folder))
    return UpdateResult(*apply_update(folder))
