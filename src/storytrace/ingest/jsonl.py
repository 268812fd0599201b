"""JSON Lines (``.jsonl`` / ``.ndjson``): one JSON object per line.

The file is streamed line by line as bytes, so a multi-gigabyte dump needs no more memory
than its longest line, and each line is decoded on its own: one line with broken bytes or
broken JSON (a truncated write, a stray log message) costs that line only, never the file.
Records are numbered by line, blank lines included, so that a reject's record number is the
line an editor shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

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
        for number, line in enumerate(stream, start=1):
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


def _parse_line(text: str, number: int, source: Source, config: Config) -> Item:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return Reject(source.input, number, None, _json_problem(error), text)
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
