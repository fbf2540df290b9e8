"""Benchmark: predict Ofsted's own National Framework refs with the refs hidden.

Uses every area for improvement that carries an Ofsted ref in ../shared/domain/reports/*.expected.json
plus the three Lambeth January 2026 areas (from inputs/findings/lambeth-2026-01-full-inspection.yaml
if present, else parsed from the report text). Prints n, top-1 and top-2 accuracy of
selfeval.analyse.framework_map.suggest_refs beside the baseline of always answering the most
frequent ref (computed on the same set, which flatters the baseline).

    PYTHONPATH=src python bench/bench_mapping.py [--verbose] [--reports DIR] [--extra FILE.jsonl]

--extra adds cases from a JSON-lines file of {"text": ..., "refs": [...], "judgement_area": ...}
(for measuring on areas that are not in the repo).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from selfeval import reference  # noqa: E402
from selfeval.analyse.framework_map import strip_ref, suggest_refs  # noqa: E402

DEFAULT_REPORTS = ROOT.parent / "shared" / "domain" / "reports"
LAMBETH_YAML = ROOT / "inputs" / "findings" / "lambeth-2026-01-full-inspection.yaml"
LAMBETH_TXT = "lambeth-2026-01-full-inspection.txt"


def load_cases(reports: Path) -> list[dict]:
    cases = []
    for path in sorted(reports.glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for afi in data["areas_for_improvement"]:
            if afi["framework_refs"]:
                cases.append({"source": path.name.split(".")[0], "text": afi["text_without_refs"], "refs": afi["framework_refs"]})
    cases.extend(_lambeth(reports))
    return cases


def _lambeth(reports: Path) -> list[dict]:
    if LAMBETH_YAML.exists():
        import yaml

        data = yaml.safe_load(LAMBETH_YAML.read_text(encoding="utf-8"))
        out = []
        for afi in data.get("areas_for_improvement", []):
            refs = [r if isinstance(r, str) else r["ref"] for r in afi.get("framework_refs", [])
                    if isinstance(r, str) or r.get("source", "ofsted") == "ofsted"]
            if refs:
                out.append({"source": "lambeth-2026-01 (yaml)", "text": strip_ref(afi["text"]),
                            "refs": [reference.normalise_ref(r) or r for r in refs]})
        if out:
            return out
    text = (reports / LAMBETH_TXT).read_text(encoding="utf-8")
    block = text.split("What needs to improve?", 1)[1].split("\n\n", 2)[1]
    out = []
    for line in block.splitlines():
        m = re.match(r"^- (.*)\((outcome|enabler|principle) (\d)[^)]*\)\s*$", line.strip(), re.IGNORECASE)
        if m:
            out.append({"source": "lambeth-2026-01 (txt)", "text": m.group(1).strip(), "refs": [f"{m.group(2).lower()} {m.group(3)}"]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    parser.add_argument("--extra", type=Path, help="JSON lines of {text, refs[, judgement_area]}")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()

    cases = load_cases(args.reports)
    if args.extra:
        for line in args.extra.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                cases.append({"source": args.extra.name, **case})
    if not cases:
        sys.exit("no labelled areas for improvement found")

    freq = Counter(ref for c in cases for ref in c["refs"][:1])
    (base_ref, _), *rest = freq.most_common()
    second_ref = rest[0][0] if rest else base_ref
    top1 = top2 = base1 = base2 = 0
    conf_right, conf_wrong = [], []
    for case in cases:
        gold = set(case["refs"])
        got = [s.ref for s in suggest_refs(case["text"], top=2, judgement_area=case.get("judgement_area"))]
        conf = suggest_refs(case["text"], top=1, judgement_area=case.get("judgement_area"))
        hit1 = bool(got[:1]) and got[0] in gold
        hit2 = bool(gold & set(got[:2]))
        top1 += hit1
        top2 += hit2
        base1 += base_ref in gold
        base2 += bool(gold & {base_ref, second_ref})
        if conf:
            (conf_right if hit1 else conf_wrong).append(conf[0].confidence)
        if args.verbose:
            mark = "ok " if hit1 else ("ok2" if hit2 else "XX ")
            print(f"{mark} gold={'/'.join(sorted(gold)):10} got={'/'.join(got):22} {case['source']}: {case['text'][:90]}")
    n = len(cases)
    pct = lambda k: f"{k}/{n} = {100 * k / n:.0f}%"  # noqa: E731
    print(f"areas for improvement with Ofsted refs: n = {n}")
    print(f"ref distribution: {dict(freq.most_common())}")
    print(f"top-1 accuracy: {pct(top1)}")
    print(f"top-2 accuracy: {pct(top2)}")
    print(f"baseline (always '{base_ref}'): top-1 {pct(base1)}; top-2 (with '{second_ref}'): {pct(base2)}")
    if conf_right or conf_wrong:
        mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
        print(f"mean top confidence: {mean(conf_right):.2f} when right, {mean(conf_wrong):.2f} when wrong")


if __name__ == "__main__":
    main()
