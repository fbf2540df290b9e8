"""Which judgement area an imported area for improvement belongs to, when its words do not say.

Most areas name their theme ('care leavers', 'front door', 'supervision') and the judgement-area
cue words in ilacs.yaml place them. For the rest ('contingency and safety plans for children in need
of help and protection' is placed by a cue; 'the timeliness of initial health assessments' is not),
the report itself answers: Ofsted writes each area for improvement out of a judgement section whose
paragraphs discuss the same thing. The paragraphs that share the most content words with the area
decide; they are recorded as the area's source paragraphs and the area is marked inferred, so a
person can check it. When no paragraph shares enough, the import says so: never a silent default.
"""

from __future__ import annotations

import re
from functools import cache

from selfeval import reference
from selfeval.load.report.extraction import Extraction, FoundArea

MIN_SHARED = 3  # content words an area must share with a paragraph for that paragraph to count
TOP_PARAGRAPHS = 2

_STOP = frozenset(
    """about above after again against also among and another any are arrangements because been before being
    between both but can children child childrens could does each ensure especially every families family for
    from further have having including into its local more most much need needs not other ought over quality
    same should some such than that the their them then there these they this those through timely timeliness
    under until very were what when where which while who whom with within would young people person authority
    consistently consistent effective effectiveness impact improve improvement improving practice service services
    work working""".split()
)


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "ies", "ied", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@cache
def _terms(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z][a-z\-]{3,}", text.lower().replace("’", "'"))
    return frozenset(_stem(w) for w in words if w not in _STOP)


def _cue(text: str) -> str | None:
    lowered = text.lower()
    for cues in reference.area_cues().values():
        for cue in cues:
            if re.search(rf"\b{re.escape(cue)}", lowered):
                return cue
    return None


def infer_areas(ex: Extraction) -> None:
    """Fill in the judgement area (and paragraphs) of each area no cue word places; warn when none can be found."""
    paragraphs: list[tuple[str, int, frozenset[str]]] = [
        (s.area, p.number, _terms(p.text)) for s in ex.sections if s.area for p in s.paragraphs if p.number
    ]
    if not paragraphs:
        return
    unplaced: list[str] = []
    for index, area in enumerate(ex.areas):
        if area.judgement_area or _cue(area.text_without_refs or area.text):
            continue
        if not _infer_one(area, paragraphs):
            unplaced.append(ex.afi_id(index))
    for afi in unplaced:
        ex.warnings.append(
            f"{afi}: neither its words nor any paragraph of the report place it in a judgement area; "
            "set judgement_area in the findings file"
        )


def _infer_one(area: FoundArea, paragraphs: list[tuple[str, int, frozenset[str]]]) -> bool:
    wanted = _terms(area.text_without_refs or area.text)
    scored = sorted(
        ((len(wanted & terms), number, key) for key, number, terms in paragraphs),
        key=lambda t: (-t[0], t[1]),
    )
    # A short area ('Quality and impact of safety planning') has few words to share: all of them count.
    needed = max(2, min(MIN_SHARED, len(wanted)))
    best = [s for s in scored[:TOP_PARAGRAPHS] if s[0] >= needed]
    if not best:
        return False
    votes: dict[str, int] = {}
    for shared, _, key in best:
        votes[key] = votes.get(key, 0) + shared
    ranked = sorted(votes.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return False  # two judgement areas discuss it equally: a person decides
    key = max(votes, key=lambda k: votes[k])
    numbers = [n for _, n, k in best if k == key]
    area.judgement_area = key
    area.source_paragraphs = area.source_paragraphs + [n for n in numbers if n not in area.source_paragraphs]
    area.area_inferred = True
    shown = " and ".join(str(n) for n in numbers)
    area.area_reason = f"inferred from paragraph{'s' if len(numbers) > 1 else ''} {shown}, which discuss the same thing"
    return True
