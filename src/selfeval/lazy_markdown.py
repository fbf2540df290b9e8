"""``rich.markdown``, loaded only if something uses it.

typer's help module (``typer.rich_utils``, imported for every ``--help`` and usage error) imports
``rich.markdown`` at its top, and with it markdown-it and its rules: about 35 ms, a sixth of
``selfeval --help``. selfeval's help is written in rich markup, never Markdown (every Typer in
``selfeval.cli`` has ``rich_markup_mode="rich"``), so typer never makes a Markdown here. Until
something does, a stand-in module takes ``rich.markdown``'s place in ``sys.modules``: making a
``Markdown`` through it, or reading anything else from it, loads the real module (which then
replaces the stand-in) and answers from that.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_NAME = "rich.markdown"


def install() -> None:
    """Put the stand-in in place, unless ``rich.markdown`` is already loaded."""
    if _NAME not in sys.modules:
        sys.modules[_NAME] = _StandIn(_NAME)


def _real() -> types.ModuleType:
    """The real ``rich.markdown``, loaded now if it was not already (and in the stand-in's place)."""
    module = sys.modules.get(_NAME)
    if isinstance(module, _StandIn):
        del sys.modules[_NAME]
        module = None
    return module if module is not None else importlib.import_module(_NAME)


class Markdown:
    """What ``from rich.markdown import Markdown`` gives while the stand-in is in place: making one
    makes the real ``rich.markdown.Markdown``."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return _real().Markdown(*args, **kwargs)


class _StandIn(types.ModuleType):
    Markdown = Markdown

    def __getattr__(self, name: str) -> Any:  # anything but Markdown: the real module's
        if name.startswith("__"):  # what the import system asks of any module (is it a package?)
            raise AttributeError(name)
        return getattr(_real(), name)
