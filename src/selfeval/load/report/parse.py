"""Find the parts of a cleaned report: title, dates, inspectors, judgements, areas for improvement,
sections and paragraphs. Works from the report's own structure and Ofsted's fixed wordings (titles,
judgement areas, grades) - never from a council's name or a particular file.
"""

from __future__ import annotations

import re

from selfeval import reference
from selfeval.load.report.clean import CleanText
from selfeval.load.report.dates import parse_date_ranges
from selfeval.load.report.extraction import (
    Extraction,
    FoundArea,
    FoundJudgement,
    FoundParagraph,
    FoundRef,
    FoundSection,
)
from selfeval.load.report.refs import split_refs
from selfeval.load.report.text import SourceText

APOS = "[’'‘`]"
_FULL_TITLE = re.compile(rf"^(Inspection of (.+?)(?: local authority)? children{APOS}s (?:social care )?services)$", re.I)
_OLD_TITLE = re.compile(rf"^Inspection of children{APOS}s social care services$", re.I)
_VISIT_TITLE = re.compile(rf"^((focus+ed|monitoring) visit (?:to|of) (.+?)(?: local authority)? children{APOS}s services)$", re.I)
_DATES_LINE = re.compile(r"^Inspection dates?\s*:\s*(.+)$", re.I)
_VISIT_DATES = re.compile(r"\bvisit to .*? on ((?:\d{1,2}(?:st|nd|rd|th)?\b[^.]*?)(?:19|20)\d\d)\b", re.I)
_LEAD = re.compile(r"^Lead inspector\s*:\s*(.+)$", re.I)
_HMI_LINE = re.compile(rf"^(?:His|Her) Majesty{APOS}s Inspectors?$", re.I)
_VISIT_INSPECTORS = re.compile(
    rf"(?:Majesty{APOS}s )?Inspectors?(?: for this visit)? (?:were|was|are|is)\s+(.+?)\.(?:\s|$)"
    rf"|carried out by (?:His|Her) Majesty{APOS}s Inspectors? (.+?)\.(?:\s|$)",
    re.I,
)
_TABLE_HEAD = re.compile(r"^Judgements?\s+Grades?$", re.I)
_AFI_HEAD = re.compile(r"^(What needs to improve\b.*|Areas? for priority action\b.*)$", re.I)
_BULLET = re.compile(r"^(?:[◼■▪●•◦‣∙\uf06e\uf0a7\uf0b7\uf0d8\uf0fc–*-]|\d+\))\s*(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_LETTER_END = re.compile(r"^(Ofsted will take the findings|Yours sincerely|Yours faithfully)", re.I)
_GRADES = sorted(
    {s for g in reference.grades().values() for s in g.spellings if len(s) > 2}, key=len, reverse=True
)
_GRADE_ALT = "|".join(re.escape(g) for g in _GRADES)
_HEADING = re.compile(rf"^(?P<area>.+?)(?:\s*:\s*|\s+is\s+|\s+)(?P<grade>{_GRADE_ALT})$", re.I)
_TABLE_GRADE = re.compile(r"\b(Requires improvement to be good|Requires improvement|Outstanding|Good|Inadequate)$")
_SENTENCE_END = re.compile(r"[.!?][’'\")]?$")


def parse(text: CleanText, source: SourceText) -> Extraction:
    ex = Extraction(source_file=source.path.name, sha256=source.sha256, page_count=source.page_count)
    ex.footnotes = list(text.footnotes)
    lines = text.lines
    nonblank = [(i, l) for i, l in enumerate(lines) if l]
    _title(ex, nonblank[:20])
    _meta(ex, lines)
    table_end = _judgements(ex, lines)
    afi_at = _find(lines, _AFI_HEAD.match, start=table_end)
    body_start = _areas(ex, lines, afi_at, text.markers) if afi_at is not None else None
    first_section = _first_heading(lines, table_end, ex)
    _summary(ex, lines, table_end, afi_at if afi_at is not None else first_section)
    _sections(ex, lines, body_start if body_start is not None else (first_section or table_end))
    _check(ex)
    return ex


# -- title, type, council --------------------------------------------------------------------


def _title(ex: Extraction, head: list[tuple[int, str]]) -> None:
    texts = [l for _, l in head]
    for i in range(len(texts)):
        for j in (1, 2, 3):
            candidate = " ".join(texts[i : i + j])
            if m := _FULL_TITLE.match(candidate):
                ex.report_title, ex.local_authority, ex.type = m.group(1), m.group(2).strip(), "full inspection"
                return
            if (m := _VISIT_TITLE.match(candidate)):
                ex.report_title, ex.local_authority = m.group(1), m.group(3).strip()
                ex.type = "monitoring visit" if m.group(2).lower().startswith("monitor") else "focused visit"
                return
            if _OLD_TITLE.match(candidate) and i > 0:
                # 2018 layout: the council's name is the line above the title.
                ex.local_authority = texts[i - 1]
                ex.report_title, ex.type = f"{texts[i - 1]} {candidate}", "full inspection"
                return


# -- dates and inspectors ------------------------------------------------------------------------


def _meta(ex: Extraction, lines: list[str]) -> None:
    for i, line in enumerate(lines[:80]):
        if (m := _DATES_LINE.match(line)) and ex.dates_raw is None:
            ex.dates_raw = m.group(1).strip()
        if (m := _LEAD.match(line)) and ex.lead_inspector_raw is None:
            ex.lead_inspector_raw = m.group(1).strip()
            ex.lead_inspector = re.split(r",", ex.lead_inspector_raw)[0].strip()
    opening = " ".join(l for l in lines[:80] if l)
    if ex.dates_raw is None and (m := _VISIT_DATES.search(opening)):
        ex.dates_raw = m.group(1).strip()
    if ex.dates_raw:
        try:
            ex.date_ranges = parse_date_ranges(ex.dates_raw)
        except ValueError as e:
            ex.warnings.append(f"could not read the inspection dates '{ex.dates_raw}': {e}")
    if m := _VISIT_INSPECTORS.search(opening):
        ex.inspectors = _names(m.group(1) or m.group(2))
    signer = _signer(lines)
    if ex.lead_inspector is None:
        ex.lead_inspector = signer or (ex.inspectors[0] if ex.inspectors else None)
        ex.lead_inspector_raw = ex.lead_inspector
    if ex.lead_inspector and ex.lead_inspector not in ex.inspectors:
        ex.inspectors.insert(0, ex.lead_inspector)
    if ex.type == "full inspection" and ex.date_ranges:
        start, end = ex.date_ranges[0][0], ex.date_ranges[-1][1] or ex.date_ranges[-1][0]
        # A short inspection is one week on site, a standard one two.
        ex.inspection_kind = "standard" if (end - start).days > 7 else "short"
    _theme(ex, opening)
    _letter_date(ex, lines)


def _letter_date(ex: Extraction, lines: list[str]) -> None:
    """A letter is dated on a line of its own above 'Dear ...'; that is its publication date."""
    if ex.type == "full inspection":
        return
    for line in lines[:40]:
        if line.startswith("Dear"):
            return
        if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ (?:19|20)\d\d", line):
            try:
                ranges = parse_date_ranges(line)
            except ValueError:
                continue
            ex.published = ranges[0][0]
            return


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r",\s*|\s+and\s+", text) if n.strip()]


def _signer(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if re.match(r"^Yours (sincerely|faithfully)", line, re.I):
            rest = [l for l in lines[i + 1 : i + 6] if l and not _HMI_LINE.match(l)]
            return rest[0] if rest else None
    return None


def _theme(ex: Extraction, opening: str) -> None:
    if ex.type in ("focused visit", "monitoring visit"):
        m = re.search(r"Inspectors (?:looked at|evaluated|reviewed) (the local authority.s (?:arrangements|progress) [^.]+)\.", opening, re.I)
        if m:
            theme = m.group(1)
            ex.theme = theme[0].upper() + theme[1:]


# -- judgements ----------------------------------------------------------------------------------


def _judgements(ex: Extraction, lines: list[str]) -> int:
    """Parse the judgement table; returns the index of the first line after it."""
    head = _find(lines, lambda l: _TABLE_HEAD.match(l.replace("\t", " ")), start=0, stop=120)
    if head is None:
        return _after_opening(lines)
    i, label = head + 1, []
    while i < len(lines) and len(ex.judgements) < 6:
        line = lines[i].replace("\t", " ").strip()
        if not line:
            i += 1
            continue
        m = _TABLE_GRADE.search(line)
        if m:
            label.append(line[: m.start()].strip())
            _add_judgement(ex, " ".join(p for p in label if p), m.group(1))
            label, i = [], i + 1
            continue
        if _SENTENCE_END.search(line) or len(label) >= 3:
            break
        label.append(line)
        i += 1
    return i - len(label) if label else i


def _add_judgement(ex: Extraction, label: str, grade: str) -> None:
    area = reference.area_for_title(label) or _area_by_words(label)
    g = reference.grade_for(grade)
    if area is None:
        ex.warnings.append(f"judgement '{label}' is not an ILACS judgement area; left out")
    ex.judgements.append(FoundJudgement(label, grade, area, g.id if g else None))


def _area_by_words(label: str) -> str | None:
    """A judgement label Ofsted misprinted ('children care leavers') still names one area."""
    text = label.lower()
    if not re.match(r"^(the experiences and progress|the impact of leaders|overall effectiveness)", text):
        return None
    if "leaders" in text:
        return "impact_of_leaders"
    if "overall" in text:
        return "overall_effectiveness"
    if "help and protection" in text:
        return "help_and_protection"
    in_care = "in care" in text or "looked after" in text
    if "care leavers" in text:
        return "children_in_care_and_care_leavers" if " and care leavers" in text and in_care else "care_leavers"
    return "children_in_care" if in_care else None


def _after_opening(lines: list[str]) -> int:
    for i, line in enumerate(lines[:120]):
        if _DATES_LINE.match(line) or _LEAD.match(line) or _HMI_LINE.match(line):
            continue
        if re.match(r"^(Dear|This letter summarises)", line):
            return i
    return 0


# -- areas for improvement -----------------------------------------------------------------------


def _areas(ex: Extraction, lines: list[str], at: int, markers: dict[int, str]) -> int:
    ex.afi_heading_raw = lines[at] + markers.get(at, "")
    priority = lines[at].lower().startswith("area")
    items: list[str] = []
    i = at + 1
    while i < len(lines):
        line = lines[i]
        if line and (_section_heading(lines, i) or _letter_heading(lines, i) or _AFI_HEAD.match(line)):
            if _AFI_HEAD.match(line):
                priority = line.lower().startswith("area")
                i += 1
                continue
            break
        if not line:
            i += 1
            continue
        if m := _BULLET.match(line):
            items.append(line[m.end():])
            ex.areas.append(FoundArea("", "", priority=priority))
        elif items:
            items[-1] = _join(items[-1], line)
        i += 1
    for area, text in zip(ex.areas, items):
        area.text = text.strip()
        without, refs = split_refs(area.text)
        area.text_without_refs = without
        area.refs = [FoundRef(r.ref, r.raw) for r in refs]
        for r in refs:
            if r.ref is None:
                ex.warnings.append(f"framework reference {r.raw} is not in the National Framework; kept as printed")
    return i


def _join(text: str, line: str) -> str:
    # A line-end hyphen is a hyphenated word split by the line break, joined without a space.
    if text.endswith("-") and not text.endswith(" -") and line[:1].isalpha():
        return text + line
    return f"{text} {line}" if text else line


# -- summary, sections, paragraphs ---------------------------------------------------------------


def _first_heading(lines: list[str], start: int, ex: Extraction) -> int | None:
    for i in range(start, len(lines)):
        if lines[i] and (_section_heading(lines, i) or (ex.type != "full inspection" and _letter_heading(lines, i))):
            return i
    return None


def _summary(ex: Extraction, lines: list[str], start: int, stop: int | None) -> None:
    region = lines[start: stop if stop is not None else start]
    if ex.type != "full inspection":
        # A letter opens with its address block and framing; its overview is the summary.
        over = _find(region, lambda l: l.lower() == "overview")
        region = region[over + 1:] if over is not None else []
    ex.summary = _paragraphs(region)


def _paragraphs(region: list[str]) -> list[str]:
    """Unnumbered paragraphs: blank lines separate them, unless the text plainly runs on
    (no sentence end before, lower-case start after: a page break inside a paragraph)."""
    paras: list[str] = []
    current = ""
    broke = False
    for line in region:
        if not line:
            broke = bool(current) or broke
            continue
        if broke and current and not (line[:1].islower() and not _SENTENCE_END.search(current)):
            paras.append(current)
            current = ""
        current = _join(current, line)
        broke = False
    if current:
        paras.append(current)
    return paras


def _sections(ex: Extraction, lines: list[str], start: int) -> None:
    i = start
    heading_at: list[tuple[int, int, FoundSection]] = []
    while i < len(lines):
        line = lines[i]
        if line and _LETTER_END.match(line):
            break
        if line and (found := _section_heading(lines, i)):
            section, used = found
            heading_at.append((i, i + used, section))
            i += used
            continue
        if line and ex.type != "full inspection" and _letter_heading(lines, i):
            heading_at.append((i, i + 1, FoundSection(line)))
        i += 1
    end_at = i
    for n, (_, body_start, section) in enumerate(heading_at):
        body_end = heading_at[n + 1][0] if n + 1 < len(heading_at) else end_at
        _fill(ex, section, lines[body_start:body_end])
        ex.sections.append(section)


def _fill(ex: Extraction, section: FoundSection, region: list[str]) -> None:
    numbered = any(_NUMBERED.match(l) for l in region)
    if not numbered:
        section.paragraphs = [FoundParagraph(None, p) for p in _paragraphs(region)]
        return
    last = max([p.number for s in ex.sections for p in s.paragraphs if p.number] or [0])
    current: FoundParagraph | None = None
    for line in region:
        if not line:
            continue
        m = _NUMBERED.match(line)
        number = int(m.group(1)) if m else None
        # A number starts a paragraph if it continues the count (or restarts it at a section
        # start, as a misnumbered report may); otherwise it is text that begins with a number.
        if m and (number == last + 1 or (current is None and number <= last + 1)):
            current = FoundParagraph(number, m.group(2))
            section.paragraphs.append(current)
            last = number
        elif current is not None:
            current.text = _join(current.text, line)
        else:
            ex.warnings.append(f"text before the first numbered paragraph under '{section.heading}' was left out: '{line[:60]}'")


def _section_heading(lines: list[str], i: int) -> tuple[FoundSection, int] | None:
    """A judgement-area heading with its grade, on one line or wrapped over two."""
    for used in (1, 2):
        if i + used > len(lines) or not all(lines[i : i + used]):
            return None
        text = " ".join(lines[i : i + used])
        if _NUMBERED.match(text) or len(text) > 160:
            return None
        m = _HEADING.match(text)
        if m:
            area = reference.area_for_title(m.group("area")) or _area_by_words(m.group("area"))
            grade = reference.grade_for(m.group("grade"))
            if area and grade and area != "overall_effectiveness":
                return FoundSection(text, area, grade.id), used
    return None


def _letter_heading(lines: list[str], i: int) -> bool:
    """A short stand-alone line in a letter ('Main findings'): not a sentence, paragraph break before."""
    line = lines[i]
    if len(line.split()) > 8 or _SENTENCE_END.search(line) and not line.endswith("?") or not line[:1].isupper():
        return False
    if _BULLET.match(line) or _NUMBERED.match(line) or line.endswith((",", ";")):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = next((l for l in lines[i + 1 :] if l), "")
    return (not before or bool(_SENTENCE_END.search(before))) and after[:1].isupper() and not _HMI_LINE.match(line)


def _find(lines: list[str], pred, start: int = 0, stop: int | None = None) -> int | None:
    for i in range(start, min(len(lines), stop if stop is not None else len(lines))):
        if lines[i] and pred(lines[i]):
            return i
    return None


# -- what is missing -----------------------------------------------------------------------------


def _check(ex: Extraction) -> None:
    missing = []
    if not ex.local_authority:
        missing.append("the local authority (no report title found)")
    if not ex.type:
        missing.append("the engagement type")
    if not ex.date_ranges:
        missing.append("the inspection dates")
    if not ex.lead_inspector:
        missing.append("the lead inspector")
    if ex.type == "full inspection":
        if not ex.judgements:
            missing.append("the judgements table")
        if not ex.sections:
            missing.append("the judgement sections and their paragraphs")
    if ex.afi_heading_raw is None:
        missing.append("the areas for improvement ('What needs to improve')")
    elif not ex.areas:
        missing.append("any area for improvement under '" + ex.afi_heading_raw + "'")
    for what in missing:
        ex.warnings.append(f"could not find {what}")
    for section in ex.sections:
        if not section.paragraphs:
            ex.warnings.append(f"no paragraphs found under '{section.heading}'")
