"""Cut a byte stream into records at a separator, never holding more than one record.

JSONL lines and Reuters SGML items are read this way. Reading a file line by line with
Python's own ``readline`` holds a whole line in memory however long it is, so one 50 MB line
(or a file with no line ends at all, or a gzip bomb that expands to zeros) costs gigabytes.
Here the stream is read in chunks and a record longer than the limit is given up on after its
first ``limit`` bytes: the caller rejects it (with its head, to show what it was) and the
records after it are read as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final

CHUNK_BYTES: Final = 1 << 20
HEAD_BYTES: Final = 10_000
"""What an oversized record keeps for its reject: as much as a reject shows of any record."""
_LONGEST_SEPARATOR: Final = 64
"""Bytes kept from the end of a dropped stretch, so a separator that straddles two chunks is
still found. No separator used here is longer."""


@dataclass(frozen=True, slots=True)
class TooLarge:
    """A record longer than the limit: only its head was kept."""

    head: bytes


def split_records(
    stream: BinaryIO, separator: re.Pattern[bytes], limit: int, keep: bool = False
) -> Iterator[bytes | TooLarge]:
    """The stretches of ``stream`` between matches of ``separator`` (dropped, or ending each
    stretch with ``keep``), the last one too when the stream does not end with a separator.

    ``separator`` is a literal (``\\n``, ``</REUTERS>``): a match is complete as soon as it
    is seen, and a literal is searched at memchr speed. A stream that breaks off (a truncated
    gzip member) still yields every stretch it completed before the error is raised.
    """
    buffer = b""
    dropping: bytes | None = None
    read = getattr(stream, "read1", stream.read)  # see _Bounded.readinto: keep what came
    failure: Exception | None = None
    while True:
        try:
            data = read(CHUNK_BYTES)
        except (OSError, EOFError, ValueError) as error:
            data, failure = b"", error
        buffer += data
        start = 0
        for match in separator.finditer(buffer):
            if dropping is not None:
                yield TooLarge(dropping)
                dropping = None
            elif match.start() - start > limit:
                yield TooLarge(buffer[start : start + HEAD_BYTES])
            else:
                yield buffer[start : match.end() if keep else match.start()]
            start = match.end()
        buffer = buffer[start:]
        if failure is not None:
            raise failure  # the stretch it cut short is not a record
        if not data:
            if dropping is not None:
                yield TooLarge(dropping)
            elif buffer:
                yield buffer
            return
        if dropping is None and len(buffer) > limit:
            dropping = buffer[:HEAD_BYTES]
        if dropping is not None:
            buffer = buffer[-_LONGEST_SEPARATOR:]
