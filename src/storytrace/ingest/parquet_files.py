"""Parquet files with the fields as columns.

Parquet is the format storytrace itself writes, so a previous run's output or a dataset
exported from a dataframe can be fed back in. Only the columns ingest knows are read (an
archive may carry HTML or embeddings next to the text), in record batches so memory stays
bounded. A gzip-compressed Parquet file is unusual but harmless: it is decompressed in memory
since Parquet needs random access.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from storytrace.config import Config
from storytrace.ingest.decode import UNDECODABLE, Decoder
from storytrace.ingest.pages import item_from_mapping
from storytrace.ingest.records import Item, Reject, raw_json, with_codec
from storytrace.ingest.sources import GZIP_MAGIC, Source, open_binary, open_raw, size_limit_reason

BATCH_ROWS = 1_000
"""Rows per batch: large enough for Arrow to be efficient, small enough that a batch of
long articles stays a few megabytes."""

OPTIONAL_COLUMNS = ("title", "url", "source", "published", "site")


@contextmanager
def _open(source: Source) -> Iterator[pq.ParquetFile]:
    """The Parquet file (read whole first when gzip-compressed), its bytes hashed as read."""
    with open_raw(source, hashed=False) as handle:
        compressed = handle.read(2) == GZIP_MAGIC
    if compressed:
        with open_binary(source) as stream:  # bounded by max_decompressed_bytes
            whole = stream.read()
        yield pq.ParquetFile(pa.BufferReader(whole))
        return
    with open_raw(source) as raw:
        yield pq.ParquetFile(raw)


_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_PYTHON_SECONDS = (-62_135_596_800, 253_402_300_799)
"""Seconds since 1970 of 0001-01-01 and 9999-12-31T23:59:59: what a Python datetime holds."""


def _plain_values(column: pa.Array) -> list[object]:
    """Python values of a column; timestamps are cut to microseconds, which is what the
    output holds, and a timestamp outside the years 1 to 9999 (a Python datetime cannot hold
    it: a corrupt or sentinel value) becomes no time, so the article is kept without it."""
    if pa.types.is_timestamp(column.type):
        ticks = column.cast(pa.int64())
        per_second = _PER_SECOND[column.type.unit]
        low = max(_PYTHON_SECONDS[0] * per_second, -(2**63))
        high = min(_PYTHON_SECONDS[1] * per_second, 2**63 - 1)
        inside = pc.and_(pc.greater_equal(ticks, low), pc.less_equal(ticks, high))
        column = pc.if_else(inside, column, pa.scalar(None, type=column.type))
        if column.type.unit != "us":
            column = column.cast(pa.timestamp("us", tz=column.type.tz), safe=False)
    values: list[object] = column.to_pylist()
    return values


def read_parquet(source: Source, config: Config) -> Iterator[Item]:
    """Yield a candidate or a reject for every row of a Parquet file."""
    with _open(source) as parquet:
        yield from _read_rows(parquet, source, config)


def _read_rows(parquet: pq.ParquetFile, source: Source, config: Config) -> Iterator[Item]:
    names = list(parquet.schema_arrow.names)
    if config.text_field not in names and config.html_field not in names:
        shown = ", ".join(repr(name) for name in names)
        reason = f"missing text column {config.text_field!r} (columns: {shown})"
        yield Reject(source.input, 0, None, reason)
        return
    wanted = [config.id_field, config.text_field, config.html_field, *OPTIONAL_COLUMNS]
    columns = [name for name in dict.fromkeys(wanted) if name in names]
    decoder = Decoder()
    number = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        values = {name: _plain_values(batch.column(name)) for name in columns}
        for index in range(batch.num_rows):
            number += 1
            row = {name: values[name][index] for name in columns}
            text = row.get(config.text_field)
            codec = None
            largest = max(_size(text), _size(row.get(config.html_field)))
            if largest > source.max_bytes:
                reason = size_limit_reason("the record", source.max_bytes, "max_document_bytes")
                yield Reject(source.input, number, None, reason, functools.partial(raw_json, row))
                continue
            if isinstance(text, bytes):
                # A binary text column: decode it like a text file instead of rejecting it.
                decoded = decoder.decode(text)
                if decoded is None:
                    reason = UNDECODABLE
                    yield Reject(source.input, number, None, reason, raw_json(row))
                    continue
                row[config.text_field] = decoded
                codec = decoder.codec()
            item = item_from_mapping(
                row,
                id_field=config.id_field,
                text_field=config.text_field,
                html_field=config.html_field,
                input=source.input,
                record=number,
                raw=functools.partial(raw_json, row),
            )
            yield with_codec(item, codec)


def _size(value: object) -> int:
    """Bytes of a text or binary cell (a str's UTF-8 size is at least its length)."""
    return len(value) if isinstance(value, str | bytes) else 0
