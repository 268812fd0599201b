"""JSON Lines (``.jsonl`` / ``.ndjson``): one JSON object per line.

The file is streamed line by line as bytes, so a multi-gigabyte dump needs no more memory
than its longest line (and a line over ``Config.max_document_bytes`` is rejected after its
first bytes), and each line is decoded on its own: one line with broken bytes or broken JSON
(a truncated write, a stray log message) costs that line only, never the file. A UTF-16 or
UTF-32 file (with a byte-order mark, or recognised without one) is read as such.
Records are numbered by line, blank lines included, so that a reject's record number is the
line an editor shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO, Final

from storytrace.config import Config
from storytrace.ingest.decode import UNDECODABLE, Decoder, as_utf8
from storytrace.ingest.pages import item_from_mapping
from storytrace.ingest.records import Item, LongNumber, Reject, raw_bytes, with_codec
from storytrace.ingest.sources import Source, open_binary, size_limit_reason
from storytrace.ingest.splitting import TooLarge, split_records

_JSON_TYPES = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    type(None): "null",
}


def _describe(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _json_problem(error: json.JSONDecodeError) -> str:
    """``json``'s message without the line number, which is always 1 within one line."""
    return f"invalid JSON: {error.msg} at column {error.colno}"


_LF: Final = re.compile(rb"\n")
_CR: Final = re.compile(rb"\r")
"""Lines end with LF, CRLF or a lone CR (old Mac files): JSON text never holds a raw CR, so a
CR can only end a line, and splitting there keeps every record instead of merging a file into
one bad line. A literal separator is searched at memchr speed (an alternation of the three
is twenty times slower), so the file is cut at LF, or at CR when its head has no LF, and a CR
left inside a line ends a line too."""


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | TooLarge]:
    peek = getattr(stream, "peek", None)
    head = peek(1 << 16) if peek is not None else b""
    separator = _CR if b"\r" in head and b"\n" not in head else _LF
    for line in split_records(stream, separator, limit):
        if isinstance(line, TooLarge) or b"\r" not in line:
            yield line
        else:
            yield from line.rstrip(b"\r").split(b"\r")


def read_jsonl(source: Source, config: Config) -> Iterator[Item]:
    """Yield a candidate or a reject for every non-blank line of a JSONL file."""
    decoder = Decoder()
    with open_binary(source) as raw:
        stream, codec = as_utf8(raw)
        for number, line in enumerate(_lines(stream, source.max_bytes), start=1):
            if isinstance(line, TooLarge):
                reason = size_limit_reason("the line", source.max_bytes, "max_document_bytes")
                yield Reject(source.input, number, None, reason, raw_bytes(line.head))
                continue
            if not line.strip():
                continue
            text = decoder.decode(line)
            if text is None:
                yield Reject(source.input, number, None, UNDECODABLE, raw_bytes(line))
                continue
            item = _parse_line(text, number, source, config)
            yield with_codec(item, codec or decoder.codec())


def _int_or_digits(digits: str) -> int | str:
    """A JSON integer; one longer than Python converts (4,300 digits) stays as its digits,
    so the record is kept."""
    try:
        return int(digits)
    except ValueError:
        return LongNumber(digits)


def _parse_line(text: str, number: int, source: Source, config: Config) -> Item:
    try:
        value = json.loads(text, parse_int=_int_or_digits)
    except json.JSONDecodeError as error:
        return Reject(source.input, number, None, _json_problem(error), text)
    except ValueError as error:  # a value json parses but Python cannot hold
        return Reject(source.input, number, None, f"invalid JSON: {error}", text)
    except RecursionError:
        return Reject(source.input, number, None, "invalid JSON: nested too deeply", text)
    if not isinstance(value, dict):
        reason = f"JSON line is not an object (found {_describe(value)})"
        return Reject(source.input, number, None, reason, text)
    return item_from_mapping(
        value,
        id_field=config.id_field,
        text_field=config.text_field,
        html_field=config.html_field,
        input=source.input,
        record=number,
        raw=text,
    )
