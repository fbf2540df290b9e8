"""A plain `selfeval generate` starts without loading typer, and is the same command as the full
command line's: the same options, the same values, the same messages and exit codes. Deterministic
by design: the timing lives in bench/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from conftest import REPO
from selfeval import cli
from selfeval.launch import _GENERATE_FLAGS, _GENERATE_PATHS, plain_generate


def _typer_kwargs(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | str:
    """What the full CLI passes to commands.generate.generate for ``generate ARGS`` (or its error)."""
    import selfeval.commands.generate as generate

    seen: dict[str, Any] = {}

    def record(**kwargs: Any) -> object:
        seen.update(kwargs)
        return type("Result", (), {"lines": [], "warnings": []})()

    monkeypatch.setattr(generate, "generate", record)
    try:
        typer.main.get_command(cli.app).main(["generate", *args], prog_name="selfeval", standalone_mode=False)
    except Exception as e:  # a usage error: the quick path must have left it to the CLI
        return type(e).__name__
    return seen


CALLS = [
    [], ["--force"], ["--inputs", "inputs", "--out", "OUT"], ["-i", "inputs", "-o", "OUT", "-t", "templates"],
    ["--inputs=inputs", "--out=OUT", "--templates=T"], ["--public", "--force", "--pdf"], ["--pdf", "-o", "x y"],
    # Left to the CLI: help, batch runs, repeats, odd spellings, extra arguments, values like options.
    ["--help"], ["--batch", "councils"], ["--jobs", "2"], ["--force", "--force"], ["-i", "a", "--inputs", "b"],
    ["-ia"], ["-i=a"], ["--force=true"], ["--in", "x"], ["extra"], ["--out"], ["--out", ""], ["--out", "-x"],
    ["--inputs", "README.md"], ["--", "--force"],
]


@pytest.mark.parametrize("args", CALLS, ids=[" ".join(a) or "(none)" for a in CALLS])
def test_the_quick_path_reads_a_call_as_the_full_cli_does(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    quick = plain_generate(args)
    if quick is not None:
        assert quick == _typer_kwargs(args, monkeypatch)


def test_the_plain_calls_are_taken_and_the_others_left() -> None:
    taken = [a for a in CALLS if plain_generate(a) is not None]
    assert taken == CALLS[:7]


def test_every_option_of_generate_is_known_to_the_quick_path() -> None:
    """A new option of cli.generate must be added to the quick path or left to the CLI, on purpose."""
    command = typer.main.get_command(cli.app).commands["generate"]  # type: ignore[attr-defined]
    names = {name for param in command.params for name in param.opts}
    left_to_the_cli = {"--batch", "--jobs", "-j", "--help"}
    assert names - left_to_the_cli == set(_GENERATE_PATHS) | set(_GENERATE_FLAGS)


def _run(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


QUICK = "import sys\nsys.argv = ['selfeval', *sys.argv[1:]]\nfrom selfeval.launch import main\ntry:\n    main()\nfinally:\n    print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click'}), file=sys.stderr)\n"
FULL = "import sys\nsys.argv = ['selfeval', *sys.argv[1:]]\nfrom selfeval.cli import main\nmain()\n"


def test_a_bad_findings_file_gets_the_same_message_and_exit_code_without_typer(tmp_path: Path) -> None:
    findings = tmp_path / "inputs" / "findings"
    findings.mkdir(parents=True)
    (findings / "bad.yaml").write_text("local_authority: Lambeth\ntype: full inspection\ninspection_dates: [{start: 2026-13-01}]\n", encoding="utf-8")
    args = ("generate", "--inputs", str(tmp_path / "inputs"), "--out", str(tmp_path / "out"))
    quick, full = _run(QUICK, *args, cwd=tmp_path), _run(FULL, *args, cwd=tmp_path)
    assert quick.returncode == full.returncode == 2
    assert quick.stdout == full.stdout
    *message, loaded = quick.stderr.rstrip("\n").split("\n")
    assert loaded == "[]", quick.stderr
    assert "\n".join(message) + "\n" == full.stderr
    assert "bad.yaml:3" in full.stderr and "Traceback" not in full.stderr
    assert not (tmp_path / "out").exists()


def test_a_call_the_quick_path_leaves_gets_the_clis_own_message(tmp_path: Path) -> None:
    quick = _run(QUICK, "generate", "--inputs", str(REPO / "README.md"), cwd=tmp_path)
    assert quick.returncode == 2 and "is a file" in quick.stderr and "['typer']" in quick.stderr
