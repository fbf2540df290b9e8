"""The documents selfeval writes: one row each. Everything that lists documents reads this.

A row names the document (its key), the template file a council may customise, the subject Word
shows in the file's properties (the title is "<council>: <subject>"), the model its template
receives (the variable reference and ``templates check`` read it), the builder that fills that model
from the pack, and whether the document carries the indicator charts.

Adding a document: a module in ``render/documents/`` (a model and ``build``), a row here, and a
template (built by ``tools/build_templates.py`` or drawn in Word). See docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from selfeval.render.context_models import CommonCtx
from selfeval.render.documents import board_summary, improvement_plan, self_evaluation
from selfeval.render.documents.shared import Shared


@dataclass(frozen=True)
class Document:
    """One document selfeval writes: a row of ``DOCUMENTS`` (see the module's description)."""

    key: str
    template: str  # file name in the templates folder
    subject: str
    context: type[CommonCtx]
    build: Callable[[Shared], CommonCtx]
    uses_charts: bool = False


DOCUMENTS: list[Document] = [
    Document(
        "self-evaluation", "self-evaluation.docx", self_evaluation.SUBJECT,
        self_evaluation.SelfEvaluationCtx, self_evaluation.build, uses_charts=True,
    ),
    Document(
        "improvement-plan", "improvement-plan.docx", improvement_plan.SUBJECT,
        improvement_plan.ImprovementPlanCtx, improvement_plan.build,
    ),
    Document(
        "board-summary", "board-summary.docx", board_summary.SUBJECT,
        board_summary.BoardSummaryCtx, board_summary.build,
    ),
]


def documents() -> list[Document]:
    """Every document, in the order they are generated (read at call time, so a test can add one)."""
    return list(DOCUMENTS)


def template_names() -> list[str]:
    return [d.template for d in documents()]


def by_template(name: str) -> Document | None:
    """The document a template file is for, matched case-insensitively ('Board-Summary.docx')."""
    return next((d for d in documents() if d.template.lower() == name.lower()), None)
