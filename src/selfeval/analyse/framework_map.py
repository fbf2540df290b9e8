"""Suggest National Framework references for areas for improvement that carry none.

Two transparent parts, combined: the framework lexicon (every point of its score comes from a
named concept in ``selfeval/data/framework_mapping.yaml``, the framework's own description wording,
or the judgement area) and what was learned from Ofsted's own tags (``framework_learned``: word
counts per ref, and the labelled areas themselves for "most like ..."). Each suggestion lists its
reasons so a person can judge it, and its confidence is calibrated on held-out councils.
See docs/framework-mapping.md for the method and its measured accuracy.

Public API:
    suggest_refs(text, top=None, judgement_area=None) -> list[Suggestion]   (top=None: THE rule)
    suggested_framework_refs(afi, judgement_area=None) -> list[FrameworkRef]
    with_suggestions(findings) -> Findings
    concepts_in(text) -> dict[concept id, list of matched phrases]   (shared with history linking)
    concept_ids(text) -> the concept ids alone, in the same order (no phrases read off the text)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Sequence

from selfeval import facts
from selfeval.analyse.framework_learned import (
    Example,
    Learned,
    evidence_for,
    from_json,
    known_features,
    log_scores,
    shipped,
    shipped_source,
    similarity,
)
from selfeval.framework_refs import ref_in_force, text_without_refs
from selfeval.cache_folder import module_source
from selfeval.kept_data import kept
from selfeval.wording import join_and

if TYPE_CHECKING:  # imported where used: `selfeval map` needs no findings model (start-up time)
    from selfeval.models.findings import AreaForImprovement, Findings, FrameworkRef

# Words that say nothing about *which* part of the framework an area is about.
STOPWORDS = frozenset(
    """
    a about above across after again against all also an and any are around as at be because been before being
    between both but by can could do does doing down during each either for from further had has have having
    here how if in into is it its itself more most much must not of off on once only or other our out over own
    same should so some such than that the their them themselves then there these they this those through to
    too under until up very was we were what when where whether which while who whom why will with within
    without would yet including include particularly especially ensure ensuring so that those whose who's
    """.split()
)
# Words common to almost every area for improvement ("the quality and consistency of the response to
# children ..."): ignored for framework-wording matches and for theme linking.
GENERIC = frozenset(
    """
    child children young people person family families quality consistency consistent consistently
    timeliness timely effective effectiveness response respond responsive practice impact work working
    service services support need needs improve improvement improved help level levels small number
    appropriate sufficient sufficiently well good clear clearly across always often right identified
    identification identify recognition understanding experience experiences progress social worker workers
    local authority authorities council provide provided provision arrangement arrangements use used
    care home homes social case cases
    """.split()
)

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_KIND_FACTOR = {"issue": 1.0, "population": 0.45, "generic": 0.5}


# The same few thousand words recur in every area, term and labelled example; bounded all the same
# (numbers, names and broken words from a batch of every council's reports add up).
@lru_cache(maxsize=1 << 15)
def stem(word: str) -> str:
    """A deliberately light stemmer: enough to make 'interviews'/'interview', 'planning'/'plan' meet."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


class Token(NamedTuple):  # a tuple, not a dataclass: every word of every report becomes one
    stem: str
    start: int
    end: int


def _lowered(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


# Bounded caches, here and below: a text is read for its concepts, its key terms and its surface
# words within one council's run, and a batch worker goes on to the next council's texts. Each
# holds a few councils' worth; those whose entries are large (positions, ~5 KB a paragraph) fewer.
@lru_cache(maxsize=4096)
def stems(text: str) -> tuple[str, ...]:
    """The text's words as stems, in order: ``tokenize`` without the positions, which most uses need not build."""
    return _stems(text)


def _stems(text: str) -> tuple[str, ...]:  # uncached: the lexicon's own terms are read once, into the model
    return tuple(map(stem, _WORD_RE.findall(_lowered(text))))


@lru_cache(maxsize=1024)  # only texts whose phrases or words are quoted: areas, the paragraphs shown
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where each of the text's words is, in step with ``stems``."""
    return tuple(m.span() for m in _WORD_RE.finditer(_lowered(text)))


@lru_cache(maxsize=1024)  # the suggester's areas; everything else reads stems
def tokenize(text: str) -> list[Token]:
    """The text's words as stems with their positions (callers must not change the list: it is cached)."""
    return [Token(s, start, end) for s, (start, end) in zip(stems(text), _spans(text))]


def surface_words(text: str, wanted: set[str] | frozenset[str]) -> dict[str, str]:
    """Stem -> the word as ``text`` first writes it (lower case), for the ``wanted`` stems it has."""
    out: dict[str, str] = {}
    for s, (start, end) in zip(stems(text), _spans(text)):
        if s in wanted and s not in out:
            out[s] = text[start:end].lower()
    return out


# A framework tag names its kind ('(outcome 3, ...)', 'Enabler three: ...'): a text naming none has
# none to strip, and most report paragraphs name none (the search has the tag patterns' case rules).
_ANY_KIND = re.compile("|".join(facts.REF_KINDS), re.IGNORECASE)
# Where re's case-insensitive match and lower() part: its 'i' also matches these two, which lower()
# does not turn into a lone 'i' ('İ' becomes 'i' and a combining dot).
_DOTTED_I = ("\u0130", "\u0131")


def _names_a_kind(text: str) -> bool:
    """``_ANY_KIND.search(text)``, in one lower() and three substring tests (several times faster on
    a report paragraph than the case-insensitive scan); a text with a dotted or dotless i takes the scan."""
    lowered = text.lower()
    if any(kind in lowered for kind in facts.REF_KINDS):
        return True
    return any(i in text for i in _DOTTED_I) and _ANY_KIND.search(text) is not None


@lru_cache(maxsize=4096)  # an area's text is stripped for each paragraph and sentence it is set against
def strip_ref(text: str) -> str:
    """The text without a trailing framework cross-reference such as '(outcome 3, national framework)'."""
    if not _names_a_kind(text):
        return text.strip()
    return text_without_refs(text).strip()


def key_terms(text: str) -> set[str]:
    """Stems of the content words of ``text`` (no stopwords, no words common to every finding)."""
    return {s for s in set(stems(text)) - _not_key_terms() if len(s) > 2 and not s.isdigit()}


# -- the model -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    """One practice concept of the lexicon: its phrases and the refs it points to, with their weights."""

    id: str
    label: str
    kind: str
    refs: dict[str, float]
    terms: tuple[str, ...]
    specific: bool
    indicator: str | None = None
    decisive: frozenset[tuple[str, ...]] = frozenset()  # stems of the phrases that settle the ref


@dataclass(frozen=True)
class _Model:
    """The framework lexicon, read from framework_mapping.yaml with every phrase stemmed."""

    concepts: dict[str, Concept]
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first stem -> [(stems, concept id)], longest first
    descriptions: dict[str, frozenset[str]]  # ref -> content stems of the framework description
    indicators: dict[str, tuple[str, ...]]
    scoring: dict


# What the lexicon and the learned model are built from, and everything that builds them: the data
# files facts reads and the modules this one imports. Both are built once per version of these and
# kept in the user's cache folder (selfeval.kept_data): ~10 ms of stemming every term, description
# and labelled area, in every run, otherwise.
_DATA_FILES = ("framework_mapping.yaml", "framework.yaml", "framework_editions.yaml", "ilacs.yaml", "engagements.yaml")


@cache
def _sources() -> bytes:
    import sys

    from selfeval import framework_refs, wording
    from selfeval.analyse import framework_learned

    modules = (sys.modules[__name__], facts, framework_learned, framework_refs, wording)
    parts = [module_source(m.__file__) for m in modules] + [facts.data_file(name) for name in _DATA_FILES]
    return b"\0".join(parts)


@cache
def _lexicon() -> tuple[Any, ...]:
    """The model and its phrase index, as kept: plain values (see _plain_lexicon)."""
    return kept("framework lexicon", _sources(), _plain_lexicon)


def _plain_lexicon() -> tuple[Any, ...]:
    built = _built_model()
    concepts = {cid: (c.id, c.label, c.kind, c.refs, c.terms, c.specific, c.indicator, c.decisive) for cid, c in built.concepts.items()}
    return (concepts, built.phrases, built.descriptions, built.indicators, built.scoring, *_index_phrases(built.phrases))


@cache
def model() -> _Model:
    concepts, phrases, descriptions, indicators, scoring = _lexicon()[:5]
    return _Model({cid: Concept(*fields) for cid, fields in concepts.items()}, phrases, descriptions, indicators, scoring)


def _built_model() -> _Model:
    data = facts.load_data("framework_mapping.yaml")
    items = facts.framework_items()
    concepts: dict[str, Concept] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for cid, c in data["concepts"].items():
        refs = {}
        for ref, weight in c["refs"].items():
            item = facts.framework_item(ref)
            if item is None:  # a typo in the data file must not pass silently
                raise ValueError(f"framework_mapping.yaml: concept {cid} names unknown ref {ref!r}")
            refs[item.ref] = float(weight)
        kind = c.get("kind", "issue")
        decisive = frozenset(_stems(str(term)) for term in c.get("decisive_terms", []))
        concept = Concept(
            cid, c["label"], kind, refs, tuple(c["terms"]), bool(c.get("specific", kind == "issue")), c.get("indicator"), decisive
        )
        concepts[cid] = concept
        for term in concept.terms:
            phrase = _stems(str(term))
            if phrase:
                phrases[phrase[0]].append((phrase, cid))
    for entries in phrases.values():
        entries.sort(key=lambda e: -len(e[0]))
    descriptions, indicators = {}, {}
    for ref in items:
        entry = data["items"].get(ref, {})
        words = key_terms(items[ref].title + " " + entry.get("description", ""))
        descriptions[ref] = frozenset(words)
        indicators[ref] = tuple(entry.get("indicators", []))
    return _Model(concepts, dict(phrases), descriptions, indicators, data["scoring"])


@dataclass(frozen=True)
class Match:
    """A concept phrase found in a text."""

    concept: str
    phrase: str  # as written in the text
    position: int  # index of the first token


@cache  # no arguments: one entry, the lexicon's
def _phrase_index() -> tuple[dict[tuple[str, str], list[tuple[tuple[str, ...], str]]], dict[str, str]]:
    """The lexicon's phrases by their first two words (those of two words or more, longest first,
    in ``model().phrases``' order), and the concept of the first one-word phrase of each word."""
    longer, single = _lexicon()[5:]
    return longer, single


def _index_phrases(
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]
) -> tuple[dict[tuple[str, str], list[tuple[tuple[str, ...], str]]], dict[str, str]]:
    longer: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
    single: dict[str, str] = {}
    for first, entries in phrases.items():
        for phrase, cid in entries:
            if len(phrase) > 1:
                longer.setdefault((phrase[0], phrase[1]), []).append((phrase, cid))
            else:
                single.setdefault(first, cid)
    return longer, single


def _concept_words(words: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(first word, number of words, concept id) of each concept phrase in ``words``: scanning from
    the start, the longest phrase starting at a word wins, and its words are used up."""
    # Only the phrases sharing a word's next word can be longer than one word there (words such as
    # 'family' and 'care' start ten phrases each), and the first one-word phrase if none of them is.
    longer, single = _phrase_index()
    starts = model().phrases
    found: list[tuple[int, int, str]] = []
    free = 0  # the first word not used up by a phrase already found
    last = len(words) - 1
    for i in [i for i, w in enumerate(words) if w in starts]:  # most words start no phrase
        if i < free:
            continue
        n, cid = 1, None
        if i < last:
            for phrase, candidate in longer.get((words[i], words[i + 1]), ()):
                if words[i : i + len(phrase)] == phrase:
                    n, cid = len(phrase), candidate
                    break
        if cid is None:
            cid = single.get(words[i])
        if cid is not None:
            found.append((i, n, cid))
            free = i + n
    return found


@lru_cache(maxsize=4096)
def _concepts_found(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(_concept_words(stems(text)))


def concept_ids(text: str) -> tuple[str, ...]:
    """The concepts ``text`` uses, in the order ``concepts_in`` lists them, without reading their
    phrases off the text (what most comparisons need)."""
    return tuple(dict.fromkeys(cid for _, _, cid in _concepts_found(text)))


def concept_stems(text: str) -> dict[str, frozenset[str]]:
    """Concept id -> the stems of the phrases of ``text`` that matched it: the matched words themselves."""
    if len(_lowered(text)) != len(text):
        # Lower-casing changed the length (a rare letter such as 'İ'), so the phrases are cut from
        # the text by positions that do not fall on it: read the phrases as concepts_in gives them.
        return {cid: frozenset(s for p in phrases for s in stems(p)) for cid, phrases in concepts_in(text).items()}
    words = stems(text)
    out: dict[str, set[str]] = {}
    for i, n, cid in _concepts_found(text):
        out.setdefault(cid, set()).update(words[i : i + n])
    return {cid: frozenset(found) for cid, found in out.items()}


def find_concepts(text: str) -> tuple[list[Match], list[Token], set[int]]:
    """Concept matches in ``text`` (longest phrase first, each word used once), the tokens, and the used token indexes."""
    tokens = tokenize(text)
    found = _concepts_found(text)
    matches = [Match(cid, text[tokens[i].start : tokens[i + n - 1].end], i) for i, n, cid in found]
    return matches, tokens, {j for i, n, _ in found for j in range(i, i + n)}


@lru_cache(maxsize=4096)  # asked again for the same texts by history links, quotes and indicator themes
def concepts_in(text: str) -> dict[str, list[str]]:
    """Concept id -> the phrases of ``text`` that matched it (in order, without repeats).
    Callers must not change the dict or its lists: they are cached."""
    out: dict[str, list[str]] = {}
    found = _concepts_found(text)
    spans = _spans(text) if found else ()
    for i, n, cid in found:
        phrase = text[spans[i][0] : spans[i + n - 1][1]]
        phrases = out.setdefault(cid, [])
        if phrase.lower() not in (p.lower() for p in phrases):
            phrases.append(phrase)
    return out


@dataclass(frozen=True)
class Suggestion:
    """A suggested framework ref for an area for improvement, with its confidence and reasons."""

    ref: str  # canonical numbering, as findings files store it
    title: str
    confidence: float  # calibrated: of suggestions given 0.7, about 70% are Ofsted's own ref (held-out councils)
    reasons: list[str] = field(default_factory=list)

    @property
    def low_confidence(self) -> bool:
        return self.confidence < low_confidence_threshold()

    def to_dict(self, day: dt.date | None = None) -> dict[str, Any]:
        shown = ref_in_force(self.ref, day or dt.date.today())
        return {
            "ref": self.ref,
            "label": shown.label,
            "numbering": shown.edition,
            "title": self.title,
            "confidence": self.confidence,
            "low_confidence": self.low_confidence,
            "reasons": list(self.reasons),
        }


def low_confidence_threshold() -> float:
    return float(model().scoring.get("low_confidence", 0.5))


def _quote(phrases: list[str]) -> str:
    return join_and([f"'{p}'" for p in phrases])


@dataclass(frozen=True)
class LexiconScores:
    """What the lexicon scored for each ref of one text, and why."""

    scores: dict[str, float]  # ref -> score (only refs that scored)
    reasons: dict[str, list[tuple[float, str]]]
    with_indicator: frozenset[str]
    decisive: tuple[tuple[str, str, str], ...] = ()  # (ref, phrase, concept label), in text order


def lexicon_scores(text: str, judgement_area: str | None = None) -> LexiconScores:
    """The framework lexicon's score for each ref, with the plain-English reason for every point."""
    m = model()
    s = m.scoring
    items = facts.framework_items()
    text = strip_ref(text)
    matches, tokens, used = find_concepts(text)

    # contributions[ref][concept] -> list of weights; phrases[ref][concept] -> phrases
    contributions: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    phrases: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    decisive: list[tuple[str, str, str]] = []
    for match in matches:
        concept = m.concepts[match.concept]
        if concept.decisive and tuple(t.stem for t in tokenize(match.phrase)) in concept.decisive:
            decisive.append((max(concept.refs, key=lambda r: concept.refs[r]), match.phrase, concept.label))
        position = max(s["position_floor"], 1.0 - s["position_decay"] * match.position)
        for ref, weight in concept.refs.items():
            contributions[ref][concept.id].append(weight * _KIND_FACTOR.get(concept.kind, 1.0) * position)
            if match.phrase.lower() not in (p.lower() for p in phrases[ref][concept.id]):
                phrases[ref][concept.id].append(match.phrase)

    scores: dict[str, float] = defaultdict(float)
    reasons: dict[str, list[tuple[float, str]]] = defaultdict(list)
    with_indicator: set[str] = set()
    for ref, by_concept in contributions.items():
        for cid, weights in by_concept.items():
            weights.sort(reverse=True)
            value = weights[0] + s["repeat_factor"] * sum(weights[1:])
            scores[ref] += value
            concept = m.concepts[cid]
            quoted = _quote(phrases[ref][cid])
            if concept.kind == "population":
                why = f"concerns {concept.label} ({quoted}); weak evidence, as it says who the area is about rather than what must improve"
            else:
                why = f"mentions {quoted} ({concept.label}"
                if concept.indicator:
                    why += f"; indicator: {concept.indicator}"
                    with_indicator.add(ref)
                why += ")"
            reasons[ref].append((value, why))

    # The framework's own description wording, for words no concept used (weak, capped).
    free = {t.stem for i, t in enumerate(tokens) if i not in used}
    surface = {t.stem: text[t.start : t.end] for i, t in enumerate(tokens) if i not in used}
    for ref, words in m.descriptions.items():
        shared = sorted(free & words)
        if shared:
            value = min(0.45, 0.15 * len(shared))
            scores[ref] += value
            reasons[ref].append((value, f"uses the framework's own wording for this {items[ref].kind} ({_quote([surface[w] for w in shared])})"))

    if judgement_area:
        key = facts.area_for_title(judgement_area) or judgement_area
        prior = s["judgement_prior"].get(key, {})
        area = facts.judgement_areas().get(key)
        for ref, value in prior.items():
            item = facts.framework_item(ref)
            if item is None:
                continue
            scores[item.ref] += float(value)
            reasons[item.ref].append((float(value), f"sits in the judgement area '{area.short if area else key}', usually tagged this {item.kind}"))

    for ref in list(scores):
        if items[ref].kind == "principle":
            scores[ref] *= s["principle_factor"]
    return LexiconScores({r: v for r, v in scores.items() if v > 0}, dict(reasons), frozenset(with_indicator), tuple(decisive))


def lexicon_probabilities(lex: LexiconScores) -> dict[str, float]:
    """Softmax over the refs that scored, with a fixed 'none of these' in the denominator (sums to < 1)."""
    s = model().scoring
    t = s["temperature"]
    exps = {r: math.exp(v / t) for r, v in lex.scores.items()}
    total = sum(exps.values()) + math.exp(s["none_score"] / t)
    return {r: e / total for r, e in exps.items()}


# -- the learned part and the combination --------------------------------------------------------

def features(text: str) -> frozenset[str]:
    """What the learned model sees of an area: its content words (stemmed) and adjacent pairs of them."""
    stops = _stop_stems()
    content = [s for s in stems(strip_ref(text)) if s not in stops and len(s) > 2 and not s.isdigit()]
    return frozenset(content) | frozenset(f"{a} {b}" for a, b in zip(content, content[1:]))


@cache
def _generic_only_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in GENERIC)


@cache
def _stop_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in STOPWORDS)


@cache
def _not_key_terms() -> frozenset[str]:
    return _stop_stems() | _generic_only_stems()


@cache
def learned() -> Learned:
    raw = shipped_source()
    source = _sources() + (b"\0missing" if raw is None else b"\0file\0" + raw)
    classes, counts, totals, smoothing, examples = kept("learned model", source, _plain_learned)
    return Learned(classes, counts, totals, smoothing, tuple(Example(*fields) for fields in examples))


def _plain_learned() -> tuple[Any, ...]:
    built = from_json(shipped(), features)
    examples = [(e.council, e.published, e.text, e.refs, e.features) for e in built.examples]
    return built.classes, built.features, built.totals, built.smoothing, examples


@cache
def _params() -> dict[str, float]:
    params = {"smoothing": 0.5, "lexicon_weight": 1.0, "lexicon_floor": 0.02, "temperature": 1.0,
              "calibration_slope": 1.0, "calibration_intercept": 0.0}
    params.update({k: float(v) for k, v in shipped().get("params", {}).items() if isinstance(v, (int, float))})
    return params


def combined_scores(
    text: str, judgement_area: str | None, learned_model: Learned, params: dict[str, float]
) -> tuple[dict[str, float], LexiconScores, frozenset[str]]:
    """Un-normalised log scores per ref: the lexicon's log-probability (weighted) plus the learned log-likelihood.

    Empty when neither the lexicon nor the learned vocabulary knows any of the words.
    """
    lex = lexicon_scores(text, judgement_area)
    feats = features(text)
    if not lex.scores and not known_features(learned_model, feats):
        return {}, lex, feats
    refs = list(facts.framework_items())
    nb = log_scores(learned_model, feats, refs) if learned_model.areas else {r: 0.0 for r in refs}
    return combine(lex, nb, params), lex, feats


def combine(lex: LexiconScores, nb: dict[str, float], params: dict[str, float]) -> dict[str, float]:
    """lexicon_weight * log(lexicon probability + floor) + learned log-likelihood, per ref.

    The floor keeps a ref the lexicon did not mention possible when Ofsted's tags argue for it.
    A decisive phrase (the first in the text, if several) puts its ref ``decisive_margin`` above
    every other: some refs must come out right whatever similar areas were tagged.
    """
    p_lex = lexicon_probabilities(lex)
    w, floor = params["lexicon_weight"], params["lexicon_floor"]
    scores = {r: w * math.log(p_lex.get(r, 0.0) + floor) + v for r, v in nb.items()}
    if lex.decisive and lex.decisive[0][0] in scores:
        ref = lex.decisive[0][0]
        others = [v for r, v in scores.items() if r != ref]
        if others:
            scores[ref] = max(scores[ref], max(others) + float(model().scoring.get("decisive_margin", 3.0)))
    return scores


def probabilities(scores: dict[str, float], temperature: float) -> dict[str, float]:
    """Softmax of the combined scores at the calibration temperature (fitted by cross-validation)."""
    if not scores:
        return {}
    top = max(scores.values())
    exps = {r: math.exp((v - top) / temperature) for r, v in scores.items()}
    total = sum(exps.values())
    return {r: e / total for r, e in exps.items()}


def calibrated(p: float, params: dict[str, float]) -> float:
    """The model's probability mapped to how often such a suggestion was right on held-out councils.

    Platt scaling, sigmoid(slope * logit(p) + intercept), fitted by the training script on
    leave-one-council-out predictions. A positive slope keeps the order of the refs.
    """
    p = min(max(p, 1e-6), 1 - 1e-6)
    slope = max(params.get("calibration_slope", 1.0), 1e-3)
    z = slope * math.log(p / (1 - p)) + params.get("calibration_intercept", 0.0)
    return 1 / (1 + math.exp(-z))


def calibrate_all(raw: dict[str, float], params: dict[str, float], knots: Sequence[tuple[float, float]] | None = None) -> dict[str, float]:
    """Calibrated confidence for every ref, best first (in the order of the model's own probabilities).

    Platt scaling, then the isotonic map (``knots``, from the shipped data unless given; ``()`` for
    none) fitted on held-out councils: Platt alone was over-confident above 0.7 and under-confident
    at 0.3-0.5. The best ref gets its confidence; the others share at most what is left (only one
    ref can be the one Ofsted would print first), scaled in proportion. The order is fixed before
    the isotonic map, which is flat in places and must never reorder refs.
    """
    if not raw:
        return {}
    platt = {r: calibrated(p, params) for r, p in raw.items()}
    order = sorted(platt, key=lambda r: (-platt[r], _order(r)))
    knots = _isotonic_knots() if knots is None else knots
    out = {r: isotonic(platt[r], knots) for r in order}
    best = order[0]
    rest = sum(v for r, v in out.items() if r != best)
    room = 1.0 - out[best]
    if rest > room > 0:
        out = {r: v if r == best else v * room / rest for r, v in out.items()}
    return out


def isotonic(p: float, knots: Sequence[tuple[float, float]]) -> float:
    """``p`` read off the isotonic calibration curve: linear between knots, from (0, 0) to the first
    (a ref the model all but rules out stays all but ruled out), flat beyond the last."""
    if not knots:
        return p
    if p <= knots[0][0]:
        return knots[0][1] * p / knots[0][0] if knots[0][0] > 0 else knots[0][1]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        if p <= x1:
            return y1 if x1 <= x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)
    return knots[-1][1]


@cache
def _isotonic_knots() -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in shipped().get("isotonic", []))


def ranked_refs(text: str, judgement_area: str | None = None, learned_model: Learned | None = None,
                params: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """Every ref with its calibrated probability, best first (empty when nothing in the text is known)."""
    params = params or _params()
    scores, _, _ = combined_scores(text, judgement_area, learned_model or learned(), params)
    probs = probabilities(scores, params["temperature"])
    return list(calibrate_all(probs, params).items())


def suggest_refs(text: str, *, top: int | None = None, judgement_area: str | None = None) -> list[Suggestion]:
    """Framework refs for an area for improvement, best first, each with a calibrated confidence and its reasons.

    ``top=None`` gives THE suggestion rule used by import, generate and map alike: the best ref,
    plus the runner-up when the best is low confidence or the runner-up is close to it.
    ``top=N`` lists the N best worth reading (confidence of at least 0.05). Empty when nothing in
    the text, or the judgement area, points anywhere.
    """
    # Copies: a caller may change a suggestion's reasons, and the cached ones are shared.
    return [replace(s, reasons=list(s.reasons)) for s in _suggest_refs(text, top, judgement_area, learned())]


# The same area is suggested for at every step of a run (import, history links, the plan), and a
# batch worker drafts one council after another: a few hundred areas' suggestions are plenty.
# Keyed by the learned model too, so a different model (retraining, tests) never sees stale ones.
@lru_cache(maxsize=512)
def _suggest_refs(text: str, top: int | None, judgement_area: str | None, model_: Learned) -> tuple[Suggestion, ...]:
    params = _params()
    scores, lex, feats = combined_scores(text, judgement_area, model_, params)
    # The isotonic curve was fitted on areas whose wording the model could read; an area whose words
    # it knows none of, suggested from its judgement area alone, keeps Platt's own (lower) value.
    read = bool(known_features(model_, feats)) or bool(lexicon_scores(text).scores)
    probs = calibrate_all(probabilities(scores, params["temperature"]), params, None if read else ())
    ranked = list(probs)  # best first
    if not ranked:
        return ()
    if top is None:
        chosen = ranked[:1]
        if len(ranked) > 1 and _runner_up_recorded(probs[ranked[0]], probs[ranked[1]]):
            chosen.append(ranked[1])
    else:
        chosen = [r for i, r in enumerate(ranked[:top]) if i == 0 or probs[r] >= 0.05]
    items = facts.framework_items()
    return tuple(Suggestion(r, items[r].title, round(probs[r], 3), _reasons(r, text, lex, feats, model_)) for r in chosen)


def _runner_up_recorded(best: float, second: float) -> bool:
    """The rule's second suggestion: when the best is low confidence (the right ref is then often the
    runner-up) or when the runner-up is close to it."""
    return second >= 0.05 and (best < low_confidence_threshold() or second >= model().scoring["second_ratio"] * best)


def _reasons(ref: str, text: str, lex: LexiconScores, feats: frozenset[str], learned_model: Learned) -> list[str]:
    m = model()
    items = facts.framework_items()
    why = [w for _, w in sorted(lex.reasons.get(ref, []), key=lambda x: -x[0])]
    if lex.decisive and lex.decisive[0][0] == ref:
        _, phrase, label = lex.decisive[0]
        why.insert(0, f"'{phrase}' settles it: {label} is what this {items[ref].kind} names, whatever similar areas were tagged")
    surface = _surface_words(text)
    generic = _generic_stems()
    evidence = [e for e in evidence_for(learned_model, feats, ref, items, limit=6)
                if e.tagged >= 2 and not all(w in generic for w in e.feature.split())][:3]
    if evidence:
        parts = [f"{e.tagged} of {e.using} using '{' '.join(surface.get(w, w) for w in e.feature.split())}'" for e in evidence]
        why.append(f"Ofsted's own tags: this {items[ref].kind} was the tag of {join_and(parts)} among the labelled areas")
    neighbour = nearest_labelled(text, ref, learned_model)
    if neighbour is not None:
        why.append(f"most like {neighbour.council} {neighbour.year}, which Ofsted tagged the same: '{_short(neighbour.text)}'")
    if m.indicators[ref] and ref not in lex.with_indicator:
        why.append(f"related DfE dashboard indicators: {'; '.join(m.indicators[ref][:3])}")
    return why


def _surface_words(text: str) -> dict[str, str]:
    """stem -> the word as the text wrote it (first use), so reasons quote the user's words."""
    out: dict[str, str] = {}
    lowered = strip_ref(text)
    for t in tokenize(lowered):
        out.setdefault(t.stem, lowered[t.start : t.end])
    return out


@cache
def _generic_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in GENERIC) | _stop_stems()


def nearest_labelled(text: str, ref: str, learned_model: Learned, minimum: float = 0.25) -> Example | None:
    """The labelled area most like ``text`` (by shared key terms) that Ofsted tagged ``ref``."""
    terms = frozenset(key_terms(strip_ref(text)))
    best: tuple[float, Example] | None = None
    for ex in learned_model.examples:
        if ref not in ex.refs:
            continue
        score = similarity(terms, _example_terms(ex.text))
        if score >= minimum and (best is None or score > best[0]):
            best = (score, ex)
    return best[1] if best else None


@cache  # one entry per labelled example the model ships
def _example_terms(text: str) -> frozenset[str]:
    return frozenset(key_terms(text))


def _short(text: str, limit: int = 90) -> str:
    text = text.rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _order(ref: str) -> tuple[int, int]:
    kind, number = ref.split()
    return (facts.REF_KINDS.index(kind), int(number))


# -- applying suggestions to findings -------------------------------------------------------

def area_judgement(findings: Findings | None, afi: AreaForImprovement) -> str | None:
    """The AFI's judgement area when something says which (None rather than a guess)."""
    from selfeval.analyse.areas import judgement_area_for

    return judgement_area_for(afi, findings, default=None)[0]


def suggested_framework_refs(afi: AreaForImprovement, judgement_area: str | None = None) -> list[FrameworkRef]:
    """FrameworkRef(source='suggested') for each suggestion of the one rule (``suggest_refs`` with ``top=None``)."""
    return as_framework_refs(suggest_refs(afi.text, judgement_area=judgement_area or afi.judgement_area))


def suggestions_for_area(afi: AreaForImprovement, findings: Findings | None) -> list[FrameworkRef]:
    """THE suggestion for an area without refs, as import writes it and generate shows it.

    The judgement area nudges it only when something says which area it is (never a placement guess),
    so the same area gets the same suggestions and confidences from every command.
    """
    return suggested_framework_refs(afi, area_judgement(findings, afi))


def as_framework_refs(suggestions: list[Suggestion]) -> list[FrameworkRef]:
    from selfeval.models.findings import FrameworkRef

    return [
        FrameworkRef(ref=s.ref, source="suggested", confirmed=False, confidence=s.confidence,
                     reasons=[f"confidence {s.confidence:.2f}" + (" (low)" if s.low_confidence else ""), *s.reasons])
        for s in suggestions
    ]


def with_suggestions(findings: Findings) -> Findings:
    """A copy of ``findings`` where every area without a framework ref gets suggested ones. Existing refs are never touched."""
    areas = []
    changed = False
    for afi in findings.areas_for_improvement:
        if afi.framework_refs:
            areas.append(afi)
            continue
        refs = suggestions_for_area(afi, findings)
        if refs:
            changed = True
            afi = afi.model_copy(update={"framework_refs": refs})
        areas.append(afi)
    if not changed:
        return findings
    return findings.model_copy(update={"areas_for_improvement": areas})
