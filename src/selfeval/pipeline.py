"""The generation pipeline, stage by stage: load -> analyse -> render. Writing is the caller's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from pydantic import BaseModel

from selfeval.analyse.pack import build_pack
from selfeval.load.inputs import load_inputs
from selfeval.render.charts import JOURNEY_CHART, draw_charts, draw_journey_chart
from selfeval.render.context_models import ChartCtx
from selfeval.render.docx import Properties, render
from selfeval.render.documents.shared import Shared
from selfeval.render.registry import Document, documents
from selfeval.render.templates import template_path
from selfeval.xmltext import strip_forbidden

K = TypeVar("K")  # a slot in a context container: a dict key, a list index or a field name

KEYWORDS = "Ofsted; ILACS; children's social care; National Framework"


@dataclass(frozen=True)
class PreparedDocument:
    """One document up to the Word render: its template, context, charts and file properties."""

    document: Document
    template: Path
    context: dict[str, object]
    charts: list[ChartCtx]
    properties: Properties


@dataclass
class Prepared:
    documents: list[PreparedDocument]
    warnings: list[str]


@dataclass(frozen=True)
class Rendered:
    name: str  # the file name, e.g. 'self-evaluation.docx'
    data: bytes


def prepare(inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path) -> Prepared:
    """Load, analyse, draw the charts and build each document's template context (no Word yet)."""
    loaded = load_inputs(inputs)
    pack = build_pack(loaded, public=public, today=today)
    warnings = list(loaded.warnings) + pack.warnings
    registered = documents()
    names = [d.template for d in registered]
    if templates is not None and templates.is_dir() and not any((templates / f).is_file() for f in names):
        warnings.append(
            f"{templates} holds none of {', '.join(names)}, so the default templates were used "
            "(a customised template must keep its file name)"
        )
    charts = draw_charts(pack.indicators, scratch) if any(d.uses_charts for d in registered) else {}
    journey_chart = draw_journey_chart(pack.journey, scratch) if any(d.uses_charts for d in registered) else None
    if journey_chart is not None:
        charts[JOURNEY_CHART] = journey_chart
    shared = Shared(pack, charts)
    prepared: list[PreparedDocument] = []
    cleaned: list[str] = []
    seen: dict[int, int] = {}
    for document in registered:
        context = document.build(shared).as_context()
        if _clean(context, seen):
            cleaned.append(document.template)
        properties = Properties(
            title=f"{pack.council}: {document.subject}" if pack.council else document.subject,
            author=pack.council or "",
            subject=document.subject,
            keywords=KEYWORDS,
        )
        used_charts = list(charts.values()) if document.uses_charts else []
        prepared.append(PreparedDocument(document, template_path(document.template, templates), context, used_charts, properties))
    if cleaned:
        # Said once: the same input text reaches several documents.
        warnings.append(
            "control characters that Word cannot store (often pasted from case systems or Excel) were removed "
            f"from text in your inputs; check {', '.join(cleaned)}"
        )
    return Prepared(prepared, warnings)


def build_documents(inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path) -> tuple[list[Rendered], list[str]]:
    prepared = prepare(inputs, templates=templates, public=public, today=today, scratch=scratch)
    _refuse_what_check_flags(prepared)
    data = _render_bounded_all(prepared.documents)
    rendered = [Rendered(p.document.template, d) for p, d in zip(prepared.documents, data)]
    return rendered, prepared.warnings


RENDER_MEMORY = 1024 * 1024 * 1024  # beyond what the process already uses; the example needs about 60 MB
RENDER_SECONDS = 60.0  # the example renders in well under a second per document


def _render_bounded_all(documents: list[PreparedDocument]) -> list[bytes]:
    """Every document rendered in ONE bounded child (memory for the child, the clock for each document).

    Before the fork, this process opens and compiles selfeval's own templates (once per process: a
    batch worker does it for its first council only), so the child starts with them ready; a
    customised template is only ever parsed inside the child."""
    from selfeval.errors import InputError, Location
    from selfeval.render.template_cache import is_shipped, warm
    from selfeval.render.templates import default_templates_dir, jinja_env
    from selfeval.safety.child import TooLarge, run_bounded_each

    defaults = default_templates_dir()
    warm([p.template for p in documents if is_shipped(p.template, defaults)], jinja_env())
    try:
        return run_bounded_each(
            render, [(p.template, p.context, p.charts, p.properties) for p in documents], memory=RENDER_MEMORY, seconds=RENDER_SECONDS
        )
    except TooLarge as e:
        raise InputError(
            f"the template needs more memory or time than any real document (over {RENDER_SECONDS:.0f} seconds or "
            f"{RENDER_MEMORY // 2**20:,} MB): check its loops and repeated text, and run 'selfeval templates check'",
            Location(documents[e.index].template),
        ) from None


def _refuse_what_check_flags(prepared: Prepared) -> None:
    """A customised template with problems that 'templates check' reports is refused before anything is rendered."""
    from selfeval.errors import ErrorList, SelfevalError
    from selfeval.render.template_lint import lint_template
    from selfeval.render.templates import default_templates_dir

    from selfeval.render.template_cache import is_shipped

    defaults = default_templates_dir()
    problems: list[SelfevalError] = []
    for p in prepared.documents:
        if not is_shipped(p.template, defaults):  # an unchanged copy (as 'selfeval init' makes) passes as the original does
            problems.extend(lint_template(p.template, p.document.context))
    if problems:
        raise ErrorList(problems)


def _clean(value: object, seen: dict[int, int]) -> int:
    """Strip XML-forbidden characters from every string in the context, in place; return how many.

    Documents share pieces (the plan's rows are in the plan and the board summary): each piece is
    cleaned once, and ``seen`` remembers what it held so every document holding it is named."""
    if isinstance(value, (dict, list, BaseModel)):
        key = id(value)
        if key not in seen:
            seen[key] = _clean_container(value, seen)
        return seen[key]
    return 0


def _clean_container(value: dict[str, object] | list[object] | BaseModel, seen: dict[int, int]) -> int:
    if isinstance(value, dict):
        return sum(_clean_slot(key, value.__getitem__, value.__setitem__, seen) for key in list(value))
    if isinstance(value, list):
        return sum(_clean_slot(i, value.__getitem__, value.__setitem__, seen) for i in range(len(value)))
    model = value

    def put(name: str, cleaned: object) -> None:
        object.__setattr__(model, name, cleaned)  # models are read-only to Jinja

    def get(name: str) -> object:
        return getattr(model, name)

    return sum(_clean_slot(name, get, put, seen) for name in type(model).model_fields)


def _clean_slot(key: K, get: Callable[[K], object], put: Callable[[K, object], None], seen: dict[int, int]) -> int:
    item = get(key)
    if not isinstance(item, str):
        return _clean(item, seen)
    cleaned, removed = strip_forbidden(item)
    if removed:
        put(key, cleaned)
    return removed
