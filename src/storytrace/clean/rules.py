"""What a boilerplate line of a scraped news page looks like, judged one line at a time.

Scraped article text keeps the page's furniture: accessibility and navigation links, font-size
buttons ("XS SM MD LG"), share and print buttons, "Breaking News" flags, image placeholders
("16x9 Image"), and calls to action (newsletters, mailing lists, donations, apps). These rules
recognise such lines by their shape: short, no sentence, made only of interface words, or a
short line whose point is to make the reader do something other than read the article.
Pages also carry their own metadata as lines: time stamps ("Published: Wednesday, January 9,
2008", "12:40, Jan 13 2008"), copyright notices, and menus written as one line of labels
("Rugby | Soccer | Cricket"). These are recognised by what they are made of, too.
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
    "related", "tags", "tagged", "topics", "see", "also", "you", "may", "like", "recommended",
    "popular", "trending", "most", "roundup", "categories", "category", "filed", "under",
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
    r"mailing list|newsletter|newsletters|subscribe|subscription|sign up|signup|"
    r"donate|donation|support our journalism|support us|"
    r"follow us|like us on|download (?:our|the) app|get the app|"
    r"click here|tap here|cookie|cookies|all rights reserved|terms of use|privacy policy|"
    r"to your inbox|in your inbox|thanks for (?:signing up|subscribing)|try again later|"
    r"order reprints|for your personal, non-commercial use"
    r")\b",
    re.IGNORECASE,
)
# A call to action written as a sentence: it starts with the verb that asks ("Follow The
# Times on Facebook and Twitter.", "Subscribe to our newsletters."). Such a line is judged
# with its full stop; an article sentence rarely starts with these verbs and names a
# newsletter or a social network in the same short line.
_IMPERATIVE = re.compile(
    r"^\W*(?:follow|subscribe|sign up|join|download|get|like|share|click|tap|register)\b",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"\b(?:facebook|twitter|instagram|youtube|linkedin|tiktok|whatsapp|telegram)\b",
    re.IGNORECASE,
)

# Words a time stamp is made of, beside numbers: labels, weekdays, months and their short
# forms, clock words and time zones. A line made only of these (and numbers) that names a
# month or has a numeric date is a time stamp; "By William Ide September 30, 2017" has a
# name in it and stays, as a byline.
# fmt: off
_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})
_STAMP_WORDS = _MONTHS | frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "published", "posted",
    "updated", "update", "last", "modified", "created", "date", "time", "on", "at", "am", "pm",
    "a", "p", "m", "gmt", "bst", "utc", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt",
    "et", "pt", "ct", "cet", "cest", "ist", "aest", "aedt", "st", "nd", "rd", "th", "of",
    "hours", "hrs", "ago", "today", "yesterday", "first", "this", "story", "article", "was",
})
# fmt: on
_ISO_STAMP = re.compile(r"^\W*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?\W*$")
_IMAGE_URL = re.compile(
    r"^\W*(?:https?:)?//\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?\W*$", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b")
_STAMP_MAX_WORDS = 14
_COPYRIGHT = re.compile(r"^\W{0,3}(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_RIGHTS = re.compile(r"\ball rights reserved\b", re.IGNORECASE)
_NOTICE_MAX_WORDS = 60
_MENU_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s*\|\s*")
_MENU_ITEM_MAX_WORDS = 4

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_PROSE_END = re.compile(r"[.?][\"'”’)\]]*\s*$")  # "!" is left out: calls to action shout
_BYLINE = re.compile(r"^(by|from|posted by|written by)\s+\S", re.IGNORECASE)


@lru_cache(maxsize=8192)
def words(line: str) -> tuple[str, ...]:
    """Words of a line, lower-cased, for the rules below (several rules ask for the same
    line, so the answer is cached)."""
    if line.isascii():  # lower-casing ASCII first finds the same words, in one call
        return tuple(_WORD.findall(line.lower()))
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
    if not 0 < len(ws) <= _CALL_MAX_WORDS:
        return None
    imperative = bool(_IMPERATIVE.search(line))
    if _CALL_TO_ACTION.search(line) and (imperative or not _PROSE_END.search(line)):
        return "call to action"
    if imperative and _SOCIAL.search(line):
        return "call to action"
    return None


def _is_stamp(line: str, ws: tuple[str, ...]) -> bool:
    if not ws or len(ws) > _STAMP_MAX_WORDS:
        return False
    if not all((w.isdigit() and len(w) <= 4) or w in _STAMP_WORDS or _is_clock(w) for w in ws):
        return False
    # One date: several ("Feb 87 Jan 87 Feb 86", "04/09/87 03/09/87") head a table of
    # figures in a wire story, and a five-digit number is a figure, not a year.
    months = sum(w in _MONTHS for w in ws)
    dates = len(re.findall(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", line))
    if months > 1 or dates > 1:
        return False
    return months == 1 or bool(_NUMERIC_DATE.search(line))


def _is_clock(word: str) -> bool:
    """ "8am", "1pm", "2008-01-14"'s pieces, "12th": a number with a clock or ordinal tail."""
    return bool(re.fullmatch(r"\d+(?:am|pm|st|nd|rd|th|h)", word))


def _is_menu(line: str) -> bool:
    """Three or more short labels between separators, none of them a figure or a sentence.

    Two labels are too few ("Bank charges | Fees"); a table row of figures ("Bogeys | 4 | T67")
    holds digits and is data, not navigation.
    """
    items = [item for item in _MENU_SEPARATOR.split(line) if item.strip()]
    if len(items) < 3:
        return False
    return all(
        0 < len(words(item)) <= _MENU_ITEM_MAX_WORDS
        and not any(ch.isdigit() for ch in item)
        and not ends_sentence(item)
        for item in items
    )


def page_metadata_reason(line: str) -> str | None:
    """Reason if the line is the page's own metadata: a time stamp, an image's address, a
    copyright notice, or a menu written as one line of labels. (A bare link to a page stays:
    articles cite their sources that way.)

    A copyright notice may end with a full stop ("Copyright 2008 The Associated Press. All
    rights reserved."), so it is recognised by how it starts or by "all rights reserved",
    up to 60 words; an article sentence about copyright starts otherwise.
    """
    ws = words(line)
    if _is_stamp(line, ws) or _ISO_STAMP.match(line):
        return "time stamp"
    if _IMAGE_URL.match(line):
        return "image address"
    if 0 < len(ws) <= _NOTICE_MAX_WORDS and (_COPYRIGHT.search(line) or _RIGHTS.search(line)):
        return "copyright notice"
    if _is_menu(line):
        return "menu"
    return None


def is_sentence(line: str) -> bool:
    """A line that reads as article prose: ends like a sentence and has several words."""
    return len(words(line)) >= 6 and ends_sentence(line)


def is_short_label(line: str) -> bool:
    """A short line without a sentence end: a button, a menu entry, a label."""
    return 0 < len(words(line)) <= 6 and not ends_sentence(line)


_CREDIT = re.compile(
    r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b|\bcontributed reporting\b"
    r"|\badditional reporting by\b",
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 40


def is_credit(line: str) -> bool:
    """The credit line that closes a news story: "VOA's Nike Ching contributed to this
    report.", "Additional reporting by Joseph Hudak"."""
    return bool(_CREDIT.search(line)) and len(words(line)) <= _CREDIT_MAX_WORDS


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
