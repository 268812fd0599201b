"""Candidate pairs: documents that share an LSH bucket or enough rare fingerprints.

Both signals are grouped in DuckDB and each unordered pair is emitted once, in canonical order
(``doc_a < doc_b`` by document index, which follows doc_id order). Neither may grow with the
square of the corpus:

- A fingerprint held by more than ``max_df`` documents is a stock phrase or template line: it
  is dropped before any pair is formed (a phrase in 5,000 documents would otherwise make 12.5
  million pairs).
- An LSH bucket of more than ``max_bucket`` documents is a flood of copies of one text. It
  gives a star, its first (smallest) document paired with each other member, instead of all
  pairs: n - 1 pairs for n copies, and every copy still reaches the story through the first.

Exact copies (same normalised words) never get here: the run loop sends only one
representative of each group of copies through sign, candidates and verify (see
:mod:`storytrace.match.copies`), so document indices here count representatives, and the buckets
that reach ``max_bucket`` are floods of near-copies, each with small edits.
"""

from __future__ import annotations

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from storytrace.config import Config

BAND_DOCS = pa.schema([("key", pa.uint64()), ("doc", pa.int32())])
"""Input of :func:`find_candidates`: each document's LSH band keys (documents numbered)."""
FINGERPRINT_DOCS = pa.schema([("fp", pa.uint64()), ("doc", pa.int32())])
"""Input of :func:`find_candidates`: each document's winnowed fingerprints."""

CANDIDATES = pa.schema(
    [
        ("a", pa.int32()),
        ("b", pa.int32()),
        ("lsh", pa.bool_()),
        ("shared_fingerprints", pa.int32()),
    ]
)


def find_candidates(bands: pa.Table, fingerprints: pa.Table, config: Config) -> pa.Table:
    """Candidate pairs from ``bands`` (key, doc) and ``fingerprints`` (fp, doc) tables.

    Returns a table with schema :data:`CANDIDATES`, sorted by (a, b).
    """
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        con.register("bands", bands)
        con.register("fingerprints", fingerprints)
        query = f"""
        WITH band_docs AS (SELECT DISTINCT key, doc FROM bands),
        buckets AS (
            SELECT key, count(*) AS n, min(doc) AS first FROM band_docs GROUP BY key
            HAVING count(*) >= 2
        ),
        small_docs AS (
            SELECT band_docs.* FROM band_docs
            SEMI JOIN (SELECT key FROM buckets WHERE n <= {int(config.max_bucket)}) USING (key)
        ),
        lsh AS (
            SELECT DISTINCT a, b FROM (
                SELECT x.doc AS a, y.doc AS b
                FROM small_docs x JOIN small_docs y ON x.key = y.key AND x.doc < y.doc
                UNION ALL
                SELECT buckets.first AS a, band_docs.doc AS b
                FROM buckets JOIN band_docs USING (key)
                WHERE buckets.n > {int(config.max_bucket)} AND band_docs.doc > buckets.first
            )
        ),
        fp_docs AS (SELECT DISTINCT fp, doc FROM fingerprints),
        rare AS (
            SELECT fp FROM fp_docs GROUP BY fp
            HAVING count(*) BETWEEN 2 AND {int(config.max_df)}
        ),
        rare_docs AS (SELECT fp_docs.* FROM fp_docs SEMI JOIN rare USING (fp)),
        shared AS (
            SELECT x.doc AS a, y.doc AS b, count(*) AS n
            FROM rare_docs x JOIN rare_docs y ON x.fp = y.fp AND x.doc < y.doc
            GROUP BY ALL
        )
        SELECT coalesce(lsh.a, shared.a)::INTEGER AS a,
               coalesce(lsh.b, shared.b)::INTEGER AS b,
               lsh.a IS NOT NULL AS lsh,
               coalesce(shared.n, 0)::INTEGER AS shared_fingerprints
        FROM lsh FULL OUTER JOIN shared ON lsh.a = shared.a AND lsh.b = shared.b
        WHERE lsh.a IS NOT NULL OR shared.n >= {int(config.min_shared_fingerprints)}
        ORDER BY a, b
        """
        result = con.sql(query).to_arrow_table()
    finally:
        con.close()
    return result.cast(CANDIDATES)


def verification_order(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """An order of the pairs ``(a[i], b[i])`` that keeps each connected group together.

    Verification ships the texts of a task's pairs to a worker and tokenizes them there. In
    (a, b) order, consecutive pairs belong to unrelated stories, so a task of 2,000 pairs
    needs thousands of texts and every text travels once per task that holds one of its
    pairs: with stories of 50 near-copies, some 25 times. Grouped by connected component,
    a task needs about one text per pair it can form, and a text travels about once. The
    order only moves work around: the run sorts pairs and passages on their keys at the end.

    Components come from label propagation with pointer jumping, a few array passes however
    many pairs there are.

    Example::

        >>> order = verification_order(np.array([0, 1, 5, 2]), np.array([9, 7, 9, 7]))
        >>> order.tolist()  # {0, 5, 9} first (smallest member 0), then {1, 2, 7}
        [0, 2, 1, 3]
    """
    if len(a) == 0:
        return np.empty(0, dtype=np.intp)
    label = np.arange(int(max(a.max(), b.max())) + 1)
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    return np.lexsort((b, a, label[a]))
