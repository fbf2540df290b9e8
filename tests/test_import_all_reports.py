"""Every shared Ofsted report imports cleanly: all self-checks pass, the grades agree with
reports-dev/index.csv (or, where the scraper could not read them, with the grades a person read from
the PDF: tools/reports-dev-grades-checked.csv), and the council is the one the file is about.

Slow (about a minute for 168 PDFs on two cores); CI runs it. The same harness as a script, with
per-file detail: ``nice python tools/check_reports.py --failing``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "domain"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SHARED / "reports-dev").is_dir(), reason="shared reports-dev folder is absent (CI has it)"),
]


def _harness():
    spec = importlib.util.spec_from_file_location("check_reports", ROOT / "tools" / "check_reports.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_reports"] = module
    spec.loader.exec_module(module)
    return module


def test_every_shared_report_imports_clean() -> None:
    harness = _harness()
    paths = harness.report_paths([])
    assert len(paths) >= 166
    results = harness.run(paths)
    problems = [line for r in results if not r.clean for line in harness.describe(r)]
    assert problems == [], "\n".join(problems + [harness.summary(results)])
    assert sum(r.grades_compared for r in results) > 700
