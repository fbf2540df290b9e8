"""Read a report file into pages of text lines.

PDF library: **pypdfium2** (Apache-2.0/BSD, Google's PDFium; already a selfeval dependency).
Measured on the seven Ofsted PDFs in shared/domain/reports on the 2-core dev machine, whole-document
text extraction took 20-41 ms per 10-13 page report with pypdfium2 against 1.0-1.4 s with pdfplumber
(pdfminer.six) - about 50x slower, which would miss the "under 1 s for 30 pages" target on its own.
The text is equally usable: reading order is right on these single-column reports, curly
apostrophes and bullet glyphs come through, and the only quirk is PDFium's U+FFFE marker where a
word was hyphenated at a line end, which we turn back into a hyphen. No Java, no network, no
subprocess; pdfplumber/pdfminer would add a pure-Python dependency for no gain in accuracy here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from selfeval.errors import InputError, Location

if TYPE_CHECKING:
    from docx.document import Document as WordDocument


class _TextPage(Protocol):
    """What we use of a PDFium text page (pypdfium2 ships no type information)."""

    def get_charbox(self, index: int, loose: bool = ...) -> tuple[float, float, float, float]: ...

MAX_PAGES = 200
MAX_REPORT_BYTES = 50 * 1024 * 1024
SUPPORTED = (".pdf", ".docx", ".txt", ".md")


@dataclass(frozen=True)
class SourceText:
    """The report as pages of lines, before any cleaning."""

    path: Path
    kind: str  # "pdf" (lines wrap at the page width) or "text" (one paragraph per line/block)
    pages: list[list[str]]
    sha256: str

    @property
    def page_count(self) -> int:
        return len(self.pages)


def read_report(path: Path) -> SourceText:
    where = Location(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(f"cannot import a '{suffix or 'no extension'}' file; use a PDF, .docx, .txt or .md report", where)
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise InputError(
                f"the report is {size / 2**20:.0f} MB; selfeval reads reports of up to {MAX_REPORT_BYTES / 2**20:.0f} MB "
                "(an Ofsted report is well under 5 MB)",
                where,
            )
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read the report: {e.strerror or e}", where) from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        kind, pages = "pdf", _pdf_pages_bounded(data, where)
    elif suffix == ".docx":
        kind, pages = "text", [_docx_lines(path, where)]
    else:
        kind, pages = "text", [_plain_lines(data, where)]
    if not any(line.strip() for page in pages for line in page):
        raise InputError("the report has no text (a scanned PDF needs OCR first)", where)
    return SourceText(path, kind, pages, digest)


def _pdf_pages_bounded(data: bytes, where: Location) -> list[list[str]]:
    """PDFium runs in a child process with a memory cap: a hostile PDF is refused, never fatal."""
    from selfeval.safety.child import TooLarge, run_bounded

    try:
        return run_bounded(_pdf_pages, data, where)
    except TooLarge:
        raise InputError(
            "this PDF is too large to read safely: a page needs more memory or time than any real report "
            "(Ofsted's PDFs are read in well under a second); check that this is the right file",
            where,
        ) from None


def _pdf_pages(data: bytes, where: Location) -> list[list[str]]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        # PDFium reports a password-protected file as a password error.
        reason = "it is encrypted (password protected)" if "password" in str(e).lower() else f"it is not a readable PDF ({e})"
        raise InputError(f"cannot open the report: {reason}", where) from None
    try:
        if len(doc) > MAX_PAGES:
            raise InputError(
                f"the report has {len(doc)} pages; selfeval reads reports of up to {MAX_PAGES} pages "
                "(an Ofsted report or letter has far fewer): check that this is the right file",
                where,
            )
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            pages.append(_pdf_lines(text, _paragraph_gaps(textpage, text)))
            textpage.close()
            page.close()
        return pages
    finally:
        doc.close()


PARAGRAPH_GAP = 1.35  # a gap this many times the page's usual line spacing (and its own line height) starts a block


def _paragraph_gaps(textpage: _TextPage, text: str) -> set[int]:
    """Indexes (in the CRLF-split text) of lines with a paragraph-sized vertical gap above them.

    A PDF has no paragraph marks, only positions: Ofsted's paragraphs, bullets and headings are set
    apart by extra space, while lines inside a paragraph (or a wrapped heading) follow at about one
    line spacing. A gap counts when it is clearly more than the page's usual spacing between lines
    and more than the line's own height; only a line directly below the previous one counts (table
    cells side by side do not). Pages with too few lines to know the usual spacing get no gaps.
    """
    rows: list[tuple[int, float, float]] = []  # (line index, bottom, height)
    pos = 0
    for n, line in enumerate(text.split("\r\n")):
        first = pos + (len(line) - len(line.lstrip()))
        pos += len(line) + 2
        if not line.strip():
            continue
        try:
            left, bottom, right, top = textpage.get_charbox(first, loose=True)
        except Exception:  # PDFium cannot place this char: no position for the line
            continue
        rows.append((n, bottom, top - bottom))
    steps = [(n, prev_bottom - bottom, height) for (_, prev_bottom, _), (n, bottom, height) in zip(rows, rows[1:])]
    positive = sorted(step for _, step, _ in steps if step > 0)
    if len(positive) < 5:
        return set()
    usual = positive[len(positive) // 2]
    return {n for n, step, height in steps if step > PARAGRAPH_GAP * usual and step > PARAGRAPH_GAP * height}


def _pdf_lines(text: str, gaps: frozenset[int] | set[int] = frozenset()) -> list[str]:
    # PDFium marks a word hyphenated at a line end with U+FFFE and glues the next line on;
    # restore the hyphen and the line break so the usual line joining applies.
    lines: list[str] = []
    for n, raw in enumerate(text.replace("\r", "").split("\n")):
        if n in gaps and lines and lines[-1]:
            lines.append("")
        lines.extend(_tidy(part) for part in raw.replace("\ufffe", "-\n").split("\n"))
    return lines


def _docx_lines(path: Path, where: Location) -> list[str]:
    import docx

    from selfeval.safety.xlsx_safety import check_ooxml

    # Size and zip-bomb guard before python-docx inflates anything.
    check_ooxml(path, kind="editable Word report (.docx)", required_member="word/document.xml", max_bytes=MAX_REPORT_BYTES)
    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several types for a damaged or non-docx file
        raise InputError(f"cannot open the report as a Word document ({type(e).__name__})", where) from None
    lines: list[str] = []
    for block in _docx_blocks(document):
        lines.extend(block)
        lines.append("")
    return lines


def _docx_blocks(document: WordDocument) -> list[list[str]]:
    """Paragraphs (bullets marked '- ') and table rows (cells tab-separated), in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[list[str]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = _tidy(item.text)
            if text:
                is_list = (item._p.pPr is not None and item._p.pPr.numPr is not None) or "List" in ((item.style.name if item.style else None) or "")
                blocks.append([("- " + text) if is_list and not text.startswith("-") else text])
        elif isinstance(item, Table):
            blocks.append(["\t".join(_tidy(c.text) for c in row.cells) for row in item.rows])
    return blocks


def _plain_lines(data: bytes, where: Location) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return [_tidy(_unmarkdown(line)) for line in text.splitlines()]


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>]+)>")


def _unmarkdown(line: str) -> str:
    """Markdown emphasis, heading marks and links carry no report text."""
    line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
    line = line.replace("**", "").replace("__", "")
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    line = re.sub(r"^\s*[*+]\s+", "- ", line)
    return line


def _tidy(line: str) -> str:
    return re.sub(r"[ \u00a0]+", " ", line).strip(" \u00a0")
