"""Turning a marker into a control sets run text and anchors a comment with shortcuts past
python-docx's machinery (a walk of the text one character at a time, a path search for where each
new element goes). What they write must be what python-docx writes, or a draft would change."""

from __future__ import annotations

from copy import deepcopy

from docx.oxml.parser import parse_xml
from docx.text.run import Run
from lxml import etree

from selfeval.render.docx import _mark_comment_range, _set_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

RUNS = (
    "<w:r {ns}/>",
    "<w:r {ns}><w:rPr><w:b/></w:rPr><w:t>old text</w:t></w:r>",
    "<w:r {ns}><w:t>a</w:t><w:tab/><w:br/><w:t xml:space='preserve'> b </w:t><!-- a note --><w:rPr><w:i/></w:rPr></w:r>",
    "<w:r {ns}><w:rPr><w:rStyle w:val='Strong'/></w:rPr><w:drawing/><w:lastRenderedPageBreak/></w:r>",
)
TEXTS = ("", "plain", " leading", "trailing ", "  both  ", "[To complete: our local context]", "tab\there",
         "line\nbreak", "carriage\rreturn", "\t", "é & < > \u2011", " ")


def _run(xml: str):
    p = parse_xml(f"<w:p xmlns:w='{W_NS}'>{xml.format(ns='')}</w:p>")
    return p, p[0]


def test_setting_a_runs_text_writes_what_python_docx_writes() -> None:
    for xml in RUNS:
        for text in TEXTS:
            ours_p, ours = _run(xml)
            theirs_p, theirs = _run(xml)
            _set_text(ours, text)
            theirs.text = text
            assert etree.tostring(ours_p) == etree.tostring(theirs_p), (xml, text)


def test_anchoring_a_comment_on_a_run_writes_what_python_docx_writes() -> None:
    for xml in RUNS:
        for comment_id in (0, 7, 123):
            ours_p, ours = _run(xml)
            theirs_p, theirs = _run(xml)
            _mark_comment_range(ours, comment_id)
            run = Run(theirs, None)  # type: ignore[arg-type]
            run.mark_comment_range(run, comment_id)
            assert etree.tostring(ours_p) == etree.tostring(theirs_p), (xml, comment_id)
            # and in a document, where namespaces are declared once at the top
            assert etree.tostring(deepcopy(ours_p)) == etree.tostring(deepcopy(theirs_p))
