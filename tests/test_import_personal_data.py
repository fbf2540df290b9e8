"""What import writes, validate reads: a report whose lines only read as a personal identifier once
they are joined into a paragraph ('Inspection dates: 3 to 7 March 2025' then 'DOB', found by the
property test) is refused at import, naming the report, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval.commands.import_report import import_report
from selfeval.errors import InputError

LINES = [
    "Inspection of Exampleshire local authority children's services",
    "The impact of leaders on social work practice with children and families Good",
    "Inspection dates: 3 to 7 March 2025",
    "DOB",
]


def test_text_that_reads_as_a_date_of_birth_once_joined_is_refused_at_import(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("\n".join(LINES), encoding="utf-8")
    out = tmp_path / "findings.yaml"
    with pytest.raises(InputError) as raised:
        import_report(report, out, as_json=False)
    assert "date of birth (not repeated here)" in raised.value.message and "nothing was written" in raised.value.message
    assert raised.value.location is not None and Path(str(raised.value.location.path)) == report
    assert "March 2025 DOB" not in str(raised.value)
    assert not out.exists()
