"""Word-compatible software opens every generated document: LibreOffice lays it out and renders a
page, and Microsoft's Open XML validator finds no schema error."""

from __future__ import annotations

import pytest

from word_clients import first_page_png, to_pdf, validate_ooxml

DOCUMENTS = ["self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"]


@pytest.mark.slow
@pytest.mark.parametrize("name", DOCUMENTS)
def test_libreoffice_converts_and_renders_first_page(name, example_outputs, tmp_path):
    pdf = to_pdf(example_outputs / name, tmp_path)
    png = first_page_png(pdf)
    assert png.stat().st_size > 1000


@pytest.mark.slow
@pytest.mark.parametrize("name", DOCUMENTS)
def test_open_xml_schema_validator_finds_no_errors(name, example_outputs):
    errors = validate_ooxml(example_outputs / name)
    assert errors == [], [e["description"] + " at " + e["xPath"] for e in errors[:5]]
