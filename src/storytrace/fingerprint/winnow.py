"""Winnowing: a sparse, position-keeping sample of word n-gram hashes.

In every window of ``window`` consecutive n-gram hashes the smallest is kept (the rightmost on
ties), so any two texts sharing a run of ``ngram + window - 1`` words share at least one
fingerprint, while only about ``2 / (window + 1)`` of the n-grams are stored (Schleimer et al.,
2003). Fingerprints find passage reuse that MinHash misses: a rewritten version shares a few
long passages, not most of its shingles.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def winnow_many(
    word_hashes: Sequence[U64], ngram: int, window: int, seed: int
) -> list[tuple[U64, I64]]:
    """``[winnow(h, ngram, window, seed) for h in word_hashes]``, in one pass over all texts.

    Each numpy call costs microseconds however short its input, and a batch holds thousands
    of texts of a few hundred words: hashing and windowing the texts end to end, then keeping
    only the windows inside one text, gives the same fingerprints several times faster.

    Example::

        >>> from storytrace.fingerprint.tokens import tokenize
        >>> texts = ["one two three four five six seven eight nine ten", "", "a b c"]
        >>> hashes = [tokenize(t, seed=1).hashes for t in texts]
        >>> one = [winnow(h, 3, 4, seed=1) for h in hashes]
        >>> many = winnow_many(hashes, 3, 4, seed=1)
        >>> all((a[0] == b[0]).all() and (a[1] == b[1]).all() for a, b in zip(one, many))
        True
    """
    if len(word_hashes) <= 1:
        return [winnow(h, ngram, window, seed) for h in word_hashes]
    lengths = np.fromiter((len(h) for h in word_hashes), dtype=np.int64, count=len(word_hashes))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    grams = combine_windows(np.concatenate(word_hashes), ngram, seed, "winnow")
    counts = np.maximum(lengths - ngram + 1, 0)  # n-grams of each text
    out: list[tuple[U64, I64]] = [
        (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))
    ] * len(word_hashes)
    long = counts > window
    for k in np.flatnonzero(~long & (counts > 0)).tolist():
        out[k] = winnow(word_hashes[k], ngram, window, seed)
    if not long.any() or len(grams) < window:
        return out
    views = sliding_window_view(grams, window)
    # A window starting at g belongs to text k when it lies inside k's own n-grams.
    firsts = starts[long]
    spans = counts[long] - window + 1
    window_starts = np.repeat(firsts - np.cumsum(spans) + spans, spans) + np.arange(spans.sum())
    rightmost = window - 1 - np.argmin(views[window_starts, ::-1], axis=1)
    positions = np.unique(window_starts + rightmost)
    bounds = np.searchsorted(positions, np.concatenate((firsts, [starts[-1] + lengths[-1]])))
    for j, k in enumerate(np.flatnonzero(long).tolist()):
        pos = positions[bounds[j] : bounds[j + 1]]
        out[k] = (grams[pos], pos - starts[k])
    return out
