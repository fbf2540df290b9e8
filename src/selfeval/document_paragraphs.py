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
    """A generated paragraph's digest, and where in the document it is."""

    where: str  # "Our local context"; "LAM-2026-02, Actions" (a table's row id and column)
    digest: str


@dataclass(frozen=True)
class Edit:
    """A generated paragraph a person changed in Word: where, and how."""

    where: str
    kind: str  # "edited" | "added" | "deleted"


def digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


_P, _T, _TBL, _TR, _TC, _SDT, _PPR, _PSTYLE, _VAL, _TCPR, _GRID_SPAN = (
    w(n) for n in ("p", "t", "tbl", "tr", "tc", "sdt", "pPr", "pStyle", "val", "tcPr", "gridSpan")
)
_SPACES = frozenset(w(n) for n in ("tab", "br"))  # each reads as one space
_SKIPPING = frozenset(w(n) for n in ("sdt", "del", "moveFrom"))  # the person's, or deleted: not generated text
_FIELDS = frozenset(w(n) for n in ("fldChar", "fldSimple"))


def paragraph_prints(body: Any) -> list[ParagraphPrint]:
    """One print per paragraph with generated text, in document order."""
    prints: list[ParagraphPrint] = []
    heading = ""
    for child in body:
        tag = child.tag
        if tag == _P:
            text, field, _ = _scan(child)
            stripped = text.strip()
            if not stripped:
                continue
            style = _style(child)
            if style in HEADING_STYLES:
                heading = stripped
            # Word rewrites field results (the table of contents) when it opens the file: not an edit.
            # Word's TOC1..TOC9, LibreOffice's Contents1.. are its entries.
            if not field and _TOC_ENTRY.fullmatch(style) is None:
                prints.append(ParagraphPrint(heading or "the opening", digest(text)))
        elif tag == _TBL:
            prints.extend(_table_prints(child, heading))
        # a block-level control (w:sdt) is the person's (or Word's table of contents): skipped
    return prints


def _table_prints(tbl: Any, heading: str) -> list[ParagraphPrint]:
    prints: list[ParagraphPrint] = []
    rows = [[tc for tc in tr if tc.tag == _TC] for tr in tbl if tr.tag == _TR]
    texts = [[_paragraph_texts(tc) for tc in cells] for cells in rows]  # each cell's, read once
    header = [_joined(tc, t) for tc, t in zip(rows[0], texts[0])] if rows else []
    for i, cells in enumerate(rows):
        row_name = _short(_joined(cells[0], texts[i][0])) if cells and i > 0 else ""
        grid = 0  # the grid column a cell starts in: a merged cell (gridSpan) covers several
        for tc, cell_texts in zip(cells, texts[i]):
            j, span = grid, _span(tc)
            grid += span
            # A cell spanning several headings (the plan's area row) is named by its row alone.
            column = header[j] if j < len(header) and i > 0 and span == 1 else ""
            where = ", ".join(x for x in (row_name or heading, column) if x) or heading
            prints.extend(ParagraphPrint(where, digest(text)) for text in cell_texts if text.strip())
    return prints


def _paragraph_texts(tc: Any) -> list[str]:
    """The generated text of each paragraph in a cell (nested tables' too) outside content controls."""
    texts = []
    for child in tc:  # most cells: their properties and paragraphs of plain text
        tag = child.tag
        if tag == _P:
            text, _, nested = _scan(child)
            if nested:
                return _paragraph_texts_by_rule(tc)
            texts.append(text)
        elif tag != _TCPR:  # a nested table, a control, a bookmark...: the full rule
            return _paragraph_texts_by_rule(tc)
    return texts


def _paragraph_texts_by_rule(tc: Any) -> list[str]:
    paragraphs = list(tc.iter(_P))
    # Left out: a paragraph inside a control that sits inside the cell.
    inside = {p for sdt in tc.iter(_SDT) for p in sdt.iter(_P)}
    return [_scan(p)[0] for p in paragraphs if p not in inside]


def _joined(tc: Any, texts: list[str]) -> str:
    """A cell's text: its generated paragraphs', or (all of it in controls) every word in it."""
    return " ".join(texts).strip() or " ".join(t.text or "" for t in tc.iter(_T)).strip()


def _span(tc: Any) -> int:
    tcpr = _first_child(tc, _TCPR)
    span = _first_child(tcpr, _GRID_SPAN) if tcpr is not None else None
    value = span.get(_VAL) if span is not None else None
    return int(value) if value and value.isdigit() else 1


def generated_text(p: Any) -> str:
    """A paragraph's text outside content controls, with tracked changes accepted."""
    return _scan(p)[0]


_TEXT, _SPACE, _FIELD, _SKIP, _PARAGRAPH = range(5)
_KIND = {_T: _TEXT, _P: _PARAGRAPH, **dict.fromkeys(_SPACES, _SPACE), **dict.fromkeys(_FIELDS, _FIELD),
         **dict.fromkeys(_SKIPPING, _SKIP)}


def _scan(p: Any) -> tuple[str, bool, bool]:
    """:func:`generated_text`, whether the paragraph holds a field, and whether it holds a paragraph
    of its own (a text box), in one walk of it.

    Most paragraphs hold no control, deletion or move: their text is joined as it comes. One
    that does is read by the rule itself (each piece of text checked for such a parent)."""
    out = []
    field = nested = False
    kinds = _KIND
    for el in p.iterdescendants():
        kind = kinds.get(el.tag)
        if kind is None:
            continue
        if kind == _TEXT:
            out.append(el.text or "")
        elif kind == _SPACE:
            out.append(" ")
        elif kind == _FIELD:
            field = True
        elif kind == _PARAGRAPH:
            nested = True
        else:
            has_field = any(True for _ in p.iterdescendants(*_FIELDS))
            return _text_skipping(p), has_field, any(True for _ in p.iterdescendants(_P))
    return "".join(out), field, nested


def _text_skipping(p: Any) -> str:
    out = []
    for el in p.iter(_T, *_SPACES):
        if _skipped(el, p):
            continue
        out.append((el.text or "") if el.tag == _T else " ")
    return "".join(out)


def _skipped(el: Any, stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIPPING:
            return True
        parent = parent.getparent()
    return False


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _style(p: Any) -> str:
    ppr = _first_child(p, _PPR)
    style = _first_child(ppr, _PSTYLE) if ppr is not None else None
    return (style.get(_VAL) or "") if style is not None else ""


def _first_child(parent: Any, tag: str) -> Any:
    """``parent.find(tag)`` (the first child with that tag) without lxml's path machinery; the
    properties it is asked for come first in the schema, so usually the first child is it."""
    if len(parent) and parent[0].tag == tag:
        return parent[0]
    for child in parent:
        if child.tag == tag:
            return child
    return None


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
