"""How dates, grades and refs are written in the documents (British English, Ofsted's style)."""

from __future__ import annotations

import datetime as dt

from selfeval import reference
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


def _suggested_mark(ref: FrameworkRef) -> str:
    if not ref.is_suggested:
        return ""
    return " (suggested, low confidence)" if ref.is_low_confidence else " (suggested)"


def ref_label(ref: FrameworkRef, on: dt.date | None = None) -> str:
    """'Outcome 3: Children and young people are safe ...' with '(suggested)' until a person confirms it.

    With ``on`` (the document's date) the number is the one in force then (data/framework_editions.yaml):
    from 2 March 2026 the safety outcome is 'Outcome 2: Children and young people are safe ...'.
    """
    label, title = _numbered(ref, on)
    return f"{label}: {title}{_suggested_mark(ref)}"


def ref_short(ref: FrameworkRef, on: dt.date | None = None) -> str:
    return _numbered(ref, on)[0] + _suggested_mark(ref)


def _numbered(ref: FrameworkRef, on: dt.date | None) -> tuple[str, str]:
    if on is None:
        return ref.item.label, ref.item.title
    from selfeval.framework_refs import ref_in_force

    shown = ref_in_force(ref.ref, on)
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


