"""Word documents to tagged PDF through LibreOffice, for publishing board papers.

Councils must publish accessible documents, so the PDF is *tagged* (headings, tables and alt text
survive for screen readers). LibreOffice runs headless with a private profile in a scratch folder,
so it neither disturbs nor waits for a LibreOffice the user has open. The PDFs are made from the
.docx files as written and go through the same never-overwrite rules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from selfeval.errors import SelfevalError

PACKAGE = "libreoffice-writer-nogui"
# LibreOffice 7.4 and later read export options as JSON: tagged PDF, and the document title in the
# window bar (the title is set in the .docx's properties).
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},"DisplayPDFDocumentTitle":{"type":"boolean","value":"true"}}'
TIMEOUT_SECONDS = 300
_ELSEWHERE = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class PdfError(SelfevalError):
    """PDFs were asked for but cannot be made here."""


def find_soffice() -> str | None:
    """LibreOffice's command: $SELFEVAL_SOFFICE, then soffice/libreoffice on the PATH, then the usual install places."""
    chosen = os.environ.get("SELFEVAL_SOFFICE")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _ELSEWHERE if Path(p).is_file()), None)


def require_soffice() -> str:
    found = find_soffice()
    if found is None:
        raise PdfError(
            "--pdf needs LibreOffice to turn the documents into PDF, and it is not installed here. Install it "
            f"(on Debian or Ubuntu: sudo apt-get install {PACKAGE}; elsewhere from libreoffice.org, or set "
            "SELFEVAL_SOFFICE to its soffice program), or run without --pdf. Nothing was written."
        )
    return found


def to_pdf(documents: list[tuple[str, bytes]], scratch: Path, *, soffice: str | None = None) -> list[tuple[str, bytes]]:
    """('self-evaluation.docx', data) -> ('self-evaluation.pdf', pdf data), all in one LibreOffice run."""
    program = soffice or require_soffice()
    work = scratch / "pdf"
    source, out, profile = work / "docx", work / "out", work / "profile"
    for folder in (source, out, profile):
        folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in documents:
        path = source / name
        path.write_bytes(data)
        paths.append(path)
    command = [
        program, "--headless", "--norestore", f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to", PDF_FILTER, "--outdir", str(out), *map(str, paths),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise PdfError(f"LibreOffice did not finish making the PDFs within {TIMEOUT_SECONDS // 60} minutes; the .docx files were written, no PDF was") from None
    except OSError as e:
        raise PdfError(f"LibreOffice could not be started ({e.strerror}); the .docx files were written, no PDF was") from None
    results = []
    for path in paths:
        pdf = out / (path.stem + ".pdf")
        if not pdf.is_file() or pdf.stat().st_size == 0:
            said = (done.stderr or done.stdout or "").strip().splitlines()
            detail = f" (LibreOffice said: {said[-1]})" if said else ""
            raise PdfError(f"LibreOffice did not make a PDF of {path.name}{detail}; the .docx files were written, no PDF was")
        results.append((path.stem + ".pdf", pdf.read_bytes()))
    return results
