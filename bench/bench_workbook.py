"""Benchmark: load and analyse a performance workbook of 500 indicators x 60 periods (target: under 2 s).

    PYTHONPATH=src python bench/bench_workbook.py [--runs 3]

Builds the workbook once in a temporary folder (monthly periods Apr 2021 - Mar 2026; every indicator
with England and region comparators for 5 years), then times, for each run:

* openpyxl: ``selfeval.load.workbook.load_workbook`` (read-only, data-only, defusedxml, with the
  safety checks and the XML scan for merged cells and formulas) + ``analyse``;
* calamine (for comparison only): reading the same sheets' cells with python-calamine, if installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

N_INDICATORS = 500
N_PERIODS = 60


def build(path: Path) -> None:
    from _fixtures import make_workbook  # the same generator bench/run.py uses

    make_workbook(path, N_INDICATORS, N_PERIODS)


def time_openpyxl(path: Path) -> tuple[float, float, int]:
    from selfeval.analyse.indicators import analyse
    from selfeval.load.workbook import load_workbook

    t0 = time.perf_counter()
    data = load_workbook(path)
    t1 = time.perf_counter()
    summaries = analyse(data)
    t2 = time.perf_counter()
    assert len(summaries) == N_INDICATORS and len(data.observations) == N_INDICATORS * N_PERIODS
    return t1 - t0, t2 - t1, len(data.observations)


def time_calamine(path: Path) -> float | None:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    t0 = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in ("Indicators", "Data", "Comparators"):
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cells += sum(len(r) for r in rows)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "performance.xlsx"
        t = time.perf_counter()
        build(path)
        print(f"built {N_INDICATORS} indicators x {N_PERIODS} periods ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        loads, analyses, totals, cal = [], [], [], []
        for _ in range(args.runs):
            load_s, analyse_s, _n = time_openpyxl(path)
            loads.append(load_s)
            analyses.append(analyse_s)
            totals.append(load_s + analyse_s)
            c = time_calamine(path)
            if c is not None:
                cal.append(c)
        print()
        print(f"{'step':<44} {'runs (s)':<28} {'median':>8}")
        print("-" * 82)
        for label, values in (
            ("load_workbook (checks + XML read + validate)", loads),
            ("analyse (500 summaries)", analyses),
            ("TOTAL load + analyse (target < 2 s)", totals),
            ("calamine: read the same 3 sheets' cells only", cal),
        ):
            if values:
                runs = ", ".join(f"{v:.2f}" for v in values)
                print(f"{label:<44} {runs:<28} {statistics.median(values):>8.2f}")
        verdict = "PASS" if statistics.median(totals) < 2 else "SLOWER THAN TARGET"
        print(f"\n{verdict}: median load + analyse {statistics.median(totals):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
