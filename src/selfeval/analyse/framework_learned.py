"""What selfeval learned from Ofsted's own National Framework tags, and how it weighs a new area.

A multinomial naive Bayes over the area's words and word pairs, trained by
``tools/train_framework_map.py`` on the labelled areas in ``data/labelled_areas.jsonl`` and shipped
as counts in ``data/framework_learned.json``. Counts are the model: every number it uses can be
read back as "'supervision' was tagged enabler 2 in 7 of the 10 labelled areas that use it", and
the nearest labelled areas are kept so a suggestion can say which real area it is most like.

Pure functions over feature sets; the words -> features step is ``framework_map.features``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Iterable

LEARNED_FILE = "framework_learned.json"


@dataclass(frozen=True)
class Example:
    """One labelled area: what Ofsted wrote and the outcome it meant (canonical numbering)."""

    council: str
    published: str  # ISO date
    text: str
    refs: tuple[str, ...]
    features: frozenset[str]

    @property
    def ref(self) -> str:
        return self.refs[0]

    @property
    def year(self) -> str:
        return self.published[:4]


# eq=False: a model is compared (and hashed, as a cache key) by identity; its counts are large dicts.
@dataclass(frozen=True, eq=False)
class Learned:
    """The learned model: counts of features per ref, and the labelled areas it was counted from."""

    classes: dict[str, int]  # ref -> labelled areas with it as first ref
    features: dict[str, dict[str, int]]  # feature -> ref -> count
    totals: dict[str, int]  # ref -> feature occurrences
    smoothing: float
    examples: tuple[Example, ...] = ()

    @property
    def vocabulary(self) -> int:
        return len(self.features)

    @property
    def areas(self) -> int:
        return sum(self.classes.values())


def train(examples: Iterable[Example], smoothing: float) -> Learned:
    """Count features per ref. Each area counts once for its first printed ref (the one Ofsted led with)."""
    examples = tuple(examples)
    classes: Counter[str] = Counter()
    features: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for ex in examples:
        classes[ex.ref] += 1
        for f in ex.features:
            features[f][ex.ref] += 1
            totals[ex.ref] += 1
    return Learned(dict(classes), {f: dict(c) for f, c in features.items()}, dict(totals), smoothing, examples)


def log_scores(model: Learned, features: frozenset[str], refs: Iterable[str]) -> dict[str, float]:
    """log P(ref) + sum of log P(feature | ref) over the known features, for each ref.

    A ref never seen in training gets the smoothed prior of a single area, so it stays possible
    (the lexicon can still argue for it) without the model inventing evidence for it.
    """
    n = model.areas
    refs = list(refs)
    vocabulary = max(model.vocabulary, 1)
    a = model.smoothing
    known = [f for f in features if f in model.features]
    out = {}
    for ref in refs:
        count = model.classes.get(ref, 0)
        prior = math.log((count + a) / (n + a * len(refs)))
        denominator = model.totals.get(ref, 0) + a * vocabulary
        out[ref] = prior + sum(math.log((model.features[f].get(ref, 0) + a) / denominator) for f in known)
    return out


def known_features(model: Learned, features: frozenset[str]) -> list[str]:
    return sorted(f for f in features if f in model.features)


@dataclass(frozen=True)
class Evidence:
    """One feature that argued for a ref, with the counts behind it."""

    feature: str
    tagged: int  # labelled areas using the feature that were tagged with the ref
    using: int  # labelled areas using the feature
    weight: float  # how much it moved the score towards the ref (log odds against the others)


def evidence_for(model: Learned, features: frozenset[str], ref: str, refs: Iterable[str], limit: int = 3) -> list[Evidence]:
    """The features that argued most for ``ref`` (tagged with it in most of the areas using them)."""
    refs = list(refs)
    a = model.smoothing
    vocabulary = max(model.vocabulary, 1)

    def p(f: str, r: str) -> float:
        return (model.features[f].get(r, 0) + a) / (model.totals.get(r, 0) + a * vocabulary)

    found = []
    for f in known_features(model, features):
        counts = model.features[f]
        if not counts.get(ref):
            continue
        others = [p(f, r) for r in refs if r != ref]
        weight = math.log(p(f, ref)) - math.log(sum(others) / len(others)) if others else 0.0
        if weight > 0:
            found.append(Evidence(f, counts[ref], sum(counts.values()), weight))
    found.sort(key=lambda e: (-e.weight, e.feature))
    # A pair and its own words say the same thing: keep the pair, drop words it already shows.
    kept: list[Evidence] = []
    for e in found:
        if any(e.feature in k.feature.split() for k in kept) or any(k.feature in e.feature.split() for k in kept):
            continue
        kept.append(e)
    return kept[:limit]


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two areas' key terms."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


# -- the shipped model -------------------------------------------------------------------------

def to_json(model: Learned, params: dict[str, Any], trained_on: dict[str, Any], calibration: list[dict[str, Any]],
            isotonic: Iterable[tuple[float, float]] = ()) -> str:
    """The model as a stable, diff-able JSON document (sorted keys, one feature per line)."""
    data = {
        "about": "Learned by tools/train_framework_map.py from Ofsted's printed National Framework refs; "
        "see docs/framework-mapping.md. Regenerate, never edit by hand.",
        "trained_on": trained_on,
        "params": params,
        "classes": model.classes,
        "totals": model.totals,
        "features": model.features,
        "examples": [
            {"council": e.council, "published": e.published, "text": e.text, "refs": list(e.refs)} for e in model.examples
        ],
        "calibration": calibration,
        # (Platt confidence, rate right) knots of the isotonic calibration curve, fitted on held-out councils.
        "isotonic": [list(k) for k in isotonic],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


@cache
def shipped() -> dict[str, Any]:
    """The learned data shipped in the package (an empty model if it is missing, e.g. mid-training)."""
    raw = shipped_source()
    if raw is None:
        return {"params": {}, "classes": {}, "totals": {}, "features": {}, "examples": [], "calibration": [], "isotonic": []}
    data: dict[str, Any] = json.loads(raw.decode("utf-8"))  # as read_text: JSON reads \r\n and \n alike
    return data


@cache
def shipped_source() -> bytes | None:
    """The shipped file's bytes (None if it is missing): what ``shipped`` parses, and what the
    learned model kept in the cache folder is named by."""
    try:
        return resources.files("selfeval.data").joinpath(LEARNED_FILE).read_bytes()
    except FileNotFoundError:
        return None


def from_json(data: dict[str, Any], features_of: Any) -> Learned:
    examples = tuple(
        Example(e["council"], e["published"], e["text"], tuple(e["refs"]), frozenset(features_of(e["text"])))
        for e in data.get("examples", [])
    )
    return Learned(
        {k: int(v) for k, v in data.get("classes", {}).items()},
        {f: {r: int(c) for r, c in counts.items()} for f, counts in data.get("features", {}).items()},
        {k: int(v) for k, v in data.get("totals", {}).items()},
        float(data.get("params", {}).get("smoothing", 0.5)),
        examples,
    )


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
