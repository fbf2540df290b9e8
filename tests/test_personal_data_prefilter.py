"""The personal-data screen's quick rejection never hides an identifier: on any text, the screen
with it gives the same answer as the full rules without it (speed must not cost safety)."""

from __future__ import annotations

import re
from typing import Any

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
    from selfeval.safety.personal_data import _MAX_HEADING_CHARS, _PERSONAL_PATTERN

    _PERSONAL = re.compile(_PERSONAL_PATTERN)
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


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.text("0123456789 -aAbBsSwW1gGiIrR", max_size=10), st.sampled_from(FRAGMENTS[:12])), max_size=6).map("".join))
def test_the_ascii_scans_agree_with_the_unicode_ones(text: str) -> None:
    from selfeval.safety import personal_data as pd

    assert text.isascii()
    assert bool(pd._ASCII_DIGIT.search(text)) == bool(pd._DIGIT.search(text))
    assert bool(pd._MAYBE_NUMBER_ASCII.search(text)) == bool(pd._MAYBE_NUMBER.search(text))
    full = _matching_rule(text) if len(text) >= 5 and re.search(r"\d", text) else None
    assert identifier_rule(text) == full


def test_a_repeated_text_is_refused_at_every_cell_it_is_in() -> None:
    """Clean texts are screened once per file; one that breaks a rule is reported at each of its cells."""
    from pathlib import Path

    from selfeval.errors import ErrorList, InputError
    from selfeval.safety import personal_data as pd

    cells = []
    for r in range(1, 80):
        cells += [(r, 1, "England"), (r, 2, "Child's name" if r % 3 == 0 else "2024-25"), (r, 3, "NHS 943 476 5919" if r % 7 == 0 else 12.5)]
    sheets = [("Data", cells), ("More", [(1, 1, "England"), (2, 2, "Child's name")])]

    def refused(run: Any) -> list[str]:
        try:
            run()
        except (InputError, ErrorList) as e:
            return [str(err) for err in (e.errors if isinstance(e, ErrorList) else [e])]
        return []

    def reference() -> None:  # every cell screened on its own, as before
        problems = pd._Problems(Path("w.xlsx"))
        for name, found in sheets:
            for r, c, value in found:
                where = pd._cell_location(Path("w.xlsx"), name, r, c)
                if pd.looks_personal(value):
                    problems.add(pd._refusal(pd.HEADING_RULE, where, heading=value))
                elif rule := pd.value_rule(value):
                    problems.add(pd._refusal(rule, where))
                else:
                    continue
                if len(problems.items) >= pd.MAX_PROBLEMS:
                    break
        problems.raise_if_any()

    got = refused(lambda: pd.check_cell_values(sheets, Path("w.xlsx")))
    assert got == refused(reference)
    assert len(got) == pd.MAX_PROBLEMS + 1 and "more cells like these" in got[-1]


def test_numbers_are_screened_as_before() -> None:
    import math

    from selfeval.safety import personal_data as pd

    def reference(value: object) -> str | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e11):
            return pd.NHS_RULE if pd.nhs_number_is_valid(str(int(value))) else None
        return None

    values: list[object] = [9434765919, 9434765919.0, -9434765919, 943476591, 94347659190, 999999999, 1_000_000_000,
                            9_999_999_999, 10_000_000_000, 9434765919.5, math.nan, math.inf, -math.inf, 0, 0.0, True, 1e10, 4010232137]
    for value in values:
        assert pd.value_rule(value) == reference(value), value


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.text(ALPHABET, max_size=12), st.sampled_from(FRAGMENTS)), max_size=6).map("".join))
def test_the_ascii_quick_rejection_on_bytes_is_the_one_on_text(text: str) -> None:
    """The bytes-shape scan asks exactly what the ASCII number pattern and the birth-word check ask."""
    from selfeval.safety import personal_data as pd

    if not text.isascii():
        text = text.encode("ascii", "ignore").decode("ascii")
    expected = bool(pd._MAYBE_NUMBER_ASCII.search(text)) or (bool(pd._ASCII_DIGIT.search(text)) and pd._may_name_a_birth(text))
    assert pd._ascii_may_break_a_rule(text) == expected


# Texts as a findings file has them: prose, ids, dates, with curly quotes, the letters re.I folds,
# non-ASCII digits and spaces, and an unpaired surrogate (a YAML "\ud800" escape makes one).
WHOLE_FILE_TEXTS = st.lists(
    st.one_of(
        st.lists(st.one_of(st.text(ALPHABET + "\u2019\u00a0\u2028\x1c", max_size=12), st.sampled_from(FRAGMENTS)), max_size=5).map("".join),
        st.sampled_from(["The child\u2019s plan", "Inspection dates: 3 to 7 March 2025", "DOB", "\ud800 12 Mar 2014 born",
                         "d.\u00a0o.\u00a0b. 1/2/2013", "b\u0131rth 01/02/2013", "d.o.b 2013-02-01", "from birth to 18"]),
    ),
    max_size=12,
)


@settings(max_examples=2000, deadline=None)
@given(WHOLE_FILE_TEXTS)
def test_a_whole_file_screened_at_once_leaves_every_text_that_breaks_a_rule(texts: list[str]) -> None:
    from selfeval.safety import personal_data as pd

    kept = pd.texts_that_may_break_a_rule(texts)
    for text in texts:
        full = pd._matching_rule(text) if len(text) >= 5 and re.search(r"\d", text) else None
        if full is not None:
            assert text in kept, text
        assert pd.identifier_rule(text) == full


def test_a_whole_file_screened_at_once_keeps_the_identifiers() -> None:
    from selfeval.safety import personal_data as pd

    texts = ["Early help is strong", "NHS 943 476 5919", "ok", "born on 1 March 2012", "SW1A 1AA", "2024-25", "gir 0aa and more"]
    kept = pd.texts_that_may_break_a_rule(texts)
    assert {"NHS 943 476 5919", "born on 1 March 2012", "SW1A 1AA", "gir 0aa and more"} <= set(kept)
    assert "Early help is strong" not in kept and "ok" not in kept
    assert pd.texts_that_may_break_a_rule(["no digits here", "born"]) == []


# The heading rule is looked up in the set of headings its pattern takes, spelled out once and kept
# in the cache folder: the same answers as matching the pattern, on every heading near one of them.
def test_the_heading_set_is_exactly_what_the_pattern_takes() -> None:
    from selfeval.safety.personal_data import _PERSONAL_PATTERN, _personal_headings

    pattern = re.compile(_PERSONAL_PATTERN)
    headings = _personal_headings()
    assert len(headings) > 2000 and "date of birth" in headings and "child name" in headings
    assert all(pattern.match(h) for h in headings)
    letters = "abdehilmnorstuy0 "
    for heading in sorted(headings)[::7]:  # each one changed by a letter: added, dropped, replaced
        for i in range(0, len(heading) + 1, 3):
            for near in (heading[:i] + heading[i + 1:], *(heading[:i] + x + heading[i:] for x in letters),
                         *(heading[:i] + x + heading[i + 1:] for x in letters)):
                assert (near in headings) == bool(pattern.match(near)), near


def test_the_heading_screen_is_the_same_from_the_cache_and_without_it(tmp_path: Any, monkeypatch: Any) -> None:
    from selfeval.safety import personal_data as pd

    cases = ["Child's name", "Date of birth (DD/MM/YYYY)", "Name (child)", "Name", "Placement postcode", "Rate per 10,000"]
    expected = [True, True, True, False, True, False]
    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "cache"))
    try:
        for _ in range(2):  # the set spelled out and kept, then read back from the cache folder
            pd._personal_heading.cache_clear()
            assert [pd.looks_personal(c) for c in cases] == expected
        assert list((tmp_path / "cache" / "data").glob("*.data"))

        def cannot(*_: object) -> frozenset[str]:
            raise pd._NotFinite("a parser that reads the pattern otherwise")

        monkeypatch.setattr(pd, "_personal_headings", cannot)
        monkeypatch.setenv("SELFEVAL_CACHE", "")
        pd._personal_heading.cache_clear()  # then the pattern itself is matched
        assert [pd.looks_personal(c) for c in cases] == expected
    finally:
        pd._personal_heading.cache_clear()
