"""Everything the documents need, worked out once: the council's engagements in order, every area
for improvement with its judgement area and framework refs, indicator summaries, history links and
actions. Rendering only formats what is here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from selfeval import reference
from selfeval.analyse.areas import fit_era, judgement_area_for
from selfeval.analyse.history import council_key
from selfeval.errors import InputError, Location
from selfeval.load.inputs import Inputs
from selfeval.models.actions import Action, ActionPlan
from selfeval.models.findings import AreaForImprovement, Findings, FrameworkRef


@dataclass
class AreaView:
    findings: Findings
    afi: AreaForImprovement
    judgement_area: str
    refs: list[FrameworkRef]
    is_latest: bool
    actions: list[Action] = field(default_factory=list)


@dataclass
class Pack:
    council: str | None  # None until a findings file names it
    engagements: list[Findings]  # newest first
    latest: Findings | None  # None until the first findings file is added
    latest_inspection: Findings | None
    era: reference.Era
    areas: list[AreaView]  # latest engagement first, then still-open earlier areas
    indicators: list[Any]  # selfeval.analyse.indicators summaries
    history: list[Any]  # selfeval.analyse.history.HistoryLink
    actions: ActionPlan
    public: bool
    warnings: list[str] = field(default_factory=list)
    published: Any | None = None  # selfeval.analyse.published.PublishedContext: DfE figures used, or None

    @property
    def earlier(self) -> list[Findings]:
        return self.engagements[1:]


def build_pack(inputs: Inputs, *, public: bool = False) -> Pack:
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
    era = dated.era if dated and dated.era.engagement is None else reference.era_for(dt.date.today())
    warnings: list[str] = []
    actions = inputs.actions or ActionPlan()
    if public:
        # Dropped here, once, so nothing downstream (plan, RAG counts, success measures) can show them.
        actions = ActionPlan(actions=[a for a in actions.actions if not a.internal])
    areas = _area_views(engagements, actions, era, warnings)
    council = _council(latest.local_authority if latest else inputs.council, warnings)
    indicators, published = _indicators(inputs, public, council, warnings)
    history = _history(engagements)
    return Pack(
        council=latest.local_authority if latest else None,
        engagements=engagements,
        latest=latest,
        latest_inspection=latest_inspection,
        era=era,
        areas=areas,
        indicators=indicators,
        history=history,
        actions=actions,
        public=public,
        warnings=warnings,
        published=published,
    )


def _area_views(engagements: list[Findings], actions: ActionPlan, era: reference.Era, warnings: list[str]) -> list[AreaView]:
    views: list[AreaView] = []
    for index, findings in enumerate(engagements):
        for afi in findings.areas_for_improvement:
            if index > 0 and afi.status == "closed":
                continue
            area = fit_era(judgement_area_for(afi, findings)[0], era)
            refs = list(afi.framework_refs) or _suggest(afi, findings)
            views.append(AreaView(findings, afi, area, refs, index == 0, actions.for_area(afi.id)))
    known = {v.afi.id for v in views} | {a.id for f in engagements for a in f.areas_for_improvement}
    for action in actions.actions:
        if action.area_id not in known:
            warnings.append(
                f"the plan tracker has an action ({action.action_id}) for area '{action.area_id}', which is not in any findings file; it was left out"
            )
    return views


def _suggest(afi: AreaForImprovement, findings: Findings) -> list[FrameworkRef]:
    # The same rule as import and map (framework_map.suggestions_for_area), not the document's placement.
    from selfeval.analyse.framework_map import suggestions_for_area

    return suggestions_for_area(afi, findings)


def _council(name: str | None, warnings: list[str]) -> Any | None:
    """The council the folder is for, from the catalogue; None (with a warning) if it is not known."""
    if not name:
        return None
    from selfeval.councils import UnknownCouncil, resolve_council

    try:
        return resolve_council(name)
    except UnknownCouncil as e:
        warnings.append(f"DfE's published figures were not used: {e.message}")
        return None


def _indicators(inputs: Inputs, public: bool, council: Any | None, warnings: list[str]) -> tuple[list[Any], Any | None]:
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
    summaries = [
        pub.annotate(s, figures, only_published=inputs.performance is None, public=public)
        for s in analyse(data, public=public)
    ]
    return summaries, pub.context(figures, overrides)


def _history(engagements: list[Findings]) -> list[Any]:
    if len(engagements) < 2:
        return []
    from selfeval.analyse.history import latest_links

    # Each earlier area against the latest engagement: what the SEF's progress section reports.
    return latest_links(list(reversed(engagements)))
