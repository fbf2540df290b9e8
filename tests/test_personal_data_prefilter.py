"""The personal-data screen's quick rejection never hides an identifier: on any text, the screen
with it gives the same answer as the full rules without it (speed must not cost safety)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval.safety.personal_data import _matching_rule, identifier_rule

# Characters the rules care about: digits, separators, the letters of postcodes, NI numbers and the
# date-of-birth words in both cases, and the non-ASCII letters that case-insensitive [a-z] matches.
ALPHABET = "0123456789 -/.,:()\nabdfghinoqrstwyzABDGINORSTWZ\u0130\u0131\u017f\u212a\u0660\u0967é"
FRAGMENTS = [
    "943 476 5919", "9434765919", "QQ 12 34 56 C", "AB123456C", "A12345678901B", "SW1A 1AA", "SW1A1AA",
    "GIR 0AA", "gir 0aa", "born 1 March 2012", "DOB: 01/04/2012", "d. o. b. 2012-04-01", "(date of birth)",
    "12th March 2024", "since 2023", "2024-25", "LAM-2015-01", "\u0664\u0663\u0662",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.text(ALPHABET, max_size=12), st.sampled_from(FRAGMENTS)), max_size=6).map("".join))
def test_the_quick_rejection_agrees_with_the_full_rules(text: str) -> None:
    full = _matching_rule(text) if len(text) >= 5 and re.search(r"\d", text) else None
    assert identifier_rule(text) == full


def test_each_fragment_alone_and_in_a_sentence() -> None:
    for fragment in FRAGMENTS:
        for text in (fragment, f"The child's record says {fragment}, as noted."):
            full = _matching_rule(text) if len(text) >= 5 and re.search(r"\d", text) else None
            assert identifier_rule(text) == full, text


# The heading screen's forms, as they were computed before the fast paths (regexes on every text).
def _reference_normalise(text: str) -> str:
    text = text.lower().replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _reference_looks_personal(heading: object) -> bool:
    from selfeval.safety.personal_data import _MAX_HEADING_CHARS, _PERSONAL

    if not isinstance(heading, str) or len(heading) > _MAX_HEADING_CHARS:
        return False
    bracketed = re.findall(r"\(([^)]*)\)|\[([^\]]*)\]", heading)
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", heading)
    forms = [_reference_normalise(bare)]
    if bracketed:
        inner = " ".join(a or b for a, b in bracketed)
        forms += [_reference_normalise(f"{inner} {bare}"), _reference_normalise(f"{bare} {inner}")]
    return any(form and _PERSONAL.match(form) for form in forms)


HEADING_WORDS = ["Child", "child's", "Name", "name", "Date of birth", "DOB", "(DD/MM/YYYY)", "[child]", "NHS", "No.",
                 "Post code", "UPN", "Indicator", "Rate", "%", " ", "-", "'", "\u2019", "\u0130", "K", "é", "(", ")", "["]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HEADING_WORDS), st.text(max_size=4)), max_size=6).map(" ".join))
def test_the_heading_screen_agrees_with_its_reference(heading: str) -> None:
    from selfeval.safety.personal_data import _normalise, looks_personal

    assert _normalise(heading) == _reference_normalise(heading)
    assert looks_personal(heading) == _reference_looks_personal(heading)
