"""A run that is killed, stopped or fails part-way never makes the next run mistake selfeval's own
documents for a person's edits, and never leaves its scratch folders (chart pictures) behind
(issue #13, point 11). Each case runs the real CLI in a subprocess with its own temporary folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import INPUTS, REPO

DOCS = ("board-summary.docx", "improvement-plan.docx", "self-evaluation.docx")
LATEST = "lambeth-2026-01-full-inspection.yaml"

# Runs selfeval, and kills it (SIGKILL: no clean-up of any kind) the moment the first document has
# been moved into place, before selfeval could note it in its manifest.
KILL_AFTER_FIRST_DOCUMENT = """
import os, signal, sys
from pathlib import Path
import selfeval.write.output as output

real = output.atomic_write
def write_then_die(path, data):
    real(path, data)
    if Path(path).suffix == ".docx":
        os.kill(os.getpid(), signal.SIGKILL)
output.atomic_write = write_then_die
sys.argv = ["selfeval", *sys.argv[1:]]
from selfeval.cli import main
main()
"""


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["TMPDIR"] = str(tmp)  # selfeval's scratch folders go here, where the test can see them
    env.setdefault("COLUMNS", "200")
    env.update(extra)
    return env


def _selfeval(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "selfeval", *args], cwd=REPO, env=_env(tmp), capture_output=True, text=True, timeout=180)


@pytest.fixture
def council(tmp_path: Path) -> dict[str, Path]:
    """An inputs folder (the example's findings), an outputs folder and a private temporary folder."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / "findings", inputs / "findings")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return {"inputs": inputs, "out": tmp_path / "outputs", "tmp": tmp}


def _new_quarter(inputs: Path) -> None:
    """The findings change between quarters, so the next run writes different documents."""
    path = inputs / "findings" / LATEST
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["areas_for_improvement"][0]["text"] += " This was reviewed again this quarter."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_run_killed_between_writing_a_document_and_noting_it_leaves_no_false_edited_copies(council: dict[str, Path]) -> None:
    inputs, out, tmp = council["inputs"], council["out"], council["tmp"]
    first = _selfeval(tmp, "generate", "--inputs", str(inputs), "--out", str(out))
    assert first.returncode == 0, first.stderr

    _new_quarter(inputs)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_FIRST_DOCUMENT, "generate", "--inputs", str(inputs), "--out", str(out)],
        cwd=REPO, env=_env(tmp), capture_output=True, text=True, timeout=180,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = [p for p in tmp.iterdir() if p.name.startswith("selfeval-")]
    assert left, "a SIGKILLed run cannot clean up: its scratch folder is still there"

    # The next quarter's run sees the document the killed run wrote as selfeval's own.
    after = _selfeval(tmp, "generate", "--inputs", str(inputs), "--out", str(out))
    assert after.returncode == 0, after.stderr
    output = after.stdout + after.stderr
    assert "edited" not in output and "was changed since" not in output, output
    assert sorted(p.name for p in out.glob("*.docx")) == list(DOCS), "no -2 copies"
    assert not (out / "previous").exists(), "nothing was kept as a person's work: nobody edited anything"
    # ... and removed the scratch folder the killed run left behind.
    assert not [p for p in tmp.iterdir() if p.name.startswith("selfeval-")]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_run_stopped_while_writing_removes_its_scratch_folder_and_leaves_the_outputs_whole(council: dict[str, Path], stop: int) -> None:
    inputs, out, tmp = council["inputs"], council["out"], council["tmp"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "selfeval", "generate", "--inputs", str(inputs), "--out", str(out)],
        cwd=REPO, env=_env(tmp, SELFEVAL_TEST_SLOW_WRITE="60"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not [p for p in out.glob(".*.docx.*.tmp") if p.stat().st_size]:
            time.sleep(0.05)
        assert [p for p in tmp.iterdir() if p.name.startswith("selfeval-")], "the run has its scratch folder while it works"
        proc.send_signal(stop)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + stop, stderr
    assert "none is half-written" in stderr and "Traceback" not in stderr
    assert not list(tmp.iterdir()), "no scratch folder is left in the temporary folder"
    assert not list(out.glob(".*.tmp")), "the half-written document was discarded"


def test_a_failing_run_leaves_no_scratch_folder(council: dict[str, Path]) -> None:
    inputs, out, tmp = council["inputs"], council["out"], council["tmp"]
    templates = tmp.parent / "templates"
    templates.mkdir()
    from docx import Document

    from selfeval.render.template_files import default_templates_dir

    doc = Document(str(default_templates_dir() / "board-summary.docx"))
    doc.add_paragraph("{{ 1 / 0 }}")  # fails while rendering, after the charts were drawn in scratch
    doc.save(str(templates / "board-summary.docx"))
    result = _selfeval(tmp, "generate", "--inputs", str(inputs), "--out", str(out), "--templates", str(templates))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp.iterdir())


@pytest.mark.parametrize("moved", [True, False], ids=["killed after the move", "killed before the move"])
def test_the_manifest_knows_the_file_on_disk_whichever_side_of_the_move_the_kill_came(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved: bool) -> None:
    from selfeval.write import output

    folder = output.OutputFolder(tmp_path)
    folder.write("plan.docx", b"last quarter", force=False, record={"controls": {"a": "1"}})

    class Killed(BaseException):
        pass

    real = output.atomic_write

    def killed(path: Path, data: bytes | str) -> None:
        if path.name == "plan.docx":
            if moved:
                real(path, data)
            raise Killed()  # before selfeval could note the file as written
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", killed)
    with pytest.raises(Killed):
        output.OutputFolder(tmp_path).write("plan.docx", b"this quarter", force=False, record={"controls": {"a": "2"}})
    monkeypatch.setattr(output, "atomic_write", real)

    after = output.OutputFolder(tmp_path)
    assert not after.edited(tmp_path / "plan.docx")
    assert after.record("plan.docx") == {"controls": {"a": "2" if moved else "1"}}
