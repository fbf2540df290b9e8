"""A pack's documents are written together: each atomically, as ever, but noted in the manifest
twice for the pack (as about to be written, then as written) rather than twice for each document,
so a run waits on the disk five times, not nine (on a council's network drive, each wait is long).
Whatever stops the run part-way, every document is either the old one or selfeval's new one, and
the next run knows which: nothing a person wrote is ever taken for selfeval's, or lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval.errors import OutputError
from selfeval.write import output
from selfeval.write.output import OutputFolder, Planned

PACK = ["self-evaluation.docx", "improvement-plan.docx", "board-summary.docx"]


def _pack(version: str) -> list[Planned]:
    return [Planned(name, f"{name} {version}".encode(), force=False, record={"controls": {}, "paragraphs": []}) for name in PACK]


def test_a_pack_is_noted_in_the_manifest_twice_not_twice_a_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = OutputFolder(tmp_path)
    saves: list[dict[str, object]] = []
    real = folder._save_manifest

    def counted() -> None:
        saves.append({"pending": sorted(folder.pending), "files": sorted(folder.manifest)})
        real()

    monkeypatch.setattr(folder, "_save_manifest", counted)
    written = folder.write_all(_pack("one"))
    assert [w.path.name for w in written] == PACK
    assert saves == [{"pending": sorted(PACK), "files": []}, {"pending": [], "files": sorted(PACK)}]
    again = OutputFolder(tmp_path)
    assert all(not again.edited(tmp_path / name) for name in PACK)  # all selfeval's own
    assert again.record(PACK[0]) == {"controls": {}, "paragraphs": []}


def test_a_write_that_fails_part_way_leaves_each_document_old_or_new_and_says_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    OutputFolder(tmp_path).write_all(_pack("one"))
    real = output.atomic_write

    def disk_full_at_the_second(path: Path, data: bytes | str) -> None:
        if path.name == PACK[1]:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", disk_full_at_the_second)
    with pytest.raises(OutputError, match="previous version is intact") as raised:
        OutputFolder(tmp_path).write_all(_pack("two"))
    assert raised.value.location is not None and Path(str(raised.value.location.path)).name == PACK[1]
    monkeypatch.setattr(output, "atomic_write", real)
    assert [(tmp_path / n).read_bytes() for n in PACK] == [b"self-evaluation.docx two", b"improvement-plan.docx one", b"board-summary.docx one"]
    after = OutputFolder(tmp_path)
    assert all(not after.edited(tmp_path / name) for name in PACK)  # the new one and the old ones: all selfeval's


def test_a_run_killed_between_the_documents_is_settled_by_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    OutputFolder(tmp_path).write_all(_pack("one"))
    (tmp_path / PACK[2]).write_bytes(b"a person's own edit")  # an edited copy: it must stay theirs
    real = output.atomic_write

    def killed_at_the_second(path: Path, data: bytes | str) -> None:
        if path.name == PACK[1]:
            raise KeyboardInterrupt  # the run stops here, the manifest still noting all three as pending
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", killed_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        OutputFolder(tmp_path).write_all([p if p.name != PACK[2] else Planned(p.name, p.data, True, p.record) for p in _pack("two")])
    monkeypatch.setattr(output, "atomic_write", real)
    after = OutputFolder(tmp_path)
    assert not after.edited(tmp_path / PACK[0])  # moved in before the stop: known as selfeval's
    assert not after.edited(tmp_path / PACK[1])  # never replaced: still the old, selfeval's
    assert after.edited(tmp_path / PACK[2])  # the person's edit: still theirs
    assert (tmp_path / PACK[2]).read_bytes() == b"a person's own edit"


def test_when_the_manifest_cannot_be_written_nothing_is_and_the_message_names_every_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = OutputFolder(tmp_path)

    def read_only() -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(folder, "_save_manifest", read_only)
    with pytest.raises(OutputError) as raised:
        folder.write_all(_pack("one"))
    assert "self-evaluation.docx, improvement-plan.docx and board-summary.docx were not written" in raised.value.message
    assert "previous versions are intact" in raised.value.message
    assert not any((tmp_path / n).exists() for n in PACK)
