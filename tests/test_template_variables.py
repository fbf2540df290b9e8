"""`selfeval templates variables`: a template author who mistyped a variable (and was told to run it)
sees every variable a template can use, per document, with what it holds: the README's reference."""

from __future__ import annotations

from shutil import copy

from docx import Document

from conftest import REPO, run_cli
from selfeval.render.registry import documents
from selfeval.render.variables import variables


def test_lists_every_variable_of_every_document() -> None:
    result = run_cli("templates", "variables")
    assert result.code == 0, result.output
    for document in documents():
        assert f"{document.template} ({document.subject})" in result.stdout
    # Every variable the README lists, nested ones included (rows[].id, area.afis[].text, ...).
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    for document in documents():
        assert {name for name, _, _ in variables(document.context)} <= listed
    assert "The chart picture" in result.stdout  # what each one holds, not only its name


def test_one_document_by_its_template_or_key() -> None:
    by_file = run_cli("templates", "variables", "my-templates/Board-Summary.docx")
    by_key = run_cli("templates", "variables", "board-summary")
    assert by_file.code == by_key.code == 0, by_file.output + by_key.output
    assert by_file.stdout == by_key.stdout
    assert "board-summary.docx" in by_file.stdout and "self-evaluation.docx" not in by_file.stdout
    assert "  board_asks" in by_file.stdout


def test_an_unknown_document_names_the_ones_there_are() -> None:
    result = run_cli("templates", "variables", "annual-briefing.docx")
    assert result.code == 2
    assert "Traceback" not in result.output
    assert "annual-briefing.docx" in result.stderr and "board-summary.docx" in result.stderr


def test_template_check_points_at_a_command_that_exists(tmp_path) -> None:
    # A template with a name selfeval does not know is checked against every document's variables;
    # a variable nothing close to is answered with the command that lists them.
    path = tmp_path / "annual-briefing.docx"
    copy(REPO / "templates" / "docx" / "board-summary.docx", path)
    template = Document(str(path))
    template.add_paragraph("{{ zzqqxx }}")
    template.save(str(path))
    result = run_cli("templates", "check", str(path))
    assert result.code == 2, result.output
    assert "selfeval templates variables" in result.stderr
    assert run_cli("templates", "variables").code == 0
