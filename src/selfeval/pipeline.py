"""The generation pipeline, stage by stage: load -> analyse -> render. Writing is the caller's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from selfeval.analyse.pack import build_pack
from selfeval.load.inputs import load_inputs
from selfeval.render import context as ctx
from selfeval.render.charts import draw_charts
from selfeval.render.docx import Properties, render
from selfeval.xmltext import strip_forbidden
from selfeval.render.templates import DOCUMENTS, template_path


SUBJECTS = {
    "self-evaluation": "Self-evaluation of children's social care practice",
    "improvement-plan": "Improvement plan in response to Ofsted",
    "board-summary": "Corporate parenting board: inspection outcome and improvement progress",
}


@dataclass
class Prepared:
    """Everything up to the Word render: one template, context, charts and properties per document."""

    documents: list[tuple[str, Path, dict[str, Any], list[Any], Properties]]  # (name, template, context, charts, properties)
    warnings: list[str]


def prepare(inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path) -> Prepared:
    """Load, analyse, draw the charts and build each document's template context (no Word yet)."""
    loaded = load_inputs(inputs)
    pack = build_pack(loaded, public=public)
    warnings = list(loaded.warnings) + pack.warnings
    if templates is not None and templates.is_dir() and not any((templates / f).is_file() for f in DOCUMENTS.values()):
        warnings.append(
            f"{templates} holds none of {', '.join(DOCUMENTS.values())}, so the default templates were used "
            "(a customised template must keep its file name)"
        )
    sources = ctx.sources_list(pack, [f.path for f in loaded.findings], loaded.performance_path)
    charts = draw_charts(pack.indicators, scratch)
    contexts = {
        "self-evaluation": ctx.self_evaluation(pack, today=today, sources=sources, charts=charts),
        "improvement-plan": ctx.improvement_plan(pack, today=today, sources=sources),
        "board-summary": ctx.board_summary(pack, today=today, sources=sources),
    }
    documents: list[tuple[str, Path, dict[str, Any], list[Any], Properties]] = []
    cleaned: list[str] = []
    for name, model in contexts.items():
        context = model.as_context()
        if _clean(context):
            cleaned.append(DOCUMENTS[name])
        used_charts = list(charts.values()) if name == "self-evaluation" else []
        properties = Properties(
            title=f"{pack.council}: {SUBJECTS[name]}" if pack.council else SUBJECTS[name],
            author=pack.council or "",
            subject=SUBJECTS[name],
            keywords="Ofsted; ILACS; children's social care; National Framework",
        )
        documents.append((name, template_path(name, templates), context, used_charts, properties))
    if cleaned:
        # Said once: the same input text reaches several documents.
        warnings.append(
            "control characters that Word cannot store (often pasted from case systems or Excel) were removed "
            f"from text in your inputs; check {', '.join(cleaned)}"
        )
    return Prepared(documents, warnings)


def build_documents(inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    prepared = prepare(inputs, templates=templates, public=public, today=today, scratch=scratch)
    _refuse_what_check_flags(prepared)
    documents: list[tuple[str, bytes]] = []
    for name, template, context, used_charts, properties in prepared.documents:
        documents.append((DOCUMENTS[name], _render_bounded(template, context, used_charts, properties)))
    return documents, prepared.warnings


RENDER_MEMORY = 1024 * 1024 * 1024  # beyond what the process already uses; the example needs about 60 MB
RENDER_SECONDS = 60.0  # the example renders in well under a second per document


def _render_bounded(template: Path, context: dict[str, Any], charts: list[Any], properties: Properties) -> bytes:
    """Render in a child process, so a template that loops or grows without end is stopped by memory or clock."""
    from selfeval.errors import InputError, Location
    from selfeval.safety.child import TooLarge, run_bounded

    try:
        data: bytes = run_bounded(render, template, context, charts, properties, memory=RENDER_MEMORY, seconds=RENDER_SECONDS)
    except TooLarge:
        raise InputError(
            f"the template needs more memory or time than any real document (over {RENDER_SECONDS:.0f} seconds or "
            f"{RENDER_MEMORY // 2**20:,} MB): check its loops and repeated text, and run 'selfeval templates check'",
            Location(template),
        ) from None
    return data


def _refuse_what_check_flags(prepared: Prepared) -> None:
    """A customised template with problems that 'templates check' reports is refused before anything is rendered."""
    from selfeval.errors import ErrorList
    from selfeval.render.context_models import DOCUMENT_CONTEXTS
    from selfeval.render.template_lint import lint_template
    from selfeval.render.templates import default_templates_dir

    defaults = default_templates_dir().resolve()
    problems = []
    for name, template, *_ in prepared.documents:
        if template.resolve().parent != defaults:
            problems.extend(lint_template(template, DOCUMENT_CONTEXTS[name]))
    if problems:
        raise ErrorList(list(problems))


def _clean(value: object) -> int:
    """Strip XML-forbidden characters from every string in the context, in place; return how many."""
    from pydantic import BaseModel

    if isinstance(value, dict):
        return sum(_clean_slot(key, value.__getitem__, value.__setitem__) for key in list(value))
    if isinstance(value, list):
        return sum(_clean_slot(i, value.__getitem__, value.__setitem__) for i in range(len(value)))
    if isinstance(value, BaseModel):
        setter = lambda name, cleaned: object.__setattr__(value, name, cleaned)  # noqa: E731 (models are read-only to Jinja)
        return sum(_clean_slot(name, lambda n: getattr(value, n), setter) for name in type(value).model_fields)
    return 0


def _clean_slot(key: object, get: Callable[[Any], Any], put: Callable[[Any, Any], None]) -> int:
    item = get(key)
    if not isinstance(item, str):
        return _clean(item)
    cleaned, removed = strip_forbidden(item)
    if removed:
        put(key, cleaned)
    return removed
