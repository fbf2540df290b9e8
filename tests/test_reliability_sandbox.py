"""Templates always run in the Jinja2 sandbox: a template shared by another council cannot reach
Python internals, loop forever or exhaust memory. It fails with a clear message naming the
template, exit code 2, no traceback, and the outputs already in the folder are untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError

from conftest import INPUTS, REPO, run_cli
from selfeval.render.templates import jinja_env

TEMPLATES = REPO / "templates" / "docx"


def custom_templates(folder: Path, paragraph: str, name: str = "self-evaluation.docx") -> Path:
    """A copy of the default templates with ``paragraph`` appended to one of them, as a user would type it in Word."""
    from docx import Document

    shutil.copytree(TEMPLATES, folder)
    doc = Document(str(folder / name))
    doc.add_paragraph(paragraph)
    doc.save(str(folder / name))
    return folder


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> tuple[Path, Path]:
    """An inputs folder, and an outputs folder holding an earlier successful run."""
    root = tmp_path_factory.mktemp("sandbox")
    inputs = root / "inputs"
    shutil.copytree(INPUTS / "findings", inputs / "findings")
    out = root / "outputs"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    return inputs, out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


HOSTILE = {
    "reach Python classes": ("{{ ''.__class__.__mro__ }}", ["unsafe", "__class__"]),
    "reach module globals": ("{{ cycler.__init__.__globals__ }}", ["unsafe", "__init__"]),
    "subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", ["unsafe"]),
    "a billion-step loop": ("{% for x in range(10**9) %}x{% endfor %}", ["loop that is too large"]),
    "a gigabyte string": ("{{ 'x' * 10**9 }}", ["too large"]),
    "a huge number": ("{{ 10 ** 1000000 }}", ["too large"]),
    "endless recursion": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", ["never stops"]),
    "format-string escape": ("{{ '{0.__class__}'.format(council) }}", ["unsafe"]),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_template_is_stopped_with_a_clear_message_and_touches_nothing(tmp_path: Path, previous, case: str) -> None:
    inputs, out = previous
    tag, words = HOSTILE[case]
    templates = custom_templates(tmp_path / "templates", f"Our own text {tag} more text.")
    before = snapshot(out)
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out), "--templates", str(templates), timeout=60)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    message = " ".join(result.stderr.split())
    assert message.startswith("error: ") and "self-evaluation.docx:" in message, message
    for word in words:
        assert word in message, message
    assert snapshot(out) == before
    assert result.stdout == ""


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ joiner.__init__.__globals__ }}",
        "{{ namespace.__init__.__globals__['os'] }}",
        "{{ lipsum.__globals__['os'].system('touch /tmp/pwned') }}",
        "{{ ''.__class__.__base__.__subclasses__() }}",
        "{{ x.__class__ }}",
        "{{ x.__init__.__globals__ }}",
        "{% for i in range(10**9) %}{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ [0] * 10**9 }}",
        "{{ 7 ** (10**7) }}",
        "{{ '{0.__class__}'.format(x) }}",
    ],
)
def test_the_environment_itself_is_the_sandbox(source: str) -> None:
    """The same environment the renderer uses, without selfeval's variable pre-check in front of it."""
    env = jinja_env()
    from jinja2.sandbox import SandboxedEnvironment

    assert isinstance(env, SandboxedEnvironment)
    with pytest.raises((SecurityError, OverflowError)):
        env.from_string(source).render(x="text")
    assert not Path("/tmp/pwned").exists()


def test_the_sandbox_still_allows_what_templates_need() -> None:
    env = jinja_env()
    source = "{% for k in items %}{{ loop.index }}. {{ k|upper }}{% if not loop.last %}, {% endif %}{% endfor %} {{ 2 * 3 }} {{ '-' * 3 }} {{ n ** 2 }}"
    assert env.from_string(source).render(items=["a", "b"], n=12) == "1. A, 2. B 6 --- 144"
    # Autoescape: data is text, never markup.
    assert env.from_string("{{ v }}").render(v="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"


def test_an_undeclared_variable_is_named_before_rendering(tmp_path: Path, previous) -> None:
    inputs, out = previous
    templates = custom_templates(tmp_path / "templates", "{{ councl }}")
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out), "--templates", str(templates))
    assert result.code == 2, result.output
    # generate refuses what 'templates check' flags, with its wording: the tag, and the likely spelling.
    assert "{{ councl }}: selfeval does not provide 'councl'; did you mean 'council'?" in " ".join(result.stderr.split())


def test_a_template_syntax_error_is_located(tmp_path: Path, previous) -> None:
    inputs, out = previous
    templates = custom_templates(tmp_path / "templates", "Before {% if %} after", name="board-summary.docx")
    before = snapshot(out)
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out), "--templates", str(templates))
    assert result.code == 2, result.output
    message = " ".join(result.stderr.split())
    assert "board-summary.docx: template syntax error" in message
    assert "Traceback" not in result.output
    assert snapshot(out) == before
