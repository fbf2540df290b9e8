"""Where templates come from, and the one Jinja2 environment every template runs in."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import StrictUndefined
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


class _Environment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):  # type: ignore[override]
        from jinja2.exceptions import SecurityError

        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE:
                    raise SecurityError(f"repeating a value {times:,} times would make it too large (limit {MAX_SEQUENCE:,})")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):  # floats overflow by themselves
            if abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise SecurityError(f"the number {left} ** {right} is too large")
        return super().call_binop(context, operator, left, right)


@cache
def jinja_env() -> SandboxedEnvironment:
    """Sandboxed (templates may come from another council), autoescaped (so '&' and '<' in data
    survive docxtpl's XML round trip) and strict (a misspelt variable is an error, not a blank)."""
    return _Environment(autoescape=True, undefined=StrictUndefined)
