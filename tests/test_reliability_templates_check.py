"""`selfeval templates export` and `selfeval templates check`: a council's own templates are checked
against the template contract before they are used, with messages a template author can act on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docxtpl import RichText
from pydantic import BaseModel, ConfigDict

from conftest import REPO, run_cli
from selfeval.render.registry import template_names
from selfeval.render.template_lint import lint_template

TEMPLATES = REPO / "templates" / "docx"
NAMES = ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx")


def add_paragraphs(path: Path, *texts: str) -> Path:
    from docx import Document

    doc = Document(str(path))
    for text in texts:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    folder = tmp_path / "my-templates"
    result = run_cli("templates", "export", str(folder))
    assert result.code == 0, result.output
    return folder


def messages(result) -> str:
    assert "Traceback" not in result.output and "internal error" not in result.output
    return " ".join(result.stderr.split())


def test_the_default_templates_pass(tmp_path: Path) -> None:
    result = run_cli("templates", "check", cwd=tmp_path)
    assert result.code == 0, result.output
    assert sum(line.startswith("OK ") for line in result.stdout.splitlines()) == len(template_names())


def test_export_copies_the_default_templates_and_never_overwrites(exported: Path) -> None:
    for name in NAMES:
        assert (exported / name).read_bytes() == (TEMPLATES / name).read_bytes()
    mine = add_paragraphs(exported / "board-summary.docx", "Our own wording.")
    before = mine.read_bytes()
    again = run_cli("templates", "export", str(exported))
    assert again.code == 0, again.output
    assert mine.read_bytes() == before
    assert "kept" in again.stdout and "board-summary.docx" in again.stdout and "never overwrites" in again.stdout
    assert not list(exported.glob(".*.tmp"))


def test_exported_templates_pass_the_check(exported: Path) -> None:
    result = run_cli("templates", "check", str(exported))
    assert result.code == 0, result.output
    assert result.stdout.count("OK ") == len(template_names())


def test_a_syntax_error_is_reported_with_its_paragraph(exported: Path) -> None:
    add_paragraphs(exported / "board-summary.docx", "Some text before.", "The board is asked to {% if council %} note this.", "After.")
    result = run_cli("templates", "check", str(exported))
    assert result.code == 2, result.output
    text = messages(result)
    assert "board-summary.docx: template syntax error" in text
    assert 'in the paragraph "The board is asked to {% if council %} note this."' in text
    assert "OK " in result.stdout and "board-summary" not in result.stdout  # the others still pass


def test_generate_shows_the_same_paragraph_for_a_syntax_error(exported: Path, tmp_path: Path) -> None:
    add_paragraphs(exported / "self-evaluation.docx", "Unclosed {{ council ")
    inputs = tmp_path / "inputs"
    (inputs / "findings").mkdir(parents=True)
    for f in (REPO / "inputs" / "findings").glob("*.yaml"):
        (inputs / "findings" / f.name).write_bytes(f.read_bytes())
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--templates", str(exported))
    assert result.code == 2, result.output
    assert 'self-evaluation.docx: template syntax error' in messages(result)
    assert 'in the paragraph "Unclosed {{ council"' in messages(result)


def test_unknown_variables_and_attributes_are_named_with_a_suggestion(exported: Path) -> None:
    add_paragraphs(
        exported / "self-evaluation.docx",
        "Council: {{ councl }}, latest: {{ latest.titel }}",
        "{%p for area in areas %}",
        "{{ area.strenghts }} and {{ area.title|upper }}",
        "{%p endfor %}",
    )
    result = run_cli("templates", "check", str(exported))
    assert result.code == 2, result.output
    text = messages(result)
    assert "self-evaluation.docx: {{ councl }}: selfeval does not provide 'councl'; did you mean 'council'?" in text
    assert "{{ latest.titel }}: 'latest' has no 'titel'; did you mean 'title'?" in text
    assert "{{ area.strenghts }}: 'area' has no 'strenghts'; did you mean 'strengths'?" in text
    assert "area.title" not in text


def test_a_variable_from_another_document_is_not_provided(exported: Path) -> None:
    add_paragraphs(exported / "board-summary.docx", "{{ plan_summary }}")  # only the self-evaluation has it
    result = run_cli("templates", "check", str(exported))
    assert result.code == 2
    assert "board-summary.docx: {{ plan_summary }}: selfeval does not provide 'plan_summary'" in messages(result)


def test_a_template_with_another_name_is_checked_against_every_document(exported: Path) -> None:
    letter = exported / "letter-to-lead-member.docx"
    letter.write_bytes((exported / "board-summary.docx").read_bytes())
    add_paragraphs(letter, "{{ council }} {{ plan_summary|length }} {{ subtitle }}")
    assert run_cli("templates", "check", str(letter)).code == 0
    add_paragraphs(letter, "{{ lead_member }}")
    result = run_cli("templates", "check", str(exported))
    assert result.code == 2
    assert "letter-to-lead-member.docx: {{ lead_member }}: selfeval does not provide 'lead_member'" in messages(result)


def test_word_lock_files_are_ignored_and_a_broken_file_is_named(exported: Path) -> None:
    (exported / "~$lf-evaluation.docx").write_bytes(b"owner")
    (exported / "notes.docx").write_text("not really a Word file")
    result = run_cli("templates", "check", str(exported))
    assert result.code == 2, result.output
    text = messages(result)
    assert "notes.docx:" in text and "~$" not in text


def test_a_zip_bomb_template_is_refused_by_the_check(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    with zipfile.ZipFile(folder / "self-evaluation.docx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    result = run_cli("templates", "check", str(folder))
    assert result.code == 2
    assert "self-evaluation.docx:" in messages(result) and "unsafe" in messages(result)


@pytest.mark.parametrize("args", [("check", "no-such-folder"), ("check", "empty")])
def test_a_missing_or_empty_folder_is_a_clear_error(tmp_path: Path, args) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("templates", *args, cwd=tmp_path)
    assert result.code == 2, result.output
    assert "templates export" in messages(result)


def test_export_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file.docx").write_text("x")
    result = run_cli("templates", "export", str(tmp_path / "file.docx"))
    assert result.code in (2, 3), result.output
    assert "Traceback" not in result.output


# -- rich text: checked generically from the context model's field types ------------------------------------

class _Item(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    note: RichText
    label: str


class _RichCtx(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    council: str
    summary: RichText
    maybe: RichText | None = None
    items: list[_Item]


def test_rich_text_without_the_r_tag_is_reported(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "rich.docx"
    Document().save(str(path))
    add_paragraphs(
        path,
        "{{ council }}",
        "{{ summary }}",
        "{{r summary }}",
        "{{ maybe|default('') }}",
        "{%p for i in items %}",
        "{{ i.note }} {{ i.label }}",
        "{{r i.note }}",
        "{%p endfor %}",
        "{{r council }}",
    )
    problems = [str(p) for p in lint_template(path, _RichCtx)]
    assert any("{{ summary }}: 'summary' is formatted (rich) text" in p and "write {{r summary }}" in p for p in problems), problems
    assert any("{{ maybe|default('') }}: 'maybe' is formatted (rich) text" in p for p in problems), problems
    assert any("{{ i.note }}: 'i.note' is formatted (rich) text" in p for p in problems), problems
    assert any("{{r council }}: 'council' is plain text" in p for p in problems), problems
    assert len(problems) == 4, problems


def test_the_rule_is_real_rich_text_without_r_makes_an_invalid_document(tmp_path: Path) -> None:
    """Why the check exists: docxtpl puts a RichText written {{ x }} inside a w:t, without complaint."""
    from docx import Document
    from docx.oxml.ns import qn
    from docxtpl import DocxTemplate

    from selfeval.render.templates import jinja_env

    path = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("A: {{ x }}")
    doc.add_paragraph("B: {{r x }}")
    doc.save(str(path))
    tpl = DocxTemplate(str(path))
    tpl.render({"x": RichText("bold words", bold=True)}, jinja_env=jinja_env(), autoescape=True)
    tpl.save(str(tmp_path / "out.docx"))
    a, b = Document(str(tmp_path / "out.docx")).element.body.iter(qn("w:p"))
    assert any(len(t) for t in a.iter(qn("w:t"))), "{{ x }}: a run nested in w:t (a leaf element in the schema)"
    assert not any(len(t) for t in b.iter(qn("w:t"))) and "bold words" in "".join(b.itertext())
