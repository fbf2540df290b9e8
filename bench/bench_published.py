"""Benchmark of the published statistics: one council's figures, and what the store adds to the wheel.

    python bench/bench_published.py            # every council, cold caches, in this process
    python bench/bench_published.py --quick    # 20 councils

Per-council load = ``council_figures(council)``: the council's 20 indicators with England, its
region, its 10 neighbours' median and its rank, from cold caches (nothing read before). Beside it,
in the same run, the bare baseline: ``json.loads`` of the same 13 files with nothing else. The
acceptance bound is 30 ms per council. Package size: the store's files on disk and deflated as the
wheel holds them (the wheel may grow by at most 3 MB).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from selfeval.analyse.benchmarks import council_figures  # noqa: E402
from selfeval.councils import all_councils  # noqa: E402
from selfeval.published import indicators, store  # noqa: E402


def cold() -> None:
    store.clear_cache()
    indicators.published_indicators.cache_clear()


def files_for(council) -> list[Path]:
    keys = ["england", store.region_key(council.region) or "", f"la-{council.old_code}", *(f"la-{c}" for c in council.statistical_neighbours)]
    return [store.store_dir() / f"{k}.json" for k in ["index", *keys] if k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    councils = all_councils()[:: 8 if args.quick else 1]
    loads, bare = [], []
    for council in councils:
        cold()
        t = time.perf_counter()
        council_figures(council)
        loads.append(time.perf_counter() - t)
        paths = files_for(council)
        t = time.perf_counter()
        for p in paths:
            json.loads(p.read_text(encoding="utf-8"))
        bare.append(time.perf_counter() - t)
    data = store.shipped_store_dir()
    files = sorted(data.glob("*.json"))
    on_disk = sum(p.stat().st_size for p in files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            z.write(p, f"selfeval/published/data/{p.name}")
    worst = max(loads)
    print(f"published figures for one council ({len(councils)} councils, cold caches)")
    print(f"  median {statistics.median(loads) * 1000:6.1f} ms   worst {worst * 1000:6.1f} ms   (target < 30 ms)")
    print(f"  bare json.loads of the same files: median {statistics.median(bare) * 1000:.1f} ms;"
          f" ratio {statistics.median(loads) / statistics.median(bare):.1f}x")
    print(f"store: {len(files)} files, {on_disk / 1e6:.2f} MB on disk, {len(buffer.getvalue()) / 1e6:.2f} MB in the wheel (limit 3 MB)")
    return 0 if worst < 0.030 and len(buffer.getvalue()) < 3_000_000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
