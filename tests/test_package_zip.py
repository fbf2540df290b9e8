"""A draft is saved without deflating again the parts rendering never touched (the styles, the theme):
whoever opens the .docx reads the same parts, byte for byte, as python-docx's own save gives."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from selfeval import pipeline
from selfeval.render import package_zip
from selfeval.render.docx import render_document
from selfeval.render.registry import documents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Prepared:
    return pipeline.prepare(ROOT / "inputs", templates=None, public=False, today=dt.date(2026, 3, 2), scratch=tmp_path_factory.mktemp("charts"))


def _python_docx_save(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def test_each_draft_holds_the_parts_python_docx_would_save(prepared: pipeline.Prepared) -> None:
    for p in prepared.documents:
        document = render_document(p.template, p.context, p.charts, p.properties)
        ours = zipfile.ZipFile(io.BytesIO(package_zip.saved(document, p.template)))
        theirs = zipfile.ZipFile(io.BytesIO(_python_docx_save(document)))
        assert ours.testzip() is None  # every member's checksum holds
        assert ours.namelist() == theirs.namelist()  # the same members, in the same order
        for name in theirs.namelist():
            if name != "docProps/core.xml":  # python-docx stamps the save time in it
                assert ours.read(name) == theirs.read(name), f"{p.template.name}: {name}"


def test_the_styles_are_copied_as_the_template_stores_them(prepared: pipeline.Prepared) -> None:
    p = next(d for d in prepared.documents if not d.charts)
    document = render_document(p.template, p.context, p.charts, p.properties)
    with zipfile.ZipFile(p.template) as template:
        stored = {i.filename: i for i in template.infolist()}
    ours = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(package_zip.saved(document, p.template))).infolist()}
    styles = ours["word/styles.xml"]
    assert (styles.CRC, styles.compress_size, styles.compress_type) == (
        stored["word/styles.xml"].CRC, stored["word/styles.xml"].compress_size, stored["word/styles.xml"].compress_type
    )
    assert ours["word/document.xml"].compress_type == zipfile.ZIP_DEFLATED  # rendered: deflated afresh


def test_pictures_are_stored_not_deflated_again(prepared: pipeline.Prepared) -> None:
    p = next(d for d in prepared.documents if d.charts)
    document = render_document(p.template, p.context, p.charts, p.properties)
    ours = zipfile.ZipFile(io.BytesIO(package_zip.saved(document, p.template)))
    media = [i for i in ours.infolist() if i.filename.startswith("word/media/")]
    assert media and all(i.compress_type == zipfile.ZIP_STORED for i in media)


def test_a_python_docx_laid_out_otherwise_falls_back_to_its_own_save(prepared: pipeline.Prepared, monkeypatch: pytest.MonkeyPatch) -> None:
    from docx.opc.pkgwriter import PackageWriter

    p = prepared.documents[0]
    document = render_document(p.template, p.context, p.charts, p.properties)
    original = PackageWriter._write_parts

    def moved(writer: object, parts: object) -> None:  # gone, as far as selfeval's writer can tell
        if isinstance(writer, package_zip._Members):
            raise AttributeError("_write_parts")
        original(writer, parts)

    monkeypatch.setattr(PackageWriter, "_write_parts", staticmethod(moved))
    with zipfile.ZipFile(io.BytesIO(package_zip.saved(document, p.template))) as ours:
        assert ours.testzip() is None and "word/document.xml" in ours.namelist()
