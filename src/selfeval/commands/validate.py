"""`selfeval validate`: load every input and report problems, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfeval.load.inputs import load_inputs


@dataclass
class ValidateReport:
    summary: str
    warnings: list[str] = field(default_factory=list)


def run(inputs: Path) -> ValidateReport:
    loaded = load_inputs(inputs)
    parts = [f"{len(loaded.findings)} findings file(s)"]
    areas = sum(len(f.findings.areas_for_improvement) for f in loaded.findings)
    parts.append(f"{areas} area(s) for improvement")
    if loaded.performance is not None:
        parts.append(f"{len(loaded.performance.indicators)} indicator(s) in {loaded.performance_path.name}")
    return ValidateReport("OK: " + ", ".join(parts), loaded.warnings)
