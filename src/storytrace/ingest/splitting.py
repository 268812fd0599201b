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

    A match that reaches the end of what has been read so far is only taken once more data
    shows it is complete, so ``\\r`` followed by ``\\n`` in the next chunk is one line end.
    """
    buffer = b""
    dropping: bytes | None = None
    read = getattr(stream, "read1", stream.read)  # see _Bounded.readinto: keep what came
    while True:
        try:
            data = read(CHUNK_BYTES)
        except (OSError, EOFError, ValueError):
            # a stream cut short: the records it completed are good, the last one is not
            start = 0
            for match in separator.finditer(buffer):
                if dropping is not None:
                    yield TooLarge(dropping)
                    dropping = None
                else:
                    yield buffer[start : match.end() if keep else match.start()]
                start = match.end()
            raise
        buffer += data
        start = 0
        for match in separator.finditer(buffer):
            if data and match.end() == len(buffer):
                break
            if dropping is not None:
                yield TooLarge(dropping)
                dropping = None
            else:
                yield buffer[start : match.end() if keep else match.start()]
            start = match.end()
        buffer = buffer[start:]
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
