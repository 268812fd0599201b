"""The check of the ``near_duplicates`` mode: exact shingle Jaccard, nothing else.

MinHash deduplication tools keep an LSH candidate when its (estimated or exact) Jaccard
reaches a threshold. In ``Config(mode="near_duplicates")`` storytrace does the same, with the
exact Jaccard of the 5-word shingle sets, so it can be compared with them and used where
copies are all that matters. There is no alignment, so a pair gets no passages; its coverage
figures are 0 because nothing was aligned.

Example::

    >>> from storytrace.config import Config
    >>> from storytrace.model import DocText
    >>> text = "one two three four five six seven eight nine ten"
    >>> docs = {0: DocText("a", text, ()), 1: DocText("b", text + " eleven", ())}
    >>> pairs, passages = jaccard_batch([(0, 1)], docs, Config(mode="near_duplicates"))
    >>> pairs.column("jaccard").to_pylist(), passages.num_rows
    ([0.857143], 0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from storytrace.config import Config
from storytrace.fingerprint.shingles import shingle_set
from storytrace.fingerprint.tokens import tokenize_many
from storytrace.model import DocText
from storytrace.schema import PAIRS, PASSAGES


def jaccard_batch(
    pairs: list[tuple[int, int]], docs: dict[int, DocText], config: Config
) -> tuple[pa.Table, pa.Table]:
    """``near_duplicate`` rows (schema PAIRS) of the ``pairs`` whose exact shingle Jaccard is
    at least ``config.lsh_threshold``, and an empty passages table."""
    order = list(docs)
    tokens = tokenize_many([docs[i].clean_text for i in order], config.seed)
    sets = {
        i: shingle_set(t.hashes, config.shingle_size, config.seed)
        for i, t in zip(order, tokens, strict=True)
    }
    rows: list[dict[str, Any]] = []
    for a, b in pairs:
        sa, sb = sets[a], sets[b]
        shared = len(np.intersect1d(sa, sb, assume_unique=True))
        jaccard = shared / (len(sa) + len(sb) - shared)
        if jaccard < config.lsh_threshold:
            continue
        rows.append(
            {
                "doc_a": docs[a].doc_id,
                "doc_b": docs[b].doc_id,
                "relation": "near_duplicate",
                "jaccard": round(jaccard, 6),
                "containment_a_in_b": round(shared / len(sa), 6),
                "containment_b_in_a": round(shared / len(sb), 6),
                "coverage_a": 0.0,
                "coverage_b": 0.0,
                "passages": 0,
                "longest_passage_words": 0,
                "reason": f"{config.shingle_size}-word shingle Jaccard {jaccard:.2f} reaches "
                f"{config.lsh_threshold:g} (near_duplicates mode: not aligned)",
            }
        )
    return pa.Table.from_pylist(rows, schema=PAIRS), PASSAGES.empty_table()
