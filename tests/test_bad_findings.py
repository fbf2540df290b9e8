"""Every kind of broken findings file gets one clear message naming the file and line, exit code 2,
and never a traceback — through the real CLI, as a user would see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

GOOD = """\
local_authority: Exampleshire
type: full inspection
inspection_kind: short
inspection_dates:
  - start: 2025-03-03
    end: 2025-03-07
judgements:
  impact_of_leaders: Good
  help_and_protection: Good
  children_in_care: Good
  care_leavers: Good
  overall_effectiveness: Good
areas_for_improvement:
  - id: EX-1
    text: The quality of supervision. (Enabler two)
    framework_refs: [enabler 2]
  - id: EX-2
    text: Return home interviews. (outcome 3, national framework)
    framework_refs:
      - ref: outcome 3
"""

CASES: dict[str, tuple[bytes | str | None, str, int | None]] = {
    # name: (file content, expected fragment of the message, expected line)
    "bad yaml syntax": (GOOD + "notes: [unclosed\n", "YAML syntax error", 22),
    "unknown key": (GOOD.replace("inspection_kind: short", "inspection_knd: short"), "unknown key 'inspection_knd'", 3),
    "unknown grade": (GOOD.replace("care_leavers: Good", "care_leavers: Excellent"), "'Excellent' is not an Ofsted grade", 11),
    "unknown framework ref": (GOOD.replace("[enabler 2]", "[outcome 7]"), "'outcome 7' is not in the National Framework (outcomes 1-4, enablers 1-3, principles 1-6)", 16),
    "end before start": (GOOD.replace("end: 2025-03-07", "end: 2025-03-01"), "end date 2025-03-01 is before start date 2025-03-03", 5),
    "duplicate area id": (GOOD.replace("id: EX-2", "id: EX-1"), "'EX-1' is already used", 17),
    "wrong type": (GOOD.replace("inspection_dates:\n  - start: 2025-03-03\n    end: 2025-03-07", "inspection_dates: 2025-03-03"), "inspection_dates", 4),
    "empty file": ("", "the file is empty", 1),
    "comments only": ("# nothing here yet\n", "the file is empty", 1),
    "not utf-8": (GOOD.replace("Exampleshire", "Ex\u00e4mpleshire").encode("latin-1"), "not UTF-8", 1),
    "missing required field": (GOOD.replace("local_authority: Exampleshire\n", ""), "local_authority: this required field is missing", 1),
    "not yaml at all": (b"%PDF-1.7\n\x00\x01\x02binary", "not a YAML text file", 1),
    "a list, not a mapping": ("- one\n- two\n", "expected the findings of one inspection", 1),
    "duplicate key": (GOOD + "local_authority: Other\n", "'local_authority' appears twice", 21),
    "unknown engagement type": (GOOD.replace("type: full inspection", "type: chat over coffee"), "is not an engagement type", 2),
    "judgement from another era": (GOOD.replace("start: 2025-03-03\n    end: 2025-03-07", "start: 2021-03-03\n    end: 2021-03-07"), "'The experiences and progress of children in care' was not a judgement in ILACS 2018", 10),
    "british date": (GOOD.replace("start: 2025-03-03", "start: 03/03/2025"), "'03/03/2025' is not a date: write dates as year-month-day", 5),
    "id with a space": (GOOD.replace("id: EX-2", "id: EX 2"), "'EX 2' is not a valid id", 17),
    "a visit with grades": (GOOD.replace("type: full inspection", "type: focused visit"), "a focused visit has no judgements", 7),
    "before ilacs": (GOOD.replace("start: 2025-03-03\n    end: 2025-03-07", "start: 2016-03-03\n    end: 2016-03-07"), "before ILACS started in January 2018", 5),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        "aliases expand to too much data",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_findings_file_gives_one_located_message(case: str, tmp_path: Path) -> None:
    content, expected, line = CASES[case]
    findings = tmp_path / "inputs" / "findings"
    findings.mkdir(parents=True)
    target = findings / "2025-ilacs.yaml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(tmp_path / "inputs"), "--out", str(out))
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert expected in result.stderr, result.stderr
    where = "2025-ilacs.yaml" + (f":{line}:" if line else "")
    assert where in result.stderr, result.stderr
    assert not out.exists() or not any(out.glob("*.docx")), "nothing may be written for invalid input"


def test_inputs_folder_with_no_findings(tmp_path: Path) -> None:
    (tmp_path / "inputs" / "findings").mkdir(parents=True)
    result = run_cli("validate", str(tmp_path / "inputs"))
    assert result.code == 2
    assert "no findings files found" in result.stderr and "findings" in result.stderr
    assert "Traceback" not in result.output


def test_missing_inputs_folder(tmp_path: Path) -> None:
    result = run_cli("generate", "--inputs", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert result.code == 2
    assert "no such folder" in result.stderr


def test_errors_in_several_files_are_reported_together(tmp_path: Path) -> None:
    findings = tmp_path / "findings"
    findings.mkdir()
    (findings / "a.yaml").write_text(GOOD.replace("care_leavers: Good", "care_leavers: Excellent"), encoding="utf-8")
    (findings / "b.yaml").write_text(GOOD.replace("id: EX-", "id: B-").replace("[enabler 2]", "[outcome 9]"), encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.code == 2
    assert "a.yaml:11:" in result.stderr and "b.yaml:16:" in result.stderr
