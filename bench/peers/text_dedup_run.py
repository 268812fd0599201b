"""text-dedup: its MinHash command (``python -m text_dedup.minhash``) on the JSONL shards.

The command loads the shards with Hugging Face ``datasets`` (the ``json`` builder, local
files), hashes, bands, clusters and saves the deduplicated dataset. With ``--debug`` it also
saves its union-find, keyed by our ids (``--idx_column id``); this script reads that back as
clusters. Everything the command does, saving the deduplicated copy included, is measured.

    python text_dedup_run.py DOCS_DIR OUT.tsv WORK_DIR [text_dedup.minhash options...]
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from corpus_io import UnionFind, write_clusters


def main() -> None:
    docs, out, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    command = [
        sys.executable,
        "-m",
        "text_dedup.minhash",
        "--path",
        "json",
        "--data_files",
        str(docs / "part-*.jsonl"),
        "--split",
        "train",
        "--cache_dir",
        str(work / "cache"),
        "--output",
        str(work / "output"),
        "--column",
        "text",
        "--idx_column",
        "id",
        "--debug",
        *sys.argv[4:],
    ]
    subprocess.run(command, check=True)
    with (work / "output" / "uf.pkl").open("rb") as fh:
        found = pickle.load(fh)  # text-dedup's UnionFind over our ids
    ids = sorted(found.parent)
    number = {doc_id: n for n, doc_id in enumerate(ids)}
    groups: UnionFind[int] = UnionFind()
    for doc_id in ids:
        groups.union(number[doc_id], number[found.find(doc_id)])
    write_clusters(out, ids, groups)


if __name__ == "__main__":
    main()
