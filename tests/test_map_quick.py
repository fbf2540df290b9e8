"""`selfeval map` answers from a fresh process without loading the full command line, and says the
same as the full one. Deterministic by design: the timing lives in bench/bench_mapping.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO, run_cli

AREA = "The timeliness of return home interviews for children missing from care"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, cwd=REPO)


def test_map_answers_without_loading_typer_or_pydantic() -> None:
    proc = _python(
        "import sys\n"
        f"sys.argv = ['selfeval', 'map', {AREA!r}, '--json', '--top', '3']\n"
        "from selfeval.launch import main\nmain()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'pydantic', 'rich', 'click')))"
    )
    assert proc.returncode == 0, proc.stderr
    *answer, loaded = proc.stdout.strip().splitlines()
    assert loaded == "[]"
    assert json.loads("\n".join(answer))["suggestions"][0]["ref"] == "outcome 3"


def test_the_quick_answer_is_the_full_clis_answer() -> None:
    from selfeval.commands.map import map_text

    result = run_cli("map", AREA, "--json", "--area", "children_in_care")
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == map_text(AREA, True, judgement_area="children_in_care").strip()


def test_a_map_call_the_quick_path_does_not_know_gets_the_clis_own_message() -> None:
    bad = run_cli("map", AREA, "--top", "many")
    assert bad.code == 2 and "Traceback" not in bad.output and "--top" in bad.output
    empty = run_cli("map", "   ")
    assert empty.code == 2 and "empty" in empty.output and "Traceback" not in empty.output
    helped = run_cli("map", "--help")
    assert helped.code == 0 and "--json" in helped.stdout
