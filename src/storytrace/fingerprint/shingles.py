"""Word shingles as 64-bit hashes, never as strings.

A shingle is a run of ``size`` consecutive words. A text shorter than ``size`` words still
gets one shingle (all its words), so that short notices can match each other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storytrace.fingerprint.hashing import U64, combine_windows


def shingles(word_hashes: U64, size: int, seed: int) -> U64:
    """Hashes of every ``size``-word shingle, in text order (duplicates kept)."""
    if len(word_hashes) == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(size, len(word_hashes))
    return combine_windows(word_hashes, width, seed, f"shingle-{width}")


def shingle_set(word_hashes: U64, size: int, seed: int) -> U64:
    """Sorted distinct shingle hashes: the set behind Jaccard and containment."""
    return np.unique(shingles(word_hashes, size, seed))


def shingles_many(word_hashes: Sequence[U64], size: int, seed: int) -> list[U64]:
    """``[shingles(h, size, seed) for h in word_hashes]``, hashed in one pass over the texts
    laid end to end (the shingles that straddle two texts are dropped).

    Example::

        >>> from storytrace.fingerprint.tokens import tokenize
        >>> texts = ["one two three four five six", "seven", "", "eight nine ten eleven twelve"]
        >>> hashes = [tokenize(t, seed=1).hashes for t in texts]
        >>> many = shingles_many(hashes, 5, seed=1)
        >>> all((a == shingles(h, 5, 1)).all() for a, h in zip(many, hashes))
        True
    """
    if len(word_hashes) <= 1:
        return [shingles(h, size, seed) for h in word_hashes]
    lengths = [len(h) for h in word_hashes]
    whole = combine_windows(np.concatenate(word_hashes), size, seed, f"shingle-{size}")
    starts = np.cumsum([0, *lengths[:-1]]).tolist()
    return [
        whole[s : s + n - size + 1] if n >= size else shingles(h, size, seed)
        for h, s, n in zip(word_hashes, starts, lengths, strict=True)
    ]
