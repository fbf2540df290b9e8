"""The analysis takes shortcuts to be fast (issue 20): each one must give exactly what the plain rule gives.

- history linking counts what an earlier area shares with every later text at once, on bit masks;
- the judgement word lists are looked up by first word instead of one regular expression per phrase;
- framework suggestions are cached per text;
- judgement areas, grades, engagement types and framework titles are looked up by their squashed spellings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfeval import facts
from selfeval.analyse import framework_map as fm
from selfeval.analyse import history
from selfeval.analyse import strengths as st
from selfeval.load.inputs import load_inputs
from selfeval.models.findings import Findings

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs"


@pytest.fixture(scope="module")
def engagements() -> list[Findings]:
    return [item.findings for item in load_inputs(EXAMPLE).findings]


# -- history: the paragraph index drops nothing -------------------------------------------------

def _every_paragraph(earlier: history._Profile, later: Findings) -> list[tuple[int | None, float, list[str]]]:
    """The plain rule: score every paragraph of the later report, keep those at the threshold, best two."""
    found = []
    for section in later.sections:
        for paragraph in section.paragraphs:
            score, reasons = history._theme(earlier, history._profile(paragraph.text))
            if score >= history.PARAGRAPH_THRESHOLD:
                found.append((paragraph.number, round(score, 3), reasons))
    found.sort(key=lambda f: -f[1])
    return found[: history.MAX_PARAGRAPHS]


def test_linked_paragraphs_are_those_scoring_every_paragraph_would_find(engagements: list[Findings]) -> None:
    links = history.link_history(engagements)
    assert sum(1 for link in links if link.paragraphs) >= 20  # the example has plenty to compare
    for link in links:
        expected = _every_paragraph(history._profile(link.area.text), link.later)
        assert [(p.number, p.score, p.reasons) for p in link.paragraphs] == expected, link.area.id


def test_linked_areas_are_those_scoring_every_later_area_would_find(engagements: list[Findings]) -> None:
    links = history.link_history(engagements)
    assert sum(1 for link in links if link.areas) >= 10
    for link in links:
        earlier = history._area(link.earlier, link.area)
        expected = []
        for afi in link.later.areas_for_improvement:
            later = history._area(link.later, afi)
            theme = history._score(earlier.profile, later.profile)
            if theme >= history.AREA_THRESHOLD:
                expected.append(history._area_match(earlier, later, theme))
        expected.sort(key=lambda m: -m.score)
        assert [(m.area.id, m.score, m.reasons) for m in link.areas] == [(m.area.id, m.score, m.reasons) for m in expected]


def test_the_index_finds_every_text_reaching_a_threshold_with_its_exact_score(engagements: list[Findings]) -> None:
    """Each area against every area and paragraph of the example (earlier, later or the same
    engagement), at both thresholds and a few others: the texts the bit masks find, and their
    scores, are those that scoring each pair finds, to the last bit of the float."""
    areas = [history._profile(afi.text) for f in engagements for afi in f.areas_for_improvement]
    paragraphs = [history._profile(p.text) for f in engagements for s in f.sections for p in s.paragraphs]
    # A letter lower() lengthens ('İ') makes concept_stems read a text's phrases another way: the
    # index reads those texts' phrases one by one.
    odd = [history._profile("İ" + text) for text in [afi.text for f in engagements for afi in f.areas_for_improvement]]
    assert sum(not profile.regular for profile in odd) > 50
    areas += odd
    paragraphs += odd
    wanted = frozenset().union(*(a.term_keys for a in areas))
    for texts in (areas, paragraphs):
        index = history._Index(texts, wanted)
        every = (1 << len(texts)) - 1
        for at_least in (history.AREA_THRESHOLD, history.PARAGRAPH_THRESHOLD, 0.25, 0.4, 1.4, 2.0):
            for earlier in areas:
                found = {i: score for score, bits in index.reaching(earlier, at_least, every) for i in history._lowest(bits, len(texts))}
                scores = {i: history._score(earlier, later) for i, later in enumerate(texts)}
                assert found == {i: score for i, score in scores.items() if score >= at_least}


def test_a_pair_sharing_nothing_scores_nothing() -> None:
    a = history._profile("The quality of supervision for social workers.")
    b = history._profile("Return home interviews for children who go missing from care.")
    assert history._theme(a, b) == (0.0, [])


def test_the_theme_score_is_the_sum_its_reasons_give(engagements: list[Findings]) -> None:
    areas = [afi.text for f in engagements for afi in f.areas_for_improvement]
    concepts = fm.model().concepts
    for a in areas:
        for b in areas:
            pa, pb = history._profile(a), history._profile(b)
            score, reasons = history._theme(pa, pb)
            shared = sorted(pa.concept_keys & pb.concept_keys, key=lambda c: (not concepts[c].specific, c))
            expected = sum(history.SPECIFIC_CONCEPT if concepts[c].specific else history.BROAD_CONCEPT for c in shared)
            terms = (pa.term_keys & pb.term_keys) - {s for c in shared for s in pa.covers[c] | pb.covers[c]}
            if terms:
                expected += min(history.KEY_TERM_CAP, history.KEY_TERM * len(terms))
            assert score == pytest.approx(expected)
            assert len(reasons) == len(shared) + bool(terms)


# -- strengths: the word lists match as one regular expression per phrase would ------------------

def _regex_found(phrases: list[str], text: str, *, opening: bool = False) -> list[str]:
    """The rule as written in judgement_words.yaml: whole words, whitespace between them."""
    out = []
    for phrase in phrases:
        words = r"\s+".join(re.escape(w) for w in phrase.lower().split())
        m = re.search(("^" if opening else r"(?<![\w-])") + words + r"(?![\w-])", text)
        if m:
            out.append(m.group())
    return out


EDGE_CASES = [
    "well-being is good",
    "good-quality and well  effective work",
    "highly\neffective and highly  skilled",
    "not-good",
    "_good_ good_ goodé",
    "effective.",
    "-effective",
    "as well as good",
    "however, it is good",
    "",
    "highly-effective, highly effective-ish, highly\u00a0effective, highly\teffective",
    "very  well very-well",
    "particularly  strong, particularly\nwell",
    "in addition, it is good",
    "in  the process of being effective",
    "in additional ways it is good",
    " in contrast",
]


def test_word_lists_match_whole_words_as_the_rule_says(engagements: list[Findings]) -> None:
    data = facts.load_data("judgement_words.yaml")
    words = st._words()
    texts = list(EDGE_CASES)
    for findings in engagements:
        for section in findings.sections:
            for paragraph in section.paragraphs:
                texts.append(st._normal(paragraph.text))
                texts.extend(st._normal(s) for s in st.sentences(paragraph.text))
    for text in texts:
        for name in ("strong", "positive", "negative", "hedge", "impact"):
            assert st._found(getattr(words, name), text) == _regex_found(data[name], text), (name, text)
        opening = text.lstrip("“\"'(")
        assert st._found(words.leaning, opening) == _regex_found(data["leaning"], opening, opening=True), text


def test_a_word_list_phrase_that_is_not_whole_words_is_refused() -> None:
    with pytest.raises(ValueError, match="not whole words"):
        st._phrases(["children's"], "positive")


# -- framework suggestions: cached, but every caller gets its own ------------------------------

def test_a_suggestion_changed_by_one_caller_is_not_changed_for_the_next() -> None:
    text = "The quality of return home interviews for children who go missing from care."
    first = fm.suggest_refs(text)
    before = [(s.ref, s.confidence, list(s.reasons)) for s in first]
    first[0].reasons.append("changed by a caller")
    again = fm.suggest_refs(text)
    assert [(s.ref, s.confidence, s.reasons) for s in again] == before


# -- framework_map: words, concepts and tags read the short way ------------------------------

def _paragraph_texts(engagements: list[Findings]) -> list[str]:
    return [p.text for f in engagements for s in f.sections for p in s.paragraphs] + [
        a.text for f in engagements for a in f.areas_for_improvement
    ]


def _plain_concepts(text: str) -> dict[str, list[str]]:
    """The plain scan: at every word, the longest phrase starting there; its words are used up."""
    tokens = fm.tokenize(text)
    out: dict[str, list[str]] = {}
    i = 0
    while i < len(tokens):
        for phrase, cid in fm.model().phrases.get(tokens[i].stem, ()):
            n = len(phrase)
            if tuple(t.stem for t in tokens[i : i + n]) == phrase:
                found = text[tokens[i].start : tokens[i + n - 1].end]
                if found.lower() not in (p.lower() for p in out.setdefault(cid, [])):
                    out[cid].append(found)
                i += n
                break
        else:
            i += 1
    return out


def test_concepts_and_key_terms_are_what_a_word_by_word_scan_finds(engagements: list[Findings]) -> None:
    stops = fm._stop_stems() | fm._generic_only_stems()
    odd = ["", "Children’s return-home interviews; child’s plan 2024.", "İstanbul: return home interviews for children who go missing."]
    for text in _paragraph_texts(engagements) + odd:
        tokens = fm.tokenize(text)
        assert fm.stems(text) == tuple(t.stem for t in tokens)
        plain = _plain_concepts(text)
        assert fm.concepts_in(text) == plain
        assert fm.concept_ids(text) == tuple(plain)
        assert fm.concept_stems(text) == {cid: frozenset(t.stem for p in found for t in fm.tokenize(p)) for cid, found in plain.items()}
        assert fm.key_terms(text) == {t.stem for t in tokens if len(t.stem) > 2 and t.stem not in stops and not t.stem.isdigit()}


def test_text_naming_no_framework_kind_is_only_trimmed(engagements: list[Findings]) -> None:
    from selfeval.framework_refs import text_without_refs

    texts = _paragraph_texts(engagements) + [
        "Plans for children (see paragraph 12). ",
        "Supervision. (National Framework)",
        "Supervision. (OUTCOME 3, national framework)",
        "Supervision. Enabler three: National Framework.",
    ]
    for text in texts:
        assert fm.strip_ref(text) == text_without_refs(text).strip()


# -- caches: a batch worker drafting every council must not grow without limit ------------------

# Unbounded on purpose: each holds one entry per item of shipped data, never per text read.
_PER_DATA_ITEM = {"_cue_pattern", "_example_terms"}


def test_every_cache_keyed_by_text_is_bounded() -> None:
    import importlib
    import inspect
    import pkgutil

    import selfeval.analyse

    unbounded = []
    for info in pkgutil.iter_modules(selfeval.analyse.__path__):
        module = importlib.import_module(f"selfeval.analyse.{info.name}")
        for name, fn in vars(module).items():
            if not hasattr(fn, "cache_info") or getattr(fn, "__module__", None) != module.__name__:
                continue
            takes_arguments = bool(inspect.signature(fn).parameters)
            if fn.cache_info().maxsize is None and takes_arguments and name not in _PER_DATA_ITEM:
                unbounded.append(f"{info.name}.{name}")
    assert unbounded == []


# -- facts: a spelling looked up in a table is what a search of the items in order finds ----------------

def _searched(items: list[tuple[object, tuple[str, ...]]], text: str) -> object:
    wanted = facts._squash(text)
    return next((found for found, spellings in items if any(wanted == facts._squash(s) for s in spellings)), None)


def test_spelling_tables_find_what_a_search_in_order_finds() -> None:
    areas = [(a.key, (a.key, *a.titles)) for a in facts.judgement_areas().values()]
    grades = [(g, (*g.spellings, g.id)) for g in facts.grades().values()]
    types = [(t, (t.id, *t.spellings)) for t in facts.engagement_types().values()]
    titles = [(i.ref, (i.title,)) for i in facts.framework_items().values()]
    spellings = {s for _, ss in areas + grades + types + titles for s in ss} | {a.short for a in facts.judgement_areas().values()}
    texts = sorted(spellings) + [s.upper() for s in spellings] + [f" {s}!" for s in spellings] + ["", "x", "Good ", "SIF"]
    for text in texts:
        assert facts.area_for_title(text) == _searched(areas, text), text
        assert facts.grade_for(text) == _searched(grades, text), text
        assert facts.engagement_type_for(text) == _searched(types, text), text
        if not re.match(r"^\s*(outcome|enabler|principle)", text, re.I):
            assert facts.normalise_ref(text) == _searched(titles, text), text


# -- framework_map: naming a framework kind, found without the case-insensitive scan ---------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st_  # noqa: E402

_KIND_PIECES = ["outcome", "OUTCOME", "Enabler", "enablers", "principle", "PRINCİPLE", "prıncıple", "pr", "inciple",
                "out", "come", "ENAB", "ler", "i\u0307", "\u212a", "\u017f", " ", "’", "3"]


@settings(max_examples=3000, deadline=None)
@given(st_.lists(st_.one_of(st_.sampled_from(_KIND_PIECES), st_.text("outcmenablrpiOUTCMENABLRPIİı\u0307 ", max_size=6)), max_size=6).map("".join))
def test_naming_a_kind_agrees_with_the_case_insensitive_scan(text: str) -> None:
    assert fm._names_a_kind(text) == (fm._ANY_KIND.search(text) is not None)


def test_naming_a_kind_on_report_paragraphs(engagements: list[Findings]) -> None:
    for text in _paragraph_texts(engagements):
        assert fm._names_a_kind(text) == (fm._ANY_KIND.search(text) is not None)


# -- history: an excerpt is read off the paragraph's opening, as off the whole paragraph ----------

def _whole_excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= history.EXCERPT_CHARS:
        return text
    cut = text[: history.EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def test_an_excerpt_is_what_the_whole_paragraph_gives(engagements: list[Findings]) -> None:
    n = history.EXCERPT_CHARS
    texts = [p.text for f in engagements for s in f.sections for p in s.paragraphs]
    texts += [
        "", " ", "word", "a" * n, "a" * (n + 1), "a " * n, " " * (n + 100) + "late start", "\n\t " * 60 + "x y",
        ("word " * 40).strip(), "w" * (n - 1) + "  " + "tail", "w" * (n - 5) + "\n\n\n\n\n\n\n\n\n\n" + "after the gap",
        "x" * (n - 1) + ", next", "x" * (n - 1) + ",;: " + "y" * 50, ("ab\u2028 " * 80), "é" * 200,
    ]
    texts += [t.replace(" ", "   ") for t in texts[:40]] + [t.replace(" ", "\n") for t in texts[:40]]
    for text in texts:
        assert history._excerpt(text) == _whole_excerpt(text), text[:60]
