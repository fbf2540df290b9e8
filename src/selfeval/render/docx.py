"""Render a Word template with docxtpl, then finish the document the way Word expects.

Finishing happens on the rendered python-docx ``Document``: properties (set here, not in the
template, because docxtpl double-escapes them under autoescape), ``w:updateFields`` so Word
refreshes the table of contents, highlighted placeholders with comments, and chart alt text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypedDict

from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from selfeval.content_controls import W_NS, bookmark_around, bookmark_name, control_id, make_control
from selfeval.errors import InputError, Location
from selfeval.render import placeholders
from selfeval.render.contents import fill_contents
from selfeval.render.properties import Properties
from selfeval.xmltext import strip_forbidden
from selfeval.render.templates import jinja_env

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.text.font import CT_RPr
    from docx.oxml.text.run import CT_R
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateSyntaxError

    from selfeval.render.context_models import ChartCtx
    from selfeval.render.stand_ins import StandIns


class Record(TypedDict):
    """What the output folder's manifest keeps of a draft: each control's text and each generated
    paragraph (with where it is), as digests; the next run tells a person's edits by them."""

    controls: dict[str, str]  # tag -> digest
    paragraphs: list[list[str]]  # [where, digest], in document order


# Elements that follow w:updateFields in CT_Settings; it must be inserted before the first of them.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
)


def render(template: Path, context: dict[str, object], charts: list[ChartCtx], properties: Properties) -> bytes:
    """Fill ``template`` with ``context`` and return the finished .docx bytes."""
    return _saved(render_document(template, context, charts, properties), template)


def render_recorded(
    template: Path, context: dict[str, object], charts: list[ChartCtx], properties: Properties,
    *, pictures: Callable[[Path], None] | None = None,
) -> tuple[bytes, Record]:
    """:func:`render`, with what the output folder's manifest records of the draft (each control's
    text and each generated paragraph, as digests), read from the document while it is in memory
    rather than by parsing the saved file again. ``pictures``, if given, says the chart pictures
    may still be being drawn: the document is filled in and finished with stand-ins (see
    ``stand_ins``), and ``pictures`` is called with each picture's file before the document is
    saved, returning once it is drawn (another process may be drawing it)."""
    from selfeval.document_paragraphs import paragraph_prints
    from selfeval.render.carry_forward import body_control_digests

    stand_ins = None
    if pictures is not None and charts:
        from selfeval.render.charts import DPI
        from selfeval.render.stand_ins import StandIns

        stand_ins = StandIns(DPI)
    try:
        document = render_document(template, context, charts, properties, stand_ins=stand_ins)
        body = document.element.body
        record: Record = {"controls": body_control_digests(body), "paragraphs": [[p.where, p.digest] for p in paragraph_prints(body)]}
        if stand_ins is not None and pictures is not None:
            stand_ins.put_in(document, pictures)
    finally:
        if stand_ins is not None:
            stand_ins.close()
    return _saved(document, template), record


def _saved(document: WordDocument, template: Path) -> bytes:
    from selfeval.render.package_zip import saved

    return saved(document, template)


def render_document(
    template: Path, context: dict[str, object], charts: list[ChartCtx], properties: Properties,
    *, stand_ins: StandIns | None = None,
) -> WordDocument:
    """Fill ``template`` with ``context`` and finish it: the Word document, in memory (with
    ``stand_ins``, the charts' stand-ins in place of their pictures: see :func:`render_recorded`)."""
    from docxtpl import InlineImage
    from docx.shared import Mm

    from selfeval.render.template_cache import open_template
    from selfeval.render.template_files import default_templates_dir, is_shipped
    from selfeval.safety.zip_safety import check_template

    if not is_shipped(template, default_templates_dir()):  # selfeval's own (or a copy) reach nowhere: 4 ms saved
        check_template(template)  # a council's own: refused if it reaches outside or holds macros
    try:
        tpl = open_template(template)
    except Exception as e:  # python-docx raises several types for a file that is not a .docx
        raise InputError(f"this is not a Word .docx template ({type(e).__name__}: {e})", Location(template)) from None
    alt_texts: dict[str, str] = {}
    for chart in charts:
        source = str(chart.png) if stand_ins is None else stand_ins.source(chart)
        chart.image = InlineImage(tpl, source, width=Mm(chart.width_mm))
        alt_texts[Path(chart.png).name] = chart.alt
    _render(tpl, template, context)
    document = tpl.docx
    finish(document, properties, alt_texts, document_name=template.stem.lower())
    return document


def _check_variables(tpl: DocxTemplate, template: Path, context: dict[str, object]) -> None:
    from jinja2 import TemplateSyntaxError

    try:
        missing = set(tpl.get_undeclared_template_variables(jinja_env())) - set(context)
    except TemplateSyntaxError as e:
        from selfeval.render.template_lint import syntax_errors

        located = syntax_errors(tpl, template)  # the same error, with the paragraph it is in
        raise (located[0] if located else _syntax_error(template, e)) from None
    if missing:
        names = ", ".join(sorted(missing))
        known = ", ".join(sorted(context))
        raise InputError(
            f"the template uses {names}, which selfeval does not provide (available: {known}); "
            "check the spelling, or run 'selfeval templates check'",
            Location(template),
        )


def _render(tpl: DocxTemplate, template: Path, context: dict[str, object]) -> None:
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from selfeval.render.templates import stopped_message

    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except TemplateSyntaxError as e:
        from selfeval.render.template_lint import syntax_errors

        located = syntax_errors(tpl, template)  # the same error, with the paragraph it is in
        raise (located[0] if located else _syntax_error(template, e)) from None
    except UndefinedError as e:
        # Only now pay for a second parse of the template, to name every variable it lacks.
        _check_variables(tpl, template, context)
        raise InputError(f"template error: {e.message} (check the spelling of the variable)", Location(template)) from None
    except (SecurityError, OverflowError, RecursionError) as e:  # a bound, or the sandbox
        raise InputError(f"{_place(tpl, e)}{stopped_message(e)}", Location(template)) from None
    except TemplateError as e:
        raise InputError(f"{_place(tpl, e)}template error: {e}", Location(template)) from None
    except Exception as e:  # anything else raised while running the template's own expressions ({{ 1/0 }})
        raise InputError(f"{_place(tpl, e)}template error: {type(e).__name__}: {e}", Location(template)) from None


def _place(tpl: DocxTemplate, e: BaseException) -> str:
    """"paragraph 14 ('{% for i in …'): " (in a header or footer, with its part), or '' if unknown."""
    from selfeval.render.templates import paragraph_place

    line = getattr(e, "selfeval_line", None)
    part = getattr(tpl, "current_rendering_part", None)
    if not isinstance(line, int) or part is None:
        return ""
    name = str(getattr(part, "partname", "") or "").lstrip("/")
    place = paragraph_place(_rendered_source(tpl, part, name), line)
    if not place:
        return ""
    return f"{place} of {name}: " if name != "word/document.xml" else f"{place}: "


def _rendered_source(tpl: DocxTemplate, part: object, name: str) -> str | None:
    """The part's text as docxtpl rendered it (one paragraph per line); rebuilt only on this error path."""
    try:
        element = tpl.docx._element.body if name == "word/document.xml" else getattr(part, "_element")
        xml = tpl.patch_xml(tpl.xml_to_string(element))
    except Exception:  # the place is a courtesy: never let it hide the real message
        return None
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", str(xml))


def _syntax_error(template: Path, e: TemplateSyntaxError) -> InputError:
    context = getattr(e, "docx_context", None) or []
    near = " / ".join(t for t in context if t.strip())[:300]
    where = f" near: \"{near}\"" if near else ""
    return InputError(f"template syntax error: {e.message}{where}", Location(template))


# -- finishing -----------------------------------------------------------------------------------

def finish(document: WordDocument, properties: Properties, alt_texts: dict[str, str], *, document_name: str = "document") -> None:
    _order_cell_properties(document)
    _cells_keep_a_paragraph(document)
    _set_properties(document, properties)
    _update_fields_on_open(document)
    _mark_placeholders(document, document_name)
    _strip_places_outside_body(document)
    _set_alt_text(document, alt_texts)
    fill_contents(document.element.body)


# CT_TcPr is a sequence; docxtpl's {% cellbg %} puts w:shd first, which Word's schema rejects.
_TCPR_ORDER = {
    name: i
    for i, name in enumerate(
        ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
         "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange")
    )
}


def _order_cell_properties(document: WordDocument) -> None:
    for tcpr in document.element.body.iter(qn("w:tcPr")):
        if len(tcpr) < 2:
            continue  # most cells: a width alone is in order
        children = list(tcpr)
        ordered = sorted(children, key=lambda el: _TCPR_ORDER.get(el.tag.rsplit("}", 1)[-1], len(_TCPR_ORDER)))
        if ordered != children:
            for el in children:
                tcpr.remove(el)
            tcpr.extend(ordered)


def _cells_keep_a_paragraph(document: WordDocument) -> None:
    """A cell whose only paragraphs were a {%p for %} over an empty list is left with none, which
    the schema forbids and LibreOffice lays out as a broken row: give it back an empty paragraph."""
    p, tbl = qn("w:p"), qn("w:tbl")
    for tc in document.element.body.iter(qn("w:tc")):
        for child in tc:  # not tc.find(): lxml's path machinery, twice for each of hundreds of cells
            if child.tag == p or child.tag == tbl:
                break
        else:
            tc.append(OxmlElement("w:p"))


def _set_properties(document: WordDocument, p: Properties) -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = document.core_properties
    # Properties come from user data (the council's name): XML-forbidden characters would make lxml
    # raise, and python-docx refuses values over 255 characters.
    props.title = _property_text(p.title)
    props.author = _property_text(p.author)
    props.subject = _property_text(p.subject)
    props.keywords = _property_text(p.keywords)
    props.category = _property_text(p.category)
    props.comments = "Draft generated by selfeval; edit freely in Word."
    props.last_modified_by = "selfeval"
    props.created = now
    props.modified = now
    props.revision = 1


def _property_text(value: str) -> str:
    text = placeholders.strip_places(strip_forbidden(value)[0])
    return text if len(text) <= 255 else text[:254] + "…"


def _update_fields_on_open(document: WordDocument) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    for name in _AFTER_UPDATE_FIELDS:
        follower = settings.find(qn(f"w:{name}"))
        if follower is None:
            follower = settings.find("{http://schemas.openxmlformats.org/officeDocument/2006/math}" + name)
        if follower is not None:
            follower.addprevious(element)
            return
    settings.append(element)


def _mark_placeholders(document: WordDocument, document_name: str) -> None:
    """Each marker becomes a highlighted, commented content control tagged with its place."""
    w_t = qn("w:t")
    marking: _Marking | None = None
    for p in _MARKER_PARAGRAPHS(document.element.body):
        # The exact test, on the raw w:t elements (python-docx's .text walks each run by XPath): a
        # marker always arrives whole inside one rendered w:t.
        if not any(_MARKER_START in (t.text or "") for t in p.iter(w_t)):
            continue
        marking = marking or _Marking(document, document_name)
        for r in list(p.iter(qn("w:r"))):
            if r.getparent() is not None:  # not a run already split up while marking an earlier one
                marking.mark(Run(r, Paragraph(p, document._body)))


_MARKER_START = placeholders.PREFIX.rstrip()
# The paragraphs that may hold a marker (a w:t whose text has one; with a text box's paragraph, the
# one around it too), in document order: libxml2 searches the text, not Python each paragraph.
# Marking one paragraph changes no other's text, so the list found first stays right.
_MARKER_PARAGRAPHS = etree.XPath(f".//w:t[contains(., '{_MARKER_START}')]/ancestor::w:p", namespaces={"w": W_NS})


class _Marking:
    """Ids and tags already used in this document, so every control's are unique."""

    def __init__(self, document: WordDocument, document_name: str):
        self.document = document
        self.document_name = document_name
        body = document.element.body
        self.sdt_ids = {int(v) for v in (el.get(qn("w:val")) for el in body.iter(qn("w:id"))) if v and v.lstrip("-").isdigit()}
        marks = [int(b.get(qn("w:id"), "0")) for b in body.iter(qn("w:bookmarkStart")) if (b.get(qn("w:id")) or "").isdigit()]
        self.next_bookmark = max(marks, default=0) + 1
        self.tags: Counter[str] = Counter()

    def mark(self, run: Run) -> None:
        match = placeholders.MARKER_RE.search(run.text)
        if not match:
            return
        marker_run = _isolate(run, match.start(), match.end())
        tail = marker_run._r.getnext()  # the text after the marker (if any) is a run of its own: it may hold more markers
        visible = placeholders.strip_places(match.group(0))
        _set_text(marker_run._r, visible)
        typed_formatting = deepcopy(marker_run._r.rPr) if marker_run._r.rPr is not None else None
        marker_run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        self._comment(marker_run, placeholders.guidance_for(visible))
        parent = marker_run._r.getparent()
        if parent is not None and parent.tag != qn("w:sdtContent"):  # a template author's own control: leave it theirs
            self._wrap(marker_run._r, parent, match.group(1), visible, typed_formatting)
        if tail is not None and tail.tag == qn("w:r"):
            self.mark(Run(tail, run._parent))

    def _comment(self, marker_run: Run, text: str) -> None:
        """``document.add_comment(marker_run, text=text, ...)``, with the comment's text and range set
        without python-docx's walk of the text one character at a time (the guidance is a long
        sentence) and its searches for where each element goes."""
        if not text or "\n" in text:  # python-docx's own way: a paragraph for each line
            self.document.add_comment(marker_run, text=text, author="selfeval", initials="SE")
            return
        comment = self.document.comments.add_comment(text="", author="selfeval", initials="SE")
        _set_text(comment.paragraphs[0].add_run()._r, text)
        _mark_comment_range(marker_run._r, comment.comment_id)

    def _wrap(self, r: CT_R, parent: BaseOxmlElement, place: str | None, visible: str, typed_formatting: CT_RPr | None) -> None:
        tag = self._unique(f"{self.document_name}/{place or _slug(visible[len(placeholders.PREFIX):-1])}")
        index = parent.index(r)
        parent.remove(r)
        sdt = make_control([r], tag=tag, title=placeholders.title_for(place, visible), sdt_id=control_id(tag, self.sdt_ids),
                           run_properties=typed_formatting, placeholder=True)
        parent.insert(index, sdt)  # the comment's range start stays just before the control
        bookmark_around(sdt, bookmark_name(tag), self.next_bookmark)
        self.next_bookmark += 1

    def _unique(self, tag: str) -> str:
        self.tags[tag] += 1
        n = self.tags[tag]
        return tag if n == 1 else f"{tag}#{n}"


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:8]) or "to-complete"


def _strip_places(element: BaseOxmlElement) -> None:
    for t in element.iter(qn("w:t")):
        if t.text and "\ue000" in t.text:
            t.text = placeholders.strip_places(t.text)


def _strip_places_outside_body(document: WordDocument) -> None:
    """Markers in headers and footers (a council name still to add) stay plain highlighted text."""
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if ("/header" in name or "/footer" in name) and hasattr(part, "element"):
            _strip_places(part.element)


def _isolate(run: Run, start: int, end: int) -> Run:
    """Split ``run`` so that text[start:end] is a run of its own (same formatting); return it."""
    text = run.text
    r = run._r
    if end < len(text):
        tail = deepcopy(r)
        r.addnext(tail)
        _set_text(tail, text[end:])
    middle = deepcopy(r)
    r.addnext(middle)
    _set_text(middle, text[start:end])
    if start > 0:
        _set_text(r, text[:start])
    else:
        parent = r.getparent()
        assert parent is not None  # a run in a document always sits in a paragraph (or a control)
        parent.remove(r)
    return Run(middle, run._parent)


def _set_text(r: etree._Element, text: str) -> None:
    """``Run.text = text``, as python-docx writes it (its properties kept, then one w:t, with
    xml:space="preserve" when the text starts or ends with a blank) but without its walk of the text
    one character at a time and its XPath searches: only a tab or line break needs that walk."""
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text
        return
    for child in list(r):  # CT_R.clear_content: every child element but the run's properties
        if isinstance(child.tag, str) and child.tag != _W_RPR:
            r.remove(child)
    if text:  # CT_R.add_t
        t = OxmlElement("w:t")
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
        r.append(t)


_W_RPR = qn("w:rPr")


def _mark_comment_range(r: etree._Element, comment_id: int) -> None:
    """``Run.mark_comment_range(run, comment_id)`` for one run, as python-docx writes it, without its
    search for where each new element goes (dozens of path look-ups for each comment)."""
    number = {qn("w:id"): str(comment_id)}
    r.addprevious(OxmlElement("w:commentRangeStart", attrs=number))
    reference = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    reference.append(properties)
    properties.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    reference.append(OxmlElement("w:commentReference", attrs=number))
    r.addnext(reference)
    r.addnext(OxmlElement("w:commentRangeEnd", attrs=number))


def _set_alt_text(document: WordDocument, alt_texts: dict[str, str]) -> None:
    pic_ns = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    wp_ns = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    for inline in document.element.body.iter(f"{{{wp_ns}}}inline"):
        cnvpr = inline.find(f".//{{{pic_ns}}}cNvPr")
        docpr = inline.find(f"{{{wp_ns}}}docPr")
        if cnvpr is None or docpr is None:
            continue
        alt = alt_texts.get(cnvpr.get("name", ""))
        if alt:
            docpr.set("descr", alt)
            cnvpr.set("descr", alt)
