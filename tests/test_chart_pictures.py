"""The chart pictures a council's self-evaluation shows: saved with a small fixed palette (cheap to
draw), and still looking as drawn: a white page, the series in their own colours, smooth edges."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from selfeval.render import charts


def _drawn_in_full_colour(monkeypatch: pytest.MonkeyPatch, draw, path: Path) -> Image.Image:
    """What the chart is before its palette: the 2x drawing scaled down, every colour kept."""
    kept: dict[str, Image.Image] = {}

    def keep(img: Image.Image, where: Path, colours: tuple) -> None:
        kept["rgb"] = img.reduce(charts._SS)

    with monkeypatch.context() as m:
        m.setattr(charts, "_save", keep)
        draw(path)
    return kept["rgb"]


def _line(path: Path) -> None:
    points = [("2022-23", 21.5), ("2023-24", 19.8), ("2024-25", 18.6), ("2025-26 Q1", 17.9), ("2025-26 Q2", 18.3)]
    lines = [(22.6, charts.ORANGE, "dashed", "England 22.6%"), (18.0, charts.GREEN, "dotted", "Target 18.0%")]
    charts.draw_line_chart(path, points, lines, series_label="Re-referrals within 12 months", unit_label="%")


def _grades(path: Path) -> None:
    titles = {"inadequate": "Inadequate", "requires_improvement": "Requires improvement to be good", "good": "Good", "outstanding": "Outstanding"}
    series = [
        ("Impact of leaders", ["inadequate", "good", "good", "outstanding"]),
        ("Help and protection", ["requires_improvement", "requires_improvement", "good", "good"]),
        ("Children in care", ["inadequate", None, "good", "good"]),
    ]
    charts.draw_grade_chart(path, ["2015 SIF", "2018 SIF", "2022 ILACS", "2026 ILACS"], series, titles)


@pytest.mark.parametrize("draw, colours", [(_line, [charts.NAVY, charts.ORANGE, charts.GREEN]), (_grades, [c for c, _ in charts._SERIES[:3]])])
def test_a_chart_is_saved_with_a_palette_and_looks_as_drawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, draw, colours) -> None:
    path = tmp_path / "chart.png"
    draw(path)
    saved = Image.open(path)
    assert saved.format == "PNG" and saved.mode == "P"
    picture = saved.convert("RGB")
    # The page stays white (a palette shade close to white must not stand in for it) ...
    assert picture.getpixel((2, 2)) == charts.WHITE
    background = max(picture.getcolors(1 << 16) or [])
    assert background[1] == charts.WHITE
    # ... each series keeps its own colour exactly ...
    present = {colour for _, colour in picture.getcolors(1 << 16) or []}
    for colour in colours:
        assert colour in present
    # ... and every pixel is within a shade of the full-colour drawing.
    full = _drawn_in_full_colour(monkeypatch, draw, tmp_path / "unused.png")
    difference = ImageChops.difference(full, picture).convert("L").histogram()
    changed = sum(difference[17:])
    assert changed / (picture.width * picture.height) < 0.001
    assert max(level for level, count in enumerate(difference) if count) <= 64
