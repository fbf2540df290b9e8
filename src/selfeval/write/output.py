"""Write generated files without ever losing a person's work.

* Every write is atomic (``selfeval.write.atomic``): a temporary file in the same folder, flushed,
  then renamed over the target, with the permissions the user's umask gives.
* ``.selfeval-manifest.json`` records the SHA-256 of each file selfeval wrote, and for each Word
  document what it put in each content control and a digest of each generated paragraph. If a file
  no longer matches, someone edited it: ``keep_previous`` keeps it, untouched, as
  ``previous/<name> <date>.docx`` (never over another file) before the new draft takes its name.
* The manifest notes each file as *pending* (its hash and record) before the file is moved into
  place, and as written after. A run killed between the two leaves a pending note that matches the
  file on disk, so the next run knows the file is selfeval's own, not a person's edit.
* A Word lock file (``~$...``) means the document is open; we stop and say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval.errors import Location, OutputError
from selfeval.wording import join_and
from selfeval.write.atomic import atomic_write

__all__ = ["MANIFEST", "PREVIOUS", "OutputFolder", "Planned", "Written", "atomic_write", "sha256"]

MANIFEST = ".selfeval-manifest.json"
PREVIOUS = "previous"


@dataclass(frozen=True)
class Planned:
    """A file to write: its name in the folder, its bytes, whether it may replace a person's edited
    copy (``--force``), and what the manifest records of it (Word documents)."""

    name: str
    data: bytes
    force: bool
    record: dict[str, Any] | None = None


@dataclass
class Written:
    """A file written to the output folder: where it went, and where it was meant to go."""

    path: Path
    intended: Path
    note: str | None = None  # why it went elsewhere


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_TEMPORARY = re.compile(r"^\..+\.(?:docx|xlsx|json)\.[a-z0-9_]{8}\.tmp$")  # what atomic_write's mkstemp names


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files left by a selfeval run that was killed mid-write (``.NAME.xxxx.tmp``)."""
    try:
        for leftover in folder.glob(".*.tmp"):
            if _TEMPORARY.match(leftover.name) and leftover.is_file():
                leftover.unlink(missing_ok=True)
    except OSError:
        pass


def _copy_new(source: Path, target: Path) -> None:
    """Copy bytes to a file that must not exist yet ('x' mode); a partial copy is removed."""
    with source.open("rb") as src, target.open("xb") as dst:  # FileExistsError: nothing was created
        try:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    shutil.copystat(source, target)


def word_lock_files(path: Path) -> list[Path]:
    # Word names its owner file "~$" + the name, dropping leading characters of long names.
    names = {f"~${path.name}", f"~${path.name[1:]}", f"~${path.name[2:]}"}
    return [path.parent / n for n in names if (path.parent / n).exists()]


def _stale(lock: Path, document: Path) -> bool:
    """A lock file older than the document: left by a crash, since Word saved the document after making it."""
    try:
        return lock.stat().st_mtime < document.stat().st_mtime
    except OSError:
        return False


class OutputFolder:
    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest_path = folder / MANIFEST
        self.manifest: dict[str, str] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, dict[str, Any]] = {}  # about to be moved into place: {"sha256", "record"}
        self._read_manifest()
        self._settle_pending()

    def _read_manifest(self) -> None:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            self.manifest = {str(k): str(v) for k, v in data.get("files", {}).items()}
            documents = data.get("documents", {})
            self.records = {str(k): v for k, v in documents.items() if isinstance(v, dict)} if isinstance(documents, dict) else {}
            pending = data.get("pending", {})
            self.pending = {str(k): v for k, v in pending.items() if isinstance(v, dict)} if isinstance(pending, dict) else {}
        except (OSError, ValueError, AttributeError):
            self.manifest, self.records, self.pending = {}, {}, {}

    def _settle_pending(self) -> None:
        """A run killed after moving a file into place but before noting it as written: if the file
        on disk is the one it was about to write, it is selfeval's own (with that record)."""
        for name, note in self.pending.items():
            target = self.folder / name
            try:
                matches = target.is_file() and sha256(target.read_bytes()) == note.get("sha256")
            except OSError:
                matches = False
            if matches:
                self.manifest[name] = str(note["sha256"])
                record = note.get("record")
                if isinstance(record, dict):
                    self.records[name] = record
                else:
                    self.records.pop(name, None)
        self.pending = {}

    def record(self, name: str) -> dict[str, Any] | None:
        """What selfeval noted about the document it last wrote under ``name`` (controls, paragraphs)."""
        return self.records.get(name)

    def check_writable(self, names: list[str], *, force: bool) -> None:
        """Fail before anything is written if a target is open in Word."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(f"cannot create the output folder ({e.strerror})", Location(self.folder)) from None
        for name in names:
            target = self.folder / name
            locks = [lock for lock in word_lock_files(target) if not (force and _stale(lock, target))]
            if locks:
                raise OutputError(
                    f"this document is open in Word (its lock file {locks[0].name} is present); close it and run selfeval "
                    f"again. If Word is not running (a crash leaves the lock file behind), delete {locks[0].name}, or run "
                    "again with --force, which goes ahead when the lock file is older than the document. Nothing was written.",
                    Location(target),
                )
        if not os.access(self.folder, os.W_OK):
            raise OutputError("the output folder is not writable", Location(self.folder))
        remove_stale_temporaries(self.folder)

    def edited(self, target: Path) -> bool:
        if not target.exists():
            return False
        recorded = self.manifest.get(target.name)
        if recorded is None:
            return True  # not written by selfeval (or the manifest was lost): treat as someone's work
        return sha256(target.read_bytes()) != recorded

    def keep_previous(self, path: Path, today: dt.date) -> Path:
        """Keep a person's edited ``path``, byte for byte, as ``previous/<name> <date>.docx``, never
        over an existing file (a second edit the same day gets ``(2)``).

        The copy is a hard link (a byte copy where links are not supported), made *before* the new
        draft replaces ``path``: a run killed in between leaves the person's file in both places,
        never in neither."""
        folder = self.folder / PREVIOUS
        try:
            folder.mkdir(parents=True, exist_ok=True)
            n = 1
            while True:
                suffix = f" ({n})" if n > 1 else ""
                candidate = folder / f"{path.stem} {today.isoformat()}{suffix}{path.suffix}"
                try:
                    os.link(path, candidate)  # fails if the name is taken: nothing is ever overwritten
                    return candidate
                except FileExistsError:
                    n += 1
                except OSError:  # a file system without hard links
                    if candidate.exists():
                        n += 1
                        continue
                    _copy_new(path, candidate)
                    return candidate
        except OSError as e:
            raise OutputError(
                f"could not keep your edited copy in {PREVIOUS}/ ({e.strerror}); nothing was written and your file is untouched",
                Location(path),
            ) from None

    def write(self, name: str, data: bytes, *, force: bool, record: dict[str, Any] | None = None) -> Written:
        return self.write_all([Planned(name, data, force, record)])[0]

    def write_all(self, files: list[Planned]) -> list[Written]:
        """Write each file as :meth:`write` would, noting them in the manifest together: all as
        pending before the first is moved into place, all as written after the last (two saves of
        the manifest for a pack, not two for each file, so a pack waits on the disk five times, not nine)."""
        chosen: list[tuple[Planned, Path, str | None, str]] = []
        for planned in files:
            intended = self.folder / planned.name
            target, note = intended, None
            if not planned.force and self.edited(intended):
                target = self._next_free(intended)
                note = (
                    f"{intended.name} was changed since selfeval wrote it, so it was kept; the new version is "
                    f"{target.name} (use --force to overwrite)"
                )
            chosen.append((planned, target, note, sha256(planned.data)))
        # Noted before the moves, so a kill between never makes selfeval's own file look edited.
        for planned, target, _note, digest in chosen:
            self.pending[target.name] = {"sha256": digest, "record": planned.record}
        self._save_manifest_or_say([c[1] for c in chosen], written=False)
        written: list[Written] = []
        try:
            for planned, target, note, digest in chosen:
                try:
                    atomic_write(target, planned.data)
                except OSError as e:
                    raise OutputError(f"could not write the file ({e.strerror}); the previous version is intact", Location(target)) from None
                self.pending.pop(target.name, None)
                self.manifest[target.name] = digest
                if planned.record is not None:
                    self.records[target.name] = planned.record
                else:
                    self.records.pop(target.name, None)
                written.append(Written(target, self.folder / planned.name, note))
        except OutputError:
            for _planned, target, _note, _digest in chosen:
                self.pending.pop(target.name, None)
            if written:
                try:  # what was written is noted as written; if even that fails, the pending notes say it
                    self._save_manifest()
                except OSError:
                    pass
            raise
        self._save_manifest_or_say([w.path for w in written], written=True)
        return written

    def _save_manifest_or_say(self, targets: list[Path], *, written: bool) -> None:
        names = join_and([t.name for t in targets])
        try:
            self._save_manifest()
        except OSError as e:
            if not written:
                raise OutputError(
                    f"could not update {MANIFEST} ({e.strerror}), so {names} {'was' if len(targets) == 1 else 'were'} not "
                    f"written; the previous {'version is' if len(targets) == 1 else 'versions are'} intact",
                    Location(self.manifest_path),
                ) from None
            raise OutputError(
                f"{names} {'was' if len(targets) == 1 else 'were'} written, but selfeval could not record "
                f"{'it' if len(targets) == 1 else 'them'} in {MANIFEST} ({e.strerror}); "
                "until that file can be written, selfeval will treat its own outputs as edited and keep them",
                Location(self.manifest_path),
            ) from None

    def _next_free(self, path: Path) -> Path:
        """The first '-N' name that is free, or that holds an unedited earlier selfeval output."""
        n = 2
        while True:
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
            if not candidate.exists() or not self.edited(candidate):
                return candidate
            n += 1

    def _save_manifest(self) -> None:
        payload: dict[str, Any] = {"generator": "selfeval", "files": dict(sorted(self.manifest.items()))}
        if self.records:
            payload["documents"] = dict(sorted(self.records.items()))
        if self.pending:
            payload["pending"] = dict(sorted(self.pending.items()))
        # Compact: the C encoder is ten times faster than indenting, and the manifest is saved twice per file.
        atomic_write(self.manifest_path, (json.dumps(payload, separators=(",", ":")) + "\n").encode("utf-8"))
