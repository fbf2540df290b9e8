"""The fingerprints of generated paragraphs (what tells a person's edits in Word from selfeval's words)
are read with shortcuts: most paragraphs hold no content control, tracked deletion or move, and are
joined as they come. A refresh compares the prints of a new draft with those of the person's copy, so
the shortcuts must give exactly what the plain rule gives, on selfeval's drafts and on what Word and
people make of them: controls, deletions and moves inside paragraphs and table cells, text boxes,
nested tables, fields."""

from __future__ import annotations

import random
import shutil
import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from selfeval.document_paragraphs import HEADING_STYLES, _TOC_ENTRY, digest, generated_text, paragraph_prints
from word_editing import rewrite_paragraph, tags_in, type_into, type_with_tracked_changes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


# -- the plain rule, as first written: every piece of text checked against its parents -----------

def plain_prints(body: Any) -> list[tuple[str, str]]:
    prints: list[tuple[str, str]] = []
    heading = ""
    for child in body:
        if child.tag == w("p"):
            text = plain_text(child)
            if _style(child) in HEADING_STYLES and text.strip():
                heading = text.strip()
            if text.strip() and not _is_field(child):
                prints.append((heading or "the opening", digest(text)))
        elif child.tag == w("tbl"):
            prints.extend(_table_prints(child, heading))
    return prints


def _table_prints(tbl: Any, heading: str) -> list[tuple[str, str]]:
    prints = []
    rows = tbl.findall(w("tr"))
    header = [_cell_text(tc) for tc in rows[0].findall(w("tc"))] if rows else []
    for i, tr in enumerate(rows):
        cells = tr.findall(w("tc"))
        row_name = _short(_cell_text(cells[0])) if cells and i > 0 else ""
        grid = 0
        for tc in cells:
            j, span = grid, _span(tc)
            grid += span
            column = header[j] if j < len(header) and i > 0 and span == 1 else ""
            where = ", ".join(x for x in (row_name or heading, column) if x) or heading
            for p in tc.iter(w("p")):
                if _inside_control(p, tc):
                    continue
                text = plain_text(p)
                if text.strip():
                    prints.append((where, digest(text)))
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


def plain_text(p: Any) -> str:
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
    return " ".join(plain_text(p) for p in tc.iter(w("p")) if not _inside_control(p, tc)).strip() or " ".join(
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
    if p.find(f".//{w('fldChar')}") is not None or p.find(f".//{w('fldSimple')}") is not None:
        return True
    return _TOC_ENTRY.fullmatch(_style(p)) is not None


# -- helpers ------------------------------------------------------------------------------------------

def _body(path: Path) -> Any:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(w("body"))


def _assert_same(body: Any) -> None:
    assert [(p.where, p.digest) for p in paragraph_prints(body)] == plain_prints(body)
    for p in body.iter(w("p")):
        assert generated_text(p) == plain_text(p), etree.tostring(p)[:300]


def _el(tag: str, *children: Any, **attrs: str) -> Any:
    el = etree.Element(w(tag), {w(k): v for k, v in attrs.items()})
    el.extend(children)
    return el


def _run(text: str) -> Any:
    t = _el("t")
    t.text = text
    return _el("r", t)


def _para(*children: Any, style: str | None = None) -> Any:
    p = _el("p")
    if style:
        p.append(_el("pPr", _el("pStyle", val=style)))
    p.extend(children)
    return p


def _cell(*children: Any, span: int | None = None) -> Any:
    tcpr = _el("tcPr", _el("tcW", w="100"))
    if span:
        tcpr.append(_el("gridSpan", val=str(span)))
    return _el("tc", tcpr, *children)


# -- selfeval's own drafts, and a person's copy of them --------------------------------------------

def test_the_prints_of_each_draft_are_the_plain_rules(example_outputs: Path) -> None:
    drafts = sorted(example_outputs.glob("*.docx"))
    assert drafts
    for draft in drafts:
        body = _body(draft)
        assert paragraph_prints(body)
        _assert_same(body)


def test_the_prints_of_a_persons_copy_are_the_plain_rules(example_outputs: Path, tmp_path: Path) -> None:
    copy = tmp_path / "self-evaluation.docx"
    shutil.copy(example_outputs / "self-evaluation.docx", copy)
    tags = tags_in(copy)
    type_into(copy, {tags[0]: "We typed this.", tags[1]: "And this,\twith a tab."})
    type_with_tracked_changes(copy, tags[2], kept="Kept words. ", inserted="Added words.", deleted="Deleted words.")
    body = _body(copy)
    generated = next(t for t in (generated_text(p) for p in body.iter(w("p"))) if len(t) > 20)
    rewrite_paragraph(copy, generated, "A person rewrote this sentence.")
    _assert_same(_body(copy))


@pytest.mark.parametrize("seed", range(6))
def test_the_prints_of_a_draft_worked_over_in_word_are_the_plain_rules(example_outputs: Path, seed: int) -> None:
    """Deletions, moves, controls, tabs, fields and text boxes scattered over a real draft."""
    rng = random.Random(seed)
    body = _body(example_outputs / "self-evaluation.docx")
    for p in list(body.iter(w("p"))):
        runs = p.findall(w("r"))
        choice = rng.randrange(12)
        if choice == 0 and runs:
            _wrap(rng.choice(runs), "del")
        elif choice == 1 and runs:
            _wrap(rng.choice(runs), "moveFrom")
        elif choice == 2 and runs:
            _wrap(rng.choice(runs), "ins")
        elif choice == 3 and runs:
            sdt = _el("sdt", _el("sdtPr"), _el("sdtContent"))
            r = rng.choice(runs)
            r.addprevious(sdt)
            sdt[1].append(r)
        elif choice == 4 and runs:
            rng.choice(runs).append(_el(rng.choice(("tab", "br"))))
        elif choice == 5:
            p.append(_el("fldSimple", _run("7"), instr="PAGE"))
        elif choice == 6 and runs:  # a text box: a paragraph inside the paragraph
            rng.choice(runs).append(_el("pict", _el("txbxContent", _para(_run("In a box.")))))
        elif choice == 7 and p.getparent().tag == w("tc"):  # the paragraph now in a block-level control
            sdt = _el("sdt", _el("sdtPr"), _el("sdtContent"))
            p.addprevious(sdt)
            sdt[1].append(p)
        elif choice == 8 and p.getparent().tag == w("tc"):
            p.addprevious(_el("bookmarkStart", id="90", name="_x"))
        elif choice == 9 and runs:  # a deletion inside a control inside a move
            r = rng.choice(runs)
            move = _el("moveFrom")
            r.addprevious(move)
            move.append(_control(_el("del", r)))
    _assert_same(body)


def _wrap(el: Any, tag: str) -> None:
    wrapper = _el(tag)
    el.addprevious(wrapper)
    wrapper.append(el)


# -- hand-made documents -------------------------------------------------------------------------------

def _control(*content: Any) -> Any:
    return _el("sdt", _el("sdtPr", _el("tag", val="x")), _el("sdtContent", *content))


def test_controls_deletions_and_moves_inside_paragraphs() -> None:
    body = _el(
        "body",
        _para(_run("Our context"), style="Heading1"),
        _para(_run("Kept "), _control(_run("typed by a person")), _el("del", _run("deleted")), _run(" words")),
        _para(_el("moveFrom", _run("moved away")), _el("moveTo", _run("moved here")), _el("ins", _run(" and added"))),
        _para(_run("a"), _el("r", _el("tab"), _el("t")), _el("r", _el("br")), _run("b")),
        _para(_control(_run("only the person's"))),
        _para(_el("del", _control(_run("deleted control")))),
        _para(_el("hyperlink", _run("a link")), _el("smartTag", _el("del", _run("x")), _run("tag"))),
        _para(_run("Contents"), _el("r", _el("fldChar", fldCharType="begin")), style="TOC1"),
        _para(_el("fldSimple", _run("3"), instr="PAGE")),
        _para(_run("An entry"), style="Contents2"),
        _para(_run("Next"), _el("del", _run("old")), style="Heading2"),
        _para(_run("Under the heading")),
        _control(_para(_run("a block-level control"))),
        _el("sectPr"),
    )
    _assert_same(body)
    assert [generated_text(p) for p in body.findall(w("p"))][:4] == [
        "Our context", "Kept  words", "moved here and added", "a  b"]


def test_controls_deletions_and_moves_inside_table_cells() -> None:
    nested = _el("tbl", _el("tr", _cell(_para(_run("nested cell")), _para(_control(_run("nested control"))))))
    table = _el(
        "tbl",
        _el("tblPr"),
        _el("tr", _cell(_para(_run("Ref"))), _cell(_para(_run("Action"))), _cell(_para(_run("Owner")))),
        _el("tr", _cell(_para(_run("LAM-1"))), _cell(_para(_run("Do "), _el("del", _run("not ")), _run("it"))),
            _cell(_para(_control(_run("A person")))), _el("trPr")),
        _el("tr", _cell(_control(_para(_run("all in a control"))), _para()), _cell(_para(_run("b")), nested),
            _cell(_el("bookmarkStart", id="1", name="_se1"), _para(_run("c")), _el("bookmarkEnd", id="1"))),
        _el("tr", _cell(_para(_run("Area: a long name that goes past the forty letters a row is named by")), span=2),
            _cell(_para(_el("moveFrom", _run("gone")), _el("r", _el("pict", _el("txbxContent", _para(_run("boxed")))))))),
        _el("tr", _cell(_para(_control(_para(_run("odd but possible")))), _para(_run("after")))),
        _el("tr"),
    )
    body = _el("body", _para(_run("Plan"), style="Heading1"), table, _el("tbl"), deepcopy(table))
    _assert_same(body)
    where = [p.where for p in paragraph_prints(body)]
    assert "LAM-1, Action" in where and "all in a control, Action" in where
