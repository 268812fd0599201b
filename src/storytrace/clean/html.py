"""From an HTML page to its article: main text, title, date, url, through trafilatura.

trafilatura finds the main content of a page and reads its metadata (title, publication date,
canonical url). storytrace asks it for XML rather than plain text, because the markup carries
evidence that plain text loses: which blocks are link lists, and which headings sit above the
article (see :mod:`storytrace.clean.blocks`). The text left after that is what line-level and
corpus-level boilerplate removal then work on, with offsets kept from that text on.

One class of page defeats any extractor: a page cut or broken in its head, where an unclosed
``<title>``, ``<script>``, ``<style>`` or comment swallows the rest of the page, or where the
page starts inside a tag. 10 of the 621 L3S-GN1 pages are like that, and trafilatura finds
nothing in them. When it finds nothing, the page is read again with those unclosed openers
taken out and from its first ``<body>``, ``<div>``, ``<table>`` or ``<p>`` on. A page that
extracts at all is never touched by this, so it can only add articles.

Example::

    >>> page = extract_page(
    ...     "<html><head><title>Talks resume</title></head><body><article>"
    ...     "<p>The minister said on Monday that the talks would resume next week in Geneva.</p>"
    ...     "</article></body></html>",
    ...     url="https://www.example.com/talks",
    ... )
    >>> page.text
    'The minister said on Monday that the talks would resume next week in Geneva.'
    >>> page.title, page.url
    ('Talks resume', 'https://www.example.com/talks')
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Final

import trafilatura
from trafilatura.utils import decode_file

from storytrace.clean.blocks import body_blocks, read_blocks, render

__all__ = ["Page", "extract_page"]

# trafilatura logs a warning for every page it finds nothing in; storytrace reports those
# pages in rejects, with the reason, so the log lines would only repeat them as noise.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_UNCLOSED: Final = (
    (re.compile(r"<title\b[^>]*>", re.IGNORECASE), re.compile(r"</title", re.IGNORECASE)),
    (re.compile(r"<script\b[^>]*>", re.IGNORECASE), re.compile(r"</script", re.IGNORECASE)),
    (re.compile(r"<style\b[^>]*>", re.IGNORECASE), re.compile(r"</style", re.IGNORECASE)),
    (re.compile(r"<textarea\b[^>]*>", re.IGNORECASE), re.compile(r"</textarea", re.IGNORECASE)),
    (re.compile(r"<!--"), re.compile(r"-->")),
)
"""Openers whose content runs to their closer: left open, they swallow the page."""
_FIRST_BLOCK: Final = re.compile(r"<(?:body|div|table|p)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """What a page yields. ``text`` is empty when no article text was found."""

    text: str
    title: str | None = None
    published: str | None = None
    """The publication date as the page states it (ISO ``YYYY-MM-DD``), or None."""
    url: str | None = None
    """The url given with the page, else the page's own canonical url."""


def _unclosed_removed(html: str) -> str:
    """``html`` without the raw-text openers that are never closed."""
    cuts: list[tuple[int, int]] = []
    for opener, closer in _UNCLOSED:
        position = 0
        while (found := opener.search(html, position)) is not None:
            close = closer.search(html, found.end())
            if close is None:
                cuts.append((found.start(), found.end()))
                break
            position = close.end()
    for start, end in sorted(cuts, reverse=True):
        html = html[:start] + html[end:]
    return html


def repaired(html: str) -> str:
    """A broken page made readable: unclosed openers removed, the damaged head cut off."""
    html = _unclosed_removed(html)
    first = _FIRST_BLOCK.search(html)
    return html[first.start() :] if first else html


def _extract_xml(html: str, url: str | None) -> str | None:
    xml: str | None = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_comments=False,
        include_links=True,
        with_metadata=True,
    )
    return xml


def extract_page(html: str | bytes, url: str | None = None) -> Page:
    """The article of one page. ``url``, when known, helps trafilatura and is kept as is.

    Bytes are decoded as trafilatura decodes them (the page's declared charset, else a
    guess). A page without article text gives a :class:`Page` with empty text; the caller
    rejects it with the reason.
    """
    source = decode_file(html) if isinstance(html, bytes) else html
    xml = _extract_xml(source, url)
    blocks, meta = read_blocks(xml) if xml else ([], {})
    if not blocks:
        xml = _extract_xml(repaired(source), url)
        blocks, meta = read_blocks(xml) if xml else ([], {})
    title = meta.get("title") or None
    return Page(
        text=render(body_blocks(blocks, title)),
        title=title,
        published=meta.get("date") or None,
        url=url or meta.get("url") or None,
    )
