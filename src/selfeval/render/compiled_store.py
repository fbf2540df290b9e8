"""selfeval's own templates, made ready for Jinja once per machine rather than once per run.

Before the first render, every part of a template is rewritten so that Jinja tags survive Word's
runs (docxtpl's ``patch_xml``) and the result compiled into Python code: about a tenth of a second
for the three documents, paid by every ``selfeval generate`` in the render child's set-up. Both
depend only on the part's XML and on the code that does them, so they are kept on disk, as Python
keeps its compiled modules in ``__pycache__``: in the user's cache folder (see ``selfeval.cache_folder``),
one small file per part.

Only selfeval's shipped templates come here (see ``template_cache.warm``): a council's customised
template is patched and compiled inside the bounded render child, never stored. An entry that
cannot be read is simply made again; the folder's own rules are ``cache_folder``'s.
"""

from __future__ import annotations

import hashlib
import marshal
from functools import cache
from types import CodeType

from selfeval import cache_folder

_MAX_ENTRIES = 200  # about 30 parts for the three documents; old entries beyond this are removed
_SUFFIX = ".jinja-code"
_KIND = "templates"  # the cache folder's sub-folder


def load(xml: str) -> tuple[str, CodeType] | None:
    """The patched XML and compiled code kept for this part's ``xml``, if any."""
    data = cache_folder.read(_KIND, _name(xml) + _SUFFIX)
    if data is None:
        return None
    try:
        patched, code = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(patched, str) or not isinstance(code, CodeType):
        return None
    return patched, code


def save(xml: str, patched: str, code: CodeType) -> None:
    """Keep ``patched`` and ``code`` for ``xml`` (quietly not, if the folder cannot be written)."""
    cache_folder.write(_KIND, _name(xml) + _SUFFIX, marshal.dumps((patched, code)), keep=_MAX_ENTRIES)


def _name(xml: str) -> str:
    digest = hashlib.sha256(_salt())
    digest.update(xml.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]


@cache
def _salt() -> bytes:
    """What an entry depends on besides the XML: Python's bytecode, Jinja, docxtpl, and selfeval's
    own patching and code generation (the source of the modules that do them)."""
    import importlib.util

    import docxtpl
    import jinja2

    from selfeval.render import template_cache, templates

    parts = [importlib.util.MAGIC_NUMBER, jinja2.__version__.encode(), str(getattr(docxtpl, "__version__", "")).encode()]
    for module in (templates, template_cache):
        parts.append(cache_folder.module_source(module.__file__))
    return hashlib.sha256(b"\0".join(parts)).digest()
