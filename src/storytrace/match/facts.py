"""Facts: the figures and names that make a story this story and not another one.

Formula stories (dividend notices, earnings tables, prime-rate moves, money-market notices)
share their wording and differ in their facts: "Comerica said it raised its prime rate" and
"Chemical said it raised its prime rate" align almost completely. A copy or a version of one
story keeps its facts and edits its wording: it adds and drops sentences, rewords a clause,
corrects one figure. This module tells the two apart by what the edits between two texts do.

An edit that swaps a few words for a few others is a substitution; it is *factual* when either
side holds a figure (a word with a digit) or a name (a capitalised word that does not start a
sentence). Two texts whose edits are mostly factual substitutions are one formula filled with
two sets of facts.

Example::

    >>> import numpy as np
    >>> edits = substitutions(np.array([1, 2, 3, 4]), np.array([9, 2, 3, 8]),
    ...                       np.array([True, False, False, True]),
    ...                       np.array([True, False, False, True]))
    >>> edits.factual, edits.other
    (2, 0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from storytrace.fingerprint.hashing import U64
from storytrace.fingerprint.tokens import Tokens, tokenize
from storytrace.match.edits import opcodes

Mask = npt.NDArray[np.bool_]

# A substitution replaces at most this many words on each side: a name ("First Wisconsin
# National Bank") or a figure with its unit. Longer replacements are rewording.
_SUBSTITUTION_WORDS = 6

_SENTENCE_STOPS = frozenset(".!?\n")
_QUOTES = frozenset("\"'“”‘’([")


def fact_mask(text: str, tokens: Tokens) -> Mask:
    """Which words of ``text`` are facts: figures, and capitalised words that do not start a
    sentence (names, places, companies, tickers)."""
    mask = tokens.numeric.copy()
    for i, (start, end) in enumerate(
        zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)
    ):
        if mask[i] or not text[start].isupper():
            continue
        j = start - 1
        while j >= 0 and (text[j] in _QUOTES or text[j] in " \t"):
            j -= 1
        starts_sentence = j < 0 or text[j] in _SENTENCE_STOPS
        all_caps_line = text[start:end].isupper() and end - start > 1
        mask[i] = not starts_sentence or all_caps_line
    return mask


@dataclass(frozen=True)
class Edits:
    """The edits that turn one word sequence into another, counted by kind."""

    factual: int
    """Substitutions of a few words where either side holds a figure or a name."""
    other: int
    """Every other edit: insertions, deletions, rewording and substitutions of plain words."""
    swapped_a: frozenset[int] = frozenset()
    """The words (hashes) of ``a`` inside its factual substitutions."""
    swapped_b: frozenset[int] = frozenset()


def substitutions(a: U64, b: U64, facts_a: Mask, facts_b: Mask) -> Edits:
    """Count the edits between word sequences ``a`` and ``b`` (hashes) by kind."""
    factual = other = 0
    swapped_a: set[int] = set()
    swapped_b: set[int] = set()
    for op, i1, i2, j1, j2 in opcodes(a.tolist(), b.tolist()):
        if op == "equal":
            continue
        small = 0 < i2 - i1 <= _SUBSTITUTION_WORDS and 0 < j2 - j1 <= _SUBSTITUTION_WORDS
        if op == "replace" and small and (facts_a[i1:i2].any() or facts_b[j1:j2].any()):
            factual += 1
            swapped_a.update(a[i1:i2].tolist())
            swapped_b.update(b[j1:j2].tolist())
        else:
            other += 1
    return Edits(factual, other, frozenset(swapped_a), frozenset(swapped_b))


Fact = tuple[int, ...]
"""A figure (the hashes of its glued numeric words, "6-1/8" is one) or a name (one hash)."""

# Figures spelled out: wire style writes "six pct", "Record April nine", "four cts".
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "half quarter"
)


@lru_cache(maxsize=8)
def number_words(seed: int) -> U64:
    """Hashes of the English number words, for one run seed."""
    return np.unique(tokenize(_NUMBER_WORDS, seed).hashes)


def figures_in(tokens: Tokens, start: int, end: int) -> list[Fact]:
    """Figures among words ``start:end``: numeric words glued by one mark ("6-1/8",
    "1,234,000", "12.1") are one figure, since the tokenizer splits them at the marks."""
    figures: list[list[int]] = []
    for i in (np.flatnonzero(tokens.numeric[start:end]) + start).tolist():
        if figures and i > start and tokens.glued[i] and tokens.numeric[i - 1]:
            figures[-1].append(int(tokens.hashes[i]))
        else:
            figures.append([int(tokens.hashes[i])])
    return [tuple(f) for f in figures]


def distinctive_words(tokens: Tokens, names: Mask, formula: Mask, seed: int) -> Mask:
    """Which words are facts that tell this text from others of its formula: every figure, in
    digits or in words, and every name outside formula wording ("Federal Reserve" in a
    formula that always names it is wording, not a fact of this item). ``names`` is the
    text's :func:`fact_mask`."""
    spelled = np.isin(tokens.hashes, number_words(seed))
    return tokens.numeric | spelled | (names & ~formula)


def facts_in(tokens: Tokens, distinctive: Mask, start: int, end: int) -> Counter[Fact]:
    """The facts among words ``start:end``: figures (glued parts as one) and other words that
    ``distinctive`` marks."""
    facts: Counter[Fact] = Counter(figures_in(tokens, start, end))
    words = distinctive[start:end] & ~tokens.numeric[start:end]
    facts.update((int(h),) for h in tokens.hashes[start:end][words].tolist())
    return facts


def shared_facts(a: Counter[Fact], b: Counter[Fact]) -> int:
    """How many facts two texts share (as multisets: "10 cts vs 10 cts" holds 10 twice)."""
    return sum((a & b).values())
