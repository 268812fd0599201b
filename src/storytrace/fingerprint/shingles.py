"""Word shingles as 64-bit hashes, never as strings.

A shingle is a run of ``size`` consecutive words. A text shorter than ``size`` words still
gets one shingle (all its words), so that short notices can match each other.
"""

from __future__ import annotations

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
