"""MinHash signatures: blocks of small documents and column chunks of one huge document."""

from __future__ import annotations

import numpy as np

from storytrace.fingerprint.minhash import _BLOCK_SHINGLES, permutations, signatures


def _naive(shingles: np.ndarray, num_perm: int, seed: int, chunks: int) -> np.ndarray:
    """The textbook formula, ``min((a * x + b) >> 32)`` per permutation, over a few chunks."""
    a, b = permutations(num_perm, seed)
    mins = [
        ((a[:, None] * part[None, :] + b[:, None]) >> np.uint64(32)).min(axis=1)
        for part in np.array_split(shingles, min(chunks, len(shingles)))
    ]
    return np.minimum.reduce(mins).astype(np.uint32)


def test_one_huge_document_is_hashed_in_chunks_to_the_same_signature() -> None:
    shingles = np.random.default_rng(7).integers(0, 2**64 - 1, 300_000, dtype=np.uint64)
    assert len(shingles) > 4 * _BLOCK_SHINGLES
    signature = signatures([shingles], 128, seed=3)
    assert signature.shape == (1, 128) and signature.dtype == np.uint32
    assert np.array_equal(signature[0], _naive(shingles, 128, 3, chunks=3))


def test_huge_documents_among_small_ones_keep_their_rows() -> None:
    rng = np.random.default_rng(11)
    sizes = [3, _BLOCK_SHINGLES + 1, 40_000, 40_000, _BLOCK_SHINGLES, 1, 150_000, 9]
    docs = [rng.integers(0, 2**64 - 1, n, dtype=np.uint64) for n in sizes]
    together = signatures(docs, 64, seed=5)
    for doc, row in zip(docs, together, strict=True):
        assert np.array_equal(row, _naive(doc, 64, 5, chunks=2))
