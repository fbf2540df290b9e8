"""Shared helpers: run the real CLI as a user would, and read generated documents back."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# selfeval keeps its shipped templates ready-compiled in the user's cache folder (render/compiled_store):
# the tests keep theirs in a folder of their own, never in the home folder of whoever runs them.
os.environ.setdefault("SELFEVAL_CACHE", tempfile.mkdtemp(prefix="selfeval-tests-cache-"))

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "inputs"
SHARED_REPORTS = REPO.parent / "shared" / "domain" / "reports"


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> CliResult:
    """Run ``python -m selfeval ARGS`` in a subprocess, exactly as a user's shell would."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("COLUMNS", "200")
    proc = subprocess.run(
        [sys.executable, "-m", "selfeval", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def docx_text(path: Path) -> str:
    """All paragraph text of a .docx, body and tables, one paragraph per line."""
    from docx import Document
    from docx.oxml.ns import qn

    from docx_reading import is_contents_entry

    doc = Document(str(path))
    lines = []
    for p in doc.element.body.iter(qn("w:p")):
        if is_contents_entry(p):
            continue  # the contents page repeats the headings; the story reads the body
        lines.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(lines)


@pytest.fixture(scope="session")
def example_outputs(tmp_path_factory) -> Path:
    """The embedded example, generated once for the session through the real CLI."""
    out = tmp_path_factory.mktemp("outputs")
    result = run_cli("generate", "--inputs", str(INPUTS), "--out", str(out))
    assert result.code == 0, result.output
    return out
