"""One small chart per key indicator, drawn as a PNG with alt text that states the same numbers.

Charts are drawn directly with Pillow: a line for the
council's series, a dashed line for England and a dotted line for the target, a legend above the
plot. Drawing natively keeps a chart at a few milliseconds; matplotlib cost about 60 ms a chart
plus 0.3-0.7 s to import, which was half of a whole pack (see the README's Performance section).
Everything is drawn at twice the size and scaled down, which anti-aliases lines and markers, and
saved with a fixed palette of the chart's colours and their shades (see ``_save``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from selfeval.models.pack import Journey
from selfeval.models.performance import IndicatorSummary
from selfeval.render.context_models import ChartCtx

if TYPE_CHECKING:  # Pillow is imported only when a chart is drawn
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont, ImageFont

    Font: TypeAlias = FreeTypeFont | ImageFont

# Final picture: 6.0 x 2.4 inches at 165 dpi (shown 150 mm wide in the document).
DPI = 165
WIDTH_IN, HEIGHT_IN = 6.0, 2.4
GRADES_HEIGHT_IN = 3.0  # the grade journey's picture is taller: a row for each of four grades
_SS = 2  # supersampling factor


def _canvas(height_in: float) -> tuple[int, int]:
    """The size a chart is drawn at, in pixels: twice the picture's (see _save)."""
    return round(WIDTH_IN * DPI * _SS), round(height_in * DPI * _SS)


def picture_size(height_in: float) -> tuple[int, int]:
    """The saved picture's size in pixels (what Pillow's reduce makes of the canvas), known before
    it is drawn: a document can be filled in with a stand-in of this size meanwhile."""
    width, height = _canvas(height_in)
    return -(-width // _SS), -(-height // _SS)

NAVY = (0x1F, 0x3A, 0x5F)
ORANGE = (0xC5, 0x5A, 0x11)
GREEN = (0x54, 0x82, 0x35)
INK = (0x33, 0x33, 0x33)
GRID = (0xE3, 0xE3, 0xE3)
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Drawing:
    """One chart picture still to draw: what its drawing function takes. Planning a chart (its file,
    caption and alt text, which the documents need) is apart from drawing it (most of the cost), so
    the drawing can be done by the process that renders the document, beside other work."""

    path: Path
    line: tuple[list[tuple[str, float]], list[tuple[float, tuple[int, int, int], str, str]], str, str] | None = None
    grades: tuple[list[str], list[tuple[str, list[str | None]]], dict[str, str]] | None = None

    def kept(self) -> bool:
        """Copy the picture an earlier run drew from the same figures to this one's file, if it was
        kept (see ``picture_store``); False if it must be drawn."""
        from selfeval.render import picture_store

        return picture_store.take(self)

    def draw(self) -> None:
        """Draw the picture to its file, or copy the one an earlier run drew from the same figures."""
        if not self.kept():
            self.draw_afresh()

    def draw_afresh(self) -> None:
        """Draw the picture to its file, and keep it for the next run (what ``ChartPool`` calls for a
        picture it has already found not kept)."""
        from selfeval.render import picture_store

        if self.line is not None:
            points, lines, series_label, unit_label = self.line
            draw_line_chart(self.path, points, lines, series_label=series_label, unit_label=unit_label)
        elif self.grades is not None:
            draw_grade_chart(self.path, *self.grades)
        picture_store.keep(self)

    def pixels(self) -> tuple[int, int]:
        """The picture's size, as its chart's ``pixels`` says."""
        return picture_size(GRADES_HEIGHT_IN if self.grades is not None else HEIGHT_IN)


@dataclass(frozen=True)
class Planned:
    """A chart as the documents show it (its caption, alt text and file), and how to draw its picture."""

    chart: ChartCtx
    drawing: Drawing


def draw_charts(summaries: list[IndicatorSummary], folder: Path) -> dict[str, ChartCtx]:
    """Plan and draw one chart per key indicator with at least two values."""
    planned = plan_charts(summaries, folder)
    for p in planned.values():
        p.drawing.draw()
    return {key: p.chart for key, p in planned.items()}


def plan_charts(summaries: list[IndicatorSummary], folder: Path) -> dict[str, Planned]:
    """Indicator id -> the chart of each key indicator with at least two values, not yet drawn."""
    wanted = [s for s in summaries if s.key and not s.suppressed and sum(v is not None for _, v in s.series) >= 2]
    if not wanted:
        return {}
    charts: dict[str, Planned] = {}
    for index, s in enumerate(wanted):
        points = [(p, v) for p, v in s.series if v is not None]
        england = next((c for c in s.comparisons if c.against == "england"), None)
        lines: list[tuple[float, tuple[int, int, int], str, str]] = []
        if england is not None:
            lines.append((england.value, ORANGE, "dashed", f"England {england.value_text}"))
        if s.target is not None:
            lines.append((s.target, GREEN, "dotted", f"Target {s.target_text}"))
        path = folder / f"chart-{index:03d}-{_safe(s.id)}.png"
        drawing = Drawing(path, line=(points, lines, _short_name(s), s.unit_label))
        series_text = ", ".join(f"{p} {_fmt(v)}" for p, v in points)
        alt = f"Line chart of {s.name} ({s.unit_label}): {series_text}."
        if england is not None:
            alt += f" England: {england.value_text}."
        if s.target is not None:
            alt += f" Target: {s.target_text}."
        # The sentence is already in the list above the chart; the caption names what is drawn.
        caption = f"{s.name}, {points[0][0]} to {points[-1][0]}" + (", with England" if england else "") + (" and our target" if s.target is not None else "")
        charts[s.id] = Planned(ChartCtx(caption=caption, alt=alt, png=path, pixels=picture_size(HEIGHT_IN)), drawing)
    return charts


def draw_line_chart(
    path: Path,
    points: list[tuple[str, float]],
    lines: list[tuple[float, tuple[int, int, int], str, str]],
    *,
    series_label: str,
    unit_label: str,
) -> None:
    """Draw ``points`` (label, value) as a line with markers, plus horizontal reference ``lines``
    (value, colour, "dashed"|"dotted", legend label), and save a PNG at ``path``."""
    from PIL import Image, ImageDraw

    px = DPI * _SS / 72  # pixels per point, at the drawing scale
    W, H = _canvas(HEIGHT_IN)
    img = Image.new("RGB", (W, H), WHITE)
    draw = ImageDraw.Draw(img)
    tick_font = _font(round(8 * px))
    legend_font = _font(round(7 * px))

    # Legend in a row (or two) above the plot: no overlap with the data to work out.
    entries = [(series_label, NAVY, "solid")] + [(label, colour, style) for _, colour, style, label in lines]
    sample = round(18 * px)
    gap = round(12 * px)
    legend_rows: list[list[tuple[str, tuple[int, int, int], str, int]]] = [[]]
    x = 0
    left_limit = W - round(16 * px)
    for label, colour, style in entries:
        width = sample + round(4 * px) + _text_width(draw, label, legend_font)
        if legend_rows[-1] and x + width > left_limit:
            legend_rows.append([])
            x = 0
        legend_rows[-1].append((label, colour, style, width))
        x += width + gap
    legend_line_h = round(11 * px)
    top = round(6 * px) + legend_line_h * len(legend_rows) + round(4 * px)

    values = [v for _, v in points] + [v for v, *_ in lines]
    ticks = _nice_ticks(min(values), max(values))
    tick_texts = [_tick_text(t, ticks) for t in ticks]
    label_w = max(_text_width(draw, t, tick_font) for t in tick_texts)
    text_h = _text_height(draw, tick_font)
    left = round(6 * px) + text_h + round(6 * px) + label_w + round(5 * px)
    right = W - round(12 * px)
    bottom = H - (text_h + round(9 * px))

    def y_of(value: float) -> float:
        lo, hi = ticks[0], ticks[-1]
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    n = len(points)
    step = (right - left) / n

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    # Gridlines, y ticks and their labels.
    for value, text in zip(ticks, tick_texts):
        y = y_of(value)
        draw.line([(left, y), (right, y)], fill=GRID, width=max(1, round(0.6 * px)))
        draw.line([(left - round(3 * px), y), (left, y)], fill=INK, width=max(1, round(0.8 * px)))
        draw.text((left - round(5 * px), y), text, font=tick_font, fill=INK, anchor="rm")
    # Axis lines (left and bottom only).
    axis_w = max(1, round(0.8 * px))
    draw.line([(left, top), (left, bottom)], fill=INK, width=axis_w)
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=axis_w)
    # x tick labels: every k-th label when they would overlap.
    widest = max(_text_width(draw, p, tick_font) for p, _ in points)
    every = max(1, math.ceil((widest + round(6 * px)) / step))
    for i, (label, _) in enumerate(points):
        tick_x = x_of(i)
        draw.line([(tick_x, bottom), (tick_x, bottom + round(3 * px))], fill=INK, width=axis_w)
        if i % every == 0 or i == n - 1 and (n - 1) % every == 0:
            draw.text((tick_x, bottom + round(5 * px)), label, font=tick_font, fill=INK, anchor="mt")
    # y axis title, rotated.
    if unit_label:
        _vertical_text(img, unit_label, tick_font, INK, (round(6 * px), (top + bottom) / 2))

    # Reference lines, then the series on top.
    for value, colour, style, _ in lines:
        _hline(draw, left, right, y_of(value), colour, style, round(1.2 * px))
    coords = [(x_of(i), y_of(v)) for i, (_, v) in enumerate(points)]
    draw.line(coords, fill=NAVY, width=round(2 * px), joint="curve")
    r = round(3 * px)
    for cx, cy in coords:
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=NAVY)

    # Legend.
    y = round(6 * px) + legend_line_h / 2
    for row in legend_rows:
        x = left
        for label, colour, style, width in row:
            if style == "solid":
                draw.line([(x, y), (x + sample, y)], fill=colour, width=round(2 * px))
                draw.ellipse([x + sample / 2 - r, y - r, x + sample / 2 + r, y + r], fill=colour)
            else:
                _hline(draw, x, x + sample, y, colour, style, round(1.2 * px))
            draw.text((x + sample + round(4 * px), y), label, font=legend_font, fill=INK, anchor="lm")
            x += width + gap
        y += legend_line_h

    _save(img, path, _LINE_COLOURS)


_LINE_COLOURS = (NAVY, ORANGE, GREEN, INK, GRID)


# Shades of each colour a chart draws with, between white and the colour itself: the colours an
# anti-aliased edge (a line, a marker, a letter on white) is made of.
_SHADES = 16
_NEAR_WHITE = 12  # shades closer to white than this are left out


def _save(img: Image, path: Path, colours: tuple[tuple[int, int, int], ...]) -> None:
    """Scale the 2x drawing down (a box filter: a cheap, good anti-alias) and save it as a PNG of
    palette colours: a palette halves the PNG's encoding time and its size inside the .docx.

    The palette is fixed: white and ``_SHADES`` shades of every colour drawn with, which is what the
    drawing's edges are made of. Mapping to it costs a fifth of working out a palette per picture
    (Pillow's FASTOCTREE was half of a chart's whole cost), with no visible difference."""
    from PIL import Image

    final = img.reduce(_SS).quantize(palette=_palette(colours), dither=Image.Dither.NONE)
    final.save(path, format="PNG", dpi=(DPI, DPI), compress_level=1)


@functools.lru_cache(maxsize=8)
def _palette(colours: tuple[tuple[int, int, int], ...]) -> Image:
    from PIL import Image

    shades = [
        tuple(round(w + (c - w) * step / _SHADES) for w, c in zip(WHITE, colour))
        for colour in colours
        for step in range(1, _SHADES + 1)
    ]
    # Pillow maps a colour to the palette through a cache of 8-level cells: a shade that near white
    # would stand in for white itself, and the page would turn grey.
    entries = [WHITE] + [shade for shade in shades if max(w - v for w, v in zip(WHITE, shade)) >= _NEAR_WHITE]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for entry in entries for value in entry])
    return palette


def _hline(draw: ImageDraw, x0: float, x1: float, y: float, colour: tuple[int, int, int], style: str, width: int) -> None:
    if style == "dashed":
        on, off = width * 4.0, width * 2.5
    elif style == "dotted":
        on, off = width * 1.2, width * 1.6
    else:
        draw.line([(x0, y), (x1, y)], fill=colour, width=width)
        return
    x = x0
    while x < x1:
        draw.line([(x, y), (min(x + on, x1), y)], fill=colour, width=width)
        x += on + off


def _vertical_text(img: Image, text: str, font: Font, colour: tuple[int, int, int], at: tuple[float, float]) -> None:
    from PIL import Image, ImageDraw

    probe = ImageDraw.Draw(img)
    w = _text_width(probe, text, font)
    h = _text_height(probe, font) + 4
    mask = Image.new("L", (w + 4, h), 0)
    ImageDraw.Draw(mask).text((2, h / 2), text, font=font, fill=255, anchor="lm")
    mask = mask.rotate(90, expand=True)
    x = round(at[0])
    y = round(at[1] - mask.height / 2)
    img.paste(Image.new("RGB", mask.size, colour), (x, max(0, y)), mask)


def _nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi - lo < 1e-12:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / (target - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step) * step
    stop = math.ceil(hi / step) * step
    count = int(round((stop - start) / step))
    return [start + i * step for i in range(count + 1)]


def _tick_text(value: float, ticks: list[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else (1 if step % 1 else 0)
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


@functools.lru_cache(maxsize=8)
def _font(size: int) -> Font:
    from PIL import ImageFont

    for candidate in font_files():
        try:
            return ImageFont.truetype(str(candidate), size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def warm_charts() -> None:
    """A render child's set-up for drawing: Pillow, its PNG writer and the chart fonts at their sizes,
    so that its children (which draw) start with them (Pillow's first save alone costs ~40 ms)."""
    global _warm
    if _warm:
        return
    import io

    from PIL import Image, ImageDraw

    Image.preinit()
    px = DPI * _SS / 72
    img = Image.new("RGB", (64, 16), WHITE)
    draw = ImageDraw.Draw(img)
    for points in (7, 8):  # the fonts, and their first glyphs (FreeType's caches are set up on first use)
        draw.text((0, 0), "0123456789.%", font=_font(round(points * px)), fill=INK)
    for colours in (_LINE_COLOURS, _GRADE_COLOURS):
        img.reduce(_SS).quantize(palette=_palette(colours), dither=Image.Dither.NONE).save(io.BytesIO(), format="PNG", compress_level=1)
    _warm = True


_warm = False  # warm_charts has run in this process (or the one it was forked from)


def font_files() -> list[Path]:
    """DejaVu Sans: matplotlib's bundled copy (found without importing matplotlib), then the system's."""
    import importlib.util

    files: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        files.append(Path(location) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf")
    files += [
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
        Path("/Library/Fonts/Arial.ttf"),
        Path("C:/Windows/Fonts/arial.ttf"),
    ]
    return [f for f in files if f.is_file()]


def _text_width(draw: ImageDraw, text: str, font: Font) -> int:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return int(math.ceil(right - left))


def _text_height(draw: ImageDraw, font: Font) -> int:
    _, top, _, bottom = draw.textbbox((0, 0), "Ag0", font=font)
    return int(math.ceil(bottom - top))


def _short_name(s: IndicatorSummary) -> str:
    return s.name if len(s.name) <= 40 else s.name[:39] + "…"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _fmt(value: float) -> str:
    return f"{value:g}"


# -- grades over time ------------------------------------------------------------------------------

# Okabe-Ito colours (distinguishable with colour-blindness), each with its own marker so that no
# judgement is told apart by colour alone.
_SERIES = [
    ((0x00, 0x72, 0xB2), "circle"),
    ((0xD5, 0x5E, 0x00), "square"),
    ((0x00, 0x9E, 0x73), "triangle"),
    ((0xCC, 0x79, 0xA7), "diamond"),
    ((0x56, 0x56, 0x56), "circle"),
]
_GRADE_COLOURS = (*(colour for colour, _ in _SERIES), INK, GRID)
GRADE_LEVELS = ["inadequate", "requires_improvement", "good", "outstanding"]  # bottom to top


def draw_grade_chart(
    path: Path, columns: list[str], series: list[tuple[str, list[str | None]]], grade_titles: dict[str, str]
) -> None:
    """One line per judgement across the graded engagements (``columns``), grades as the y axis
    (Outstanding at the top). ``series`` is (judgement name, grade id per column or None)."""
    from PIL import Image, ImageDraw

    px = DPI * _SS / 72
    W, H = _canvas(GRADES_HEIGHT_IN)
    img = Image.new("RGB", (W, H), WHITE)
    draw = ImageDraw.Draw(img)
    tick_font = _font(round(8 * px))
    legend_font = _font(round(7 * px))
    legend_line_h = round(11 * px)
    rows_of_legend = math.ceil(len(series) / 2)
    top = round(6 * px) + legend_line_h * rows_of_legend + round(8 * px)
    labels = [grade_titles[g] for g in GRADE_LEVELS]
    label_w = max(_text_width(draw, t, tick_font) for t in labels)
    left = round(8 * px) + label_w + round(6 * px)
    right = W - round(14 * px)
    text_h = _text_height(draw, tick_font)
    bottom = H - (text_h + round(12 * px))
    inset = round(9 * px)  # room for nudged markers above the top grade and below the bottom one
    top, bottom = top + inset, bottom - inset
    step_y = (bottom - top) / (len(GRADE_LEVELS) - 1)
    step_x = (right - left) / max(1, len(columns))
    axis_w = max(1, round(0.8 * px))
    for level, text in enumerate(labels):
        y = bottom - level * step_y
        draw.line([(left, y), (right, y)], fill=GRID, width=max(1, round(0.6 * px)))
        draw.text((left - round(5 * px), y), text, font=tick_font, fill=INK, anchor="rm")
    draw.line([(left, top - inset), (left, bottom + inset)], fill=INK, width=axis_w)
    for i, label in enumerate(columns):
        draw.text((left + step_x * (i + 0.5), bottom + inset + round(5 * px)), label, font=tick_font, fill=INK, anchor="mt")
    r = round(3.2 * px)
    # Series that share a grade would hide each other: each is nudged by a few points.
    spread = min(step_y * 0.3, round(4 * px) * len(series))
    for index, (name, grades) in enumerate(series):
        colour, marker = _SERIES[index % len(_SERIES)]
        nudge = (index - (len(series) - 1) / 2) * (spread / max(1, len(series) - 1)) if len(series) > 1 else 0
        points = [
            (left + step_x * (i + 0.5), bottom - GRADE_LEVELS.index(g) * step_y + nudge)
            for i, g in enumerate(grades) if g in GRADE_LEVELS
        ]
        if len(points) > 1:
            draw.line(points, fill=colour, width=round(1.6 * px))
        for cx, cy in points:
            _marker(draw, marker, cx, cy, r, colour)
        lx = left + (index % 2) * (right - left) / 2
        ly = round(6 * px) + legend_line_h * (index // 2) + legend_line_h / 2
        draw.line([(lx, ly), (lx + round(18 * px), ly)], fill=colour, width=round(1.6 * px))
        _marker(draw, marker, lx + round(9 * px), ly, r, colour)
        draw.text((lx + round(22 * px), ly), name, font=legend_font, fill=INK, anchor="lm")
    _save(img, path, _GRADE_COLOURS)


def _marker(draw: ImageDraw, shape: str, cx: float, cy: float, r: float, colour: tuple[int, int, int]) -> None:
    if shape == "square":
        draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)
    elif shape == "triangle":
        draw.polygon([(cx, cy - r * 1.2), (cx - r * 1.1, cy + r), (cx + r * 1.1, cy + r)], fill=colour)
    elif shape == "diamond":
        draw.polygon([(cx, cy - r * 1.3), (cx + r * 1.3, cy), (cx, cy + r * 1.3), (cx - r * 1.3, cy)], fill=colour)
    else:
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)


JOURNEY_CHART = "@journey"  # the key of the grades-over-time chart among the charts (never an indicator id)


def draw_journey_chart(journey: Journey, folder: Path) -> ChartCtx | None:
    """The grades-over-time chart, drawn, when at least two engagements were graded."""
    planned = plan_journey_chart(journey, folder)
    if planned is None:
        return None
    planned.drawing.draw()
    return planned.chart


def plan_journey_chart(journey: Journey, folder: Path) -> Planned | None:
    """The grades-over-time chart, not yet drawn, when at least two engagements were graded."""
    from selfeval.render import formatting as fmt

    if len(journey.columns) < 2:
        return None
    columns = [f"{f.start.year} {'SIF' if f.era.engagement else 'ILACS'}" for f in journey.columns]
    series = [(fmt.area_short(row.area), [cell.grade for cell in row.cells]) for row in journey.rows]
    path = folder / "chart-journey-grades.png"
    drawing = Drawing(path, grades=(columns, series, {g: fmt.grade_title(g) for g in GRADE_LEVELS}))
    described = "; ".join(
        f"{name}: " + ", ".join(f"{col} {fmt.grade_title(g) if g else 'not graded'}" for col, g in zip(columns, grades))
        for name, grades in series
    )
    chart = ChartCtx(
        caption=f"Ofsted grades by judgement, {columns[0]} to {columns[-1]}",
        alt=f"Line chart of Ofsted's grades for each judgement at each inspection (Outstanding at the top, Inadequate at the bottom). {described}.",
        png=path,
        pixels=picture_size(GRADES_HEIGHT_IN),
    )
    return Planned(chart, drawing)
