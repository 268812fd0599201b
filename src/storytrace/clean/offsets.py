"""Map offsets in clean text back to offsets in the original text.

Cleaning copies whole stretches of the original (the kept lines) and puts separators between
them. A :class:`Segment` records one copied stretch; any clean offset inside a segment maps to
the same distance into the original stretch. Offsets that fall on a separator map to the end
of the preceding stretch (for an end offset) or the start of the next (for a start offset), so
a mapped span never swallows removed boilerplate at its edges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]


class Segment(NamedTuple):
    clean_start: int
    original_start: int
    length: int


def segments_from_rows(rows: Sequence[Mapping[str, int]]) -> tuple[Segment, ...]:
    """Segments from the ``clean_map`` column of documents.parquet."""
    return tuple(Segment(r["clean_start"], r["original_start"], r["length"]) for r in rows)


@lru_cache(maxsize=4096)
def _columns(segments: tuple[Segment, ...]) -> tuple[I64, I64, I64]:
    """Clean starts, original starts and lengths of a text's segments, as arrays. Cached: a
    text's passages are mapped in every pair it is in, four offsets lists at a time."""
    table = np.array(segments, dtype=np.int64).reshape(-1, 3)
    columns = (table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())
    for column in columns:
        column.flags.writeable = False
    return columns


def to_original(
    segments: tuple[Segment, ...] | list[Segment],
    offsets: npt.ArrayLike,
    *,
    is_end: bool = False,
) -> npt.NDArray[np.int64]:
    """Original-text offsets of clean-text ``offsets`` (start offsets, or end offsets)."""
    points = np.asarray(offsets, dtype=np.int64)
    if not segments:
        return np.zeros_like(points)
    clean, orig, length = _columns(tuple(segments))
    # An end offset equal to a segment's start belongs to the previous segment.
    found = (
        np.searchsorted(clean, points, side="left")
        if is_end
        else np.searchsorted(clean, points, side="right")
    )
    idx = np.clip(found - 1, 0, len(segments) - 1)
    inside = points - clean[idx]
    if is_end:
        ends: npt.NDArray[np.int64] = orig[idx] + np.clip(inside, 0, length[idx])
        return ends
    past_end = inside >= length[idx]
    nxt = np.minimum(idx + 1, len(segments) - 1)
    mapped = orig[idx] + np.clip(inside, 0, length[idx])
    starts: npt.NDArray[np.int64] = np.where(past_end & (nxt != idx), orig[nxt], mapped)
    return starts
