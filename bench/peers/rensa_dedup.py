"""rensa: R-MinHash sketches of each document's shingles, RMinHashLSH, clusters.

Sketches are built in batches with ``RMinHash.from_token_sets`` (rensa's batch API), inserted
into ``RMinHashLSH(threshold, num_perm, num_bands)``; every document is then queried and each
key returned is a near-duplicate. Clusters are the connected components.

    python rensa_dedup.py DOCS_DIR OUT.tsv --shingle 5 --num-perm 128 --threshold 0.7 --bands 9
"""

from __future__ import annotations

import argparse
from itertools import islice
from pathlib import Path

from corpus_io import read_texts, word_shingles, write_pairs_as_clusters
from rensa import RMinHash, RMinHashLSH

_BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("docs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shingle", type=int, default=5)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--bands", type=int, default=8)
    args = parser.parse_args()

    lsh = RMinHashLSH(threshold=args.threshold, num_perm=args.num_perm, num_bands=args.bands)
    ids: list[str] = []
    sketches: list[RMinHash] = []
    docs = read_texts(args.docs)
    while batch := list(islice(docs, _BATCH)):
        tokens = [word_shingles(text, args.shingle) or [""] for _, text in batch]
        made = RMinHash.from_token_sets(tokens, num_perm=args.num_perm, seed=42)
        for (doc_id, _), sketch in zip(batch, made, strict=True):
            lsh.insert(len(ids), sketch)
            ids.append(doc_id)
            sketches.append(sketch)
    found = ((n, other) for n, sketch in enumerate(sketches) for other in lsh.query(sketch))
    write_pairs_as_clusters(args.out, ids, found)


if __name__ == "__main__":
    main()
