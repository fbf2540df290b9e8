"""`selfeval templates export DIR` and `selfeval templates check [DIR]`.

``export`` copies selfeval's own Word templates into a folder for a council to restyle (it never
overwrites a file already there). ``check`` lints a folder of templates against the template
contract (each document's model in ``render/documents/``) without generating anything: syntax errors with the
paragraph they are in, variables selfeval does not provide, rich text used without the r tag, and work
that would exceed the render's bounds whatever the data (a run without data, in a bounded child). It
lists the web links each template keeps: the only outside addresses the documents will carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

from selfeval.errors import ErrorList, InputError, Location, SelfevalError, display_path


@dataclass
class TemplatesResult:
    lines: list[str] = field(default_factory=list)
    problems: list[SelfevalError] = field(default_factory=list)


def export(folder: Path) -> TemplatesResult:
    """Copy the default templates into ``folder``; existing files are kept and reported."""
    from selfeval.errors import OutputError
    from selfeval.render.registry import template_names
    from selfeval.render.template_files import default_templates_dir
    from selfeval.write.output import atomic_write

    source = default_templates_dir()
    if folder.exists() and not folder.is_dir():
        raise OutputError("this is a file, not a folder; give a folder for the templates", Location(folder))
    result = TemplatesResult()
    for name in template_names():
        target = folder / name
        if target.exists():
            result.lines.append(f"kept {display_path(target)} (it already exists; selfeval never overwrites a template)")
            continue
        try:
            atomic_write(target, (source / name).read_bytes())
        except OSError as e:
            raise OutputError(f"could not write the template ({e.strerror})", Location(target)) from None
        result.lines.append(f"wrote {display_path(target)}")
    result.lines.append(
        f"Edit them in Word, check them with 'selfeval templates check {display_path(folder)}', "
        f"then use them with 'selfeval generate --templates {display_path(folder)}'."
    )
    return result


def check(folder: Path | None = None) -> TemplatesResult:
    """Lint every .docx template in ``folder`` (default: selfeval's own templates)."""
    from selfeval.render.registry import by_template, documents
    from selfeval.render.template_lint import lint_template
    from selfeval.render.template_files import default_templates_dir

    folder = folder if folder is not None else default_templates_dir()
    if folder.is_file():
        templates = [folder]
    elif folder.is_dir():
        templates = sorted(p for p in folder.glob("*.docx") if not p.name.startswith(("~$", ".")))
        if not templates:
            raise InputError("no Word templates (.docx) in this folder (create them with 'selfeval templates export DIR')", Location(folder))
    else:
        raise InputError("no such templates folder (create one with 'selfeval templates export DIR')", Location(folder))
    result = TemplatesResult()
    for template in templates:
        document = by_template(template.name)
        model = document.context if document is not None else _union_of([d.context for d in documents()])
        problems = lint_template(template, model, trial=True)
        if problems:
            result.problems.extend(problems)
        else:
            result.lines.append(f"OK {display_path(template)}")
            result.lines.extend(_links_lines(template))
            result.lines.extend(_controls_lines(template))
    return result


def _links_lines(template: Path) -> list[str]:
    """The author's own web links: the only outside addresses the documents carry, so each is shown."""
    from selfeval.safety.zip_safety import web_links

    links = web_links(template)
    if not links:
        return []
    one = len(links) == 1
    lines = [
        f"  {len(links)} web link{'' if one else 's'}, kept in the documents made from it "
        f"({'it opens' if one else 'each opens'} only when someone clicks it):"
    ]
    for part, address in links:
        shown = address if len(address) <= 120 else address[:117] + "..."
        lines.append(f"    {shown} (in {part})")
    return lines


def variables(document: str | None = None) -> TemplatesResult:
    """The template variable reference (as in the README), for every document or for one: named by
    its template ('board-summary.docx', or a customised copy's path) or its key ('board-summary')."""
    from selfeval.render.registry import by_template, documents
    from selfeval.render.variables import reference_text

    chosen = documents()
    if document is not None:
        name = Path(document).name
        found = by_template(name) or by_template(f"{name}.docx")
        if found is None:
            known = ", ".join(d.template for d in documents())
            raise InputError(f"selfeval has no document with this template name (its documents: {known})", Location(Path(document)))
        chosen = [found]
    return TemplatesResult(lines=reference_text(chosen).splitlines())


def _controls_lines(template: Path) -> list[str]:
    """The template author's own content controls: 'generate' carries what people type in them
    into the next draft by their tag, so a control without a tag is worth a warning."""
    from docx import Document

    from selfeval.content_controls import controls_in

    controls = controls_in(Document(str(template)).element.body)
    if not controls:
        return []
    lines = [f"  {len(controls)} content control{'s' if len(controls) != 1 else ''} of your own (carried forward by tag when you regenerate):"]
    for c in controls:
        title = c.title or "(no title)"
        if c.tag:
            lines.append(f"    {title} [tag {c.tag}]")
        else:
            lines.append(f"    {title} [no tag: give it one in Word (Developer > Properties > Tag), or its text can only go to the appendix]")
    return lines


def _union_of(models: Iterable[type[BaseModel]]) -> dict[str, FieldInfo]:
    """Every top-level field of every document: what a template with another name may use."""
    fields: dict[str, FieldInfo] = {}
    for model in models:
        for name, info in model.model_fields.items():
            fields.setdefault(name, info)
    return fields


def raise_problems(result: TemplatesResult) -> None:
    if result.problems:
        raise ErrorList(list(result.problems))
