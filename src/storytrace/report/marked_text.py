"""An original text as HTML with stretches of it marked: passages, changes, boilerplate.

The side-by-side view paints three kinds of stretch onto one text, and they overlap freely: a
changed sentence may begin before an aligned passage and end inside it, a removed caption may
sit in the middle of a passage. HTML elements must nest, so the stretches are split into two
layers:

- *outer* stretches (the aligned passages) become one ``<mark>`` element each, so that one
  element holds exactly one passage's text: the page can highlight it, and a test or a
  reader can compare it with the passage on the other side;
- *inner* stretches (changes, boilerplate) become ``<span>`` elements, cut where an outer
  stretch begins or ends; the pieces of one stretch share its ``data-`` attributes.

Every piece of text is escaped here, once; the result is :class:`markupsafe.Markup`, which
the templates insert as it is.

Example::

    >>> html = mark("a<b old world", [Stretch(0, 7, ("passage",), (("data-passage", "0"),))],
    ...             [Stretch(4, 10, ("removed",))])
    >>> print(str(html).replace("</mark>", "</mark>\\n"))
    <mark class="passage" data-passage="0">a&lt;b <span class="removed">old</span></mark>
    <span class="removed"> wo</span>rld
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from markupsafe import Markup


@dataclass(frozen=True)
class Stretch:
    """Characters ``start:end`` of a text, the classes to give them and ``data-`` style
    attributes (name, value)."""

    start: int
    end: int
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...] = ()


def _open(tag: str, classes: Sequence[str], attrs: Sequence[tuple[str, str]]) -> str:
    parts = [f'<{tag} class="{escape(" ".join(classes))}"']
    parts.extend(f' {escape(name)}="{escape(value)}"' for name, value in attrs)
    return "".join(parts) + ">"


def _clip(stretches: Sequence[Stretch], length: int) -> list[Stretch]:
    """Stretches inside the text and not empty, in text order."""
    kept = []
    for s in stretches:
        start, end = max(0, s.start), min(length, s.end)
        if start < end:
            kept.append(Stretch(start, end, s.classes, s.attrs))
    return sorted(kept, key=lambda s: (s.start, s.end))


def _disjoint(stretches: list[Stretch]) -> list[Stretch]:
    """Outer stretches that overlap an earlier one start where it ends (HTML must nest)."""
    out: list[Stretch] = []
    for s in stretches:
        start = max(s.start, out[-1].end) if out else s.start
        if start < s.end:
            out.append(Stretch(start, s.end, s.classes, s.attrs))
    return out


def _inner_html(text: str, start: int, end: int, inner: list[Stretch]) -> str:
    """Text ``start:end`` with the inner stretches that touch it as spans."""
    cuts = {start, end}
    for s in inner:
        if s.start < end and s.end > start:
            cuts.update(c for c in (s.start, s.end) if start < c < end)
    points = sorted(cuts)
    html: list[str] = []
    previous: tuple[int, ...] = ()
    piece: list[str] = []

    def flush() -> None:
        if not piece:
            return
        body = escape("".join(piece), quote=False)
        if previous:
            covering = [inner[i] for i in previous]
            classes = tuple(dict.fromkeys(c for s in covering for c in s.classes))
            html.append(_open("span", classes, covering[0].attrs) + body + "</span>")
        else:
            html.append(body)
        piece.clear()

    for a, b in pairwise(points):
        here = tuple(i for i, s in enumerate(inner) if s.start <= a and s.end >= b)
        if here != previous:
            flush()
            previous = here
        piece.append(text[a:b])
    flush()
    return "".join(html)


def mark(
    text: str, outer: Sequence[Stretch], inner: Sequence[Stretch], outer_tag: str = "mark"
) -> Markup:
    """``text`` as escaped HTML with ``outer`` stretches as ``<mark>`` elements and
    ``inner`` stretches as ``<span>`` elements inside and between them."""
    passages = _disjoint(_clip(outer, len(text)))
    spans = _clip(inner, len(text))
    html: list[str] = []
    at = 0
    for p in passages:
        html.append(_inner_html(text, at, p.start, spans))
        html.append(_open(outer_tag, p.classes, p.attrs))
        html.append(_inner_html(text, p.start, p.end, spans))
        html.append(f"</{outer_tag}>")
        at = p.end
    html.append(_inner_html(text, at, len(text), spans))
    return Markup("".join(html))
