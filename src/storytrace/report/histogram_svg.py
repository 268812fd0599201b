"""A histogram of pair similarity as inline SVG, bars stacked by relation.

The overview shows two of them side by side on purpose: shingle Jaccard (what MinHash
estimates) and aligned coverage (what storytrace decides on). Versions sit far left on the
first and far right on the second; that gap is why storytrace aligns passages. Drawn on the
server so that the report needs no script and the figure is the same bytes every time.

Example::

    >>> svg = histogram([{"bin": 19, "relation": "duplicate", "n": 3}], bins=20, title="J")
    >>> 'class="bar relation-duplicate"' in svg, "3 duplicate pairs" in svg
    (True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from storytrace.schema import RELATIONS

RELATION_COLOURS = {
    "duplicate": "#7a7a7a",
    "near_duplicate": "#1f4e99",
    "version": "#d9730d",
    "excerpt": "#7b3fa0",
    "partial": "#3a8f5c",
}
_WIDTH, _HEIGHT = 420, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 10, 28, 36


def histogram(counts: Sequence[dict[str, Any]], bins: int, title: str) -> Markup:
    """Stacked bars from rows of ``bin`` (0..bins-1), ``relation`` and ``n``."""
    per_bin: dict[int, dict[str, int]] = {b: {} for b in range(bins)}
    for row in counts:
        per_bin[int(row["bin"])][str(row["relation"])] = int(row["n"])
    tallest = max((sum(v.values()) for v in per_bin.values()), default=0) or 1
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    bar_w = plot_w / bins
    base = _TOP + plot_h
    out = [
        f'<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" '
        f'height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="{_LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{_LEFT}" y1="{base}" x2="{_WIDTH - _RIGHT}" y2="{base}" stroke="#999"/>',
        f'<text x="{_LEFT - 4}" y="{_TOP + 4}" font-size="11" text-anchor="end">{tallest}</text>',
        f'<text x="{_LEFT - 4}" y="{base}" font-size="11" text-anchor="end">0</text>',
    ]
    for b in range(bins):
        y = float(base)
        low, high = b / bins, (b + 1) / bins
        for relation in RELATIONS:
            n = per_bin[b].get(relation, 0)
            if not n:
                continue
            h = n / tallest * plot_h
            y -= h
            tip = f"{n} {relation} pairs with {title.lower()} {low:.2f}–{high:.2f}"
            out.append(
                f'<rect class="bar relation-{relation}" x="{_LEFT + b * bar_w + 1:.1f}" '
                f'y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{RELATION_COLOURS[relation]}"><title>{escape(tip)}</title></rect>'
            )
    for tick in (0.0, 0.5, 1.0):
        x = _LEFT + tick * plot_w
        out.append(
            f'<text x="{x:.1f}" y="{base + 14}" font-size="11" text-anchor="middle">'
            f"{tick:.1f}</text>"
        )
    x = float(_LEFT)
    for relation in RELATIONS:  # legend
        out.append(
            f'<rect x="{x:.1f}" y="{_HEIGHT - 12}" width="10" height="10" '
            f'fill="{RELATION_COLOURS[relation]}"/>'
            f'<text x="{x + 13:.1f}" y="{_HEIGHT - 3}" font-size="10">{relation}</text>'
        )
        x += 13 + 6.2 * len(relation) + 10
    out.append("</svg>")
    return Markup("".join(out))
