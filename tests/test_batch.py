"""`selfeval generate --batch DIR`: one pack per council folder; a broken council never stops the others."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, docx_text, run_cli

sys.path.insert(0, str(REPO / "bench"))
import _fixtures  # noqa: E402

from selfeval.render.registry import template_names  # noqa: E402

DOCUMENTS = tuple(template_names())


@pytest.fixture()
def councils(tmp_path: Path) -> Path:
    """Three councils copied from the example; the second has a YAML syntax error on a known line."""
    folder = tmp_path / "councils"
    _fixtures.make_councils(folder, 3)
    broken = folder / "council-002" / "findings" / "lambeth-2026-01-full-inspection.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines.append("judgements: [unclosed")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_generates_every_good_council_and_reports_the_broken_one(councils: Path, tmp_path: Path, jobs: str):
    out = tmp_path / "out"
    result = run_cli("generate", "--batch", str(councils), "--out", str(out), "--jobs", jobs)

    assert result.code == 2, result.output
    for name, council in (("council-001", "Council 001"), ("council-003", "Council 003")):
        for document in DOCUMENTS:
            assert (out / name / document).is_file(), f"{name}/{document} missing\n{result.output}"
        assert council in docx_text(out / name / "board-summary.docx")
        assert (out / name / ".selfeval-manifest.json").is_file()
    assert not (out / "council-002").exists() or not any((out / "council-002").glob("*.docx"))

    # The broken council's error comes at the end, with its file and line.
    broken_line = len((councils / "council-002" / "findings" / "lambeth-2026-01-full-inspection.yaml").read_text(encoding="utf-8").splitlines())
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors and all("council-002" in line for line in errors), result.stderr
    assert f"lambeth-2026-01-full-inspection.yaml:{broken_line}" in result.stderr or (
        f"lambeth-2026-01-full-inspection.yaml:{broken_line + 1}" in result.stderr
    ), result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("error:"), "errors should be reported last"

    # Summary table: every council with its documents and status.
    for name in ("council-001", "council-002", "council-003"):
        assert name in result.stdout
    assert "2 of 3 councils generated" in result.stdout
    assert "invalid input" in result.stdout
    assert "documents" in result.stdout and "warnings" in result.stdout


def test_batch_all_good_exits_zero_and_rerun_keeps_manifest_rules(tmp_path: Path):
    folder = tmp_path / "councils"
    _fixtures.make_councils(folder, 2)
    out = tmp_path / "out"
    first = run_cli("generate", "--batch", str(folder), "--out", str(out), "--jobs", "2")
    assert first.code == 0, first.output
    assert "2 of 2 councils generated" in first.stdout
    # A document edited since it was written is never overwritten by the next batch run.
    edited = out / "council-001" / "self-evaluation.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    before = edited.read_bytes()
    second = run_cli("generate", "--batch", str(folder), "--out", str(out), "--jobs", "1")
    assert second.code == 0, second.output
    kept = list((out / "council-001" / "previous").glob("self-evaluation *.docx"))
    assert [k.read_bytes() for k in kept] == [before]
    assert edited.is_file() and edited.read_bytes() != before


def test_batch_folder_without_councils_is_an_input_error(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("generate", "--batch", str(empty), "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert "no council folders" in result.stderr


def test_internal_error_in_one_council_does_not_stop_the_others(tmp_path: Path, monkeypatch):
    from selfeval.commands import batch

    folder = tmp_path / "councils"
    _fixtures.make_councils(folder, 2)

    import selfeval.commands.generate as generate

    original = generate.generate

    def flaky(*, inputs, **kwargs):
        if inputs.name == "council-001":
            raise RuntimeError("boom")
        return original(inputs=inputs, **kwargs)

    monkeypatch.setattr(generate, "generate", flaky)
    result = batch.generate_batch(folder, out=tmp_path / "out", jobs=1, progress=False)
    by_name = {c.name: c for c in result.councils}
    assert by_name["council-001"].exit_code == 1 and "internal error (RuntimeError: boom)" in by_name["council-001"].errors[0]
    assert by_name["council-002"].ok and by_name["council-002"].documents == len(DOCUMENTS)
    assert result.exit_code == 1


def test_bench_quick_runs(tmp_path: Path):
    """bench/run.py --quick must keep working (a smoke run of every section; timings not checked)."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--skip", "import"],
        capture_output=True, text=True, timeout=300, cwd=REPO,  # a smoke run; the machine may be shared
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "overhead: pipeline / bare docxtpl" in proc.stdout
    assert "selfeval --help" in proc.stdout
    assert "council(s)" in proc.stdout


REPORTS_DEV = REPO.parent / "shared" / "domain" / "reports-dev"


def test_batch_over_working_folders_made_by_init_and_import(tmp_path: Path):
    """A regional alliance sets up one working folder per council with 'selfeval init' and imports each
    council's latest report; one council's folder is broken. The batch drafts the others, uses each
    folder's own templates, and names the broken council and its file at the end."""
    reports = {"york": REPORTS_DEV / "york-2025-04-full-inspection.pdf", "wigan": REPORTS_DEV / "wigan-2025-11-full-inspection.pdf"}
    if not all(p.is_file() for p in reports.values()):
        pytest.skip("shared reports not available")
    batch = tmp_path / "alliance"
    for name in ("york", "wigan", "rutland"):
        made = run_cli("init", str(batch / name))
        assert made.code == 0, made.output
    for name, report in reports.items():
        imported = run_cli("import", str(report), "-o", str(batch / name / "inputs" / "findings" / f"{name}.yaml"))
        assert imported.code == 0, imported.output
    # Rutland has no report here: someone wrote its findings file by hand, with a typo in a key.
    (batch / "rutland" / "inputs" / "findings" / "rutland.yaml").write_text(
        "local_authority: Rutland\ntype: full inspection\njudgments:\n  impact_of_leaders: Good\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--batch", str(batch), "--out", str(out), "--jobs", "2", timeout=300)

    assert result.code == 2, result.output
    for name, council in (("york", "York"), ("wigan", "Wigan")):
        for document in DOCUMENTS:
            assert (out / name / document).is_file(), f"{name}/{document} missing\n{result.output}"
        assert council in docx_text(out / name / "self-evaluation.docx")
    assert not any((out / "rutland").glob("*.docx")) if (out / "rutland").exists() else True
    assert "2 of 3 councils generated" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors and all("rutland" in line for line in errors), result.stderr
    assert "rutland.yaml:3" in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_national_bench_quick_runs():
    """bench/national.py builds council folders from the shared reports and published data and times the
    batch; a smoke run of it must keep working (timings not checked)."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "national.py"), "--councils", "3", "--scale", "3", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, cwd=REPO,  # a smoke run; the machine may be shared
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "every council succeeded: yes" in proc.stdout
    assert "speed-up, 2 workers over 1" in proc.stdout
