"""Word-compatible software opens every generated document: LibreOffice lays it out and renders a
page, and Microsoft's Open XML validator finds no schema error."""

from __future__ import annotations

import pytest

from word_clients import first_page_png, to_pdf, validate_ooxml

from selfeval.render.registry import template_names

DOCUMENTS = template_names()


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


@pytest.mark.slow
def test_board_summary_is_two_to_four_pages(example_outputs, tmp_path):
    import subprocess

    pdf = to_pdf(example_outputs / "board-summary.docx", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 2 <= pages <= 4, pages
