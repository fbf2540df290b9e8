"""docxtpl rewrites tabs, newlines, bells and form feeds in a rendered document's text into Word's
(its "listing" feature) by rebuilding every paragraph with regular expressions. selfeval skips that
rebuild when there is nothing for it to rewrite: what comes out must be what docxtpl gives, whatever
the XML (a council's text with line breaks, a chart's picture XML, odd markup a template may hold)."""

from __future__ import annotations

import random

from docxtpl import DocxTemplate

from selfeval.render.template_cache import CachedDocxTemplate

TEXT = ("words", " ", "&amp;", "\n", "\t", "\a", "\f", "")
ODD = ("<w:t/>", '<w:t xml:space="preserve"/>', "<w:tab/>", "\n  ", "<w:drawing>\n  <wp:inline/>\n</w:drawing>", "</w:t>",
       "<w:t>", "<w:tbl>", "</w:p>", "<w:r>")


def _xml(rng: random.Random) -> str:
    """Paragraphs of runs of text, with line breaks, tabs and odd markup scattered in and between."""
    def text() -> str:
        return "".join(rng.choice(TEXT) for _ in range(rng.randrange(4)))

    def run() -> str:
        inner = rng.choice((
            f"<w:t>{text()}</w:t>", f'<w:t xml:space="preserve">{text()}</w:t>', rng.choice(ODD),
            f"<w:t>{text()}{rng.choice(ODD)}{text()}</w:t>",
        ))
        return f"<w:r>{rng.choice(('', '<w:rPr><w:b/></w:rPr>'))}{inner}</w:r>"

    def paragraph() -> str:
        runs = "".join(run() for _ in range(rng.randrange(4)))
        return f"<w:p>{rng.choice(('', '<w:pPr><w:jc/></w:pPr>'))}{runs}{rng.choice(('', '', rng.choice(ODD)))}</w:p>"

    return "".join(rng.choice((paragraph, paragraph, paragraph, lambda: rng.choice(ODD)))() for _ in range(rng.randrange(1, 6)))


def _both(xml: str) -> tuple[str, str]:
    ours = CachedDocxTemplate.resolve_listing(object.__new__(CachedDocxTemplate), xml)
    docxtpl = DocxTemplate.resolve_listing(object.__new__(DocxTemplate), xml)
    return ours, docxtpl


def test_text_with_line_breaks_and_tabs_is_rewritten_as_docxtpl_does() -> None:
    xml = '<w:p><w:pPr><w:jc/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">one\ntwo\tthree</w:t></w:r></w:p>'
    ours, docxtpl = _both(xml)
    assert ours == docxtpl != xml


def test_newlines_outside_text_leave_the_xml_as_it_is() -> None:
    xml = '<w:p><w:r><w:drawing>\n  <wp:inline>\n  </wp:inline></w:drawing></w:r><w:r><w:t>x</w:t></w:r></w:p>\n'
    ours, docxtpl = _both(xml)
    assert ours == docxtpl == xml


def test_any_mix_of_markup_and_text_comes_out_as_docxtpl_makes_it() -> None:
    rng = random.Random(20)
    for _ in range(4000):
        xml = _xml(rng)
        ours, docxtpl = _both(xml)
        assert ours == docxtpl, repr(xml)
