"""A maintainer adds a fourth document (an annual engagement meeting briefing) by writing one
builder with its model, one registry row and one template: generate writes it, templates check
knows its variables, and the variable reference lists it. Nothing else changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pydantic import Field

from conftest import INPUTS, docx_text
from selfeval.render import registry
from selfeval.render.context_models import CommonCtx
from selfeval.render.documents.shared import Shared

SUBJECT = "Annual engagement meeting briefing"


# -- the one builder (with its model) ---------------------------------------------------------------

class BriefingCtx(CommonCtx):
    headline: str = Field(description="How many areas for improvement the plan covers.")


def build_briefing(shared: Shared) -> BriefingCtx:
    return BriefingCtx(**shared.common(), headline=f"The plan covers {len(shared.pack.areas)} areas for improvement.")


# -- the one registry row ---------------------------------------------------------------------------

BRIEFING = registry.Document("aem-briefing", "aem-briefing.docx", SUBJECT, BriefingCtx, build_briefing)


@pytest.fixture()
def with_briefing(monkeypatch: pytest.MonkeyPatch) -> registry.Document:
    monkeypatch.setattr(registry, "DOCUMENTS", [*registry.DOCUMENTS, BRIEFING])
    return BRIEFING


# -- the one template -------------------------------------------------------------------------------

@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    doc = WordDocument()
    doc.add_heading("Briefing for {{ council }}", level=1)
    doc.add_paragraph("{{ headline }}")
    doc.add_paragraph("{{ marking }}, {{ document_date }}")
    doc.save(str(folder / "aem-briefing.docx"))
    return folder


def test_generate_writes_the_new_document_beside_the_others(with_briefing, templates, tmp_path):
    from selfeval.commands import generate

    out = tmp_path / "out"
    result = generate.generate(inputs=INPUTS, out=out, templates=templates, today=dt.date(2026, 3, 2))

    written = sorted(p.name for p in result.written)
    assert written == sorted(registry.template_names())
    assert len(written) == len(registry.documents())  # the three defaults and the briefing
    text = docx_text(out / "aem-briefing.docx")
    assert "Briefing for Lambeth" in text
    assert "The plan covers" in text and "2 March 2026" in text
    properties = WordDocument(str(out / "aem-briefing.docx")).core_properties
    assert properties.title == f"Lambeth: {SUBJECT}" and properties.subject == SUBJECT
    # The other documents still come from selfeval's own templates.
    assert "Self-evaluation of children's social care practice" in docx_text(out / "self-evaluation.docx")


def test_templates_check_knows_the_new_documents_variables(with_briefing, templates):
    from selfeval.commands.templates import check

    assert check(templates).problems == []
    doc = WordDocument(str(templates / "aem-briefing.docx"))
    doc.add_paragraph("{{ headlin }}")
    doc.save(str(templates / "aem-briefing.docx"))
    problems = check(templates).problems
    assert len(problems) == 1 and "headlin" in str(problems[0])


def test_the_variable_reference_lists_the_new_document(with_briefing):
    from selfeval.render.variables import markdown

    reference = markdown()
    assert "#### `aem-briefing.docx`" in reference
    assert "| `headline` | text | How many areas for improvement the plan covers. |" in reference
