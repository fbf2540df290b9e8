"""Councils must publish accessible documents. Each generated document, as it comes out of
selfeval: title and language set, headings in order, table header rows marked (they repeat and
screen readers announce them), every picture with alt text, RAG never shown by colour alone, and
text on every shading at least 4.5:1 contrast (WCAG 2.2 AA)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

DOCUMENTS = ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _style_colours(styles: str) -> dict[str, str]:
    out = {}
    for m in re.finditer(r'<w:style [^>]*w:styleId="([^"]+)".*?</w:style>', styles, re.S):
        colour = re.search(r'<w:color w:val="([0-9A-Fa-f]{6})"', m.group(0))
        if colour:
            out[m.group(1)] = colour.group(1).upper()
    return out


@pytest.fixture(scope="module", params=DOCUMENTS)
def document(request, example_outputs) -> Path:
    return example_outputs / request.param


def test_the_title_and_the_language_are_set(document):
    from docx import Document

    assert Document(str(document)).core_properties.title.strip()
    styles = _xml(document, "word/styles.xml")
    defaults = styles.split("<w:docDefaults>", 1)[1].split("</w:docDefaults>", 1)[0]
    assert re.search(r'<w:lang w:val="en-GB"', defaults), "the default language is not British English"


def test_headings_go_down_one_level_at_a_time(document):
    body = _xml(document, "word/document.xml")
    levels = [int(n) for n in re.findall(r'<w:pStyle w:val="Heading(\d)"/>', body)]
    # The title (Title style) stands above everything; the first heading is a 1, or a 2 in the
    # short papers whose title is their only top level.
    assert levels and levels[0] <= 2
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"a Heading {after} follows a Heading {before}"


def test_every_table_marks_its_header_row(document):
    from docx import Document
    from docx.oxml.ns import qn

    for table in Document(str(document)).tables:
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr")) is not None and first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None, (
            document.name, table.rows[0].cells[0].text
        )


def test_every_picture_has_alt_text(document):
    body = _xml(document, "word/document.xml")
    for tag in re.findall(r"<wp:docPr [^>]*>", body):
        descr = re.search(r'descr="([^"]*)"', tag)
        assert descr and descr.group(1).strip(), tag


def test_rag_and_grades_are_never_shown_by_colour_alone(document):
    from docx import Document
    from docx.oxml.ns import qn

    for table in Document(str(document)).tables:
        for row in table.rows:
            for cell in row.cells:
                shd = cell._tc.find(qn("w:tcPr"))
                shd = shd.find(qn("w:shd")) if shd is not None else None
                fill = (shd.get(qn("w:fill")) or "auto").upper() if shd is not None else "AUTO"
                if fill not in ("AUTO", "FFFFFF"):
                    assert cell.text.strip(), f"{document.name}: a cell shaded {fill} holds no words"


def test_text_on_every_shading_is_at_least_4_5_to_1(document):
    from docx import Document
    from docx.oxml.ns import qn

    colours = _style_colours(_xml(document, "word/styles.xml"))
    seen = set()
    for table in Document(str(document)).tables:
        for row in table.rows:
            for cell in row.cells:
                tc_pr = cell._tc.find(qn("w:tcPr"))
                shd = tc_pr.find(qn("w:shd")) if tc_pr is not None else None
                fill = (shd.get(qn("w:fill")) or "FFFFFF").upper() if shd is not None else "FFFFFF"
                if fill == "AUTO":
                    fill = "FFFFFF"
                for p in cell.paragraphs:
                    style_colour = colours.get(p.style.style_id if p.style is not None else "", "000000")
                    for run in p.runs:
                        if not run.text.strip():
                            continue
                        colour = run.font.color.rgb
                        text_colour = str(colour) if colour is not None else style_colour
                        seen.add((fill, text_colour))
    assert seen
    for fill, text_colour in seen:
        assert contrast(fill, text_colour) >= 4.5, f"{document.name}: text {text_colour} on {fill} is {contrast(fill, text_colour):.2f}:1"


def test_the_contrast_rule_itself():
    assert round(contrast("FFFFFF", "000000"), 1) == 21.0
    assert contrast("FFFFFF", "777777") < 4.5
