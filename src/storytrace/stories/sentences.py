"""Split a clean news text into sentences, with character offsets into the text.

Sentences are what a reader compares between two versions of an article ("this sentence was
added, that one reworded"), so the splitter must follow news typography rather than a generic
rule that a full stop ends a sentence:

* a blank line (a paragraph break) always ends a sentence; so does a single line break after
  a line too short to be a wrapped line of prose, which is how headlines, table rows ("Shr 80
  cts vs 72 cts") and list items stand in newswire. A line break inside wrapped prose is a
  space: newswire wraps at 60-70 characters, and re-wrapping must not change the sentences;
* a full stop after a title ("Mr.", "Sen.", "Rep.") never ends a sentence; after an
  abbreviation that may also close one ("U.S.", "Inc.", "Jan.", an initial as in "N. Korea"),
  it ends one only when a word that typically opens a sentence follows ("... in the U.S. The
  company said");
* decimals ("1.5", "$1.5 billion") and dotted codes ("<DMP.MO>") have no space after the
  point and never split; a quote or bracket closing after the point belongs to the sentence
  it closes (``"We ask." He said``); a lower-case word after the point continues the
  sentence;
* a dateline opening a paragraph ("HONOLULU (AP) --", "BERLIN --") is a unit of its own, so
  the sentence after it compares equal to the same sentence printed without a dateline.

Example::

    >>> text = 'N. Korea said the U.S. Navy\\nleft. "We ask. We wait," Mr. Kim said.'
    >>> [text[s.start:s.end] for s in split_sentences(text)]
    ['N. Korea said the U.S. Navy\\nleft.', '"We ask.', 'We wait," Mr. Kim said.']
    >>> table = "Qtly div 10 cts vs 10 cts prior\\nPay April 30\\nRecord April 15"
    >>> [table[s.start:s.end] for s in split_sentences(table)]
    ['Qtly div 10 cts vs 10 cts prior', 'Pay April 30', 'Record April 15']
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Sentence(NamedTuple):
    """A sentence as the span ``text[start:end]``, without surrounding white space."""

    start: int
    end: int


# A full stop after these never ends a sentence: a name follows (titles, saints, mounts, and
# the abbreviated first names of company names: "Wm. Wrigley Jr. Co").
# fmt: off
_TITLES = frozenset({
    "Mr", "Mrs", "Ms", "Messrs", "Mme", "Dr", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov",
    "Govs", "Gen", "Gens", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Cpl", "Pvt", "Adm",
    "Cmdr", "Cdr", "Rev", "Hon", "Pres", "Supt", "Amb", "Atty", "Sec", "Insp", "Det", "Fr",
    "St", "Ste", "Mt", "Ft", "Wm", "Chas", "Geo", "Jas", "Thos",
})
# After these a full stop may also end the sentence: only a typical sentence opening decides.
_ABBREVIATIONS = frozenset({
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Jr", "Sr", "Plc", "Dept", "Div", "Assn",
    "No", "Nos", "Vol", "vs", "etc", "approx", "est", "Ave", "Blvd", "Rd",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan",
    "Kans", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev",
    "Okla", "Ore", "Pa", "Penn", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo",
})
# Words that open a sentence far more often than they continue a name or a date: after an
# ambiguous abbreviation ("U.S.", "Inc.") one of these means the sentence did end there.
# Function words only: a capitalised noun may be part of the name ("U.S. Officials said").
# "And" is left out: Reuters-21578 capitalises it after "U.S." 231 times ("the U.S. And
# Japan"), and it opens a sentence after "U.S." far less often.
_OPENERS = frozenset({
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These",
    "Those", "There", "Their", "His", "Her", "Its", "Our", "But", "Yet", "So", "In",
    "On", "At", "For", "If", "When", "While", "As", "After", "Before", "However", "Meanwhile",
    "Also", "Some", "Many", "Most", "Other", "Such", "Both", "Each", "All", "No", "Not",
    "What", "Why", "How", "Who", "Where", "Earlier", "Later", "Last", "Next",
})
# fmt: on

# One or more sentence-ending marks, then any closing quotes or brackets, then white space.
_TERMINATOR = re.compile(r"(?:[.!?]+|…)[\"'”’)\]]*(?=\s)")
_OPENING = "\"'“‘([«"
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # "U.S", "p.m", "N.J" (the last point cut)
_INITIAL = re.compile(r"[A-Z]")
# An all-capitals place, an optional date, an optional agency in brackets, and a dash:
# "HONOLULU (AP) --", "NEW YORK, June 18 -", "BERLIN —".
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3}"
    r"(?:, [A-Z][a-z]+\.?(?: \d{1,2})?)?"
    r"(?: \([A-Za-z. ]{2,20}\))?"
    r" ?(?:--|[-–—])(?=\s+[\"“]?[A-Z0-9])"
)
_LINE = re.compile(r"[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")

# A line shorter than this share of its paragraph's longest line is not a wrapped line of
# prose. On the 600 Reuters items of the bundled sample, 3,483 of 3,488 wrapped lines that
# continue a sentence (the next line starts in lower case) are at least 70% of the longest
# line; lines below that followed by a capital are table rows, list items and headings.
_WRAPPED_SHARE = 0.7
# The first line of a text is often short because a dateline was cut in front of it (Reuters
# keeps "NEW YORK, June 18 -" in a field of its own; on the same sample, wrapped first lines
# are 10-70% of the longest line, "Core-Mark" / "International Inc said ..."). So a short
# first line stands alone only when the next line is short too: a table, or a headline over
# a byline.
# Shares are of the paragraph's longest line, but of at least this many characters: a
# paragraph of short lines only ("Shr 39 cts vs 50 cts" / "Net 1,545,160 vs 2,188,933") is a
# table, not prose wrapped at 30 characters. Newswire wraps at 60-70.
_MIN_WRAP_WIDTH = 60


def _lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, blank line before) of every non-blank line, stripped."""
    lines: list[tuple[int, int, bool]] = []
    previous_end = 0
    for match in _LINE.finditer(text):
        raw = match.group()
        content = raw.strip()
        if not content:
            continue
        start = match.start() + len(raw) - len(raw.lstrip())
        blank = not lines or len(_BREAK.findall(text, previous_end, start)) >= 2
        lines.append((start, start + len(content), blank))
        previous_end = start + len(content)
    return lines


def _blocks(text: str) -> list[tuple[int, int]]:
    """Stretches of text that no sentence crosses: paragraphs, and lines standing alone."""
    lines = _lines(text)
    paragraphs: list[list[tuple[int, int]]] = []
    for start, end, blank in lines:
        if blank:
            paragraphs.append([])
        paragraphs[-1].append((start, end))
    blocks: list[tuple[int, int]] = []
    for p, paragraph in enumerate(paragraphs):
        longest = max(_MIN_WRAP_WIDTH, *(end - start for start, end in paragraph))
        block_start = paragraph[0][0]
        for k in range(len(paragraph) - 1):
            (start, end), (next_start, next_end) = paragraph[k], paragraph[k + 1]
            line = text[start:end]
            short = end - start < _WRAPPED_SHARE * longest
            if p == 0 and k == 0:
                next_short = next_end - next_start < _WRAPPED_SHARE * longest
                short = short and next_short
            if short and not _ENDS_SENTENCE.search(line) and not text[next_start].islower():
                blocks.append((block_start, end))
                block_start = next_start
        blocks.append((block_start, paragraph[-1][1]))
    return blocks


def _word_before(text: str, start: int, point: int) -> str:
    """The word that a full stop at ``point`` closes, without opening quotes or brackets."""
    space = max(text.rfind(" ", start, point), text.rfind("\n", start, point))
    return text[max(space + 1, start) : point].lstrip(_OPENING)


def _ends_here(text: str, start: int, match: re.Match[str], following: str) -> bool:
    """Whether the terminator ``match`` ends a sentence, given the word after it."""
    first = following.lstrip(_OPENING)[:1]
    if not first or first.islower() or first in ",;:":
        return False
    if match.group().rstrip("\"'”’)]") != ".":
        return True  # "?", "!", "...": a capital after them starts a sentence
    word = _word_before(text, start, match.start())
    if word in _TITLES:
        return False
    ambiguous = (
        word in _ABBREVIATIONS or _DOTTED.fullmatch(word) or _INITIAL.fullmatch(word) is not None
    )
    return not ambiguous or following.lstrip(_OPENING).rstrip(".,;:!?\"'”’") in _OPENERS


def _past_space(text: str, at: int, end: int) -> int:
    while at < end and text[at].isspace():
        at += 1
    return at


def _split_block(text: str, start: int, end: int) -> list[Sentence]:
    sentences: list[Sentence] = []
    dateline = _DATELINE.match(text, start, end)
    if dateline:
        sentences.append(Sentence(start, dateline.end()))
        start = _past_space(text, dateline.end(), end)
    sentence_start = start
    for match in _TERMINATOR.finditer(text, start, end):
        rest = text[match.end() : end]
        following = rest.split(None, 1)[0] if rest.strip() else ""
        if following and _ends_here(text, sentence_start, match, following):
            sentences.append(Sentence(sentence_start, match.end()))
            sentence_start = _past_space(text, match.end(), end)
    tail = text[sentence_start:end]
    if tail.strip():
        first = sentence_start + len(tail) - len(tail.lstrip())
        sentences.append(Sentence(first, first + len(tail.strip())))
    return sentences


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, in order; see the module docstring for the rules."""
    return [s for start, end in _blocks(text) for s in _split_block(text, start, end)]
