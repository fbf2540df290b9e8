"""Where templates come from, and the one Jinja2 environment every template runs in."""

from __future__ import annotations

import copy
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from types import CodeType

import re
from collections.abc import Generator
from typing import Any, cast

from jinja2 import ChainableUndefined, StrictUndefined, Template, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, safe_range

from selfeval.errors import InputError, Location



# The sandbox stops attribute tricks and caps range(); these stop a template from exhausting memory
# with arithmetic ('x' * 10**9, 9**9**9), which Jinja would otherwise even try at compile time.
MAX_SEQUENCE = 1_000_000  # characters or items one '*' may produce
MAX_POWER_BITS = 4096


MAX_OUTPUT = 20_000_000  # characters one render may produce (a long real document is a few MB of XML)
MAX_PIECES = 5_000_000  # pieces of output (about one per loop pass that writes anything)
MAX_LOOPS = 1_000_000  # loop passes and range() items one render may make (a real document makes a few thousand)
_WIDTH = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")

# What is left of the current render's loop budget (a one-item list, so loops can spend it).
_LOOPS_LEFT: ContextVar[list[int] | None] = ContextVar("selfeval_loops_left", default=None)


class TooMuchWork(SecurityError):
    """A render stopped by one of the bounds above (not an attempt to escape the sandbox)."""


_MAX_COMPILED = 64  # compiled template parts kept per process (selfeval's three documents have about 30)


class _TooMuch(Exception):
    pass


def _spend(loops: int) -> None:
    left = _LOOPS_LEFT.get()
    if left is not None:
        left[0] -= loops
        if left[0] < 0:
            raise TooMuchWork(f"the template's loops run more than {MAX_LOOPS:,} times, far more than any real document needs")


def _bounded_range(*args: int) -> range:
    numbers = safe_range(*args)
    _spend(len(numbers))  # charged when made: 'range(99999)|join' loops without a 'for'
    return numbers


def _counted(iterable: Any) -> Any:
    """A 'for' loop's sequence, charged to the render's loop budget."""
    if isinstance(iterable, range) or _LOOPS_LEFT.get() is None:
        return iterable  # a range was charged when it was made
    try:
        _spend(len(iterable))
    except TypeError:  # a generator (a filter's output): charge each item as it comes
        return _charged_each(iterable)
    return iterable


def _charged_each(iterable: Any) -> Any:
    for item in iterable:
        _spend(1)
        yield item


def paragraph_place(source: str | None, lineno: int | None) -> str:
    """Where line ``lineno`` of a part is, as docxtpl renders it (one paragraph per line, after
    whatever precedes the first): "paragraph 14 ('{% for i in range(…')", or '' if not a paragraph."""
    if not source or not lineno or lineno < 2:
        return ""
    lines = source.split("\n", lineno)
    if len(lines) < lineno or not lines[lineno - 1].startswith("<w:p"):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"paragraph {lineno - 1}" + (f" ('{text}')" if text else "")


def _template_line(tb: Any) -> int | None:
    """The template line (innermost) where a render stopped, from its traceback."""
    line = None
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            try:
                line = template.get_corresponding_lineno(tb.tb_lineno)
            except Exception:
                pass
        tb = tb.tb_next
    return line


def _check_width(fmt: object) -> None:
    """Refuse a format string asking for a field wider than MAX_SEQUENCE ('%2000000000d', '{:>2000000000}')."""
    if isinstance(fmt, str):
        for m in _WIDTH.finditer(fmt):
            width = int(m.group(1) or m.group(2))
            if width > MAX_SEQUENCE:
                raise TooMuchWork(f"a field {width:,} characters wide would make the text too large (limit {MAX_SEQUENCE:,})")


def _bounded_format(value: str, *args: Any, **kwargs: Any) -> str:
    from jinja2.filters import do_format

    _check_width(value)
    return do_format(value, *args, **kwargs)


class _BoundedTemplate(Template):
    """A template whose whole render is bounded in output size and in pieces of output.

    The sandbox caps one range(); nested loops, '~' doubling and join can still build gigabytes, so
    the render is consumed piece by piece and stopped as soon as it outgrows any real document."""

    source: str | None = None  # the text it was made from (set by from_string), to quote a paragraph

    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        out: list[str] = []
        size = 0
        budget = _LOOPS_LEFT.set([MAX_LOOPS])
        pieces = cast("Generator[str, None, None]", self.root_render_func(ctx))  # compiled templates are generators
        try:
            for n, piece in enumerate(pieces, start=1):
                size += len(piece)
                if size > MAX_OUTPUT or n > MAX_PIECES:
                    pieces.throw(_TooMuch())  # raised where the template is, so the paragraph can be named
                out.append(piece)
        except _TooMuch as e:
            stopped = TooMuchWork(
                f"the template writes more than any real document ({MAX_OUTPUT // 1_000_000} million characters "
                f"or {MAX_PIECES:,} pieces): check its loops"
            )
            stopped.selfeval_line = _template_line(e.__traceback__)  # type: ignore[attr-defined]
            raise stopped from None
        except Exception as e:
            e.selfeval_line = _template_line(e.__traceback__)  # type: ignore[attr-defined]
            self.environment.handle_exception()
        finally:
            _LOOPS_LEFT.reset(budget)
        return "".join(out)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with every '~' concatenation checked for size as it is made."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_For(self, node: Any, frame: Any) -> None:
        # 'for x in SEQ' becomes 'for x in environment.counted(SEQ)', charging each pass to the render's
        # loop budget. On a copy: the parsed tree stays as it was (meta.find_undeclared_variables reads it).
        counted = copy.copy(node)
        line = node.iter.lineno
        counted.iter = nodes.Call(nodes.EnvironmentAttribute("counted", lineno=line), [node.iter], [], None, None, lineno=line)
        super().visit_For(counted, frame)


class _Environment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})
    template_class = _BoundedTemplate
    code_generator_class = _CodeGenerator

    counted = staticmethod(_counted)

    @staticmethod
    def bounded_text(text: Any) -> Any:
        if len(text) > MAX_SEQUENCE * 10:
            raise TooMuchWork(f"joining text with '~' made {len(text):,} characters, more than any real document needs")
        return text

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, Template] = {}
        self.globals["range"] = _bounded_range
        self.filters["format"] = _bounded_format
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = _bounded_numbers(self.filters[name])

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """Compiled once per process for the same text: docxtpl compiles every part of a template on
        every render, and a batch renders the same templates for every council (see template_cache)."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return self._compile_from_string(source, globals, template_class)
        hit = self._compiled.get(source)
        if hit is None:
            hit = self._compile_from_string(source)
            if len(self._compiled) < _MAX_COMPILED:
                self._compiled[source] = hit
        return hit

    def adopt(self, source: str, code: CodeType) -> Template:
        """``source`` as compiled earlier into ``code`` (by :meth:`compile`, this process's or a
        stored one, see compiled_store): from now on :meth:`from_string` answers it at once."""
        template = self.template_class.from_code(self, code, self.make_globals(None), None)
        if isinstance(template, _BoundedTemplate):
            template.source = source
        if len(self._compiled) < _MAX_COMPILED:
            self._compiled[source] = template
        return template

    def _compile_from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        template = super().from_string(source, globals, template_class)
        if isinstance(source, str) and isinstance(template, _BoundedTemplate):
            template.source = source
        return template

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes)):
            for value in (*args, *kwargs.values()):
                if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_SEQUENCE:
                    raise TooMuchWork(f"the number {value:,.0f} is too large for text (limit {MAX_SEQUENCE:,})")
            if getattr(__obj, "__name__", "") in ("format", "format_map"):
                _check_width(owner)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        _check_width(getattr(value, "__self__", None))  # 'text'.format(...) and format_map come through here
        return super().wrap_str_format(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%":
            _check_width(left)
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE:
                    raise TooMuchWork(f"repeating a value {times:,} times would make it too large (limit {MAX_SEQUENCE:,})")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):  # floats overflow by themselves
            if abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise TooMuchWork(f"the number {left} ** {right} is too large")
        return super().call_binop(context, operator, left, right)


def _bounded_numbers(f: Any) -> Any:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_SEQUENCE:
                raise TooMuchWork(f"the number {value:,.0f} is too large for text (limit {MAX_SEQUENCE:,})")
        return f(*args, **kwargs)

    bounded.__name__ = getattr(f, "__name__", "filter")
    for attr in ("jinja_pass_arg",):
        if hasattr(f, attr):
            setattr(bounded, attr, getattr(f, attr))
    return bounded


def stopped_message(e: BaseException) -> str | None:
    """What to tell the author when a render was stopped by a bound or by the sandbox; None for other errors."""
    if isinstance(e, TooMuchWork):  # one of the render's bounds, not an escape attempt
        return f"the template was stopped: {e}"
    if isinstance(e, SecurityError):
        return f"the template tried something unsafe and was stopped: {e}"
    if isinstance(e, OverflowError):
        return f"the template asked for a loop that is too large: {e}"
    if isinstance(e, RecursionError):
        return "the template calls a macro that never stops calling itself"
    return None


class _Anything(ChainableUndefined):
    """Every variable in a trial render without data: true, empty when looped over, and itself
    after any arithmetic, attribute or call, so the template runs on to its constant parts."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return True

    def _itself(self, *args: object, **kwargs: object) -> _Anything:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _itself  # type: ignore[assignment]
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _itself  # type: ignore[assignment]
    __pow__ = __rpow__ = __neg__ = __pos__ = __call__ = _itself  # type: ignore[assignment]


@cache
def trial_env() -> SandboxedEnvironment:
    """The same bounded sandbox, with every variable standing for anything: for 'templates check' to
    run a template's constant parts (range(99999) in range(99999), 'x'.center(2e9)) without data."""
    return _Environment(autoescape=True, undefined=_Anything)


@cache
def jinja_env() -> SandboxedEnvironment:
    """Sandboxed (templates may come from another council), autoescaped (so '&' and '<' in data
    survive docxtpl's XML round trip) and strict (a misspelt variable is an error, not a blank)."""
    return _Environment(autoescape=True, undefined=StrictUndefined)
