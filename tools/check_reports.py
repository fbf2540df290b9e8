"""Import every shared Ofsted report and say, per file, what is not right.

    nice python tools/check_reports.py                 # both folders, one line per file + totals
    nice python tools/check_reports.py --failing       # only the files with a problem, with details
    nice python tools/check_reports.py FILE.pdf ...    # just these

For each report in ``../shared/domain/reports`` and ``../shared/domain/reports-dev`` it records:
the importer's own self-checks (``selfeval.load.report.checks``) that failed, the grades against
``reports-dev/index.csv`` (the scraper's reading; columns it could not read are skipped) or the
hand-checked ``.expected.json``, whether the council resolved to the one the file is about, and the
import time. ``tests/test_import_all_reports.py`` (slow) runs the same and requires every file clean.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "domain"
FOLDERS = (SHARED / "reports", SHARED / "reports-dev")
SUFFIXES = (".pdf", ".txt", ".md", ".docx")

# index.csv column -> the judgement areas it may stand for (the 2018-2022 era has one care judgement).
INDEX_COLUMNS = {
    "overall_effectiveness_grade": ("overall_effectiveness",),
    "impact_of_leaders_grade": ("impact_of_leaders", "sif_leadership"),
    "help_and_protection_grade": ("help_and_protection", "sif_help_and_protection"),
    "in_care_grade": ("children_in_care", "children_in_care_and_care_leavers", "sif_children_looked_after"),
    "care_leavers_grade": ("care_leavers",),
}
UNREADABLE = {"", "data_unreadable"}
NOT_A_JUDGEMENT = {"inspection_pre_dates_judgement", "not_reported_post_reform"}


@dataclass
class FileResult:
    path: Path
    seconds: float = 0.0
    error: str | None = None
    council: str | None = None
    council_expected: str | None = None
    failed_checks: list[str] = field(default_factory=list)
    grade_mismatches: list[str] = field(default_factory=list)
    grades_compared: int = 0
    grades_agreed: int = 0
    warnings: int = 0

    @property
    def council_ok(self) -> bool:
        return self.council_expected is None or _key(self.council or "") == _key(self.council_expected)

    @property
    def clean(self) -> bool:
        return self.error is None and not self.failed_checks and not self.grade_mismatches and self.council_ok


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _grade_key(text: str) -> str:
    # The scraper shortens "Requires improvement to be good", and where the table wrapped the grade
    # over two lines it sometimes read "to requires improvement".
    text = _key(text).removeprefix("to ")
    return "requires improvement" if text.startswith("requires improvement") else text


def index_rows() -> dict[str, dict[str, str]]:
    path = SHARED / "reports-dev" / "index.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {row["file"]: row for row in csv.DictReader(f)}


CHECKED = ROOT / "tools" / "reports-dev-grades-checked.csv"


def checked_grades() -> dict[str, dict[str, str]]:
    """file -> {judgement area: grade id} read by a person from the PDF (see the CSV's header)."""
    out: dict[str, dict[str, str]] = {}
    if CHECKED.is_file():
        rows = [l for l in CHECKED.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
        for row in csv.DictReader(rows):
            out.setdefault(row["file"], {})[row["judgement"]] = row["grade"]
    return out


def expected_for(path: Path, index: dict[str, dict[str, str]]) -> tuple[str | None, dict[str, str]]:
    """(council display name or slug, {index column or area key: grade}) that the file should give."""
    hand = path.with_name(path.stem + ".expected.json")
    if hand.is_file():
        data = json.loads(hand.read_text(encoding="utf-8"))
        return data.get("local_authority"), {}
    row = index.get(path.name)
    if row is None:
        return None, {}
    grades = {col: row[col] for col in INDEX_COLUMNS if row.get(col, "") not in UNREADABLE | NOT_A_JUDGEMENT}
    checked = checked_grades().get(path.name, {})
    for col, areas in INDEX_COLUMNS.items():
        if any(a in checked for a in areas):
            grades.pop(col, None)  # a person's reading of the PDF replaces the scraper's cell
    grades.update(checked)
    return row["local_authority"], grades


def check_file(path: Path, index: dict[str, dict[str, str]]) -> FileResult:
    from selfeval.councils import UnknownCouncil, resolve_council
    from selfeval.errors import SelfevalError
    from selfeval.load.report import import_report

    result = FileResult(path)
    council_expected, grades = expected_for(path, index)
    if council_expected:
        try:
            result.council_expected = resolve_council(council_expected).name
        except UnknownCouncil:
            result.council_expected = council_expected
    start = time.perf_counter()
    try:
        ex = import_report(path)
    except SelfevalError as e:
        result.error = str(e)
        return result
    except Exception as e:  # the harness reports a crash as a result, it does not stop on it
        result.error = f"crash: {type(e).__name__}: {e}"
        return result
    finally:
        result.seconds = time.perf_counter() - start
    result.council = ex.council
    result.warnings = len(ex.warnings)
    result.failed_checks = [f"{c.name}: {c.detail}" for c in ex.checks if not c.passed]
    got = {j.area: j.grade_id for j in ex.judgements if j.area}
    era_areas = _era_areas(ex)
    for col, want in grades.items():
        candidates = INDEX_COLUMNS.get(col, (col,))
        if era_areas is not None and not set(candidates) & set(era_areas):
            continue  # the scraper filled a column the report's era has no judgement for
        areas = [a for a in candidates if a in got]
        result.grades_compared += 1
        have = got[areas[0]] if areas else None
        if have is not None and _grade_key(have.replace("_", " ")) == _grade_key(want):
            result.grades_agreed += 1
        else:
            source = "index.csv" if col in INDEX_COLUMNS else "checked by hand"
            result.grade_mismatches.append(f"{col}: {source} {want!r}, imported {have!r}")
    return result


def _era_areas(ex) -> tuple[str, ...] | None:
    from selfeval import facts

    if not ex.date_ranges:
        return None
    engagement = facts.engagement_type_for(ex.type) if ex.type else None
    try:
        return facts.era_for(ex.date_ranges[0][0], engagement.id if engagement else None).areas
    except LookupError:
        return None


def report_paths(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    return sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.iterdir() if p.suffix in SUFFIXES and p.name != "README.md")


def run(paths: list[Path]) -> list[FileResult]:
    index = index_rows()
    return [check_file(p, index) for p in paths]


def summary(results: list[FileResult]) -> str:
    clean = sum(r.clean for r in results)
    compared = sum(r.grades_compared for r in results)
    agreed = sum(r.grades_agreed for r in results)
    councils = sum(r.council_ok and r.error is None for r in results)
    checks = sum(bool(r.failed_checks) for r in results)
    errors = sum(r.error is not None for r in results)
    total = sum(r.seconds for r in results)
    slowest = max(results, key=lambda r: r.seconds) if results else None
    lines = [
        f"{len(results)} reports: {clean} clean, {len(results) - clean} with a problem "
        f"({errors} refused or crashed, {checks} with failed self-checks, "
        f"{sum(bool(r.grade_mismatches) for r in results)} with a grade differing from index.csv, "
        f"{len(results) - councils} with the wrong council)",
        f"grades: {agreed} of {compared} agree (index.csv where readable, else read by hand from the PDF)",
        f"time: {total:.1f} s in all, {total / max(1, len(results)):.3f} s per report on average"
        + (f", slowest {slowest.path.name} {slowest.seconds:.2f} s" if slowest else ""),
    ]
    return "\n".join(lines)


def describe(r: FileResult) -> list[str]:
    out = [f"{r.path.parent.name}/{r.path.name}: {'clean' if r.clean else 'PROBLEM'} ({r.seconds:.2f} s, {r.warnings} warnings)"]
    if r.error:
        out.append(f"    refused: {r.error}")
    if not r.council_ok:
        out.append(f"    council: imported {r.council!r}, expected {r.council_expected!r}")
    out += [f"    check failed: {c}" for c in r.failed_checks]
    out += [f"    grade: {g}" for g in r.grade_mismatches]
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--failing", action="store_true", help="show only the files with a problem")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    results = run(report_paths(args.files))
    for r in results:
        if not (args.failing and r.clean):
            print("\n".join(describe(r)))
    print(summary(results))
    return 0 if all(r.clean for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
