"""One small chart per key indicator, drawn as a PNG with alt text that states the same numbers.

matplotlib is imported only when there is something to draw, on the Agg backend, and one figure
is reused for every chart because creating figures dominates the cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfeval.render.context_models import ChartCtx


def draw_charts(summaries: list[Any], folder: Path) -> dict[str, ChartCtx]:
    wanted = [s for s in summaries if s.key and not s.suppressed and sum(v is not None for _, v in s.series) >= 2]
    if not wanted:
        return {}
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 2.4), dpi=110)
    charts: dict[str, ChartCtx] = {}
    try:
        for index, s in enumerate(wanted):
            ax.clear()
            points = [(p, v) for p, v in s.series if v is not None]
            labels = [p for p, _ in points]
            values = [v for _, v in points]
            ax.plot(range(len(values)), values, marker="o", color="#1F3A5F", linewidth=2, label=_short_name(s))
            england = next((c for c in s.comparisons if c.against == "england"), None)
            if england is not None:
                ax.axhline(england.value, color="#C55A11", linestyle="--", linewidth=1.2, label=f"England {england.value_text}")
            if s.target is not None:
                ax.axhline(s.target, color="#548235", linestyle=":", linewidth=1.2, label=f"Target {s.target_text}")
            ax.set_xticks(range(len(labels)), labels, fontsize=8)
            ax.tick_params(axis="y", labelsize=8)
            ax.set_ylabel(s.unit_label, fontsize=8)
            ax.spines[["top", "right"]].set_visible(False)
            ax.legend(fontsize=7, frameon=False, loc="best")
            fig.tight_layout()
            path = folder / f"chart-{index:03d}-{_safe(s.id)}.png"
            fig.savefig(path)
            series_text = ", ".join(f"{p} {_fmt(v)}" for p, v in points)
            alt = f"Line chart of {s.name} ({s.unit_label}): {series_text}."
            if england is not None:
                alt += f" England: {england.value_text}."
            if s.target is not None:
                alt += f" Target: {s.target_text}."
            charts[s.id] = ChartCtx(caption=f"{s.name}: {s.sentence}", alt=alt, png=path)
    finally:
        plt.close(fig)
    return charts


def _short_name(s: Any) -> str:
    return s.name if len(s.name) <= 40 else s.name[:39] + "…"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _fmt(value: float) -> str:
    return f"{value:g}"
