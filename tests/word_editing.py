"""Edit a generated .docx the way Word stores a person's typing: straight in the package XML.

python-docx cannot type into a content control, and saving through it would rewrite the file in
its own way; these helpers change only word/document.xml, as Word does when someone clicks into a
"[To complete: ...]" control and types.
"""

from __future__ import annotations

import zipfile
from copy import deepcopy
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _rewrite(path: Path, change) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    root = None
    for info, data in items:
        if info.filename == "word/document.xml":
            root = etree.fromstring(data)
    assert root is not None
    change(root)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    tmp = path.with_suffix(".editing")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, xml if info.filename == "word/document.xml" else data)
    tmp.replace(path)


def control(root, tag: str):
    for sdt in root.iter(w("sdt")):
        t = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        if t is not None and t.get(w("val")) == tag:
            return sdt
    raise AssertionError(f"no content control tagged {tag!r}")


def tags_in(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [t.get(w("val")) for t in root.iter(w("tag"))]


def _typed_run(sdt, text: str, *, bold: bool = False):
    r = etree.Element(w("r"))
    rpr = sdt.find(f"{w('sdtPr')}/{w('rPr')}")
    rpr = deepcopy(rpr) if rpr is not None else etree.Element(w("rPr"))
    if bold:
        rpr.insert(0, etree.Element(w("b")))
    if len(rpr):
        r.append(rpr)
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, w("br"))
        t = etree.SubElement(r, w("t"))
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def type_into(path: Path, typed: dict[str, str], *, bold: set[str] = frozenset()) -> None:
    """Click into each control (by tag) and type: the placeholder goes, the typed text takes the
    control's formatting, and Word clears w:showingPlcHdr."""
    def change(root):
        for tag, text in typed.items():
            sdt = control(root, tag)
            pr = sdt.find(w("sdtPr"))
            flag = pr.find(w("showingPlcHdr"))
            if flag is not None:
                pr.remove(flag)
            content = sdt.find(w("sdtContent"))
            for child in list(content):
                content.remove(child)
            content.append(_typed_run(sdt, text, bold=tag in bold))
    _rewrite(path, change)


def type_with_tracked_changes(path: Path, tag: str, kept: str, inserted: str, deleted: str) -> None:
    """Track changes on: the person typed ``kept``, then (tracked) deleted ``deleted`` and inserted ``inserted``."""
    def change(root):
        sdt = control(root, tag)
        pr = sdt.find(w("sdtPr"))
        flag = pr.find(w("showingPlcHdr"))
        if flag is not None:
            pr.remove(flag)
        content = sdt.find(w("sdtContent"))
        for child in list(content):
            content.remove(child)
        content.append(_typed_run(sdt, kept))
        d = etree.SubElement(content, w("del"), {w("id"): "9001", w("author"): "A Person", w("date"): "2026-04-01T09:00:00Z"})
        dr = etree.SubElement(d, w("r"))
        dt = etree.SubElement(dr, w("delText"))
        dt.text = deleted
        ins = etree.SubElement(content, w("ins"), {w("id"): "9002", w("author"): "A Person", w("date"): "2026-04-01T09:00:00Z"})
        ins.append(_typed_run(sdt, inserted))
    _rewrite(path, change)


def comment_inside(path: Path, tag: str, comment_id: str = "9100") -> None:
    """A person's comment anchored on the text of a control (the comment part itself is not needed
    to find the anchor, which is what selfeval reads)."""
    def change(root):
        content = control(root, tag).find(w("sdtContent"))
        start = etree.Element(w("commentRangeStart"), {w("id"): comment_id})
        end = etree.Element(w("commentRangeEnd"), {w("id"): comment_id})
        content.insert(0, start)
        content.append(end)
    _rewrite(path, change)


def rewrite_paragraph(path: Path, old: str, new: str) -> None:
    """A person rewrote a generated sentence (outside any control)."""
    def change(root):
        for p in root.iter(w("p")):
            ts = list(p.iter(w("t")))
            if "".join(t.text or "" for t in ts) == old:
                ts[0].text = new
                for t in ts[1:]:
                    t.text = ""
                return
        raise AssertionError(f"no paragraph reads {old!r}")
    _rewrite(path, change)


def type_paragraphs_into(path: Path, tag: str, paragraphs: list[str]) -> None:
    """Word turns a control that fills its paragraph into a block-level control when the person
    presses Enter in it: the w:sdt then holds whole paragraphs."""
    def change(root):
        sdt = control(root, tag)
        host = sdt.getparent()
        assert host.tag == w("p"), "the control must fill its paragraph"
        pr = sdt.find(w("sdtPr"))
        flag = pr.find(w("showingPlcHdr"))
        if flag is not None:
            pr.remove(flag)
        block = etree.Element(w("sdt"))
        block.append(deepcopy(pr))
        content = etree.SubElement(block, w("sdtContent"))
        for text in paragraphs:
            p = etree.SubElement(content, w("p"))
            ppr = host.find(w("pPr"))
            if ppr is not None:
                p.append(deepcopy(ppr))
            p.append(_typed_run(sdt, text))
        host.addprevious(block)
        host.getparent().remove(host)
    _rewrite(path, change)
