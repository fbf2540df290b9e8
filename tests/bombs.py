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


def deflate_bomb(chunk: bytes, copies: int) -> bytes:
    """A zlib stream of ``chunk`` repeated ``copies`` times, built in about a second whatever its size.

    After a full flush the compressor starts afresh, so every later copy compresses to the same
    bytes: compress twice, repeat the second block, and close with an empty final block and the
    Adler-32 of the whole."""
    import zlib

    c = zlib.compressobj(9)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(copies):
        adler = zlib.adler32(chunk, adler)
    return first + again * (copies - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def pdf_bomb(path: Path, megabytes: int) -> Path:
    """A one-page PDF (about 2 MB) whose content stream inflates to ``megabytes`` MB."""
    chunk = b"BT /F1 12 Tf 72 720 Td (AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj ET\n" * 16000
    stream = deflate_bomb(chunk, megabytes * 1024 * 1024 // len(chunk))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)
    return path
