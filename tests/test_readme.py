"""The README is what a new user follows: its two set-up commands, its CI twin, and its template
variable reference must stay true."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)]


def test_readme_has_exactly_two_set_up_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("selfeval generate")
    assert "[test]" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command_verbatim_and_rejects_no_tests():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci
    assert '"$status" -eq 5' in ci


def test_template_variable_reference_matches_the_context_models():
    from selfeval.render.variables import END, START, markdown

    start, end = README.index(START), README.index(END) + len(END)
    assert README[start:end] == markdown(), "run: python tools/update_readme.py"


@pytest.mark.slow
def test_the_wheel_ships_the_default_templates(tmp_path):
    """`pip install .` must give a selfeval that finds its templates from any folder."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("selfeval-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for doc in ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"):
        assert f"selfeval/templates/docx/{doc}" in names
    assert "selfeval/data/framework.yaml" in names
