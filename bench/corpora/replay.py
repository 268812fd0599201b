"""Replay and scale corpora: the real documents plus derived ones, with known truth.

The corpus holds every real document once, then ``size - len(real)`` derived documents. Each
derived document picks its source uniformly among the real ones and is made from it by one
kind of change (:mod:`bench.corpora.derive`); its truth cluster is its source's. Derived ids
(``d0000001``...) say nothing about the source and do not sort next to it, as in a crawl.

Shards are built independently, each from its own seed, in a pool of processes: the corpus
depends only on (seed, size), and the first shards of a larger corpus are those of a smaller
one. Nothing holds more than one shard of derived text at a time.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from bench.corpora.derive import KINDS, Derivation, derive, make_sites
from bench.corpora.shards import (
    SHARD_DOCS,
    TRUTH,
    Doc,
    read_docs,
    read_truth,
    shard_path,
    write_shard,
    write_truth,
)

_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")

SITES = 40
"""Reprinting sites, each with its own template lines."""


@dataclass(frozen=True)
class _Base:
    docs: list[Doc]
    clusters: list[str]
    vocab: list[str]


_BASE: _Base | None = None


def _load_base(real: Path, base_docs: int | None = None) -> _Base:
    """The real documents (only the first ``base_docs`` and the seeds, for a small corpus)."""
    docs = list(read_docs(real))
    if base_docs is not None:
        docs = docs[:base_docs] + [d for d in docs[base_docs:] if d.id.startswith("seed-")]
    truth = read_truth(real)
    cluster_of = dict(zip(truth["id"].to_pylist(), truth["cluster"].to_pylist(), strict=True))
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(_WORD.findall(doc.text))
    vocab = sorted(w for w, n in counts.items() if n >= 3)
    return _Base(docs, [cluster_of[d.id] for d in docs], vocab)


def _init(real: Path, base_docs: int | None) -> None:
    global _BASE
    _BASE = _load_base(real, base_docs)


def _derived_shard(task: tuple[Path, int, int, int, int]) -> pa.Table:
    """Write derived shard ``index`` (documents ``first .. first + count - 1``)."""
    out, seed, index, first, count = task
    assert _BASE is not None
    base = _BASE
    rng = random.Random(f"{seed}/{index}")
    sites = make_sites(random.Random(f"{seed}/sites"), SITES)
    kinds, weights = list(KINDS), list(KINDS.values())
    docs, rows = [], []
    for n in range(first, first + count):
        source = rng.randrange(len(base.docs))
        kind = rng.choices(kinds, weights)[0]
        text = derive(rng, base.docs[source].text, Derivation(kind, base.vocab, sites))
        doc_id = f"d{n:07d}"
        docs.append(Doc(doc_id, text))
        rows.append((doc_id, base.clusters[source], kind, base.docs[source].id))
    write_shard(shard_path(out, index), docs)
    ids, clusters, kinds_of, sources = (list(c) for c in zip(*rows, strict=True))
    return pa.table({"id": ids, "cluster": clusters, "kind": kinds_of, "source": sources})


def build_replay(
    real: Path, out: Path, size: int, seed: int, workers: int = 2, base_docs: int | None = None
) -> int:
    """Write a corpus of ``size`` documents to ``out``; returns the number written.

    ``base_docs`` makes a small corpus from the first real documents (and the seeds) only.
    """
    base = _load_base(real, base_docs)
    real_shards = 0
    for start in range(0, len(base.docs), SHARD_DOCS):
        write_shard(shard_path(out, real_shards), base.docs[start : start + SHARD_DOCS])
        real_shards += 1
    derived = max(0, size - len(base.docs))
    tasks = [
        (out, seed, real_shards + i, start, min(SHARD_DOCS, derived - start))
        for i, start in enumerate(range(0, derived, SHARD_DOCS))
    ]
    ids = [d.id for d in base.docs]
    parts = [
        pa.table(
            {"id": ids, "cluster": base.clusters, "kind": ["original"] * len(ids), "source": ids},
            schema=TRUTH,
        )
    ]
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(real, base_docs)) as pool:
        parts.extend(t.cast(TRUTH) for t in pool.map(_derived_shard, tasks))
    write_truth(out, pa.concat_tables(parts))
    return len(base.docs) + derived
