"""Where templates come from, and the one Jinja2 environment every template runs in."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import re
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.runtime import Context
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from selfeval.errors import InputError, Location

def default_templates_dir() -> Path:
    """The templates shipped with selfeval: inside the wheel, or ``templates/docx`` in a source checkout."""
    packaged = Path(str(resources.files("selfeval"))) / "templates" / "docx"
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[3] / "templates" / "docx"
    return source_tree


def template_path(name: str, custom_dir: Path | None) -> Path:
    """The council's own template ``name`` if ``custom_dir`` holds it, else selfeval's default."""
    if custom_dir is not None:
        if not custom_dir.is_dir():
            raise InputError("templates folder not found (create one with 'selfeval templates export DIR')", Location(custom_dir))
        candidate = custom_dir / name
        if candidate.is_file():
            return candidate
    path = default_templates_dir() / name
    if not path.is_file():
        raise InputError("selfeval's default template is missing; reinstall selfeval", Location(path))
    return path


# The sandbox stops attribute tricks and caps range(); these stop a template from exhausting memory
# with arithmetic ('x' * 10**9, 9**9**9), which Jinja would otherwise even try at compile time.
MAX_SEQUENCE = 1_000_000  # characters or items one '*' may produce
MAX_POWER_BITS = 4096


MAX_OUTPUT = 20_000_000  # characters one render may produce (a long real document is a few MB of XML)
MAX_PIECES = 5_000_000  # pieces of output (about one per loop pass that writes anything)
_WIDTH = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")


class _TooMuch(Exception):
    pass


def _check_width(fmt: object) -> None:
    """Refuse a format string asking for a field wider than MAX_SEQUENCE ('%2000000000d', '{:>2000000000}')."""
    from jinja2.exceptions import SecurityError

    if isinstance(fmt, str):
        for m in _WIDTH.finditer(fmt):
            width = int(m.group(1) or m.group(2))
            if width > MAX_SEQUENCE:
                raise SecurityError(f"a field {width:,} characters wide would make the text too large (limit {MAX_SEQUENCE:,})")


def _bounded_format(value: str, *args: Any, **kwargs: Any) -> str:
    from jinja2.filters import do_format

    _check_width(value)
    return do_format(value, *args, **kwargs)


class _BoundedTemplate(Template):
    """A template whose whole render is bounded in output size and in pieces of output.

    The sandbox caps one range(); nested loops, '~' doubling and join can still build gigabytes, so
    the render is consumed piece by piece and stopped as soon as it outgrows any real document."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        from jinja2.exceptions import SecurityError

        ctx = self.new_context(dict(*args, **kwargs))
        out: list[str] = []
        size = 0
        try:
            for n, piece in enumerate(self.root_render_func(ctx), start=1):
                size += len(piece)
                if size > MAX_OUTPUT or n > MAX_PIECES:
                    raise _TooMuch()
                out.append(piece)
        except _TooMuch:
            raise SecurityError(
                f"the template writes more than any real document ({MAX_OUTPUT // 1_000_000} million characters "
                f"or {MAX_PIECES:,} pieces): check its loops"
            ) from None
        except Exception:
            self.environment.handle_exception()
        return "".join(out)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with every '~' concatenation checked for size as it is made."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Environment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})
    template_class = _BoundedTemplate
    code_generator_class = _CodeGenerator

    @staticmethod
    def bounded_text(text: Any) -> Any:
        from jinja2.exceptions import SecurityError

        if len(text) > MAX_SEQUENCE * 10:
            raise SecurityError(f"joining text with '~' made {len(text):,} characters, more than any real document needs")
        return text

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["format"] = _bounded_format
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = _bounded_numbers(self.filters[name])

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        from jinja2.exceptions import SecurityError

        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes)):
            for value in (*args, *kwargs.values()):
                if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_SEQUENCE:
                    raise SecurityError(f"the number {value:,.0f} is too large for text (limit {MAX_SEQUENCE:,})")
            if getattr(__obj, "__name__", "") in ("format", "format_map"):
                _check_width(owner)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        _check_width(getattr(value, "__self__", None))  # 'text'.format(...) and format_map come through here
        return super().wrap_str_format(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        from jinja2.exceptions import SecurityError

        if operator == "%":
            _check_width(left)
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE:
                    raise SecurityError(f"repeating a value {times:,} times would make it too large (limit {MAX_SEQUENCE:,})")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):  # floats overflow by themselves
            if abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise SecurityError(f"the number {left} ** {right} is too large")
        return super().call_binop(context, operator, left, right)


def _bounded_numbers(f: Any) -> Any:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        from jinja2.exceptions import SecurityError

        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_SEQUENCE:
                raise SecurityError(f"the number {value:,.0f} is too large for text (limit {MAX_SEQUENCE:,})")
        return f(*args, **kwargs)

    bounded.__name__ = getattr(f, "__name__", "filter")
    for attr in ("jinja_pass_arg",):
        if hasattr(f, attr):
            setattr(bounded, attr, getattr(f, attr))
    return bounded


@cache
def jinja_env() -> SandboxedEnvironment:
    """Sandboxed (templates may come from another council), autoescaped (so '&' and '<' in data
    survive docxtpl's XML round trip) and strict (a misspelt variable is an error, not a blank)."""
    return _Environment(autoescape=True, undefined=StrictUndefined)
