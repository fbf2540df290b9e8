"""Synthetic inputs for bench/run.py and tests/test_batch.py.

* ``make_councils``: N council folders copied from the Lambeth example (``inputs/``), each with its
  own council name and area ids, for batch generation.
* ``scale_paragraphs``: an inputs folder whose findings have k times the report paragraphs.
* ``make_workbook``: a performance workbook of any size, in the format of docs/workbook-format.md
  (the same layout as bench/bench_workbook.py, with the size as parameters).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs"


def council_name(i: int) -> str:
    return f"Council {i:03d}"


def copy_council(target: Path, i: int, source: Path = EXAMPLE) -> Path:
    """Copy ``source`` (an inputs folder) to ``target`` as council ``i``: new local_authority and area ids."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("~$*", ".*"))
    for path in (target / "findings").glob("*.y*ml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^local_authority:.*$", f"local_authority: {council_name(i)}", text)
        text = text.replace("LAM-", f"C{i:03d}-")
        path.write_text(text, encoding="utf-8")
    return target


def make_councils(folder: Path, n: int, source: Path = EXAMPLE) -> list[Path]:
    """``folder/council-001`` ... ``folder/council-NNN``, each a complete inputs folder."""
    folder.mkdir(parents=True, exist_ok=True)
    return [copy_council(folder / f"council-{i:03d}", i, source) for i in range(1, n + 1)]


def scale_paragraphs(target: Path, factor: int, source: Path = EXAMPLE) -> Path:
    """A copy of ``source`` whose findings repeat every report paragraph (and summary paragraph)
    ``factor`` times, renumbered so paragraph numbers stay unique."""
    import yaml

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("~$*", ".*"))
    for path in (target / "findings").glob("*.y*ml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = data.get("sections") or []
        originals = [list(s.get("paragraphs") or []) for s in sections]
        top = max((p.get("number") or 0 for ps in originals for p in ps if isinstance(p, dict)), default=0)
        for k in range(1, factor):
            for section, paragraphs in zip(sections, originals):
                copies = [dict(p, number=p["number"] + k * top) if isinstance(p, dict) and p.get("number") else p for p in paragraphs]
                section["paragraphs"] = list(section.get("paragraphs") or []) + copies
        if isinstance(data.get("summary"), list):
            data["summary"] = data["summary"] * factor
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return target


def make_workbook(path: Path, n_indicators: int, n_periods: int = 36, seed: int = 4) -> int:
    """Write a performance workbook of ``n_indicators`` x ``n_periods`` monthly values (with England
    and region comparators per year); return the number of data cells."""
    import random

    from openpyxl import Workbook

    from selfeval.models.performance import Period

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    units = [("%", "higher is better"), ("%", "lower is better"), ("rate per 10,000", "contextual"), ("count", "contextual"), ("days", "lower is better")]
    ind = wb.create_sheet("Indicators")
    ind.append(["ID", "Name", "Judgement area", "Framework ref", "Unit", "Polarity", "Decimals", "Target", "Tolerance", "Key", "Internal"])
    for i in range(n_indicators):
        unit, pol = units[i % len(units)]
        ind.append([f"KPI-{i:03d}", f"Indicator {i}", "help_and_protection", f"outcome {1 + i % 4}", unit, pol, 1,
                    80 if unit == "%" else None, 5 if unit == "%" else None, "yes" if i % 3 == 0 else "no", "no"])
    first_year = 2026 - (n_periods + 11) // 12
    periods = [Period.month(first_year + (3 + m) // 12, (3 + m) % 12 + 1).label for m in range(n_periods)]
    data = wb.create_sheet("Data")
    data.append(["ID", "Indicator", *periods])
    for i in range(n_indicators):
        unit = units[i % len(units)][0]
        top = 100 if unit == "%" else 1000
        data.append([f"KPI-{i:03d}", f"Indicator {i}", *[round(rng.uniform(0, top), 1) for _ in periods]])
    comp = wb.create_sheet("Comparators")
    comp.append(["ID", "Comparator", "Period", "Value", "Source"])
    years = sorted({f"{y}-{(y + 1) % 100:02d}" for y in range(first_year, 2026)})
    for i in range(n_indicators):
        for who in ("England", "London"):
            for fy in years:
                comp.append([f"KPI-{i:03d}", who, fy, round(rng.uniform(10, 90), 1), "bench"])
    wb.save(path)
    return n_indicators * n_periods
