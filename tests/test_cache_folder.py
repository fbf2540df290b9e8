"""The user's cache folder, which every kind of kept entry shares: the newest entries are kept, the
oldest removed; a folder others could write to, or none at all, is never used and never an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from selfeval import cache_folder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_entries_past_the_number_kept_go_oldest_first(cache: Path) -> None:
    for i in range(25):
        cache_folder.write("kind", f"entry-{i:02d}.x", b"%d" % i, keep=20)
        os.utime(cache / "kind" / f"entry-{i:02d}.x", (i, i))  # written one after another
    left = sorted(p.name for p in (cache / "kind").iterdir())
    assert len(left) <= 20
    assert left[-1] == "entry-24.x" and "entry-00.x" not in left
    assert cache_folder.read("kind", "entry-24.x") == b"24"
    assert (cache / "kind").stat().st_mode & 0o777 == 0o700


def test_other_kinds_of_entry_are_not_counted(cache: Path) -> None:
    cache_folder.write("kind", "other.y", b"kept", keep=1)
    for i in range(5):
        cache_folder.write("kind", f"entry-{i}.x", b"x", keep=1)
    assert cache_folder.read("kind", "other.y") == b"kept"


def test_a_folder_others_could_write_to_is_not_read(cache: Path) -> None:
    cache_folder.write("kind", "a.x", b"a", keep=5)
    (cache / "kind").chmod(0o777)
    try:
        assert cache_folder.read("kind", "a.x") is None
        cache_folder.write("kind", "b.x", b"b", keep=5)  # nor written to: quietly
        assert not (cache / "kind" / "b.x").exists()
    finally:
        (cache / "kind").chmod(0o700)


def test_no_folder_at_all_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFEVAL_CACHE", "")
    cache_folder.write("kind", "a.x", b"a", keep=5)
    assert cache_folder.read("kind", "a.x") is None
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "file"))
    cache_folder.write("kind", "a.x", b"a", keep=5)
    assert cache_folder.read("kind", "a.x") is None
