"""Charts drawn server-side as inline SVG: the HTML report needs no script or network to show them.

Two shapes cover every chart: horizontal bars (one value per label) and horizontal stacked
bars (one value per level per label). Text is escaped; sizes are computed, not guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

LEVEL_COLOURS = {"ready": "#2e7d32", "ready-with-warnings": "#f9a825", "blocked": "#c62828"}
SEVERITY_COLOURS = {"Critical": "#c62828", "Warning": "#f9a825", "Information": "#1565c0"}
_ROW, _LABEL_W, _BAR_W, _PAD = 22, 250, 380, 6


def _label(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(title: str, rows: Sequence[tuple[str, int, str]], chart_id: str) -> Markup:
    """One bar per (label, value, colour)."""
    height = _ROW * max(len(rows), 1) + 30
    top = max((v for _, v, _ in rows), default=0) or 1
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="100%" viewBox="0 0 {_LABEL_W + _BAR_W + 80} {height}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        parts.append('<text x="10" y="20" class="empty">nothing to show</text>')
    for i, (label, value, colour) in enumerate(rows):
        y = 10 + i * _ROW
        w = max(1, round(_BAR_W * value / top)) if value else 0
        parts.append(
            f'<text x="{_LABEL_W - _PAD}" y="{y + 14}" text-anchor="end">{escape(_label(label))}</text>'
            f'<rect x="{_LABEL_W}" y="{y + 2}" width="{w}" height="{_ROW - 6}" fill="{colour}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{_LABEL_W + w + _PAD}" y="{y + 14}">{value:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked(title: str, rows: Sequence[tuple[str, dict[str, int]]], colours: dict[str, str], chart_id: str) -> Markup:
    """One bar per label, split into segments in the order of ``colours``."""
    height = _ROW * max(len(rows), 1) + 40
    top = max((sum(v.values()) for _, v in rows), default=0) or 1
    width = _LABEL_W + _BAR_W + 80
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="100%" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, values) in enumerate(rows):
        y = 10 + i * _ROW
        x = float(_LABEL_W)
        parts.append(f'<text x="{_LABEL_W - _PAD}" y="{y + 14}" text-anchor="end">{escape(_label(label))}</text>')
        for key, colour in colours.items():
            n = values.get(key, 0)
            if not n:
                continue
            w = _BAR_W * n / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="{_ROW - 6}" fill="{colour}">'
                f"<title>{escape(label)} — {escape(key)}: {n}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + _PAD:.1f}" y="{y + 14}">{sum(values.values()):,}</text>')
    legend_y = 10 + len(rows) * _ROW + 14
    lx = _LABEL_W
    for key, colour in colours.items():
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="{legend_y}">{escape(key)}</text>'
        )
        lx += 30 + 8 * len(key)
    parts.append("</svg>")
    return Markup("".join(parts))
