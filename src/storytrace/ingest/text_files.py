"""Plain text files: one document per file, the file's path as its id.

Scraped collections and corpora such as BBC News come as folders of ``.txt`` files. The file
carries no metadata, so title, url, source and date stay null; the first line is often a
headline, but guessing that here would be wrong for other collections, so the text is kept
whole and later stages decide.

The file is decoded as one piece: a whole article gives the encoding detector far more to go
on than a line would.
"""

from __future__ import annotations

from collections.abc import Iterator

from storytrace.ingest.decode import UNDECODABLE, Decoder
from storytrace.ingest.records import Candidate, Item, Reject, raw_bytes
from storytrace.ingest.sources import Source, read_bytes

RECORD = 1
"""A text file holds exactly one record; rejects about its content name record 1, while
record 0 stays reserved for files that could not be read at all."""


def read_text_file(source: Source) -> Iterator[Item]:
    """Yield the one document of a text file, or a reject saying why there is none."""
    data = read_bytes(source)
    decoder = Decoder()
    text = decoder.decode(data)
    if text is None:
        yield Reject(
            input=source.input,
            record=RECORD,
            doc_id=source.name,
            reason=UNDECODABLE,
            raw=raw_bytes(data),
        )
        return
    codec = decoder.codec()
    yield Candidate(
        input=source.input,
        record=RECORD,
        doc_id=source.name,
        text=text,
        raw=text,
        encoding=None if codec is None else codec.encoding,
        encoding_guessed=codec is not None and codec.guessed,
    )
