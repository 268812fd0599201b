"""Reuters-21578 SGML (``reut2-NNN.sgm``): the 1987 newswire collection.

The files are SGML, not XML: control characters appear as ``&#5;``-style references, tags
are unbalanced in places and there is no single root, so an XML parser refuses them. The
structure needed here is shallow and regular, so regular expressions over each
``<REUTERS ...>`` item are both robust and fast (all 22 files in about a second).

Each item with a ``<BODY>`` becomes a document ``reuters-<NEWID>``. Items without a body are
briefs (a headline only) or unprocessed items; they are counted as skipped, not rejected,
because they are a normal part of the collection. The body keeps its " Reuter" sign-off:
deciding what is boilerplate is the cleaning stage's job, and it needs the original text to
map its offsets back. Only the ``&#3;`` end-of-text control character is removed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Final

from storytrace.ingest.decode import Decoder, as_utf8
from storytrace.ingest.records import (
    MAX_RAW_CHARS,
    Candidate,
    Item,
    Reject,
    Skipped,
    raw_bytes,
    with_codec,
)
from storytrace.ingest.sources import Source, open_binary, size_limit_reason
from storytrace.ingest.splitting import TooLarge, split_records

SOURCE: Final = "reuters"

_ITEM_START: Final = re.compile(r"<REUTERS\b([^>]*)>")
_NEWID: Final = re.compile(r'\bNEWID="(\d+)"')
_DATE: Final = re.compile(r"<DATE>(.*?)</DATE>", re.DOTALL)
_TITLE: Final = re.compile(r"<TITLE>(.*?)</TITLE>", re.DOTALL)
_BODY: Final = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_OPEN_BODY: Final = re.compile(r"<BODY>(.*?)(?=</TEXT>|</REUTERS>)", re.DOTALL)
"""A body whose ``</BODY>`` is missing ends where its text or its item does."""
_ITEM_END: Final = "</REUTERS>"
_END_OF_TEXT: Final = "&#3;"
_ENTITY: Final = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
"""Only complete references (with the semicolon) are unescaped: ``html.unescape`` would
also turn a bare "&not" or "&copy" inside running text into a symbol."""

_WHEN: Final = re.compile(
    r"(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
)
"""The DATE format, "26-FEB-1987 15:01:01.79". Real values also have one-digit fractions,
doubled spaces and trailing control references ("&#5;&#5;&#5;RM"), so the pattern is searched
for rather than required to match the whole value."""
_MONTHS: Final = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}


def unescape(text: str) -> str:
    """Replace character references such as ``&lt;`` and ``&#5;``; control characters
    that references name (``&#5;``, ``&#127;``) are dropped by :func:`html.unescape`."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)


def parse_date(value: str) -> datetime | None:
    """DATE as a UTC datetime, or None when it is malformed.

    One item in the collection has "31-MAR-1987 605:12:19.12": an impossible time is a lost
    date, never a lost article.
    """
    match = _WHEN.search(value)
    if match is None:
        return None
    day, month_name, year, hour, minute, second, fraction = match.groups()
    month = _MONTHS.get(month_name.upper())
    if month is None:
        return None
    micros = int((fraction or "0").ljust(6, "0"))
    try:
        return datetime(
            int(year), month, int(day), int(hour), int(minute), int(second), micros, UTC
        )
    except ValueError:
        return None


def _decode(data: bytes, decoder: Decoder) -> str:
    """The collection is Latin-1 (mostly ASCII; one stray byte in reut2-017.sgm). Each item
    is decoded as other text is (UTF-8, then Windows-1252 or what the detector finds), so a
    re-encoded copy is read correctly too; Latin-1, which accepts any byte, is the last
    resort, because an SGML item is markup that must be read whatever its bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = decoder.decode(data)
    return data.decode("latin-1") if text is None else text


def _item(text: str, index: int, source: Source) -> Item:
    """One ``<REUTERS>`` item: a candidate, a skipped brief, or a reject."""
    head_end = text.find(">") + 1
    newid = _NEWID.search(text, 0, head_end)
    body = _BODY.search(text, head_end) or _OPEN_BODY.search(text, head_end)
    if body is None and _ITEM_END not in text:
        reason = "item is cut short: the file ends before its </REUTERS>"
        return Reject(source.input, index, None, reason, text)
    if body is None:
        return Skipped(source.input, index, "item", "Reuters brief without a body")
    if newid is None:
        return Reject(source.input, index, None, "item has no NEWID attribute", text)
    doc_id = f"reuters-{newid.group(1)}"
    date = _DATE.search(text, head_end)
    title = _TITLE.search(text, head_end)
    return Candidate(
        input=source.input,
        record=index,
        doc_id=doc_id,
        text=unescape(body.group(1).replace(_END_OF_TEXT, "")),
        raw=text,
        title=None if title is None else unescape(title.group(1)).strip(),
        source=SOURCE,
        published=None if date is None else parse_date(date.group(1)),
    )


_ITEM_END_BYTES: Final = re.compile(rb"</REUTERS>")


def read_reuters_sgml(source: Source) -> Iterator[Item]:
    """Yield one item per ``<REUTERS>`` element of a Reuters-21578 SGML file.

    The file is streamed, cut after each ``</REUTERS>``; within a piece, items are also cut at
    every opening tag, so an item whose end tag is missing is still an item, and a truncated
    file yields every complete item before the cut and the damaged last one. An item over
    ``max_document_bytes`` is rejected with its head.
    """
    index = 0
    decoder = Decoder()
    with open_binary(source) as raw:
        stream, _ = as_utf8(raw)
        for piece in split_records(stream, _ITEM_END_BYTES, source.max_bytes, keep=True):
            if isinstance(piece, TooLarge):
                index += 1
                reason = size_limit_reason("the item", source.max_bytes, "max_document_bytes")
                yield Reject(source.input, index, None, reason, raw_bytes(piece.head))
                continue
            text = _decode(piece, decoder)
            starts = [match.start() for match in _ITEM_START.finditer(text)]
            for number, start in enumerate(starts):
                end = starts[number + 1] if number + 1 < len(starts) else len(text)
                index += 1
                yield with_codec(_item(text[start:end], index, source), decoder.codec())
    if not index:
        # A file named .sgm with no items is the wrong file, not an empty collection.
        yield Reject(source.input, 0, None, "no <REUTERS> items found", _head(source))


def _head(source: Source) -> str:
    with open_binary(source) as stream:
        return raw_bytes(stream.read(MAX_RAW_CHARS))
