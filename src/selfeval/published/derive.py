"""Derive the published-statistics store from DfE's EES CSV downloads (stdlib only).

One function turns a folder of EES CSVs into a :class:`Derived` dataset, following the recipes in
``measures.yaml``; another writes it as the store the package ships (``data/``). The same code is
used by ``tools/build_published.py`` (the shipped store, from ``../shared/data/dfe``) and by
``selfeval data update`` (a user's newer downloads), so a figure is worked out one way only.

Why one JSON file per area (England, each region, each council) rather than one database: loading a
council's figures with its region, England and its 10 statistical neighbours reads 13 small files
(about 6 kB each) and takes a few milliseconds with the standard library; the files are plain text,
so a rebuild is byte-for-byte comparable and a revised DfE figure shows as a one-line diff in review;
and the whole store is about 1 MB on disk and a fraction of that in the wheel.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from selfeval.published.store import Value

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
LEVELS = {"National": "national", "Regional": "region", "Local authority": "la"}
GEOGRAPHY_COLUMNS = ("time_period", "geographic_level", "region_code", "region_name", "old_la_code", "la_name")


class SourceError(ValueError):
    """A CSV that does not have the layout selfeval knows: names the file and the place."""

    def __init__(self, file: Path | str, message: str):
        self.file = str(file)
        super().__init__(f"{Path(file).name}: {message}")


@dataclass(frozen=True)
class Measure:
    id: str
    release: str
    basis: str  # year_to_march | september
    file: str
    where: dict[str, str]
    column: str | None = None
    per_10k: str | None = None

    def columns(self) -> list[str]:
        """Every column this measure reads, beside the geography columns."""
        cols = list(self.where)
        if self.column:
            cols.append(self.column)
        if self.per_10k:
            cols.append(self.per_10k)
        return cols


@dataclass(frozen=True)
class Recipes:
    measures: tuple[Measure, ...]
    population: Measure
    releases: dict[str, dict[str, str]]
    codes: dict[str, str]
    licence: str
    licence_url: str

    def files(self) -> list[str]:
        return sorted({m.file for m in self.measures} | {self.population.file})

    def measure(self, indicator_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == indicator_id), None)


@cache
def recipes() -> Recipes:
    raw = yaml.safe_load(resources.files("selfeval.published").joinpath("measures.yaml").read_text(encoding="utf-8"))

    def measure(item: dict[str, Any], **defaults: str) -> Measure:
        return Measure(
            id=item.get("id", "population"), release=item.get("release", defaults.get("release", "ons")),
            basis=item.get("basis", "year_to_march"), file=item["file"],
            where={str(k): str(v) for k, v in (item.get("where") or {}).items()},
            column=item.get("column"), per_10k=item.get("per_10k"),
        )

    return Recipes(
        measures=tuple(measure(m) for m in raw["measures"]),
        population=measure(raw["population"], release="ons"),
        releases={k: {str(a): str(b) for a, b in v.items()} for k, v in raw["releases"].items()},
        codes={str(k): str(v) for k, v in raw["codes"].items()},
        licence=raw["licence"],
        licence_url=raw["licence_url"],
    )


# -- reading the CSVs ------------------------------------------------------------------------------

@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    sha256: str


def read_table(path: Path) -> Table:
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return Table(path, header, list(reader), hashlib.sha256(data).hexdigest())


def check_columns(table: Table, needed: list[str]) -> None:
    """Refuse a file that lacks a column we read (named), so nothing is guessed."""
    for column in [*GEOGRAPHY_COLUMNS, *needed]:
        if column not in table.header:
            raise SourceError(table.path, f"has no column '{column}' (the DfE layout selfeval reads has it); is this the right file?")


def geography(row: dict[str, str], path: Path, line: int) -> str | None:
    """'england', 'region-E12000002' or 'la-359'; None for a level we do not keep."""
    level = LEVELS.get(row["geographic_level"].strip())
    if level is None:
        return None
    if level == "national":
        return "england"
    if level == "region":
        code = row["region_code"].strip()
        if not code:
            raise SourceError(path, f"line {line}: a Regional row without a region_code")
        return f"region-{code}"
    code = row["old_la_code"].strip()
    if not code:
        raise SourceError(path, f"line {line}: a Local authority row without an old_la_code")
    # A joint return ("314 / 318": one workforce for Kingston and Richmond) is its own area, "la-314+318".
    return "la-" + "+".join(part.strip() for part in code.split("/"))


def parse_value(text: str, codes: dict[str, str], path: Path, line: int, column: str) -> Value | None:
    """'22.6' -> 22.6, '67' -> 67, 'c' -> 'c'; blank -> None (nothing published); anything else is an error."""
    text = text.strip()
    if text == "":
        return None
    if text.lower() in codes:
        return text.lower()
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    raise SourceError(path, f"line {line}, column '{column}': '{text[:20]}' is neither a number nor a DfE code ({', '.join(codes)})")


# -- the dataset ------------------------------------------------------------------------------------

@dataclass
class Area:
    key: str
    level: str  # national | region | la
    name: str
    code: str  # old LA code, region code or E92000001
    new_code: str
    region_code: str
    region_name: str
    series: dict[str, dict[str, Value]] = field(default_factory=dict)  # indicator id -> DfE year -> value


@dataclass
class Derived:
    areas: dict[str, Area]
    sources: dict[str, str]  # file name -> sha256


def _area_from_row(key: str, row: dict[str, str]) -> Area:
    level = key.split("-")[0] if key != "england" else "national"
    if level == "national":
        return Area(key, "national", "England", "E92000001", "E92000001", "", "")
    if level == "region":
        return Area(key, "region", _region_name(row["region_name"]), row["region_code"].strip(), row["region_code"].strip(), "", "")
    return Area(
        key, "la", row["la_name"].strip(), row["old_la_code"].strip(), row.get("new_la_code", "").strip(),
        row["region_code"].strip(), _region_name(row["region_name"]),
    )


def _region_name(text: str) -> str:
    # DfE writes "Yorkshire and The Humber"; ONS and the councils catalogue "Yorkshire and the Humber".
    return text.strip().replace(" The ", " the ")


def _select(table: Table, measure: Measure) -> list[tuple[int, str, str, dict[str, str]]]:
    """(line, area key, year, row) for the rows this measure keeps."""
    picked = []
    for line, row in enumerate(table.rows, start=2):
        if any(row[k].strip() != v for k, v in measure.where.items()):
            continue
        key = geography(row, table.path, line)
        if key is None:
            continue
        picked.append((line, key, row["time_period"].strip(), row))
    return picked


POPULATION = "POP-0-17"  # the ONS children 0-17 series kept in the store, so an update can work out new rates


def derive(folder: Path) -> Derived:
    """Read every EES CSV named in measures.yaml from ``folder`` and work out every measure."""
    rec = recipes()
    paths = {}
    for name in rec.files():
        if not (folder / name).is_file():
            raise SourceError(folder / name, "is missing")
        paths[name] = folder / name
    return derive_files(paths)


def derive_files(paths: dict[str, Path], *, population: dict[tuple[str, str], Value] | None = None) -> Derived:
    """Work out the measures whose files are given (known name -> path on disk) for every area and year.

    ``population`` (area key, ONS year) -> children 0-17 is used when no ONS file is given (an update
    of one release uses the population already in the store)."""
    rec = recipes()
    tables = {name: read_table(path) for name, path in sorted(paths.items())}
    areas: dict[str, Area] = {}

    def area(key: str, row: dict[str, str]) -> Area:
        if key not in areas:
            areas[key] = _area_from_row(key, row)
        elif areas[key].level == "la" and not areas[key].new_code and row.get("new_la_code", "").strip():
            areas[key].new_code = row["new_la_code"].strip()
        return areas[key]

    children: dict[tuple[str, str], Value] = dict(population or {})
    pop = rec.population
    if pop.file in tables:
        table = tables[pop.file]
        check_columns(table, pop.columns())
        assert pop.column
        for line, key, year, row in _select(table, pop):
            value = parse_value(row[pop.column], rec.codes, table.path, line, pop.column)
            if value is not None:
                children[(key, year)] = value
                area(key, row).series.setdefault(POPULATION, {})[year] = value

    for m in rec.measures:
        if m.file not in tables:
            continue
        table = tables[m.file]
        check_columns(table, m.columns())
        result: dict[tuple[str, str], Value] = {}
        column = m.column or m.per_10k
        assert column
        for line, key, year, row in _select(table, m):
            value = parse_value(row[column], rec.codes, table.path, line, column)
            if value is None:
                continue
            if (key, year) in result:
                raise SourceError(table.path, f"line {line}: a second row for {key} in {year} ({m.id}); the filter in measures.yaml is not specific enough")
            area(key, row)
            if m.per_10k:
                value = _per_10k(value, children.get((key, str(int(year) - 1))))
            result[(key, year)] = value
        for (key, year), value in result.items():
            areas[key].series.setdefault(m.id, {})[year] = value
    return Derived(areas, {name: t.sha256 for name, t in sorted(tables.items())})


def _per_10k(count: Value, population: Value | None) -> Value:
    if isinstance(count, str):
        return count
    if population is None:
        return "x"
    if isinstance(population, str):
        return population
    if population == 0:
        return "z"
    return round(count / population * 10000, 1)


# -- the store --------------------------------------------------------------------------------------

def store_files(derived: Derived) -> dict[str, bytes]:
    """File name -> bytes of the store: index.json and one <area>.json per area (deterministic)."""
    rec = recipes()
    files: dict[str, bytes] = {}
    index: dict[str, Any] = {
        "format": 1,
        "sources": derived.sources,
        "areas": {},
    }
    for key in sorted(derived.areas):
        a = derived.areas[key]
        index["areas"][key] = {
            "level": a.level, "name": a.name, "code": a.code, "new_code": a.new_code,
            "region_code": a.region_code, "region_name": a.region_name,
        }
        lines = [
            "{" + json.dumps({"key": a.key, "level": a.level, "name": a.name, "code": a.code, "new_code": a.new_code,
                              "region_code": a.region_code, "region_name": a.region_name}, ensure_ascii=False)[1:-1]
            + ',"series":{'
        ]
        items = sorted(a.series.items())
        for n, (indicator_id, series) in enumerate(items):
            body = json.dumps({y: series[y] for y in sorted(series)}, separators=(",", ":"))
            lines.append(f'{json.dumps(indicator_id)}:{body}' + ("," if n < len(items) - 1 else ""))
        lines.append("}}")
        files[f"{key}.json"] = ("\n".join(lines) + "\n").encode("utf-8")
    # The definitions are baked in so that reading the store needs no YAML parser (speed).
    from selfeval.published.indicators import definitions

    index["indicators"] = definitions()
    index["releases"] = rec.releases
    index["codes"] = rec.codes
    index["licence"] = {"text": rec.licence, "url": rec.licence_url}
    files["index.json"] = (json.dumps(index, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    return files
