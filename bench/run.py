"""selfeval's speed and scale benchmark: prints one table of everything the README reports.

    python bench/run.py            # about 2-3 minutes on 2 cores
    python bench/run.py --quick    # a smoke run, well under 30 s
    python bench/run.py --jobs 2 --councils 1,10,50,153

What it times (wall clock: the median of the command-line runs, the best of the in-process runs,
since other work on the machine only ever adds time; batch rows also give CPU seconds per council,
which show the linear cost even when the machine is busy):

* start-up: ``selfeval --help`` and ``selfeval validate`` as a user runs them (a fresh interpreter;
  bytecode cached as an installed package would have it);
* ``selfeval import`` of one published Ofsted report (PDF);
* load + analysis of performance workbooks of growing size (cost per data cell should stay flat);
* the full pack for one council (self-evaluation with its charts, improvement plan, board
  summary) from the command line, and in-process stage by stage;
* beside it, in the same run, a bare docxtpl render of the same three templates with the same
  contexts (selfeval renders in two bounded child processes, and draws the charts in a third while
  it still analyses, or copies them from the cache folder when an earlier run drew them from the same
  figures; the bare render gets the charts already drawn) (``DocxTemplate(t).render(ctx, jinja_env=SandboxedEnvironment(autoescape=True))`` and a
  save to memory): the pipeline's overhead is printed as a ratio, and again with every picture drawn afresh;
* the pack with findings of 1x, 2x and 4x the report paragraphs;
* ``selfeval generate --batch`` for 1, 10, 50 and 153 councils with --jobs workers, with the peak
  resident memory of each worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _fixtures  # noqa: E402

REPORTS = ROOT.parent / "shared" / "domain" / "reports"
ROWS: list[tuple[str, str, str, str]] = []  # (group, what, measured, note)


def row(group: str, what: str, measured: str, note: str = "") -> None:
    ROWS.append((group, what, measured, note))
    print(f"  {what:<52} {measured:>14}  {note}", flush=True)


def cli_env(pycache: Path) -> dict[str, str]:
    """The environment of a user's shell with selfeval installed: bytecode is cached."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.setdefault("COLUMNS", "120")
    return env


def time_cli(args: list[str], env: dict[str, str], runs: int, cwd: Path = ROOT, warm: bool = True) -> list[float]:
    cmd = [sys.executable, "-m", "selfeval", *args]
    if warm:
        subprocess.run(cmd, env=env, cwd=cwd, capture_output=True)  # compiles bytecode, warms the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if proc.returncode != 0:
            raise SystemExit(f"selfeval {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return times


def med(times: list[float]) -> float:
    return statistics.median(times)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


# -- sections ---------------------------------------------------------------------------------------

def bench_startup(env: dict[str, str], runs: int) -> None:
    print("start-up (fresh interpreter, median)")
    help_times = time_cli(["--help"], env, runs)
    row("start-up", "selfeval --help", fmt_s(med(help_times)), "target <= 0.25 s")
    validate_times = time_cli(["validate", "inputs"], env, runs)
    row("start-up", "selfeval validate inputs (example, 22-indicator workbook)", fmt_s(med(validate_times)))


def bench_import(env: dict[str, str], runs: int, work: Path) -> None:
    reports = sorted(REPORTS.glob("*.pdf"))
    if not reports:
        print("import: no reports found, skipped")
        return
    report = reports[0]
    print("import of one report")
    times = time_cli(["import", str(report), "--json"], env, runs)
    row("import", f"selfeval import {report.name[:30]} --json", fmt_s(med(times)))


def bench_workbooks(sizes: list[int], periods: int, runs: int, work: Path) -> None:
    from selfeval.analyse.indicators import analyse
    from selfeval.load.workbook import load_workbook

    print(f"workbook load + analysis ({periods} monthly periods per indicator, best of {runs})")
    for n in sizes:
        path = work / f"workbook-{n}.xlsx"
        cells = _fixtures.make_workbook(path, n, periods)
        load_workbook(path)  # warm
        loads, analyses = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            data = load_workbook(path)
            t1 = time.perf_counter()
            analyse(data)
            t2 = time.perf_counter()
            loads.append(t1 - t0)
            analyses.append(t2 - t1)
        total = min(loads) + min(analyses)
        row("workbook", f"{n} indicators x {periods} periods ({cells:,} cells)", fmt_s(total),
            f"load {min(loads) * 1000:.0f} ms + analyse {min(analyses) * 1000:.0f} ms; {total / cells * 1e6:.0f} us/cell")


def bench_pack_cli(env: dict[str, str], runs: int, work: Path) -> None:
    print("full pack for one council, from the command line (median)")
    out = work / "cli-out"
    args = ["generate", "--inputs", str(ROOT / "inputs"), "--out", str(out), "--force"]
    times = time_cli(args, env, runs)
    row("pack", "selfeval generate (3 documents, charts included)", fmt_s(med(times)), "target <= 0.8 s")
    # As the run after a quarter's new figures: the templates compiled in the cache folder, no picture kept.
    cache = work / "cli-cache"
    afresh = []
    for i in range(runs + 1):
        shutil.rmtree(cache / "pictures", ignore_errors=True)
        took = time_cli(args, {**env, "SELFEVAL_CACHE": str(cache)}, 1, warm=False)[0]
        if i:  # the first compiles the templates into the new cache folder
            afresh.append(took)
    row("pack", "  the same, every chart picture drawn afresh", fmt_s(med(afresh)), "new figures: no picture kept")
    first = []
    for i in range(runs):  # as on a new machine: nothing compiled, parsed or drawn yet
        first += time_cli(args, {**env, "SELFEVAL_CACHE": str(work / f"cli-cache-empty-{i}")}, 1, warm=False)
    row("pack", "  the same, the first run on a machine (empty cache folder)", fmt_s(med(first)), "once")


class _Stages:
    """Wraps the pipeline's stage functions to time them inside one real build_documents call."""

    def __init__(self) -> None:
        import selfeval.analyse.pack
        import selfeval.load.inputs
        import selfeval.pipeline

        # (module, function): the pipeline imports load and analyse where it calls them, so
        # patching the function in its own module times the call the pipeline makes.
        self.targets = {
            "load_inputs": (selfeval.load.inputs, "load_inputs"),
            "build_pack": (selfeval.analyse.pack, "build_pack"),
            "prepare": (selfeval.pipeline, "_prepare"),
            "render": (selfeval.pipeline, "_render_bounded_all"),
        }
        self.times: dict[str, float] = {}
        self.originals = {key: getattr(module, name) for key, (module, name) in self.targets.items()}

    def __enter__(self):
        for key, (module, name) in self.targets.items():
            setattr(module, name, self._timed(key, self.originals[key]))
        return self

    def __exit__(self, *exc):
        for key, (module, name) in self.targets.items():
            setattr(module, name, self.originals[key])

    def _timed(self, name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - t
        return wrapper


def bare_docxtpl(prepared) -> float:
    """docxtpl alone on the same templates and contexts: load, render, save to memory."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2.sandbox import SandboxedEnvironment

    t = time.perf_counter()
    for document in prepared.documents:
        tpl = DocxTemplate(document.template)
        for chart in document.charts:
            chart.image = InlineImage(tpl, str(chart.png), width=Mm(chart.width_mm))
        tpl.render(document.context, jinja_env=SandboxedEnvironment(autoescape=True))
        tpl.save(io.BytesIO())
    return time.perf_counter() - t


def bench_pack_inprocess(runs: int, work: Path) -> None:
    from selfeval.pipeline import build_documents, prepare

    print(f"full pack in-process, warm (best of {runs}), against a bare docxtpl render")
    today = dt.date.today()
    scratch = Path(tempfile.mkdtemp(dir=work))
    inputs = ROOT / "inputs"
    build_documents(inputs, templates=None, public=False, today=today, scratch=scratch)  # warm caches
    totals, stages = [], []
    for _ in range(runs):
        with _Stages() as s:
            t = time.perf_counter()
            build_documents(inputs, templates=None, public=False, today=today, scratch=scratch)
            totals.append(time.perf_counter() - t)
        stages.append(s.times)
    prepared = prepare(inputs, templates=None, public=False, today=today, scratch=scratch)
    bare_docxtpl(prepared)  # warm
    bare = min(bare_docxtpl(prepared) for _ in range(runs))
    best = min(range(runs), key=lambda i: totals[i])
    pipeline = totals[best]
    stage = {k: stages[best].get(k, 0.0) for k in stages[0]}
    other = pipeline - stage["prepare"] - stage["render"]
    n_charts = len(prepared.drawings)
    contexts = stage["prepare"] - stage["load_inputs"] - stage["build_pack"]
    row("pack", "  load inputs (findings + workbook)", fmt_s(stage["load_inputs"]))
    row("pack", "  analyse (pack: areas, indicators, history)", fmt_s(stage["build_pack"]))
    row("pack", "  contexts (and the charts planned)", fmt_s(max(contexts, 0.0)))
    row("pack", f"  render: 3 documents in 2 children ({n_charts} charts, drawn beside the analysis)", fmt_s(stage["render"]),
        "waiting for the bounded render children")
    row("pack", "  other (fork, lint of customised templates)", fmt_s(max(other, 0.0)))
    row("pack", "pipeline: the whole pack", fmt_s(pipeline))
    row("pack", "bare docxtpl render of the same 3 templates", fmt_s(bare))
    row("pack", "overhead: pipeline / bare docxtpl", f"{pipeline / bare:.2f}x", "target <= 1.5x")
    row("pack", "overhead: render stage / bare docxtpl", f"{stage['render'] / bare:.2f}x", "charts, Word finishing; 2 children")
    afresh = _pack_with_pictures_drawn_afresh(inputs, runs, today, scratch)
    row("pack", "pipeline, every chart picture drawn afresh", fmt_s(afresh), "none kept from an earlier run")
    row("pack", "overhead: that / bare docxtpl", f"{afresh / bare:.2f}x", "a council's first run with new figures")


def _pack_with_pictures_drawn_afresh(inputs: Path, runs: int, today: dt.date, scratch: Path) -> float:
    """The warm pack as above, with no cache folder: every chart picture is drawn, as in a council's
    first run with a quarter's new figures (the templates stay compiled in this process's memory)."""
    from selfeval.pipeline import build_documents

    before = os.environ.get("SELFEVAL_CACHE")
    os.environ["SELFEVAL_CACHE"] = ""  # turned off
    try:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            build_documents(inputs, templates=None, public=False, today=today, scratch=scratch)
            times.append(time.perf_counter() - t)
    finally:
        if before is None:
            os.environ.pop("SELFEVAL_CACHE")
        else:
            os.environ["SELFEVAL_CACHE"] = before
    return min(times)


def bench_paragraphs(factors: list[int], runs: int, work: Path) -> None:
    print(f"the pack with more report paragraphs (in-process, best of {runs})")
    today = dt.date.today()
    base = None
    for k in factors:
        inputs = _fixtures.scale_paragraphs(work / f"paragraphs-{k}x", k)
        n = sum(len(s.get("paragraphs") or []) for f in (inputs / "findings").glob("*.yaml") for s in _sections(f))
        scratch = Path(tempfile.mkdtemp(dir=work))
        m = _best_pack_time(inputs, runs, scratch, today)
        base = base or m
        row("paragraphs", f"{k}x report paragraphs ({n})", fmt_s(m), f"{m / base:.2f}x the 1x time")


def _best_pack_time(inputs: Path, runs: int, scratch: Path, today: dt.date) -> float:
    """Best of ``runs`` warm in-process packs (one untimed run first fills the caches)."""
    from selfeval.pipeline import build_documents

    build_documents(inputs, templates=None, public=False, today=today, scratch=scratch)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        build_documents(inputs, templates=None, public=False, today=today, scratch=scratch)
        times.append(time.perf_counter() - t)
    return min(times)


def bench_indicator_pack(sizes: list[int], periods: int, runs: int, work: Path) -> None:
    import shutil

    print(f"the pack with more indicators (every third one a key indicator with a chart; best of {runs})")
    today = dt.date.today()
    base = None
    for n in sizes:
        inputs = work / f"indicators-{n}"
        shutil.copytree(ROOT / "inputs" / "findings", inputs / "findings")
        _fixtures.make_workbook(inputs / "performance.xlsx", n, periods)
        scratch = Path(tempfile.mkdtemp(dir=work))
        m = _best_pack_time(inputs, runs, scratch, today)
        base = base or (m, n)
        charts = len(list(scratch.glob("*.png")))
        row("indicators", f"pack with {n} indicators ({charts} charts)", fmt_s(m), f"{m / base[0]:.2f}x the {base[1]}-indicator time")


def _sections(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")).get("sections") or []


def bench_batch(counts: list[int], jobs: int, env: dict[str, str], work: Path) -> None:
    print(f"batch generation, --jobs {jobs} (a fresh process each, as from the command line)")
    source = work / "councils-all"
    _fixtures.make_councils(source, max(counts))
    base = None
    for n in counts:
        folder = work / f"councils-{n}"
        folder.mkdir()
        for council in sorted(source.iterdir())[:n]:
            os.symlink(council, folder / council.name)
        out = work / f"batch-out-{n}"
        # An empty cache folder for each batch: the smaller batches' councils are in the larger, and
        # their chart pictures, kept from the run before, would flatter its CPU per council.
        fresh = {**env, "SELFEVAL_CACHE": tempfile.mkdtemp(prefix=f"cache-{n}-", dir=work)}
        cpu0 = _children_cpu()
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--_batch", str(folder), str(out), str(jobs)],
            env=fresh, capture_output=True, text=True,
        )
        wall = time.perf_counter() - t
        cpu = _children_cpu() - cpu0
        if proc.returncode != 0:
            raise SystemExit(f"batch of {n} failed:\n{proc.stdout}\n{proc.stderr}")
        report = json.loads(proc.stdout)
        per = wall / n
        base = base or per
        note = f"{per:.2f} s/council wall, {cpu / n:.2f} s CPU/council; peak RSS per worker {report['peak_rss_mb']:.0f} MB"
        if n == 153:
            note += "; target < 90 s, < 300 MB"
        row("batch", f"{n} council(s), {report['documents']} documents", fmt_s(wall), note)


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process, workers included."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _batch_child(folder: str, out: str, jobs: str) -> int:
    """Runs in a fresh interpreter: one batch, result as JSON on stdout."""
    from selfeval.commands.batch import generate_batch

    result = generate_batch(Path(folder), out=Path(out), jobs=int(jobs), progress=False)
    failed = [c for c in result.councils if not c.ok]
    if failed:
        sys.stderr.write("\n".join(e for c in failed for e in c.errors) + "\n")
        return 1
    print(json.dumps({
        "seconds": result.seconds,
        "documents": sum(c.documents for c in result.councils),
        "peak_rss_mb": max(c.peak_rss_mb for c in result.councils),
        "workers": len({c.pid for c in result.councils}),
    }))
    return 0


def print_table() -> None:
    import platform

    print()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"selfeval benchmark: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"load average at the end {load}")
    print(f"| {'what':<58} | {'measured':>12} | note")
    print(f"|{'-' * 60}|{'-' * 14}|------")
    group = None
    for g, what, measured, note in ROWS:
        if g != group:
            group = g
        print(f"| {what:<58} | {measured:>12} | {note}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--_batch"]:
        return _batch_child(*argv[1:4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer sizes, one run each")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the batch runs (default 2)")
    parser.add_argument("--councils", default=None, help="batch sizes, comma-separated (default 1,10,50,153)")
    parser.add_argument("--skip", default="", help="sections to skip: startup,import,workbook,pack,paragraphs,indicators,batch")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    quick = args.quick
    runs = 1 if quick else 5
    counts = [int(c) for c in args.councils.split(",")] if args.councils else ([1, 4] if quick else [1, 10, 50, 153])

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmp:
        work = Path(tmp)
        env = cli_env(work / "pycache")
        started = time.perf_counter()
        if "startup" not in skip:
            bench_startup(env, runs)
        if "import" not in skip:
            bench_import(env, 1 if quick else 3, work)
        if "workbook" not in skip:
            bench_workbooks([25, 50] if quick else [25, 100, 400], 12 if quick else 36, 1 if quick else 3, work)
        if "pack" not in skip:
            bench_pack_cli(env, 1 if quick else 5, work)
            bench_pack_inprocess(1 if quick else 5, work)
        if "paragraphs" not in skip:
            bench_paragraphs([1, 2] if quick else [1, 2, 4], 1 if quick else 3, work)
        if "indicators" not in skip:
            bench_indicator_pack([25, 50] if quick else [25, 50, 100], 12 if quick else 36, 1 if quick else 3, work)
        if "batch" not in skip:
            bench_batch(counts, args.jobs, env, work)
        print_table()
        print(f"\nbenchmark took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
