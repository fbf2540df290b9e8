"""Extract the labelled areas for improvement (Ofsted's printed National Framework refs) from reports.

Runs selfeval's own importer (selfeval.load.report) over every report in the given folders
(default: ../shared/domain/reports and ../shared/domain/reports-dev), keeps the areas for
improvement that carry a printed ref, reads each printed outcome as the outcome Ofsted meant
(selfeval.framework_refs.resolve_outcome: the edition in force on the publication date, the
area's wording as tie-breaker) and writes them, sorted, to src/selfeval/data/labelled_areas.jsonl:

    {"council": "Trafford", "published": "2026-08-..", "file": "...pdf", "text": "...",
     "printed": ["outcome 2"], "raw": ["(outcome 2, national framework)"], "refs": ["outcome 3"],
     "reading": ["printed 'outcome 2' on ...: ..."]}

`refs` is in selfeval's canonical numbering (what the suggester learns); `printed`/`raw` are what
Ofsted printed. The file is the training and benchmark set, so neither re-parses PDFs.

    python tools/extract_labelled_areas.py [--out FILE] [FOLDER ...]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from selfeval.framework_refs import resolve_outcome  # noqa: E402
from selfeval.load.report import import_report  # noqa: E402

DOMAIN = ROOT.parent / "shared" / "domain"
DEFAULT_FOLDERS = (DOMAIN / "reports", DOMAIN / "reports-dev")
DEFAULT_OUT = ROOT / "src" / "selfeval" / "data" / "labelled_areas.jsonl"
REPORT_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
# Ofsted began printing National Framework refs in January 2025; earlier reports have none, so
# parsing them would only cost time. A report whose date cannot be told from its name is parsed.
FIRST_REFS = dt.date(2025, 1, 1)
_NAME_DATE = re.compile(r"-(\d{4})-(\d{2})-")


def published_dates(folder: Path) -> dict[str, dt.date]:
    """file name -> publication date from the folder's index.csv, when it has one."""
    index = folder / "index.csv"
    if not index.is_file():
        return {}
    with index.open(encoding="utf-8", newline="") as f:
        return {row["file"]: dt.date.fromisoformat(row["published"]) for row in csv.DictReader(f) if row.get("published")}


def name_date(path: Path) -> dt.date | None:
    m = _NAME_DATE.search(path.name)
    return dt.date(int(m.group(1)), int(m.group(2)), 1) if m else None


def council_name(path: Path, found: str | None) -> str:
    try:
        from selfeval.councils import UnknownCouncil, resolve_council

        for text in (found, path.name.split("-20")[0].replace("-", " ")):
            if text:
                try:
                    return resolve_council(text).name
                except UnknownCouncil:
                    continue
    except ImportError:
        pass
    return found or path.name.split("-20")[0].replace("-", " ").title()


def areas_of(path: Path, published: dt.date | None) -> tuple[list[dict], list[str]]:
    extraction = import_report(path)
    day = extraction.published or published or name_date(path)
    if day is None:
        return [], [f"{path.name}: no publication date; skipped"]
    council = council_name(path, extraction.local_authority)
    rows, notes = [], []
    for area in extraction.areas:
        # The importer reads each ref as the outcome meant (FoundRef.ref) and keeps the printed number
        # (FoundRef.printed); it is read again here from the printed number, with the date this tool
        # found (the index's date when the report gives none), by the same resolve_outcome.
        found = [(r, getattr(r, "printed", None) or r.ref) for r in area.refs if r.ref]
        if not found:
            continue
        printed = [p for _, p in found]
        resolved = [resolve_outcome(p or "", day, area.text_without_refs) for p in printed]
        rows.append({
            "council": council,
            "published": day.isoformat(),
            "file": path.name,
            "text": area.text_without_refs,
            "printed": printed,
            "raw": [r.raw for r, _ in found],
            "refs": list(dict.fromkeys(r.ref for r in resolved)),
            "reading": [r.reason for r in resolved if r.ref != r.printed or r.ambiguous],
        })
        notes += [f"{path.name}: ambiguous '{r.printed}' read as {r.ref}: {area.text_without_refs[:70]}" for r in resolved if r.ambiguous]
    return rows, notes


def extract(folders: list[Path]) -> tuple[list[dict], list[str]]:
    rows: list[dict] = []
    notes: list[str] = []
    for folder in folders:
        dates = published_dates(folder)
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in REPORT_SUFFIXES or path.name.lower().startswith("readme"):
                continue
            day = dates.get(path.name) or name_date(path)
            if day is not None and day < FIRST_REFS:
                continue
            try:
                found, more = areas_of(path, dates.get(path.name))
            except Exception as e:  # one unreadable report must not stop the rest
                notes.append(f"{path.name}: not imported ({type(e).__name__}: {e})")
                continue
            rows += found
            notes += more
    return dedupe(rows), notes


def dedupe(rows: list[dict]) -> list[dict]:
    """One row per council and area: the same report can sit in two folders (e.g. as .txt and .pdf)."""
    seen: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["council"].lower(), re.sub(r"\W+", " ", row["text"].lower()).strip())
        seen.setdefault(key, row)
    return sorted(seen.values(), key=lambda r: (r["council"], r["published"], r["text"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows, notes = extract(args.folders)
    for note in notes:
        print(note, file=sys.stderr)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    args.out.write_text(text, encoding="utf-8")
    councils = len({r["council"] for r in rows})
    print(f"wrote {len(rows)} labelled areas from {councils} councils to {args.out}")


if __name__ == "__main__":
    main()
