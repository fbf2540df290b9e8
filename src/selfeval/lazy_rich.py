"""Two of rich's modules, loaded only if something uses them.

typer's help module (``typer.rich_utils``, imported for every ``--help`` and usage error) imports
at its top ``rich.markdown`` (with markdown-it and its rules) and ``rich.traceback`` (with
pygments' lexer tables and ``rich.pretty``): together about 50 ms, a quarter of ``selfeval --help``.
selfeval never uses either there: its help is rich markup, never Markdown (every Typer in
``selfeval.cli`` has ``rich_markup_mode="rich"``), and typer's pretty tracebacks are off (selfeval
reports a crash itself, see ``selfeval.crash``). Until something uses them, a stand-in module takes
each one's place in ``sys.modules``, holding a stand-in for the one class typer imports from it.
Making that class, reading anything from it, or reading anything else from the module loads the
real module (which then replaces the stand-in) and answers from that.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# Each module, and the names typer imports from it.
_MODULES = {"rich.markdown": ("Markdown",), "rich.traceback": ("Traceback",)}


def install() -> None:
    """Put the stand-ins in place, for the modules not already loaded."""
    for name, classes in _MODULES.items():
        if name not in sys.modules:
            sys.modules[name] = _StandIn(name, classes)


def _real(module: str) -> types.ModuleType:
    """The real ``module``, loaded now if it was not already (and in its stand-in's place)."""
    found = sys.modules.get(module)
    if isinstance(found, _StandIn):
        del sys.modules[module]
        found = None
    return found if found is not None else importlib.import_module(module)


class _Lazy(type):
    """The type of a stand-in class: making one, reading from it or checking an instance against
    it does so with the real class."""

    _module: str
    _name: str

    def _target(cls) -> Any:
        return getattr(_real(cls._module), cls._name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._target()(*args, **kwargs)

    def __getattr__(cls, attr: str) -> Any:  # only what the stand-in itself lacks (from_exception, ...)
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(cls._target(), attr)

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls._target())


class _StandIn(types.ModuleType):
    def __init__(self, name: str, classes: tuple[str, ...]) -> None:
        super().__init__(name)
        for cls in classes:
            setattr(self, cls, _Lazy(cls, (), {"_module": name, "_name": cls}))

    def __getattr__(self, name: str) -> Any:  # anything but the stand-in classes: the real module's
        if name.startswith("__"):  # what the import system asks of any module (is it a package?)
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)
