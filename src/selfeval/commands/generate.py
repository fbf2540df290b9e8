"""`selfeval generate`: load -> analyse -> render -> write, for one council's inputs folder."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.errors import display_path


@dataclass
class GenerateResult:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def run(*, inputs: Path, out: Path, templates: Path | None = None, public: bool = False, force: bool = False,
        today: dt.date | None = None) -> GenerateResult:
    from selfeval.pipeline import build_documents
    from selfeval.write.output import OutputFolder

    started = time.perf_counter()
    result = GenerateResult()
    folder = OutputFolder(out)
    with tempfile.TemporaryDirectory(prefix="selfeval-") as scratch:
        documents, warnings = build_documents(inputs, templates=templates, public=public, today=today or dt.date.today(), scratch=Path(scratch))
        names = [name for name, _ in documents]
        folder.check_writable(names, force=force)
        # Everything is rendered before the first file is written: a bad template or input never leaves a half-updated set.
        for name, data in documents:
            written = folder.write(name, data, force=force)
            result.written.append(written.path)
            if written.note:
                result.warnings.append(written.note)
    result.warnings[:0] = warnings
    result.seconds = time.perf_counter() - started
    for path in result.written:
        result.lines.append(f"wrote {display_path(path)}")
    return result
