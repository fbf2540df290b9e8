"""Hostile inputs that are small on disk, and a way to run the real CLI on them under hard limits.

Each bomb is built at test time in a few hundred milliseconds; ``run_limited`` runs selfeval in a
child process with ``RLIMIT_AS`` (address space) and a wall-clock timeout, so a regression shows as
a killed child or a timeout, never as a test machine swapping."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

MEMORY_LIMIT = 500 * 1024 * 1024
TIME_LIMIT = 15.0


@dataclass
class Limited:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_limited(*args: str, cwd: Path | None = None, memory: int = MEMORY_LIMIT, seconds: float = TIME_LIMIT) -> Limited:
    """``python -m selfeval ARGS`` with at most ``memory`` bytes of address space and ``seconds`` of wall time."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("COLUMNS", "200")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "selfeval", *args], cwd=cwd or REPO, env=env, capture_output=True, text=True,
        timeout=seconds, preexec_fn=limit,
    )
    return Limited(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)


def rewrite_zip(source: Path, target: Path, changes: dict[str, bytes], *, level: int = 6) -> Path:
    """A copy of the zip ``source`` with some parts replaced or added."""
    with zipfile.ZipFile(source) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts.update(changes)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return target


def read_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def big_sheet_xml(megabytes: int) -> bytes:
    """A valid worksheet of about ``megabytes`` MB that compresses only ~20 times (under any ratio check)."""
    import random

    rng = random.Random(13)
    rows = []
    size = 0
    r = 1
    while size < megabytes * 1024 * 1024:
        row = f'<row r="{r}"><c r="A{r}"><v>{rng.random():.12f}</v></c><c r="B{r}"><v>{rng.randint(0, 10**9)}</v></c></row>'
        rows.append(row)
        size += len(row)
        r += 1
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    ).encode()
