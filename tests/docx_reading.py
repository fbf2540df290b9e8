"""Reading generated .docx files back the way a reviewer looks at them: headings, tables, shading,
highlights and comments."""

from __future__ import annotations

import re

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def open_docx(path: Path):
    return Document(str(path))


def headings(doc) -> list[tuple[int, str]]:
    out = []
    for p in doc.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading "):
            out.append((int(name.split()[1]), p.text))
    return out


def is_contents_entry(p) -> bool:
    """A line of the contents page (Word's TOC1..TOC9 styles): a copy of a heading, not the heading."""
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style is not None and re.fullmatch(r"TOC\d", style.get(qn("w:val")) or "") is not None


def body_blocks(doc) -> list[str]:
    """Paragraph texts in document order, including those inside tables (one per paragraph); the
    contents page's copies of the headings are left out."""
    out = []
    for p in doc.element.body.iter(qn("w:p")):
        if is_contents_entry(p):
            continue
        out.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return out


def visible_text(element) -> str:
    """The text Word shows for a paragraph or cell, including what sits in content controls
    (python-docx's ``.text`` skips those)."""
    paragraphs = [element] if element.tag == qn("w:p") else list(element.iter(qn("w:p")))
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)


def cell_text(cell) -> str:
    return visible_text(cell._tc)


def table_rows(table: Table) -> list[list[str]]:
    return [[cell_text(c) for c in row.cells] for row in table.rows]


def cell_fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else None


def table_after_heading(doc, heading_text: str) -> Table:
    """The first table that follows the heading with this text."""
    seen = False
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p") and not is_contents_entry(child) and Paragraph(child, doc._body).text == heading_text:
            seen = True
        elif seen and child.tag == qn("w:tbl"):
            return Table(child, doc._body)
    raise AssertionError(f"no table after heading {heading_text!r}")


def highlighted_runs(doc) -> list[str]:
    runs = []
    for r in doc.element.body.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:highlight")) is not None:
            runs.append("".join(t.text or "" for t in r.iter(qn("w:t"))))
    return runs


def comment_texts(doc) -> list[str]:
    return [c.text for c in doc.comments]


def comment_anchors(doc) -> int:
    return len(list(doc.element.body.iter(qn("w:commentRangeStart"))))
