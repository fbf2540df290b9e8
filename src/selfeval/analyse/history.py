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

    @cached_property
    def concepts(self) -> dict[str, list[str]]:
        """Concept -> its phrases as written."""
        return concepts_in(self.text)

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
    return _Profile(text, frozenset(concepts), frozenset(key_terms(text)), concept_stems(text), specific)


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


def _area_match(earlier: _Area, later: _Area) -> AreaMatch | None:
    theme = _score(earlier.profile, later.profile, AREA_THRESHOLD)
    if theme < AREA_THRESHOLD:
        return None
    score = theme
    shared = sorted(set(earlier.refs) & set(later.refs))
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
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@dataclass(frozen=True)
class _Paragraphs:
    """A later engagement's report paragraphs, profiled once, with the paragraphs using each concept."""

    entries: list[tuple[Section, Paragraph, _Profile]]
    by_concept: dict[str, list[int]]

    def candidates(self, profile: _Profile, at_least: float) -> list[int]:
        """The paragraphs (in report order) whose theme score with ``profile`` can reach ``at_least``.

        Key terms add at most KEY_TERM_CAP, which is below the paragraph threshold, so a paragraph
        must share a concept; and what its shared concepts weigh, plus KEY_TERM for every key term
        both use, must reach ``at_least``: most paragraphs share one broad concept and a word or two.
        """
        weights: dict[int, float] = {}
        for cid in profile.concept_keys:
            weight = SPECIFIC_CONCEPT if cid in profile.specific else BROAD_CONCEPT
            for i in self.by_concept.get(cid, ()):
                weights[i] = weights.get(i, 0.0) + weight
        found = []
        for i in sorted(weights):
            # What the key terms must add; the small margin keeps a pair a float sum puts a hair short.
            room = at_least - weights[i] - 1e-9
            if room <= 0 or min(KEY_TERM_CAP, KEY_TERM * len(profile.term_keys & self.entries[i][2].term_keys)) >= room:
                found.append(i)
        return found


def _paragraphs(findings: Findings) -> _Paragraphs:
    entries = [(section, paragraph, _profile(paragraph.text)) for section in findings.sections for paragraph in section.paragraphs]
    by_concept: dict[str, list[int]] = {}
    for i, (_, _, profile) in enumerate(entries):
        for cid in profile.concept_keys:
            by_concept.setdefault(cid, []).append(i)
    return _Paragraphs(entries, by_concept)


def _theme_reasons(earlier: _Profile, later: _Profile) -> list[str]:
    return _theme(earlier, later)[1]


def _paragraph_matches(profile: _Profile, later: _Paragraphs) -> list[ParagraphMatch]:
    assert KEY_TERM_CAP < PARAGRAPH_THRESHOLD  # what _Paragraphs.candidates relies on
    scored = []
    for i in later.candidates(profile, PARAGRAPH_THRESHOLD):
        score = _score(profile, later.entries[i][2], PARAGRAPH_THRESHOLD)
        if score >= PARAGRAPH_THRESHOLD:
            scored.append((round(score, 3), i))
    scored.sort(key=lambda item: -item[0])  # stable: report order between equal scores
    found = []
    for score, i in scored[:MAX_PARAGRAPHS]:  # reasons and excerpts only for the paragraphs shown
        section, paragraph, theirs = later.entries[i]
        why = functools.partial(_theme_reasons, profile, theirs)
        found.append(ParagraphMatch(paragraph.number, section.heading, _excerpt(paragraph.text), score, why))
    return found


def _status(later: Findings, areas: list[AreaMatch], paragraphs: list[ParagraphMatch]) -> str:
    label = engagement_label(later)
    if areas:
        return f"recurs as an area for improvement in {label}"
    if paragraphs:
        return f"not raised again in {label}; {paragraphs[0].label} comments on the same theme"
    return f"no later finding on this theme in {label}"


# -- public API -----------------------------------------------------------------------------------

def link_history(findings: list[Findings]) -> list[HistoryLink]:
    """For each council, each earlier engagement's areas for improvement against each later engagement.

    Ordered by council, then earlier engagement date, then area order, then later engagement date.
    A council with one engagement produces no links.
    """
    links: list[HistoryLink] = []
    for group in group_by_council(findings).values():
        # Each area and each later report is profiled (and its refs suggested) once, not per pair.
        areas_of = {id(f): [_area(f, afi) for afi in f.areas_for_improvement] for f in group}
        reports = {id(f): _paragraphs(f) for f in group[1:]}
        for i, earlier_f in enumerate(group):
            for earlier in areas_of[id(earlier_f)]:
                for later_f in group[i + 1 :]:
                    if later_f.start <= earlier_f.start:
                        continue  # two files for engagements starting the same day: neither is "later"
                    areas = [m for m in (_area_match(earlier, b) for b in areas_of[id(later_f)]) if m]
                    areas.sort(key=lambda m: -m.score)
                    paragraphs = _paragraph_matches(earlier.profile, reports[id(later_f)])
                    links.append(
                        HistoryLink(
                            council=earlier_f.local_authority,
                            earlier=earlier_f,
                            area=earlier.afi,
                            later=later_f,
                            refs=list(earlier.refs),
                            judgement_area=earlier.judgement_area,
                            areas=areas,
                            paragraphs=paragraphs,
                            status=_status(later_f, areas, paragraphs),
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
