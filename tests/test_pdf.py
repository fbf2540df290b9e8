"""A performance lead publishing board papers runs `selfeval generate --pdf` and gets each
document as a tagged PDF beside the .docx, under the same never-overwrite rules."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import INPUTS, run_cli
from word_clients import soffice


def test_without_libreoffice_pdf_says_which_package_to_install_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_SOFFICE", str(tmp_path / "no-such-soffice"))
    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(INPUTS), "--out", str(out), "--pdf")
    assert result.code == 2
    assert "libreoffice-writer-nogui" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_pdf_is_one_council_at_a_time(tmp_path):
    result = run_cli("generate", "--batch", str(tmp_path), "--pdf")
    assert result.code == 2 and "one council at a time" in result.output


@pytest.mark.slow
def test_generate_pdf_writes_three_tagged_pdfs_and_keeps_an_edited_one(tmp_path):
    soffice()
    out = tmp_path / "outputs"
    env_soffice = os.environ.pop("SELFEVAL_SOFFICE", None)
    try:
        result = run_cli("generate", "--inputs", str(INPUTS), "--out", str(out), "--pdf", timeout=600)
    finally:
        if env_soffice:
            os.environ["SELFEVAL_SOFFICE"] = env_soffice
    assert result.code == 0, result.output
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == ["board-summary.pdf", "improvement-plan.pdf", "self-evaluation.pdf"]
    for name in pdfs:
        assert (out / name).read_bytes().startswith(b"%PDF")
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(out / name)], capture_output=True, text=True, check=True).stdout
            assert "Tagged:          yes" in info, name
            assert "Lambeth" in info.split("Title:", 1)[1].splitlines()[0]
    edited = out / "board-summary.pdf"
    edited.write_bytes(edited.read_bytes() + b"\n% a person's annotation\n")
    again = run_cli("generate", "--inputs", str(INPUTS), "--out", str(out), "--pdf", timeout=600)
    assert again.code == 0, again.output
    assert edited.read_bytes().endswith(b"% a person's annotation\n")
    assert (out / "board-summary-2.pdf").is_file()
    assert "board-summary-2.pdf" in again.output
