"""Candidate pairs: documents that share an LSH bucket or enough rare fingerprints.

Both signals are grouped in DuckDB and each unordered pair is emitted once, in canonical order
(``doc_a < doc_b`` by document index, which follows doc_id order). The work grows with the
corpus, never with the square of the copies of a story:

- A small group of documents that share an LSH bucket (at most ``max_bucket``) or a
  fingerprint (at most ``max_df``) gives every pair: a wire story and its updates share a
  few clauses with each other and with related items, and only all pairs find them.
- A larger group is linked through its *centres*, the ``link_centres`` members that rank
  first by a hash of their uid: each other member is paired with each centre, not with
  every other member. A story printed 1,000 times gives about two pairs per print, not
  499,500, and every print still reaches the story through a centre. Either way a document
  is paired with a bounded number of others per group it is in.
- Centres are chosen by a hash, not by position, so that two groups share their centre about
  as often as they share their members (the chance that two sets have the same smallest
  hash is their Jaccard). The fingerprints of one story's sentences are held by the same
  prints, so their pairs with the centres come back fingerprint after fingerprint and pass
  ``min_shared_fingerprints``; a stock phrase ("the company said it expects") is held by
  otherwise unrelated documents, its centres change from phrase to phrase, and its pairs are
  seen once. So no fingerprint is dropped for being common: a story's own sentences stay
  evidence however often it is printed, where a cap on document frequency counted prints.

Exact copies (same normalised words) never get here: the run loop sends only one
representative of each group of copies through sign, candidates and verify (see
:mod:`storytrace.match.copies`), so document indices here count representatives.
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


def find_candidates(
    bands: pa.Table, fingerprints: pa.Table, ranks: npt.NDArray[np.uint64], config: Config
) -> pa.Table:
    """Candidate pairs from ``bands`` (key, doc) and ``fingerprints`` (fp, doc) tables.

    ``ranks[doc]`` orders the members of a group to choose its centres (a hash: the uid).
    Returns a table with schema :data:`CANDIDATES`, sorted by (a, b).
    """
    centres = int(config.link_centres)
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        con.register("bands", bands)
        con.register("fingerprints", fingerprints)
        con.register(
            "ranks",
            pa.table({"doc": np.arange(len(ranks), dtype=np.int32), "rank": ranks}),
        )

        def placed(table: str, key: str, every_pair: int) -> str:
            """Each member of each group of ``table`` (by ``key``) with its place in the
            group's order of ranks, and how many of the first places are centres (all of
            them in a group of at most ``every_pair``)."""
            return f"""
            SELECT {key} AS grp, doc,
                   row_number() OVER (PARTITION BY {key} ORDER BY rank, doc) AS place,
                   CASE WHEN count(*) OVER (PARTITION BY {key}) <= {int(every_pair)}
                        THEN {int(every_pair)} ELSE {centres} END AS centres
            FROM (SELECT DISTINCT {key}, doc FROM {table}) JOIN ranks USING (doc)
            """

        def with_centres(members: str) -> str:
            """Pairs (a, b) of every member with each centre of its group: one row per group
            that makes the pair."""
            return f"""
            SELECT least(c.doc, m.doc) AS a, greatest(c.doc, m.doc) AS b
            FROM {members} AS m JOIN {members} AS c ON c.grp = m.grp
            WHERE c.place <= c.centres AND m.place > c.place
            """

        query = f"""
        WITH band_members AS ({placed("bands", "key", config.max_bucket)}),
        fp_members AS ({placed("fingerprints", "fp", config.max_df)}),
        lsh AS (SELECT DISTINCT a, b FROM ({with_centres("band_members")})),
        shared AS (
            SELECT a, b, count(*) AS n FROM ({with_centres("fp_members")}) GROUP BY ALL
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
