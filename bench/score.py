"""Quality of a clustering against the truth: pair precision and recall, adjusted Rand index.

Every tool's output is read as a partition of the corpus: a storytrace story, or a peer's
duplicate cluster, is one part, and every document in no cluster is a part of its own. A
*pair* is two documents in one part. A found pair is true when the truth puts both documents
in one cluster too. All figures come from the contingency table of the two partitions, so no
pair is ever listed: a cluster of 5,000 copies costs one cell, not 12.5 million pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass(frozen=True)
class Agreement:
    pairs_found: int
    pairs_true: int
    pairs_correct: int
    precision: float
    recall: float
    ari: float


def agreement(truth: Sequence[str], found: Sequence[str]) -> Agreement:
    """Compare two labelings of the same documents (``truth[i]`` and ``found[i]``)."""
    if len(truth) != len(found):
        raise ValueError("truth and found must label the same documents")
    cells = Counter(zip(truth, found, strict=True))
    correct = sum(_pairs(n) for n in cells.values())
    true_pairs = sum(_pairs(n) for n in Counter(truth).values())
    found_pairs = sum(_pairs(n) for n in Counter(found).values())
    all_pairs = _pairs(len(truth))
    expected = true_pairs * found_pairs / all_pairs if all_pairs else 0.0
    top = (true_pairs + found_pairs) / 2 - expected
    ari = (correct - expected) / top if top else 1.0
    return Agreement(
        pairs_found=found_pairs,
        pairs_true=true_pairs,
        pairs_correct=correct,
        precision=correct / found_pairs if found_pairs else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        ari=ari,
    )


def labels(ids: Sequence[str], clusters: Mapping[str, str]) -> list[str]:
    """A label per id: its cluster, or the id itself when it is in none (a singleton)."""
    return [clusters.get(i, "\0" + i) for i in ids]


def linked(clusters: Mapping[str, str], a: str, b: str) -> bool:
    """Whether two documents ended up in one cluster."""
    return a in clusters and clusters.get(a) == clusters.get(b)
