"""Import time per report in shared/domain/reports and reports-dev (goal: under 0.5 s each), and the whole set.

Run: PYTHONPATH=src nice python bench/bench_import.py [--runs N] [REPORT ...]
Prints the best of N runs (default 3) per report (text extraction + cleaning + parsing + self-checks,
no YAML writing), the whole set's time, and beside it a bare baseline in the same run: PDFium's
text extraction alone for every PDF (what any importer must pay), so the ratio shows the parser's cost.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from selfeval.load.report import import_report

SHARED = Path(__file__).resolve().parents[2] / "shared" / "domain"
FOLDERS = (SHARED / "reports", SHARED / "reports-dev")
GOAL_S = 0.5


def _bare_text(path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    doc.close()


def main(argv: list[str]) -> int:
    runs = 3
    if argv[:1] == ["--runs"]:
        runs, argv = int(argv[1]), argv[2:]
    paths = [Path(a) for a in argv] or sorted(
        p for folder in FOLDERS if folder.is_dir() for p in folder.iterdir()
        if p.suffix in (".pdf", ".txt", ".md", ".docx") and p.name != "README.md"
    )
    if not paths:
        print(f"no reports found (looked in {REPORTS})")
        return 1
    import_report(paths[0])  # warm imports (pypdfium2, pydantic) so the first row is not penalised
    print(f"{'report':48} {'pages':>5} {'best ms':>8} {'ms/page':>8} {'bare ms':>8}")
    total = bare_total = 0.0
    slow = []
    for path in paths:
        times, bare = [], []
        for _ in range(runs):
            t = time.perf_counter()
            ex = import_report(path)
            times.append(time.perf_counter() - t)
            if path.suffix == ".pdf":
                t = time.perf_counter()
                _bare_text(path)
                bare.append(time.perf_counter() - t)
        best, best_bare = min(times), min(bare) if bare else 0.0
        total, bare_total = total + best, bare_total + best_bare
        if best > GOAL_S:
            slow.append(path.name)
        print(f"{path.name[:48]:48} {ex.page_count:5d} {best * 1000:8.1f} {best * 1000 / ex.page_count:8.1f} {best_bare * 1000:8.1f}")
    n = len(paths)
    print(f"{'whole set (' + str(n) + ' reports)':48} {'':5} {total * 1000:8.1f} {'':8} {bare_total * 1000:8.1f}")
    print(f"per report: {total / n * 1000:.0f} ms on average; {len(slow)} over the {GOAL_S} s goal"
          + (f" ({', '.join(slow)})" if slow else "")
          + f"; import / bare text extraction = {total / bare_total:.1f}x" if bare_total else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
