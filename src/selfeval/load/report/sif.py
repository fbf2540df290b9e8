"""Reports of Ofsted's single inspection framework (SIF, November 2013 to early 2018).

A SIF report is one long document: "Inspection of services for children in need of help and
protection, children looked after and care leavers" (and, until 2017, "Review of the effectiveness
of the Local Safeguarding Children Board"), with the council's name above the title. Its first page
lists the judgements:

    The overall judgement is that children's services are inadequate      (2014-2015)
    Children's services in Croydon are inadequate                           (2016-2018)
    1. Children who need help and protection                 Requires improvement
    2. Children looked after and achieving permanence        Inadequate
    2.1 Adoption performance                                 Inadequate
    2.2 Experiences and progress of care leavers             Requires improvement
    3. Leadership, management and governance                 Inadequate

Paragraphs are numbered once through the whole report. The recommendations ("What does the local
authority need to improve?" with "Priority and immediate action" and "Areas for improvement" in
2014-2015; "Recommendations" from 2016; the same for the LSCB) are numbered paragraphs too, and
become the areas for improvement. The SIF template is closed (no SIF report has been written since
2018), so its fixed headings are read by their wording.
"""

from __future__ import annotations

import re

from selfeval import facts
from selfeval.load.report.extraction import Extraction, FoundArea, FoundJudgement, FoundParagraph, FoundSection

APOS = "[’'‘`]"
TITLE = re.compile(
    r"^((?:Re-)?inspection of services for children in need of help and protection,? children looked after and care leavers)\b",
    re.I,
)
_LSCB_REVIEW = re.compile(r"^(?:and )?Review of the effectiveness of the local safeguarding children board", re.I)
_PUBLISHED = re.compile(r"^Report published\s*:\s*(.+)$", re.I)
_GRADE = r"(requires? improvement(?: to be good)?|good|outstanding|inadequate)"
_OVERALL = re.compile(
    rf"(?:overall judgement is(?: that children{APOS}s services)?|children{APOS}s services in .{{2,60}}?)\s+(?:are\s+|is\s+)?{_GRADE}\b",
    re.I,
)
# The judgement list on page 1, read from its lines joined (grades wrap onto the next line).
_ROWS = {
    "help_and_protection": r"1\.\s*Children who need help and protection",
    "children_looked_after": r"2\.\s*Children looked after and achieving permanence",
    "adoption_performance": r"2\.1\.?\s*Adoption performance",
    "care_leavers": r"2\.2\.?\s*(?:The\s+)?Experiences? and progress of care leavers",
    "leadership_management_governance": r"3\.\s*Leadership,? management and governance",
}
_LSCB_GRADE = re.compile(
    rf"(?:effectiveness of the (?:Local Safeguarding Children Board|LSCB)(?: \(LSCB\))?|^The Local Safeguarding Children Board(?: \(LSCB\))?)"
    rf"\s+(?:is\s+|are\s+)?(?:that it is\s+)?{_GRADE}\b",
    re.I | re.M,
)
_HEAD_END = re.compile(r"^(Executive summary|Contents|Summary of findings|The local authority|Section 1\b.*)$", re.I)
_RECS_START = re.compile(r"^(What does the (?:local authority|LSCB) need to improve\?|Recommendations)$", re.I)
_RECS_SUB = re.compile(r"^(Priority and immediate action|Areas for improvement)$", re.I)
# Headings that end a recommendations list (the next part of the SIF template).
_RECS_END = re.compile(
    r"^(The local authority.s strengths|Progress since the last inspection|Summary for children and young people"
    r"|Information about this|Inspection judgements? about|The experiences and progress of|What the inspection judgements mean"
    r"|Executive summary|The local authority$|The Local Safeguarding Children Board|Section \d|Key strengths|Inspection findings)",
    re.I,
)
# Judgement blocks of the body, so each section knows the judgement it belongs to.
_BLOCKS = [
    (re.compile(r"^The experiences and progress of children (?:who need|in need of) help", re.I), "help_and_protection"),
    (re.compile(r"^The experiences and progress of children looked after", re.I), "children_looked_after"),
    (re.compile(r"^The graded judgement (?:for|about) (?:the )?adoption", re.I), "adoption_performance"),
    (re.compile(r"^The graded judgement (?:for|about) (?:the )?(?:experiences? and progress of )?care leavers", re.I), "care_leavers"),
    (re.compile(r"^Leadership, management and(?: governance)?\b", re.I), "leadership_management_governance"),
    (re.compile(r"^(?:The Local Safeguarding Children Board|Section 2\b|What does the LSCB|Inspection judgement about the LSCB)", re.I), "lscb"),
    (re.compile(r"^(?:Information about this inspection|What the inspection judgements mean)", re.I), None),
]


def find_title(head: list[str]) -> int | None:
    """Index in ``head`` of the first line of the SIF title (it may wrap over three lines)."""
    for i in range(len(head)):
        for j in (1, 2, 3):
            if TITLE.match(" ".join(head[i : i + j])):
                return i
    return None


def parse_sif(ex: Extraction, lines: list[str], markers: dict[int, str]) -> None:
    from selfeval.load.report import parse as p

    nonblank = [(i, l) for i, l in enumerate(lines) if l][:30]
    texts = [l for _, l in nonblank]
    t = find_title(texts)
    if t is None:
        return
    title_lines, title_match = next(
        (j, m) for j in (1, 2, 3) if (m := TITLE.match(" ".join(texts[t : t + j]))) is not None
    )
    title = title_match.group(1)
    council = " ".join(texts[max(0, t - 2) : t]).strip()
    after = " ".join(texts[t + title_lines : t + title_lines + 3])
    lscb = bool(re.search(r"Review of the effectiveness of the local safeguarding children board", after, re.I))
    ex.type = "SIF inspection"
    ex.local_authority = council or None
    ex.report_title = f"{council} {title}".strip() + (" and Review of the effectiveness of the Local Safeguarding Children Board" if lscb else "")
    p._meta(ex, lines)
    _published(ex, lines)
    if ex.lead_inspector is None:
        _lead_from_anywhere(ex, lines)
    head_end = _judgement_list(ex, lines, nonblank[t][0], lscb)
    body = _skip_contents(lines, head_end)
    _body(ex, lines, body)


def count_recommendations(lines: list[str]) -> tuple[str | None, int]:
    """(first recommendations heading, number of numbered items under such headings), counted from
    the lines alone, as a cross-check of what ``parse_sif`` read."""
    from selfeval.load.report import parse as p

    heading, count, inside, last = None, 0, False, 0
    for line in lines:
        if not line:
            continue
        m = p._NUMBERED.match(line)
        if m and int(m.group(1)) in (last + 1, 1):
            # (the judgement list on page 1 is numbered 1-3 too; the report's own count restarts at 1)
            last = int(m.group(1))
            count += inside
        elif _RECS_START.match(line) or (_RECS_SUB.match(line) and not inside and heading):
            heading, inside = heading or line, True
        elif inside and _ends_recs(line):
            inside = False
    return heading, count


def _ends_recs(line: str) -> bool:
    # Only a heading-like line: 'section 20 of the Children Act 1989.' inside a paragraph is not one.
    return bool(_RECS_END.match(line)) and line[:1].isupper() and not line.endswith(".")


def _published(ex: Extraction, lines: list[str]) -> None:
    from selfeval.load.report.dates import parse_date_ranges

    for line in lines[:40]:
        if m := _PUBLISHED.match(line):
            try:
                ex.published = parse_date_ranges(m.group(1))[0][0]
            except ValueError:
                ex.warnings.append(f"could not read the publication date '{m.group(1)}'")
            return


def _lead_from_anywhere(ex: Extraction, lines: list[str]) -> None:
    # SIF reports name the lead inspector in 'Information about this inspection', far from the top.
    for line in lines:
        if m := re.match(r"^Lead inspector\s*:\s*(.+)$", line, re.I):
            ex.lead_inspector_raw = m.group(1).strip()
            name = re.split(r",", ex.lead_inspector_raw)[0].strip()
            ex.lead_inspector = re.sub(r"\s+(?:HMI|Her Majesty.s Inspector)$", "", name).strip()
            if ex.lead_inspector not in ex.inspectors:
                ex.inspectors.insert(0, ex.lead_inspector)
            return


def _judgement_list(ex: Extraction, lines: list[str], start: int, lscb: bool) -> int:
    end = next((i for i in range(start, min(len(lines), start + 80)) if lines[i] and _HEAD_END.match(lines[i])), start + 40)
    joined = re.sub(r"\s+", " ", " ".join(l for l in lines[start:end] if l))
    found: list[FoundJudgement] = []
    if m := _OVERALL.search(joined):
        found.append(_judgement("Overall effectiveness", m.group(1), "overall_effectiveness"))
    for area, label in _ROWS.items():
        if m := re.search(rf"({label})\s+{_GRADE}\b", joined, re.I):
            found.append(_judgement(m.group(1), m.group(2), area))
    # The LSCB's grade: on page 1 in 2014-2015 reports, at the head of its own part later on.
    text = "\n".join(l for l in lines if l)
    if lscb and (m := _LSCB_GRADE.search(joined) or _LSCB_GRADE.search(text)):
        found.append(_judgement(facts.judgement_areas()["lscb"].title, m.group(1), "lscb"))
    ex.judgements = found
    return end


def _judgement(label: str, grade: str, area: str) -> FoundJudgement:
    g = facts.grade_for(grade)
    return FoundJudgement(label, grade, area, g.id if g else None)


def _skip_contents(lines: list[str], start: int) -> int:
    """After the judgement list: skip the table of contents (lines ending in a page number)."""
    at = next((i for i in range(start, min(len(lines), start + 60)) if lines[i].lower() == "contents"), None)
    if at is None:
        return start
    last = at
    for i in range(at + 1, min(len(lines), at + 60)):
        if re.search(r"\s\d{1,3}$", lines[i]):
            last = i
        elif lines[i] and re.match(r"^\d+\.\s", lines[i]):
            break
    return last + 1


def _body(ex: Extraction, lines: list[str], start: int) -> None:
    from selfeval.load.report import parse as p

    area: str | None = None
    section: FoundSection | None = None
    loose: list[str] = []  # unnumbered lines of the current section, turned into paragraphs at its end
    current: FoundParagraph | None = None
    last = 0
    in_recs = False
    priority = False
    rec_area: str | None = None
    rec_numbers: list[int] = []
    rec_areas: list[str | None] = []
    region_items = 0

    def close() -> None:
        nonlocal loose
        if section is not None and loose:
            section.paragraphs.extend(FoundParagraph(None, t) for t in p._paragraphs(loose))
        loose = []

    i = start
    while i < len(lines):
        line = lines[i]
        if not line:
            if current is None:
                loose.append("")
            i += 1
            continue
        heading, used = _heading(lines, i)
        if heading is not None:
            if in_recs and _RECS_SUB.match(heading):
                priority = heading.lower().startswith("priority")
            elif in_recs and (_ends_recs(heading) or not _numbered_next(lines, i + used)):
                in_recs = False
            if not in_recs or _ends_recs(heading):
                # A themed sub-heading of the recommendations ('Leadership, management and
                # governance') is not the start of that judgement's part of the report.
                for pattern, key in _BLOCKS:
                    if pattern.match(heading):
                        area = key
                        break
            grade = _trailing_grade(heading)
            if _RECS_START.match(heading) or (_RECS_SUB.match(heading) and not in_recs and area == "lscb"):
                in_recs, priority, rec_area, region_items = True, heading.lower().startswith("priority"), area, 0
            close()
            current = None
            section = FoundSection(heading, area, grade.id if grade else None)
            ex.sections.append(section)
            i += used
            continue
        m = p._NUMBERED.match(line)
        number = int(m.group(1)) if m else None
        if m and number is not None and (number == last + 1 or (last == 0 and number == 1)):
            close()
            if section is None:
                section = FoundSection("", area)
                ex.sections.append(section)
            current = FoundParagraph(number, m.group(2))
            section.paragraphs.append(current)
            last = number
            if in_recs:
                ex.areas.append(FoundArea("", "", priority=priority))
                region_items += 1
                rec_numbers.append(number)
                rec_areas.append(rec_area)
        elif current is not None and not _new_block(lines, i):
            current.text = p._join(current.text, line)
        else:
            current = None
            # (Prose inside the list - 'There are no priority actions.', a footnote the page
            # layout put between two items - does not end it; the next part's heading does.)
            loose.append(line)
        i += 1
    close()
    # A judgement heading ('... help and protection Requires improvement') is followed by its
    # 'Summary'; the sections after it carry its judgement, so the empty heading itself goes.
    ex.sections = [s for s in ex.sections if s.paragraphs]
    texts = {para.number: para.text for s in ex.sections for para in s.paragraphs if para.number is not None}
    for found, number, rec in zip(ex.areas, rec_numbers, rec_areas):
        found.text = texts[number].strip()
        found.text_without_refs = found.text
        found.source_paragraphs = [number]
        if rec == "lscb":
            found.judgement_area, found.area_reason = "lscb", "a recommendation to the Local Safeguarding Children Board"


_KEY_JUDGEMENT = re.compile(r"^Key judgement\s+Judgement grade$", re.I)
_SECTION_N = re.compile(r"^Section \d+\s*:")
_JUDGEMENT_HEAD = re.compile(r"^(The experiences and progress of|Leadership, management and)\b", re.I)
_GRADED = re.compile(r"^The graded judgement\b", re.I)
_LSCB_HEAD = re.compile(r"^The Local Safeguarding Children Board\b|^The effectiveness of the LSCB\b")
_TRAILING_GRADE = re.compile(rf"\b{_GRADE}\.?$", re.I)


def _heading(lines: list[str], i: int) -> tuple[str | None, int]:
    """A heading of the SIF body, and how many lines it takes (judgement headings wrap)."""
    from selfeval.load.report import parse as p

    line = lines[i]
    if _KEY_JUDGEMENT.match(line):
        return "Key judgement", 1
    if _SECTION_N.match(line):
        # 'Section 2: The effectiveness local safeguarding children' / 'board'
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt and len(nxt.split()) <= 3 and nxt[:1].islower():
            return f"{line} {nxt}", 2
        return line, 1
    if _JUDGEMENT_HEAD.match(line) and len(line.split()) <= 14:
        # 'The experiences and progress of' / 'children who need help and protection Good' / 'Summary'
        used, parts = 1, [line]
        while i + used < len(lines) and len(parts) < 5:
            nxt = lines[i + used]
            if not nxt:
                if _trailing_grade(" ".join(parts)) or re.search(r"(protection|permanence|governance)$", parts[-1], re.I):
                    break
                used += 1
                continue
            if p._NUMBERED.match(nxt) or nxt.lower() == "summary" or len(nxt.split()) > 10 or nxt.endswith("."):
                break
            parts.append(nxt)
            used += 1
        return " ".join(parts), used
    if p._NUMBERED.match(line) or p._BULLET.match(line):
        return None, 0
    if _GRADED.match(line):
        text, used = line, 1
        while i + used < len(lines) and lines[i + used] and not _trailing_grade(text) and len(lines[i + used].split()) <= 4:
            text, used = f"{text} {lines[i + used]}", used + 1
        return text, used
    if _LSCB_HEAD.match(line) and len(line.split()) <= 12:
        return line, 1
    if p._letter_heading(lines, i) or _RECS_START.match(line) or _RECS_SUB.match(line):
        return line, 1
    if _sub_heading(lines, i):
        return line, 1
    return None, 0


def _sub_heading(lines: list[str], i: int) -> bool:
    """A short stand-alone line directly above a numbered paragraph ('Safeguarding children' / '6. Ensure ...')."""
    from selfeval.load.report import parse as p

    line = lines[i]
    if len(line.split()) > 8 or not line[:1].isupper() or p._SENTENCE_END.search(line) or line.endswith((",", ";", ":")):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = next((l for l in lines[i + 1 :] if l), "")
    return (not before or bool(p._SENTENCE_END.search(before))) and bool(p._NUMBERED.match(after))


def _trailing_grade(text: str) -> facts.Grade | None:
    m = _TRAILING_GRADE.search(text)
    return facts.grade_for(m.group(1)) if m else None


def _numbered_next(lines: list[str], i: int) -> bool:
    """Is the next text a numbered paragraph (directly, or after one more sub-heading)?"""
    from selfeval.load.report import parse as p

    seen = 0
    for line in lines[i:]:
        if not line:
            continue
        if p._NUMBERED.match(line):
            return True
        seen += 1
        if seen > 1 or len(line.split()) > 8:
            return False
    return False


def _new_block(lines: list[str], i: int) -> bool:
    """A bulleted list after a blank line is not the numbered paragraph running on."""
    from selfeval.load.report import parse as p

    return bool(p._BULLET.match(lines[i])) and i > 0 and not lines[i - 1]
