"""Work on selfeval's own templates done once per process, not once per document.

docxtpl re-does three things for every render that depend only on the template file: opening the
.docx package, rewriting its XML so Jinja tags survive Word's runs (``patch_xml``) and compiling
the result into a Jinja template. In a batch of 153 councils that is the same work 153 times; for
one council it is a third of the render. So, for the templates shipped with selfeval only, the
process that forks the bounded render child (see ``selfeval.pipeline``) does that work first with
:func:`warm`: the child inherits the opened package (its own copy-on-write copy, which rendering
then changes), the patched XML and the compiled Jinja templates.

A council's customised template is never parsed or compiled outside the bounded child: a hostile
one could exhaust memory at compile time. Its patched XML and compiled form are still cached, but
only inside the child, where they die with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from selfeval.render import package_zip, template_files
from selfeval.render.template_files import content_key as _key

_MAX_ENTRIES = 64  # distinct template parts kept (selfeval's three documents have about 30)

_patched: dict[str, str] = {}
_opened: dict[str, "CachedDocxTemplate"] = {}
_warmed: set[str] = set()

# docxtpl's own header, footer and footnote relationship types (what build_headers_footers_xml walks).
_HEADER_FOOTER_URIS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
)


class CachedDocxTemplate(DocxTemplate):
    """A DocxTemplate whose ``patch_xml`` remembers its answer for the same XML, and whose
    ``resolve_listing`` skips rendered XML it would not change."""

    def patch_xml(self, src_xml: str) -> str:
        hit = _patched.get(src_xml)
        if hit is None:
            hit = super().patch_xml(src_xml)
            if len(_patched) < _MAX_ENTRIES:
                _patched[src_xml] = hit
        return hit

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        # docxtpl renders six core properties as Jinja templates on every render (compiling each,
        # ~7 ms in a fresh render process). Text with no Jinja markup and no line break renders to
        # itself, so unless some property has either, there is nothing to do (and selfeval sets the
        # title, author, subject and keywords itself afterwards: see render.docx).
        props = self.docx.core_properties
        texts = [getattr(props, name, None) for name in dir(type(props)) if isinstance(getattr(type(props), name), property)]
        if any(isinstance(t, str) and any(c in t for c in "{\r\n") for t in texts):
            super().render_properties(context, jinja_env)
            return
        for name in _RENDERED_PROPERTIES:  # each set to itself, as rendering does (an empty one gets its element)
            setattr(props, name, getattr(props, name))

    def resolve_listing(self, xml: str) -> str:
        # docxtpl rebuilds every paragraph, run and text of the rendered XML with regular expressions
        # (13 ms for the self-evaluation) to turn tabs, newlines, bells and form feeds in text into
        # Word's; XML with none in any text is returned as it is, which is what that rebuild gives.
        return str(super().resolve_listing(xml)) if _has_listing(xml) else xml


_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl's render_properties renders
_LISTING = ("\t", "\a", "\n", "\f")  # what docxtpl's resolve_listing rewrites
_TEXT_HOLDING_MARKUP = re.compile(r"<w:t[ >][^<]*+<(?!/w:t>)")  # <w:t .../>, or markup inside a w:t


def _has_listing(xml: str) -> bool:
    """Whether ``xml`` has a tab, bell, newline or form feed in a stretch docxtpl's resolve_listing
    rewrites: from a ``<w:t>`` or ``<w:t ...>`` tag to the next ``</w:t>``. (It looks only at those
    stretches inside runs inside paragraphs, so this may say yes where it changes nothing, never no
    where it would.) The self-evaluation's are the newlines of its charts' picture XML."""
    found = [c for c in _LISTING if c in xml]
    if not found:
        return False
    if _TEXT_HOLDING_MARKUP.search(xml):
        return True  # a stretch that runs on past other markup: let docxtpl look
    # Every stretch is now a tag and plain text: a character is in one if the last "<" before it opens one.
    for char in found:
        at = xml.find(char)
        while at != -1:
            opened = xml.rfind("<", 0, at)
            if opened != -1 and xml.startswith(("<w:t>", "<w:t "), opened):
                return True
            at = xml.find(char, at + 1)
    return False


def open_template(path: Path) -> CachedDocxTemplate:
    """The template ready to render: the one :func:`warm` opened (used once), or a fresh one."""
    try:
        key = _key(path)
    except OSError:
        key = None
    if key is not None:
        tpl = _opened.pop(key, None)
        if tpl is not None:
            return tpl
    tpl = CachedDocxTemplate(path)
    tpl.init_docx()
    return tpl


def warm(paths: list[Path], env: Any) -> None:
    """Open, patch and compile selfeval's own templates ``paths`` in this process (see the module doc).

    Call it only with trusted templates. Each path is opened once per process and compiled once;
    a forked child takes the opened copy with :func:`open_template`."""
    for path in paths:
        key = _key(path)
        if key not in _opened:
            package_zip.remember(path)  # its members as stored, for the save
            tpl = CachedDocxTemplate(path)
            tpl.init_docx()
            _opened[key] = tpl
            if key not in _warmed:
                _compile_parts(tpl, env)
                _warmed.add(key)


def _compile_parts(tpl: CachedDocxTemplate, env: Any) -> None:
    """What render_xml_part patches and compiles, for the body and every header and footer: taken
    from the cache folder when an earlier run did it (see compiled_store), else done and kept there."""
    from selfeval.render import compiled_store

    sources = [tpl.get_xml()]
    for uri in _HEADER_FOOTER_URIS:
        sources += [tpl.get_part_xml(part) for _, part in tpl.get_headers_footers(uri)]
    for xml in sources:
        kept = compiled_store.load(xml)
        if kept is not None:
            patched, code = kept
            if len(_patched) < _MAX_ENTRIES:
                _patched[xml] = patched
            env.adopt(_as_rendered(patched), code)
            continue
        patched = tpl.patch_xml(xml)
        source = _as_rendered(patched)
        code = env.compile(source)
        env.adopt(source, code)
        compiled_store.save(xml, patched, code)


def _as_rendered(patched: str) -> str:
    """The text docxtpl's render_xml_part hands Jinja: one paragraph a line (its error messages count lines)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)


def clear() -> None:
    """Forget everything (tests, and a long-lived process whose templates changed)."""
    _patched.clear()
    _opened.clear()
    _warmed.clear()
    template_files.forget()
