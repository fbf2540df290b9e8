"""`selfeval workbook map FILE`: work out how a council's scorecard is laid out and write its mapping.

The mapping (``<stem>.mapping.yaml`` beside the file) is for a person to read and correct. Running
the command again keeps it as it is: only sheets and measures not in it yet are added (new
measures are appended to the end of the file, so the person's edits and comments stay exactly as
they left them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfeval.errors import ErrorList, InputError, Location, SelfevalError, display_path


@dataclass
class MapResult:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    understood: list[tuple[str, str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    measures: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # id, name, matched, unit, polarity
    problems: list[str] = field(default_factory=list)
    mapping_path: Path | None = None
    own_format: bool = False


def map_scorecard(path: Path) -> MapResult:
    from selfeval.load.scorecard.detect import detect
    from selfeval.load.scorecard.grid import read_grids
    from selfeval.load.scorecard.mapping import (
        TO_COMPLETE, dump_mapping, load_mapping, mapping_path_for, measure_lines, merge,
    )
    from selfeval.write.output import atomic_write

    if not path.is_file():
        raise InputError("the file does not exist" if not path.exists() else "this is a folder, not a scorecard file", Location(path))
    grids = read_grids(path)
    detected, understanding = detect(grids)
    result = MapResult(understood=understanding.understood, ignored=understanding.ignored)
    if understanding.own_format:
        result.own_format = True
        result.lines.append(
            f"{display_path(path)} is in selfeval's own format (Indicators and Data/Values sheets): it needs no mapping. "
            "Put it in your inputs folder as performance.xlsx and run 'selfeval validate'."
        )
        return result
    if not detected.sheets:
        raise InputError(
            "no sheet looks like a scorecard: selfeval looks, in the first 30 rows, for a heading row with a measure name "
            "(or id) column and period columns such as 2024-25, Q2 2025-26 or Apr-25 (or Measure, Period and Value columns)",
            Location(path),
            details=[f"{where}: {why}" for where, why in understanding.ignored],
        )
    mapping_path = mapping_path_for(path)
    result.mapping_path = mapping_path
    shown = display_path(mapping_path)
    if mapping_path.exists():
        from selfeval.load.scorecard.read import check_belongs

        existing = load_mapping(mapping_path)
        check_belongs(existing, mapping_path, path)
        merged, new_sheets, new_measures = merge(existing, detected)
        if new_sheets:
            atomic_write(mapping_path, dump_mapping(merged, understanding.notes).encode("utf-8"))
            result.lines.append(
                f"updated {shown}: added {len(new_sheets)} sheet(s) ({', '.join(s.name for s in new_sheets)}) and "
                f"{len(new_measures)} measure(s); everything you had set is kept"
            )
            result.warnings.append(f"{shown} was rewritten to add the new sheets: comments you had added to it were not kept (your settings were)")
        elif new_measures:
            text = mapping_path.read_text(encoding="utf-8")
            addition = "\n".join(measure_lines(new_measures, understanding.notes)) + "\n"
            candidate = text if text.endswith("\n") else text + "\n"
            candidate += addition
            if _appends_cleanly(candidate, mapping_path, len(merged.measures)):
                atomic_write(mapping_path, candidate.encode("utf-8"))
            else:
                atomic_write(mapping_path, dump_mapping(merged, understanding.notes).encode("utf-8"))
                result.warnings.append(f"{shown} was rewritten to add the new measures: comments you had added to it were not kept (your settings were)")
            result.lines.append(f"updated {shown}: added {len(new_measures)} new measure(s) at the end; everything you had set is kept")
        else:
            result.lines.append(f"{shown} is up to date: nothing new in the scorecard, and the mapping is left exactly as it is")
        mapping = merged
    else:
        atomic_write(mapping_path, dump_mapping(detected, understanding.notes).encode("utf-8"))
        result.lines.append(f"wrote {shown}")
        mapping = detected
    for m in mapping.measures:
        result.measures.append((m.id, m.name, m.matches or "", m.unit or TO_COMPLETE, m.polarity or TO_COMPLETE))
    todo = [m for m in mapping.measures if not m.unit or not m.polarity]
    # Read the file through the mapping now, so problems show before the first 'generate'.
    from selfeval.load.scorecard.read import ScorecardReader

    try:
        data = ScorecardReader(grids, mapping, mapping_path).read()
        values = sum(1 for o in data.observations if o.value is not None)
        marked = sum(1 for o in data.observations if o.status)
        result.lines.append(
            f"read through the mapping: {len(data.indicators)} measures, {values} values"
            + (f", {marked} marked suppressed or not available" if marked else "")
        )
    except ErrorList as e:
        result.problems.extend(str(x) for x in e.errors)
    except SelfevalError as e:
        result.problems.append(str(e))
    if todo:
        result.lines.append(
            f"to complete: {len(todo)} measure(s) need a unit and/or polarity ({', '.join(m.id for m in todo[:8])}{' ...' if len(todo) > 8 else ''}): "
            f"open {shown} and replace each '{TO_COMPLETE}'. Until then the documents show them with a 'to complete' note."
        )
    where = mapping_path.parent
    in_inputs = where.name == "inputs"
    result.lines.append(
        "next: check the mapping, then run 'selfeval validate" + ("" if in_inputs and where.resolve() == (Path.cwd() / "inputs").resolve() else f" {display_path(where)}")
        + "'" + ("" if in_inputs else f" (or put {path.name} and {mapping_path.name} in your inputs folder)")
    )
    return result


def _appends_cleanly(text: str, path: Path, expected: int) -> bool:
    """True if the mapping with new measures appended still parses and holds them all."""
    from selfeval.load.scorecard.mapping import load_mapping
    from selfeval.write.scratch import scratch_folder

    with scratch_folder() as tmp:
        probe = tmp / path.name
        probe.write_text(text, encoding="utf-8")
        try:
            return len(load_mapping(probe).measures) == expected
        except SelfevalError:
            return False
