"""Word content controls (``w:sdt``): how selfeval writes them and how it reads them back.

A content control is the box Word shows around "Click here to type": it has a title a person
reads (``w:alias``), a tag a program reads (``w:tag``) and, until someone types in it, placeholder
text (``w:showingPlcHdr``). selfeval writes one for every "[To complete: ...]" marker, tagged with
the place it stands for (``self-evaluation/help_and_protection/quality-assurance``), so that the
next draft can put a person's words back in the same place.

Reading is what Word or LibreOffice stored, not what selfeval wrote: tracked insertions are
accepted and deletions dropped (the text a person sees with "accept all"), comments are counted
(they are not carried), and a control whose tag a client dropped is still found by the hidden
bookmark selfeval puts beside it (LibreOffice 7 keeps bookmarks but drops tags and titles).

This module only knows Open XML; it is shared by render (writing controls, carrying text in)
and load (reading an edited document), like ``xmltext``.
"""

from __future__ import annotations

import hashlib
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


BOOKMARK_PREFIX = "_se"  # Word hides bookmarks whose name starts with "_"


@dataclass(frozen=True)
class Span:
    """A stretch of text with the formatting a person most often gives it."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


Paragraph = tuple[Span, ...]


@dataclass(frozen=True)
class Control:
    """One content control as a document holds it."""

    tag: str | None
    title: str
    bookmark: str | None  # selfeval's hidden bookmark beside it, if any
    showing_placeholder: bool
    paragraphs: tuple[Paragraph, ...]
    comments: int = 0  # comments a person anchored inside it (selfeval's own guidance excluded)
    tracked_changes: bool = False

    @property
    def text(self) -> str:
        return "\n".join("".join(s.text for s in p) for p in self.paragraphs)


def bookmark_name(tag: str) -> str:
    """A Word bookmark name for ``tag``: at most 40 letters, digits and underscores."""
    return BOOKMARK_PREFIX + hashlib.sha1(tag.encode("utf-8")).hexdigest()[:16]


def control_id(tag: str, taken: set[int]) -> int:
    """A stable w:id for the control with this tag (stable output compares well between runs)."""
    n = int(hashlib.sha1(tag.encode("utf-8")).hexdigest()[:7], 16) + 1
    while n in taken:
        n += 1
    taken.add(n)
    return n


# -- writing ---------------------------------------------------------------------------------------

def make_control(content: Iterable[Any], *, tag: str, title: str, sdt_id: int, run_properties: Any | None,
                 placeholder: bool) -> Any:
    """An inline rich-text control holding ``content`` (runs). ``run_properties`` (a w:rPr) is the
    formatting Word gives the text a person types in it."""
    sdt = etree.Element(w("sdt"))
    pr = etree.SubElement(sdt, w("sdtPr"))
    if run_properties is not None:
        pr.append(deepcopy(run_properties))
    etree.SubElement(pr, w("alias")).set(w("val"), title)
    etree.SubElement(pr, w("tag")).set(w("val"), tag)
    etree.SubElement(pr, w("id")).set(w("val"), str(sdt_id))
    if placeholder:
        etree.SubElement(pr, w("showingPlcHdr"))
    body = etree.SubElement(sdt, w("sdtContent"))
    for element in content:
        body.append(element)
    return sdt


def bookmark_around(element: Any, name: str, bookmark_id: int) -> None:
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), str(bookmark_id))
    start.set(w("name"), name)
    end = etree.Element(w("bookmarkEnd"))
    end.set(w("id"), str(bookmark_id))
    element.addprevious(start)
    element.addnext(end)


def make_runs(paragraph: Paragraph, run_properties: Any | None) -> list[Any]:
    """Runs for one carried paragraph: the control's formatting plus the person's bold/italic/underline."""
    runs = []
    for span in paragraph:
        r = etree.Element(w("r"))
        rpr = deepcopy(run_properties) if run_properties is not None else etree.Element(w("rPr"))
        for flag, name in ((span.bold, "b"), (span.italic, "i")):
            if flag and rpr.find(w(name)) is None:
                _insert_rpr(rpr, etree.Element(w(name)))
        if span.underline and rpr.find(w("u")) is None:
            u = etree.Element(w("u"))
            u.set(w("val"), "single")
            _insert_rpr(rpr, u)
        if len(rpr):
            r.append(rpr)
        for i, line in enumerate(span.text.split("\n")):
            if i:
                etree.SubElement(r, w("br"))
            for j, piece in enumerate(line.split("\t")):
                if j:
                    etree.SubElement(r, w("tab"))
                if piece:
                    t = etree.SubElement(r, w("t"))
                    t.text = piece
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        runs.append(r)
    return runs


# CT_RPr is a sequence: b and i come early, u after the colour and size.
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss",
    "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
    "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
)


def _insert_rpr(rpr: Any, element: Any) -> None:
    rank = _RPR_ORDER.index(etree.QName(element).localname)
    for i, child in enumerate(rpr):
        name = etree.QName(child).localname
        if name in _RPR_ORDER and _RPR_ORDER.index(name) > rank:
            rpr.insert(i, element)
            return
    rpr.append(element)


# -- reading ---------------------------------------------------------------------------------------

def controls_in(root: Any, *, own_comment_ids: set[str] | None = None) -> list[Control]:
    """Every content control under ``root`` (a document body, header or template), outermost only,
    in document order. Word's own building blocks (the table of contents) are not controls a person
    fills in, so they are left out."""
    return [read_control(sdt, own_comment_ids=own_comment_ids or set()) for sdt in control_elements(root)]


def control_elements(root: Any) -> Iterator[Any]:
    """The w:sdt elements that ``controls_in`` reads, in the same order."""
    for sdt in root.iter(_SDT):
        if _is_building_block(sdt):
            continue
        parent = sdt.getparent()
        nested = False
        while parent is not None and parent is not root:
            if parent.tag == _SDT and not _is_building_block(parent):
                nested = True
                break
            parent = parent.getparent()
        if not nested:
            yield sdt


def _is_building_block(sdt: Any) -> bool:
    pr = sdt.find(_SDT_PR)
    return pr is not None and any(child.tag in _BUILDING_BLOCKS for child in pr)


_SDT, _SDT_PR, _P, _R = w("sdt"), w("sdtPr"), w("p"), w("r")
_BUILDING_BLOCKS = frozenset(w(n) for n in ("docPartObj", "citation", "bibliography"))


def read_control(sdt: Any, *, own_comment_ids: set[str]) -> Control:
    pr = sdt.find(w("sdtPr"))
    content = sdt.find(w("sdtContent"))
    tag = _val(pr, "tag")
    title = _val(pr, "alias") or ""
    showing = pr is not None and _on(pr.find(w("showingPlcHdr")))
    paragraphs = tuple(paragraphs_of(content)) if content is not None else ()
    comments = 0
    tracked = False
    if content is not None:
        ids = {el.get(w("id")) for el in content.iter(w("commentRangeStart"), w("commentReference"))}
        comments = len({i for i in ids if i is not None and i not in own_comment_ids})
        tracked = any(True for _ in content.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo")))
    return Control(tag=tag, title=title, bookmark=_bookmark_of(sdt), showing_placeholder=showing,
                   paragraphs=paragraphs, comments=comments, tracked_changes=tracked)


def _val(pr: Any, name: str) -> str | None:
    if pr is None:
        return None
    el = pr.find(w(name))
    return el.get(w("val")) if el is not None else None


def _on(el: Any) -> bool:
    return el is not None and el.get(w("val"), "true") not in ("false", "0", "off")


def _bookmark_of(sdt: Any) -> str | None:
    """selfeval's bookmark: just before the control (as written) or first inside it (LibreOffice)."""
    content = sdt.find(w("sdtContent"))
    if content is not None:
        for b in content.iter(w("bookmarkStart")):
            if (b.get(w("name")) or "").startswith(BOOKMARK_PREFIX):
                return b.get(w("name"))
    prev = sdt.getprevious()
    while prev is not None and prev.tag in (w("bookmarkStart"), w("commentRangeStart")):
        if prev.tag == w("bookmarkStart") and (prev.get(w("name")) or "").startswith(BOOKMARK_PREFIX):
            return prev.get(w("name"))
        prev = prev.getprevious()
    return None


# Content a reader does not see once changes are accepted, or that is not text at all.
_NOT_TEXT = {w(n) for n in ("del", "moveFrom", "rPr", "pPr", "sdtPr", "instrText", "delText", "delInstrText",
                            "commentReference", "footnoteReference", "endnoteReference", "fldChar")}


def paragraphs_of(content: Any) -> list[Paragraph]:
    """The text under ``content`` as paragraphs of spans, with tracked changes accepted."""
    out: list[list[Span]] = []
    _walk(content, out)
    return [_merge(p) for p in out if p and any(s.text.strip() for s in p)]


def _walk(element: Any, out: list[list[Span]]) -> None:
    for child in element:
        if child.tag in _NOT_TEXT or not isinstance(child.tag, str):
            continue
        if child.tag == _P:
            out.append([])
            _walk(child, out)
            out.append([])  # text after a paragraph (rare) starts a new one
        elif child.tag == _R:
            if not out:
                out.append([])
            out[-1].extend(_run_spans(child))
        else:
            _walk(child, out)


def _run_spans(r: Any) -> list[Span]:
    rpr = r.find(w("rPr"))
    bold = rpr is not None and _on(rpr.find(w("b")))
    italic = rpr is not None and _on(rpr.find(w("i")))
    u = rpr.find(w("u")) if rpr is not None else None
    underline = u is not None and u.get(w("val"), "single") != "none"
    text = []
    for child in r:
        tag = child.tag
        if tag == _T:
            text.append(child.text or "")
        elif tag == _TAB:
            text.append("\t")
        elif tag in _BREAKS and child.get(_TYPE) not in ("page", "column"):
            text.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            text.append("\u2011")
    joined = "".join(text)
    return [Span(joined, bold, italic, underline)] if joined else []


_T, _TAB, _TYPE, _NO_BREAK_HYPHEN = w("t"), w("tab"), w("type"), w("noBreakHyphen")
_BREAKS = (w("br"), w("cr"))


def _merge(spans: list[Span]) -> Paragraph:
    merged: list[Span] = []
    for s in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].underline) == (s.bold, s.italic, s.underline):
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic, s.underline)
        else:
            merged.append(s)
    # Leading and trailing blanks are layout, not words.
    if merged:
        merged[0] = Span(merged[0].text.lstrip(" "), merged[0].bold, merged[0].italic, merged[0].underline)
        merged[-1] = Span(merged[-1].text.rstrip(" "), merged[-1].bold, merged[-1].italic, merged[-1].underline)
    return tuple(s for s in merged if s.text)
