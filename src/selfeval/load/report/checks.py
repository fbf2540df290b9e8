"""Self-checks run on every import: does what was read hang together?

A report that reads wrongly usually still reads *something*: paragraph 10 merged into 9, a grade
lost because it wrapped, the council read as "local authority". Each check below tests one
invariant that every Ofsted report of its kind keeps, independently of how the text was parsed:

* paragraphs: the numbered paragraphs run 1..N with no gap or repeat, and no paragraph's text hides
  the start of the next one ('... at risk. 10.The ...');
* judgements: a graded report has one judgement row per area of its era, each with a grade from
  that era's scale;
* council: the name read resolves to exactly one council in the catalogue;
* areas: the number of areas for improvement equals the bullets (or numbered recommendations)
  printed under the heading.

A failed check becomes a warning and is listed under ``checks`` in ``--json``; the findings file
remembers it (``provenance.checks_failed``) so that ``validate`` keeps saying so until a person
has looked (see README, "Imported with warnings").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selfeval import facts


@dataclass(frozen=True)
class Check:
    name: str  # "paragraphs" | "judgements" | "council" | "areas"
    passed: bool
    detail: str

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


# A paragraph start hidden inside another paragraph's text: a sentence end, then the next number.
_HIDDEN_START = r"[.!?’'\")]\s+{n}\.\s?[A-Z]"


def paragraph_check(numbers: list[int], texts: list[str]) -> Check:
    if not numbers:
        return Check("paragraphs", True, "no numbered paragraphs (unnumbered letter)")
    problems: list[str] = []
    hidden = [n + 1 for n, text in zip(numbers, texts) if re.search(_HIDDEN_START.format(n=n + 1), text)]
    misprinted = _printed_twice(numbers)
    # Ofsted itself printed a number twice (57, 57, 58): the count after it still runs on.
    counted = [n for i, n in enumerate(numbers) if not (i and n == numbers[i - 1] and n in misprinted)]
    if counted != list(range(1, len(counted) + 1)):
        gaps = sorted(set(range(1, max(counted) + 1)) - set(counted))
        repeats = sorted({n for n in counted if counted.count(n) > 1})
        if gaps:
            problems.append(f"missing {_numbers(gaps)}")
        if repeats:
            problems.append(f"repeated {_numbers(repeats)}")
        if not gaps and not repeats:
            problems.append("out of order")
    if hidden:
        problems.append(f"{_numbers(hidden)} read as part of the paragraph before")
    if problems:
        return Check("paragraphs", False, f"numbered paragraphs 1-{max(numbers)}: " + "; ".join(problems))
    note = f" (the report itself prints {_numbers(sorted(misprinted))} twice)" if misprinted else ""
    return Check("paragraphs", True, f"paragraphs 1-{max(numbers)} in order{note}")


def _printed_twice(numbers: list[int]) -> set[int]:
    """Numbers that appear twice in a row, with the count running on after them."""
    return {
        n for i, n in enumerate(numbers[1:-1], 1)
        if numbers[i - 1] == n and numbers[i + 1] == n + 1 and numbers.count(n) == 2
    }


def judgement_check(found: list[tuple[str | None, str | None]], areas: tuple[str, ...], scale: tuple[str, ...], era: str) -> Check:
    """``found``: (area key, grade id) per row of the judgement table."""
    problems: list[str] = []
    got = {a: g for a, g in found if a}
    names = facts.judgement_areas()
    for area in areas:
        if area not in got:
            problems.append(f"no row for '{names[area].short}'")
        elif got[area] is None or got[area] not in scale:
            problems.append(f"'{names[area].short}' has no grade from the {era} scale")
    unknown = [a for a, _ in found if a is None]
    if unknown:
        problems.append(f"{len(unknown)} row(s) not an area of {era}")
    if problems:
        return Check("judgements", False, "; ".join(problems))
    return Check("judgements", True, f"{len(areas)} judgements, each graded")


def council_check(printed: str | None, resolved: list[str], detail: str = "") -> Check:
    if printed is None:
        return Check("council", False, "no council named in the title")
    if len(resolved) == 1:
        return Check("council", True, f"'{printed}' is {resolved[0]}")
    if not resolved:
        return Check("council", False, f"'{printed}' is not a council in the catalogue" + (f" ({detail})" if detail else ""))
    return Check("council", False, f"'{printed}' could be {', '.join(resolved)}")


def areas_check(
    bullets: int | None, areas: int, heading: str | None, required: bool, unread_lines: int = 0, kind: str = "bullets"
) -> Check:
    """``required``: the kind of report always has areas for improvement (an all-outstanding
    inspection may have none, and no heading for them)."""
    if heading is None:
        if required:
            return Check("areas", False, "no 'What needs to improve' (or recommendations) heading found")
        return Check("areas", True, "no areas for improvement heading (none expected in this report)")
    if unread_lines:
        return Check("areas", False, f"{unread_lines} line(s) under '{heading}' start with a symbol not read as a bullet")
    if not bullets and not areas:
        if required:
            return Check("areas", False, f"no {kind} under '{heading}'")
        return Check("areas", True, f"no {kind} under '{heading}': the report names no areas for improvement")
    if bullets != areas:
        return Check("areas", False, f"{bullets} {kind} under '{heading}' but {areas} areas read")
    return Check("areas", True, f"{areas} areas, one per {kind.rstrip('s')}")


def _numbers(ns: list[int]) -> str:
    shown = ", ".join(str(n) for n in ns[:6]) + (f" and {len(ns) - 6} more" if len(ns) > 6 else "")
    return ("paragraph " if len(ns) == 1 else "paragraphs ") + shown
