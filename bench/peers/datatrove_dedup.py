"""datatrove: its four MinHash pipeline stages on the local executor.

Signatures (one task per shard), buckets (one task per bucket), clusters (``save_cluster_id``)
as datatrove's MinHash example runs them, each stage a ``LocalPipelineExecutor`` with two
workers. The cluster files name documents by (task, index in the task's shard); this script
maps them back to ids by reading the shards in the same order, as the reader does.

    python datatrove_dedup.py DOCS_DIR OUT.tsv WORK_DIR [--buckets 16 --rows 8]
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

from corpus_io import UnionFind, read_texts, write_clusters
from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("docs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--shingle", type=int, default=None)
    parser.add_argument("--buckets", type=int, default=None)
    parser.add_argument("--rows", type=int, default=None)
    args = parser.parse_args()

    config = MinhashConfig()
    if args.buckets:
        config = MinhashConfig(
            n_grams=args.shingle, num_buckets=args.buckets, hashes_per_bucket=args.rows
        )
    shards = sorted(args.docs.glob("part-*.jsonl"))
    work = args.work
    LocalPipelineExecutor(
        [
            JsonlReader(str(args.docs), glob_pattern="part-*.jsonl"),
            MinhashDedupSignature(output_folder=str(work / "signatures"), config=config),
        ],
        tasks=len(shards),
        workers=2,
        logging_dir=str(work / "logs/signatures"),
    ).run()
    LocalPipelineExecutor(
        [
            MinhashDedupBuckets(
                input_folder=str(work / "signatures"),
                output_folder=str(work / "buckets"),
                config=config,
            )
        ],
        tasks=config.num_buckets,
        workers=2,
        logging_dir=str(work / "logs/buckets"),
    ).run()
    LocalPipelineExecutor(
        [
            MinhashDedupCluster(
                input_folder=str(work / "buckets"),
                output_folder=str(work / "clusters"),
                config=config,
                save_cluster_id=True,
            )
        ],
        tasks=1,
        logging_dir=str(work / "logs/clusters"),
    ).run()

    ids = [doc_id for doc_id, _ in read_texts(args.docs)]
    first = [0]
    for shard in shards:
        with shard.open("rb") as fh:
            first.append(first[-1] + sum(1 for _ in fh))
    # Documents 0 .. len(ids) - 1, datatrove's clusters after them.
    groups: UnionFind[int] = UnionFind()
    for path in sorted((work / "clusters").glob("*.clusters")):
        task = int(path.name.split(".")[0])
        for doc, cluster in struct.iter_unpack("<II", path.read_bytes()):
            groups.union(first[task] + doc, len(ids) + cluster)
    write_clusters(args.out, ids, groups)


if __name__ == "__main__":
    main()
