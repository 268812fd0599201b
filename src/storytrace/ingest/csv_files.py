"""CSV files with a header row naming the fields (``id``, ``text``, ``title``, ...).

Two problems shape this reader. Article texts are long and contain newlines and quotes, so
the csv module (not line splitting) cuts records, with its field size limit lifted. And the
file may not be UTF-8, or only partly: the bytes are therefore parsed as Latin-1, which maps
every byte to one character and keeps the ASCII delimiters and quotes where they are, and
each row's fields are turned back into bytes and decoded properly. That way one badly encoded
row is decoded (or rejected) on its own, and the file is streamed instead of loaded whole.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from storytrace.config import Config
from storytrace.ingest.decode import UNDECODABLE, Codec, Decoder, as_utf8, decode_as
from storytrace.ingest.pages import item_from_mapping
from storytrace.ingest.records import Item, Reject, raw_bytes, with_codec
from storytrace.ingest.sources import Source, open_binary
from storytrace.ingest.splitting import TooLarge, split_records

if TYPE_CHECKING:
    from _csv import Reader

_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
"""The csv module's default limit (128 KiB) is below the size of some articles; its C code
stores the limit in a C long, so it cannot simply be ``sys.maxsize`` everywhere."""


def _decode_row(row: list[str], decoder: Decoder) -> list[str] | None:
    """Decode the Latin-1 placeholders of one row with the row's real encoding."""
    if all(value.isascii() and "\x00" not in value for value in row):
        decoder.last = None
        return row
    pieces = [value.encode("latin-1") for value in row]
    found = decoder.encoding_of(b"\n".join(pieces))
    if found is None:
        return None
    decoded = [decode_as(piece, found.encoding) for piece in pieces]
    values = [value for value in decoded if value is not None]
    if len(values) < len(pieces):
        return None
    if values and values[0].startswith("\ufeff"):
        values[0] = values[0][1:]
    return values


def _serialise(row: list[str]) -> Callable[[], str]:
    """The row as one CSV line again, built only if the row is rejected."""

    def build() -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(row)
        return out.getvalue()

    return build


def _undecodable_raw(row: list[str]) -> Callable[[], str]:
    return lambda: raw_bytes(",".join(row).encode("latin-1"))


def read_csv(source: Source, config: Config) -> Iterator[Item]:
    """Yield a candidate or a reject for every data row of a CSV file."""
    csv.field_size_limit(min(_FIELD_LIMIT, source.max_bytes))
    decoder = Decoder()
    with open_binary(source) as raw:
        stream, codec = as_utf8(raw)
        lines = split_records(stream, _LINE_END, source.max_bytes, keep=True)
        reader = csv.reader(_placeholder_lines(lines))
        header_row = next(reader, None)
        header = None if header_row is None else _decode_row(header_row, decoder)
        if header is None:
            reason = "no header row" if header_row is None else f"header: {UNDECODABLE}"
            yield Reject(source.input, 0, None, reason)
            return
        names = [name.strip() for name in header]
        if config.text_field not in names and config.html_field not in names:
            shown = ", ".join(repr(name) for name in names)
            reason = f"missing text column {config.text_field!r} (columns: {shown})"
            yield Reject(source.input, 0, None, reason, _serialise(header_row or []))
            return
        for item in _rows(reader, names, decoder, source, config):
            yield with_codec(item, codec or decoder.codec() or _UTF8)


_LINE_END = re.compile(rb"\n")
"""Lines are cut after each LF and keep it: the csv module needs the line ends to see where
a quoted field holds a newline, and handles CR itself."""
_UTF8 = Codec("utf-8", False)


def _placeholder_lines(lines: Iterator[bytes | TooLarge]) -> Iterator[str]:
    """The file's lines as Latin-1 placeholders (see the module docstring); a line over the
    size limit is cut to its head, so the csv module stops at it with a field-size error and
    the row is rejected, without the line ever being held whole."""
    for line in lines:
        yield (line.head if isinstance(line, TooLarge) else line).decode("latin-1")


def _rows(
    reader: Reader,
    names: list[str],
    decoder: Decoder,
    source: Source,
    config: Config,
) -> Iterator[Item]:
    number = 0
    while True:
        number += 1
        line = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Reject(source.input, number, None, f"malformed CSV row: {error}")
            if reader.line_num == line:
                return  # the reader did not move past the bad record: give up on the file
            continue
        if not row:
            continue  # a blank line, like a blank line in JSONL, is not a record
        values = _decode_row(row, decoder)
        if values is None:
            yield Reject(source.input, number, None, UNDECODABLE, _undecodable_raw(row))
            continue
        if len(values) != len(names):
            reason = f"row has {len(values)} fields but the header has {len(names)}"
            yield Reject(source.input, number, None, reason, _serialise(values))
            continue
        yield item_from_mapping(
            dict(zip(names, values, strict=True)),
            id_field=config.id_field,
            text_field=config.text_field,
            html_field=config.html_field,
            input=source.input,
            record=number,
            raw=_serialise(values),
        )
