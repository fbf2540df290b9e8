"""Never lose work, never lock colleagues out: stale Word lock files (point 13) and permissions (point 12)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import INPUTS, run_cli


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    out = tmp_path / "outputs"
    assert run_cli("generate", "--inputs", str(INPUTS), "--out", str(out)).code == 0
    return out


def test_a_lock_file_left_by_a_crash_says_how_to_clear_it_and_force_goes_ahead(generated: Path) -> None:
    lock = generated / "~$lf-evaluation.docx"
    lock.write_bytes(b"\x0bWord owner file")
    old = (generated / "self-evaluation.docx").stat().st_mtime - 3600
    os.utime(lock, (old, old))  # Word made the lock, then saved the document, then crashed
    result = run_cli("generate", "--inputs", str(INPUTS), "--out", str(generated))
    assert result.code == 3, result.output
    message = " ".join(result.stderr.split())
    assert "If Word is not running (a crash leaves the lock file behind), delete ~$lf-evaluation.docx" in message
    assert "--force" in message
    forced = run_cli("generate", "--inputs", str(INPUTS), "--out", str(generated), "--force")
    assert forced.code == 0, forced.output


def test_outputs_and_the_tracker_follow_the_users_umask(tmp_path: Path) -> None:
    import shutil

    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    out = tmp_path / "outputs"
    previous = os.umask(0o022)
    try:
        assert run_cli("generate", "--inputs", str(inputs), "--out", str(out)).code == 0
        assert run_cli("plan", "export", "--inputs", str(inputs)).code == 0
    finally:
        os.umask(previous)
    for path in [*out.glob("*.docx"), inputs / "improvement-plan-tracker.xlsx"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name
