"""Which outcome Ofsted meant by a printed number, and how a document of a given date numbers it.

The evidence is ../shared/domain/framework-numbering.md: DfE swapped outcomes 2 and 3 on
2 March 2026 and Ofsted's reports since then print both orders.
"""

from __future__ import annotations

import datetime as dt

import pytest

from selfeval import facts
from selfeval.framework_refs import canonical_edition, edition_for, editions, ref_in_force, resolve_outcome

SAFE = "Children and young people are safe in and outside of their homes"
FAMILY = "Children and young people are supported by their family network"


def test_editions_are_reference_data_with_start_dates():
    ids = [e.id for e in editions()]
    assert ids == ["2023-12", "2026-03"]
    assert edition_for(dt.date(2026, 3, 1)).id == "2023-12"
    assert edition_for(dt.date(2026, 3, 2)).id == "2026-03"
    assert edition_for(dt.date(2019, 1, 1)).id == "2023-12"  # before any edition: the earliest
    # selfeval's own refs (framework.yaml) are the canonical edition's numbering and titles
    canon = canonical_edition()
    for number, (_, title) in canon.outcomes.items():
        assert facts.framework_items()[f"outcome {number}"].title == title


def test_every_edition_numbers_the_same_four_outcomes():
    keys = {frozenset(k for k, _ in e.outcomes.values()) for e in editions()}
    assert len(keys) == 1


@pytest.mark.parametrize(
    ("council", "published", "printed", "wording", "meant"),
    [
        # 2023 order (safe = 3) in 2026 reports
        ("Lambeth", dt.date(2026, 3, 10), "outcome 3", "The timeliness and quality of return home interviews for children missing from care", "outcome 3"),
        ("Southwark", dt.date(2026, 5, 12), "outcome 3", "Management oversight of police protection", "outcome 3"),
        # 2026 order (safe = 2, family network = 3)
        ("Coventry", dt.date(2026, 5, 20), "outcome 2", "The quality of planning for children in need of help and protection", "outcome 3"),
        ("Brent", dt.date(2026, 6, 3), "Outcome 2", "The use of pre-proceedings and care proceedings", "outcome 3"),
        ("Trafford", dt.date(2026, 8, 1), "outcome 2", "Timeliness and response to children at risk of significant harm", "outcome 3"),
        ("Trafford", dt.date(2026, 8, 1), "outcome 2", "Response to 16- and 17-year-old homeless children", "outcome 3"),
        ("Middlesbrough", dt.date(2026, 7, 1), "outcome 3", "Exploring family networks as potential carers", "outcome 2"),
        # before March 2026 there is one numbering, whatever the wording
        ("Bedford", dt.date(2025, 8, 1), "outcome 2", "Exploring family networks", "outcome 2"),
        ("Harrow", dt.date(2025, 3, 1), "Outcome three", "Risks to care leavers' welfare", "outcome 3"),
    ],
)
def test_a_printed_outcome_is_read_as_the_outcome_ofsted_meant(council, published, printed, wording, meant):
    resolved = resolve_outcome(printed, published, wording)
    assert resolved.ref == meant, f"{council}: {resolved.reason}"
    assert resolved.printed == facts.normalise_ref(printed)
    assert not resolved.ambiguous
    assert resolved.reason


def test_the_reason_names_the_wording_that_decided():
    resolved = resolve_outcome("outcome 2", dt.date(2026, 8, 1), "Quality and impact of safety planning")
    assert resolved.ref == "outcome 3" and resolved.title == SAFE
    assert "'safety planning'" in resolved.reason and resolved.edition == "2026-03"


def test_without_telling_wording_the_numbering_in_force_decides_and_says_so():
    resolved = resolve_outcome("outcome 2", dt.date(2026, 7, 1), "Management supervision of assessments")
    assert resolved.ref == "outcome 3"  # outcome 2 of the March 2026 numbering is the safety outcome
    assert resolved.ambiguous and "correct the ref in the findings file" in resolved.reason
    assert resolve_outcome("outcome 3", dt.date(2026, 9, 1)).ref == "outcome 2"  # no wording at all


def test_enablers_principles_and_titles_are_not_renumbered():
    day = dt.date(2026, 8, 1)
    assert resolve_outcome("enabler 2", day).ref == "enabler 2"
    assert resolve_outcome("Principle 1", day).ref == "principle 1"
    assert resolve_outcome("Leaders drive conditions for effective practice", day).ref == "enabler 2"
    assert resolve_outcome(SAFE, day).ref == "outcome 3"  # named by title: no number to misread
    assert resolve_outcome("outcome 1", day, "family networks").ref == "outcome 1"


@pytest.mark.parametrize("bad", ["outcome 7", "enabler 9", "nothing like a ref", ""])
def test_a_string_that_is_no_ref_is_refused(bad):
    with pytest.raises(ValueError):
        resolve_outcome(bad, dt.date(2026, 8, 1))


def test_a_document_shows_the_numbering_in_force_on_its_date_with_the_title():
    before, after = dt.date(2026, 1, 15), dt.date(2026, 12, 1)
    assert ref_in_force("outcome 3", before).text == f"Outcome 3: {SAFE}"
    assert ref_in_force("outcome 3", after).text == f"Outcome 2: {SAFE}"
    assert ref_in_force("outcome 2", after).text == f"Outcome 3: {FAMILY}"
    assert ref_in_force("outcome 4", after).label == "Outcome 4"
    assert ref_in_force("enabler 2", after).text == "Enabler 2: Leaders drive conditions for effective practice"


def test_resolving_then_showing_keeps_the_meaning():
    # Trafford printed "outcome 2" for significant harm in August 2026; a December 2026 plan shows
    # the safety outcome under its March 2026 number, never "Outcome 2: ... family network" with the old title.
    resolved = resolve_outcome("outcome 2", dt.date(2026, 8, 1), "children at risk of significant harm")
    shown = ref_in_force(resolved.ref, dt.date(2026, 12, 1))
    assert shown.text == f"Outcome 2: {SAFE}"
    assert ref_in_force(resolved.ref, dt.date(2025, 12, 1)).text == f"Outcome 3: {SAFE}"


# -- how Ofsted prints refs (so that every labelled area is found) --------------------------------

@pytest.mark.parametrize(
    ("text", "without", "ref", "raw"),
    [
        ("Practice with every child experiencing harm from neglect [Outcome 3, national framework].",
         "Practice with every child experiencing harm from neglect.", "outcome 3", "[Outcome 3, national framework]"),
        ("Support to all care leavers [ Outcome 4, national framework].", "Support to all care leavers.", "outcome 4",
         "[ Outcome 4, national framework]"),
        ("The quality of assessments for disabled children. Enabler three: National Framework.",
         "The quality of assessments for disabled children.", "enabler 3", "Enabler three: National Framework"),
        ("The identification and response to neglect. (outcome 3: national framework)",
         "The identification and response to neglect.", "outcome 3", "(outcome 3: national framework)"),
    ],
)
def test_refs_printed_in_square_brackets_after_a_colon_or_as_a_last_sentence_are_found(text, without, ref, raw):
    from selfeval.framework_refs import split_refs

    rest, found = split_refs(text)
    assert (rest, [(r.ref, r.raw) for r in found]) == (without, [(ref, raw)])


@pytest.mark.parametrize("text", ["Outcome 3 is what we want. We note the national framework.", "Something about [the board] here.",
                                  "Support from the board (see paragraph 4)."])
def test_text_that_only_mentions_the_framework_keeps_its_words(text):
    from selfeval.framework_refs import split_refs

    assert split_refs(text) == (text, [])
