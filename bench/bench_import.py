"""Import time per report in shared/domain/reports (target: under 1 s for a 30-page PDF).

Run: PYTHONPATH=src python bench/bench_import.py [REPORT ...]
Prints the best of 3 runs per report (text extraction + cleaning + parsing, no YAML writing).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from selfeval.load.report import import_report

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "domain" / "reports"


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(p for p in REPORTS.glob("*") if p.suffix in (".pdf", ".txt", ".md", ".docx"))
    if not paths:
        print(f"no reports found (looked in {REPORTS})")
        return 1
    import_report(paths[0])  # warm imports (pypdfium2, pydantic) so the first row is not penalised
    print(f"{'report':48} {'pages':>5} {'best ms':>8} {'ms/page':>8}")
    total = 0.0
    for path in paths:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            ex = import_report(path)
            times.append(time.perf_counter() - t)
        best = min(times)
        total += best
        print(f"{path.name[:48]:48} {ex.page_count:5d} {best * 1000:8.1f} {best * 1000 / ex.page_count:8.1f}")
    print(f"{'total':48} {'':5} {total * 1000:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
