"""How ``validate`` and ``generate`` find the council's performance data in an inputs folder.

* ``performance.xlsx`` in selfeval's own format (no mapping needed), and
* **any .xlsx or .csv with a ``<stem>.mapping.yaml`` beside it**: the council's own scorecard, read
  through the mapping ``selfeval workbook map`` wrote (``performance.xlsx`` too, if it has one).

Several sources are read together; an indicator id in two of them is an error naming both. A
workbook or CSV without a mapping is not guessed at: a warning says how to map it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.errors import ErrorList, InputError, Location, SelfevalError, display_path
from selfeval.load.scorecard.grid import SCORECARD_SUFFIXES, mapping_path_for


@dataclass
class Found:
    """The performance files of an inputs folder, each with its mapping, and the warnings about them."""

    sources: list[tuple[Path, Path | None]] = field(default_factory=list)  # (file, its mapping or None for own format)
    warnings: list[str] = field(default_factory=list)


def find_scorecards(base: Path, *, own: tuple[str, ...], skip: tuple[str, ...]) -> Found:
    found = Found()
    if not base.is_dir():
        return found
    for path in sorted(base.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SCORECARD_SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        if path.name in skip:
            continue
        mapping = mapping_path_for(path)
        if mapping.is_file():
            found.sources.append((path, mapping))
        elif path.name in own:
            found.sources.append((path, None))
        else:
            found.warnings.append(
                f"{display_path(path)} is not read: it has no mapping. If it is your scorecard, run "
                f"'selfeval workbook map {display_path(path)}' to make one"
            )
    return found


def _load_one(path: Path, mapping: Path | None) -> Any:
    if mapping is not None:
        from selfeval.load.scorecard.read import load_scorecard

        return load_scorecard(path, mapping)
    from selfeval.load.workbook import load_workbook

    try:
        return load_workbook(path)
    except InputError as e:
        if "has no 'Indicators' sheet" in e.message or "has no 'Data' sheet" in e.message:
            # Most often the council's own scorecard saved under the expected name.
            raise InputError(
                e.message + f". If this is your council's own scorecard, run 'selfeval workbook map {display_path(path)}': "
                "selfeval then reads it through the mapping it writes beside it",
                e.location,
            ) from None
        raise


def load_performance_sources(sources: list[tuple[Path, Path | None]], errors: list[SelfevalError]) -> tuple[Any, list[Path], list[str]]:
    """Read every source; problems join ``errors``. Returns (PerformanceData or None, the paths read, notes)."""
    from selfeval.models.performance import PerformanceData

    loaded: list[tuple[Path, Any]] = []
    skipped_notes: list[str] = []
    for path, mapping in sources:
        try:
            loaded.append((path, _load_one(path, mapping)))
        except ErrorList as e:
            errors.extend(e.errors)
        except SelfevalError as e:
            errors.append(e)
    if not loaded:
        return None, [], []
    mapping_of = dict(sources)
    if len(loaded) > 1 and any(mapping_of[p] is not None for p, _ in loaded):
        # 'selfeval init' left its template performance.xlsx: with no values of the council's, the scorecard supersedes it.
        for p, d in list(loaded):
            if mapping_of[p] is None and not any(o.value is not None for o in d.observations):
                loaded.remove((p, d))
                skipped_notes.append(
                    f"{display_path(p)} holds no values of yours (the template 'selfeval init' made), so only your scorecard "
                    "is read; delete it to stop this note"
                )
    if len(loaded) == 1:
        path, data = loaded[0]
        mapped = dict(sources).get(path) is not None
        return data, [path], skipped_notes + (list(data.notes) if mapped else [])
    first: dict[str, Path] = {}
    indicators, observations, comparators, notes = [], [], [], []
    clashes: dict[tuple[Path, Path], list[str]] = {}  # (file, the file read first) -> the ids both hold
    for path, data in loaded:
        for ind in data.indicators:
            if ind.id in first:
                clashes.setdefault((path, first[ind.id]), []).append(ind.id)
                continue
            first[ind.id] = path
            indicators.append(ind)
        observations.extend(data.observations)
        comparators.extend(data.comparators)
        notes.extend(data.notes)
    data_of = dict(loaded)
    for (path, other), ids in clashes.items():
        made = next((p for p in (path, other) if mapping_of[p] is None and made_by_init(p)), None)
        if made is None:
            errors.extend(InputError(
                f"the indicator id {ident} is also in {other.name}: give one of them another id (in its mapping's 'id:')", Location(path),
            ) for ident in ids)
            continue
        scorecard = other if made == path else path
        errors.append(_init_clash(made, scorecard, ids, data_of[made], data_of[scorecard], mapping_of.get(scorecard)))
    merged = PerformanceData(
        source_path=", ".join(str(p) for p, _ in loaded), indicators=indicators, observations=observations, comparators=comparators, notes=notes
    )
    return merged, [p for p, _ in loaded], skipped_notes + notes


# What 'selfeval init' writes in the workbook's properties (scaffold/workbook_template.py); Excel and
# LibreOffice keep both when the file is edited and saved again.
_INIT_CREATOR = re.compile(rb"<(?:[\w.-]+:)?creator\b[^>]*>\s*selfeval\s*</")
_INIT_TITLE = re.compile(rb"<(?:[\w.-]+:)?title\b[^>]*>\s*Performance workbook\b")
_MAX_CORE_XML = 64 * 1024


def made_by_init(path: Path) -> bool:
    """Whether the workbook is the one 'selfeval init' wrote (pre-filled with the council's published figures)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > _MAX_CORE_XML:
                return False
            core = zf.read(info)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False
    return bool(_INIT_CREATOR.search(core) and _INIT_TITLE.search(core))


def _init_clash(made: Path, scorecard: Path, ids: list[str], made_data: Any, scorecard_data: Any, mapping: Path | None) -> InputError:
    """One message for every measure the council's own scorecard and init's pre-filled workbook both hold."""
    names = {ind.id: ind.name for ind in scorecard_data.indicators}  # in the council's own words
    shown = ", ".join(f"{i} ({names.get(i, i)})" for i in ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    clashing = set(ids)
    others = len({o.indicator_id for o in made_data.observations if o.value is not None and o.indicator_id not in clashing})
    lost = f" (its {others} other measure(s) with figures then leave the documents)" if others else ""
    return InputError(
        f"your own scorecard {scorecard.name} and this workbook, which 'selfeval init' pre-filled with your council's published "
        f"figures, both hold {len(ids)} measure(s): {shown}. If {scorecard.name} replaces this workbook, move {made.name} out of "
        f"the {made.parent.name} folder{lost}. To keep both, give each of these measures another id in "
        f"{mapping.name if mapping is not None else scorecard.name} (its 'id:' line)",
        Location(made),
    )
