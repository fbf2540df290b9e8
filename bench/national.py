"""The national run: every council in England drafted in one `selfeval generate --batch`.

    python bench/national.py                  # all 153 councils; 1 and 2 workers; about 6-10 minutes on 2 cores
    python bench/national.py --quick          # 6 councils, one run each: a smoke run, well under a minute
    python bench/national.py --councils 40 --scale 10,40 --repeat 3
    python bench/national.py --keep /tmp/national   # build the folder once, reuse it next time

It first builds the batch folder as a regional alliance or a national body would: for every current
council (``selfeval.councils.all_councils()``) ``selfeval init DIR/<council> [--council NAME]``, then
``selfeval import`` of the council's latest report in ``../shared/domain/reports*/`` (the report's
council found with ``selfeval.councils``); a council with no report there has only its published
data (``--council`` pre-fills it once init supports it; until then the init workbook). Then it times
``selfeval generate --batch`` over it in a fresh interpreter, as a user runs it:

* wall time with 1 and with 2 workers, and the speed-up (target: 2 workers >= 1.6x faster);
* CPU seconds per council (user + system of the workers and their render children; this stays
  honest when other people load the machine), for growing numbers of councils (target: flat);
* peak resident memory per worker, and of a render child (target: <= 200 MB per worker);
* that every council succeeds.

Each run is repeated ``--repeat`` times and the median is printed with the load average, because
the machine is shared.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

SHARED = ROOT.parent / "shared" / "domain"
_REPORT_NAME = re.compile(r"^(?P<council>.+?)-(?P<year>\d{4})-(?P<month>\d{2})-(?P<kind>.+)$")


@dataclass(frozen=True)
class Report:
    path: Path
    council: str  # display name from the catalogue
    published: str  # yyyy-mm from the file name


def latest_reports(folders: list[Path]) -> dict[str, Report]:
    """The latest report per council in ``folders`` (file names ``<council>-<yyyy-mm>-<kind>.pdf``),
    the council resolved with the catalogue; files it cannot place are listed on stderr."""
    from selfeval.councils import UnknownCouncil, councils_in_text, nearest, resolve_council

    latest: dict[str, Report] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.pdf")):
            m = _REPORT_NAME.match(path.stem)
            if not m:
                continue
            words = m["council"].replace("-", " ")
            try:
                council = resolve_council(words)
            except UnknownCouncil:
                found = councils_in_text(words) or [resolve_council(n) for n in nearest(words, 1)]
                if len(found) != 1:  # file names drop '&' and 'and' ("telford-wrekin"): the nearest name then
                    print(f"  skipped {path.name}: no single council in its name", file=sys.stderr)
                    continue
                council = found[0]
            if not council.current:
                continue
            report = Report(path, council.name, f"{m['year']}-{m['month']}")
            if council.name not in latest or report.published > latest[council.name].published:
                latest[council.name] = report
    return latest


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _init_takes_council() -> bool:
    from selfeval.commands import init

    return "council" in inspect.signature(init.init).parameters


def build_folder(batch: Path, councils: list[str], reports: dict[str, Report]) -> dict[str, str]:
    """``batch/<council>`` for each council: init (+ --council when init has it) and import of its
    latest report. Returns what each council holds ('report 2025-04' or 'published data only').
    An existing council folder is reused as it is."""
    from selfeval.commands import init
    from selfeval.commands.import_report import import_report
    from selfeval.errors import SelfevalError

    with_council = _init_takes_council()
    holds: dict[str, str] = {}
    batch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i, name in enumerate(councils, start=1):
        folder = batch / slug(name)
        report = reports.get(name)
        holds[name] = f"report {report.published}" if report else "published data only"
        if folder.is_dir():
            continue
        if with_council:
            init.init(folder, name)
        else:
            init.init(folder)
        if report is not None:
            target = folder / "inputs" / "findings" / f"{report.path.stem}.yaml"
            try:
                import_report(report.path, target, as_json=False)
            except SelfevalError as e:
                holds[name] = f"import failed: {e}"
        if i % 25 == 0:
            print(f"  built {i} of {len(councils)} council folders ({time.perf_counter() - started:.0f} s)", flush=True)
    return holds


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    councils: int
    jobs: int
    wall: float
    cpu: float
    ok: int
    worker_peak_mb: float
    child_peak_mb: float
    workers: int
    load: float
    failed: list[str]


def time_batch(folder: Path, out: Path, jobs: int) -> Run:
    """One `generate --batch` in a fresh interpreter (bytecode already cached by the first run)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    # An empty cache folder for each run: every council's chart pictures are drawn, as in a quarter's
    # first batch with new figures (kept from the run before, they would flatter every later run).
    env["SELFEVAL_CACHE"] = tempfile.mkdtemp(prefix="cache-", dir=out.parent)
    load = os.getloadavg()[0]
    cpu0 = _children_cpu()
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_batch", str(folder), str(out), str(jobs)],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    cpu = _children_cpu() - cpu0
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"the batch itself failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return Run(report["councils"], jobs, wall, cpu, report["ok"], report["worker_peak_mb"], report["child_peak_mb"],
               report["workers"], load, report["failed"])


def _batch_child(folder: str, out: str, jobs: str) -> int:
    """Runs in a fresh interpreter: one batch, its figures as JSON on stdout."""
    from selfeval.commands.batch import generate_batch

    result = generate_batch(Path(folder), out=Path(out), jobs=int(jobs), progress=False, force=True)
    failed = [f"{c.name}: {c.errors[0] if c.errors else c.exit_code}" for c in result.councils if not c.ok]
    print(json.dumps({
        "councils": len(result.councils),
        "ok": sum(c.ok for c in result.councils),
        "worker_peak_mb": max(c.peak_rss_mb for c in result.councils),
        "child_peak_mb": max(c.render_peak_rss_mb for c in result.councils),
        "workers": len({c.pid for c in result.councils}),
        "failed": failed,
    }))
    return 0


def subset(source: Path, names: list[str], target: Path) -> Path:
    """A batch folder of symlinks to the first ``len(names)`` council folders."""
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        link = target / slug(name)
        if not link.exists():
            os.symlink(source / slug(name), link)
    return target


def spread(councils: list[str], reports: dict[str, Report], n: int) -> list[str]:
    """``n`` councils with reports and without in the proportion of the whole set (so a subset costs
    per council what the whole set does), in name order within each kind."""
    with_report = [c for c in councils if c in reports]
    without = [c for c in councils if c not in reports]
    k = round(n * len(with_report) / len(councils)) if councils else 0
    return sorted(with_report[:k] + without[: n - k])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--_batch"]:
        return _batch_child(*argv[1:4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="6 councils, one run each (a smoke run)")
    parser.add_argument("--councils", type=int, default=None, help="councils in the 1-vs-2-worker run (default: all)")
    parser.add_argument("--scale", default=None, help="council counts for the CPU-per-council rows (default 10,50,all)")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each batch; the median is shown (default 3, quick 1)")
    parser.add_argument("--keep", type=Path, default=None, help="build the council folders here and reuse them next time")
    args = parser.parse_args(argv)

    from selfeval.councils import all_councils

    councils = [c.name for c in all_councils()]
    reports = latest_reports(sorted(p for p in SHARED.glob("reports*") if p.is_dir()))
    n = min(args.councils or (6 if args.quick else len(councils)), len(councils))
    repeat = args.repeat or (1 if args.quick else 3)
    scale = [int(x) for x in args.scale.split(",")] if args.scale else ([2, n] if args.quick else [10, 50, n])
    scale = sorted({min(s, n) for s in scale})
    chosen = spread(councils, reports, n)

    with tempfile.TemporaryDirectory(prefix="selfeval-national-") as tmp:
        work = Path(tmp)
        source = args.keep or (work / "councils")
        print(f"building {len(chosen)} council folders in {source} ({sum(c in reports for c in chosen)} with a report; "
              f"init {'with' if _init_takes_council() else 'without'} --council)", flush=True)
        t = time.perf_counter()
        holds = build_folder(source, chosen, reports)
        print(f"  built in {time.perf_counter() - t:.0f} s", flush=True)
        problems = {k: v for k, v in holds.items() if v.startswith("import failed")}
        for name, what in problems.items():
            print(f"  {name}: {what}", file=sys.stderr)

        rows: list[tuple[str, Run]] = []
        full = subset(source, chosen, work / f"batch-{n}")
        time_batch(full, work / "warm-out", 2)  # compiles bytecode and fills the page cache; not reported
        by_jobs: dict[int, list[Run]] = {1: [], 2: []}
        for _ in range(repeat):
            for jobs in (1, 2):
                run = time_batch(full, work / f"out-{n}-{jobs}", jobs)
                by_jobs[jobs].append(run)
                print(f"  {n} councils, {jobs} worker(s): {run.wall:.1f} s wall, {run.cpu / n:.2f} s CPU/council, "
                      f"load {run.load:.1f}", flush=True)
        for size in scale:
            if size == n:
                continue
            folder = subset(source, spread(chosen, reports, size), work / f"batch-{size}")
            runs = [time_batch(folder, work / f"out-{size}", 2) for _ in range(repeat)]
            rows.append((f"{size} councils, 2 workers", _median(runs)))
        one, two = _median(by_jobs[1]), _median(by_jobs[2])
        rows += [(f"{n} councils, 1 worker", one), (f"{n} councils, 2 workers", two)]

    import platform

    print()
    print(f"national run: {len(chosen)} councils ({sum(c in reports for c in chosen)} with their latest report, the rest "
          f"published data only); {os.cpu_count()} cores, Python {platform.python_version()}; median of {repeat}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"| {'run':<26} | {'wall':>8} | {'CPU/council':>11} | {'peak MB/worker':>14} | {'render child MB':>15} | {'ok':>7} | load |")
    print(f"|{'-' * 28}|{'-' * 10}|{'-' * 13}|{'-' * 16}|{'-' * 17}|{'-' * 9}|------|")
    for what, r in sorted(rows, key=lambda x: (x[1].councils, x[1].jobs)):
        print(f"| {what:<26} | {r.wall:6.1f} s | {r.cpu / r.councils:9.2f} s | {r.worker_peak_mb:14.0f} | "
              f"{r.child_peak_mb:15.0f} | {r.ok:>3}/{r.councils:<3} | {r.load:4.1f} |")
    speedup = one.wall / two.wall
    print(f"speed-up, 2 workers over 1: {speedup:.2f}x (target >= 1.6x); every council succeeded: "
          f"{'yes' if one.ok == one.councils and two.ok == two.councils else 'NO'}")
    for r in (one, two):
        for line in r.failed:
            print(f"  failed: {line}")
    return 0 if one.ok == one.councils and two.ok == two.councils else 1


def _median(runs: list[Run]) -> Run:
    """The run with the median wall time (its own CPU and memory figures with it)."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[len(ordered) // 2]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
