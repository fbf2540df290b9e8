"""The contents page lists the headings that follow its field, found by one search of the document
rather than a look at every paragraph: the same headings, in the same order, as looking at each."""

from __future__ import annotations

from typing import Any

from lxml import etree

from selfeval.render.contents import _headings_after, _toc_starts, fill_contents

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def plain_headings_after(start: Any) -> list[tuple[int, str]]:
    """The rule as first written: every paragraph after the field's, in its parent, looked at."""
    levels = {"Heading1": 1, "Heading2": 2, "Heading3": 3}
    found: list[tuple[int, str]] = []
    seen = False
    for p in start.getparent().iter(w("p")):
        if p is start:
            seen = True
            continue
        if not seen:
            continue
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        level = levels.get(style.get(w("val")) if style is not None else "")
        if level:
            text = "".join(t.text or "" for t in p.iter(w("t"))).strip()
            if text:
                found.append((level, text))
    return found


def _el(tag: str, *children: Any, **attrs: str) -> Any:
    el = etree.Element(w(tag), {w(k): v for k, v in attrs.items()})
    el.extend(children)
    return el


def _para(text: str, style: str | None = None, *more: Any) -> Any:
    t = _el("t")
    t.text = text
    p = _el("p")
    if style:
        p.append(_el("pPr", _el("jc", val="left"), _el("pStyle", val=style)))
    p.append(_el("r", t))
    p.extend(more)
    return p


def _toc() -> Any:
    instr = _el("instrText")
    instr.text = ' TOC \\o "1-3" \\h '
    return _el("p", _el("r", _el("fldChar", fldCharType="begin")), _el("r", instr),
               _el("r", _el("fldChar", fldCharType="separate")), _el("r", _el("t")),
               _el("r", _el("fldChar", fldCharType="end")))


def _document(toc: Any) -> Any:
    box = _el("r", _el("pict", _el("txbxContent", _para("In a text box", "Heading2"))))
    toc.append(box)
    return _el(
        "body",
        _para("Before the contents", "Heading1"),
        toc,
        _para("Context", "Heading1"),
        _para("Body text"),
        _para("   ", "Heading2"),
        _para("Odd", "Heading4"),
        _el("tbl", _el("tr", _el("tc", _para("In a table", "Heading3"), _para("cell")))),
        _el("sdt", _el("sdtPr"), _el("sdtContent", _para("In a control", "Heading2"))),
        _el("p", _el("pPr"), _el("pPr", _el("pStyle", val="Heading1")), _el("r")),  # a second pPr: not read
        _el("p", _el("pPr", _el("pStyle", val="Normal"), _el("pStyle", val="Heading1"))),
        _para("Last", "Heading1"),
    )


def test_the_headings_after_the_contents_field_are_those_a_look_at_each_paragraph_finds() -> None:
    body = _document(_toc())
    [start] = _toc_starts(body)
    assert _headings_after(start) == plain_headings_after(start)
    assert _headings_after(start)[:3] == [(2, "In a text box"), (1, "Context"), (3, "In a table")]
    headings = plain_headings_after(start)
    fill_contents(body)
    styles = [el.get(w("val")) for el in body.iter(w("pStyle"))]
    assert [s for s in styles if s.startswith("TOC")] == [f"TOC{level}" for level, _ in headings]


def test_a_contents_field_inside_a_control_lists_only_what_follows_it_there() -> None:
    toc = _toc()
    body = _document(_el("sdt", _el("sdtPr"), _el("sdtContent", _para("Contents"), toc, _para("Entry", "Heading1"))))
    starts = _toc_starts(body)
    assert starts == [toc]
    assert _headings_after(toc) == plain_headings_after(toc) == [(1, "Entry")]
