"""Benchmark: how often selfeval's framework-ref suggestion is Ofsted's own, on councils it has not seen.

Data: every labelled area in src/selfeval/data/labelled_areas.jsonl (areas for improvement with
Ofsted's printed National Framework refs, extracted from ../shared/domain/reports*/ by
tools/extract_labelled_areas.py and read as the outcome meant). Method: leave-one-council-out
cross-validation -- for each council, the learned part is trained on the other councils only,
and its calibration (temperature and Platt scaling) is fitted by a leave-one-council-out run
*inside* those other councils (nested), so nothing is fitted on the council being scored. Prints, with 95% Wilson
intervals:

* top-1 and top-2 accuracy of the suggester (a hit is any of Ofsted's refs for the area);
* the same by council (mean of per-council accuracy, so a council with 9 areas counts once);
* baselines: the most frequent ref(s) of the training councils, and today's lexicon alone
  (it was written before the labels; it was tuned on Bedford, Camden, Harrow, Trafford and
  Lambeth, so it is also shown on the other councils only);
* the agreement ceiling: pairs of near-identical areas from different councils (key-term
  overlap >= 0.5) and how often Ofsted gave them the same ref;
* calibration: of the top suggestions given each confidence band, how many were right;
* the time of `selfeval map` from a fresh process, beside `python -c pass` and `selfeval --help`.

    python bench/bench_mapping.py [-v] [--data FILE] [--no-timing]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from train_framework_map import (  # noqa: E402
    BINS,
    DEFAULT_DATA,
    PARAMS,
    Case,
    fit,
    calibrate,
    load_cases,
    scores_for,
)

from selfeval.analyse import framework_map as fm  # noqa: E402

TUNED_ON = {"Bedford Borough", "Bedford", "Camden", "Harrow", "Trafford", "Lambeth"}  # the lexicon's 28 examples
NEAR_IDENTICAL = 0.5


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def pct(k: int, n: int) -> str:
    low, high = wilson(k, n)
    return f"{k}/{n} = {100 * k / n:.0f}% (95% CI {100 * low:.0f}-{100 * high:.0f}%)" if n else "n/a"


def by_council_mean(hits: list[tuple[str, bool]]) -> str:
    """Mean of per-council accuracy, with a normal-approximation 95% interval over councils."""
    per: dict[str, list[bool]] = {}
    for council, hit in hits:
        per.setdefault(council, []).append(hit)
    rates = [sum(v) / len(v) for v in per.values()]
    mean = statistics.fmean(rates)
    half = 1.96 * statistics.stdev(rates) / math.sqrt(len(rates)) if len(rates) > 1 else float("nan")
    return f"{100 * mean:.0f}% (95% CI {100 * max(0, mean - half):.0f}-{100 * min(1, mean + half):.0f}%, {len(rates)} councils)"


Ranked = list[tuple[str, float]]


def nested_predictions(cases: list[Case]) -> list[tuple[Ranked, Ranked, Case]]:
    """For each council: train on the others, calibrate by LOCO inside the others, rank its areas
    (with the shipped calibration, and with Platt scaling alone for comparison)."""
    out = []
    for council in sorted({c.example.council for c in cases}):
        train_cases = [c for c in cases if c.example.council != council]
        params, knots = calibrate(train_cases, dict(PARAMS))
        model = fit(train_cases, params)
        for case in (c for c in cases if c.example.council == council):
            raw = fm.probabilities(scores_for(case, model, params), params["temperature"])
            ranked = list(fm.calibrate_all(raw, params, knots).items())  # best first
            platt = list(fm.calibrate_all(raw, params, knots=()).items())
            out.append((ranked, platt, case))
    return out


def lexicon_ranked(case: Case) -> list[str]:
    probs = fm.lexicon_probabilities(case.lexicon)
    return sorted(probs, key=lambda r: (-probs[r], r))


def most_frequent(cases: list[Case], council: str) -> list[str]:
    counts = Counter(c.example.ref for c in cases if c.example.council != council)
    return [r for r, _ in sorted(counts.items(), key=lambda rc: (-rc[1], rc[0]))]


def ceiling(cases: list[Case]) -> tuple[int, int, list[tuple[Case, Case]]]:
    """Pairs of near-identical areas (different councils): how many share a ref."""
    terms = [frozenset(fm.key_terms(c.example.text)) for c in cases]
    agree = total = 0
    disagreeing = []
    for i, j in combinations(range(len(cases)), 2):
        a, b = cases[i], cases[j]
        if a.example.council == b.example.council or not terms[i] or not terms[j]:
            continue
        if len(terms[i] & terms[j]) / len(terms[i] | terms[j]) >= NEAR_IDENTICAL:
            total += 1
            if set(a.example.refs) & set(b.example.refs):
                agree += 1
            else:
                disagreeing.append((a, b))
    return agree, total, disagreeing


def calibration_errors(points: list[tuple[float, bool]]) -> str:
    """Brier score, log-loss and expected calibration error (|confidence - rate right| over BINS, weighted)."""
    def clip(p: float) -> float:
        return min(max(p, 1e-6), 1 - 1e-6)

    brier = statistics.fmean((p - ok) ** 2 for p, ok in points)
    loss = -statistics.fmean(math.log(clip(p)) if ok else math.log(1 - clip(p)) for p, ok in points)
    ece = sum(abs(sum(p for p, ok in band) - sum(ok for _, ok in band))
              for band in ([(p, ok) for p, ok in points if low <= p < high] for low, high in BINS)) / len(points)
    return f"Brier {brier:.3f}, log-loss {loss:.3f}, ECE {ece:.3f} ({len(points)} suggestions)"


def timing(runs: int = 10) -> list[str]:
    """Fresh-process times, median and slowest of ``runs`` after one warm-up run each.

    Bytecode caching is switched on for these runs (some shells set PYTHONDONTWRITEBYTECODE, which
    would make every run compile selfeval from source; an installed wheel never does).
    """
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def times(args: list[str]) -> tuple[float, float]:
        subprocess.run(args, capture_output=True, check=False, env=env)  # warm-up: caches, bytecode
        found = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(args, capture_output=True, check=False, env=env)
            found.append(time.perf_counter() - start)
        return statistics.median(found), max(found)

    exe = [sys.executable]
    area = "The timeliness of return home interviews for children missing from care"
    bare, bare_max = times([*exe, "-c", "pass"])
    helps, helps_max = times([*exe, "-m", "selfeval", "--help"])
    mapped, mapped_max = times([*exe, "-m", "selfeval", "map", area, "--json"])
    full, full_max = times([*exe, "-c", f"import sys; sys.argv = ['selfeval', 'map', {area!r}, '--json']; "
                            "from selfeval.cli import main; main()"])
    return [
        f"fresh process, median (slowest) of {runs}: python -c pass {bare:.3f} s ({bare_max:.3f}); "
        f"selfeval --help {helps:.3f} s ({helps_max:.3f}); selfeval map --json {mapped:.3f} s ({mapped_max:.3f}); "
        f"the same map through the full CLI (typer) {full:.3f} s ({full_max:.3f})",
        f"map = {mapped / bare:.1f}x bare python, {mapped / helps:.2f}x --help, {mapped / full:.2f}x the full CLI's map",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()

    cases = load_cases(args.data)
    n = len(cases)
    councils = len({c.example.council for c in cases})
    print(f"labelled areas: n = {n} from {councils} councils ({args.data.name})")
    print(f"ref distribution: {dict(Counter(c.example.ref for c in cases).most_common())}")

    predictions = nested_predictions(cases)
    hit1, hit2, lex1, lex2, base1, base2 = [], [], [], [], [], []
    tops: list[tuple[float, bool]] = []
    shown: list[tuple[float, bool]] = []  # every suggestion the one rule records
    two_best: dict[str, list[tuple[float, bool]]] = {"shipped (Platt + isotonic)": [], "Platt alone": []}
    for ranked, platt, case in predictions:
        gold = set(case.example.refs)
        council = case.example.council
        refs = [r for r, _ in ranked]
        hit1.append((council, refs[0] in gold))
        hit2.append((council, bool(gold & set(refs[:2]))))
        tops.append((ranked[0][1], refs[0] in gold))
        for name, rp in (("shipped (Platt + isotonic)", ranked), ("Platt alone", platt)):
            two_best[name] += [(p, r in gold) for r, p in rp[:2]]
        shown.append((ranked[0][1], refs[0] in gold))
        if len(ranked) > 1 and fm._runner_up_recorded(ranked[0][1], ranked[1][1]):
            shown.append((ranked[1][1], refs[1] in gold))
        lex = lexicon_ranked(case)
        lex1.append((council, bool(lex[:1]) and lex[0] in gold))
        lex2.append((council, bool(gold & set(lex[:2]))))
        freq = most_frequent(cases, council)
        base1.append((council, freq[0] in gold))
        base2.append((council, bool(gold & set(freq[:2]))))
        if args.verbose:
            mark = "ok " if refs[0] in gold else ("ok2" if gold & set(refs[:2]) else "XX ")
            print(f"{mark} gold={'/'.join(sorted(gold)):11} got={refs[0]} ({ranked[0][1]:.2f}), {refs[1]}  {council}: {case.example.text[:80]}")

    def k(hits: list[tuple[str, bool]], only: set[str] | None = None, exclude: set[str] | None = None) -> tuple[int, int]:
        chosen = [h for c, h in hits if (only is None or c in only) and (exclude is None or c not in exclude)]
        return sum(chosen), len(chosen)

    print("\nleave-one-council-out (nested: nothing fitted on the council scored)")
    print(f"  suggester   top-1 {pct(*k(hit1))}; top-2 {pct(*k(hit2))}")
    print(f"              by council: top-1 {by_council_mean(hit1)}; top-2 {by_council_mean(hit2)}")
    print(f"  lexicon     top-1 {pct(*k(lex1))}; top-2 {pct(*k(lex2))}")
    print(f"  most frequent ref of the training councils: top-1 {pct(*k(base1))}; top-2 {pct(*k(base2))}")
    print("  councils the lexicon was never tuned on:")
    print(f"    suggester top-1 {pct(*k(hit1, exclude=TUNED_ON))}; top-2 {pct(*k(hit2, exclude=TUNED_ON))}")
    print(f"    lexicon   top-1 {pct(*k(lex1, exclude=TUNED_ON))}; top-2 {pct(*k(lex2, exclude=TUNED_ON))}")

    agree, total, disagreeing = ceiling(cases)
    print(f"\nagreement ceiling: near-identical areas from different councils (key-term overlap >= {NEAR_IDENTICAL}) "
          f"share a ref in {pct(agree, total)} of pairs")
    for a, b in disagreeing[: 12 if args.verbose else 5]:
        print(f"  {a.example.council} {a.example.year} {'/'.join(a.example.refs)}: '{a.example.text[:60]}'  vs  "
              f"{b.example.council} {b.example.year} {'/'.join(b.example.refs)}: '{b.example.text[:60]}'")

    low_cut = fm.low_confidence_threshold()
    for title, points in (("the best suggestion", tops), ("every suggestion recorded: the best, and the runner-up when the best is low confidence or close", shown)):
        print(f"\ncalibration ({title}; held-out councils): band, suggestions, mean confidence, right")
        for low, high in BINS:
            inside = [(p, ok) for p, ok in points if low <= p < high]
            if inside:
                mean = statistics.fmean(p for p, _ in inside)
                right = sum(ok for _, ok in inside)
                print(f"  {low:.1f}-{min(high, 1.0):.1f}: {len(inside):3}  {mean:.2f}  {pct(right, len(inside))}")
        marked = [(p, ok) for p, ok in points if p < low_cut]
        print(f"  marked low confidence (< {low_cut}): {len(marked)} of {len(points)}; right {pct(sum(ok for _, ok in marked), len(marked))}")

    print("\ncalibration error over the two best refs of every area (held-out councils; lower is better):")
    for name, points in two_best.items():
        print(f"  {name:27} {calibration_errors(points)}")
        for low, high in BINS:
            inside = [(p, ok) for p, ok in points if low <= p < high]
            if inside:
                print(f"    {low:.1f}-{min(high, 1.0):.1f}: {len(inside):3}  {statistics.fmean(p for p, _ in inside):.2f}  "
                      f"{pct(sum(ok for _, ok in inside), len(inside))}")

    if not args.no_timing:
        print()
        for line in timing():
            print(line)


if __name__ == "__main__":
    main()
