"""Finish the analysis: from the loaded inputs to the ``Pack`` every document is formatted from.

Everything that needs judgement is decided here, once: the council's engagements in order, the
judgement area of every area for improvement, strength, section and indicator (fitted to the era
the documents follow), framework refs (suggested where Ofsted gave none), area RAG, which
indicators measure each area's success, what became of earlier areas and which indicators moved on
their theme. Rendering only formats what is here.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from selfeval import facts
from selfeval.analyse.journey import grade_journey, standing
from selfeval.analyse.areas import fit_era, judgement_area_for
from selfeval.analyse.history import council_key
from selfeval.errors import InputError, Location
from selfeval.load.inputs import Inputs
from selfeval.models.actions import ActionPlan, Rag
from selfeval.models.findings import AreaForImprovement, Findings, FrameworkRef, Strength
from selfeval.models.history import HistoryLink
from selfeval.councils import Council
from selfeval.models.pack import AreaView, ClosedAreaView, Journey, Pack, ProgressView, PublishedContext, SectionView, StrengthView
from selfeval.models.performance import IndicatorSummary

MEASURES_PER_AREA = 2  # indicators suggested as success measures when the actions name none
CHANGES_PER_THEME = 3  # indicators reported as moving on an earlier area's theme


FiguresReady = Callable[[list[IndicatorSummary], Journey], None]


def build_pack(inputs: Inputs, *, today: dt.date, public: bool = False, figures_ready: FiguresReady | None = None) -> Pack:
    """The pack. ``figures_ready`` is told the indicators and the grade journey as soon as they are
    known, before the rest of the analysis (the charts are drawn from them alongside it)."""
    findings = [item.findings for item in inputs.findings]
    councils = {council_key(f.local_authority): f.local_authority for f in findings}
    if len(councils) > 1:
        names = ", ".join(sorted(councils.values()))
        raise InputError(
            f"the findings are for more than one council ({names}); keep one council per inputs folder "
            "(use 'selfeval generate --batch' for several)",
            Location(inputs.folder),
        )
    engagements = sorted(findings, key=lambda f: (f.start, f.end), reverse=True)
    latest = engagements[0] if engagements else None
    graded = [f for f in engagements if f.judgements]
    latest_inspection = graded[0] if graded else None
    dated = latest_inspection or latest
    # Documents follow an ILACS era's headings; a council whose latest graded report is a SIF one
    # gets today's (its SIF findings sit under their ILACS successors, see fit_era).
    era = dated.era if dated and dated.era.engagement is None else facts.era_for(today)
    warnings: list[str] = []
    actions = inputs.actions or ActionPlan()
    if public:
        # Dropped here, once, so nothing downstream (plan, RAG counts, success measures) can show them.
        actions = ActionPlan(actions=[a for a in actions.actions if not a.internal])
    council = _council(latest.local_authority if latest else inputs.council, warnings)
    indicators, published = _indicators(inputs, public, council, warnings)
    journey = grade_journey(engagements, era)
    if figures_ready is not None:
        figures_ready(indicators, journey)
    indicator_areas = {s.id: fit_era(s.judgement_area, era) for s in indicators if s.judgement_area}
    all_links = _all_links(engagements)
    closed = _closed_areas(engagements, all_links)
    areas = _area_views(engagements, actions, era, warnings, {id(c.afi) for c in closed})
    for view in areas:
        view.rag = area_rag(view)
        view.measure_indicators = _measure_indicators(view, indicators, indicator_areas)
    # What the SEF's progress section reports: each earlier area against the latest engagement.
    history = [link for link in all_links if engagements and link.later is engagements[0]]
    pack = Pack(
        council=latest.local_authority if latest else None,
        engagements=engagements,
        latest=latest,
        latest_inspection=latest_inspection,
        era=era,
        areas=areas,
        strengths=[
            StrengthView(f, s, fit_era(_area_of(s, f), era)) for f in engagements for s in f.strengths
        ],
        sections=_sections(latest_inspection, era),
        indicators=indicators,
        indicator_areas=indicator_areas,
        history=history,
        progress=_progress_views(history, indicators, all_links, closed),
        journey=journey,
        closed_areas=closed,
        actions=actions,
        public=public,
        generated=today,
        finding_files=[item.path.name for item in inputs.findings],
        workbook_file=inputs.performance_path.name if inputs.performance_path is not None else None,
        warnings=warnings,
        published=published,
    )
    _words_and_figures(pack)
    return pack


def _words_and_figures(pack: Pack) -> None:
    """Ofsted's words (quotes, explanations, the summary) and the reading of the figures, per area."""
    from selfeval.analyse.evidence import interpret
    from selfeval.analyse.grade_prompts import grade_prompt
    from selfeval.analyse.strengths import explain, strengths_for_area

    source = pack.latest_inspection or pack.latest
    pack.summary = list(source.summary) if source is not None else []
    for key in pack.era.areas:
        chosen = pack.indicators_in(key)
        pack.quotes[key] = strengths_for_area(pack.engagements, key, pack.era)
        pack.evidence[key] = interpret(key, chosen, [v.afi for v in pack.areas if v.judgement_area == key])
        pack.grade_prompts[key] = grade_prompt(key, pack.engagements, chosen, pack.era)
    for view in pack.areas:
        pack.explanations[view.afi.id] = explain(view.findings, view.afi)


def _area_of(item: AreaForImprovement | Strength, findings: Findings) -> str:
    area, _how = judgement_area_for(item, findings)
    assert area is not None  # the default area is never None
    return area


def _area_views(
    engagements: list[Findings], actions: ActionPlan, era: facts.Era, warnings: list[str], closed: set[int]
) -> list[AreaView]:
    views: list[AreaView] = []
    for index, findings in enumerate(engagements):
        for afi in findings.areas_for_improvement:
            if index > 0 and (afi.status == "closed" or id(afi) in closed):
                continue
            area = fit_era(_area_of(afi, findings), era)
            refs = list(afi.framework_refs) or _suggest(afi, findings)
            views.append(AreaView(findings, afi, area, refs, index == 0, actions.for_area(afi.id)))
    known = {v.afi.id for v in views} | {a.id for f in engagements for a in f.areas_for_improvement}
    for action in actions.actions:
        if action.area_id not in known:
            warnings.append(
                f"the plan tracker has an action ({action.action_id}) for area '{action.area_id}', which is not in any findings file; it was left out"
            )
    return views


def area_rag(view: AreaView) -> Rag | None:
    """Blue only when every action is complete; otherwise the worst status among the actions."""
    rags = [a.rag for a in view.actions]
    worst_first: tuple[Rag, ...] = ("red", "amber", "green")
    for worst in worst_first:
        if worst in rags:
            return worst
    if rags and all(r == "blue" for r in rags):
        return "blue"
    return None  # nothing rated yet, or complete actions beside unrated ones: not known to be complete


def _measure_indicators(view: AreaView, indicators: list[IndicatorSummary], areas: dict[str, str]) -> list[IndicatorSummary]:
    """The indicators the actions name; else the area's indicators sharing a framework ref, with
    data and a direction of good (a contextual count is no measure of success), targeted and key first."""
    by_id = {s.id: s for s in indicators}
    linked = [by_id[a.indicator_id] for a in view.actions if a.indicator_id in by_id]
    if linked:
        return linked
    refs = {r.ref for r in view.refs}
    candidates = [
        s for s in indicators
        if refs.intersection(s.framework_refs) and areas.get(s.id) == view.judgement_area
        and s.has_data and s.polarity != "contextual"
    ]
    return sorted(candidates, key=lambda s: (s.target is None, not s.key))[:MEASURES_PER_AREA]


def _sections(latest_inspection: Findings | None, era: facts.Era) -> list[SectionView]:
    if latest_inspection is None:
        return []
    views = []
    for section in latest_inspection.sections:
        numbers = [p.number for p in section.paragraphs if p.number is not None]
        views.append(
            SectionView(
                judgement_area=fit_era(section.judgement_area, era) if section.judgement_area else None,
                first_paragraph=min(numbers) if numbers else None,
                last_paragraph=max(numbers) if numbers else None,
            )
        )
    return views


def _indicator_changes(
    link: HistoryLink, indicators: list[IndicatorSummary], named: dict[str, frozenset[str]]
) -> list[IndicatorSummary]:
    """How the indicators on the same theme moved: those sharing most of the theme's concepts
    (e.g. children who go missing) first, then those of the same judgement area. ``named``: the
    concepts each indicator's name uses."""
    from selfeval.analyse.framework_map import concept_ids, model

    refs = set(link.refs) | {r.ref for m in link.areas for r in m.area.framework_refs}
    theme = " ".join([link.area.text] + [m.area.text for m in link.areas])
    known = model().concepts
    concepts = set(concept_ids(theme))
    # A narrow shared concept (children who go missing) says more than a broad one (child protection).
    shared = {
        s.id: sum(1.0 if known[c].specific else 0.4 for c in concepts & named[s.id])
        for s in indicators
    }
    moved = [
        s for s in indicators
        if s.has_data and s.change is not None and (refs.intersection(s.framework_refs) or shared[s.id])
    ]
    moved.sort(key=lambda s: (-shared[s.id], s.judgement_area != link.judgement_area, s.polarity == "contextual"))
    return moved[:CHANGES_PER_THEME]


def _suggest(afi: AreaForImprovement, findings: Findings) -> list[FrameworkRef]:
    # The same rule as import and map (framework_map.suggestions_for_area), not the document's placement.
    from selfeval.analyse.framework_map import suggestions_for_area

    return suggestions_for_area(afi, findings)


def _council(name: str | None, warnings: list[str]) -> Council | None:
    """The council the folder is for, from the catalogue; None (with a warning) if it is not known."""
    if not name:
        return None
    from selfeval.councils import UnknownCouncil, resolve_council

    try:
        return resolve_council(name)
    except UnknownCouncil as e:
        warnings.append(f"DfE's published figures were not used: {e.message}")
        return None


def _indicators(
    inputs: Inputs, public: bool, council: Council | None, warnings: list[str]
) -> tuple[list[IndicatorSummary], PublishedContext | None]:
    """Indicator summaries: the workbook's with DfE's published comparators, or (no workbook) DfE's figures."""
    from selfeval.analyse.indicators import analyse

    if council is None:
        return (analyse(inputs.performance, public=public) if inputs.performance is not None else []), None
    from selfeval.analyse import published as pub

    figures = pub.figures_for(council, inputs.performance)
    overrides: list[str] = []
    if inputs.performance is None:
        data = pub.from_published(figures)
    else:
        data, overrides = pub.merge(inputs.performance, figures, warnings)
    pids = {i.id: pub.published_id(i) for i in data.indicators}
    summaries = [
        pub.annotate(s, figures, pids.get(s.id), only_published=inputs.performance is None, public=public)
        for s in analyse(data, public=public)
    ]
    return summaries, pub.context(figures, overrides)


def _all_links(engagements: list[Findings]) -> list[HistoryLink]:
    """Every earlier area against every later engagement, oldest first: the journey's evidence."""
    from selfeval.analyse.history import link_history

    return link_history(list(reversed(engagements))) if len(engagements) > 1 else []


def _closed_areas(engagements: list[Findings], links: list[HistoryLink]) -> list[ClosedAreaView]:
    """Earlier areas a later inspection (or the council) closed; the latest engagement's stay open."""
    closed: list[ClosedAreaView] = []
    for findings in engagements[1:]:
        for afi in findings.areas_for_improvement:
            mine = [link for link in links if link.area is afi]
            view = standing(findings, afi, engagements, mine)
            if view is not None:
                closed.append(view)
    return closed


def _progress_views(
    history: list[HistoryLink], indicators: list[IndicatorSummary], links: list[HistoryLink], closed: list[ClosedAreaView]
) -> list[ProgressView]:
    """Each earlier area against the latest engagement, with every later engagement's finding on it
    (oldest first), why it closed if it did, and the indicators that moved on its theme."""
    from selfeval.analyse.framework_map import concept_ids

    by_area: dict[int, list[HistoryLink]] = {}
    for lk in links:
        by_area.setdefault(id(lk.area), []).append(lk)
    why: dict[int, ClosedAreaView] = {}
    for c in closed:
        why.setdefault(id(c.afi), c)  # the first, as a search in order would find
    named = {s.id: frozenset(concept_ids(s.name)) for s in indicators}
    return [
        ProgressView(
            link,
            _indicator_changes(link, indicators, named),
            later=sorted(by_area.get(id(link.area), []), key=lambda lk: lk.later.start),
            closed=why.get(id(link.area)),
        )
        for link in history
    ]
