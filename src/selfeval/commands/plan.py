"""`selfeval plan export`: write or update the improvement-plan tracker workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.errors import display_path


@dataclass
class PlanExportResult:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def export(inputs: Path, out: Path | None, *, today: dt.date | None = None) -> PlanExportResult:
    from selfeval.analyse.pack import build_pack
    from selfeval.load.inputs import TRACKER_NAMES, load_inputs
    from selfeval.render import formatting as fmt
    from selfeval.render.documents.shared import area_source, area_text
    from selfeval.wording import count
    from selfeval.write.tracker import TrackerRow, export_tracker

    loaded = load_inputs(inputs)
    pack = build_pack(loaded, today=today or dt.date.today())
    target = out or (inputs if inputs.is_dir() else inputs.parent) / TRACKER_NAMES[0]
    # The same wording as the plan's rows, so the tracker and the documents never disagree.
    rows = [
        TrackerRow(
            area_id=v.afi.id,
            area_text=area_text(v),
            source=area_source(v),
            framework="; ".join(fmt.ref_label(r, pack.generated) for r in v.refs),  # with titles: a tracker row outlives its numbering
        )
        for v in pack.areas
    ]
    result = export_tracker(rows, target)
    out_lines = PlanExportResult(warnings=list(loaded.warnings) + pack.warnings)
    if not result.written:
        out_lines.lines.append(f"{display_path(result.path)} is up to date: every area for improvement already has a row; nothing was changed")
    else:
        verb = "created" if result.created else "updated"
        out_lines.lines.append(
            f"{verb} {display_path(result.path)}: {count(len(rows), 'area')} for improvement, {count(len(result.added), 'row')} added"
        )
    if result.backup:
        out_lines.lines.append(f"the previous version is kept as {display_path(result.backup)}")
    if inputs.is_dir() and result.path.parent.resolve() != (inputs.resolve()):
        out_lines.lines.append(f"copy it into {display_path(inputs)} as {TRACKER_NAMES[0]} for 'selfeval generate' to read it")
    return out_lines
