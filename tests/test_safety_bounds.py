"""Bounded work on every input: each bomb from the second safety review is refused with one located
message and exit 2, inside 500 MB of memory and 15 seconds (enforced on the child process)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from bombs import big_sheet_xml, pdf_bomb, read_part, rewrite_zip, run_limited
from conftest import INPUTS
from selfeval.write.formula_cache import sheet_parts


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    return folder


def _part(workbook: Path, sheet: str) -> str:
    with zipfile.ZipFile(workbook) as zf:
        return sheet_parts(zf)[sheet]


def _merge_bomb(workbook: Path, sheet: str, ref: str = "B3:XFD1048576") -> None:
    part = _part(workbook, sheet)
    xml = read_part(workbook, part)
    assert b"<mergeCells" not in xml
    xml = xml.replace(b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode(), 1)
    tmp = workbook.with_name("bomb.xlsx")
    rewrite_zip(workbook, tmp, {part: xml})
    tmp.replace(workbook)


def test_a_merged_range_bomb_in_the_workbook_is_refused_quickly(inputs: Path) -> None:
    workbook = inputs / "performance.xlsx"
    _merge_bomb(workbook, "Indicators")
    assert workbook.stat().st_size < 100_000
    result = run_limited("validate", str(inputs))
    assert result.code == 2, result.output
    message = " ".join(result.stderr.split())
    assert "performance.xlsx: the file is refused as unsafe: its merged cells (e.g. B3:XFD1048576" in message
    assert "Traceback" not in result.output


def test_a_merged_range_bomb_in_the_tracker_is_refused_by_plan_export_and_generate(inputs: Path, tmp_path: Path) -> None:
    assert run_limited("plan", "export", "--inputs", str(inputs)).code == 0
    tracker = inputs / "improvement-plan-tracker.xlsx"
    _merge_bomb(tracker, "Actions")
    before = tracker.read_bytes()
    for args in (("plan", "export", "--inputs", str(inputs)), ("generate", "--inputs", str(inputs), "--out", str(tmp_path / "out"))):
        result = run_limited(*args)
        assert result.code == 2, result.output
        assert "improvement-plan-tracker.xlsx: the file is refused as unsafe: its merged cells" in " ".join(result.stderr.split())
    assert tracker.read_bytes() == before


def test_a_merged_range_within_real_data_still_fills_its_cells(tmp_path: Path) -> None:
    """Merges are bounded to the used range, not ignored: a two-row period heading still reads."""
    from selfeval.load.workbook import WorkbookReader

    workbook = tmp_path / "performance.xlsx"
    shutil.copy(INPUTS / "performance.xlsx", workbook)
    _merge_bomb(workbook, "Indicators", ref="A1:ZZ60")  # far past the sheet's last row and column
    reader = WorkbookReader(workbook)
    try:
        sheet = reader.sheet("Indicators")
    finally:
        reader.close()
    assert len(sheet.rows) < 60 and sheet.width < 702, "the range is cut to the cells really there"
    assert sheet.value(1, sheet.width) == sheet.value(1, 1), "and filled where it covers them"


def test_a_sheet_that_expands_past_the_part_limit_is_refused_though_its_ratio_is_modest(inputs: Path) -> None:
    workbook = inputs / "performance.xlsx"
    part = _part(workbook, "Data")
    rewrite_zip(workbook, workbook.with_name("big.xlsx"), {part: big_sheet_xml(30)}).replace(workbook)
    with zipfile.ZipFile(workbook) as zf:
        info = zf.getinfo(part)
        assert info.file_size / info.compress_size < 200, "under the per-part ratio check"
    result = run_limited("validate", str(inputs))
    assert result.code == 2, result.output
    assert f"its part {part} would expand to 30 MB (the limit for one part is 25 MB" in " ".join(result.stderr.split())


def test_a_template_whose_document_expands_past_the_limit_is_refused(tmp_path: Path, inputs: Path) -> None:
    from selfeval.render.template_files import default_templates_dir

    template = (default_templates_dir() / "self-evaluation.docx")
    xml = read_part(template, "word/document.xml")
    import random

    rng = random.Random(1)
    filler = "".join(f"<w:p><w:r><w:t>{rng.random():.15f} {rng.random():.15f}</w:t></w:r></w:p>" for _ in range(500_000))
    xml = xml.replace(b"<w:body>", b"<w:body>" + filler.encode(), 1)
    templates = tmp_path / "templates"
    rewrite_zip(template, templates / "self-evaluation.docx", {"word/document.xml": xml})
    for args in (("templates", "check", str(templates)), ("generate", "--inputs", str(inputs), "--templates", str(templates), "--out", str(tmp_path / "o"))):
        result = run_limited(*args)
        assert result.code == 2, result.output
        assert "its part word/document.xml would expand to" in " ".join(result.stderr.split())


def test_malformed_sheet_xml_inside_a_valid_zip_is_an_input_error(inputs: Path) -> None:
    workbook = inputs / "performance.xlsx"
    part = _part(workbook, "Data")
    xml = read_part(workbook, part)
    rewrite_zip(workbook, workbook.with_name("bad.xlsx"), {part: xml[: len(xml) // 2]}).replace(workbook)
    result = run_limited("validate", str(inputs))
    assert result.code == 2, result.output
    assert "performance.xlsx!Data: the sheet 'Data' is damaged and cannot be read" in " ".join(result.stderr.split())
    assert "bug in selfeval" not in result.output


@pytest.mark.parametrize("text", ["a: " + "[" * 3000 + "]" * 3000 + "\n", "".join("  " * i + "- x:\n" for i in range(1500))])
def test_yaml_nested_deeper_than_python_can_follow_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "findings.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_limited("validate", str(path))
    assert result.code == 2, result.output
    assert "findings.yaml: the file nests lists or blocks too deeply" in " ".join(result.stderr.split())
    assert "bug in selfeval" not in result.output


def test_a_pdf_content_stream_bomb_is_refused_with_a_message_not_a_crash(tmp_path: Path) -> None:
    report = pdf_bomb(tmp_path / "report.pdf", 600)
    assert report.stat().st_size < 3_000_000
    out = tmp_path / "findings.yaml"
    result = run_limited("import", str(report), "-o", str(out))
    assert result.code == 2, (result.code, result.output)
    assert "report.pdf: this PDF is too large to read safely" in " ".join(result.stderr.split())
    assert not out.exists()


def test_a_real_report_still_imports_through_the_bounded_reader(tmp_path: Path) -> None:
    from conftest import SHARED_REPORTS

    if not SHARED_REPORTS.is_dir():
        pytest.skip(f"shared reports folder {SHARED_REPORTS} is absent (CI has it)")
    report = sorted(SHARED_REPORTS.glob("*.pdf"))[0]
    result = run_limited("import", str(report), "-o", str(tmp_path / "f.yaml"))
    assert result.code in (0, 1) and (tmp_path / "f.yaml").exists(), result.output
