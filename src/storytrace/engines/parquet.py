"""Parquet files written so that equal tables give equal bytes, and never half-written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from storytrace.atomic import writing

ROW_GROUP_ROWS = 10_000
"""Rows per Parquet row group of every table. A documents row (text, clean text, offset map)
is a few KB, so a documents row group is some tens of MB: small enough for readers to stream
a large run one row group at a time, large enough that row-group overhead is noise."""


def sort_on(table: pa.Table, sort_keys: Sequence[str]) -> pa.Table:
    """``table`` in ascending order of ``sort_keys`` (unchanged without keys)."""
    if not sort_keys or table.num_rows < 2:
        return table
    return table.sort_by([(k, "ascending") for k in sort_keys])


def write_table(table: pa.Table, path: Path) -> None:
    """Parquet with fixed settings and fixed row groups, written beside ``path`` and renamed
    into place, so a reader (or a resumed run) never finds a part of a table, and a failed
    write leaves the table that was there.

    The Parquet writer decides page and dictionary boundaries chunk by chunk, so the same rows
    arriving in other Arrow chunks (another ``batch_size``, another number of workers) give
    other bytes once a column passes the 1 MiB page size. Each row group is therefore written
    from one contiguous chunk of exactly ``ROW_GROUP_ROWS`` rows (fewer in the last one).
    Combining one row group at a time, not the whole table, keeps every column of a chunk far
    below Arrow's 2 GiB limit for one string array.
    """
    with (
        writing(path) as partial,
        pq.ParquetWriter(
            partial, table.schema, compression="zstd", write_statistics=True, use_dictionary=True
        ) as writer,
    ):
        for start in range(0, max(table.num_rows, 1), ROW_GROUP_ROWS):
            group = table.slice(start, ROW_GROUP_ROWS).combine_chunks()
            writer.write_table(group, row_group_size=ROW_GROUP_ROWS)
