"""Suggest National Framework references for areas for improvement that carry none.

The scorer is deliberately transparent: every point of a score comes from a named concept in
``selfeval/data/framework_mapping.yaml`` (practice vocabulary grouped under the framework's
outcomes, enablers and principles), from the framework's own description wording, or from the
judgement area, and each suggestion lists those reasons so a person can judge it.
See docs/framework-mapping.md for the method and its measured accuracy.

Public API:
    suggest_refs(text, top=3, judgement_area=None) -> list[Suggestion]
    suggested_framework_refs(afi, judgement_area=None) -> list[FrameworkRef]
    with_suggestions(findings) -> Findings
    concepts_in(text) -> dict[concept id, list of matched phrases]   (shared with history linking)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from selfeval import reference
from selfeval.analyse.areas import judgement_area_for
from selfeval.framework_refs import text_without_refs
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


@dataclass(frozen=True)
class Token:
    stem: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    return [Token(stem(m.group()), m.start(), m.end()) for m in _WORD_RE.finditer(lowered)]


def strip_ref(text: str) -> str:
    """The text without a trailing framework cross-reference such as '(outcome 3, national framework)'."""
    return text_without_refs(text).strip()


def key_terms(text: str) -> set[str]:
    """Stems of the content words of ``text`` (no stopwords, no words common to every finding)."""
    generic = {stem(w) for w in GENERIC}
    stops = {stem(w) for w in STOPWORDS}
    return {t.stem for t in tokenize(text) if len(t.stem) > 2 and t.stem not in stops and t.stem not in generic and not t.stem.isdigit()}


# -- the model -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    kind: str
    refs: dict[str, float]
    terms: tuple[str, ...]
    specific: bool
    indicator: str | None = None


@dataclass(frozen=True)
class _Model:
    concepts: dict[str, Concept]
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first stem -> [(stems, concept id)], longest first
    descriptions: dict[str, frozenset[str]]  # ref -> content stems of the framework description
    indicators: dict[str, tuple[str, ...]]
    scoring: dict


@cache
def model() -> _Model:
    data = reference.load_data("framework_mapping.yaml")
    items = reference.framework_items()
    concepts: dict[str, Concept] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for cid, c in data["concepts"].items():
        refs = {}
        for ref, weight in c["refs"].items():
            item = reference.framework_item(ref)
            if item is None:  # a typo in the data file must not pass silently
                raise ValueError(f"framework_mapping.yaml: concept {cid} names unknown ref {ref!r}")
            refs[item.ref] = float(weight)
        kind = c.get("kind", "issue")
        concept = Concept(
            cid, c["label"], kind, refs, tuple(c["terms"]), bool(c.get("specific", kind == "issue")), c.get("indicator")
        )
        concepts[cid] = concept
        for term in concept.terms:
            stems = tuple(t.stem for t in tokenize(str(term)))
            if stems:
                phrases[stems[0]].append((stems, cid))
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
    concept: str
    phrase: str  # as written in the text
    position: int  # index of the first token


def find_concepts(text: str) -> tuple[list[Match], list[Token], set[int]]:
    """Concept matches in ``text`` (longest phrase first, each word used once), the tokens, and the used token indexes."""
    m = model()
    tokens = tokenize(text)
    used: set[int] = set()
    matches: list[Match] = []
    i = 0
    while i < len(tokens):
        found = None
        for stems, cid in m.phrases.get(tokens[i].stem, ()):
            n = len(stems)
            if tuple(t.stem for t in tokens[i : i + n]) == stems:
                found = (n, cid)
                break
        if found:
            n, cid = found
            phrase = text[tokens[i].start : tokens[i + n - 1].end]
            matches.append(Match(cid, phrase, i))
            used.update(range(i, i + n))
            i += n
        else:
            i += 1
    return matches, tokens, used


def concepts_in(text: str) -> dict[str, list[str]]:
    """Concept id -> the phrases of ``text`` that matched it (in order, without repeats)."""
    out: dict[str, list[str]] = {}
    for match in find_concepts(text)[0]:
        phrases = out.setdefault(match.concept, [])
        if match.phrase.lower() not in (p.lower() for p in phrases):
            phrases.append(match.phrase)
    return out


@dataclass(frozen=True)
class Suggestion:
    ref: str
    title: str
    confidence: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"ref": self.ref, "title": self.title, "confidence": self.confidence, "reasons": list(self.reasons)}


def _quote(phrases: list[str]) -> str:
    quoted = [f"'{p}'" for p in phrases]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def suggest_refs(text: str, *, top: int = 3, judgement_area: str | None = None) -> list[Suggestion]:
    """Ranked framework refs for an area for improvement, best first, each with its reasons.

    Returns an empty list when nothing in the text (or the judgement area) points anywhere.
    """
    m = model()
    s = m.scoring
    items = reference.framework_items()
    text = strip_ref(text)
    matches, tokens, used = find_concepts(text)

    # contributions[ref][concept] -> list of weights; phrases[ref][concept] -> phrases
    contributions: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    phrases: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for match in matches:
        concept = m.concepts[match.concept]
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
            reasons[ref].append((value, f"uses the framework's own wording for {items[ref].label} ({_quote([surface[w] for w in shared])})"))

    if judgement_area:
        key = reference.area_for_title(judgement_area) or judgement_area
        prior = s["judgement_prior"].get(key, {})
        area = reference.judgement_areas().get(key)
        for ref, value in prior.items():
            ref = reference.framework_item(ref).ref
            scores[ref] += float(value)
            reasons[ref].append((float(value), f"sits in the judgement area '{area.short if area else key}', usually {ref}"))

    for ref in list(scores):
        if items[ref].kind == "principle":
            scores[ref] *= s["principle_factor"]

    ranked = sorted((r for r in scores if scores[r] > 0), key=lambda r: (-scores[r], _order(r)))
    if not ranked:
        return []
    t = s["temperature"]
    exps = {r: math.exp(scores[r] / t) for r in ranked}
    total = sum(exps.values()) + math.exp(s["none_score"] / t)
    out = []
    for ref in ranked[:top]:
        if out and exps[ref] / total < 0.05:  # noise: keep the list to suggestions worth reading
            break
        why = [w for _, w in sorted(reasons[ref], key=lambda x: -x[0])]
        if m.indicators[ref] and ref not in with_indicator:
            why.append(f"related DfE dashboard indicators: {'; '.join(m.indicators[ref][:3])}")
        out.append(Suggestion(ref, items[ref].title, round(exps[ref] / total, 3), why))
    return out


def _order(ref: str) -> tuple[int, int]:
    kind, number = ref.split()
    return (reference.REF_KINDS.index(kind), int(number))


# -- applying suggestions to findings -------------------------------------------------------

def area_judgement(findings: Findings | None, afi: AreaForImprovement) -> str | None:
    """The AFI's judgement area when something says which (None rather than a guess)."""
    return judgement_area_for(afi, findings, default=None)[0]


def suggested_framework_refs(afi: AreaForImprovement, judgement_area: str | None = None) -> list[FrameworkRef]:
    """FrameworkRef(source='suggested') for the best suggestion, plus the runner-up when it is close."""
    suggestions = suggest_refs(afi.text, top=2, judgement_area=judgement_area or afi.judgement_area)
    if not suggestions:
        return []
    chosen = [suggestions[0]]
    ratio = model().scoring["second_ratio"]
    if len(suggestions) > 1 and suggestions[1].confidence >= ratio * suggestions[0].confidence:
        chosen.append(suggestions[1])
    return [
        FrameworkRef(ref=s.ref, source="suggested", confirmed=False, reasons=[f"confidence {s.confidence:.2f}", *s.reasons])
        for s in chosen
    ]


def with_suggestions(findings: Findings) -> Findings:
    """A copy of ``findings`` where every area without a framework ref gets suggested ones. Existing refs are never touched."""
    areas = []
    changed = False
    for afi in findings.areas_for_improvement:
        if afi.framework_refs:
            areas.append(afi)
            continue
        refs = suggested_framework_refs(afi, area_judgement(findings, afi))
        if refs:
            changed = True
            afi = afi.model_copy(update={"framework_refs": refs})
        areas.append(afi)
    if not changed:
        return findings
    return findings.model_copy(update={"areas_for_improvement": areas})
