"""The contents page's entries, written into the table-of-contents field's result.

A TOC field holds the last result Word computed. Word refreshes it on opening (the field is dirty
and settings ask for updateFields), but LibreOffice, browsers' and phones' previews show the stored
result as it is. So the result is filled here with the document's headings, one paragraph per
heading in Word's own contents styles (TOC1..TOC3): every viewer lists them, and Word replaces them
with the same headings and their page numbers.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from selfeval.content_controls import W_NS

_LEVELS = {"Heading1": 1, "Heading2": 2, "Heading3": 3}
_P, _T, _PPR, _PSTYLE, _VAL, _INSTR = (qn(t) for t in ("w:p", "w:t", "w:pPr", "w:pStyle", "w:val", "w:instrText"))


def fill_contents(body: Any) -> None:
    """Put the headings after each TOC field into its result (a no-op without one)."""
    for begin_p in _toc_starts(body):
        headings = _headings_after(begin_p)
        if headings:
            _replace_result(begin_p, headings)


def _toc_starts(body: Any) -> list[Any]:
    """The paragraphs holding a TOC field instruction, in document order. Found from the (few)
    field instructions upwards, not by searching each of a long document's paragraphs."""
    holders: set[Any] = set()
    for instr in body.iter(_INSTR):
        if (instr.text or "").strip().startswith("TOC "):
            holders.update(a for a in instr.iterancestors(_P))
    if len(holders) < 2:
        return list(holders)
    return [p for p in body.iter(_P) if p in holders]


def _headings_after(start: Any) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for p in _HEADINGS_AFTER(start):
        level = _LEVELS[p.find(_PPR).find(_PSTYLE).get(_VAL)]  # there: the search asked for it
        text = "".join(t.text or "" for t in p.iter(_T)).strip()
        if text:
            found.append((level, text))
    return found


# A paragraph whose (first) style is a heading's.
_HEADING = "w:pPr[1]/w:pStyle[1][" + " or ".join(f"@w:val='{style}'" for style in _LEVELS) + "]"
# The heading paragraphs after the TOC's, within its parent (its own nested ones, then its following
# siblings' and theirs), in document order: one search by libxml2 instead of a look at each of a
# long document's paragraphs.
_HEADINGS_AFTER = etree.XPath(
    f"descendant::w:p[{_HEADING}] | following-sibling::*/descendant-or-self::w:p[{_HEADING}]", namespaces={"w": W_NS}
)


def _replace_result(p: Any, headings: list[tuple[int, str]]) -> None:
    runs = list(p.findall(qn("w:r")))
    separate = next((i for i, r in enumerate(runs) if _fld(r) == "separate"), None)
    end = next((i for i, r in enumerate(runs) if _fld(r) == "end"), None)
    if separate is None or end is None or end < separate:
        return  # a field that spans paragraphs already (a person's own): leave it
    for r in runs[separate + 1 : end]:
        p.remove(r)
    end_run = runs[end]
    p.remove(end_run)
    first_level, first_text = headings[0]
    _style(p, first_level)
    p.append(_text_run(first_text))
    last = p
    blank = OxmlElement("w:p")  # an entry, copied for each heading (a copy is cheaper than building one)
    _style(blank, 1)
    blank.append(_text_run(""))
    for level, text in headings[1:]:
        entry = deepcopy(blank)
        entry[0][0].set(_VAL, f"TOC{level}")  # its w:pPr/w:pStyle
        entry[1][0].text = text  # its w:r/w:t
        last.addnext(entry)
        last = entry
    last.append(end_run)


def _fld(r: Any) -> str | None:
    f = r.find(qn("w:fldChar"))
    return f.get(qn("w:fldCharType")) if f is not None else None


def _style(p: Any, level: int) -> None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    style = ppr.find(qn("w:pStyle"))
    if style is None:
        style = OxmlElement("w:pStyle")
        ppr.insert(0, style)
    style.set(qn("w:val"), f"TOC{level}")


def _text_run(text: str) -> Any:
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r
