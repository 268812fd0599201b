"""Locality-sensitive hashing: bands of MinHash rows become bucket keys.

Two documents with Jaccard ``s`` share at least one of ``b`` bands of ``r`` rows with
probability ``1 - (1 - s**r)**b``. The number of bands and rows is chosen from the threshold by
integrating the false-positive area left of it and the false-negative area right of it and
taking the (b, r) that minimises their sum, as datasketch does.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from storytrace.fingerprint.hashing import U64, random_u64, splitmix64
from storytrace.fingerprint.minhash import U32


def _area(fn_of_s: npt.NDArray[np.float64], xs: npt.NDArray[np.float64]) -> float:
    return float(np.trapezoid(fn_of_s, xs))


@lru_cache(maxsize=64)
def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives + false negatives around ``threshold``."""
    best: tuple[float, int, int] | None = None
    lo = np.linspace(0.0, threshold, 200)
    hi = np.linspace(threshold, 1.0, 200)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_pos = _area(1 - (1 - lo**rows) ** bands, lo)
            false_neg = _area((1 - hi**rows) ** bands, hi)
            error = false_pos + false_neg
            if best is None or error < best[0]:
                best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]


def band_keys(signatures: U32, bands: int, rows: int, seed: int) -> U64:
    """``(documents, bands)`` bucket keys; a key already includes its band number, so keys
    of different bands never collide by construction."""
    coef = random_u64(seed, "lsh-rows", rows, odd=True)
    band_salt = random_u64(seed, "lsh-bands", bands)
    sig = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
    with np.errstate(over="ignore"):
        acc = (sig * coef[None, None, :]).sum(axis=2, dtype=np.uint64)
        return splitmix64(acc ^ band_salt[None, :])
