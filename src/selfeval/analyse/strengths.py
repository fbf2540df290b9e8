"""Ofsted's own words, quoted: the strongest statements of each judgement section, and the
sentences that explain each area for improvement. Pure functions over the findings.

Nothing here is paraphrased: every ``Quote`` is one whole sentence exactly as it stands in the
findings file (which the importer took from the report), with the paragraph it came from.

The rule for strengths (also in ``docs/quoting-ofsted.md``):

1. Take the paragraphs of the report's section on the judgement area (for a report from before
   2023, the combined children in care and care leavers section serves both areas) and split them
   into sentences.
2. A sentence is a *strength* when it uses at least one word Ofsted judges good practice with
   ("effective", "timely", "strength", ...) and none that criticises or qualifies ("however",
   "not", "inconsistent", "delay", ...). The word lists are ``data/judgement_words.yaml``.
3. Score it: 2 for each strong word ("strength", "exceptional", "highly effective"), 1 for each
   other positive word, minus 1 for each hedge ("mostly", "generally"), plus 0.5 when it is about
   children, families or care leavers (impact). Sentences under 8 or over 70 words are left out.
4. Choose at most one sentence per paragraph, spread across the section: the section's paragraphs
   are cut into as many equal bands as quotes wanted and the best sentence of each band is taken
   first; any places left go to the best remaining sentences. Strengths the findings file lists
   itself come before these. Quotes are given in paragraph order.

For an area for improvement: its source paragraphs if the file names them, else the paragraphs of
the same report that share its theme most (practice concepts and key terms, as the history links
use), and from them the sentences that share most of its theme, criticisms first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from selfeval import facts
from selfeval.analyse.areas import fit_era, judgement_area_for
from selfeval.analyse.framework_map import concept_ids, key_terms, model, strip_ref
from selfeval.models.evidence import AreaExplanation, Quote
from selfeval.models.findings import AreaForImprovement, Findings, Paragraph, Section

MAX_STRENGTHS = 4
MIN_WORDS = 8
MAX_WORDS = 70
STRONG_WEIGHT = 2.0
POSITIVE_WEIGHT = 1.0
HEDGE_WEIGHT = 1.0
IMPACT_WEIGHT = 0.5

# How a paragraph or sentence is judged to be about an area for improvement's theme.
SPECIFIC_CONCEPT = 1.0
BROAD_CONCEPT = 0.4
KEY_TERM = 0.25
KEY_TERM_CAP = 1.0
PREFIX = 6
PARAGRAPH_THRESHOLD = 0.75
MAX_EXPLAINING_PARAGRAPHS = 2
CRITICAL_PARAGRAPH = 0.25
SELF_SHARE = 0.8
MAX_EXPLAINING_SENTENCES = 2


# -- the word lists ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Phrases:
    """One word list, each phrase lower case and indexed by its first word.

    A phrase matches as whole words: its words separated by whitespace, with no letter, digit,
    '_' or '-' either side (so 'well' is not in 'well-being'). Its first word is then a maximal run
    of such characters in the text, which a set lookup finds: most phrases are in no sentence,
    and a phrase of one word needs nothing more. ``opening``: the phrase must start the text.
    """

    phrases: tuple[str, ...]  # in the list's order, which is the order they are reported in
    by_first: dict[str, tuple[int, ...]]
    opening: bool = False


@dataclass(frozen=True)
class _Words:
    """The word lists of judgement_words.yaml, each indexed by its phrases' first words."""

    strong: _Phrases
    positive: _Phrases
    negative: _Phrases
    hedge: _Phrases
    impact: _Phrases
    leaning: _Phrases


def _phrases(listed: list[str], name: str, *, opening: bool = False) -> _Phrases:
    phrases = tuple(" ".join(str(p).lower().split()) for p in listed)
    by_first: dict[str, list[int]] = {}
    for i, phrase in enumerate(phrases):
        if not phrase or not all(_RUN.fullmatch(w) for w in phrase.split()):
            raise ValueError(f"judgement_words.yaml: {name} has a phrase that is not whole words: {listed[i]!r}")
        by_first.setdefault(phrase.split()[0], []).append(i)
    return _Phrases(phrases, {w: tuple(ix) for w, ix in by_first.items()}, opening)


@cache
def _words() -> _Words:
    data = facts.load_data("judgement_words.yaml")
    names = ("strong", "positive", "negative", "hedge", "impact")
    lists = {name: _phrases(data[name], name) for name in names}
    return _Words(**lists, leaning=_phrases(data["leaning"], "leaning", opening=True))


def _normal(text: str) -> str:
    # "as well as" joins a list; it is no judgement.
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\bas well as\b", "also", lowered)


_RUN = re.compile(r"[\w-]+")  # what a phrase's words are made of; anything else separates words


@lru_cache(maxsize=256)  # each sentence is looked up in every word list in turn
def _runs(text: str) -> frozenset[str]:
    return frozenset(_RUN.findall(text))


@lru_cache(maxsize=256)
def _positions(text: str) -> tuple[tuple[str, int, int], ...]:
    """Each run of word characters in ``text`` with where it starts and ends (for phrases of several words)."""
    return tuple((m.group(), m.start(), m.end()) for m in _RUN.finditer(text))


def _found(words: _Phrases, text: str) -> list[str]:
    """The phrases of ``words`` in ``text`` (lower case), each as written there, in the list's order."""
    if words.opening:
        first = _RUN.match(text)
        starts = frozenset([first.group()] if first else [])
    else:
        starts = _runs(text) & words.by_first.keys()
    found = []
    for i in sorted(i for w in starts for i in words.by_first.get(w, ())):
        phrase = words.phrases[i]
        if " " not in phrase:
            found.append(phrase)  # its first word, whole, is in the text: that is the match
        elif written := _written(phrase.split(), text, words.opening):
            found.append(written)
    return found


def _written(phrase: list[str], text: str, opening: bool) -> str | None:
    """The first place ``text`` has the phrase's words as whole runs with only whitespace between
    them, as written there (a line break or double space kept); at its start only, for an opening."""
    runs = _positions(text)
    n = len(phrase)
    if opening and (not runs or runs[0][1] != 0):
        return None
    for k in range(1 if opening else len(runs) - n + 1):
        if k + n > len(runs) or runs[k][0] != phrase[0]:
            continue
        if all(runs[k + j][0] == phrase[j] and text[runs[k + j - 1][2] : runs[k + j][1]].isspace() for j in range(1, n)):
            return text[runs[k][1] : runs[k + n - 1][2]]
    return None


# -- sentences -----------------------------------------------------------------------------------

# A full stop after one of these does not end a sentence.
_ABBREVIATIONS = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "no", "st", "para", "paras", "cf", "vs", "approx", "inc"}
_END = re.compile(r"(?<=[.!?])([”\"’')\]]*)\s+(?=[“\"‘'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, each exactly as written (whitespace runs made single)."""
    return list(_sentences(text))


# Bounded, as every per-text cache here: a paragraph is split for its strengths and again for the
# areas it explains, and a batch worker moves on to the next council's report.
@lru_cache(maxsize=2048)
def _sentences(text: str) -> tuple[str, ...]:
    text = " ".join(text.split())
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        end = m.start(1) + len(m.group(1))
        before = text[start:m.start(1)].rstrip(".!?")
        last_word = before.rsplit(" ", 1)[-1].lower() if before else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        out.append(text[start:end])
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return tuple(out)


# -- strengths -----------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def strength_score(sentence: str) -> tuple[float, tuple[str, ...]] | None:
    """The sentence's score as a strength and the words that earned it, or None if it is not one."""
    n = len(sentence.split())
    if n < MIN_WORDS or n > MAX_WORDS:
        return None
    text = _normal(sentence)
    words = _words()
    if _found(words.negative, text) or _found(words.leaning, text.lstrip("“\"'(")):
        return None
    strong = _found(words.strong, text)
    positive = [w for w in _found(words.positive, text) if not any(w in s for s in strong)]
    if not strong and not positive:
        return None
    score = STRONG_WEIGHT * len(strong) + POSITIVE_WEIGHT * len(positive)
    score -= HEDGE_WEIGHT * len(_found(words.hedge, text))
    if _found(words.impact, text):
        score += IMPACT_WEIGHT
    if score <= 0:
        return None
    return round(score, 2), tuple(strong + positive)


def sections_for_area(findings: Findings, area: str, era: facts.Era) -> list[Section]:
    """The report's sections on a judgement area, in the terms of the era the documents follow."""
    return [s for s in findings.sections if s.judgement_area and fit_era(s.judgement_area, era) == area]


def _candidates(findings: Findings, section: Section) -> list[list[Quote]]:
    """Per paragraph, its strength sentences, best first."""
    out = []
    for paragraph in section.paragraphs:
        found = []
        for sentence in sentences(paragraph.text):
            scored = strength_score(sentence)
            if scored:
                found.append(Quote(sentence, findings, paragraph.number, section.heading, scored[0], scored[1]))
        found.sort(key=lambda q: -q.score)
        out.append(found)
    return out


def _spread(per_paragraph: list[list[Quote]], wanted: int) -> list[Quote]:
    """At most one quote per paragraph: the best of each band of paragraphs, then the best left."""
    if wanted <= 0:
        return []
    n = len(per_paragraph)
    chosen: dict[int, Quote] = {}
    for band in range(min(wanted, n)):
        lo, hi = band * n // wanted, max((band + 1) * n // wanted, band * n // wanted + 1)
        best = [(i, quotes[0]) for i, quotes in enumerate(per_paragraph[lo:hi], start=lo) if quotes]
        if best:
            i, quote = max(best, key=lambda item: (item[1].score, -item[0]))
            chosen[i] = quote
    rest = sorted(
        ((i, quotes[0]) for i, quotes in enumerate(per_paragraph) if quotes and i not in chosen),
        key=lambda item: (-item[1].score, item[0]),
    )
    for i, quote in rest[: max(0, wanted - len(chosen))]:
        chosen[i] = quote
    return [chosen[i] for i in sorted(chosen)]


def _listed_strengths(findings: Findings, area: str, era: facts.Era) -> list[Quote]:
    """Strengths the findings file lists itself (a person or the importer put them there)."""
    out = []
    for s in findings.strengths:
        key = judgement_area_for(s, findings, default=None)[0]
        if key is None or fit_era(key, era) != area:
            continue
        number = s.source_paragraphs[0] if s.source_paragraphs else None
        section = findings.section_for_paragraph(number) if number is not None else None
        out.append(Quote(s.text, findings, number, section.heading if section else "", 0.0, ()))
    return out


def strengths_for_area(engagements: list[Findings], area: str, era: facts.Era, *, limit: int = MAX_STRENGTHS) -> list[Quote]:
    """Ofsted's strongest statements on one judgement area: from the most recent engagement (newest
    first in ``engagements``) whose report has a section on the area, with the strengths any later
    engagement's file lists itself."""
    listed: list[Quote] = []
    for findings in engagements:
        listed.extend(_listed_strengths(findings, area, era))
        sections = sections_for_area(findings, area, era)
        if not sections:
            continue
        per_paragraph = [quotes for section in sections for quotes in _candidates(findings, section)]
        taken = {(q.findings is findings, q.paragraph) for q in listed}
        per_paragraph = [[q for q in quotes if (True, q.paragraph) not in taken] for quotes in per_paragraph]
        quotes = _spread(per_paragraph, max(0, limit - len(listed)))
        return _dedupe(listed + quotes)[:limit]
    return _dedupe(listed)[:limit]


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    seen: set[str] = set()
    out = []
    for q in quotes:
        key = " ".join(_normal(q.text).split())
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


# -- areas for improvement ---------------------------------------------------------------------

def theme_score(afi_text: str, text: str) -> tuple[float, tuple[str, ...]]:
    """How much ``text`` is about the theme of an area for improvement, and the shared words."""
    concepts = model().concepts
    theirs = frozenset(concept_ids(text))
    mine, my_terms = _area_theme(afi_text)
    score = 0.0
    shared: list[str] = []
    for cid in mine:
        if cid in theirs:
            score += SPECIFIC_CONCEPT if concepts[cid].specific else BROAD_CONCEPT
            shared.append(concepts[cid].label)
    terms = _shared_terms(my_terms, _key_terms(text))
    score += min(KEY_TERM_CAP, KEY_TERM * len(terms))
    shared.extend(terms)
    return round(score, 3), tuple(shared)


# An area is set against every paragraph and sentence of its report: its own words (its framework
# tag stripped, which is a parse) are read once. Bounded, as the other per-text caches.
@lru_cache(maxsize=1024)
def _area_theme(afi_text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    text = strip_ref(afi_text)
    return concept_ids(text), frozenset(key_terms(text))


@lru_cache(maxsize=2048)  # each paragraph is set against every area of its report
def _key_terms(text: str) -> frozenset[str]:
    return frozenset(key_terms(text))


def _shared_terms(mine: frozenset[str], theirs: frozenset[str]) -> list[str]:
    """Stems in both, where two long stems with the same first six letters count as one word
    ('attendance' meets 'attend', 'information' meets 'informed'): the light stemmer leaves such pairs apart."""
    prefixes = {t[:PREFIX] for t in theirs if len(t) >= PREFIX}
    return sorted(t for t in mine if t in theirs or (len(t) >= PREFIX and t[:PREFIX] in prefixes))


def _all_paragraphs(findings: Findings) -> list[tuple[Section, Paragraph]]:
    return [(s, p) for s in findings.sections for p in s.paragraphs]


def explaining_paragraphs(findings: Findings, afi: AreaForImprovement) -> list[tuple[Section, Paragraph]]:
    """The paragraphs of the report that explain an area for improvement, best first."""
    everything = _all_paragraphs(findings)
    if afi.source_paragraphs:
        wanted = set(afi.source_paragraphs)
        return [(s, p) for s, p in everything if p.number in wanted]
    words = _words()
    # A short area ("The consistency of supervision.") has little theme to share: the bar is the
    # smaller of the fixed threshold and most of what the area shares with itself.
    bar = min(PARAGRAPH_THRESHOLD, SELF_SHARE * theme_score(afi.text, afi.text)[0])
    scored = []
    for i, (_, p) in enumerate(everything):
        theme = theme_score(afi.text, p.text)[0]
        if theme > 0 and theme >= bar:
            # Between two paragraphs on the theme, the one that criticises explains the area better.
            scored.append((theme + (CRITICAL_PARAGRAPH if _found(words.negative, _normal(p.text)) else 0.0), i))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [everything[i] for _, i in scored[:MAX_EXPLAINING_PARAGRAPHS]]


def explain(findings: Findings, afi: AreaForImprovement, *, limit: int = MAX_EXPLAINING_SENTENCES) -> AreaExplanation:
    """The sentences of the report that explain one area for improvement, in paragraph order:
    criticisms on its theme first; a sentence that only shares the theme if there are none."""
    words = _words()
    critical: list[tuple[float, int, Quote]] = []
    related: list[tuple[float, int, Quote]] = []
    order = 0
    for section, paragraph in explaining_paragraphs(findings, afi):
        for sentence in sentences(paragraph.text):
            score, shared = theme_score(afi.text, sentence)
            quote = Quote(sentence, findings, paragraph.number, section.heading, score, shared)
            if _found(words.negative, _normal(sentence)) and (score > 0 or afi.source_paragraphs):
                critical.append((score, order, quote))
            elif score > 0:
                related.append((score, order, quote))
            order += 1
    critical.sort(key=lambda c: (-c[0], c[1]))
    related.sort(key=lambda c: (-c[0], c[1]))
    chosen = critical[:limit] if critical else related[:1]
    return AreaExplanation(afi, findings, [q for _, _, q in sorted(chosen, key=lambda c: c[1])])


def summary(findings: Findings | None) -> list[str]:
    """The report's opening summary, paragraph by paragraph, as the findings file holds it."""
    return list(findings.summary) if findings is not None else []
