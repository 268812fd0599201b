"""Splitting frames into tasks of complete groups, for engines that run in one process tree.

A co-group brings together every row of every input that shares a key. Here the keys of all
inputs are ranked together (their distinct values in ascending order), each input is ordered
by rank, and the ranks are cut into runs of about ``batch_rows`` rows in all: a task is one
such run, and takes the same ranks from every input. Rows are only taken out of an input
when its task is built, so a large input is never copied whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class GroupPlan:
    """Which rows of each input each task takes."""

    orders: list[Ints]
    """Per input, its row numbers ordered by key rank."""
    bounds: list[Ints]
    """Per input, the position in ``orders`` where each task starts (one more at the end)."""

    def __len__(self) -> int:
        return len(self.bounds[0]) - 1 if self.bounds else 0

    def rows(self, task: int, which: int) -> Ints:
        """Row numbers of input ``which`` in ``task``."""
        lo, hi = self.bounds[which][task], self.bounds[which][task + 1]
        return self.orders[which][lo:hi]


def _key_ranks(keys: Sequence[pa.ChunkedArray | pa.Array]) -> list[Ints]:
    """Per input, each row's key as its rank among the distinct keys of all inputs."""
    arrays = [k.combine_chunks() if isinstance(k, pa.ChunkedArray) else k for k in keys]
    if any(a.null_count for a in arrays):
        raise ValueError("a group key is null")
    distinct = pc.unique(pa.concat_arrays(arrays)) if arrays else pa.array([])
    ordered = distinct.take(pc.sort_indices(distinct))
    return [
        pc.index_in(a, value_set=ordered).to_numpy(zero_copy_only=False).astype(np.int64)
        for a in arrays
    ]


def plan_groups(
    keys: Sequence[pa.ChunkedArray | pa.Array],
    batch_rows: int,
    descending: bool = False,
) -> GroupPlan:
    """Tasks of whole groups, about ``batch_rows`` rows each over all inputs.

    Groups go in ascending key order (``descending`` reverses it, for the test engine that
    checks nothing depends on that order). A group larger than ``batch_rows`` is a task of
    its own.
    """
    ranks = _key_ranks(keys)
    groups = 1 + max((int(r.max()) for r in ranks if len(r)), default=-1)
    if descending:
        ranks = [groups - 1 - r for r in ranks]
    sizes = np.zeros(groups, dtype=np.int64)
    for r in ranks:
        sizes += np.bincount(r, minlength=groups)
    # A task closes at the first group that brings it to batch_rows rows.
    cuts = [0]
    filled = 0
    for g, size in enumerate(sizes.tolist()):
        filled += size
        if filled >= batch_rows:
            cuts.append(g + 1)
            filled = 0
    if cuts[-1] != groups:
        cuts.append(groups)
    orders, bounds = [], []
    edges = np.asarray(cuts, dtype=np.int64)
    for r in ranks:
        order = np.argsort(r, kind="stable")
        orders.append(order.astype(np.int64))
        bounds.append(np.searchsorted(r[order], edges, side="left").astype(np.int64))
    return GroupPlan(orders, bounds)


def compact(table: pa.Table, rows: Ints | None = None) -> pa.Table:
    """A copy of ``table`` (or of its ``rows``, in ascending order) holding only its own
    buffers.

    A slice shares its parent's buffers, and pickling it (to send it to a worker process)
    writes those whole buffers: a 2,000-row slice of a million-document table crossed to the
    worker as the full 2 GB. The copy crosses as its own few megabytes. Rows are taken chunk
    by chunk: ``Table.take`` over a table of many chunks first joins each string column
    into one array, a copy of every text for every task.
    """
    batches = table.to_batches()
    if rows is None:
        return pa.Table.from_batches(
            [b.take(pa.array(range(b.num_rows))) for b in batches], table.schema
        )
    wanted = np.sort(rows)
    starts = np.cumsum([0] + [b.num_rows for b in batches])
    edges = np.searchsorted(wanted, starts)  # where each chunk's rows begin in ``wanted``
    taken = []
    for chunk, batch in enumerate(batches):
        if edges[chunk] < edges[chunk + 1]:
            local = wanted[edges[chunk] : edges[chunk + 1]] - starts[chunk]
            taken.append(batch.take(pa.array(local, type=pa.int64())))
    return pa.Table.from_batches(taken, table.schema)
