"""The pieces drawn on the server: marked texts, the timeline and the histogram."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from storytrace.report.histogram_svg import histogram
from storytrace.report.marked_text import Stretch, mark
from storytrace.report.timeline_svg import timeline


class _Marks(HTMLParser):
    """The text of the page, the text inside each <mark>, and whether tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.marks: dict[str, str] = {}
        self.open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append((tag, dict(attrs).get("data-passage")))
        if tag == "mark":
            self.marks[dict(attrs)["data-passage"] or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1][0] == tag, "tags must nest"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for tag, passage in self.open:
            if tag == "mark" and passage is not None:
                self.marks[passage] += data


ALPHABET = st.sampled_from(list("ab <>&\"'\n"))


@st.composite
def marked(draw: st.DrawFn) -> tuple[str, list[Stretch], list[Stretch]]:
    text = draw(st.text(ALPHABET, max_size=60))
    n = len(text)
    points = st.integers(min_value=-2, max_value=n + 2)
    # passages are disjoint, as the aligner makes them; changes overlap anything
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=6, unique=True)))
    outer = [
        Stretch(a, b, ("passage",), (("data-passage", str(i)),))
        for i, (a, b) in enumerate(zip(cuts[::2], cuts[1::2], strict=False))
    ]
    inner = [
        Stretch(a, b, (f"change-{i}",), (("data-change", str(i)),))
        for i, (a, b) in enumerate(draw(st.lists(st.tuples(points, points), max_size=5)))
    ]
    return text, outer, inner


@given(marked())
def test_marking_keeps_the_text_and_each_passage_whole(
    case: tuple[str, list[Stretch], list[Stretch]],
) -> None:
    text, outer, inner = case
    html = str(mark(text, outer, inner))
    parser = _Marks()
    parser.feed(html)
    parser.close()
    assert "".join(parser.text) == text
    assert parser.open == []
    for stretch in outer:
        if stretch.end > stretch.start:
            assert parser.marks[stretch.attrs[0][1]] == text[stretch.start : stretch.end]


def test_marked_text_is_inert() -> None:
    text = '<script>alert(1)</script> and "><img src=x onerror=alert(1)>'
    html = str(mark(text, [Stretch(0, 25, ("passage",))], [Stretch(30, 61, ("change",))]))
    assert "<script" not in html and "<img" not in html
    assert unescape(re.sub(r"<[^>]+>", "", html)) == text


def test_timeline_places_articles_by_publication_time() -> None:
    members = [
        {"order": 0, "doc_id": "a", "role": "origin", "published": "2020-01-01T00:00:00+00:00"},
        {"order": 1, "doc_id": "b", "role": "version", "published": "2020-01-01T06:00:00+00:00"},
        {"order": 2, "doc_id": "c<", "role": "duplicate", "published": None},
        {"order": 3, "doc_id": "d", "role": "excerpt", "published": "2020-01-02T00:00:00+00:00"},
    ]
    svg = str(timeline(members))
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs[0] < xs[1] < xs[3]
    assert xs[1] - xs[0] == (xs[3] - xs[0]) / 4  # six of twenty-four hours
    assert xs[2] == xs[1]  # undated: where the article before it is
    assert re.findall(r'class="event role-(\w+)"', svg) == [
        "origin",
        "version",
        "duplicate",
        "excerpt",
    ]
    assert 'fill="#fff"' in svg  # the undated one is hollow
    assert "2020-01-01 00:00" in svg and "2020-01-02 00:00" in svg
    assert 'data-doc="c&lt;"' in svg


def test_histogram_stacks_relations_per_bin() -> None:
    rows = [
        {"bin": 1, "relation": "version", "n": 4},
        {"bin": 1, "relation": "partial", "n": 2},
        {"bin": 19, "relation": "duplicate", "n": 12},
    ]
    svg = str(histogram(rows, 20, "Shingle Jaccard"))
    heights = {
        relation: float(h)
        for relation, h in re.findall(r'class="bar relation-(\w+)"[^>]*height="([\d.]+)"', svg)
    }
    assert heights["duplicate"] == 2 * (heights["version"] + heights["partial"])
    assert heights["version"] == 2 * heights["partial"]
    assert "4 version pairs with shingle jaccard 0.05–0.10" in svg
