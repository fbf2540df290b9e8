"""The generation pipeline, stage by stage: load -> analyse -> render. Writing is the caller's."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from pydantic import BaseModel

from selfeval.render.properties import Properties
from selfeval.render.registry import Document, documents
from selfeval.render.template_files import template_path
from selfeval.xmltext import has_forbidden, strip_forbidden

# Loading, analysis and Word are imported where they are used: the render children are forked
# first, so that their start-up and this process's imports run on two cores at once.
if TYPE_CHECKING:
    from selfeval.models.pack import Journey
    from selfeval.models.performance import IndicatorSummary
    from selfeval.render.chart_pool import ChartPool
    from selfeval.render.charts import Drawing, Planned
    from selfeval.render.context_models import ChartCtx
    from selfeval.render.docx import Record
    from selfeval.render.placeholders import Notes
    from selfeval.safety.child import BoundedWorker


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
    drawings: list[Drawing] = field(default_factory=list)  # the charts' pictures, when not yet drawn
    notes: Notes = field(default_factory=lambda: ({}, {}))  # what the documents' '[To complete' markers say


@dataclass(frozen=True)
class Rendered:
    name: str  # the file name, e.g. 'self-evaluation.docx'
    data: bytes
    record: Record | None = None  # what the output folder's manifest keeps of it (render.docx.render_recorded)


def prepare(inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path) -> Prepared:
    """Load, analyse, draw the charts and build each document's template context (no Word yet)."""
    prepared = _prepare(documents(), inputs, templates=templates, public=public, today=today, scratch=scratch)
    for drawing in prepared.drawings:
        drawing.draw()
    return prepared


def _prepare(
    registered: list[Document], inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path,
    early: Callable[[list[Drawing]], None] | None = None,
) -> Prepared:
    """As :func:`prepare`, with the charts planned but not drawn (``Prepared.drawings``); ``early``
    is given them as soon as the analysis knows the figures, before it goes on."""
    from selfeval.analyse.pack import build_pack
    from selfeval.load.inputs import load_inputs
    from selfeval.render import placeholders
    from selfeval.render.documents.shared import Shared

    placeholders.forget()  # this pack's markers only
    loaded = load_inputs(inputs)
    planned: dict[str, Planned] = {}

    def figures_ready(indicators: list[IndicatorSummary], journey: Journey) -> None:
        planned.update(_plan_charts(indicators, journey, scratch))
        if early is not None and planned:
            early(_drawing_order(planned))

    charted = any(d.uses_charts for d in registered)
    pack = build_pack(loaded, public=public, today=today, figures_ready=figures_ready if charted else None)
    warnings = list(loaded.warnings) + pack.warnings
    names = [d.template for d in registered]
    if templates is not None and templates.is_dir() and not any((templates / f).is_file() for f in names):
        warnings.append(
            f"{templates} holds none of {', '.join(names)}, so the default templates were used "
            "(a customised template must keep its file name)"
        )
    charts = {key: p.chart for key, p in planned.items()}
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
    return Prepared(prepared, warnings, _drawing_order(planned), placeholders.notes())


def _drawing_order(planned: dict[str, Planned]) -> list[Drawing]:
    """The pictures in the order the self-evaluation shows them (the grade journey, then each
    indicator's), so that the one it reaches next is the one most likely drawn already."""
    from selfeval.render.charts import JOURNEY_CHART

    return [p.drawing for key, p in planned.items() if key == JOURNEY_CHART] + [
        p.drawing for key, p in planned.items() if key != JOURNEY_CHART
    ]


def _plan_charts(indicators: list[IndicatorSummary], journey: Journey, scratch: Path) -> dict[str, Planned]:
    """Each key indicator's chart, then the grade journey's: their files, captions and alt text."""
    from selfeval.render.charts import JOURNEY_CHART, plan_charts, plan_journey_chart

    planned = plan_charts(indicators, scratch)
    journey_chart = plan_journey_chart(journey, scratch)
    if journey_chart is not None:
        planned[JOURNEY_CHART] = journey_chart
    return planned


def build_documents(
    inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path, parallel: bool = True
) -> tuple[list[Rendered], list[str]]:
    """The pack, rendered: every document's .docx bytes, and the warnings to show.

    Word is rendered by a bounded child process (see ``selfeval.safety.child``) forked before the
    inputs are read: while this process loads and analyses, the child gets Word's libraries and
    selfeval's templates ready. As soon as the analysis knows the figures, the child starts drawing
    the chart pictures, on the core this process leaves free. Given the contexts, it forks one child
    of its own per group of documents (two, on a machine with two cores), which start with all that
    ready and render side by side; the one showing the charts first draws what is left of them.
    ``parallel=False`` (a batch worker, whose cores already run other councils) renders every
    document in one grandchild."""
    from selfeval.render.template_files import default_templates_dir, is_shipped

    registered = documents()
    paths = [template_path(d.template, templates) for d in registered]
    # Decided once (a customised copy is compared by content): the child opens these early, the rest are checked.
    shipped = [p for p in paths if is_shipped(p, default_templates_dir())]
    groups = render_groups(registered, paths, RENDER_WORKERS if parallel else 1)
    with _renderer(registered, shipped) as renderer:
        early = functools.partial(_draw_early, renderer, parallel)
        prepared = _prepare(registered, inputs, templates=templates, public=public, today=today, scratch=scratch, early=early)
        _refuse_what_check_flags(prepared, shipped)
        data = _render_bounded_all(prepared, renderer, groups)
    rendered = [Rendered(p.document.template, d, record) for p, (d, record) in zip(prepared.documents, data)]
    return rendered, prepared.warnings


RENDER_MEMORY = 1024 * 1024 * 1024  # beyond what the process already uses; the example needs about 60 MB
RENDER_SECONDS = 60.0  # the example renders in well under a second per document
RENDER_WORKERS = 2  # at most; one per core, and only as many as there are documents to share out

_builds = 0  # packs built in this process: from the second, the render set-up is done here, once


def render_groups(registered: list[Document], paths: list[Path], workers: int) -> list[list[int]]:
    """Which documents each render child takes (indices into ``registered``).

    Every document with charts goes to the first child (which waits for the pictures); the rest are
    shared out by template size, largest first, to the least loaded child."""
    workers = max(1, min(workers, os.cpu_count() or 1, len(registered)))
    groups: list[list[int]] = [[] for _ in range(workers)]
    load = [0] * workers
    charted = [i for i, d in enumerate(registered) if d.uses_charts]
    for i in charted:
        groups[0].append(i)
        load[0] += _size(paths[i])
    for i in sorted((i for i in range(len(registered)) if i not in charted), key=lambda i: -_size(paths[i])):
        least = min(range(workers), key=lambda k: (load[k], k))
        groups[least].append(i)
        load[least] += _size(paths[i])
    return [g for g in groups if g]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@contextlib.contextmanager
def _renderer(registered: list[Document], shipped: list[Path]) -> Iterator[BoundedWorker]:
    """The bounded render child, getting ready (Word's libraries, selfeval's own templates ``shipped``;
    Pillow and the fonts once it is told of pictures to draw).

    A customised template is never opened here: only inside a child, under its bounds. In a process
    that builds several packs (a batch worker), this process does the same set-up once, from its
    second pack, and every later child starts with it done."""
    global _builds
    from selfeval.safety.child import BoundedWorker

    _builds += 1
    setup = functools.partial(_get_ready, shipped)
    if _builds > 1:
        # The child's set-up, done here once for every later pack (already done: nothing), and Pillow
        # made ready to draw: ~45 ms of CPU that each council's render child would otherwise repeat.
        setup()
        if any(d.uses_charts for d in registered):
            _ready_to_draw()
    # One clock for the whole pack here; the child keeps one for each document (see _render_pack).
    seconds = RENDER_SECONDS * (len(registered) + 1)
    with BoundedWorker(_in_render_child, setup=setup, memory=RENDER_MEMORY, seconds=seconds) as renderer:
        yield renderer


def _get_ready(shipped: list[Path]) -> None:
    """The render child's set-up, before its bounds: what every render needs, opened once."""
    from selfeval.render.template_cache import warm
    from selfeval.render.templates import jinja_env
    import selfeval.render.docx  # noqa: F401  Word's libraries
    import selfeval.render.context_models  # noqa: F401  what the contexts are made of
    # What rendering imports where it is used (the manifest's prints, the stand-ins, the template
    # check): imported here once, rather than by each document's process before its first save.
    import selfeval.document_paragraphs  # noqa: F401
    import selfeval.render.carry_forward  # noqa: F401
    import selfeval.render.stand_ins  # noqa: F401
    import selfeval.safety.zip_safety  # noqa: F401

    warm(shipped, jinja_env())


def _ready_to_draw() -> None:
    """Pillow, its PNG writer and the chart fonts made ready in this process, for the processes it
    forks to draw (Pillow's first picture alone is ~40 ms): only once some picture must be drawn,
    since a run with the same figures as an earlier one copies every picture instead."""
    from selfeval.render.charts import warm_charts

    warm_charts()


@dataclass(frozen=True)
class _Call:
    """One document's render, as sent to the render child."""

    template: Path
    context: dict[str, object]
    charts: list[ChartCtx]
    properties: Properties


@dataclass(frozen=True)
class _Draw:
    """Sent to the render child as soon as the analysis knows the figures: start drawing these."""

    drawings: list[Drawing]
    behind: bool  # the drawer gives way to the documents (a single council's run, not a batch worker's)


@dataclass(frozen=True)
class _Render:
    """Sent to the render child once the contexts are ready: render every document."""

    calls: list[_Call]
    groups: list[list[int]]
    notes: Notes
    drawings: list[Drawing]  # drawn here when no _Draw came first


def _draw_early(renderer: BoundedWorker, behind: bool, drawings: list[Drawing]) -> None:
    renderer.submit(_Draw(drawings, behind))


def _in_render_child(task: _Draw | _Render) -> list[tuple[bytes, Record]] | None:
    """The render child's one entry: each message sent to it, in turn."""
    if isinstance(task, _Draw):
        _start_drawing(task.drawings, task.behind)
        return None
    return _render_pack(task)


# In the render child, between a pack's _Draw and its _Render: the pictures being drawn, and by whom.
_pool: ChartPool | None = None
_drawer: int | None = None


def _start_drawing(drawings: list[Drawing], behind: bool) -> None:
    """Draw the pictures in a helper process, on the core this run's main process leaves free while
    it still analyses; the document processes forked later take what it has not started."""
    global _pool, _drawer
    from selfeval.render.chart_pool import ChartPool
    from selfeval.safety.child import start_helper

    _pool = ChartPool(drawings)
    if _pool.left():  # not when every picture was kept from an earlier run with the same figures
        _ready_to_draw()
        _drawer = start_helper(_draw_in_background, _pool, behind)


def _draw_in_background(pool: ChartPool, behind: bool) -> None:
    # Behind the documents for a core: the self-evaluation needs the pictures only when it is saved.
    if behind:  # not in a batch worker, where the other core runs another council, not this one's documents
        os.nice(5)
    pool.help()


def _render_pack(task: _Render) -> list[tuple[bytes, Record]]:
    """In the render child: every document, one grandchild per group side by side, each under the
    clock for each of its documents; a document that overruns is named in the message."""
    global _pool, _drawer
    from selfeval.errors import InputError, Location
    from selfeval.render import placeholders
    from selfeval.render.chart_pool import ChartPool
    from selfeval.safety.child import TooLarge, end_helper, run_bounded_groups

    placeholders.remember(task.notes)  # the grandchildren forked below inherit them
    pool = _pool
    if pool is None:  # no _Draw came first: the pictures are drawn by the document processes
        pool = ChartPool(task.drawings)
        if pool.left():
            _ready_to_draw()
    calls, groups = task.calls, task.groups
    work = [[(calls[i],) for i in group] for group in groups]
    try:
        results = run_bounded_groups(functools.partial(_render_one, pool), work, memory=RENDER_MEMORY, seconds=RENDER_SECONDS)
    except TooLarge as e:
        raise InputError(
            f"the template needs more memory or time than any real document (over {RENDER_SECONDS:.0f} seconds or "
            f"{RENDER_MEMORY // 2**20:,} MB): check its loops and repeated text, and run 'selfeval templates check'",
            Location(calls[groups[e.group][e.index]].template),
        ) from None
    finally:
        if _drawer is not None:
            end_helper(_drawer)  # done by now, unless a customised template left some pictures out
        _pool = _drawer = None
    by_document = {i: result for group, done in zip(groups, results) for i, result in zip(group, done)}
    return [by_document[i] for i in range(len(calls))]


def _render_one(pool: ChartPool, call: _Call) -> tuple[bytes, Record]:
    """In a render grandchild: a document with the charts is filled in and finished with stand-ins
    for its pictures, then waits for each picture (drawing it, and the next, if nobody has started
    them) before it is saved; a document without draws any picture nobody has started once it is
    done. Then the document, with its manifest record."""
    from selfeval.render.docx import render_recorded

    if not call.charts:
        done = render_recorded(call.template, call.context, call.charts, call.properties)
        pool.help()  # then any picture nobody has started, before this process's next document
        return done
    pictures = functools.partial(pool.wait, RENDER_SECONDS)  # with each picture, before the document is saved
    return render_recorded(call.template, call.context, call.charts, call.properties, pictures=pictures)


def _render_bounded_all(prepared: Prepared, renderer: BoundedWorker, groups: list[list[int]]) -> list[tuple[bytes, Record]]:
    """Every document, rendered by the render child: the memory bound is the child's, the clock each document's."""
    from selfeval.errors import InputError, Location
    from selfeval.safety.child import TooLarge

    calls = [_Call(p.template, p.context, p.charts, p.properties) for p in prepared.documents]
    renderer.submit(_Render(calls, groups, prepared.notes, prepared.drawings))
    # What writing the drafts takes next (lxml, the manifest's paragraph prints: about 20 ms to
    # import), imported while the children render, rather than after.
    import selfeval.render.carry_forward  # noqa: F401
    import selfeval.write.output  # noqa: F401
    try:
        results: list[tuple[bytes, Record]] = renderer.results()[-1]
    except TooLarge:  # the render child itself died (it reports a document's overrun itself)
        raise InputError(
            f"the templates need more memory or time than any real documents (over {RENDER_MEMORY // 2**20:,} MB): "
            "check their loops and repeated text, and run 'selfeval templates check'",
            Location(prepared.documents[0].template.parent),
        ) from None
    return results


def _refuse_what_check_flags(prepared: Prepared, shipped: list[Path]) -> None:
    """A customised template with problems that 'templates check' reports is refused before anything is rendered."""
    from selfeval.errors import ErrorList, SelfevalError

    customised = [p for p in prepared.documents if p.template not in shipped]  # an unchanged copy (as 'selfeval init' makes) passes as the original does
    if not customised:
        return
    from selfeval.render.template_lint import lint_template

    problems: list[SelfevalError] = []
    for p in customised:
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
        return _clean_slots(value.items(), value.__setitem__, seen)  # a value replaced while iterating, never a key added
    if isinstance(value, list):
        return _clean_slots(enumerate(value), value.__setitem__, seen)
    model = value
    fields = ((name, getattr(model, name)) for name in type(model).model_fields)
    return _clean_slots(fields, functools.partial(object.__setattr__, model), seen)  # models are read-only to Jinja


def _clean_slots(slots: Iterable[tuple[K, object]], put: Callable[[K, object], None], seen: dict[int, int]) -> int:
    # A pack's contexts hold some ten thousand strings: each is searched in this one loop, and copied
    # only when it holds such a character (this walk is on every run's path).
    removed = 0
    for slot, item in slots:
        if isinstance(item, str):
            if has_forbidden(item):
                cleaned, count = strip_forbidden(item)
                put(slot, cleaned)
                removed += count
        else:
            removed += _clean(item, seen)
    return removed
