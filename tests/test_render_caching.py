"""A batch renders the same three templates for every council: selfeval's own templates are opened,
patched and compiled once per process (from its second pack), and Pillow made ready to draw, before the bounded render children are forked. A council's
customised template is never compiled outside that child (a hostile one could exhaust memory while
compiling), and the cache never changes what is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bombs import read_part, rewrite_zip
from conftest import INPUTS, docx_text
from selfeval.pipeline import build_documents
from selfeval.render import charts, template_cache
from selfeval.render.template_files import default_templates_dir, is_shipped
from selfeval.render.templates import jinja_env

TODAY = dt.date(2026, 3, 1)


def _texts(tmp_path: Path, rendered: list) -> list[str]:
    out = []
    for document in rendered:
        path = tmp_path / document.name
        path.write_bytes(document.data)
        out.append(docx_text(path))
    return out


def test_the_second_council_reuses_the_compiled_templates_and_gets_the_same_documents(tmp_path: Path) -> None:
    template_cache.clear()
    jinja_env()._compiled.clear()  # type: ignore[attr-defined]
    charts._warm = False
    # The first pack of a process (one council, from the command line) has its templates opened by
    # the render child, beside the loading; from the second (a batch), this process opens them once.
    first, _ = build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path)
    second, _ = build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path)
    compiled = dict(jinja_env()._compiled)  # type: ignore[attr-defined]
    assert compiled, "selfeval's own templates are compiled in this process, before the fork"
    assert charts._warm, "and Pillow's first picture is drawn here once, not by every council's render child"
    third, _ = build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path)
    assert all(jinja_env()._compiled[k] is v for k, v in compiled.items())  # type: ignore[attr-defined]
    assert _texts(tmp_path, first) == _texts(tmp_path, second) == _texts(tmp_path, third)


def test_an_unchanged_copy_of_a_default_template_counts_as_the_default(tmp_path: Path) -> None:
    copy = tmp_path / "templates" / "board-summary.docx"
    copy.parent.mkdir()
    copy.write_bytes((default_templates_dir() / "board-summary.docx").read_bytes())
    assert is_shipped(copy, default_templates_dir())
    changed = tmp_path / "changed" / "board-summary.docx"
    xml = read_part(copy, "word/document.xml")
    rewrite_zip(copy, changed, {"word/document.xml": xml.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>Ours</w:t></w:r></w:p>", 1)})
    assert not is_shipped(changed, default_templates_dir())


def test_a_customised_template_is_only_compiled_inside_the_render_child(tmp_path: Path) -> None:
    source = default_templates_dir() / "board-summary.docx"
    folder = tmp_path / "templates"
    marker = b"CUSTOMISED-TEMPLATE-MARKER"
    xml = read_part(source, "word/document.xml")
    rewrite_zip(source, folder / "board-summary.docx",
                {"word/document.xml": xml.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>" + marker + b"</w:t></w:r></w:p>", 1)})
    rendered, _ = build_documents(INPUTS, templates=folder, public=False, today=TODAY, scratch=tmp_path)
    assert any(marker.decode() in text for text in _texts(tmp_path, rendered))
    assert not any(marker.decode() in source_text for source_text in jinja_env()._compiled)  # type: ignore[attr-defined]


def test_a_template_whose_properties_hold_jinja_still_has_them_filled_in(tmp_path: Path) -> None:
    """docxtpl renders a template's core properties as Jinja on every render; selfeval's own have no
    Jinja in them, so they are left as they are rather than compiled each time. A council's template
    whose properties do hold Jinja still has them filled in."""
    import io
    import zipfile

    source = default_templates_dir() / "board-summary.docx"
    core = read_part(source, "docProps/core.xml")
    assert b"{" not in core
    folder = tmp_path / "templates"
    rewrite_zip(source, folder / "board-summary.docx",
                {"docProps/core.xml": core.replace(b"</cp:coreProperties>", b"<dc:language>{{ title[:9] }}</dc:language></cp:coreProperties>")})
    rendered, _ = build_documents(INPUTS, templates=folder, public=False, today=TODAY, scratch=tmp_path)
    board = next(d for d in rendered if d.name == "board-summary.docx")
    written = zipfile.ZipFile(io.BytesIO(board.data)).read("docProps/core.xml")
    assert b"<dc:language>Corporate</dc:language>" in written
