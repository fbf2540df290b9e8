"""A performance lead writes the documents to the team's shared drive: colleagues must be able to
open them. Every file selfeval writes gets the permissions the user's umask gives new files (0644
under the usual 022), not the owner-only 0600 of a temporary file; a file it replaces keeps its own."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import INPUTS


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def umask_022() -> Iterator[None]:
    from selfeval.write import atomic

    atomic._umask.cache_clear()
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)
        atomic._umask.cache_clear()


def test_generated_documents_and_the_manifest_are_0644_under_umask_022(umask_022, tmp_path):
    from selfeval.commands import generate

    out = tmp_path / "outputs"
    result = generate.generate(inputs=INPUTS, out=out, today=dt.date(2026, 3, 2))
    assert result.written
    for path in [*result.written, out / ".selfeval-manifest.json"]:
        assert mode(path) == 0o644, path.name


def test_init_import_and_the_tracker_respect_the_umask_too(umask_022, tmp_path):
    from selfeval.commands import init, plan

    folder = tmp_path / "council"
    init.init(folder)
    made = [p for p in folder.rglob("*") if p.is_file()]
    assert made and all(mode(p) == 0o644 for p in made), [(p.name, oct(mode(p))) for p in made]

    plan.export(INPUTS, tmp_path / "tracker.xlsx", today=dt.date(2026, 3, 2))
    assert mode(tmp_path / "tracker.xlsx") == 0o644


def test_a_stricter_umask_is_respected_and_a_replaced_file_keeps_its_permissions(tmp_path):
    from selfeval.write import atomic

    atomic._umask.cache_clear()
    previous = os.umask(0o077)
    try:
        private = tmp_path / "private.txt"
        atomic.atomic_write(private, "only me")
        assert mode(private) == 0o600
        private.chmod(0o640)
        atomic.atomic_write(private, "still only my group")
        assert mode(private) == 0o640 and private.read_text() == "still only my group"
    finally:
        os.umask(previous)
        atomic._umask.cache_clear()


def test_the_findings_file_from_import_is_readable_by_colleagues(umask_022, tmp_path):
    from selfeval.commands.import_report import _write_atomically

    target = tmp_path / "inputs" / "findings" / "lambeth-2026-01.yaml"
    _write_atomically(target, "local_authority: Lambeth\n")
    assert mode(target) == 0o644 and target.read_text(encoding="utf-8") == "local_authority: Lambeth\n"
