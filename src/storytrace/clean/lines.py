"""Line-level boilerplate removal for plain and scraped text, keeping offsets.

The cleaner works on lines because scraped pages arrive as one block of text per line (or per
paragraph); newswire keeps its wrapped lines. A line goes when it is

* page interface or a call to action (see :mod:`storytrace.clean.rules`);
* a repeated line: a photo caption scraped twice (the image's alt text and its caption) stands
  twice in a row, and both copies go;
* a site banner: among the stand-alone short lines before the article's first sentence only the
  last one (the headline) and bylines stay; section names and banners above them go;
* a sign-off: one or two words without a sentence at the very end ("Reuter", a desk name).

The clean text keeps line breaks (a blank line between paragraphs) and comes with a map from
its offsets back to the original text, so that every passage found later points into the
article exactly as published.
"""

from __future__ import annotations

import re
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


_LINE = re.compile(r"[^\n]*\n?")


def _split(text: str) -> list[_Line]:
    lines: list[_Line] = []
    blank = True
    for match in _LINE.finditer(text):
        raw = match.group()
        if not raw:
            break
        content = raw.strip()
        if not content:
            blank = True
            if lines:
                lines[-1].blank_after = True
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        if lines:
            lines[-1].blank_after = blank
        lines.append(_Line(start, start + len(content), content, blank_before=blank))
        blank = False
    return lines


def _mark_line_rules(lines: list[_Line]) -> None:
    for line in lines:
        line.reason = rules.interface_reason(line.content) or rules.call_to_action_reason(
            line.content
        )


def _mark_repeats(lines: list[_Line]) -> None:
    """Consecutive identical lines (ignoring case and spacing) are a caption scraped twice."""
    keys = [" ".join(line.content.lower().split()) for line in lines]
    for i in range(1, len(lines)):
        if keys[i] == keys[i - 1] and len(rules.words(lines[i].content)) >= 4:
            for line in (lines[i - 1], lines[i]):
                line.reason = line.reason or "repeated line (caption)"


def _mark_banners(kept: list[_Line]) -> None:
    """Before the first sentence, keep the headline (last heading) and bylines only."""
    header: list[_Line] = []
    for line in kept:
        if line.standalone and (
            rules.is_heading_like(line.content) or rules.is_byline(line.content)
        ):
            header.append(line)
            continue
        break
    if len(header) == len(kept):  # no article body below: nothing to tell banners from
        return
    headings = [line for line in header if not rules.is_byline(line.content)]
    for line in headings[:-1]:
        line.reason = "site banner"


def _mark_signoff(kept: list[_Line]) -> None:
    if len(kept) > 1 and rules.is_signoff(kept[-1].content):
        kept[-1].reason = "sign-off"


def clean_lines(text: str) -> CleanText:
    """Remove boilerplate lines from ``text``; see the module docstring for the rules."""
    lines = _split(text)
    _mark_line_rules(lines)
    _mark_repeats(lines)
    _mark_banners([line for line in lines if line.reason is None])
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
