"""Find the parts of a cleaned report: title, dates, inspectors, judgements, areas for improvement,
sections and paragraphs. Works from the report's own structure and Ofsted's fixed wordings (titles,
judgement areas, grades) - never from a council's name or a particular file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from selfeval import reference
from selfeval.load.report import checks, sif
from selfeval.load.report.clean import CleanText
from selfeval.load.report.infer import infer_areas
from selfeval.load.report.dates import date_list_prefix, parse_date_ranges
from selfeval.load.report.extraction import (
    Extraction,
    FoundArea,
    FoundJudgement,
    FoundParagraph,
    FoundRef,
    FoundSection,
)
from selfeval.framework_refs import resolve_outcome, split_refs
from selfeval.load.report.text import SourceText

APOS = "[’'‘`]"
_FULL_TITLE = re.compile(rf"^(Inspection of (.+?)(?: local authority)? children{APOS}s (?:social care )?services)$", re.I)
_OLD_TITLE = re.compile(rf"^Inspection of children{APOS}s social care services$", re.I)
_VISIT_TITLE = re.compile(rf"^((focus+ed|monitoring) visit (?:to|of) (.+?)(?: local authority)? children{APOS}s services)$", re.I)
_JTAI_TITLE = re.compile(r"^(Joint targeted area inspection (?:of the multi-agency response to .+? )?(?:of|in) (.+?))$", re.I)
# The opening sentence names the visit when the title line is missing (a letter reprinted without its letterhead).
_VISIT_OPENING = re.compile(
    rf"findings of (?:the |a )?(focus+ed|monitoring) visit to (.+?)(?: local authority)? children{APOS}s services\b", re.I
)
_JTAI_OPENING = re.compile(r"findings of (?:the |a )?joint targeted area inspection (?:\(JTAI\) )?.*? in ([A-Z][^.,]+?)(?:\.|,|\s+(?:on|from|between)\b)")
_SUMMARY_HEAD = re.compile(r"^(Overview|Headline findings)$", re.I)
_IMPROVE_WORDS = re.compile(
    r"^(?:what (?:does .{1,40} )?needs? to improve|(?:key )?areas? (?:for|of) (?:priority )?(?:action|improvement|development)"
    r"|priority actions?|recommendations|what should improve)\b",
    re.I,
)
_DATES_LINE = re.compile(r"^Inspection dates?\s*:\s*(.+)$", re.I)
_VISIT_DATES = re.compile(
    r"\b(?:visit to .*?|inspection .*?|took place|was carried out|were carried out) (?:on|from|between) (\d{1,2}(?:st|nd|rd|th)?\b[^.]*)",
    re.I,
)
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
# '10. Text' and, in many reports, '10.Text' (no space after the number); without a space the
# text must start like a sentence so that '2.5% of children' is not read as paragraph 2.
# Second-level bullets inside an area for improvement: minus sign, a combining long stroke (how
# PDFium reads one dash glyph), white circle, 'o'.
_SUB_BULLET = re.compile(r"^(?:[−○]|\u0336|o(?=\s))\s*(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[A-Z‘“'\"(]))(\S.*)$")
_LETTER_END = re.compile(r"^(Ofsted will take the findings|Yours sincerely|Yours faithfully)", re.I)
_GRADES = sorted(
    {s for g in reference.grades().values() for s in g.spellings if len(s) > 2}, key=len, reverse=True
)
_GRADE_ALT = "|".join(re.escape(g) for g in _GRADES)
_HEADING = re.compile(rf"^(?P<area>.+?)(?:\s*:\s*|\s+is\s+|\s+)(?P<grade>{_GRADE_ALT})$", re.I)
_TABLE_GRADE = re.compile(r"\b(Requires improvement to be good|Requires improvement|Outstanding|Good|Inadequate)$")
_GRADE_WRAP = re.compile(r"\bRequires(?: improvement(?: to(?: be)?)?)?$", re.I)
_SENTENCE_END = re.compile(r"[.!?][’'\")]?$")


def parse(text: CleanText, source: SourceText) -> Extraction:
    ex = Extraction(source_file=source.path.name, sha256=source.sha256, page_count=source.page_count)
    ex.footnotes = list(text.footnotes)
    lines = text.lines
    nonblank = [(i, l) for i, l in enumerate(lines) if l]
    if sif.find_title([l for _, l in nonblank[:30]]) is not None:
        sif.parse_sif(ex, lines, text.markers)
        _check(ex, lines)
        _sif_self_checks(ex, lines)
        infer_areas(ex)
        ex.not_read = list(NOT_READ["SIF inspection"])
        return ex
    _title(ex, nonblank[:20])
    if ex.type is None and source.pages:
        # The title doubles as the running header on some reports, and was cut from page 1 with it.
        _title(ex, [(i, l) for i, l in enumerate(source.pages[0]) if l.strip()][:20])
    if ex.type is None:
        _title_from_opening(ex, " ".join(l for l in lines[:80] if l))
    _meta(ex, lines)
    table_end = _judgements(ex, lines)
    afi_at = _find(lines, _AFI_HEAD.match, start=table_end)
    body_start = _areas(ex, lines, afi_at, text.markers) if afi_at is not None else None
    first_section = _first_heading(lines, table_end, ex)
    if ex.type == "full inspection" or ex.type is None and ex.judgements:
        _summary(ex, lines, table_end, afi_at if afi_at is not None else first_section)
        _sections(ex, lines, body_start if body_start is not None else (first_section or table_end))
    else:
        _letter_body(ex, lines, table_end, afi_at, body_start)
    _check(ex, lines)
    _self_checks(ex, lines, afi_at, body_start)
    infer_areas(ex)  # after the council check, so warnings name areas by their ids
    ex.not_read = list(NOT_READ.get(ex.type or "", []))
    return ex


# -- title, type, council --------------------------------------------------------------------


_GENERIC_COUNCIL = re.compile(r"^(?:the\s+)?(?:local authority|council)?$", re.I)
# A trust or other body inspected in the council's place: 'Inspection of Bradford Children and
# Families Trust', 'Inspection of Slough Children First'. Only read when it names a council.
_OTHER_TITLE = re.compile(r"^(Inspection of (?!children)(.{3,100}?))$", re.I)


def _title(ex: Extraction, head: list[tuple[int, str]]) -> None:
    texts = [l for _, l in head]
    for i in range(len(texts)):
        above = texts[i - 1] if i > 0 else None
        for j in (1, 2, 3):
            candidate = " ".join(texts[i : i + j])
            if m := _FULL_TITLE.match(candidate):
                council = m.group(2).strip()
                if _GENERIC_COUNCIL.match(council) and above:
                    # 2018-2020 layout: 'Rutland County Council' above 'Inspection of local authority children's services'.
                    council, candidate = above, f"{above} {candidate}"
                ex.report_title, ex.local_authority, ex.type = candidate if council == above else m.group(1), council, "full inspection"
                return
            if (m := _VISIT_TITLE.match(candidate)):
                ex.report_title, ex.local_authority = m.group(1), m.group(3).strip()
                ex.type = "monitoring visit" if m.group(2).lower().startswith("monitor") else "focused visit"
                return
            if j == 1 and (m := _JTAI_TITLE.match(candidate)) and len(candidate) <= 160:
                ex.report_title, ex.local_authority, ex.type = m.group(1), m.group(2).strip(), "joint targeted area inspection"
                return
            if _OLD_TITLE.match(candidate) and above:
                # 2018 layout: the council's name is the line above the title.
                ex.local_authority = above
                ex.report_title, ex.type = f"{above} {candidate}", "full inspection"
                return
    for i, text in enumerate(texts):
        if (m := _OTHER_TITLE.match(text)) and _named_councils(m.group(2)):
            ex.report_title, ex.local_authority, ex.type = m.group(1), m.group(2).strip(), "full inspection"
            return


def _named_councils(text: str) -> list[str]:
    from selfeval.councils import councils_in_text

    return [c.name for c in councils_in_text(text)]


def resolve_council(ex: Extraction) -> list[str]:
    """The catalogue names of the council the report is about: from the name as printed, then from
    the whole title (a trust, 'Thames', '... Children's Services'). One name when it is certain."""
    from selfeval.councils import UnknownCouncil, resolve_council as resolve

    if not ex.local_authority:
        return []
    try:
        return [resolve(ex.local_authority).name]
    except UnknownCouncil as e:
        ambiguous = list(e.suggestions) if e.ambiguous else []
    for text in (ex.local_authority, ex.report_title or ""):
        names = _named_councils(text)
        if names:
            return names
    return ambiguous


def _title_from_opening(ex: Extraction, opening: str) -> None:
    """'This letter summarises the findings of the monitoring visit to X children's services on ...'."""
    if m := _VISIT_OPENING.search(opening):
        ex.local_authority = m.group(2).strip()
        ex.type = "monitoring visit" if m.group(1).lower().startswith("monitor") else "focused visit"
        ex.warnings.append(f"no title line; the {ex.type} and the council were read from the letter's opening sentence")
    elif m := _JTAI_OPENING.search(opening):
        ex.local_authority, ex.type = m.group(1).strip(), "joint targeted area inspection"
        ex.warnings.append("no title line; the JTAI and the area were read from the letter's opening sentence")


# -- dates and inspectors ------------------------------------------------------------------------


def _meta(ex: Extraction, lines: list[str]) -> None:
    for i, line in enumerate(lines[:80]):
        if (m := _DATES_LINE.match(line)) and ex.dates_raw is None:
            ex.dates_raw = m.group(1).strip()
        if (m := _LEAD.match(line)) and ex.lead_inspector_raw is None:
            ex.lead_inspector_raw = m.group(1).strip()
            ex.lead_inspector = re.split(r",", ex.lead_inspector_raw)[0].strip()
    opening = " ".join(l for l in lines[:80] if l)
    if ex.dates_raw is None:
        for m in _VISIT_DATES.finditer(opening):
            if found := date_list_prefix(m.group(1)):
                ex.dates_raw = found
                break
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


_NAME_TITLE = re.compile(rf"^(?:the\s+)?(?:(?:His|Her) Majesty{APOS}s Inspectors?|HMIs?|inspectors?)\s*,?\s*", re.I)


def _names(text: str) -> list[str]:
    """'Her Majesty’s Inspectors Nigel Parkes and Lisa Walsh' -> ['Nigel Parkes', 'Lisa Walsh']."""
    text = _NAME_TITLE.sub("", text.strip())
    names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", text) if n.strip()]
    return [_NAME_TITLE.sub("", n) for n in names if _NAME_TITLE.sub("", n)]


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
        # 2018-2020 tables wrap the grade: 'Requires improvement' / 'to be good', 'Requires improvement to' / 'be good'.
        nxt = _find(lines, bool, start=i + 1, stop=i + 3)
        if _GRADE_WRAP.search(line) and nxt is not None and _TABLE_GRADE.search(joined := f"{line} {lines[nxt].strip()}") \
                and len(lines[nxt].split()) <= 3:
            line, i = joined, nxt
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
        if (m := _SUB_BULLET.match(line)) and items:
            # A sub-list of one area ('including:' / '− sufficiency of accommodation'): one area, items joined by ';'.
            sep = " " if re.search(r"(?:[:;,]|\band|\bor)$", items[-1].rstrip()) else "; "
            items[-1] = items[-1].rstrip() + sep + line[m.end():]
        elif m := _BULLET.match(line):
            items.append(line[m.end():])
            ex.areas.append(FoundArea("", "", priority=priority))
        elif items:
            items[-1] = _join(items[-1], line)
        i += 1
    for area, text in zip(ex.areas, items):
        area.text = text.strip()
        without, refs = split_refs(area.text)
        area.text_without_refs = without
        area.refs = [_meant(ex, r.ref, r.raw, without) for r in refs]
        for r in refs:
            if r.ref is None:
                ex.warnings.append(f"framework reference {r.raw} is not in the National Framework; kept as printed")
    return i


def _meant(ex: Extraction, printed: str | None, raw: str, wording: str) -> FoundRef:
    """What Ofsted printed, verbatim, and the outcome it meant: the numbering in force on the
    report's date, the area's wording deciding when two numberings were in use (2026)."""
    if printed is None:
        return FoundRef(None, raw)
    day = ex.published or (ex.date_ranges[-1][1] or ex.date_ranges[-1][0] if ex.date_ranges else None)
    if day is None:
        return FoundRef(printed, raw, printed)
    meant = resolve_outcome(printed, day, wording)
    note = meant.reason if (meant.ref != printed or meant.ambiguous) else None
    if meant.ambiguous:
        ex.warnings.append(f"framework reference {raw}: {meant.reason}")
    return FoundRef(meant.ref, raw, printed, note)


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
    (no sentence end before, lower-case start after: a page break inside a paragraph).
    A bullet always starts a new paragraph (its glyph is dropped)."""
    paras: list[str] = []
    current = ""
    broke = False
    for line in region:
        if not line:
            broke = bool(current) or broke
            continue
        if (m := _BULLET.match(line)) and not _NUMBERED.match(line):
            if current:
                paras.append(current)
            current, broke = line[m.end():], False
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


def _letter_body(ex: Extraction, lines: list[str], start: int, afi_at: int | None, afi_end: int | None) -> None:
    """A visit or JTAI letter: every stand-alone heading after the opening is a section, except the
    overview ('Overview' / 'Headline findings', which is the summary) and the areas for improvement."""
    i = start
    opening = _find(lines, lambda l: bool(re.match(r"^This letter summarises", l, re.I)), start=start, stop=start + 60)
    titled = _find(lines, lambda l: l == ex.report_title, start=start, stop=start + 60) if ex.report_title else None
    if opening is not None:
        i = opening + 1
    elif titled is not None:
        i = titled + 1
    headings: list[int] = []
    end = len(lines)
    for k in range(i, len(lines)):
        if lines[k] and _LETTER_END.match(lines[k]):
            end = k
            break
        if lines[k] and _letter_heading(lines, k) and not (afi_at is not None and afi_end is not None and afi_at < k < afi_end):
            headings.append(k)
    for n, k in enumerate(headings):
        stop = headings[n + 1] if n + 1 < len(headings) else end
        if afi_at is not None and k < afi_at < stop:
            stop = afi_at  # the text before the areas-for-improvement heading
        if k == afi_at:
            continue
        region = lines[k + 1 : stop]
        if _SUMMARY_HEAD.match(lines[k]) and not ex.summary:
            ex.summary = _paragraphs(region)
            continue
        section = FoundSection(lines[k])
        section.paragraphs = [FoundParagraph(None, p) for p in _paragraphs(region)]
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
        if m and number is not None and (number == last + 1 or (current is None and number <= last + 1)):
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
    starts_text = after[:1].isupper() or bool(_BULLET.match(after))
    return (not before or bool(_SENTENCE_END.search(before))) and starts_text and not _HMI_LINE.match(line)


def _find(lines: list[str], pred: Callable[[str], object], start: int = 0, stop: int | None = None) -> int | None:
    for i in range(start, min(len(lines), stop if stop is not None else len(lines))):
        if lines[i] and pred(lines[i]):
            return i
    return None


# -- what is missing -----------------------------------------------------------------------------


def _check(ex: Extraction, lines: list[str]) -> None:
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
    # The areas for improvement are the self-check 'areas' (see _self_checks).
    if ex.type in ("focused visit", "monitoring visit", "joint targeted area inspection") and not ex.sections:
        missing.append("the letter's sections (such as 'Main findings')")
    if ex.type in ("focused visit", "monitoring visit", "joint targeted area inspection") and not any(l and _LETTER_END.match(l) for l in lines):
        ex.warnings.append("the letter has no closing ('Ofsted will take the findings...' / 'Yours sincerely'): it may be incomplete")
    for what in missing:
        ex.warnings.append(f"could not find {what}")
    for i, line in enumerate(lines if ex.type != "SIF inspection" else []):
        # A heading that names improvements in a wording we do not read must not vanish silently.
        if line and _IMPROVE_WORDS.match(line) and not _AFI_HEAD.match(line) and len(line.split()) <= 12 and not _SENTENCE_END.search(line) \
                and (i == 0 or not lines[i - 1] or _SENTENCE_END.search(lines[i - 1])):
            ex.warnings.append(f"'{line}' looks like a heading for areas for improvement but was not read as one; check it by hand")
    for section in ex.sections:
        if not section.paragraphs:
            ex.warnings.append(f"no paragraphs found under '{section.heading}'")


# -- what is not read ----------------------------------------------------------------------------

# Said plainly on every import of that kind, so nobody takes the findings file for the whole report.
NOT_READ = {
    "SIF inspection": [
        "the 'Information about this local authority area' statistics and the summary for children and young people "
        "(kept as unnumbered text, not as findings)",
        "strengths are not separated from other paragraphs (they stay in their sections)",
    ],
    "focused visit": ["strengths are not separated from other findings (they stay in the letter's sections)"],
    "monitoring visit": [
        "progress against each earlier area for priority action is not linked to that area: it stays as the letter's "
        "sections ('progress since the last inspection'); a monitoring letter's own areas for priority action are read",
    ],
    "joint targeted area inspection": [
        "the findings for each partner agency (police, health, education) are not told apart: they stay in the "
        "letter's sections; a JTAI has no grades",
    ],
}


# -- self-checks ---------------------------------------------------------------------------------


def _self_checks(ex: Extraction, lines: list[str], afi_at: int | None, afi_end: int | None) -> None:
    numbered = [p for s in ex.sections for p in s.paragraphs if p.number is not None]
    found = [
        checks.paragraph_check([p.number for p in numbered if p.number is not None], [p.text for p in numbered]),
        _council_check(ex),
    ]
    if ex.type == "full inspection" and ex.date_ranges:
        era = reference.era_for(ex.date_ranges[0][0])
        found.append(checks.judgement_check([(j.area, j.grade_id) for j in ex.judgements], era.areas, era.grades, era.title))
    bullets, odd = None, []
    if afi_at is not None and afi_end is not None:
        region = [l for l in lines[afi_at + 1 : afi_end] if l]
        bullets = sum(1 for l in region if _BULLET.match(l))
        # A line opening with a symbol we do not read as a bullet may be one (a new glyph).
        odd = [l for l in region if not _BULLET.match(l) and not _SUB_BULLET.match(l) and not l[:1].isalnum() and l[:1] not in "‘“'\"("]
    all_outstanding = bool(ex.judgements) and all(j.grade_id == "outstanding" for j in ex.judgements)
    found.append(checks.areas_check(
        bullets, len(ex.areas), ex.afi_heading_raw,
        required=ex.type in ("full inspection", "focused visit") and not all_outstanding, unread_lines=len(odd),
    ))
    ex.checks = found
    for c in found:
        if not c.passed:
            ex.warnings.append(f"self-check failed ({c.name}): {c.detail}")


def _sif_self_checks(ex: Extraction, lines: list[str]) -> None:
    numbered = [p for s in ex.sections for p in s.paragraphs if p.number is not None]
    found = [
        checks.paragraph_check([p.number for p in numbered if p.number is not None], [p.text for p in numbered]),
        _council_check(ex),
    ]
    era = reference.era_for(ex.date_ranges[0][0] if ex.date_ranges else reference.ILACS_START, reference.SIF)
    lscb = "Local Safeguarding Children Board" in (ex.report_title or "")
    required = era.required_areas + (("lscb",) if lscb else ())
    found.append(checks.judgement_check([(j.area, j.grade_id) for j in ex.judgements], required, era.grades, era.title))
    heading, count = sif.count_recommendations(lines)
    ex.afi_heading_raw = heading
    found.append(checks.areas_check(count, len(ex.areas), heading, required=True, kind="numbered recommendations"))
    ex.checks = found
    for c in found:
        if not c.passed:
            ex.warnings.append(f"self-check failed ({c.name}): {c.detail}")


def _council_check(ex: Extraction) -> checks.Check:
    names = resolve_council(ex)
    if len(names) == 1:
        ex.council = names[0]
    return checks.council_check(ex.local_authority, names)
