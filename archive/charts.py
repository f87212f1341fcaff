"""Inline SVG charts and Vietnamese number formats for the report.

Drawn here as plain SVG strings so the report is one self-contained file: no JavaScript, no external images or
fonts. Every text that reaches the SVG goes through ``escape``.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from markupsafe import Markup, escape

VERDICT_COLORS = {"dat": "#2e7d32", "can_bo_sung": "#f2a900", "danh_trong_ghi_ten": "#c62828"}
GRID = "#d9dde3"
INK = "#3c4043"


# ---------------------------------------------------------------- Vietnamese number formats

def fmt_int(n) -> str:
    """12345 -> '12.345' (dot groups thousands in Vietnamese)."""
    return f"{int(n):,}".replace(",", ".")


def fmt_dec(x, digits: int = 2) -> str:
    """0.4213 -> '0,42'; missing -> '–'."""
    if pd.isna(x):
        return "–"
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_pct(x, digits: int = 1) -> str:
    """0.125 -> '12,5%'; missing -> '–'."""
    if pd.isna(x):
        return "–"
    return fmt_dec(100 * x, digits) + "%"


# ---------------------------------------------------------------- charts

def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    return Markup(f'<svg width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
                  + "".join(body) + "</svg>")


def share_bar(counts: dict[str, int], labels: dict[str, str], width: int = 360, height: int = 22) -> Markup:
    """A 100% bar of verdict counts; the percentage is printed in each segment wide enough for it."""
    total = sum(counts.values())
    body = [f'<rect width="{width}" height="{height}" rx="3" fill="#eceff1"/>']
    x = 0.0
    for key, n in counts.items():
        if not total or not n:
            continue
        w = width * n / total
        tip = f"{labels[key]}: {fmt_int(n)} văn bản ({fmt_pct(n / total)})"
        body.append(f'<rect x="{x:.1f}" width="{w:.1f}" height="{height}" fill="{VERDICT_COLORS[key]}">'
                    f"<title>{escape(tip)}</title></rect>")
        if w >= 44:
            color = "#1d1d1d" if key == "can_bo_sung" else "#ffffff"
            body.append(f'<text x="{x + w / 2:.1f}" y="{height / 2 + 4:.1f}" text-anchor="middle" '
                        f'font-size="12" fill="{color}">{escape(fmt_pct(n / total, 0))}</text>')
        x += w
    return _svg(width, height, body, "Tỷ lệ kết luận")


def _month_tick(month: int) -> str:
    return f"{month % 100:02d}/{month // 100 % 100:02d}"


def monthly_bars(months: Sequence[int], counts: dict[str, Sequence[int]], labels: dict[str, str],
                 width: int = 900, height: int = 220, axis: bool = True) -> Markup:
    """Stacked columns of documents per month by verdict; ``months`` are contiguous yyyymm integers.

    ``axis=False`` draws the small version used in each agency's section (no y labels, fewer x labels).
    """
    n = len(months)
    left, bottom, top = (40 if axis else 16), 20, 8
    plot_w, plot_h = width - left - 16, height - bottom - top  # right margin: room for the last tick
    totals = [sum(counts[k][i] for k in counts) for i in range(n)]
    peak = max(totals, default=0) or 1
    step = _nice_step(peak)
    ymax = step * -(-peak // step)
    body = []
    if axis:
        for value in range(0, ymax + 1, step):
            y = top + plot_h - plot_h * value / ymax
            body.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                        f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">'
                        f"{fmt_int(value)}</text>")
    else:
        body.append(f'<line x1="{left}" x2="{width - 4}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{GRID}"/>')
    slot = plot_w / max(n, 1)
    bar = max(slot * 0.72, 1.0)
    every = max(1, -(-n * (44 if axis else 52) // plot_w))  # label spacing so tick texts never overlap
    for i, month in enumerate(months):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        parts = ", ".join(f"{labels[k]} {fmt_int(counts[k][i])}" for k in counts)
        tip = f"Tháng {month % 100:02d}/{month // 100}: {fmt_int(totals[i])} văn bản ({parts})"
        body.append(f"<g><title>{escape(tip)}</title>")
        for key in counts:
            h = plot_h * counts[key][i] / ymax
            if h > 0:
                y -= h
                body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                            f'fill="{VERDICT_COLORS[key]}"/>')
        body.append("</g>")
        if i % every == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{height - 5}" text-anchor="middle" font-size="10.5" '
                        f'fill="{INK}">{_month_tick(month)}</text>')
    return _svg(width, height, body, "Số văn bản theo tháng")


def histogram(counts: Sequence[int], title: str, color: str = "#455a64", width: int = 340,
              height: int = 140) -> Markup:
    """Documents per score band 0–0,1 … 0,9–1 (equal bands), with the band edges under the axis and the
    tallest column's count on a grid line."""
    left, bottom, top = 6, 18, 16
    plot_w, plot_h = width - 2 * left, height - bottom - top
    peak = max(counts, default=0) or 1
    slot = plot_w / max(len(counts), 1)
    body = [f'<line x1="{left}" x2="{width - left}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{GRID}"/>',
            f'<line x1="{left}" x2="{width - left}" y1="{top}" y2="{top}" stroke="{GRID}" stroke-dasharray="3 3"/>',
            f'<text x="{left}" y="{top - 4}" font-size="10.5" fill="{INK}">{fmt_int(max(counts, default=0))} '
            f"văn bản</text>"]
    for i, n in enumerate(counts):
        h = plot_h * n / peak
        lo, hi = i / len(counts), (i + 1) / len(counts)
        tip = f"{title} {fmt_dec(lo, 1)}–{fmt_dec(hi, 1)}: {fmt_int(n)} văn bản"
        body.append(f'<rect x="{left + i * slot + 1:.1f}" y="{top + plot_h - h:.1f}" width="{slot - 2:.1f}" '
                    f'height="{h:.1f}" fill="{color}"><title>{escape(tip)}</title></rect>')
    for value, anchor in ((0, "start"), (0.5, "middle"), (1, "end")):
        body.append(f'<text x="{left + plot_w * value:.1f}" y="{height - 4}" text-anchor="{anchor}" '
                    f'font-size="10.5" fill="{INK}">{fmt_dec(value, 1)}</text>')
    return _svg(width, height, body, title)


def score_meter(value: float, width: int = 90, height: int = 10, color: str = "#455a64") -> Markup:
    """A thin 0–1 gauge next to a mean score."""
    body = [f'<rect width="{width}" height="{height}" rx="2" fill="#eceff1"/>']
    if not pd.isna(value):
        body.append(f'<rect width="{width * min(max(value, 0), 1):.1f}" height="{height}" rx="2" fill="{color}"/>')
    return _svg(width, height, body, fmt_dec(value))


def _nice_step(peak: int) -> int:
    """A round grid step giving 3–6 lines up to ``peak``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if peak / step <= 5:
            return step
    magnitude = 10 ** (len(str(peak)) - 2)
    return max(1, -(-peak // (5 * magnitude)) * magnitude)
