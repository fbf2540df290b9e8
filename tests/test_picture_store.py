"""A council regenerates its pack many times with the same quarter's figures: its chart pictures are
kept in the user's cache folder and copied, not drawn again, and the documents are the same either
way. A picture drawn from other figures, by other code, or kept broken is never taken."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from conftest import INPUTS
from selfeval.pipeline import build_documents, prepare
from selfeval.render import charts, picture_store
from selfeval.render.chart_pool import ChartPool

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SELFEVAL_CACHE", str(folder))
    return folder


def _drawings(folder: Path) -> list[charts.Drawing]:
    folder.mkdir(parents=True, exist_ok=True)
    return prepare(INPUTS, templates=None, public=False, today=TODAY, scratch=folder).drawings


def _no_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("drawn again, though an earlier run drew it from the same figures")

    monkeypatch.setattr(charts, "draw_line_chart", refuse)
    monkeypatch.setattr(charts, "draw_grade_chart", refuse)


def test_the_next_run_with_the_same_figures_copies_the_pictures_instead_of_drawing_them(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _drawings(tmp_path / "first")
    assert len(first) >= 2
    for drawing in first:
        drawing.draw()
    assert len(list((cache / "pictures").iterdir())) == len(first)

    _no_drawing(monkeypatch)
    second = _drawings(tmp_path / "second")
    pool = ChartPool(second)
    assert not pool.left(), "every picture counts as drawn as soon as the pool is made"
    for a, b in zip(first, second):
        assert Path(a.path).read_bytes() == Path(b.path).read_bytes()


def test_a_pack_is_the_same_whether_its_pictures_were_drawn_or_kept(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    drawn, _ = build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path / "a")
    assert (cache / "pictures").is_dir()
    kept, _ = build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path / "b")
    for one, other in zip(drawn, kept):
        (tmp_path / "one.docx").write_bytes(one.data)
        (tmp_path / "other.docx").write_bytes(other.data)
        with zipfile.ZipFile(tmp_path / "one.docx") as a, zipfile.ZipFile(tmp_path / "other.docx") as b:
            assert a.namelist() == b.namelist()
            assert all(_timeless(a.read(name)) == _timeless(b.read(name)) for name in a.namelist()), one.name


def _timeless(part: bytes) -> bytes:
    """A part without the times it was written (the properties' and the comments' dates, to the second)."""
    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"", part)


def test_other_figures_are_drawn_afresh(cache: Path, tmp_path: Path) -> None:
    drawing = next(d for d in _drawings(tmp_path / "first") if d.line is not None)
    drawing.draw()
    assert drawing.line is not None
    points, lines, series, unit = drawing.line
    changed = charts.Drawing(tmp_path / "changed.png", line=([*points[:-1], (points[-1][0], points[-1][1] + 1.0)], lines, series, unit))
    assert not changed.kept()
    changed.draw()
    assert Path(changed.path).read_bytes() != Path(drawing.path).read_bytes()


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 2], lambda data: b"not a picture", lambda data: b""])
def test_a_kept_picture_that_is_broken_is_drawn_again(cache: Path, tmp_path: Path, damage) -> None:
    drawing = _drawings(tmp_path / "first")[0]
    drawing.draw()
    good = Path(drawing.path).read_bytes()
    (entry,) = [p for p in (cache / "pictures").iterdir() if p.read_bytes() == good]
    entry.write_bytes(damage(good))
    again = charts.Drawing(tmp_path / "again.png", line=drawing.line, grades=drawing.grades)
    assert not again.kept()
    again.draw()
    assert Path(again.path).read_bytes() == good
    assert entry.read_bytes() == good, "and kept whole again"


def test_a_picture_of_another_size_is_never_taken(cache: Path, tmp_path: Path) -> None:
    drawing = _drawings(tmp_path / "first")[0]
    drawing.draw()
    entry = next((cache / "pictures").iterdir())
    data = bytearray(entry.read_bytes())
    data[16:20] = (1234).to_bytes(4, "big")  # another width in the PNG header
    for p in (cache / "pictures").iterdir():
        p.write_bytes(bytes(data))
    assert not charts.Drawing(tmp_path / "x.png", line=drawing.line, grades=drawing.grades).kept()


def test_no_cache_folder_means_every_picture_is_drawn_and_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFEVAL_CACHE", "")  # turned off
    for drawing in _drawings(tmp_path / "first"):
        assert not drawing.kept()
        drawing.draw()
        assert Path(drawing.path).read_bytes().startswith(b"\x89PNG")


def test_a_cache_folder_others_could_write_to_is_not_used(cache: Path, tmp_path: Path) -> None:
    drawing = _drawings(tmp_path / "first")[0]
    drawing.draw()
    (cache / "pictures").chmod(0o777)
    try:
        assert not charts.Drawing(tmp_path / "x.png", line=drawing.line, grades=drawing.grades).kept()
    finally:
        (cache / "pictures").chmod(0o700)
    assert picture_store.take(charts.Drawing(tmp_path / "y.png", line=drawing.line, grades=drawing.grades))
