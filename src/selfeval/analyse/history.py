"""Link findings of the same council across engagements: what became of each earlier area for improvement.

For every area for improvement of an earlier engagement, and every later engagement of the same
council, a ``HistoryLink`` records the later areas and report paragraphs that are about the same
theme, why (in plain English), and a one-line status:

    "recurs as an area for improvement in the 2026 full inspection"
    "not raised again in the 2026 full inspection; paragraph 35 comments on the same theme"
    "no later finding on this theme in the 2026 full inspection"

Themes are matched by content, never by position: shared practice concepts from the framework
mapping lexicon (so 'go missing' meets 'return home interviews'), shared key terms after stopwords,
and, as supporting evidence only, a shared framework ref (including suggested ones) and the same
judgement area. A shared ref or judgement area alone never links two findings: 'outcome 3' covers
every safety finding.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from selfeval import facts
from selfeval.analyse.framework_map import (
    area_judgement,
    concept_ids,
    concept_stems,
    concepts_in,
    key_terms,
    model,
    strip_ref,
    suggested_framework_refs,
    surface_words,
)
from selfeval.models.findings import AreaForImprovement, Findings, Paragraph, Section
from selfeval.models.history import AreaMatch, HistoryLink, ParagraphMatch

__all__ = ["AreaMatch", "HistoryLink", "ParagraphMatch", "council_key", "latest_links", "link_history", "open_earlier_areas"]

# Weights of the theme evidence. An area links when its theme evidence reaches AREA_THRESHOLD;
# paragraphs are longer and share words by chance, so they need more.
SPECIFIC_CONCEPT = 1.0
BROAD_CONCEPT = 0.4
KEY_TERM = 0.25
KEY_TERM_CAP = 0.75
SHARED_REF = 0.3
SAME_AREA = 0.2
AREA_THRESHOLD = 0.75
PARAGRAPH_THRESHOLD = 1.0
MAX_PARAGRAPHS = 2
EXCERPT_CHARS = 160


# -- grouping ---------------------------------------------------------------------------------

_COUNCIL_NOISE = re.compile(
    r"\b(london borough of|royal borough of|city of|metropolitan borough of|borough of|county of|the|council|"
    r"borough|county|metropolitan|city|district|children'?s services|local authority)\b"
)


def council_key(name: str) -> str:
    """'London Borough of Lambeth' / 'Lambeth Council' / 'lambeth' -> 'lambeth'."""
    text = name.lower().replace("’", "'").replace("&", " and ")
    text = _COUNCIL_NOISE.sub(" ", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip() or name.strip().lower()


def group_by_council(findings: list[Findings]) -> dict[str, list[Findings]]:
    """Council key -> its engagements, oldest first."""
    groups: dict[str, list[Findings]] = {}
    for f in findings:
        groups.setdefault(council_key(f.local_authority), []).append(f)
    for group in groups.values():
        group.sort(key=lambda f: (f.start, f.end))
    return groups


def engagement_label(findings: Findings) -> str:
    return f"the {findings.start.year} {findings.engagement.phrase}"


# -- theme similarity ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Profile:
    """What theme linking reads of one text (its framework tag stripped). The phrases and surface
    words are read off the text only when a reason quotes them: most report paragraphs are only
    ever scored, and scoring needs the keys alone."""

    text: str
    concept_keys: frozenset[str]
    term_keys: frozenset[str]
    covers: dict[str, frozenset[str]]  # concept -> stems of its phrases here
    specific: frozenset[str]  # its specific concepts (a shared one weighs SPECIFIC_CONCEPT)
    broad: frozenset[str]  # the others

    @cached_property
    def concepts(self) -> dict[str, list[str]]:
        """Concept -> its phrases as written."""
        return concepts_in(self.text)

    @cached_property
    def term_coverage(self) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
        """Each key term with its concepts whose phrases here use it (which _score takes it out for,
        when the other text shares the concept), and its other concepts whose lexicon phrases have it
        (for which the other text's phrases may use it)."""
        lexicon = _phrase_stems()
        out = []
        for term in self.term_keys:
            covering = tuple(cid for cid in self.concept_keys if term in self.covers[cid])
            exposed = tuple(cid for cid in self.concept_keys if cid not in covering and term in lexicon[cid])
            out.append((term, covering, exposed))
        return tuple(out)

    @cached_property
    def regular(self) -> bool:
        """Whether each concept's phrases here are of its lexicon phrases' words (always, but for a
        text with a letter lower() lengthens, whose phrases concept_stems reads otherwise)."""
        lexicon = _phrase_stems()
        return all(self.covers[cid] <= lexicon[cid] for cid in self.concept_keys)

    @cached_property
    def terms(self) -> dict[str, str]:
        """Key term stem -> the word as written."""
        return surface_words(self.text, self.term_keys)


# Bounded: a batch worker profiles every paragraph of every council it drafts, and a council's
# texts are only profiled again while it is being drafted (~3.5 KB each; a council of ten reports
# has about a thousand paragraphs).
@lru_cache(maxsize=2048)
def _profile(text: str) -> _Profile:
    text = strip_ref(text)
    concepts = concept_ids(text)
    specific = frozenset(cid for cid in concepts if model().concepts[cid].specific)
    keys = frozenset(concepts)
    return _Profile(text, keys, frozenset(key_terms(text)), concept_stems(text), specific, keys - specific)


@functools.cache  # no arguments: one entry, the lexicon's
def _phrase_stems() -> dict[str, frozenset[str]]:
    """Concept -> the stems of all its lexicon phrases: the only words its phrases can use in a text."""
    out: dict[str, set[str]] = {cid: set() for cid in model().concepts}
    for entries in model().phrases.values():
        for phrase, cid in entries:
            out[cid].update(phrase)
    return {cid: frozenset(stems) for cid, stems in out.items()}


def _quote(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _shared_concepts(earlier: _Profile, later: _Profile) -> list[str]:
    """The concepts both texts use, specific ones first (the order the score adds them and reasons name them)."""
    concepts = model().concepts
    return sorted(earlier.concept_keys & later.concept_keys, key=lambda c: (not concepts[c].specific, c))


def _shared_terms(earlier: _Profile, later: _Profile, concepts: list[str]) -> list[str]:
    """Key terms both texts use that no shared concept's phrases already account for."""
    covered: set[str] = set()
    for cid in concepts:
        covered.update(earlier.covers[cid], later.covers[cid])
    return sorted(earlier.term_keys & later.term_keys - covered)


def _score(earlier: _Profile, later: _Profile, at_least: float = 0.0) -> float:
    """The theme score of two texts, without its reasons (most pairs are scored only to be dropped).
    Below ``at_least`` the caller drops the pair, so a bound below it may be returned instead."""
    concepts = earlier.concept_keys & later.concept_keys
    terms = earlier.term_keys & later.term_keys
    if not concepts and not terms:
        return 0.0  # nothing shared: most pairs, decided with two set operations
    score = 0.0
    # One weight at a time, specific concepts first: the float sum _theme's reasons were given with.
    specific = len(concepts & earlier.specific)
    for _ in range(specific):
        score += SPECIFIC_CONCEPT
    for _ in range(len(concepts) - specific):
        score += BROAD_CONCEPT
    if not terms:
        return score
    if score + min(KEY_TERM_CAP, KEY_TERM * len(terms)) < at_least:
        return score  # even every shared term would leave it short; no need to see which are covered
    for cid in concepts:
        terms = terms - earlier.covers[cid] - later.covers[cid]
    if terms:
        score += min(KEY_TERM_CAP, KEY_TERM * len(terms))
    return score


def _theme(earlier: _Profile, later: _Profile, at_least: float = 0.0) -> tuple[float, list[str]]:
    """The theme score of two texts and its reasons. Below ``at_least`` the caller discards the
    pair, so the score is returned without reasons."""
    score = _score(earlier, later, at_least)
    if score < at_least or score == 0.0:
        return score, []
    concepts = model().concepts
    shared = _shared_concepts(earlier, later)
    reasons: list[str] = []
    for cid in shared:
        before, after = earlier.concepts[cid], later.concepts[cid]
        common = [p for p in before if p.lower() in (q.lower() for q in after)]
        if common:
            detail = f"shared terms: {_quote([p.lower() for p in common])}"
            if len(after) > len(common):
                detail += f"; later also {_quote([p.lower() for p in after if p not in common])}"
        else:
            detail = f"earlier {_quote([p.lower() for p in before])}, later {_quote([p.lower() for p in after])}"
        reasons.append(f"both about {concepts[cid].label} ({detail})")
    terms = _shared_terms(earlier, later, shared)
    if terms:
        reasons.append(f"share the key terms {_quote([earlier.terms[t] for t in terms])}")
    return score, reasons


@dataclass(frozen=True)
class _Area:
    """An area for improvement with what linking needs of it, worked out once per run."""

    findings: Findings
    afi: AreaForImprovement
    profile: _Profile
    refs: dict[str, bool]  # ref -> whether it is only a suggestion (suggested for an area that has none)
    judgement_area: str | None


def _area(findings: Findings, afi: AreaForImprovement) -> _Area:
    judgement_area = area_judgement(findings, afi)
    refs = afi.framework_refs or suggested_framework_refs(afi, judgement_area)
    return _Area(findings, afi, _profile(afi.text), {r.ref: r.is_suggested for r in refs}, judgement_area)


def _area_match(earlier: _Area, later: _Area, theme: float) -> AreaMatch:
    """The match of two areas whose theme score (``_score``) is ``theme``, at least AREA_THRESHOLD."""
    score = theme
    shared = sorted(earlier.refs.keys() & later.refs.keys())
    for _ in shared:
        score += SHARED_REF
    same_area = bool(earlier.judgement_area and earlier.judgement_area == later.judgement_area)
    if same_area:
        score += SAME_AREA
    return AreaMatch(later.afi, round(score, 3), functools.partial(_area_reasons, earlier, later, shared, same_area))


def _area_reasons(earlier: _Area, later: _Area, shared: list[str], same_area: bool) -> list[str]:
    """Why two areas were judged to be on the same theme, in the order their score adds it up."""
    reasons = _theme(earlier.profile, later.profile, AREA_THRESHOLD)[1]
    for ref in shared:
        note = " (suggested)" if earlier.refs[ref] or later.refs[ref] else ""
        # By title, not number: documents print outcome numbers as on their own date, and this
        # reason may be read beside either numbering.
        reasons.append(f"both mapped to the National Framework's '{facts.framework_items()[ref].title}'{note}")
    if same_area and earlier.judgement_area:
        reasons.append(f"both in the judgement area '{facts.judgement_areas()[earlier.judgement_area].short}'")
    return reasons


def _excerpt(text: str) -> str:
    """The paragraph's first EXCERPT_CHARS characters, its white space made single spaces, cut at a word."""
    # The white space of a paragraph's opening is made single spaces, not the whole paragraph's: what
    # an opening gives is where the whole text's would start (a word cut off at its end is a word's
    # start), so when it is longer than the excerpt it holds all the excerpt needs.
    head = " ".join(text[: EXCERPT_CHARS + _EXCERPT_MARGIN].split())
    if len(head) <= EXCERPT_CHARS:
        head = " ".join(text.split())  # a short paragraph, or an opening of mostly white space
        if len(head) <= EXCERPT_CHARS:
            return head
    cut = head[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


_EXCERPT_MARGIN = 40  # characters read beyond the excerpt, for the white space there may be in it


# -- every pair at once -------------------------------------------------------------------------
#
# An earlier area is set against every later area and every later report paragraph of its council:
# thousands of pairs, nearly all of which share nothing or too little. Rather than scoring pair by
# pair, the later texts are indexed once, each concept and key term as a bit mask of the texts that
# use it (bit i: text i), and what one earlier area shares with all of them is counted on whole
# masks. The counts give ``_score`` exactly: a pair's score is the weight of its shared specific
# and broad concepts (summed as ``_score`` sums them) plus what its shared key terms add once the
# shared concepts' own words are taken out, which depends only on how many remain (capped).
# tests/test_analysis_shortcuts.py holds the result to scoring every pair.

# How many key terms to count: from this many on, KEY_TERM_CAP is what they add.
_TOP_TERMS = next(n for n in range(1, 1 << 16) if KEY_TERM * n >= KEY_TERM_CAP)


# Keyed by counts, not texts: an area shares a few concepts and there are two thresholds, so a
# handful of entries ever occur; bounded all the same (test_every_cache_keyed_by_text_is_bounded).
@lru_cache(maxsize=256)
def _class_scores(specific: int, broad: int, at_least: float) -> tuple[tuple[int, float], ...]:
    """(n, theme score) of a pair sharing ``specific`` and ``broad`` concepts and n key terms (once
    the concepts' own words are out; n = _TOP_TERMS stands for that many or more), for each n whose
    score reaches ``at_least``. The float is ``_score``'s, bit for bit: one weight added at a time,
    specific concepts first."""
    weight = 0.0
    for _ in range(specific):
        weight += SPECIFIC_CONCEPT
    for _ in range(broad):
        weight += BROAD_CONCEPT
    scores = [(n, weight + min(KEY_TERM_CAP, KEY_TERM * n) if n else weight) for n in range(_TOP_TERMS + 1)]
    return tuple((n, score) for n, score in scores if score >= at_least)


def _counted(masks: list[int], top: int) -> list[int]:
    """[j]: the bits set in exactly j of ``masks``, for j up to ``top`` (at least ``top`` for the
    last); [0] is the bits set in none, as a negative number (every bit beyond them is set too)."""
    if not masks:
        return [-1] + [0] * top
    if len(masks) == 1:  # most earlier areas have one specific concept, or none, and a broad one or two
        return [~masks[0], masks[0]] + [0] * (top - 1) if top else [-1]
    at = [-1] + [0] * top  # at[j]: the bits set in at least j of them (so at[j + 1] is within at[j])
    for mask in masks:
        before = -1  # at[j - 1] before this mask
        for j in range(1, top + 1):
            was = at[j]
            at[j] = was | (before & mask)
            if not was:
                break  # no bit was in j of the masks, so none can be in j + 1 now
            before = was
    return [at[j] & ~at[j + 1] for j in range(top)] + [at[top]]


def _lowest(mask: int, count: int) -> list[int]:
    """The positions of ``mask``'s lowest ``count`` bits, lowest first."""
    out: list[int] = []
    while mask and len(out) < count:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class _Index:
    """Later texts (a council's areas, or its report paragraphs) indexed by the concepts and key
    terms they use, as bit masks, for the earlier areas' key terms ``wanted``."""

    def __init__(self, profiles: list[_Profile], wanted: frozenset[str]) -> None:
        concepts: dict[str, int] = {}
        terms: dict[str, int] = {}
        irregular = 0
        for i, profile in enumerate(profiles):
            bit = 1 << i
            for cid in profile.concept_keys:
                concepts[cid] = concepts.get(cid, 0) | bit
            for term in profile.term_keys & wanted:  # a text's other words are never looked up
                terms[term] = terms.get(term, 0) | bit
            if not profile.regular:
                irregular |= bit
        self.profiles = profiles
        self.wanted = wanted
        self.concepts = concepts
        self.terms = terms
        self.irregular = irregular

    def reaching(self, earlier: _Profile, at_least: float, within: int) -> list[tuple[float, int]]:
        """(theme score, texts as bits) for every score of ``earlier`` with the texts ``within``
        (bits) that reaches ``at_least``: each such text in one of them, with its ``_score``."""
        return self.reaching_each(earlier, ((at_least, within),))[0]

    def reaching_each(self, earlier: _Profile, parts: tuple[tuple[float, int], ...]) -> list[list[tuple[float, int]]]:
        """``reaching`` for each (threshold, texts as bits) of ``parts`` at once: the later areas and
        the later paragraphs, in one index, share the reading of the earlier area's terms."""
        assert earlier.term_keys <= self.wanted
        concepts = self.concepts.get
        within_any = 0
        lowest = parts[0][0]
        for at_least, within in parts:
            within_any |= within
            lowest = min(lowest, at_least)
        assert lowest > 0  # else every text, sharing nothing, would reach it
        specific = [mask for cid in earlier.specific if (mask := concepts(cid, 0) & within_any)]
        broad = [mask for cid in earlier.broad if (mask := concepts(cid, 0) & within_any)]
        sharing = 0  # the texts sharing a concept
        for mask in specific:
            sharing |= mask
        for mask in broad:
            sharing |= mask
        relevant = 0
        for at_least, within in parts:
            # Key terms alone reach no threshold above KEY_TERM_CAP: there only the texts sharing a concept can.
            relevant |= within if at_least <= KEY_TERM_CAP else within & sharing
        found: list[list[tuple[float, int]]] = [[] for _ in parts]
        if not relevant:
            return found  # most earlier areas against most reports
        terms, profiles = self.terms.get, self.profiles
        shared_terms = []
        for term, covering, exposed in earlier.term_coverage:
            mask = terms(term, 0) & relevant
            if not mask:
                continue
            # Not where a shared concept's phrases, in either text, use the term: _score takes those
            # out. The earlier area's own phrases: every text sharing the concept. The later text's:
            # only concepts whose lexicon phrases have the term can, so only those texts are read.
            for cid in covering:
                mask &= ~concepts(cid, 0)
            for cid in exposed:
                texts = mask & concepts(cid, 0)
                while texts:
                    low = texts & -texts
                    texts ^= low
                    if term in profiles[low.bit_length() - 1].covers[cid]:
                        mask ^= low
            texts = mask & self.irregular
            while texts:  # phrases read otherwise (never in practice): every shared concept's
                low = texts & -texts
                texts ^= low
                theirs = profiles[low.bit_length() - 1]
                if any(term in theirs.covers[cid] for cid in earlier.concept_keys & theirs.concept_keys):
                    mask ^= low
            if mask:
                shared_terms.append(mask)
        with_terms = _counted(shared_terms, _TOP_TERMS)
        with_broad = list(enumerate(_counted(broad, len(broad))))
        for k, with_k in enumerate(_counted(specific, len(specific))):
            for m, with_m in with_broad:
                with_km = with_k & with_m & relevant
                if with_km:
                    for n, score in _class_scores(k, m, lowest):
                        if texts := with_km & with_terms[n]:
                            for (at_least, within), out in zip(parts, found):
                                if score >= at_least and (mine := texts & within):
                                    out.append((score, mine))
        return found


def _paragraph_matches(
    hits: list[tuple[float, int]], entries: list[tuple[int, tuple[Section, Paragraph, _Profile]]],
    excerpts: dict[int, str], profile: _Profile,
) -> list[ParagraphMatch]:
    """The best MAX_PARAGRAPHS of one report's paragraphs among ``hits`` (score, index in ``entries``;
    best first, in report order between equal scores), with reasons and excerpts (``excerpts``
    keeps each paragraph's: many earlier areas show the same one)."""
    found = []
    for score, x in hits[:MAX_PARAGRAPHS]:
        section, paragraph, theirs = entries[x][1]
        excerpt = excerpts.get(x)
        if excerpt is None:
            excerpt = excerpts[x] = _excerpt(paragraph.text)
        why = functools.partial(_theme_reasons, profile, theirs)
        found.append(ParagraphMatch(paragraph.number, section.heading, excerpt, score, why))
    return found


def _theme_reasons(earlier: _Profile, later: _Profile) -> list[str]:
    return _theme(earlier, later)[1]


def _status(label: str, areas: list[AreaMatch], paragraphs: list[ParagraphMatch]) -> str:
    if areas:
        return f"recurs as an area for improvement in {label}"
    if paragraphs:
        return f"not raised again in {label}; {paragraphs[0].label} comments on the same theme"
    return f"no later finding on this theme in {label}"


def _from(start: int, end: int) -> int:
    """The bits ``start`` to ``end`` - 1."""
    return ((1 << end) - 1) & ~((1 << start) - 1)


# -- public API -----------------------------------------------------------------------------------

def link_history(findings: list[Findings]) -> list[HistoryLink]:
    """For each council, each earlier engagement's areas for improvement against each later engagement.

    Ordered by council, then earlier engagement date, then area order, then later engagement date.
    A council with one engagement produces no links.
    """
    links: list[HistoryLink] = []
    for group in group_by_council(findings).values():
        if len(group) < 2:
            continue
        # Each area and each later report is profiled (and its refs suggested) once, not per pair,
        # and each engagement's start (a property over its dates) and label are read once.
        areas_of = [[_area(f, afi) for afi in f.areas_for_improvement] for f in group]
        starts = [f.start for f in group]
        labels = [engagement_label(f) for f in group]
        wanted = frozenset().union(*(a.profile.term_keys for areas in areas_of for a in areas))
        # Every area of the council and every report paragraph of its later engagements in one
        # index, each kind in engagement order: an engagement's areas (or paragraphs) are a run of
        # bits, and those of the engagements after one are the bits from where the first of them starts.
        areas = [(j, a) for j, of in enumerate(areas_of) for a in of]
        entries = [(j, (s, p, _profile(p.text))) for j, f in enumerate(group) if j for s in f.sections for p in s.paragraphs]
        # Bits 0 to len(areas) - 1 are the areas; the paragraphs' follow.
        index = _Index([a.profile for _, a in areas] + [e[2] for _, e in entries], wanted)
        after_areas = len(areas)
        # Where each engagement's areas and paragraphs start (the first engagement's paragraphs are
        # never later than anything, so it has none in the index).
        area_start = list(itertools.accumulate((len(of) for of in areas_of), initial=0))
        counts = [sum(len(s.paragraphs) for s in f.sections) if j else 0 for j, f in enumerate(group)]
        paragraph_start = list(itertools.accumulate(counts, initial=after_areas))
        report_bits = [_from(paragraph_start[j], paragraph_start[j + 1]) for j in range(len(group))]
        excerpts: dict[int, str] = {}
        for i, (earlier_f, earlier_areas) in enumerate(zip(group, areas_of)):
            # Two files for engagements starting the same day: neither is "later" (the group is in
            # date order, so the later ones are all those from the first with a later start).
            later = [j for j in range(i + 1, len(group)) if starts[j] > starts[i]]
            if not later:
                continue
            parts = (
                (AREA_THRESHOLD, _from(area_start[later[0]], after_areas)),
                (PARAGRAPH_THRESHOLD, _from(paragraph_start[later[0]], after_areas + len(entries))),
            )
            for earlier in earlier_areas:
                found_areas, found_paragraphs = index.reaching_each(earlier.profile, parts)
                area_hits: dict[int, list[tuple[int, float]]] = {}
                for theme, texts in found_areas:
                    for x in _lowest(texts, after_areas):
                        area_hits.setdefault(areas[x][0], []).append((x, theme))
                # Paragraphs rank by rounded score, then report order: the bits of equal rounded
                # scores together, lowest (first in the report) first.
                ranked: dict[float, int] = {}
                for score, texts in found_paragraphs:
                    rounded = round(score, 3)
                    ranked[rounded] = ranked.get(rounded, 0) | texts
                best_first = sorted(ranked.items(), reverse=True)
                for j in later:
                    matched = [_area_match(earlier, areas[x][1], theme) for x, theme in sorted(area_hits[j])] if j in area_hits else []
                    if len(matched) > 1:
                        matched.sort(key=lambda m: -m.score)
                    hits: list[tuple[float, int]] = []
                    for rounded, texts in best_first:
                        texts &= report_bits[j]
                        while texts and len(hits) < MAX_PARAGRAPHS:  # lowest bit first: report order
                            low = texts & -texts
                            hits.append((rounded, low.bit_length() - 1 - after_areas))
                            texts ^= low
                    paragraphs = _paragraph_matches(hits, entries, excerpts, earlier.profile) if hits else []
                    links.append(
                        HistoryLink(
                            council=earlier_f.local_authority,
                            earlier=earlier_f,
                            area=earlier.afi,
                            later=group[j],
                            refs=list(earlier.refs),
                            judgement_area=earlier.judgement_area,
                            areas=matched,
                            paragraphs=paragraphs,
                            status=_status(labels[j], matched, paragraphs),
                        )
                    )
    return links


def latest_links(findings: list[Findings]) -> list[HistoryLink]:
    """Only the links to each council's most recent engagement: 'progress since' as it stands now."""
    groups = group_by_council(findings)
    latest = {id(group[-1]) for group in groups.values()}
    return [link for link in link_history(findings) if id(link.later) in latest]


def open_earlier_areas(findings: list[Findings]) -> list[tuple[Findings, AreaForImprovement]]:
    """Open areas for improvement from every engagement but each council's most recent one, oldest first."""
    out: list[tuple[Findings, AreaForImprovement]] = []
    for group in group_by_council(findings).values():
        for earlier_f in group[:-1]:
            out.extend((earlier_f, afi) for afi in earlier_f.areas_for_improvement if afi.status == "open")
    return out
