"""Tokenise a text into 64-bit hashes of its normalised words, with character spans.

A word is a maximal run of letters, digits and combining marks in the text as written
(combining marks belong to the letter before them, so "café" written with a separate accent
and the Devanagari "हिन्दी" stay one word). Everything else (punctuation, quotes, dashes,
whitespace) separates words. Each word is then normalised on its own, with Unicode NFKC and
case folding, so "Straße" and "STRASSE", "ﬁnance" and "finance", full-width "ＵＳ" and "US" hash
the same. Digits are kept as they are: "80 cts" and "72 cts" must stay different words,
because formula stories differ only in their figures.

Finding words first and normalising each word second means every span points into the text
exactly as written, whatever normalisation does to lengths, and the same word hashes the same
in every document.

The work is done with array operations: word boundaries come from a table lookup per code
point, and a polynomial prefix hash over the code points gives every word's hash from two
lookups. Only words with non-ASCII characters are normalised one by one in Python; English
news has few of them.

Example::

    >>> t = tokenize("Shr 80 cts vs 72 cts", seed=1)
    >>> len(t), t.starts.tolist()[:3]
    (6, [0, 4, 7])
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from storytrace.fingerprint.hashing import U64, derive_seed, splitmix64

I32 = npt.NDArray[np.int32]
Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.uint32]

_BASE = 0x100000001B3  # odd, so it is invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_BMP = 0x10000


@dataclass(frozen=True)
class Tokens:
    """The words of one text.

    ``hashes[i]`` is the seeded hash of word ``i`` after normalisation; ``starts[i]`` and
    ``ends[i]`` its [start, end) span in the text; ``numeric[i]`` whether it holds a digit (a
    figure); ``glued[i]`` whether it is attached to the previous word by a single mark, as
    the parts of "6-1/8", "1,234,000" or "U.S." are.
    """

    hashes: U64
    starts: I32
    ends: I32
    numeric: Mask
    glued: Mask

    def __len__(self) -> int:
        return len(self.hashes)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


@lru_cache(maxsize=1)
def _tables() -> tuple[Mask, Mask, Mask]:
    """Word-character, digit and white-space tables for the Basic Multilingual Plane."""
    chars = [chr(c) for c in range(_BMP)]
    word = np.array([_is_word_char(ch) for ch in chars], dtype=np.bool_)
    digit = np.array([ch.isdigit() for ch in chars], dtype=np.bool_)
    space = np.array([ch.isspace() for ch in chars], dtype=np.bool_)
    return word, digit, space


def _lookup(table: Mask, codes: Codes, fallback: Callable[[str], bool]) -> Mask:
    """``table[codes]``, asking ``fallback(ch)`` for code points beyond the BMP."""
    low = codes < _BMP
    if low.all():
        return table[codes]
    out = np.zeros(len(codes), dtype=np.bool_)
    out[low] = table[codes[low]]
    high = np.flatnonzero(~low)
    out[high] = [fallback(chr(int(c))) for c in codes[high]]
    return out


class _Powers:
    """Growing tables of BASE**i and BASE**-i modulo 2**64."""

    def __init__(self) -> None:
        self.up = np.ones(1, dtype=np.uint64)
        self.down = np.ones(1, dtype=np.uint64)

    def ensure(self, n: int) -> None:
        if len(self.up) >= n:
            return
        size = max(n, 2 * len(self.up))
        up = np.full(size, _BASE, dtype=np.uint64)
        down = np.full(size, _BASE_INV, dtype=np.uint64)
        up[0] = down[0] = 1
        self.up = np.cumprod(up, dtype=np.uint64)
        self.down = np.cumprod(down, dtype=np.uint64)


_POWERS = _Powers()


_BLOCK_CHARS = 1 << 20
"""Spans are hashed a block of about a million characters at a time: the prefix sums and the
powers take 24 bytes a character, which for the largest accepted document (8 MiB) would be
hundreds of megabytes at once. Hashes do not depend on where a span stands, so blocks give
the same hashes as one pass."""


def _span_hashes(codes: Codes, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
    """Polynomial hash of ``codes[s:e]`` for every span (spans in text order, apart)."""
    if len(codes) <= _BLOCK_CHARS or len(starts) == 0:
        return _block_hashes(codes, starts, ends)
    out = np.empty(len(starts), dtype=np.uint64)
    first = 0
    while first < len(starts):
        low = int(starts[first])
        last = max(first + 1, int(np.searchsorted(ends, low + _BLOCK_CHARS, side="right")))
        high = int(ends[last - 1])
        out[first:last] = _block_hashes(
            codes[low:high], starts[first:last] - low, ends[first:last] - low
        )
        first = last
    return out


def _block_hashes(codes: Codes, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
    """Polynomial hash of ``codes[s:e]`` for every span; equal contents give equal hashes
    wherever they stand, because the prefix difference is shifted back to position 0."""
    n = len(codes)
    _POWERS.ensure(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(codes.astype(np.uint64) * _POWERS.up[:n], dtype=np.uint64, out=prefix[1:])
        hashes: U64 = (prefix[ends] - prefix[starts]) * _POWERS.down[starts]
    return hashes


def normalize_word(word: str) -> str:
    """NFKC with case folding (composed again, since folding can decompose)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", word).casefold())


def _empty() -> Tokens:
    no_ints = np.empty(0, dtype=np.int32)
    no_flags = np.empty(0, dtype=np.bool_)
    return Tokens(np.empty(0, dtype=np.uint64), no_ints, no_ints, no_flags, no_flags)


def tokenize(text: str, seed: int) -> Tokens:
    """Seeded word hashes of ``text`` with character spans into ``text`` itself."""
    return _tokenize(text, seed)


# A separator between the texts of one batch: a white-space character, so no word crosses it
# and no word after it is glued to the word before it.
_SEPARATOR = "\n"


def tokenize_many(texts: Sequence[str], seed: int) -> list[Tokens]:
    """``[tokenize(t, seed) for t in texts]``, computed in one pass over all the texts.

    Each array operation of :func:`tokenize` costs a few microseconds however short its
    input, and a news article has only a few thousand characters: one pass over a batch of
    texts, split afterwards, is several times faster than a pass per text.

    Example::

        >>> [len(t) for t in tokenize_many(["one two", "", "three"], seed=1)]
        [2, 0, 1]
    """
    if len(texts) <= 1:
        return [tokenize(t, seed) for t in texts]
    whole = _tokenize(_SEPARATOR.join(texts), seed)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    bounds = [*np.searchsorted(whole.starts, offsets).tolist(), len(whole)]
    out = []
    for k, offset in enumerate(offsets.tolist()):
        lo, hi = bounds[k], bounds[k + 1]
        glued = whole.glued[lo:hi].copy()
        glued[:1] = False
        out.append(
            Tokens(
                whole.hashes[lo:hi].copy(),
                whole.starts[lo:hi] - np.int32(offset),
                whole.ends[lo:hi] - np.int32(offset),
                whole.numeric[lo:hi].copy(),
                glued,
            )
        )
    return out


def _tokenize(text: str, seed: int) -> Tokens:
    codes = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    if len(codes) == 0:
        return _empty()
    word_table, digit_table, space_table = _tables()
    is_word = _lookup(word_table, codes, _is_word_char)
    rim = np.zeros(1, dtype=np.int8)  # int8 throughout: a Python 0 here makes int64 copies
    edges = np.diff(np.concatenate((rim, is_word.astype(np.int8), rim)))
    starts: npt.NDArray[np.intp] = np.flatnonzero(edges == 1)
    ends: npt.NDArray[np.intp] = np.flatnonzero(edges == -1)
    if len(starts) == 0:
        return _empty()

    # ASCII words: case folding is lower-casing, NFKC changes nothing.
    upper = (codes >= 0x41) & (codes <= 0x5A)
    lowered = np.where(upper, codes + 0x20, codes).astype(np.uint32)
    raw = _span_hashes(lowered, starts, ends)

    # Words with other characters: normalise each, then hash them the same way.
    non_ascii = np.concatenate(([0], np.cumsum(codes >= 0x80, dtype=np.int32)))
    special = np.flatnonzero(non_ascii[ends] > non_ascii[starts])
    if len(special):
        spans = zip(starts[special].tolist(), ends[special].tolist(), strict=True)
        forms = [normalize_word(text[s:e]) for s, e in spans]
        joined = np.frombuffer(
            "".join(forms).encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32
        )
        lengths = np.array([len(f) for f in forms], dtype=np.intp)
        form_ends = np.cumsum(lengths)
        raw[special] = _span_hashes(joined, form_ends - lengths, form_ends)

    salt = np.uint64(derive_seed(seed, "tokens"))
    hashes = splitmix64(raw ^ salt)

    digits = np.concatenate(
        ([0], np.cumsum(_lookup(digit_table, codes, str.isdigit), dtype=np.int32))
    )
    numeric = digits[ends] > digits[starts]
    glued = np.zeros(len(starts), dtype=np.bool_)
    after = codes[ends[:-1]]  # the character right after each word but the last
    glued[1:] = (starts[1:] - ends[:-1] == 1) & ~_lookup(space_table, after, str.isspace)
    return Tokens(hashes, starts.astype(np.int32), ends.astype(np.int32), numeric, glued)
