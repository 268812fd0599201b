"""Align the text two articles share: passages robust to moved paragraphs and small edits.

The alignment works on word hashes. Anchors are word n-grams (``seed_words`` long) that occur
exactly once in each text, the same idea as patience diff and MUMmer's unique matches: a phrase
that is unique on both sides is very unlikely to match by chance, while repeated stock phrases
("the company said") could pair up anywhere and are left out. Consecutive anchors on one
diagonal collapse into exact runs; runs are then chained into passages while the gap between
them is at most ``max_gap`` words on both sides, which bridges an edited word, an inserted
clause or a changed figure. Anchors are never required to be in the same order across the whole
text: a moved paragraph is simply another passage. Finally passages are made one-to-one, longest
first, so no word is aligned twice.

Example::

    >>> import numpy as np
    >>> a = np.arange(40, dtype=np.uint64)
    >>> b = np.concatenate([a[20:], a[:20]])            # two halves swapped
    >>> [(p.a_start, p.a_end, p.b_start, p.b_end) for p in align(a, b, 3, 5, 5, seed=1)]
    [(0, 20, 20, 40), (20, 40, 0, 20)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from storytrace.fingerprint.hashing import U64, combine_windows

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Passage:
    """Word ranges [start, end) aligned in both texts and how many words match exactly."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int

    @property
    def a_words(self) -> int:
        return self.a_end - self.a_start

    @property
    def b_words(self) -> int:
        return self.b_end - self.b_start

    @property
    def similarity(self) -> float:
        """Share of the longer side's words matched exactly."""
        return self.matched / max(self.a_words, self.b_words)


UniqueGrams = tuple[U64, I64]
"""The n-grams that occur once in a text (their hashes, sorted) and where each starts."""


def _unique_grams(grams: U64) -> UniqueGrams:
    values, first, counts = np.unique(grams, return_index=True, return_counts=True)
    once = counts == 1
    return values[once], first[once]


def unique_anchor_grams(hashes: U64, width: int, seed: int) -> UniqueGrams:
    """The ``width``-word n-grams that occur once in a text: one side of :func:`anchors`. A
    text is in many pairs; a caller that keeps these per text computes them once."""
    return _unique_grams(combine_windows(hashes, width, seed, "anchor"))


def anchor_width(a: U64, b: U64, seed_words: int) -> int:
    """Words per anchor for two texts: ``seed_words``, or the shorter text's length."""
    return min(seed_words, len(a), len(b))


def anchors(
    a: U64, b: U64, seed_words: int, seed: int, grams: tuple[UniqueGrams, UniqueGrams] | None = None
) -> tuple[I64, I64]:
    """Word positions (i in a, j in b) of n-grams unique in both texts, sorted by i.

    ``grams`` gives both texts' :func:`unique_anchor_grams` at :func:`anchor_width`, when
    the caller keeps them."""
    width = anchor_width(a, b, seed_words)
    if width == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    if grams is None:
        grams = unique_anchor_grams(a, width, seed), unique_anchor_grams(b, width, seed)
    (va, pa), (vb, pb) = grams
    _, xa, xb = np.intersect1d(va, vb, assume_unique=True, return_indices=True)
    i, j = pa[xa].astype(np.int64), pb[xb].astype(np.int64)
    order = np.argsort(i, kind="stable")
    return i[order], j[order]


@dataclass
class _Chain:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int


def _runs(i: I64, j: I64, width: int) -> list[tuple[int, int, int]]:
    """Collapse anchors that continue each other into exact runs (a, b, words)."""
    if len(i) == 0:
        return []
    breaks = np.flatnonzero((np.diff(i) != 1) | (np.diff(j) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    stops = np.concatenate((breaks, [len(i)]))
    return [
        (int(i[s]), int(j[s]), int(e - s) + width - 1)
        for s, e in zip(starts.tolist(), stops.tolist(), strict=True)
    ]


def _chain(runs: list[tuple[int, int, int]], width: int, max_gap: int) -> list[_Chain]:
    chains: list[_Chain] = []
    open_chains: list[_Chain] = []
    overlap = width - 1  # neighbouring runs may share up to n-1 words at a broken anchor
    for ri, rj, words in runs:
        best: _Chain | None = None
        best_gap = max_gap + 1
        still_open = []
        for chain in open_chains:
            gap_a = ri - chain.a_end
            if gap_a > max_gap:
                continue  # this chain can no longer be reached: close it
            still_open.append(chain)
            gap_b = rj - chain.b_end
            if -overlap <= gap_a and -overlap <= gap_b <= max_gap:
                gap = max(gap_a, gap_b, 0)
                if abs(gap_a - gap_b) <= max_gap and gap < best_gap:
                    best, best_gap = chain, gap
        open_chains = still_open
        if best is None:
            best = _Chain(ri, ri + words, rj, rj + words, words)
            chains.append(best)
            open_chains.append(best)
            continue
        fresh = words - max(0, best.a_end - ri, best.b_end - rj)
        best.matched += max(fresh, 0)
        best.a_end = max(best.a_end, ri + words)
        best.b_end = max(best.b_end, rj + words)
    return chains


def _one_to_one(chains: list[_Chain], len_a: int, len_b: int) -> list[_Chain]:
    """Keep the longest passages such that no word of either text is aligned twice."""
    used_a = np.zeros(len_a, dtype=np.bool_)
    used_b = np.zeros(len_b, dtype=np.bool_)
    kept = []
    for chain in sorted(chains, key=lambda c: (-c.matched, c.a_start, c.b_start)):
        if used_a[chain.a_start : chain.a_end].any() or used_b[chain.b_start : chain.b_end].any():
            continue
        used_a[chain.a_start : chain.a_end] = True
        used_b[chain.b_start : chain.b_end] = True
        kept.append(chain)
    return kept


def align(
    a: U64,
    b: U64,
    seed_words: int,
    max_gap: int,
    min_words: int,
    seed: int,
    grams: tuple[UniqueGrams, UniqueGrams] | None = None,
) -> list[Passage]:
    """Aligned passages between word-hash sequences ``a`` and ``b``, ordered by position in
    a (``grams``: see :func:`anchors`)."""
    width = anchor_width(a, b, seed_words)
    i, j = anchors(a, b, seed_words, seed, grams)
    chains = _chain(_runs(i, j, width), width, max_gap)
    chains = [c for c in chains if min(c.a_end - c.a_start, c.b_end - c.b_start) >= min_words]
    chains = _one_to_one(chains, len(a), len(b))
    return sorted(
        (Passage(c.a_start, c.a_end, c.b_start, c.b_end, c.matched) for c in chains),
        key=lambda p: (p.a_start, p.b_start),
    )


def coverage(passages: list[Passage], length: int, side: Literal["a", "b"]) -> float:
    """Share of a text's words inside the passages."""
    if length == 0:
        return 0.0
    if side == "a":
        return sum(p.a_words for p in passages) / length
    return sum(p.b_words for p in passages) / length
