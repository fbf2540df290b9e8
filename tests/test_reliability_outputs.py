"""Never lose a person's work: atomic writes, the edited-output rule, Word lock files and a run
killed part-way through writing, all through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import INPUTS, REPO, run_cli

DOCS = ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The example's findings (the workbook is left out: these tests are about writing, not data)."""
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS / "findings", folder / "findings")
    return folder


@pytest.fixture
def generated(tmp_path: Path, inputs: Path) -> Path:
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(DOCS)
    return out


def edit_in_word(path: Path, text: str = "Our own paragraph, written over three days.") -> None:
    from docx import Document

    doc = Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))


def _kept(out: Path, name: str, n: int = 1) -> Path:
    import datetime as dt

    suffix = f" ({n})" if n > 1 else ""
    return out / "previous" / f"{Path(name).stem} {dt.date.today().isoformat()}{suffix}.docx"


def test_an_edited_document_is_moved_untouched_to_previous_and_the_new_draft_takes_its_name(generated: Path, inputs: Path) -> None:
    edited = generated / "self-evaluation.docx"
    edit_in_word(edited)
    before = edited.read_bytes()

    result = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert result.code == 0, result.output
    assert _kept(generated, edited.name).read_bytes() == before, "the edited document was not kept byte for byte"
    assert edited.read_bytes() != before
    message = " ".join(result.stdout.split())
    assert "self-evaluation.docx had been edited since selfeval wrote it: your copy is kept, untouched, as" in message
    # The paragraph the person added outside the highlighted boxes is named, not silently dropped.
    assert "self-evaluation, About this draft: added in Word" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    # The unedited documents were simply regenerated in place.
    assert not _kept(generated, "improvement-plan.docx").exists()

    # Again, with nothing edited since: nothing more is kept.
    again = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert again.code == 0, again.output
    assert sorted(p.name for p in (generated / "previous").iterdir()) == [_kept(generated, edited.name).name]

    # --force overwrites an edited file.
    edit_in_word(edited)
    forced = run_cli("generate", "--inputs", str(inputs), "--out", str(generated), "--force")
    assert forced.code == 0, forced.output
    assert "had been edited" not in forced.output
    assert len(list((generated / "previous").iterdir())) == 1


def test_a_document_not_in_the_manifest_is_treated_as_someone_elses_work(generated: Path, inputs: Path) -> None:
    (generated / ".selfeval-manifest.json").unlink()
    before = snapshot(generated)
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert result.code == 0, result.output
    for name in DOCS:
        assert _kept(generated, name).read_bytes() == before[name]
        assert (generated / name).is_file()
    assert "no record of the paragraphs it wrote there" in result.stderr


def test_an_edited_second_copy_is_kept_too(generated: Path, inputs: Path) -> None:
    edit_in_word(generated / "board-summary.docx", "first edit")
    first = (generated / "board-summary.docx").read_bytes()
    assert run_cli("generate", "--inputs", str(inputs), "--out", str(generated)).code == 0
    edit_in_word(generated / "board-summary.docx", "second edit")
    second = (generated / "board-summary.docx").read_bytes()
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert result.code == 0, result.output
    assert _kept(generated, "board-summary.docx").read_bytes() == first
    assert _kept(generated, "board-summary.docx", 2).read_bytes() == second
    assert _kept(generated, "board-summary.docx", 2).name in " ".join(result.stdout.split())


@pytest.mark.parametrize("lock_name", ["~$self-evaluation.docx", "~$lf-evaluation.docx"])
def test_a_document_open_in_word_stops_the_run_and_nothing_is_written(generated: Path, inputs: Path, lock_name: str) -> None:
    (generated / lock_name).write_bytes(b"\x0bWord owner file")
    before = snapshot(generated)
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert result.code == 3, result.output
    message = " ".join(result.stderr.split())
    assert "self-evaluation.docx: this document is open in Word" in message
    assert "close it and run selfeval again" in message and "Nothing was written" in message
    assert "Traceback" not in result.output
    assert snapshot(generated) == before
    # --force does not override a lock: Word holds the file.
    forced = run_cli("generate", "--inputs", str(inputs), "--out", str(generated), "--force")
    assert forced.code == 3
    assert snapshot(generated) == before


def test_an_output_folder_that_cannot_be_written_gives_exit_3(tmp_path: Path, inputs: Path) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("a file where the folder should be")
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(blocker / "sub"))
    assert result.code == 3, result.output
    assert "cannot create the output folder" in result.stderr
    assert "Traceback" not in result.output


def test_killing_generation_part_way_through_writing_leaves_the_previous_output_intact(generated: Path, inputs: Path) -> None:
    before = snapshot(generated)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["SELFEVAL_TEST_SLOW_WRITE"] = "60"  # test hook in write/output.atomic_write: pause half-way
    proc = subprocess.Popen(
        [sys.executable, "-m", "selfeval", "generate", "--inputs", str(inputs), "--out", str(generated)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        partial: list[Path] = []
        while time.monotonic() < deadline and not partial:
            # The document paused half-way (the manifest's own brief temporary file may come and go first).
            partial = [p for p in generated.glob(".*.docx.*.tmp") if p.stat().st_size > 0]
            time.sleep(0.05)
        assert partial, "the writer never started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # Half a document sits in a hidden temporary file; every real output is exactly as before.
    assert {p.name for p in partial} <= {p.name for p in generated.iterdir()}
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in partial)
    after = {name: data for name, data in snapshot(generated).items() if not name.endswith(".tmp")}
    # The manifest may also note the document as pending (about to be moved in): what it records as written is unchanged.
    manifest = ".selfeval-manifest.json"
    assert json.loads(after.pop(manifest))["files"] == json.loads(before.pop(manifest))["files"]
    assert after == before
    assert sorted(p.name for p in generated.glob("*.docx")) == sorted(DOCS)

    # The next run cleans up the leftover, and sees the intact outputs as its own (no "-2" copies).
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert result.code == 0, result.output
    assert not list(generated.glob("*.tmp"))
    assert sorted(p.name for p in generated.glob("*.docx")) == sorted(DOCS)
    assert "was changed since" not in result.output


def test_killing_generation_while_it_replaces_an_edited_document_never_loses_the_persons_file(generated: Path, inputs: Path) -> None:
    edited = generated / "self-evaluation.docx"
    edit_in_word(edited)
    theirs = edited.read_bytes()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["SELFEVAL_TEST_SLOW_WRITE"] = "60"
    proc = subprocess.Popen(
        [sys.executable, "-m", "selfeval", "generate", "--inputs", str(inputs), "--out", str(generated)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        partial: list[Path] = []
        while time.monotonic() < deadline and not partial:
            partial = [p for p in generated.glob(".self-evaluation.docx.*.tmp") if p.stat().st_size > 0]
            time.sleep(0.05)
        assert partial, "the writer never started on the edited document"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    # Killed after the person's file was kept and before the new draft replaced it: it is in both places.
    assert edited.read_bytes() == theirs
    assert _kept(generated, edited.name).read_bytes() == theirs
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(generated))
    assert result.code == 0, result.output
    kept = sorted((generated / "previous").iterdir())
    assert kept and all(k.read_bytes() == theirs for k in kept)


def test_atomic_write_replaces_the_file_in_one_step_and_cleans_up_on_failure(tmp_path: Path, monkeypatch) -> None:
    from selfeval.write import output

    target = tmp_path / "doc.docx"
    output.atomic_write(target, b"first")
    assert target.read_bytes() == b"first"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(OSError):
        output.atomic_write(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.docx"]


def test_a_failed_write_is_reported_with_exit_3_and_the_previous_version_intact(tmp_path: Path, monkeypatch) -> None:
    from selfeval.errors import OutputError
    from selfeval.write import output

    folder = output.OutputFolder(tmp_path)
    folder.write("a.docx", b"one", force=False)
    monkeypatch.setattr(output.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OutputError, match="previous version is intact") as info:
        folder.write("a.docx", b"two", force=False)
    assert info.value.exit_code == 3
    assert (tmp_path / "a.docx").read_bytes() == b"one"
