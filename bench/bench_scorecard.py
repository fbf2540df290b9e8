"""Benchmark: a council's own scorecard read through its mapping, against the same data in selfeval's format.

    PYTHONPATH=src python bench/bench_scorecard.py [--runs 3] [--indicators 500] [--periods 60]

Builds, from one random seed, the same 500 indicators x 60 monthly periods (with England and region
figures for each year) twice: as selfeval's own workbook (``bench/_fixtures.make_workbook``) and as a
wide council scorecard (title rows, a section band every 50 measures, ``England 2024-25`` style
comparator columns, a RAG column), maps the scorecard once with ``selfeval workbook map``'s
detector, then times reading each (best of ``--runs``), with and without the analysis. The target:
the ratio scorecard / own format is no more than 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def make_scorecard(path: Path, n_indicators: int, n_periods: int, seed: int = 4) -> None:
    """The same values as ``_fixtures.make_workbook(seed)``, laid out as a council's wide scorecard."""
    from openpyxl import Workbook

    from selfeval.models.performance import Period

    rng = random.Random(seed)
    units = [("%", "higher is better"), ("%", "lower is better"), ("rate per 10,000", "contextual"), ("count", "contextual"), ("days", "lower is better")]
    first_year = 2026 - (n_periods + 11) // 12
    periods = [Period.month(first_year + (3 + m) // 12, (3 + m) % 12 + 1).label for m in range(n_periods)]
    years = sorted({f"{y}-{(y + 1) % 100:02d}" for y in range(first_year, 2026)})
    values = []
    for i in range(n_indicators):
        unit = units[i % len(units)][0]
        top = 100 if unit == "%" else 1000
        values.append([round(rng.uniform(0, top), 1) for _ in periods])
    comps = {i: {who: [round(rng.uniform(10, 90), 1) for _ in years] for who in ("England", "Region")} for i in range(n_indicators)}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Scorecard")
    ws.append(["Benchmark Council: children's services scorecard"])
    ws.append(["OFFICIAL"])
    ws.append([])
    ws.append(["PI Ref", "Indicator", "Unit", "Polarity", "Target", *[f"England {y}" for y in years], *[f"Region {y}" for y in years],
               *periods, "RAG", "Comment"])
    for i in range(n_indicators):
        if i % 50 == 0:
            ws.append(["Help and protection" if i % 100 == 0 else "Children in care"])
        unit, pol = units[i % len(units)]
        ws.append([f"KPI-{i:03d}", f"Indicator {i}", unit, pol, 80 if unit == "%" else None, *comps[i]["England"], *comps[i]["Region"],
                   *values[i], "G", "on track"])
    wb.save(path)


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--periods", type=int, default=60)
    args = parser.parse_args(argv)

    from _fixtures import make_workbook

    from selfeval.analyse.indicators import analyse
    from selfeval.commands.workbook import map_scorecard
    from selfeval.load.scorecard.read import load_scorecard
    from selfeval.load.workbook import load_workbook

    n, p = args.indicators, args.periods
    with tempfile.TemporaryDirectory() as tmp:
        own = Path(tmp) / "performance.xlsx"
        card = Path(tmp) / "scorecard.xlsx"
        make_workbook(own, n, p)
        make_scorecard(card, n, p)
        t0 = time.perf_counter()
        map_scorecard(card)
        map_seconds = time.perf_counter() - t0
        a, b = load_workbook(own), load_scorecard(card)  # warm, and check they hold the same data
        assert len(a.indicators) == len(b.indicators) == n, (len(a.indicators), len(b.indicators))
        assert len(a.observations) == len(b.observations) == n * p, (len(a.observations), len(b.observations))
        assert [o.value for o in a.observations_for("KPI-007")] == [o.value for o in b.observations_for("KPI-007")]
        own_load = best(lambda: load_workbook(own), args.runs)
        card_load = best(lambda: load_scorecard(card), args.runs)
        own_all = best(lambda: analyse(load_workbook(own)), args.runs)
        card_all = best(lambda: analyse(load_scorecard(card)), args.runs)
    print(f"{n} indicators x {p} periods ({n * p:,} values), best of {args.runs}")
    print(f"  workbook map (once)                        {map_seconds:6.2f} s")
    print(f"  own format: load                           {own_load:6.2f} s")
    print(f"  scorecard through its mapping: load        {card_load:6.2f} s   ratio {card_load / own_load:.2f}")
    print(f"  own format: load + analysis                {own_all:6.2f} s")
    print(f"  scorecard through its mapping: + analysis  {card_all:6.2f} s   ratio {card_all / own_all:.2f}")
    return 0 if card_load <= own_load * 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
