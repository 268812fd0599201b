"""Rows of an Arrow table as Python objects, only those asked for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa


def take_rows(table: pa.Table, rows: Sequence[int]) -> list[dict[str, Any]]:
    """Rows ``rows`` (ascending) of ``table`` as Python dicts, chunk by chunk.

    ``Table.take`` over a table of many chunks joins the string columns into one array
    first: with a million documents in 500 chunks, every verification task copied 2 GB of
    text to pick a few hundred rows, and the workers waited on it. Each chunk takes its own
    rows instead.
    """
    if not rows:
        return []
    batches = table.to_batches()
    starts = np.cumsum([0] + [b.num_rows for b in batches])
    wanted = np.asarray(rows, dtype=np.int64)
    owner = np.searchsorted(starts, wanted, side="right") - 1
    out: list[dict[str, Any]] = []
    bounds = np.flatnonzero(np.diff(owner)) + 1
    for group in np.split(np.arange(len(wanted)), bounds):
        k = int(owner[group[0]])
        local = pa.array(wanted[group] - starts[k], type=pa.int64())
        out.extend(batches[k].take(local).to_pylist())
    return out
