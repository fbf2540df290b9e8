"""`selfeval validate`: load every input and report problems, writing nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.load.inputs import load_inputs


@dataclass
class ValidateReport:
    summary: str
    warnings: list[str] = field(default_factory=list)


def run(inputs: Path, *, today: dt.date | None = None) -> ValidateReport:
    from selfeval.analyse.pack import build_pack
    from selfeval.render.formatting import count

    loaded = load_inputs(inputs)
    # The same cross-file checks as generate (one council per folder, tracker ids), so OK means OK.
    pack = build_pack(loaded, today=today or dt.date.today())
    parts = [count(len(loaded.findings), "findings file")]
    areas = sum(len(f.findings.areas_for_improvement) for f in loaded.findings)
    parts.append(count(areas, "area") + " for improvement")
    if loaded.performance is not None:
        parts.append(f"{count(len(loaded.performance.indicators), 'indicator')} in {loaded.performance_path.name}")
    if loaded.actions is not None:
        parts.append(f"{count(len(loaded.actions.actions), 'action')} in {loaded.actions_path.name}")
    return ValidateReport("OK: " + ", ".join(parts), loaded.warnings + pack.warnings)
