"""Candidate pairs for the same-event relation, from an approximate nearest-neighbour index.

All pairs of a corpus grow with its square (200,000 articles: 2·10^10 pairs); each article's
``k`` nearest neighbours grow with it linearly. The index is usearch's HNSW graph over the
unit-length embeddings with the cosine metric, built with one thread and the vectors added
in doc_id order: so built, the graph and every answer are the same on each run (a graph
built by several threads at once depends on which thread got there first).

The cosine of each pair found is then computed again from the two vectors in float64, so
the figure written does not depend on the index's own arithmetic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from storytrace.schema import EMBEDDING_DIMENSIONS as DIMENSIONS
from storytrace.semantic.errors import SemanticExtraMissing, missing_message

CONNECTIVITY = 16
"""Links per node of the graph (usearch's default)."""
EXPANSION_ADD = 128
EXPANSION_SEARCH = 64
"""Candidates kept while building and while searching: above the neighbours asked for, so
the graph finds the true nearest ones almost always (usearch's defaults)."""


def nearest_pairs(
    vectors: npt.NDArray[np.float32], neighbours: int, min_cosine: float, mutual: bool = True
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Pairs ``(i, j)``, ``i < j``, where each is among the other's ``neighbours`` nearest
    rows of ``vectors`` (one of them is enough when not ``mutual``) and their cosine is at
    least ``min_cosine``; with the cosine. Each pair once, sorted.

    >>> v = np.eye(3, 384, dtype=np.float32); v[1, 0] = 1; v /= np.linalg.norm(v, axis=1)[:, None]
    >>> nearest_pairs(v, 2, 0.5)
    (array([0]), array([1]), array([0.70710677]))
    """
    n = len(vectors)
    empty = np.empty(0, dtype=np.int64)
    if n < 2 or neighbours < 1:
        return empty, empty, np.empty(0, dtype=np.float64)
    try:
        from usearch.index import Index
    except ImportError as err:
        raise SemanticExtraMissing(missing_message("usearch")) from err
    index = Index(
        ndim=DIMENSIONS,
        metric="cos",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index.add(np.arange(n, dtype=np.uint64), vectors, threads=1)
    found = index.search(vectors, min(neighbours + 1, n), threads=1)
    keys = np.asarray(found.keys, dtype=np.int64).reshape(n, -1)
    rows = np.repeat(np.arange(n, dtype=np.int64), keys.shape[1])
    cols = keys.ravel()
    valid = (cols >= 0) & (cols < n) & (cols != rows)
    lo = np.minimum(rows[valid], cols[valid])
    hi = np.maximum(rows[valid], cols[valid])
    pairs, seen = np.unique(np.stack([lo, hi], axis=1), axis=0, return_counts=True)
    if mutual:  # found from both ends
        pairs = pairs[seen >= 2]
    if len(pairs) == 0:
        return empty, empty, np.empty(0, dtype=np.float64)
    a, b = pairs[:, 0], pairs[:, 1]
    cosine = np.einsum("ij,ij->i", vectors[a].astype(np.float64), vectors[b].astype(np.float64))
    keep = cosine >= min_cosine
    return a[keep], b[keep], cosine[keep]
