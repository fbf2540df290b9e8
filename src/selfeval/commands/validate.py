"""`selfeval validate`: load every input and report problems, writing nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.load.inputs import load_inputs
from selfeval.wording import join_and


@dataclass
class ValidateReport:
    summary: str
    warnings: list[str] = field(default_factory=list)


def validate(inputs: Path, *, today: dt.date | None = None) -> ValidateReport:
    from selfeval.analyse.pack import build_pack
    from selfeval.wording import count

    loaded = load_inputs(inputs)
    # The same cross-file checks as generate (one council per folder, tracker ids), so OK means OK.
    pack = build_pack(loaded, today=today or dt.date.today())
    parts = [count(len(loaded.findings), "findings file")]
    areas = sum(len(f.findings.areas_for_improvement) for f in loaded.findings)
    parts.append(count(areas, "area") + " for improvement")
    if loaded.performance is not None and loaded.performance_paths:
        files = join_and([p.name for p in loaded.performance_paths])
        parts.append(f"{count(len(loaded.performance.indicators), 'indicator')} in {files}")
    if loaded.actions is not None and loaded.actions_path is not None:
        parts.append(f"{count(len(loaded.actions.actions), 'action')} in {loaded.actions_path.name}")
    unchecked = [(f.path, f.findings.unchecked_import_problems) for f in loaded.findings]
    unchecked = [(path, problems) for path, problems in unchecked if problems]
    warnings = [
        f"{path.name}: imported with warnings: {'; '.join(problems)}. Check it against the report, correct it, "
        "then set 'checked: true' under provenance (or edit the file)"
        for path, problems in unchecked
    ]
    from selfeval.analyse.indicators import rag_differences

    # The council's own RAG is what the documents show; say where selfeval's own reading of the target differs.
    warnings += rag_differences(pack.indicators)
    summary = "OK" if not unchecked else f"OK, but {count(len(unchecked), 'findings file')} imported with warnings"
    return ValidateReport(summary + ": " + ", ".join(parts), loaded.warnings + pack.warnings + warnings)
