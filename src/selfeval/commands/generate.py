"""`selfeval generate`: load -> analyse -> render -> write, for one council's inputs folder."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.errors import display_path


def own_templates(inputs: Path) -> Path | None:
    """The templates folder 'selfeval init' made beside the inputs folder, if it holds a template."""
    from selfeval.render.registry import template_names

    folder = (inputs if inputs.is_dir() else inputs.parent).resolve().parent / "templates"
    if folder.is_dir() and any((folder / name).is_file() for name in template_names()):
        return folder
    return None


@dataclass
class GenerateResult:
    """What a generate run says: its result lines, its warnings, the files written and how long it took."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def generate(*, inputs: Path, out: Path, templates: Path | None = None, public: bool = False, force: bool = False,
        today: dt.date | None = None, pdf: bool = False, parallel: bool = True) -> GenerateResult:
    from selfeval.pipeline import build_documents
    from selfeval.write.output import OutputFolder
    from selfeval.write.scratch import scratch_folder

    soffice: str | None = None
    if pdf:  # before any work: say at once if LibreOffice is missing (the PDF writer is imported only then)
        from selfeval.write.pdf import require_soffice

        soffice = require_soffice()

    started = time.perf_counter()
    today = today or dt.date.today()
    result = GenerateResult()
    if templates is None:
        templates = own_templates(inputs)
        if templates is not None:
            result.lines.append(f"using your templates in {display_path(templates)} (the defaults for any document not there)")
    folder = OutputFolder(out)
    with scratch_folder() as scratch:  # chart pictures and LibreOffice's profile; removed however the run ends
        documents, warnings = build_documents(inputs, templates=templates, public=public, today=today, scratch=scratch, parallel=parallel)
        from selfeval.refresh import Draft, outcome_lines, refresh_all  # imported while the documents rendered (see pipeline)
        names = [d.name for d in documents] + ([Path(d.name).with_suffix(".pdf").name for d in documents] if soffice else [])
        folder.check_writable(names, force=force)
        # Everything is rendered before the first file is written: a bad template or input never leaves a half-updated set.
        carried: list[str] = []
        # A person's words in last quarter's copy go into the same places of the new draft.
        drafts = [Draft(d.name, d.data, d.record) for d in documents]
        for document, outcome in zip(documents, refresh_all(folder, drafts, force=force, today=today)):
            name = document.name
            result.written.append(outcome.written.path)
            if outcome.written.note:
                result.warnings.append(outcome.written.note)
            shown = display_path(outcome.kept) if outcome.kept is not None else ""
            lines, notes = outcome_lines(name, outcome, shown)
            carried += lines
            result.warnings += notes
        if soffice:
            from selfeval.write.pdf import to_pdf

            # The PDFs show the documents as written (with a person's carried-forward words), so they
            # are made from the written files, then kept under the same never-overwrite rules.
            docx = [(path.name, path.read_bytes()) for path in result.written]
            for converted, path in zip(to_pdf(docx, scratch, soffice=soffice), list(result.written)):
                as_pdf = folder.write(path.with_suffix(".pdf").name, converted[1], force=force)
                result.written.append(as_pdf.path)
                if as_pdf.note:
                    result.warnings.append(as_pdf.note)
    result.warnings[:0] = warnings
    result.seconds = time.perf_counter() - started
    for path in result.written:
        result.lines.append(f"wrote {display_path(path)}")
    result.lines += carried
    return result
