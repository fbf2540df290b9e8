"""Build ``src/selfeval/data/councils.json`` from the shared DfE/Data to Insight lookups.

Sources (read-only, in ``../shared/data/dfe/``): ``la_lookup.csv`` (names, codes, region, type;
MIT, Data to Insight), ``sn_model_2025_wide.csv`` (DfE's 2025 statistical neighbours, closest
first) and the curated spellings in ``tools/council_aliases.yaml``. Run it again whenever those
change; ``tests/test_councils.py`` rebuilds it and compares, so the shipped file stays reproducible.

    python tools/build_councils.py [--shared ../shared] [--out src/selfeval/data/councils.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _codes(cell: str) -> list[str]:
    return [c.strip() for c in cell.split(",") if c.strip()]


def _ons_variants(name: str) -> list[str]:
    """"Kingston Upon Hull, City of" -> "City of Kingston Upon Hull"; "Bedford Borough" stays."""
    out = [name]
    m = re.fullmatch(r"(.+), (City|County) of", name)
    if m:
        out += [m.group(1), f"{m.group(2)} of {m.group(1)}"]
    if "&" in name:
        out.append(name.replace("&", "and"))
    if " and " in name:
        out.append(name.replace(" and ", " & "))
    if name.startswith("St. "):
        out.append("St " + name[4:])
    return out


def _display(name: str) -> str:
    m = re.fullmatch(r"(.+), (City|County) of", name)
    base = m.group(1) if m else name
    return base.replace("Kingston Upon Hull", "Kingston upon Hull").replace("St. ", "St ")


def build(shared: Path) -> dict[str, Any]:
    dfe = shared / "data" / "dfe"
    with open(dfe / "la_lookup.csv", encoding="utf-8-sig", newline="") as f:
        lookup = list(csv.DictReader(f))
    with open(dfe / "sn_model_2025_wide.csv", encoding="utf-8-sig", newline="") as f:
        sn_model = {row["old_la_code"]: [row[f"SN_{i}"].strip() for i in range(1, 11) if row[f"SN_{i}"].strip()] for row in csv.DictReader(f)}
    curated = yaml.safe_load((ROOT / "tools" / "council_aliases.yaml").read_text(encoding="utf-8"))
    abolished: dict[str, dict[str, Any]] = {str(k): v for k, v in curated["abolished"].items()}
    successors_of: dict[str, list[str]] = {}
    for old, info in abolished.items():
        for new in info["successors"]:
            successors_of.setdefault(str(new), []).append(old)

    councils: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in lookup:
        code = row["la_code"].strip()
        seen.add(code)
        ons = row["local_authority_ons_name"].strip()
        info = abolished.get(code)
        name = info["name"] if info else _display(ons)
        aliases = set(_ons_variants(ons)) | {name}
        # The lookup's also_known_as column is a comma-joined list of names that themselves hold
        # commas ("Bournemouth, Christchurch & Poole"), so it cannot be split reliably: the curated
        # file carries those spellings instead.
        aliases |= set(curated["aliases"].get(code, []))
        aliases.discard(name)
        councils.append(
            {
                "name": name,
                "old_code": code,
                "new_code": row["la_code_new"].strip(),
                "region": row["region_name"].strip(),
                "region_code": row["rgn22cd"].strip(),
                "la_type": row["ons_la_type"].strip(),
                "statistical_neighbours": sn_model.get(code) or _codes(row["stat_neighbours"]),
                "aliases": sorted(aliases),
                "successor_of": sorted(successors_of.get(code, [])),
                "predecessor_of": sorted(str(s) for s in info["successors"]) if info else [],
                "abolished_in": info["year"] if info else None,
            }
        )
    for code, info in abolished.items():
        if code in seen:
            continue
        councils.append(
            {
                "name": info["name"],
                "old_code": code,
                "new_code": info["new_code"],
                "region": info["region"],
                "region_code": info["region_code"],
                "la_type": "",
                "statistical_neighbours": [],
                "aliases": [],
                "successor_of": [],
                "predecessor_of": sorted(str(s) for s in info["successors"]),
                "abolished_in": info["year"],
            }
        )
    councils.sort(key=lambda c: (c["abolished_in"] is not None, c["name"]))
    ambiguous = {k: sorted(str(c) for c in v) for k, v in curated["ambiguous"].items()}
    return {
        "source": "Data to Insight LA lookup (MIT) and DfE statistical neighbour model 2025 (OGL v3.0); curated spellings in tools/council_aliases.yaml",
        "councils": councils,
        "ambiguous": ambiguous,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "selfeval" / "data" / "councils.json")
    args = parser.parse_args(argv)
    text = render(build(args.shared))
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
