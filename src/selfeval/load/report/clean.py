"""Strip what is not report text: running headers and footers, page numbers, footnotes and the
closing Ofsted boilerplate; then flatten the pages into one list of lines.

Headers and footers are found by repetition rather than by wording (Ofsted has changed them over
the years): a line near the top or bottom of a page whose shape (digits ignored) recurs on many
pages is furniture, not text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from selfeval.load.report.text import SourceText

EDGE = 3  # lines at each end of a page that may be a header or footer
BOILERPLATE_START = re.compile(r"^The Office for Standards in Education, Children.s Services and Skills")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_TEXT = re.compile(rf"^(?:([1-9]\d?) |([{_SUPERSCRIPTS}])\s*)(\S.*)$")
_LONE_MARKER = re.compile(r"^[1-9]\d?$")
_MARKER_AFTER_HEADING = re.compile(rf"^(.{{3,80}}?[?:a-z])([1-9]|[{_SUPERSCRIPTS}])$")


@dataclass
class CleanText:
    lines: list[str]  # "" marks a (probable) paragraph break
    footnotes: list[str] = field(default_factory=list)
    markers: dict[int, str] = field(default_factory=dict)  # line index -> footnote marker cut from that line


def clean(source: SourceText) -> CleanText:
    pages = [list(p) for p in source.pages]
    if source.kind == "pdf":
        pages = _drop_furniture(pages)
    footnotes: list[str] = []
    markers: dict[int, str] = {}
    lines: list[str] = []
    for page in pages:
        body, notes = _split_footnotes(page, source.kind)
        footnotes.extend(notes)
        if source.kind == "pdf":
            body = _mark_paragraph_ends(body)
        for line in body:
            line, marker = _cut_marker(line)
            if marker:
                markers[len(lines)] = marker
            last = _last_text_index(lines)
            if _LONE_MARKER.match(line) and last is not None and last not in markers and _is_heading_like(lines[last]):
                markers[last] = line  # a superscript PDFium put on its own line
                continue
            lines.append(line)
    return CleanText(_drop_boilerplate(lines), footnotes, markers)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _drop_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Running headers and footers off each page; blank lines (paragraph gaps) inside the page stay."""
    text_pages = [[l for l in p if l.strip()] for p in pages]
    counts: Counter[str] = Counter()
    for page in text_pages:
        edge = {_shape(l) for l in page[:EDGE] + page[-EDGE:]}
        counts.update(edge)
    enough = max(2, (len(pages) + 1) // 2)
    furniture = {s for s, n in counts.items() if n >= enough and s}

    def is_furniture(line: str) -> bool:
        return _shape(line) in furniture or line.strip().isdigit()

    out = []
    for page in pages:
        page = _strip_blank_ends(page)
        top, bottom, seen = 0, len(page), 0
        while top < bottom and seen < EDGE and (not page[top].strip() or is_furniture(page[top])):
            seen += bool(page[top].strip())
            top += 1
        seen = 0
        while bottom > top and seen < EDGE and (not page[bottom - 1].strip() or is_furniture(page[bottom - 1])):
            seen += bool(page[bottom - 1].strip())
            bottom -= 1
        out.append(_strip_blank_ends(page[top:bottom]))
    return out


def _strip_blank_ends(page: list[str]) -> list[str]:
    start, end = 0, len(page)
    while start < end and not page[start].strip():
        start += 1
    while end > start and not page[end - 1].strip():
        end -= 1
    return page[start:end]


def _split_footnotes(page: list[str], kind: str) -> tuple[list[str], list[str]]:
    """Footnote text at the foot of a page: from a line starting with its marker to the page end.

    Only a block that runs to the end of the page counts, and it must not contain a numbered
    paragraph, so body text that happens to start with a number is left alone. In plain text a
    footnote is one line that starts with a superscript marker.
    """
    if kind != "pdf":
        keep, notes = [], []
        for line in page:
            m = _FOOTNOTE_TEXT.match(line)
            if m and m.group(2):
                notes.append(m.group(3).strip())
            else:
                keep.append(line)
        return keep, notes
    for i, line in enumerate(page):
        m = _FOOTNOTE_TEXT.match(line)
        if not m or not m.group(1):
            continue
        rest = [r for r in page[i + 1 :] if r.strip()]
        if len(rest) <= 6 and not any(re.match(r"^\d+\.\s", r) for r in rest) and _looks_like_note(m.group(3)):
            return page[:i], [" ".join([m.group(3)] + [r.strip() for r in rest]).strip()]
    return page, []


def _looks_like_note(text: str) -> bool:
    return text[:1].isupper() and len(text) > 20


def _cut_marker(line: str) -> tuple[str, str | None]:
    """'What needs to improve?1' -> ('What needs to improve?', '1')."""
    m = _MARKER_AFTER_HEADING.match(line)
    if m and _is_heading_like(m.group(1)) and (m.group(1).endswith("?") or m.group(2) in _SUPERSCRIPTS):
        return m.group(1), m.group(2)
    return line, None


def _is_heading_like(line: str) -> bool:
    return 0 < len(line) <= 80 and not line.rstrip().endswith((".", ","))


def _last_text_index(lines: list[str]) -> int | None:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i]:
            return i
    return None


def _mark_paragraph_ends(page: list[str]) -> list[str]:
    """PDF text has no blank lines between paragraphs; add one after a short line ending a sentence.

    Numbered paragraphs do not need this (the number starts them); it matters for the summary and
    for visit letters, whose paragraphs are unnumbered.
    """
    widths = sorted(len(l) for l in page if l.strip())
    if not widths:
        return page
    full = widths[max(0, int(len(widths) * 0.9) - 1)]
    out: list[str] = []
    for line in page:
        out.append(line)
        if line and re.search(r"[.!?:][’'\")]?$", line) and len(line) < 0.8 * full:
            out.append("")
    return out


def _drop_boilerplate(lines: list[str]) -> list[str]:
    """The lines before Ofsted's closing boilerplate: from its first line to the end is cut."""
    for i, line in enumerate(lines):
        if BOILERPLATE_START.match(line):
            return lines[:i]
    return lines
