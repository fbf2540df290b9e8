"""The self-evaluation is filled in while its chart pictures are still being drawn: each chart goes in
as a stand-in of the same size, and the drawn picture takes its place before the document is saved.
What the council gets is the document the drawn pictures would have given from the start."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx.image.image import Image as DocxImage

from selfeval import pipeline
from selfeval.render import charts
from selfeval.render.docx import render_recorded
from selfeval.render.registry import documents
from selfeval.render.stand_ins import stand_in_png

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 3, 2)


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        # The only moment-dependent bytes: when the document and its comments were written.
        return {n: re.sub(rb'(w:date|dcterms:(created|modified))([^>]*>|="[^"]*")[^<"]*', rb"\1", z.read(n)) for n in z.namelist()}


@pytest.mark.parametrize("height_in, draw", [(charts.HEIGHT_IN, "line"), (charts.GRADES_HEIGHT_IN, "grades")])
def test_a_stand_in_has_the_size_and_resolution_of_the_picture_drawn_later(tmp_path: Path, height_in: float, draw: str) -> None:
    path = tmp_path / "chart.png"
    if draw == "line":
        charts.draw_line_chart(path, [("2024-25", 1.0), ("2025-26", 2.0)], [], series_label="A measure", unit_label="%")
    else:
        titles = {g: g.title() for g in charts.GRADE_LEVELS}
        charts.draw_grade_chart(path, ["2018 SIF", "2024 ILACS"], [("Overall effectiveness", ["good", "outstanding"])], titles)
    drawn = DocxImage.from_blob(path.read_bytes())
    stand_in = DocxImage.from_blob(stand_in_png(charts.picture_size(height_in), charts.DPI, "chart.png"))
    assert (stand_in.px_width, stand_in.px_height, stand_in.horz_dpi, stand_in.vert_dpi) == (
        drawn.px_width, drawn.px_height, drawn.horz_dpi, drawn.vert_dpi
    )


def test_the_self_evaluation_filled_in_before_its_pictures_exist_is_the_same_document(tmp_path: Path) -> None:
    prepared = pipeline._prepare(documents(), ROOT / "inputs", templates=None, public=False, today=TODAY, scratch=tmp_path)
    sef = next(d for d in prepared.documents if d.charts)
    by_file = {d.path: d for d in prepared.drawings}
    assert not any(path.exists() for path in by_file)  # nothing drawn yet
    asked: list[Path] = []

    def drawn(picture: Path) -> None:  # what the chart pool does: draw it now, if nobody has
        asked.append(picture)
        by_file[picture].draw()

    late, late_record = render_recorded(sef.template, sef.context, sef.charts, sef.properties, pictures=drawn)
    assert sorted(asked) == sorted(by_file)  # every picture asked for, once, after the filling in
    first, first_record = render_recorded(sef.template, sef.context, sef.charts, sef.properties)
    assert late_record == first_record
    assert _parts(late) == _parts(first)
    media = [n for n in _parts(late) if n.startswith("word/media/")]
    assert len(media) == len(by_file)


def test_a_picture_drawn_at_another_size_than_its_stand_in_is_refused(tmp_path: Path) -> None:
    prepared = pipeline._prepare(documents(), ROOT / "inputs", templates=None, public=False, today=TODAY, scratch=tmp_path)
    sef = next(d for d in prepared.documents if d.charts)

    def drawn_wrong(picture: Path) -> None:  # every picture drawn as a line chart: the grade journey's is taller
        charts.draw_line_chart(picture, [("a", 1.0), ("b", 2.0)], [], series_label="x", unit_label="")

    with pytest.raises(RuntimeError, match="not the size its stand-in had"):
        render_recorded(sef.template, sef.context, sef.charts, sef.properties, pictures=drawn_wrong)
