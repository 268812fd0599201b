"""datasketch: MinHash of each document's shingles, MinHashLSH, clusters of LSH neighbours.

As datasketch documents it: ``MinHash(num_perm)`` updated with each shingle's UTF-8 bytes,
inserted into ``MinHashLSH(threshold, num_perm)``; every document is then queried, and each
document it returns is a near-duplicate. Clusters are the connected components.

    python datasketch_dedup.py DOCS_DIR OUT.tsv --shingle 5 --num-perm 128 --threshold 0.7
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus_io import read_texts, word_shingles, write_pairs_as_clusters
from datasketch import MinHash, MinHashLSH


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("docs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shingle", type=int, default=5)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()

    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    ids: list[str] = []
    sketches: list[MinHash] = []
    for doc_id, text in read_texts(args.docs):
        sketch = MinHash(num_perm=args.num_perm, seed=1)
        sketch.update_batch([s.encode("utf-8") for s in word_shingles(text, args.shingle)])
        lsh.insert(len(ids), sketch)
        ids.append(doc_id)
        sketches.append(sketch)
    found = ((n, other) for n, sketch in enumerate(sketches) for other in lsh.query(sketch))
    write_pairs_as_clusters(args.out, ids, found)


if __name__ == "__main__":
    main()
