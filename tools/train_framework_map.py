"""Train the framework-ref suggester on Ofsted's own tags; write src/selfeval/data/framework_learned.json.

Input: src/selfeval/data/labelled_areas.jsonl (made by tools/extract_labelled_areas.py; `refs` are
already read as the outcome meant, in selfeval's canonical numbering). Deterministic: the same
input gives the same output byte for byte.

What is learned, and how (docs/framework-mapping.md has the detail):
* word and word-pair counts per ref (multinomial naive Bayes, smoothing fixed in advance at 0.5);
* the labelled areas themselves, for "most like Trafford 2026: '...'" in the reasons;
* calibration, from leave-one-council-out predictions over the training set: a temperature
  (0.2 to 5, lowest log-loss of Ofsted's refs), then Platt scaling of the two best refs'
  probabilities (slope and intercept by Newton's method), then an isotonic curve over the Platt
  values of the same out-of-fold suggestions (pool-adjacent-violators; blocks of fewer than 10
  suggestions merged, each block's rate with one right and one wrong added), so that a
  confidence of 0.7 means about 70% right on a council the model has not seen. Platt alone was
  over-confident above 0.7 and under-confident at 0.3-0.5 (docs/framework-mapping.md).
The lexicon weight (1: the lexicon and the learned counts speak as log-probabilities on equal
terms) and the floor are fixed in advance, not fitted: there are too few areas to fit them
without fitting noise.

    python tools/train_framework_map.py [--data FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from selfeval import facts  # noqa: E402
from selfeval.analyse import framework_map as fm  # noqa: E402
from selfeval.analyse.framework_learned import Example, Learned, log_scores, sha256_of, to_json, train  # noqa: E402

DATA = ROOT / "src" / "selfeval" / "data"
DEFAULT_DATA = DATA / "labelled_areas.jsonl"
DEFAULT_OUT = DATA / "framework_learned.json"
PARAMS: dict[str, float] = {"smoothing": 0.5, "lexicon_weight": 1.0, "lexicon_floor": 0.02}
TEMPERATURES = [round(0.2 * 1.1**k, 4) for k in range(35)]  # 0.2 .. about 5
BINS = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


@dataclass(frozen=True)
class Case:
    example: Example
    lexicon: fm.LexiconScores  # does not depend on the training data, so computed once


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        example = Example(row["council"], row["published"], row["text"], tuple(row["refs"]), fm.features(row["text"]))
        lex = fm.lexicon_scores(row["text"])
        cases.append(Case(example, lex))
    return cases


def scores_for(case: Case, model: Learned, params: dict[str, float]) -> dict[str, float]:
    refs = list(facts.framework_items())
    return fm.combine(case.lexicon, log_scores(model, case.example.features, refs), params)


def fit(cases: list[Case], params: dict[str, float]) -> Learned:
    return train((c.example for c in cases), params["smoothing"])


def out_of_fold(cases: list[Case], params: dict[str, float]) -> list[tuple[dict[str, float], Case]]:
    """Leave-one-council-out: each council's areas scored by a model trained on the other councils."""
    out = []
    for council in sorted({c.example.council for c in cases}):
        model = fit([c for c in cases if c.example.council != council], params)
        out += [(scores_for(c, model, params), c) for c in cases if c.example.council == council]
    return out


def fit_temperature(oof: list[tuple[dict[str, float], Case]]) -> float:
    """The temperature with the lowest log-loss of Ofsted's ref(s) over out-of-fold predictions."""
    def loss(t: float) -> float:
        total = 0.0
        for scores, case in oof:
            probs = fm.probabilities(scores, t)
            total -= math.log(max(sum(probs.get(r, 0.0) for r in case.example.refs), 1e-12))
        return total

    return min(TEMPERATURES, key=lambda t: (loss(t), t))


def fit_platt(oof: list[tuple[dict[str, float], Case]], temperature: float) -> tuple[float, float]:
    """(slope, intercept) of sigmoid(slope * logit(p) + intercept): the chance that a suggested ref is
    Ofsted's, fitted over the two best refs of each area (the ones import, generate and map show).

    (A third term giving the runner-up its own level was tried: on ~100 areas it made the slope
    unstable between folds, even negative, and reordered refs; two parameters it is.)
    """
    points = []
    for scores, case in oof:
        probs = fm.probabilities(scores, temperature)
        for ref in sorted(probs, key=lambda r: (-probs[r], r))[:2]:
            p = min(max(probs[ref], 1e-6), 1 - 1e-6)
            points.append(((math.log(p / (1 - p)), 1.0), 1.0 if ref in case.example.refs else 0.0))
    w = [1.0, 0.0]
    for _ in range(100):  # Newton's method on the log-loss, with a little ridge for stability
        g = [0.0, 0.0]
        h = [[1e-3 if i == j else 0.0 for j in range(2)] for i in range(2)]
        for x, y in points:
            q = 1 / (1 + math.exp(-sum(wi * xi for wi, xi in zip(w, x))))
            for i in range(2):
                g[i] += (q - y) * x[i]
                for j in range(2):
                    h[i][j] += q * (1 - q) * x[i] * x[j]
        step = _solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
        if sum(abs(si) for si in step) < 1e-9:
            break
    return round(w[0], 4), round(w[1], 4)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination for a small symmetric positive-definite system."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[col][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


Knots = list[tuple[float, float]]
MIN_BLOCK = 10  # suggestions: fewer cannot say how often such a suggestion is right


def calibrate(cases: list[Case], params: dict[str, float]) -> tuple[dict[str, float], Knots]:
    """params with the temperature and Platt scaling, and the isotonic knots, all fitted on
    leave-one-council-out predictions over ``cases``."""
    params = dict(params)
    oof = out_of_fold(cases, params)
    params["temperature"] = fit_temperature(oof)
    params["calibration_slope"], params["calibration_intercept"] = fit_platt(oof, params["temperature"])
    return params, fit_isotonic(oof, params)


def recorded_points(oof: list[tuple[dict[str, float], Case]], params: dict[str, float]) -> list[tuple[float, float]]:
    """(Platt confidence, 1 if Ofsted's ref else 0) for the two best refs of each area."""
    points = []
    for scores, case in oof:
        platt = fm.calibrate_all(fm.probabilities(scores, params["temperature"]), params, knots=())
        for ref in list(platt)[:2]:
            points.append((platt[ref], 1.0 if ref in case.example.refs else 0.0))
    return points


def fit_isotonic(oof: list[tuple[dict[str, float], Case]], params: dict[str, float]) -> Knots:
    """The isotonic (non-decreasing) curve from Platt confidence to the rate right: pool adjacent
    violators, merge blocks under MIN_BLOCK suggestions into their smaller neighbour, and give each
    block (right + 1) / (n + 2). One knot per block, at its mean confidence."""
    blocks: list[list[float]] = []  # [mean x, mean y, weight]
    for x, y in sorted(recorded_points(oof, params)):
        blocks.append([x, y, 1.0])
        while len(blocks) > 1 and blocks[-2][1] >= blocks[-1][1]:
            _merge(blocks, len(blocks) - 2)
    while len(blocks) > 1 and (small := [i for i, b in enumerate(blocks) if b[2] < MIN_BLOCK]):
        i = small[0]
        if i == len(blocks) - 1 or (i > 0 and blocks[i - 1][2] < blocks[i + 1][2]):
            i -= 1
        _merge(blocks, i)
    return [(round(x, 4), round((y * w + 1) / (w + 2), 4)) for x, y, w in blocks]


def _merge(blocks: list[list[float]], i: int) -> None:
    """Blocks i and i + 1 become one (weighted means)."""
    a, b = blocks[i], blocks[i + 1]
    w = a[2] + b[2]
    blocks[i : i + 2] = [[(a[0] * a[2] + b[0] * b[2]) / w, (a[1] * a[2] + b[1] * b[2]) / w, w]]


def reliability(oof: list[tuple[dict[str, float], Case]], params: dict[str, float], knots: Knots) -> list[dict[str, Any]]:
    """Of top suggestions given a confidence in each band, how many were Ofsted's ref."""
    rows = []
    tops = []
    for scores, case in oof:
        probs = fm.calibrate_all(fm.probabilities(scores, params["temperature"]), params, knots)
        best = next(iter(probs))
        tops.append((probs[best], best in case.example.refs))
    for low, high in BINS:
        inside = [(p, ok) for p, ok in tops if low <= p < high]
        if inside:
            rows.append({
                "band": f"{low:.1f}-{min(high, 1.0):.1f}",
                "suggestions": len(inside),
                "mean_confidence": round(sum(p for p, _ in inside) / len(inside), 3),
                "right": sum(ok for _, ok in inside),
            })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    text = args.data.read_text(encoding="utf-8")
    cases = load_cases(args.data)
    if not cases:
        sys.exit(f"{args.data}: no labelled areas")
    params, knots = calibrate(cases, dict(PARAMS))
    # The calibration table shipped is in-sample for the calibration itself (the bench shows the nested one).
    calibration = reliability(out_of_fold(cases, params), params, knots)
    model = fit(cases, params)
    trained_on = {
        "file": args.data.name,
        "sha256": sha256_of(text),
        "areas": len(cases),
        "councils": len({c.example.council for c in cases}),
    }
    args.out.write_text(to_json(model, params, trained_on, calibration, knots), encoding="utf-8")
    right = sum(r["right"] for r in calibration)
    print(f"trained on {len(cases)} areas from {trained_on['councils']} councils; temperature {params['temperature']}, "
          f"Platt {params['calibration_slope']}/{params['calibration_intercept']}; isotonic knots {knots}; "
          f"leave-one-council-out top-1 {right}/{len(cases)}; wrote {args.out}")
    for row in calibration:
        print(f"  confidence {row['band']}: {row['right']}/{row['suggestions']} right (mean confidence {row['mean_confidence']})")


if __name__ == "__main__":
    main()
