"""The timeline of a story as inline SVG: one row per article, placed by publication time.

Drawn on the server so that the report needs no script to show it and the figure is the same
bytes every time. Each article gets its own row (in story order), so labels never collide
however close the times are; the dot's horizontal place is its publication time. Articles
without a time (scraped pages often have none) are drawn hollow: where no article of the
story has a time, all are spaced evenly in story order, and the axis says so.

Example::

    >>> svg = timeline([{"order": 0, "doc_id": "a", "role": "origin", "published": None},
    ...                 {"order": 1, "doc_id": "b", "role": "version", "published": None}])
    >>> svg.count('class="event role-'), "placed by their order" in svg
    (2, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from markupsafe import Markup

ROLE_COLOURS = {
    "origin": "#1f4e99",
    "duplicate": "#7a7a7a",
    "version": "#d9730d",
    "excerpt": "#7b3fa0",
}
_WIDTH = 880
_AXIS_LEFT, _AXIS_RIGHT = 24, 420
_LABEL_X = 440
_TOP = 44
_ROW = 26
_LABEL_CHARS = 52


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format(moment: datetime, span_seconds: float) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" if span_seconds < 3 * 86400 else "%Y-%m-%d")


def _positions(times: Sequence[datetime | None]) -> tuple[list[float], str, list[str]]:
    """x of every article, the axis caption and the two end labels of the axis."""
    dated = [t for t in times if t is not None]
    n = len(times)
    if len(dated) == 0:
        step = (_AXIS_RIGHT - _AXIS_LEFT) / max(n - 1, 1)
        even = [_AXIS_LEFT + i * step for i in range(n)]
        return even, "no publication times: articles placed by their order in the story", []
    first, last = min(dated), max(dated)
    span = (last - first).total_seconds()

    def x_of(t: datetime) -> float:
        if span == 0:
            return float(_AXIS_LEFT)
        return _AXIS_LEFT + (t - first).total_seconds() / span * (_AXIS_RIGHT - _AXIS_LEFT)

    xs: list[float] = []
    for t in times:  # an undated article sits where the dated one before it does
        xs.append(x_of(t) if t is not None else (xs[-1] if xs else float(_AXIS_LEFT)))
    caption = "publication time" + (
        "" if len(dated) == n else "; hollow: no time, placed after the article before it"
    )
    return xs, caption, [_format(first, span), _format(last, span)]


def timeline(members: Sequence[dict[str, Any]], anchor: str = "member-") -> Markup:
    """An SVG figure of a story's articles (stories rows with ``order``, ``doc_id``,
    ``role``, ``published`` as ISO text); each dot links to ``#{anchor}{order}``."""
    times = [_when(m.get("published")) for m in members]
    xs, caption, ends = _positions(times)
    height = _TOP + _ROW * len(members) + 8
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" '
        f'height="{height}" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-label="timeline of {len(members)} articles">',
        f'<text class="caption" x="{_AXIS_LEFT}" y="14" font-size="12" fill="#555">'
        f"{escape(caption)}</text>",
        f'<line class="axis" x1="{_AXIS_LEFT}" y1="30" x2="{_AXIS_RIGHT}" y2="30" '
        'stroke="#999" stroke-width="1"/>',
    ]
    if ends:
        out.append(
            f'<text x="{_AXIS_LEFT}" y="26" font-size="11" fill="#555">{escape(ends[0])}</text>'
        )
        out.append(
            f'<text x="{_AXIS_RIGHT}" y="26" font-size="11" fill="#555" text-anchor="end">'
            f"{escape(ends[1])}</text>"
        )
    for row, (member, x, when) in enumerate(zip(members, xs, times, strict=True)):
        out.append(_event(member, x, when, _TOP + _ROW * row, anchor))
    out.append("</svg>")
    return Markup("".join(out))


def _event(member: dict[str, Any], x: float, when: datetime | None, y: int, anchor: str) -> str:
    """One article: a dot at its time, a faint guide to its label, the label, a tooltip."""
    role = str(member.get("role") or "")
    colour = ROLE_COLOURS.get(role, "#333")
    doc_id = str(member["doc_id"])
    stamp = when.strftime("%Y-%m-%d %H:%M UTC") if when else "no publication time"
    label = f"{member['order']}. {role} · {_short(doc_id, _LABEL_CHARS)}"
    tip = f"{doc_id}: {role}, {stamp}"
    fill = colour if when else "#fff"
    return (
        f'<g class="event role-{escape(role)}" data-doc="{escape(doc_id)}" '
        f'data-order="{int(member["order"])}">'
        f"<title>{escape(tip)}</title>"
        f'<a href="#{escape(anchor)}{int(member["order"])}">'
        f'<line x1="{x:.1f}" y1="{y}" x2="{_LABEL_X - 6}" y2="{y}" stroke="#ddd" '
        'stroke-dasharray="2 3"/>'
        f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{fill}" stroke="{colour}" '
        'stroke-width="2"/>'
        f'<text x="{_LABEL_X}" y="{y + 4}" font-size="13" fill="{colour}">{escape(label)}'
        "</text></a></g>"
    )
