"""A template cannot exhaust memory or time (point 6), and generate refuses what templates check flags
(point 14): each case runs the real CLI under RLIMIT_AS 500 MB and a 15 s limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bombs import read_part, rewrite_zip, run_limited
from conftest import INPUTS, run_cli
from selfeval.render.template_files import default_templates_dir

NAME = "board-summary.docx"


def _template_with(tmp_path: Path, text: str) -> Path:
    source = (default_templates_dir() / "board-summary.docx")
    xml = read_part(source, "word/document.xml")
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
    folder = tmp_path / "templates"
    rewrite_zip(source, folder / NAME, {"word/document.xml": xml.replace(b"<w:body>", b"<w:body>" + paragraph, 1)})
    return folder


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}", "the template's loops run more than 1,000,000 times"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "the template's loops run more than 1,000,000 times"),
        ("{% for i in range(5000) %}{{ 'x' * 100000 }}{% endfor %}", "the template writes more than any real document"),
        ("{{ 'x'.center(2e9) }}", "is too large for text"),
        ("{{ '%2000000000d'|format(1) }}", "characters wide would make the text too large"),
        ("{{ '{:>2000000000}'.format(1) }}", "characters wide would make the text too large"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x }}", "joining text with '~'"),
        ("{% for i in range(99999) %}{{ range(99999)|join(',') }}{% endfor %}", "the template's loops run more than 1,000,000 times"),
    ],
)
def test_a_template_that_would_exhaust_memory_is_stopped(tmp_path: Path, text: str, expected: str) -> None:
    folder = _template_with(tmp_path, text)
    out = tmp_path / "outputs"
    result = run_limited("generate", "--inputs", str(INPUTS), "--templates", str(folder), "--out", str(out))
    assert result.code == 2, (result.code, result.output[-2000:])
    message = " ".join(result.stderr.split())
    assert expected in message
    # The message names the template and the paragraph, quoting its start.
    assert f"{NAME}: paragraph 1 ('{text[:12]}" in message, message
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.glob("*.docx"))

    # 'templates check' finds the same bomb on its constant arguments, with the same words, as bounded.
    check = run_limited("templates", "check", str(folder))
    assert check.code == 2, (check.code, check.output[-2000:])
    checked = " ".join(check.stderr.split())
    assert f"{NAME}: paragraph 1 ('{text[:12]}" in checked and expected in checked, checked
    assert "Traceback" not in check.output


def test_a_template_that_never_finishes_is_stopped_by_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import selfeval.pipeline as pipeline
    import selfeval.render.templates as templates
    from selfeval.errors import InputError

    folder = _template_with(tmp_path, "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")
    monkeypatch.setattr(templates, "MAX_LOOPS", 10**12)  # as if the loop budget missed it: the clock is the last line
    monkeypatch.setattr(pipeline, "RENDER_SECONDS", 2.0)
    with pytest.raises(InputError, match="needs more memory or time than any real document"):
        pipeline.build_documents(INPUTS, templates=folder, public=False, today=__import__("datetime").date(2026, 3, 1), scratch=tmp_path)


def test_generate_refuses_what_templates_check_flags(tmp_path: Path) -> None:
    folder = _template_with(tmp_path, "{{r council }}")
    check = run_cli("templates", "check", str(folder))
    assert check.code == 2, check.output
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(INPUTS), "--templates", str(folder), "--out", str(out))
    assert result.code == 2, result.output
    first_line = [ln for ln in check.stderr.splitlines() if ln.startswith("error:")][0]
    assert first_line.split(": ", 2)[-1][:40] in " ".join(result.stderr.split())
    assert not out.exists() or not list(out.glob("*.docx"))
