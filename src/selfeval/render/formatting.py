"""How dates, grades and refs are written in the documents (British English, Ofsted's style)."""

from __future__ import annotations

import datetime as dt

from selfeval import reference
from selfeval.wording import join_and
from selfeval.models.findings import DateRange, Findings, FrameworkRef
from selfeval.wording import count  # noqa: F401 (the documents write fmt.count; it lives in wording so commands need not import render)

GRADE_FILLS = {"outstanding": "8FD19E", "good": "C6E6B3", "requires_improvement": "FFE699", "inadequate": "F4A6A6"}


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def month_year(day: dt.date) -> str:
    return f"{day:%B %Y}"


def date_range(r: DateRange) -> str:
    if r.end is None or r.end == r.start:
        return long_date(r.start)
    if (r.start.year, r.start.month) == (r.end.year, r.end.month):
        return f"{r.start.day} to {long_date(r.end)}"
    if r.start.year == r.end.year:
        return f"{r.start.day} {r.start:%B} to {long_date(r.end)}"
    return f"{long_date(r.start)} to {long_date(r.end)}"


def dates(findings: Findings) -> str:
    return "; ".join(date_range(r) for r in findings.inspection_dates)


def engagement_name(findings: Findings) -> str:
    """'January 2026 inspection', 'June 2023 focused visit'."""
    kind = findings.engagement.phrase.replace("full inspection", "inspection")
    return f"{month_year(findings.start)} {kind}"


def grade_title(grade_id: str | None) -> str:
    if not grade_id:
        return ""
    return reference.grades()[grade_id].title


def grade_fill(grade_id: str | None) -> str:
    return GRADE_FILLS.get(grade_id or "", "FFFFFF")


def area_title(key: str) -> str:
    return reference.judgement_areas()[key].title


def area_short(key: str) -> str:
    return reference.judgement_areas()[key].short


SUGGESTED_NOTE = (
    "National Framework refs marked 'suggested' were proposed by selfeval from the area's wording; "
    "a person confirms one by setting confirmed: true on it in the findings file. "
    "'Low confidence' means suggestions like it match Ofsted's own ref less than half the time: choose the ref yourself."
)


def suggested_mark(ref: FrameworkRef) -> str:
    if not ref.is_suggested:
        return ""
    return " (suggested, low confidence)" if ref.is_low_confidence else " (suggested)"


def ref_label(ref: FrameworkRef, on: dt.date) -> str:
    """'Outcome 2: Children and young people are safe ...' with '(suggested)' until a person confirms it.

    ``on`` is the document's date: the number and title are those in force then
    (data/framework_editions.yaml), so from 2 March 2026 the safety outcome -- 'outcome 3' in
    findings files, which keep the December 2023 numbering -- prints as 'Outcome 2: ... safe ...'.
    """
    label, title = _numbered(ref.ref, on)
    return f"{label}: {title}{suggested_mark(ref)}"


def ref_short(ref: FrameworkRef, on: dt.date) -> str:
    """'Outcome 2 (suggested)': the number in force on ``on``, for narrow columns (a key gives the titles)."""
    return _numbered(ref.ref, on)[0] + suggested_mark(ref)


def ref_title(ref: str, on: dt.date) -> tuple[str, str]:
    """('Outcome 2', 'Children and young people are safe ...') for a canonical ref on the document's date."""
    return _numbered(ref, on)


def numbering_note(on: dt.date) -> str:
    """One sentence naming the numbering the document uses, when Ofsted's reports may print another.

    Empty while only one numbering has ever been in force, so older documents read as before.
    """
    from selfeval.framework_refs import edition_for, editions

    edition = edition_for(on)
    earlier = [e for e in editions() if e.start < edition.start and e.outcomes != edition.outcomes]
    if not earlier:
        return ""
    moved = [(n, title) for n, (key, title) in sorted(edition.outcomes.items()) if earlier[-1].number_of(key) != n]
    numbers = join_and([str(n) for n, _ in moved])
    change, order = ("changed places", "the other way round") if len(moved) == 2 else ("were renumbered", "differently")
    now = join_and([f"outcome {n} '{title}'" for n, title in moved])
    return (f"National Framework outcomes are numbered as in force from {long_date(edition.start)}, when outcomes {numbers} "
            f"{change}: {now}. Ofsted's reports before then, and some since, number them {order}; "
            "the titles say which outcome is meant.")


def stored_numbering_note() -> str:
    """What the numbers in a findings file mean (they never change with the date; documents' do)."""
    from selfeval.framework_refs import canonical_edition

    edition = canonical_edition()
    numbers = "; ".join(f"outcome {n} = {title[0].lower() + title[1:]}" for n, (_, title) in sorted(edition.outcomes.items()))
    return (f"National Framework refs in this file use the {edition.title.removeprefix('National Framework, ')} ({numbers}); "
            "documents print each outcome with the number and title in force on their own date.")


def _numbered(ref: str, on: dt.date) -> tuple[str, str]:
    from selfeval.framework_refs import ref_in_force

    shown = ref_in_force(ref, on)
    return shown.label, shown.title


def paragraphs_text(numbers: list[int]) -> str:
    if not numbers:
        return ""
    nums = sorted(set(numbers))
    word = "paragraph" if len(nums) == 1 else "paragraphs"
    return f"{word} {', '.join(str(n) for n in nums)}"


def source_text(findings: Findings, numbers: list[int]) -> str:
    where = paragraphs_text(numbers)
    return f"{engagement_name(findings)}" + (f", {where}" if where else "")


