"""Corpora on disk: JSONL shards of ``{"id", "text"}`` (and ``source`` where a corpus knows
the site) that every tool reads, and the truth.

A corpus folder holds ``docs/part-NNNNN.jsonl`` (every tool reads the same files, in name
order) and ``truth.parquet`` (``id``, ``cluster``, ``kind``, ``source``). Shards keep a
million documents off the heap: builders write them one at a time, and readers stream them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SHARD_DOCS = 10_000
"""Documents per shard: small enough to build and hold one shard per worker, large enough
that a million documents make only a hundred files."""

TRUTH = pa.schema(
    [
        ("id", pa.string()),
        ("cluster", pa.string()),
        ("kind", pa.string()),
        ("source", pa.string()),
    ]
)
"""One row per document: its truth cluster, how it was made ("original" for real documents)
and, for a derived document, the id of the real document it was made from."""


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    source: str | None = None
    """The site that published the document, where the corpus says (the flood corpus)."""


def docs_dir(corpus: Path) -> Path:
    return corpus / "docs"


def shard_path(corpus: Path, index: int) -> Path:
    return docs_dir(corpus) / f"part-{index:05d}.jsonl"


def write_shard(path: Path, docs: Iterable[Doc]) -> int:
    """Write one shard atomically (a half-written shard never looks finished)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    count = 0
    with partial.open("w", encoding="utf-8") as fh:
        for doc in docs:
            row = {"id": doc.id, "text": doc.text}
            if doc.source is not None:
                row["source"] = doc.source
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    partial.replace(path)
    return count


def read_docs(corpus: Path) -> Iterator[Doc]:
    """Every document of a corpus, shard by shard."""
    for path in sorted(docs_dir(corpus).glob("part-*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                yield Doc(row["id"], row["text"], row.get("source"))


def write_truth(corpus: Path, table: pa.Table) -> None:
    pq.write_table(table.cast(TRUTH), corpus / "truth.parquet", compression="zstd")


def read_truth(corpus: Path) -> pa.Table:
    return pq.read_table(corpus / "truth.parquet")
