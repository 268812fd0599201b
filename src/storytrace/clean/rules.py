"""What a boilerplate line of a scraped news page looks like, judged one line at a time.

Scraped article text keeps the page's furniture: accessibility and navigation links, font-size
buttons ("XS SM MD LG"), share and print buttons, "Breaking News" flags, image placeholders
("16x9 Image"), and calls to action (newsletters, mailing lists, donations, apps). These rules
recognise such lines by their shape: short, no sentence, made only of interface words, or a
short line whose point is to make the reader do something other than read the article.
Each rule returns a reason, recorded with the removed span so that a user can see why.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that make up page-interface lines. A line consisting only of these words (and
# numbers such as "16x9") is interface, not article. Kept to words that do not form a sentence
# on their own; "news" is here so that "Breaking News" goes, but "VOA News" stays because
# "voa" is not an interface word.
# fmt: off
INTERFACE_WORDS = frozenset({
    "accessibility", "links", "link", "skip", "to", "main", "content", "navigation", "menu",
    "search", "home", "close", "open", "breaking", "news", "update", "updated", "live", "share",
    "shares", "tweet", "print", "email", "e-mail", "comment", "comments", "reply", "xs", "sm",
    "md", "lg", "xl", "xxl", "font", "size", "text", "image", "images", "photo", "photos",
    "video", "videos", "play", "pause", "gallery", "slideshow", "audio", "listen", "watch",
    "more", "read", "next", "previous", "prev", "back", "top", "show", "hide", "advertisement",
    "advertising", "ad", "ads", "sponsored", "loading", "login", "log", "in", "out", "sign",
    "register", "account", "facebook", "twitter", "x", "whatsapp", "linkedin", "reddit",
    "pinterest", "telegram", "copy", "url", "the", "a", "of", "and", "or", "toggle", "expand",
    "collapse", "view", "full", "screen", "fullscreen", "caption", "credit", "credits", "embed",
    "on", "via", "this", "story", "article", "page", "opens", "new", "window", "tab",
})
# fmt: on

# Words that join interface words ("Skip to main content", "Share on Facebook") but are no
# interface on their own: a line of only these ("and") is text.
_FILLER = frozenset({"the", "a", "of", "and", "or", "to", "in", "on", "out", "via", "this", "new"})

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_DIMENSION = re.compile(r"^\d+x\d+$")

# Calls to action: short lines asking the reader to subscribe, join, donate, follow or download.
# Only lines of at most _CALL_MAX_WORDS words are judged, so an article sentence that mentions a
# newsletter is kept.
_CALL_MAX_WORDS = 16
_CALL_TO_ACTION = re.compile(
    r"\b("
    r"mailing list|newsletter|subscribe|subscription|sign up|signup|"
    r"donate|donation|support our journalism|support us|"
    r"follow us|like us on|download (?:our|the) app|get the app|"
    r"click here|tap here|cookie|cookies|all rights reserved|terms of use|privacy policy"
    r")\b",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_PROSE_END = re.compile(r"[.?][\"'”’)\]]*\s*$")  # "!" is left out: calls to action shout
_BYLINE = re.compile(r"^(by|from|posted by|written by)\s+\S", re.IGNORECASE)


@lru_cache(maxsize=8192)
def words(line: str) -> tuple[str, ...]:
    """Words of a line, lower-cased, for the rules below (several rules ask for the same
    line, so the answer is cached)."""
    return tuple(w.lower() for w in _WORD.findall(line))


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def interface_reason(line: str) -> str | None:
    """Reason if the line is page interface (buttons, links, flags, placeholders).

    A line that ends like a sentence is prose ("...to sell its shares."), never interface.
    """
    ws = words(line)
    if not ws or len(ws) > 6 or ends_sentence(line):
        return None
    if all(w in INTERFACE_WORDS or _DIMENSION.match(w) for w in ws) and not all(
        w in _FILLER for w in ws
    ):
        return "page interface"
    return None


def call_to_action_reason(line: str) -> str | None:
    """Reason if the line is a short call to action (subscribe, donate, mailing list, ...).

    A line ending with a full stop or a question mark is prose that mentions the topic ("The
    rights issue subscription period was extended to March 31."); calls to action end bare
    or with "!".
    """
    ws = words(line)
    short_and_bare = 0 < len(ws) <= _CALL_MAX_WORDS and not _PROSE_END.search(line)
    if short_and_bare and _CALL_TO_ACTION.search(line):
        return "call to action"
    return None


def is_sentence(line: str) -> bool:
    """A line that reads as article prose: ends like a sentence and has several words."""
    return len(words(line)) >= 6 and ends_sentence(line)


def is_short_label(line: str) -> bool:
    """A short line without a sentence end: a button, a menu entry, a label."""
    return 0 < len(words(line)) <= 6 and not ends_sentence(line)


def is_byline(line: str) -> bool:
    """ "By William Ide September 30, 2017" and the like."""
    return bool(_BYLINE.match(line.strip())) and len(words(line)) <= 12


def is_heading_like(line: str) -> bool:
    """Short line that is not a sentence: a headline, a section label or a site banner."""
    n = len(words(line))
    return 0 < n <= 14 and not _SENTENCE_END.search(line)


def is_signoff(line: str) -> bool:
    """One or two words with no digits and no sentence end, such as a wire sign-off
    ("Reuter") or a desk name ("VOA News"). "year." or "“Never again.”" end a sentence and
    are text."""
    ws = words(line)
    return 0 < len(ws) <= 2 and not any(ch.isdigit() for ch in line) and not ends_sentence(line)
