"""JSON Lines (``.jsonl`` / ``.ndjson``): one JSON object per line.

The file is streamed line by line as bytes, so a multi-gigabyte dump needs no more memory
than its longest line, and each line is decoded on its own: one line with broken bytes or
broken JSON (a truncated write, a stray log message) costs that line only, never the file.
Records are numbered by line, blank lines included, so that a reject's record number is the
line an editor shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from storytrace.config import Config
from storytrace.ingest.decode import UNDECODABLE, Decoder
from storytrace.ingest.pages import item_from_mapping
from storytrace.ingest.records import Item, Reject, raw_bytes
from storytrace.ingest.sources import Source, open_binary

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


def read_jsonl(source: Source, config: Config) -> Iterator[Item]:
    """Yield a candidate or a reject for every non-blank line of a JSONL file."""
    decoder = Decoder()
    with open_binary(source) as stream:
        for number, line in enumerate(_lines(stream), start=1):
            if not line.strip():
                continue
            text = decoder.decode(line.rstrip(b"\r\n"))
            if text is None:
                yield Reject(
                    input=source.input,
                    record=number,
                    doc_id=None,
                    reason=UNDECODABLE,
                    raw=raw_bytes(line),
                )
                continue
            yield _parse_line(text, number, source, config)


def _lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    """The file's lines, ended by LF, CRLF or a lone CR (old Mac files): JSON text never
    holds a raw CR, so a CR inside a line can only end one, and splitting there keeps every
    record instead of merging a whole file into one bad line."""
    for line in stream:
        body = line.rstrip(b"\r\n")
        if b"\r" in body:
            yield from body.split(b"\r")
        else:
            yield line


def _int_or_digits(digits: str) -> int | str:
    """A JSON integer; one longer than Python converts (4,300 digits) stays as its digits,
    so the record is kept."""
    try:
        return int(digits)
    except ValueError:
        return digits


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
