"""Carry a person's words from the previous version of a document into the new draft.

``generate`` renders the new draft from the inputs as always; then, if the person's copy was
edited, every content control they wrote in is put back into the control with the same tag in the
new draft. Words whose place is gone (an area for improvement now closed, a section removed from a
custom template, a gap the inputs now fill) go into an appendix, "Carried forward from the
previous version", inside controls that keep their tag, so nothing is dropped and a place that
comes back next quarter gets its words back.

The decisions are small pure functions (``to_carry``, ``match``); ``carry`` applies them to the
rendered .docx.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from selfeval.content_controls import (
    Control,
    Paragraph,
    bookmark_around,
    bookmark_name,
    control_elements,
    control_id,
    make_control,
    make_runs,
    read_control,
    w,
)
from selfeval.document_paragraphs import digest
from selfeval.render import placeholders

APPENDIX_TITLE = "Carried forward from the previous version"
APPENDIX_INTRO = (
    "These passages were written in the previous version of this document, in places this draft no longer has "
    "(an area for improvement now closed, a section no longer in the template, or a gap your inputs now fill). "
    "Nothing has been dropped: move each one where it belongs, or delete it."
)


@dataclass
class CarryReport:
    """What carrying a person's words into the new draft did with each passage."""

    placed: list[str] = field(default_factory=list)  # titles of the controls that got the person's words back
    unplaced: list[str] = field(default_factory=list)  # titles of the passages now in the appendix
    with_comments: list[str] = field(default_factory=list)  # passages whose comments were not carried
    tracked_changes: bool = False

    @property
    def carried(self) -> int:
        return len(self.placed) + len(self.unplaced)


# -- decisions (pure) ------------------------------------------------------------------------------

def resolve_tags(controls: list[Control], known_tags: list[str]) -> list[Control]:
    """Give back the tag a client dropped (LibreOffice keeps the bookmark beside the control)."""
    by_bookmark = {bookmark_name(t): t for t in known_tags}
    out = []
    for c in controls:
        if not c.tag and c.bookmark in by_bookmark:
            c = Control(tag=by_bookmark[c.bookmark], title=c.title, bookmark=c.bookmark,
                        showing_placeholder=c.showing_placeholder, paragraphs=c.paragraphs,
                        comments=c.comments, tracked_changes=c.tracked_changes)
        out.append(c)
    return out


def to_carry(controls: list[Control], written: dict[str, str] | None) -> list[Control]:
    """The controls a person wrote in. ``written`` is what selfeval put in each (tag -> digest of
    its text, from the manifest): a control still holding exactly that was not written in."""
    chosen = []
    for c in controls:
        text = c.text.strip()
        if c.showing_placeholder or not text:
            continue
        if placeholders.MARKER_RE.fullmatch(text):
            continue  # the placeholder itself, in a client that did not keep w:showingPlcHdr
        if written is not None and c.tag in written and written[c.tag] == digest(c.text):
            continue
        chosen.append(c)
    return chosen


def match(passages: list[Control], targets: list[Control]) -> tuple[dict[int, Control], list[Control]]:
    """Which target (by index) each passage goes into: same tag; else, for a control that lost its
    tag, the one target with the same title. The rest have no place."""
    by_tag = {t.tag: i for i, t in enumerate(targets) if t.tag}
    titles: dict[str, list[int]] = {}
    for i, t in enumerate(targets):
        titles.setdefault(t.title, []).append(i)
    placed: dict[int, Control] = {}
    unplaced: list[Control] = []
    for p in passages:
        index = by_tag.get(p.tag) if p.tag else None
        if index is None and not p.tag and p.title and len(titles.get(p.title, [])) == 1:
            index = titles[p.title][0]
        if index is None or index in placed:
            unplaced.append(p)
        else:
            placed[index] = p
    return placed, unplaced


def passage_title(c: Control) -> str:
    return c.title or c.tag or "A passage with no title"


# -- applying them to the new draft ------------------------------------------------------------------

def control_digests(data: bytes) -> dict[str, str]:
    """tag -> digest of the text selfeval wrote in each control (recorded in the manifest)."""
    return body_control_digests(body_of(data))


def body_control_digests(body: Any) -> dict[str, str]:
    """:func:`control_digests` of a document body already in memory (the render child's, before it is saved)."""
    return {c.tag: digest(c.text) for c in (read_control(s, own_comment_ids=set()) for s in control_elements(body)) if c.tag}


def body_of(data: bytes) -> Any:
    """The body of a .docx selfeval rendered: its main part only (python-docx names it
    word/document.xml), parsed as python-docx parses it, without opening every part of the package."""
    import zipfile

    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root: Any = parse_xml(z.read("word/document.xml"))  # a CT_Document, as Document(...).element is
    return root.body


def carry(data: bytes, previous: list[Control], *, written: dict[str, str] | None = None) -> tuple[bytes, CarryReport]:
    """The new draft ``data`` with the person's words from ``previous`` (its controls) carried in."""
    from docx import Document

    document = Document(io.BytesIO(data))
    body = document.element.body
    elements = list(control_elements(body))
    targets = [read_control(e, own_comment_ids=set()) for e in elements]
    known = [t.tag for t in targets if t.tag] + list(written or {})
    passages = to_carry(resolve_tags(previous, known), written)
    report = CarryReport()
    if not passages:
        return data, report
    placed, unplaced = match(passages, targets)
    # A control that already reads the same in the new draft (a template's own text) carries nothing.
    placed = {i: p for i, p in placed.items() if digest(p.text) != digest(targets[i].text)}
    passages = list(placed.values()) + unplaced
    if not passages:
        return data, report
    for index, passage in sorted(placed.items()):
        _fill(document, elements[index], passage.paragraphs)
        report.placed.append(targets[index].title or passage_title(passage))
    if unplaced:
        _appendix(document, unplaced, {t.tag for t in targets if t.tag})
        report.unplaced = [passage_title(p) for p in unplaced]
    report.with_comments = [passage_title(p) for p in passages if p.comments]
    report.tracked_changes = any(p.tracked_changes for p in passages)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), report


def _fill(document: Any, sdt: Any, paragraphs: tuple[Paragraph, ...]) -> None:
    """Replace a control's placeholder with the person's words, in the control's own formatting."""
    pr = sdt.find(w("sdtPr"))
    for flag in pr.findall(w("showingPlcHdr")):
        pr.remove(flag)
    typed = pr.find(w("rPr"))
    content = sdt.find(w("sdtContent"))
    block = any(child.tag == w("p") for child in content)
    paragraph_properties = None
    if block:
        first = content.find(w("p"))
        paragraph_properties = first.find(w("pPr")) if first is not None else None
    for child in list(content):
        content.remove(child)
    if block:
        from copy import deepcopy

        for paragraph in paragraphs:
            p = content.makeelement(w("p"), {})
            if paragraph_properties is not None:
                p.append(deepcopy(paragraph_properties))
            p.extend(make_runs(paragraph, typed))
            content.append(p)
    else:
        # An inline control holds one paragraph: the person's paragraphs become lines.
        for i, paragraph in enumerate(paragraphs):
            if i:
                br = content.makeelement(w("r"), {})
                br.append(br.makeelement(w("br"), {}))
                content.append(br)
            content.extend(make_runs(paragraph, typed))
    _drop_guidance_comment(document, sdt)


def _drop_guidance_comment(document: Any, sdt: Any) -> None:
    """The 'add your evidence here' comment has done its job once the control holds words."""
    prev = sdt.getprevious()
    while prev is not None and prev.tag == w("bookmarkStart"):
        prev = prev.getprevious()
    if prev is None or prev.tag != w("commentRangeStart"):
        return
    comment_id = prev.get(w("id"))
    parent = sdt.getparent()
    parent.remove(prev)
    for el in list(parent):
        if el.tag == w("commentRangeEnd") and el.get(w("id")) == comment_id:
            parent.remove(el)
        elif el.tag == w("r") and any(ref.get(w("id")) == comment_id for ref in el.iter(w("commentReference"))):
            parent.remove(el)
    part = getattr(document.part, "_comments_part", None)
    if part is not None:
        for comment in list(part.element.iter(w("comment"))):
            if comment.get(w("id")) == comment_id and comment.get(w("author")) == "selfeval":
                comment.getparent().remove(comment)


def _appendix(document: Any, passages: list[Control], taken_tags: set[str]) -> None:
    """A last section holding each passage that has no place, in a control that keeps its tag."""
    try:
        document.add_heading(APPENDIX_TITLE, level=1)
    except KeyError:  # a custom template without Heading 1
        document.add_paragraph().add_run(APPENDIX_TITLE).bold = True
    document.add_paragraph(APPENDIX_INTRO)
    body = document.element.body
    ids = {int(v) for v in (el.get(w("val")) for el in body.iter(w("id"))) if v and v.lstrip("-").isdigit()}
    marks = [int(b.get(w("id"), "0")) for b in body.iter(w("bookmarkStart")) if (b.get(w("id")) or "").isdigit()]
    next_mark = max(marks, default=0) + 1
    for n, passage in enumerate(passages, start=1):
        label = document.add_paragraph()
        label.paragraph_format.keep_with_next = True
        label.add_run(passage_title(passage)).bold = True
        tag = passage.tag if passage.tag and passage.tag not in taken_tags else f"carried-forward/{n}"
        taken_tags.add(tag)
        host = document.add_paragraph()
        runs = []
        for i, paragraph in enumerate(passage.paragraphs):
            if i:
                br = body.makeelement(w("r"), {})
                br.append(br.makeelement(w("br"), {}))
                runs.append(br)
            runs.extend(make_runs(paragraph, None))
        sdt = make_control(runs, tag=tag, title=passage_title(passage), sdt_id=control_id(tag, ids), run_properties=None,
                           placeholder=False)
        host._p.append(sdt)
        bookmark_around(sdt, bookmark_name(tag), next_mark)
        next_mark += 1
