"""Fingerprints of the paragraphs selfeval generated, to find the ones a person changed in Word.

Text inside content controls is the person's to write and is carried forward; everything else
is generated from the inputs, so an edit there would be lost by the next draft. The manifest keeps
a digest of each generated paragraph with *where* it is (the nearest heading, or a table's row id
and column), and the next run compares them with the person's copy and says what changed where:
"LAM-2026-02, Actions: edited in Word".

Shared by render (fingerprinting a new draft) and load (reading a person's copy), like ``xmltext``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from selfeval.content_controls import w

HEADING_STYLES = ("Title", "Heading1", "Heading2", "Heading3", "Heading4")
_TOC_ENTRY = re.compile(r"(?:TOC|Contents)\d")


@dataclass(frozen=True)
class ParagraphPrint:
    where: str  # "Our local context"; "LAM-2026-02, Actions" (a table's row id and column)
    digest: str


@dataclass(frozen=True)
class Edit:
    where: str
    kind: str  # "edited" | "added" | "deleted"


def digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def paragraph_prints(body: Any) -> list[ParagraphPrint]:
    """One print per paragraph with generated text, in document order."""
    prints: list[ParagraphPrint] = []
    heading = ""
    for child in body:
        if child.tag == w("p"):
            text = generated_text(child)
            if _style(child) in HEADING_STYLES and text.strip():
                heading = text.strip()
            if text.strip() and not _is_field(child):
                prints.append(ParagraphPrint(heading or "the opening", digest(text)))
        elif child.tag == w("tbl"):
            prints.extend(_table_prints(child, heading))
        elif child.tag == w("sdt"):
            continue  # a block-level control: the person's (or Word's table of contents)
    return prints


def _table_prints(tbl: Any, heading: str) -> list[ParagraphPrint]:
    prints = []
    rows = tbl.findall(w("tr"))
    header = [_cell_text(tc) for tc in rows[0].findall(w("tc"))] if rows else []
    for i, tr in enumerate(rows):
        cells = tr.findall(w("tc"))
        row_name = _short(_cell_text(cells[0])) if cells and i > 0 else ""
        grid = 0  # the grid column a cell starts in: a merged cell (gridSpan) covers several
        for tc in cells:
            j, span = grid, _span(tc)
            grid += span
            # A cell spanning several headings (the plan's area row) is named by its row alone.
            column = header[j] if j < len(header) and i > 0 and span == 1 else ""
            where = ", ".join(x for x in (row_name or heading, column) if x) or heading
            for p in tc.iter(w("p")):
                if _inside_control(p, tc):
                    continue
                text = generated_text(p)
                if text.strip():
                    prints.append(ParagraphPrint(where, digest(text)))
    return prints


def _span(tc: Any) -> int:
    tcpr = tc.find(w("tcPr"))
    span = tcpr.find(w("gridSpan")) if tcpr is not None else None
    value = span.get(w("val")) if span is not None else None
    return int(value) if value and value.isdigit() else 1


def _inside_control(p: Any, stop: Any) -> bool:
    parent = p.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == w("sdt"):
            return True
        parent = parent.getparent()
    return False


def generated_text(p: Any) -> str:
    """A paragraph's text outside content controls, with tracked changes accepted."""
    out = []
    for el in p.iter(w("t"), w("tab"), w("br")):
        if _skipped(el, p):
            continue
        out.append((el.text or "") if el.tag == w("t") else " ")
    return "".join(out)


def _skipped(el: Any, stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in (w("sdt"), w("del"), w("moveFrom")):
            return True
        parent = parent.getparent()
    return False


def _cell_text(tc: Any) -> str:
    return " ".join(generated_text(p) for p in tc.iter(w("p")) if not _inside_control(p, tc)).strip() or " ".join(
        t.text or "" for t in tc.iter(w("t"))
    ).strip()


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _style(p: Any) -> str:
    ppr = p.find(w("pPr"))
    style = ppr.find(w("pStyle")) if ppr is not None else None
    return (style.get(w("val")) or "") if style is not None else ""


def _is_field(p: Any) -> bool:
    """Word rewrites field results (the table of contents) when it opens the file: not an edit."""
    if p.find(f".//{w('fldChar')}") is not None or p.find(f".//{w('fldSimple')}") is not None:
        return True
    return _TOC_ENTRY.fullmatch(_style(p)) is not None  # Word's TOC1..TOC9, LibreOffice's Contents1..


def edits(generated: list[ParagraphPrint], current: list[ParagraphPrint]) -> list[Edit]:
    """Where the person's copy differs from what selfeval wrote, in document order, once per place."""
    matcher = difflib.SequenceMatcher(a=[p.digest for p in generated], b=[p.digest for p in current], autojunk=False)
    found: list[Edit] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op in ("replace", "delete"):
            kind = "edited" if op == "replace" else "deleted"
            found += [Edit(p.where, kind) for p in generated[a0:a1]]
        if op == "insert" or (op == "replace" and b1 - b0 > a1 - a0):
            start = b0 if op == "insert" else b0 + (a1 - a0)
            found += [Edit(p.where, "added") for p in current[start:b1]]
    unique: list[Edit] = []
    seen: set[str] = set()
    for e in found:
        if e.where not in seen:
            seen.add(e.where)
            unique.append(e)
    return unique
