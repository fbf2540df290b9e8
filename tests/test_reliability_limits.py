"""Input limits, each through the real CLI: a clear one-line message, exit code 2, no traceback,
and the hostile file is refused *before* any library opens it (so each test is quick)."""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from conftest import INPUTS, run_cli

MB = 1024 * 1024
FINDINGS = sorted((INPUTS / "findings").glob("*.yaml"))


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    (folder / "findings").mkdir(parents=True)
    shutil.copy(FINDINGS[0], folder / "findings")
    return folder


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space: the size checks must not read it."""
    with path.open("wb") as f:
        f.truncate(size)
    return path


def zip_bomb(path: Path, member: str, *, inflated: int = 20 * MB, extra: dict[str, str] | None = None) -> Path:
    """A small zip whose one part inflates more than 1000 times (zeros compress very well)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
        with zf.open(member, "w", force_zip64=True) as part:
            block = b"\0" * MB
            for _ in range(inflated // MB):
                part.write(block)
    assert path.stat().st_size < inflated / 200
    return path


def one_line_error(result, *fragments: str) -> str:
    assert result.code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    message = " ".join(result.stderr.split())
    assert message.startswith("error: "), message
    for fragment in fragments:
        assert fragment in message, message
    return message


# -- findings YAML ---------------------------------------------------------------------------------------------

def test_an_oversized_findings_file_is_refused(inputs: Path) -> None:
    big = inputs / "findings" / "huge.yaml"
    text = FINDINGS[0].read_text(encoding="utf-8")
    big.write_text(text + "notes: |\n" + ("  " + "x" * 98 + "\n") * 55_000, encoding="utf-8")
    assert big.stat().st_size > 5 * 1000 * 1000
    result = run_cli("validate", str(inputs))
    one_line_error(result, "huge.yaml: the file is", "findings files are limited to 5 MB")


def test_a_yaml_alias_bomb_is_refused_quickly(inputs: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    (inputs / "findings" / "laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli("validate", str(inputs))
    assert time.monotonic() - started < 20
    one_line_error(result, "laughs.yaml:", "YAML aliases expand to too much data", "remove the repeated '*' aliases")


def test_ordinary_aliases_are_still_fine(tmp_path: Path) -> None:
    text = FINDINGS[0].read_text(encoding="utf-8")
    lead = next(line for line in text.splitlines() if line.startswith("lead_inspector:"))
    name = lead.split(":", 1)[1].strip()
    text = text.replace(lead, f"lead_inspector: &lead {name}", 1)
    text, n = re.subn(r"^inspectors:\n(?:  - .*\n)+", "inspectors: [*lead]\n", text, flags=re.M)
    assert n == 1
    path = tmp_path / "findings.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.code == 0, result.output


# -- performance workbook (.xlsx) ------------------------------------------------------------------------------

def test_an_xlsx_zip_bomb_is_refused_before_opening(inputs: Path) -> None:
    zip_bomb(inputs / "performance.xlsx", "xl/worksheets/sheet1.xml",
             extra={"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    result = run_cli("validate", str(inputs))
    one_line_error(result, "performance.xlsx:", "refused as unsafe", "sheet1.xml")


def test_an_xlsx_that_inflates_past_the_total_limit_is_refused(inputs: Path, monkeypatch) -> None:
    # Many parts, each under the per-part ratio, that add up to more than the total cap: checked
    # from the zip directory alone, by declaring sizes rather than writing 500 MB.
    path = inputs / "performance.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(60):
            zf.writestr(f"xl/media/image{i}.bin", os.urandom(1024))
    _declare_sizes(path, 10 * MB)
    result = run_cli("validate", str(inputs))
    one_line_error(result, "performance.xlsx:", "refused as unsafe")


def _declare_sizes(path: Path, size: int) -> None:
    """Rewrite the central directory so every image part claims to inflate to ``size`` bytes."""
    import struct

    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        name = bytes(data[pos + 46 : pos + 46 + name_len])
        if name.startswith(b"xl/media/"):
            struct.pack_into("<I", data, pos + 24, size)
        pos += 46
    path.write_bytes(bytes(data))


def test_an_oversized_xlsx_is_refused(inputs: Path) -> None:
    sparse(inputs / "performance.xlsx", 51 * MB)
    result = run_cli("validate", str(inputs))
    one_line_error(result, "performance.xlsx:", "MB; the limit is 50 MB")


# -- Word templates (.docx) ------------------------------------------------------------------------------------

@pytest.fixture
def previous_outputs(tmp_path: Path, inputs: Path) -> Path:
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_template_that_is_a_zip_bomb_is_refused_and_touches_nothing(tmp_path: Path, inputs: Path, previous_outputs: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    zip_bomb(templates / "self-evaluation.docx", "word/document.xml", extra={"[Content_Types].xml": "<Types/>"})
    before = _snapshot(previous_outputs)
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(previous_outputs), "--templates", str(templates))
    one_line_error(result, "self-evaluation.docx:", "refused as unsafe")
    assert _snapshot(previous_outputs) == before


def test_an_oversized_template_is_refused(tmp_path: Path, inputs: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    sparse(templates / "board-summary.docx", 51 * MB)
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--templates", str(templates))
    one_line_error(result, "board-summary.docx:", "the limit is 50 MB")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_a_template_that_is_not_a_docx_is_refused(tmp_path: Path, inputs: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "improvement-plan.docx").write_text("not a Word file")
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--templates", str(templates))
    one_line_error(result, "improvement-plan.docx:")


# -- reports for `selfeval import` -----------------------------------------------------------------------------

def test_a_pdf_over_the_page_cap_is_refused(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from selfeval.load.report.text import MAX_PAGES

    pdf = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        pdf.new_page(595, 842)
    path = tmp_path / "minutes.pdf"
    pdf.save(str(path))
    pdf.close()
    result = run_cli("import", str(path), "-o", str(tmp_path / "out.yaml"))
    one_line_error(result, "minutes.pdf:", f"the report has {MAX_PAGES + 1} pages", f"up to {MAX_PAGES} pages")
    assert not (tmp_path / "out.yaml").exists()


def test_an_oversized_report_is_refused(tmp_path: Path) -> None:
    path = sparse(tmp_path / "report.txt", 51 * MB)
    result = run_cli("import", str(path), "-o", str(tmp_path / "out.yaml"))
    one_line_error(result, "report.txt:", "the report is", "up to 50 MB")


def test_a_report_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "report.docx", "word/document.xml", extra={"[Content_Types].xml": "<Types/>"})
    result = run_cli("import", str(path), "-o", str(tmp_path / "out.yaml"))
    one_line_error(result, "report.docx:", "refused as unsafe")
