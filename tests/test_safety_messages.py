"""Messages that say what is really wrong (point 14 of the second safety review)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import INPUTS, run_cli


def _findings(tmp_path: Path) -> Path:
    return sorted((INPUTS / "findings").glob("*.yaml"))[0]


def test_a_big_findings_file_without_aliases_is_not_blamed_on_aliases(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    text = _findings(tmp_path).read_text(encoding="utf-8")
    # 210,000 values, as a long generated file might hold, and not one '*' alias among them.
    path.write_text(text + "readings:\n" + "".join(f"  - {i}\n" for i in range(210_000)), encoding="utf-8")
    assert 1_500_000 < path.stat().st_size < 5_000_000
    result = run_cli("validate", str(path))
    assert "alias" not in result.output, result.output
    assert "Traceback" not in result.output


def test_a_findings_file_saved_as_utf16_says_so(tmp_path: Path) -> None:
    text = _findings(tmp_path).read_text(encoding="utf-8")
    for name, encoding in (("bom.yaml", "utf-16"), ("le.yaml", "utf-16-le")):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        result = run_cli("validate", str(path))
        assert result.code == 2, result.output
        message = " ".join(result.stderr.split())
        assert f"{name}:1: the file is saved as UTF-16" in message and "save it as UTF-8" in message
        assert "binary" not in message


def test_a_findings_file_that_is_a_link_to_some_other_file_gives_at_most_20_short_problems(tmp_path: Path) -> None:
    system_file = tmp_path / "system.conf"
    system_file.write_text("".join(f"setting_{i}: {'x' * 300}\n" for i in range(400)), encoding="utf-8")
    folder = tmp_path / "inputs" / "findings"
    folder.mkdir(parents=True)
    (folder / "inspection.yaml").symlink_to(system_file)
    result = run_cli("validate", str(folder.parent))
    assert result.code == 2, result.output
    problems = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(problems) <= 21, len(problems)
    assert "more problems not shown" in result.stderr
    assert "x" * 81 not in result.output, "no more than about 80 characters of the file are quoted"
