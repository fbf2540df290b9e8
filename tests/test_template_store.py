"""selfeval's own templates are patched and compiled for Jinja once per machine, not once per run:
the render child of the next run takes them ready from the user's cache folder, and what it
renders is the same. A cache that cannot be trusted or read is never used, and never stops a run."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from selfeval.render import compiled_store, template_cache, templates
from selfeval.render.properties import Properties
from selfeval.render.template_files import default_templates_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "cache"))
    _fresh_process()
    yield tmp_path / "cache" / "templates"
    _fresh_process()


def _fresh_process() -> None:
    """What a new run starts with: no template opened, patched or compiled in memory."""
    template_cache.clear()
    templates.jinja_env.cache_clear()


def _shipped() -> list[Path]:
    return sorted(default_templates_dir().glob("*.docx"))


def _body(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def test_the_next_run_takes_the_templates_ready_from_the_cache_folder(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template_cache.warm(_shipped(), templates.jinja_env())
    kept = sorted(cache.iterdir())
    assert kept and all(p.suffix == ".jinja-code" for p in kept)  # one entry for each part of each template
    if hasattr(os, "getuid"):
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    first = {source: t.render for source, t in templates.jinja_env()._compiled.items()}

    _fresh_process()

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(templates._Environment, "compile", no_compiling)
    monkeypatch.setattr(template_cache.CachedDocxTemplate, "patch_xml", no_compiling)
    template_cache.warm(_shipped(), templates.jinja_env())
    assert set(templates.jinja_env()._compiled) == set(first)  # every part, the same Jinja source


def test_a_pack_rendered_from_the_cache_is_the_same(cache: Path, tmp_path: Path) -> None:
    import datetime as dt

    from conftest import INPUTS
    from selfeval import pipeline

    def pack(where: str) -> list[bytes]:
        (tmp_path / where).mkdir()
        rendered, _ = pipeline.build_documents(INPUTS, templates=None, public=False, today=dt.date(2026, 3, 2), scratch=tmp_path / where)
        return [_body(d.data) for d in rendered]

    made = pack("made")  # the render child patches and compiles, and keeps them
    assert any(cache.iterdir())
    _fresh_process()
    assert pack("from-cache") == made


def test_an_entry_that_cannot_be_read_is_made_again(cache: Path) -> None:
    template_cache.warm(_shipped(), templates.jinja_env())
    entries = sorted(cache.iterdir())
    for entry in entries:
        entry.write_bytes(b"not marshal data")
    _fresh_process()
    template_cache.warm(_shipped(), templates.jinja_env())  # no error
    assert all(e.read_bytes() != b"not marshal data" for e in entries)  # made again, and kept


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_could_write_to_is_not_used(cache: Path) -> None:
    template_cache.warm(_shipped(), templates.jinja_env())
    os.chmod(cache, 0o777)
    assert compiled_store.load(next(iter(_xml_parts()))) is None
    os.chmod(cache, 0o700)
    assert compiled_store.load(next(iter(_xml_parts()))) is not None


def test_no_cache_folder_means_no_cache_and_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SELFEVAL_CACHE", "")  # turned off
    _fresh_process()
    template_cache.warm(_shipped(), templates.jinja_env())
    assert compiled_store.load(next(iter(_xml_parts()))) is None
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SELFEVAL_CACHE", str(blocked))
    _fresh_process()
    template_cache.warm(_shipped(), templates.jinja_env())  # cannot be written: quietly not kept
    _fresh_process()


def _xml_parts() -> list[str]:
    tpl = template_cache.CachedDocxTemplate(default_templates_dir() / "board-summary.docx")
    tpl.init_docx()
    return [tpl.get_xml()]
