"""Winnowing: a sparse, position-keeping sample of word n-gram hashes.

In every window of ``window`` consecutive n-gram hashes the smallest is kept (the rightmost on
ties), so any two texts sharing a run of ``ngram + window - 1`` words share at least one
fingerprint, while only about ``2 / (window + 1)`` of the n-grams are stored (Schleimer et al.,
2003). Fingerprints find passage reuse that MinHash misses: a rewritten version shares a few
long passages, not most of its shingles.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from storytrace.fingerprint.hashing import U64, combine_windows

I64 = npt.NDArray[np.int64]


def winnow(word_hashes: U64, ngram: int, window: int, seed: int) -> tuple[U64, I64]:
    """Fingerprint hashes and the word position where each n-gram starts."""
    grams = combine_windows(word_hashes, ngram, seed, "winnow")
    if len(grams) == 0:
        return grams, np.empty(0, dtype=np.int64)
    if len(grams) <= window:
        pos = np.array([len(grams) - 1 - int(np.argmin(grams[::-1]))], dtype=np.int64)
        return grams[pos], pos
    views = sliding_window_view(grams, window)
    # argmin of the reversed window gives the rightmost minimum.
    rightmost = window - 1 - np.argmin(views[:, ::-1], axis=1)
    pos = np.unique(np.arange(len(views)) + rightmost).astype(np.int64)
    return grams[pos], pos
