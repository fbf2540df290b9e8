"""The generation pipeline, stage by stage: load -> analyse -> render. Writing is the caller's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from selfeval.analyse.pack import build_pack
from selfeval.load.inputs import load_inputs
from selfeval.render import context as ctx
from selfeval.render.charts import draw_charts
from selfeval.render.docx import Properties, render, strip_forbidden
from selfeval.render.templates import DOCUMENTS, template_path


def build_documents(inputs: Path, *, templates: Path | None, public: bool, today: dt.date, scratch: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    loaded = load_inputs(inputs)
    pack = build_pack(loaded, public=public)
    warnings = list(loaded.warnings) + pack.warnings
    sources = ctx.sources_list(pack, [f.path for f in loaded.findings], loaded.performance_path)
    charts = draw_charts(pack.indicators, scratch)
    contexts = {
        "self-evaluation": ctx.self_evaluation(pack, today=today, sources=sources, charts=charts),
        "improvement-plan": ctx.improvement_plan(pack, today=today, sources=sources),
        "board-summary": ctx.board_summary(pack, today=today, sources=sources),
    }
    subjects = {
        "self-evaluation": "Self-evaluation of children's social care practice",
        "improvement-plan": "Improvement plan in response to Ofsted",
        "board-summary": "Corporate parenting board summary",
    }
    documents: list[tuple[str, bytes]] = []
    for name, model in contexts.items():
        context = model.as_context()
        removed = _clean(context)
        if removed:
            warnings.append(f"{removed} character(s) that Word cannot store (control characters) were removed from the text of {DOCUMENTS[name]}")
        used_charts = list(charts.values()) if name == "self-evaluation" else []
        data = render(
            template_path(name, templates),
            context,
            used_charts,
            Properties(
                title=f"{pack.council}: {subjects[name]}",
                author=pack.council,
                subject=subjects[name],
                keywords="Ofsted; ILACS; children's social care; National Framework",
            ),
        )
        documents.append((DOCUMENTS[name], data))
    return documents, warnings


def _clean(value: object) -> int:
    """Strip XML-forbidden characters from every string in the context, in place; return how many."""
    from pydantic import BaseModel

    removed = 0
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                value[key], n = strip_forbidden(item)
                removed += n
            else:
                removed += _clean(item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                value[i], n = strip_forbidden(item)
                removed += n
            else:
                removed += _clean(item)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            if isinstance(item, str):
                cleaned, n = strip_forbidden(item)
                if n:
                    object.__setattr__(value, name, cleaned)
                removed += n
            else:
                removed += _clean(item)
    return removed
