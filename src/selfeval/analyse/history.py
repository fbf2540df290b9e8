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

import re
from dataclasses import dataclass
from functools import cache

from selfeval import facts
from selfeval.analyse.framework_map import (
    area_judgement,
    concepts_in,
    key_terms,
    model,
    strip_ref,
    suggested_framework_refs,
    tokenize,
)
from selfeval.models.findings import AreaForImprovement, Findings
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
    concepts: dict[str, list[str]]
    terms: dict[str, str]  # stem -> a surface word
    concept_keys: frozenset[str] = frozenset()  # the keys again, as sets: most pairs share none (see _theme)
    term_keys: frozenset[str] = frozenset()


@cache
def _profile(text: str) -> _Profile:
    text = strip_ref(text)
    concepts = concepts_in(text)
    wanted = key_terms(text)
    surface: dict[str, str] = {}
    for token in tokenize(text):
        if token.stem in wanted and token.stem not in surface:
            surface[token.stem] = text[token.start : token.end].lower()
    return _Profile(concepts, surface, frozenset(concepts), frozenset(surface))


def _quote(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _theme(earlier: _Profile, later: _Profile, at_least: float = 0.0) -> tuple[float, list[str]]:
    """The theme score of two texts and its reasons. Below ``at_least`` the caller discards the
    pair, so an upper bound of the score is returned without reasons (most pairs stop here)."""
    common_terms = earlier.term_keys & later.term_keys
    if not common_terms and earlier.concept_keys.isdisjoint(later.concept_keys):
        return 0.0, []  # nothing shared, so no score and no reasons: most pairs, decided with two set operations
    concepts = model().concepts
    shared = [c for c in earlier.concepts if c in later.concepts]
    bound = sum(SPECIFIC_CONCEPT if concepts[c].specific else BROAD_CONCEPT for c in shared)
    bound += min(KEY_TERM_CAP, KEY_TERM * len(earlier.terms.keys() & later.terms.keys()))
    if bound < at_least:
        return bound, []
    score = 0.0
    reasons: list[str] = []
    covered: set[str] = set()
    shared.sort(key=lambda c: (not concepts[c].specific, c))
    for cid in shared:
        concept = concepts[cid]
        score += SPECIFIC_CONCEPT if concept.specific else BROAD_CONCEPT
        before, after = earlier.concepts[cid], later.concepts[cid]
        common = [p for p in before if p.lower() in (q.lower() for q in after)]
        if common:
            detail = f"shared terms: {_quote([p.lower() for p in common])}"
            if len(after) > len(common):
                detail += f"; later also {_quote([p.lower() for p in after if p not in common])}"
        else:
            detail = f"earlier {_quote([p.lower() for p in before])}, later {_quote([p.lower() for p in after])}"
        reasons.append(f"both about {concept.label} ({detail})")
        for phrase in before + after:
            covered.update(t.stem for t in tokenize(phrase))
    terms = sorted(set(earlier.terms) & set(later.terms) - covered)
    if terms:
        score += min(KEY_TERM_CAP, KEY_TERM * len(terms))
        reasons.append(f"share the key terms {_quote([earlier.terms[t] for t in terms])}")
    return score, reasons


def _effective_refs(findings: Findings, afi: AreaForImprovement) -> dict[str, bool]:
    """Ref -> whether it is only a suggestion. Suggests refs for an area that has none."""
    refs = afi.framework_refs or suggested_framework_refs(afi, area_judgement(findings, afi))
    return {r.ref: r.is_suggested for r in refs}


def _area_match(
    earlier_f: Findings, earlier: AreaForImprovement, later_f: Findings, later: AreaForImprovement
) -> AreaMatch | None:
    theme, reasons = _theme(_profile(earlier.text), _profile(later.text), AREA_THRESHOLD)
    if theme < AREA_THRESHOLD:
        return None
    score = theme
    refs_a, refs_b = _effective_refs(earlier_f, earlier), _effective_refs(later_f, later)
    for ref in sorted(set(refs_a) & set(refs_b)):
        score += SHARED_REF
        note = " (suggested)" if refs_a[ref] or refs_b[ref] else ""
        # By title, not number: documents print outcome numbers as on their own date, and this
        # reason may be read beside either numbering.
        reasons.append(f"both mapped to the National Framework's '{facts.framework_items()[ref].title}'{note}")
    area_a, area_b = area_judgement(earlier_f, earlier), area_judgement(later_f, later)
    if area_a and area_a == area_b:
        score += SAME_AREA
        reasons.append(f"both in the judgement area '{facts.judgement_areas()[area_a].short}'")
    return AreaMatch(later, round(score, 3), reasons)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _paragraph_matches(earlier: AreaForImprovement, later_f: Findings) -> list[ParagraphMatch]:
    profile = _profile(earlier.text)
    found = []
    for section in later_f.sections:
        for paragraph in section.paragraphs:
            theme, reasons = _theme(profile, _profile(paragraph.text), PARAGRAPH_THRESHOLD)
            if theme >= PARAGRAPH_THRESHOLD:
                found.append(ParagraphMatch(paragraph.number, section.heading, _excerpt(paragraph.text), round(theme, 3), reasons))
    found.sort(key=lambda p: -p.score)
    return found[:MAX_PARAGRAPHS]


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
    for council, group in group_by_council(findings).items():
        for i, earlier_f in enumerate(group):
            for afi in earlier_f.areas_for_improvement:
                for later_f in group[i + 1 :]:
                    if later_f.start <= earlier_f.start:
                        continue  # two files for engagements starting the same day: neither is "later"
                    areas = [m for m in (_area_match(earlier_f, afi, later_f, b) for b in later_f.areas_for_improvement) if m]
                    areas.sort(key=lambda m: -m.score)
                    paragraphs = _paragraph_matches(afi, later_f)
                    links.append(
                        HistoryLink(
                            council=earlier_f.local_authority,
                            earlier=earlier_f,
                            area=afi,
                            later=later_f,
                            refs=list(_effective_refs(earlier_f, afi)),
                            judgement_area=area_judgement(earlier_f, afi),
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
