"""`selfeval data update DIR`: newer EES downloads placed in DIR, merged into the user's store.

Each CSV is recognised by its columns (users rename downloads, and DfE's file names carry the year
range), worked out with the same recipes as the shipped store, compared with what selfeval has
(new years, revised values) and written to the user's data folder (see ``store.user_store_dir``),
whole or not at all. A file whose columns selfeval does not know is refused, naming the file and
the missing column: nothing is guessed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from selfeval.errors import ErrorList, InputError, Location, SelfevalError
from selfeval.published.derive import GEOGRAPHY_COLUMNS, POPULATION, Area, Derived, SourceError, derive_files, read_table, recipes, store_files
from selfeval.published.store import Value, area, clear_cache, index, user_store_dir


def _needed_columns() -> dict[str, list[str]]:
    """Known file name -> every column selfeval reads from it."""
    rec = recipes()
    needed: dict[str, list[str]] = {}
    for m in (*rec.measures, rec.population):
        cols = needed.setdefault(m.file, list(GEOGRAPHY_COLUMNS))
        cols += [c for c in m.columns() if c not in cols]
    return needed


def recognise(path: Path, header: list[str]) -> str:
    """The known file this download is a newer edition of; InputError naming the missing column otherwise."""
    needed = _needed_columns()
    present = set(header)
    scored = sorted(needed.items(), key=lambda kv: (-len(present & set(kv[1][len(GEOGRAPHY_COLUMNS):])), kv[0]))
    full = [name for name, cols in scored if set(cols) <= present]
    if full:
        return full[0]
    best, cols = scored[0]
    missing = [c for c in cols if c not in present]
    if len(present & set(cols[len(GEOGRAPHY_COLUMNS):])) == 0:
        raise InputError(
            f"selfeval does not know this file's columns: it is not one of the DfE releases it reads "
            f"(children in need, children looked after, care leavers, workforce, ONS population); missing column '{missing[0]}'",
            Location(path),
        )
    raise InputError(f"has the layout of {best} but no column '{missing[0]}'; download the same table from EES again", Location(path))


def _current() -> tuple[dict[str, Area], dict[str, str]]:
    areas: dict[str, Area] = {}
    meta = index()["areas"]
    for key, m in meta.items():
        figures = area(key)
        if figures is None:
            continue
        areas[key] = Area(
            key=key, level=m["level"], name=m["name"], code=m["code"], new_code=m["new_code"],
            region_code=m["region_code"], region_name=m["region_name"],
            series={i: dict(s) for i, s in figures.series.items()},
        )
    return areas, dict(index()["sources"])


def _name(areas: dict[str, Area], key: str) -> str:
    return areas[key].name if key in areas else key


def apply_update(folder: Path) -> tuple[list[str], list[str]]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise InputError("holds no .csv files: put the EES downloads (CSV) in this folder", Location(folder))
    errors: list[SelfevalError] = []
    mapped: dict[str, Path] = {}
    for path in files:
        try:
            known = recognise(path, read_table(path).header)
        except SelfevalError as e:
            errors.append(e)
            continue
        except (UnicodeDecodeError, OSError) as e:
            errors.append(InputError(f"cannot be read as a CSV file ({type(e).__name__})", Location(path)))
            continue
        if known in mapped:
            errors.append(InputError(f"is another copy of {known} (so is {mapped[known].name}): keep one", Location(path)))
            continue
        mapped[known] = path
    if errors:
        raise ErrorList(errors)

    current, sources = _current()
    population: dict[tuple[str, str], Value] = {
        (key, year): value for key, a in current.items() for year, value in a.series.get(POPULATION, {}).items()
    }
    try:
        new = derive_files(mapped, population=population)
    except SourceError as e:
        raise InputError(str(e).split(": ", 1)[1], Location(e.file)) from None

    lines: list[str] = []
    warnings: list[str] = []
    by_file = {m.id: m.file for m in recipes().measures}
    for known, path in mapped.items():
        lines.append(f"{path.name}: read as {known}")
    changed = False
    for indicator_id in [m.id for m in recipes().measures] + [POPULATION]:
        if indicator_id != POPULATION and by_file[indicator_id] not in mapped:
            continue
        new_years: dict[str, int] = {}
        revised: list[str] = []
        found = False
        for key, a in new.areas.items():
            for year, value in a.series.get(indicator_id, {}).items():
                found = True
                old = current[key].series.get(indicator_id, {}).get(year) if key in current else None
                if old is None:
                    new_years[year] = new_years.get(year, 0) + 1
                elif old != value:
                    revised.append(f"{_name(current, key)} {year}: {old} -> {value}")
        if not found and indicator_id != POPULATION:
            warnings.append(f"no rows for {indicator_id} in {mapped[by_file[indicator_id]].name} (its filter values were not found)")
        if new_years or revised:
            changed = True
        for year, count in sorted(new_years.items()):
            lines.append(f"{indicator_id}: {year} is new ({count} areas)")
        if revised:
            lines.append(f"{indicator_id}: {len(revised)} revised value{'s' if len(revised) != 1 else ''}: " + "; ".join(revised[:5])
                         + (f"; and {len(revised) - 5} more" if len(revised) > 5 else ""))
    if not changed:
        lines.append("No new years and no revised values: nothing was stored.")
        return lines, warnings

    merged = dict(current)
    for key, a in new.areas.items():
        target = merged.setdefault(key, Area(a.key, a.level, a.name, a.code, a.new_code, a.region_code, a.region_name))
        for indicator_id, series in a.series.items():
            target.series.setdefault(indicator_id, {}).update(series)
    sources.update(new.sources)
    target_dir = user_store_dir()
    _replace_folder(store_files(Derived(merged, dict(sorted(sources.items())))), target_dir)
    clear_cache()
    lines.append(f"Stored in {target_dir}: selfeval uses these figures from now on (delete that folder to go back to the figures it shipped with).")
    return lines, warnings


def _replace_folder(files: dict[str, bytes], target: Path) -> None:
    """Write the whole store beside ``target`` and swap it in, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".published-new-", dir=target.parent))
    for name, data in files.items():
        (fresh / name).write_bytes(data)
    old = None
    if target.exists():
        old = target.with_name(f".published-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(fresh, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
