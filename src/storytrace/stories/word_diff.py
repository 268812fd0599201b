"""Which words two short texts share and which they do not: the diff inside an edited sentence.

Words are compared as storytrace compares them everywhere (NFKC, case folded; see
:mod:`storytrace.fingerprint.tokens`), so a curly quote or a comma is no edit while a changed
figure is. Words glued by a single mark ("1.4", "81,000", "U.S.", "Eddie's") are one unit of
the diff, so a corrected figure shows as "14" → "1.4" rather than as a stray "4". The longest
shared runs are a longest common subsequence of the units (see :mod:`storytrace.match.edits`).

Each edit keeps character offsets into both texts, so a viewer can colour each side as it is
printed. Punctuation goes with the word it touches: a comma or full stop with the word before
it, an opening quote or bracket with the word after it. :func:`diff_rows` gives the compact
form stored in ``changes.parquet``.

Example::

    >>> old = "net income of 258,125, or 14 cts per share."
    >>> new = "net income of 258,125, or 1.4 cts per share."
    >>> for row in diff_rows(old, new, word_edits(old, new, seed=1)):
    ...     print(row["op"], repr(row["text"]))
    same 'net income of 258,125, or'
    removed '14'
    added '1.4'
    same 'cts per share.'
"""

from __future__ import annotations

from typing import NamedTuple

from storytrace.fingerprint.tokens import Tokens, tokenize
from storytrace.match.edits import opcodes

OPS = ("same", "removed", "added")
"""Operations of a word diff row: words in both texts, only in the old, only in the new."""


class WordEdit(NamedTuple):
    """A run of words: ``same`` in both texts, or ``removed``, ``added`` or ``replaced``.

    ``old_start:old_end`` and ``new_start:new_end`` are character offsets into the two texts;
    an empty range on one side (``added``, ``removed``) sits where the other side's words go.
    """

    op: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int


_OPCODES = {"equal": "same", "delete": "removed", "insert": "added", "replace": "replaced"}


class _Units:
    """The diff units of one text: runs of words glued by single marks, with their spans."""

    def __init__(self, text: str, tokens: Tokens) -> None:
        hashes, ends = tokens.hashes.tolist(), tokens.ends.tolist()
        firsts = [i for i, glued in enumerate(tokens.glued.tolist()) if not glued or i == 0]
        lasts = [*firsts[1:], len(hashes)]
        self.text = text
        self.keys = [tuple(hashes[f:e]) for f, e in zip(firsts, lasts, strict=True)]
        self._word_ends = [ends[e - 1] for e in lasts]
        self.at = 0

    def end(self, unit: int) -> int:
        """Where unit ``unit`` ends, its trailing marks included."""
        return self._past_marks(self._word_ends[unit])

    def start(self, unit: int) -> int:
        """Where unit ``unit`` starts: right after the white space that follows the unit
        before it, so an opening quote or bracket goes with the word it opens."""
        return self._past_space(self.end(unit - 1) if unit else 0)

    def _past_marks(self, end: int) -> int:
        """``end`` moved past the marks that touch the word before it ("," "." "\"")."""
        while end < len(self.text) and not (self.text[end].isspace() or self.text[end].isalnum()):
            end += 1
        return end

    def _past_space(self, at: int) -> int:
        while at < len(self.text) and self.text[at].isspace():
            at += 1
        return at

    def run(self, first: int, last: int) -> tuple[int, int]:
        """Characters of units ``first:last``; an empty run sits where the last run ended."""
        if first == last:
            return self.at, self.at
        self.at = self.end(last - 1)
        return self.start(first), self.at


def word_edits(
    old: str, new: str, seed: int, tokens: tuple[Tokens, Tokens] | None = None
) -> list[WordEdit]:
    """The word runs of ``old`` and ``new``, in order, as same / removed / added / replaced.

    ``tokens`` are the words of the two texts when the caller has them already.
    """
    old_words, new_words = tokens or (tokenize(old, seed), tokenize(new, seed))
    a, b = _Units(old, old_words), _Units(new, new_words)
    return [
        WordEdit(_OPCODES[tag], *a.run(i1, i2), *b.run(j1, j2))
        for tag, i1, i2, j1, j2 in opcodes(a.keys, b.keys)
    ]


def diff_rows(old: str, new: str, edits: list[WordEdit]) -> list[dict[str, str]]:
    """Rows ``{"op": "same" | "removed" | "added", "text": ...}``: a replaced run becomes its
    removed words then its added words; the words of a ``same`` run are printed as in ``new``."""
    rows = []
    for e in edits:
        if e.op in ("removed", "replaced"):
            rows.append({"op": "removed", "text": old[e.old_start : e.old_end]})
        if e.op in ("added", "replaced"):
            rows.append({"op": "added", "text": new[e.new_start : e.new_end]})
        if e.op == "same":
            rows.append({"op": "same", "text": new[e.new_start : e.new_end]})
    return rows
