"""Build the embedded example workbook, ``inputs/performance.xlsx``.

The council values are ILLUSTRATIVE: invented, Lambeth-like numbers that show how selfeval reads and
describes a workbook. They are not Lambeth's published figures, and the workbook says so on its
Instructions sheet and in a banner on the Data and Indicators sheets. The England and London
comparators are the real published figures from ``selfeval/data/indicators.yaml``.

Two indicators (CONTACTS, STAB-LONG) are left blank to show "no data yet"; several have targets
and tolerances so the RAG column is exercised.

    PYTHONPATH=src python tools/build_example_workbook.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from selfeval.scaffold.workbook_template import CouncilValues, build_workbook  # noqa: E402

PERIODS = ("2022-23", "2023-24", "2024-25", "2025-26 Q1", "2025-26 Q2")

# indicator id -> values for PERIODS (None = blank). Workforce values are 30 September snapshots,
# entered in the column of the financial year they fall in (Sep 2024 -> 2024-25; Sep 2025 -> 2025-26 Q2).
VALUES: dict[str, tuple[float | None, ...]] = {
    "CONTACTS": (None, None, None, None, None),
    "REF-RATE": (560.2, 541.8, 529.6, None, None),
    "RE-REF": (21.5, 19.8, 18.6, 17.9, 18.3),
    "ASMT-45": (84.1, 88.3, 91.2, 92.5, 90.8),
    "S47-RATE": (210.5, 198.7, 192.3, None, None),
    "ICPC-15": (71.2, 80.5, 86.9, 88.0, 85.1),
    "ICPC-RATE": (64.1, 60.3, 57.8, None, None),
    "CIN-RATE": (402.6, 389.1, 371.5, None, None),
    "CPP-RATE": (38.9, 36.2, 35.0, None, None),
    "CPP-2YR-END": (4.8, 3.9, 3.1, None, None),
    "CPP-2YR-OPEN": (2.9, 2.4, 1.8, None, None),
    "CPP-REPEAT": (21.4, 19.6, 17.2, 16.5, 17.0),
    "CLA-RATE": (63, 61, 58, None, None),
    "STAB-SHORT": (12, 10, 9, None, None),
    "STAB-LONG": (None, None, None, None, None),
    "PLACED-20MI": (24, 22, 21, None, None),
    "CL-ACCOM": (91, 92, 94, None, None),
    "CL-EET": (58, 61, 64, None, None),
    "CLA-MISSING": (13, 12, 12, None, None),
    "SW-TURNOVER": (19.5, 16.1, 12.4, None, 10.8),
    "SW-VACANCY": (27.4, 21.0, 16.3, None, 13.5),
    "SW-AGENCY": (26.1, 20.4, 15.2, None, 12.9),
    "SW-CASELOAD": (15.1, 14.2, 13.6, None, 13.9),
}

TARGETS = {  # id -> (target, tolerance)
    "RE-REF": (18.0, 2.0),
    "ASMT-45": (90.0, 5.0),
    "ICPC-15": (85.0, 5.0),
    "CPP-REPEAT": (18.0, 2.0),
    "STAB-SHORT": (10.0, 1.0),
    "CL-ACCOM": (90.0, None),
    "CL-EET": (60.0, 3.0),
    "SW-VACANCY": (15.0, 3.0),
    "SW-AGENCY": (15.0, 3.0),
    "SW-CASELOAD": (15.0, 1.0),
}

KEY = {"RE-REF", "ASMT-45", "CPP-REPEAT", "STAB-SHORT", "CL-EET", "SW-TURNOVER", "SW-AGENCY"}
INTERNAL = {"CONTACTS"}


def example_values() -> CouncilValues:
    values = {
        ind: {p: v for p, v in zip(PERIODS, row) if v is not None}
        for ind, row in VALUES.items()
    }
    return CouncilValues(
        council="Lambeth (illustrative)", periods=PERIODS, values=values, targets=TARGETS, key=KEY, internal=INTERNAL,
        illustrative=True,
    )


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "inputs" / "performance.xlsx"
    build_workbook(out, example_values())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
