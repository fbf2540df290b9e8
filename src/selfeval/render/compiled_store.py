"""selfeval's own templates, made ready for Jinja once per machine rather than once per run.

Before the first render, every part of a template is rewritten so that Jinja tags survive Word's
runs (docxtpl's ``patch_xml``) and the result compiled into Python code: about a tenth of a second
for the three documents, paid by every ``selfeval generate`` in the render child's set-up. Both
depend only on the part's XML and on the code that does them, so they are kept on disk, as Python
keeps its compiled modules in ``__pycache__``: in the user's cache folder (``$SELFEVAL_CACHE``, or
``$XDG_CACHE_HOME/selfeval``, or ``~/.cache/selfeval``), one small file per part.

Only selfeval's shipped templates come here (see ``template_cache.warm``): a council's customised
template is patched and compiled inside the bounded render child, never stored. The folder is the
user's own (mode 0700, refused if anyone else could write to it), entries are named by a digest of
everything they depend on, and an entry that cannot be read is simply made again. Nothing here
ever stops a run: a cache that cannot be written is a cache not used.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path
from types import CodeType

_MAX_ENTRIES = 200  # about 30 parts for the three documents; old entries beyond this are removed
_SUFFIX = ".jinja-code"


def load(xml: str) -> tuple[str, CodeType] | None:
    """The patched XML and compiled code kept for this part's ``xml``, if any."""
    folder = _folder()
    if folder is None:
        return None
    try:
        data = (folder / (_name(xml) + _SUFFIX)).read_bytes()
        patched, code = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(patched, str) or not isinstance(code, CodeType):
        return None
    return patched, code


def save(xml: str, patched: str, code: CodeType) -> None:
    """Keep ``patched`` and ``code`` for ``xml`` (quietly not, if the folder cannot be written)."""
    folder = _folder(create=True)
    if folder is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((patched, code)))
            os.replace(tmp, folder / (_name(xml) + _SUFFIX))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        pass


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
        parts.append(Path(str(module.__file__)).read_bytes())
    return hashlib.sha256(b"\0".join(parts)).digest()


def _folder(*, create: bool = False) -> Path | None:
    """The cache folder, if it is usable: the user's own, writable by nobody else."""
    root = _root()
    if root is None:
        return None
    folder = root / "templates"
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None  # someone else could plant code here
    return folder


def _root() -> Path | None:
    explicit = os.environ.get("SELFEVAL_CACHE")
    if explicit is not None:
        return Path(explicit) if explicit else None  # SELFEVAL_CACHE= (empty) turns the cache off
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "selfeval" / "Cache" if base else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "selfeval"
    home = os.environ.get("HOME")
    return Path(home) / ".cache" / "selfeval" if home else None


def _prune(folder: Path) -> None:
    """Keep the newest entries only: old versions' entries are never read again."""
    entries = [p for p in folder.iterdir() if p.name.endswith(_SUFFIX)]
    if len(entries) <= _MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - _MAX_ENTRIES]:
        old.unlink(missing_ok=True)
