"""Normalise and tokenise a text into 64-bit word hashes with character spans.

Words are maximal runs of letters and digits after Unicode NFKC normalisation and case
folding; everything else (punctuation, quotes, dashes, whitespace) separates words. Digits are
kept as they are: "80 cts" and "72 cts" must stay different words, because formula stories
differ only in their figures.

The whole text is tokenised with array operations, never a Python loop per word or per shingle:
a polynomial prefix hash over the code points gives every word's hash from two lookups. Each
word keeps its span in the input text, which is what lets aligned passages point back into the
article.

Example::

    >>> t = tokenize("Shr 80 cts vs 72 cts", seed=1)
    >>> len(t), t.starts.tolist()[:3]
    (6, [0, 4, 7])
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from storytrace.fingerprint.hashing import U64, derive_seed, splitmix64

I32 = npt.NDArray[np.int32]

_BASE = 0x100000001B3  # odd, so it is invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)


@dataclass(frozen=True)
class Tokens:
    """Word hashes of one text, each word's [start, end) character span in that text, and
    which words are figures (contain a digit)."""

    hashes: U64
    starts: I32
    ends: I32
    numeric: npt.NDArray[np.bool_]
    glued: npt.NDArray[np.bool_]
    """Word attached to the previous one by a single mark ("1,234", "6-1/8", "U.S")."""

    def __len__(self) -> int:
        return len(self.hashes)


@lru_cache(maxsize=1)
def _word_table() -> npt.NDArray[np.bool_]:
    """Which code points of the Basic Multilingual Plane are word characters."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=np.bool_)


@lru_cache(maxsize=1)
def _space_table() -> npt.NDArray[np.bool_]:
    """Which code points of the Basic Multilingual Plane are white space."""
    return np.array([chr(c).isspace() for c in range(0x10000)], dtype=np.bool_)


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


def normalize(text: str) -> tuple[str, I32 | None]:
    """NFKC + case fold. Returns the normal form and, when lengths differ, for every
    character of the normal form the index of the input character it came from."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    if len(norm) == len(text):
        return norm, None
    pieces: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        out = unicodedata.normalize("NFKC", ch).casefold()
        pieces.append(out)
        origin.extend([i] * len(out))
    return "".join(pieces), np.array(origin, dtype=np.int32)


def _word_mask(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    table = _word_table()
    mask = np.zeros(len(codes), dtype=np.bool_)
    low = codes < 0x10000
    mask[low] = table[codes[low]]
    if not low.all():
        high = np.flatnonzero(~low)
        mask[high] = [chr(int(c)).isalnum() for c in codes[high]]
    return mask


def tokenize(text: str, seed: int) -> Tokens:
    """Word hashes of ``text`` (seeded) with character spans into ``text`` itself."""
    norm, origin = normalize(text)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    n = len(codes)
    if n == 0:
        empty = np.empty(0, dtype=np.int32)
        no = np.empty(0, dtype=np.bool_)
        return Tokens(np.empty(0, dtype=np.uint64), empty, empty, no, no)
    mask = _word_mask(codes).astype(np.int8)
    edges = np.diff(np.concatenate(([0], mask, [0])).astype(np.int8))
    starts: npt.NDArray[np.intp] = np.flatnonzero(edges == 1)
    ends: npt.NDArray[np.intp] = np.flatnonzero(edges == -1)

    _POWERS.ensure(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codes.astype(np.uint64) * _POWERS.up[:n], dtype=np.uint64, out=prefix[1:])
        raw = (prefix[ends] - prefix[starts]) * _POWERS.down[starts]
        salt = np.uint64(derive_seed(seed, "tokens"))
        hashes = splitmix64(raw ^ salt)
    digits = np.concatenate(([0], np.cumsum((codes >= 0x30) & (codes <= 0x39))))
    numeric = digits[ends] > digits[starts]
    glued = np.zeros(len(starts), dtype=np.bool_)
    if len(starts) > 1:
        between = codes[ends[:-1]]  # the character after each word
        spaces = _space_table()[np.minimum(between, 0xFFFF)]
        glued[1:] = (starts[1:] - ends[:-1] == 1) & ~spaces

    if origin is not None:
        # Map spans in the normal form back to the input text.
        last = np.append(origin, len(text))
        starts = origin[starts].astype(np.intp)
        ends = (last[ends - 1] + 1).astype(np.intp)
    return Tokens(hashes, starts.astype(np.int32), ends.astype(np.int32), numeric, glued)


def word_count(text: str) -> int:
    """Number of words as storytrace counts them."""
    norm, _ = normalize(text)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    mask = _word_mask(codes).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate(([0], mask))) == 1))
