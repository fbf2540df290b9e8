"""Build the published-statistics store shipped in the package from DfE's EES downloads.

    python tools/build_published.py                      # from ../shared/data/dfe
    python tools/build_published.py --source DIR --out DIR
    python tools/build_published.py --check              # exit 1 if the shipped store is out of date

Reads the CSVs named in src/selfeval/published/measures.yaml and writes
src/selfeval/published/data/ (index.json and one file per area). Deterministic: the same CSVs give
the same bytes, so tests/test_published_dataset.py rebuilds it and compares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from selfeval.published.derive import Derived, SourceError, derive, store_files  # noqa: E402
from selfeval.write.atomic import atomic_write  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "dfe"
OUT = ROOT / "src" / "selfeval" / "published" / "data"


def write_store(derived: Derived, folder: Path) -> list[str]:
    """Write the store into ``folder`` (replacing what was there); returns the file names written."""
    files = store_files(derived)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        if old.name not in files and not old.name.startswith("."):
            old.unlink()
    for name, data in files.items():
        target = folder / name
        if not (target.is_file() and target.read_bytes() == data):
            atomic_write(target, data)
    return sorted(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="compare with the store in --out instead of writing")
    args = parser.parse_args(argv)
    try:
        derived = derive(args.source)
    except SourceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.check:
        wanted = store_files(derived)
        have = {p.name: p.read_bytes() for p in args.out.glob("*.json") if not p.name.startswith(".")}
        stale = sorted(n for n in wanted.keys() | have.keys() if wanted.get(n) != have.get(n))
        for name in stale:
            print(f"out of date: {name}")
        return 1 if stale else 0
    names = write_store(derived, args.out)
    size = sum((args.out / n).stat().st_size for n in names)
    print(f"wrote {len(names)} files ({size / 1e6:.2f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
