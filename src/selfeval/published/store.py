"""Read the published-statistics store: one small JSON file per area (England, a region, a council).

Stdlib only, and each file is read once per process, so a council with its region, England and its
ten statistical neighbours loads in a few milliseconds (``bench/bench_published.py``).

A user's ``selfeval data update`` writes a newer store into their data folder
(``$SELFEVAL_DATA_DIR``, else ``~/.local/share/selfeval/published``); when one is there it is read
instead of the copy shipped in the package.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

Value = float | int | str  # a number, or a suppression / missing code such as "c"

ENGLAND = "england"


def user_store_dir() -> Path:
    base = os.environ.get("SELFEVAL_DATA_DIR")
    if base:
        return Path(base) / "published"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "selfeval" / "published"


def shipped_store_dir() -> Path:
    return Path(str(resources.files("selfeval.published").joinpath("data")))


@cache
def store_dir() -> Path:
    """The user's updated store if there is one, else the shipped one."""
    user = user_store_dir()
    return user if (user / "index.json").is_file() else shipped_store_dir()


@dataclass(frozen=True)
class AreaFigures:
    """One area's published figures: England, a region or a council (or a joint return)."""

    key: str  # "england", "region-E12000002", "la-359", "la-314+318" (a joint return)
    level: str  # national | region | la
    name: str
    code: str
    region_code: str
    region_name: str
    series: dict[str, dict[str, Value]]  # indicator id -> DfE year ("2025") -> value or code

    def value(self, indicator_id: str, year: str) -> Value | None:
        return self.series.get(indicator_id, {}).get(year)


@cache
def index() -> dict[str, Any]:
    return json.loads((store_dir() / "index.json").read_text(encoding="utf-8"))


@cache
def area(key: str) -> AreaFigures | None:
    """The figures of one area, or None if the store has none for it."""
    path = store_dir() / f"{key}.json"
    if key not in index()["areas"] or not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return AreaFigures(
        key=raw["key"], level=raw["level"], name=raw["name"], code=raw["code"],
        region_code=raw["region_code"], region_name=raw["region_name"], series=raw["series"],
    )


def council_key(old_code: str) -> str:
    return f"la-{old_code}"


@cache
def _joint_keys() -> dict[str, tuple[str, ...]]:
    """Old LA code -> keys of the joint returns it is part of ("314" -> ("la-314+318",))."""
    found: dict[str, list[str]] = {}
    for key in index()["areas"]:
        if key.startswith("la-") and "+" in key:
            for code in key[3:].split("+"):
                found.setdefault(code, []).append(key)
    return {code: tuple(keys) for code, keys in found.items()}


def joint_areas(old_code: str) -> list[AreaFigures]:
    """Joint returns that include this council (one workforce for two councils, run by a trust)."""
    return [a for a in (area(key) for key in _joint_keys().get(old_code, ())) if a is not None]


def region_key(region_name: str) -> str | None:
    """The store's key for a region, by its name ('North West' -> 'region-E12000002')."""
    wanted = region_name.strip().lower()
    for key, meta in index()["areas"].items():
        if meta["level"] == "region" and meta["name"].lower() == wanted:
            return str(key)
    return None


def source_hashes() -> dict[str, str]:
    return dict(index()["sources"])


def code_meaning(value: Value) -> str | None:
    """'c' -> 'suppressed (small number)'; None for a number."""
    if isinstance(value, str):
        return str(index()["codes"].get(value, value))
    return None


def clear_cache() -> None:
    """Forget what was read (after ``data update`` wrote a new store)."""
    store_dir.cache_clear()
    index.cache_clear()
    area.cache_clear()
    _joint_keys.cache_clear()
