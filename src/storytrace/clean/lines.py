"""Line-level boilerplate removal for plain and scraped text, keeping offsets.

The cleaner works on lines because scraped pages arrive as one block of text per line (or per
paragraph); newswire keeps its wrapped lines. A line goes when it is

* page interface or a call to action (see :mod:`storytrace.clean.rules`), when the line
  starts a block: after a blank line, after a finished sentence, or below another short
  label. A wrapped line that continues a sentence ("...sale of its Hygeia Sciences Inc" /
  "shares") is never judged on its own;
* a repeated line: a photo caption scraped twice (the image's alt text and its caption) stands
  twice in a row, and both copies go. Captions are long; a short line said twice stays;
* a site banner: when a byline ("By William Ide ...") stands under the headline, the
  stand-alone short lines above the headline are site furniture (section names, banners).
  Without a byline nothing tells a banner from a headline and a deck, and all stay;
* a sign-off: one or two words without a sentence end, last in the text, after a finished
  sentence ("Reuter", a desk name);
* a trailer: the few lines after the credit line that closes a news story ("VOA's Nike
  Ching contributed to this report."): an author card, the publisher's blurb, a sign-up
  box. The credit line itself stays; it tells who wrote what;
* a recurring line: a line standing alone that :mod:`storytrace.clean.recurring` found in many
  documents of the same site (or of the whole corpus). The caller passes those lines, keyed
  by :func:`line_key`, with their reasons.

The clean text keeps line breaks (a blank line between paragraphs) and comes with a map from
its offsets back to the original text, so that every passage found later points into the
article exactly as published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from storytrace.clean import rules
from storytrace.clean.offsets import Segment


@dataclass(frozen=True)
class RemovedSpan:
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class CleanText:
    """Clean text, the map back to the original, and what was removed and why."""

    text: str
    segments: tuple[Segment, ...]
    removed: tuple[RemovedSpan, ...]


@dataclass
class _Line:
    start: int  # offsets of the stripped content in the original text
    end: int
    content: str
    blank_before: bool  # a blank line (or the start of the text) precedes it
    blank_after: bool = True
    reason: str | None = None

    @property
    def standalone(self) -> bool:
        return self.blank_before and self.blank_after


def _split(text: str) -> list[_Line]:
    # str.splitlines knows every line break ("\r"-only and U+2028 texts split too).
    lines: list[_Line] = []
    blank = True
    offset = 0
    for raw in text.splitlines(keepends=True):
        start, offset = offset, offset + len(raw)
        content = raw.strip()
        if not content:
            blank = True
            if lines:
                lines[-1].blank_after = True
            continue
        start += len(raw) - len(raw.lstrip())
        if lines:
            lines[-1].blank_after = blank
        lines.append(_Line(start, start + len(content), content, blank_before=blank))
        blank = False
    return lines


def _starts_block(lines: list[_Line], i: int) -> bool:
    """Line ``i`` begins something of its own rather than continuing a wrapped sentence."""
    if i == 0 or lines[i].blank_before:
        return True
    previous = lines[i - 1].content
    return rules.ends_sentence(previous) or rules.is_short_label(previous)


def _ends_block(lines: list[_Line], i: int, wrap_width: int) -> bool:
    """Line ``i`` is complete: nothing continues it on the next line.

    A short line followed by a capitalised one is complete; a line near the text's longest
    line is a wrapped line of a paragraph (newswire wraps at about 70 characters), and what
    follows may well continue it.
    """
    if i == len(lines) - 1 or lines[i].blank_after:
        return True
    following = lines[i + 1].content
    short = len(lines[i].content) < _SHORT_LINE_SHARE * wrap_width
    return short and not following[:1].islower()


# A line under 60% of the text's longest line is not a full wrapped line. Reuters-21578 wraps
# at 60-70 characters; its wrapped lines that mention "subscribe" or "newsletter" run 48-65.
_SHORT_LINE_SHARE = 0.6


def _wrap_width(lines: list[_Line]) -> int:
    return max((len(line.content) for line in lines), default=0)


def _mark_line_rules(lines: list[_Line]) -> None:
    wrap_width = _wrap_width(lines)
    for i, line in enumerate(lines):
        if not _starts_block(lines, i):
            continue
        line.reason = rules.interface_reason(line.content)
        if line.reason is None and _ends_block(lines, i, wrap_width):
            line.reason = rules.call_to_action_reason(line.content) or rules.page_metadata_reason(
                line.content
            )


def line_key(content: str) -> int:
    """A line's identity across documents: a 64-bit hash of its words, case and spacing folded.

    A stable hash (not Python's ``hash``, which changes between processes) so that every
    worker and every run computes the same key for the same line. Digits are kept: the lines
    of two formula stories differ in their figures, and are not one recurring line.

    >>> line_key("Share  this article") == line_key("SHARE this Article")
    True
    """
    folded = " ".join(content.casefold().split())
    digest = hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


FRAME_BLOCK_LINES = 6
"""Most lines in a block at the top or bottom of a text that is read as a site's frame
(a masthead, a menu, a copyright notice stacked line on line). Frames stack two to five
lines; a wire item's one block of wrapped lines runs longer, and a text of a single block
has no frame to tell apart."""


def _countable(lines: list[_Line]) -> list[bool]:
    """Which lines may be a recurring template line: those that stand alone between blank
    lines, and every line of a short first or last block of a text of several blocks."""
    countable = [line.standalone for line in lines]
    starts = [i for i, line in enumerate(lines) if line.blank_before]
    if len(starts) >= 2:
        edges = [(0, starts[1]), (starts[-1], len(lines))]
        for first, end in edges:
            if end - first <= FRAME_BLOCK_LINES:
                countable[first:end] = [True] * (end - first)
    return countable


def block_lines(text: str) -> list[tuple[str, bool]]:
    """The lines of ``text`` that can be template lines, each with whether it is at an edge
    of the text (among its first or last ``FRAME_BLOCK_LINES`` lines), where a site puts
    its frame. Candidates are lines that stand alone, between blank lines (or the text's
    ends), and the lines of a short block at the text's top or bottom.

    Pages, extracted or scraped, put each block on a line of its own, and a site's frame
    stacks its masthead and notices at the edges. Newswire wraps its paragraphs without
    blank lines, and its wrapped lines ("U.S. Trade Representative Clayton", "the company
    said.") recur in hundreds of items as pieces of different sentences, never as lines of
    their own; nor are the rows of a formula story's table ("Record March 31") a template to
    remove.
    """
    lines = _split(text)
    last = len(lines) - FRAME_BLOCK_LINES
    return [
        (line.content, i < FRAME_BLOCK_LINES or i >= last)
        for i, (line, ok) in enumerate(zip(lines, _countable(lines), strict=True))
        if ok
    ]


def _mark_recurring(lines: list[_Line], recurring: Mapping[int, str]) -> None:
    for line, countable in zip(lines, _countable(lines), strict=True):
        if line.reason is None and countable:
            line.reason = recurring.get(line_key(line.content))


# Photo captions name who is pictured, where and when: in the seeds they run 20-30 words. A
# line of fewer than 8 words said twice ("Down with the government now") is more likely text.
_CAPTION_MIN_WORDS = 8


def _mark_repeats(lines: list[_Line]) -> None:
    """Consecutive identical lines (ignoring case and spacing) are a caption scraped twice."""
    keys = [" ".join(line.content.lower().split()) for line in lines]
    for i in range(1, len(lines)):
        if keys[i] == keys[i - 1] and len(rules.words(lines[i].content)) >= _CAPTION_MIN_WORDS:
            for line in (lines[i - 1], lines[i]):
                line.reason = line.reason or "repeated line (caption)"


def _mark_banners(kept: list[_Line]) -> None:
    """Stand-alone headings above the headline that a byline sits under are banners."""
    header: list[_Line] = []
    for line in kept:
        if not (line.standalone and rules.is_heading_like(line.content)):
            break
        header.append(line)
    bylines = [i for i, line in enumerate(header) if rules.is_byline(line.content)]
    if not bylines or bylines[0] < 1 or len(header) == len(kept):
        return
    headline = bylines[0] - 1
    for line in header[:headline]:
        line.reason = "site banner"


# A story's trailer (author card, publisher blurb, sign-up lines) is short; more than this
# after a credit line is more article (a credit in mid-text, a second story), and stays. On
# both labelled HTML sets the rule fires on 3 pages and changes F1 by less than 0.0001.
_TRAILER_MAX_LINES = 6
_TRAILER_MAX_WORDS = 120


def _mark_trailer(kept: list[_Line]) -> None:
    credits = [i for i, line in enumerate(kept) if rules.is_credit(line.content)]
    if not credits:
        return
    tail = kept[credits[-1] + 1 :]
    words = sum(len(rules.words(line.content)) for line in tail)
    if 0 < len(tail) <= _TRAILER_MAX_LINES and words <= _TRAILER_MAX_WORDS:
        for line in tail:
            line.reason = "after the credit line"


def _mark_signoff(kept: list[_Line]) -> None:
    if len(kept) < 2 or not rules.is_signoff(kept[-1].content):
        return
    if kept[-1].blank_before or rules.ends_sentence(kept[-2].content):
        kept[-1].reason = "sign-off"


def clean_lines(text: str, recurring: Mapping[int, str] | None = None) -> CleanText:
    """Remove boilerplate lines from ``text``; see the module docstring for the rules.

    ``recurring`` maps the :func:`line_key` of template lines found across the corpus to the
    reason recorded when they are removed.
    """
    lines = _split(text)
    _mark_line_rules(lines)
    if recurring:
        _mark_recurring(lines, recurring)
    _mark_repeats(lines)
    _mark_banners([line for line in lines if line.reason is None])
    _mark_trailer([line for line in lines if line.reason is None])
    _mark_signoff([line for line in lines if line.reason is None])

    pieces: list[str] = []
    segments: list[Segment] = []
    removed: list[RemovedSpan] = []
    position = 0
    gap = False  # a removed line or a blank line since the last kept line
    for line in lines:
        if line.reason is not None:
            removed.append(RemovedSpan(line.start, line.end, line.reason))
            gap = True
            continue
        if pieces:
            separator = "\n\n" if gap or line.blank_before else "\n"
            pieces.append(separator)
            position += len(separator)
        segments.append(Segment(position, line.start, len(line.content)))
        pieces.append(line.content)
        position += len(line.content)
        gap = False
    return CleanText("".join(pieces), tuple(segments), tuple(removed))
