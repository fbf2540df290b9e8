"""selfeval's shipped reference data, kept parsed between runs.

Every ``selfeval generate`` reads the facts shipped in ``selfeval/data/`` (the framework, ILACS
areas and eras, the lexicon that maps areas to the framework, ...) and builds its indexes from them:
about 20 ms of YAML parsing and Python, paid by every run before anything is drafted, for files
that change only with selfeval itself. What comes out depends only on the file's bytes and on the
code that reads them, so it is kept, as Python keeps its compiled modules in ``__pycache__``, in
the user's cache folder (``selfeval.cache_folder``, sub-folder ``data``): one small marshal file per
value, named by a digest of the file's bytes, of what read it (``kind``: the parser and its
version, or the module that builds an index) and of this module.

A changed data file, parser or reader gives another name, so an old entry is never served; an entry
that is damaged (its own digest is checked), unreadable or cannot be written is simply built again,
and nothing here ever stops a run. Only plain values are kept (what marshal stores, and dates);
a value with anything else in it is built every time, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from functools import cache
from typing import Any, Callable, TypeVar

from selfeval import cache_folder

T = TypeVar("T")

_FOLDER = "data"
_SUFFIX = ".data"
_MAX_ENTRIES = 100  # about ten values for one version of selfeval; older versions' entries go
_DATE = "\0date"  # (_DATE, ordinal) stands for a date: marshal has none, and YAML gives them
_PLAIN = (str, int, float, bool, type(None), bytes)  # exactly these types (a subclass is not kept)
_MISSING = object()


class _NotPlain(Exception):
    """The value holds something marshal cannot store as it is: it is not kept."""


def kept(kind: str, source: bytes, build: Callable[[], T]) -> T:
    """``build()``, or what it gave for the same ``kind`` and ``source`` in an earlier run.

    ``source`` is everything ``build`` reads (a data file's bytes); ``kind`` names how it reads
    them, with everything else its result depends on (a parser's version, a module's source)."""
    name = _name(kind, source)
    found = _load(cache_folder.read(_FOLDER, name))
    if found is not _MISSING:
        return found  # type: ignore[return-value]  # what build() gave for this very name
    value = build()
    _save(name, value)
    return value


def _name(kind: str, source: bytes) -> str:
    digest = hashlib.sha256(_salt())
    digest.update(kind.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(source)
    return digest.hexdigest()[:40] + _SUFFIX


@cache
def _salt() -> bytes:
    """What every entry depends on: marshal's format (Python's version) and how this module stores values."""
    import sys

    return hashlib.sha256(f"{sys.version}\0{marshal.version}\0".encode() + cache_folder.module_source(__file__)).digest()


def _load(data: bytes | None) -> object:
    if data is None:
        return _MISSING
    check, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != check:
        return _MISSING  # damaged or cut short: built again (and the entry replaced)
    try:
        dated, value = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return _MISSING
    return _decoded(value) if dated else value


def _save(name: str, value: object) -> None:
    if cache_folder.folder(_FOLDER, create=True) is None:
        return  # no cache (turned off, or not the user's own): not even encoded
    try:
        found: list[bool] = []
        encoded: Any = _encoded(value, found)
        payload = marshal.dumps((bool(found), encoded))
    except (_NotPlain, ValueError, RecursionError):
        return
    cache_folder.write(_FOLDER, name, hashlib.sha256(payload).digest() + payload, keep=_MAX_ENTRIES)


def _encoded(value: object, dated: list[bool]) -> object:
    """``value`` with each date as (_DATE, ordinal), noted in ``dated``; _NotPlain if it holds
    anything marshal cannot keep exactly (a subclass, a datetime, a date as a key)."""
    if type(value) in _PLAIN:
        return value
    if type(value) is dict:
        return {_encoded_key(k): _encoded(v, dated) for k, v in value.items()}
    if type(value) is list:
        return [_encoded(v, dated) for v in value]
    if type(value) is tuple:
        if len(value) == 2 and value[0] == _DATE:
            raise _NotPlain("a tuple that would read back as a date")
        return tuple(_encoded(v, dated) for v in value)
    if type(value) is frozenset:
        return frozenset(_encoded_key(v) for v in value)
    if type(value) is dt.date:
        dated.append(True)
        return (_DATE, value.toordinal())
    raise _NotPlain(type(value).__name__)


def _encoded_key(value: object) -> object:
    """A dict key or set member: kept as it is, or not at all (its hash must not change)."""
    if type(value) in _PLAIN:
        return value
    if type(value) is tuple and not (len(value) == 2 and value[0] == _DATE):
        return tuple(_encoded_key(v) for v in value)
    raise _NotPlain(type(value).__name__)


def _decoded(value: object) -> object:
    """The value as built: each (_DATE, ordinal) a date again (only entries that hold dates come here)."""
    if type(value) is dict:
        return {k: _decoded(v) for k, v in value.items()}
    if type(value) is list:
        return [_decoded(v) for v in value]
    if type(value) is tuple:
        if len(value) == 2 and value[0] == _DATE:
            return dt.date.fromordinal(value[1])
        return tuple(_decoded(v) for v in value)
    return value
