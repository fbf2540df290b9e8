"""`selfeval generate`: load -> analyse -> render -> write, for one council's inputs folder."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.errors import display_path


def own_templates(inputs: Path) -> Path | None:
    """The templates folder 'selfeval init' made beside the inputs folder, if it holds a template."""
    from selfeval.render.templates import DOCUMENTS

    folder = (inputs if inputs.is_dir() else inputs.parent).resolve().parent / "templates"
    if folder.is_dir() and any((folder / name).is_file() for name in DOCUMENTS.values()):
        return folder
    return None


@dataclass
class GenerateResult:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def run(*, inputs: Path, out: Path, templates: Path | None = None, public: bool = False, force: bool = False,
        today: dt.date | None = None, pdf: bool = False) -> GenerateResult:
    from selfeval.pipeline import build_documents
    from selfeval.write.output import OutputFolder
    from selfeval.write.pdf import require_soffice, to_pdf

    soffice = require_soffice() if pdf else None  # before any work: say at once if LibreOffice is missing

    started = time.perf_counter()
    result = GenerateResult()
    if templates is None:
        templates = own_templates(inputs)
        if templates is not None:
            result.lines.append(f"using your templates in {display_path(templates)} (the defaults for any document not there)")
    folder = OutputFolder(out)
    with tempfile.TemporaryDirectory(prefix="selfeval-") as scratch:
        documents, warnings = build_documents(inputs, templates=templates, public=public, today=today or dt.date.today(), scratch=Path(scratch))
        pdfs = to_pdf(documents, Path(scratch), soffice=soffice) if soffice else []
        names = [name for name, _ in documents + pdfs]
        folder.check_writable(names, force=force)
        # Everything is rendered (and converted) before the first file is written: a bad template or
        # input never leaves a half-updated set.
        for (name, data), converted in zip(documents, pdfs or [None] * len(documents)):
            written = folder.write(name, data, force=force)
            result.written.append(written.path)
            if written.note:
                result.warnings.append(written.note)
            if converted is not None:
                # The PDF is named after the .docx it shows (self-evaluation-2.pdf beside self-evaluation-2.docx).
                as_pdf = folder.write(written.path.with_suffix(".pdf").name, converted[1], force=force)
                result.written.append(as_pdf.path)
                if as_pdf.note:
                    result.warnings.append(as_pdf.note)
    result.warnings[:0] = warnings
    result.seconds = time.perf_counter() - started
    for path in result.written:
        result.lines.append(f"wrote {display_path(path)}")
    return result
