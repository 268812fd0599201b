"""What every peer script shares: reading the corpus shards, shingling, writing clusters.

Peer scripts run in their own virtual environments, with nothing but the peer installed, so
this module needs only the standard library.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

_WORD = re.compile(r"\w+")

K = TypeVar("K", int, str)


def read_texts(docs: Path) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every document, shard by shard in name order."""
    for path in sorted(docs.glob("part-*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                yield row["id"], row["text"]


def word_shingles(text: str, size: int) -> list[str]:
    """Distinct ``size``-word shingles of the lower-cased words; a shorter text is one
    shingle of all its words. ``size`` 1 gives the distinct words."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return list({" ".join(words[i : i + size]) for i in range(len(words) - size + 1)})


class UnionFind(Generic[K]):
    """Connected components over document numbers (or ids); a root is its smallest member."""

    def __init__(self) -> None:
        self.parent: dict[K, K] = {}

    def find(self, x: K) -> K:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: K, y: K) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            lo, hi = sorted((rx, ry))
            self.parent[hi] = lo


def write_clusters(out: Path, ids: list[str], groups: UnionFind[int]) -> None:
    """``id<TAB>cluster`` for every document in a cluster of two or more. Numbers from
    ``len(ids)`` on may stand for a tool's own cluster nodes: they join documents, and are
    never written (a root is the smallest member, so always a document)."""
    members: dict[int, list[int]] = {}
    for x in [x for x in groups.parent if x < len(ids)]:
        members.setdefault(groups.find(x), []).append(x)
    with out.open("w", encoding="utf-8") as fh:
        for root, docs in members.items():
            if len(docs) > 1:
                fh.writelines(f"{ids[d]}\t{ids[root]}\n" for d in docs)


def write_pairs_as_clusters(out: Path, ids: list[str], pairs: Iterable[tuple[int, int]]) -> None:
    groups: UnionFind[int] = UnionFind()
    for a, b in pairs:
        groups.union(a, b)
    write_clusters(out, ids, groups)
