"""HTML files (``.html``, ``.htm``, gzip-compressed too): one page, one document.

The path relative to the folder given is the document id, as for text files. The page is
read as bytes and handed to the extractor whole, so that its own charset declaration decides
how it is decoded (a saved page's bytes and its ``<meta charset>`` belong together).
"""

from __future__ import annotations

from collections.abc import Iterator

from storytrace.ingest.pages import page_item
from storytrace.ingest.records import Item
from storytrace.ingest.sources import Source, read_bytes

RECORD = 1
"""One record per file, as for text files; record 0 is reserved for unreadable files."""


def read_html_file(source: Source) -> Iterator[Item]:
    """Yield the article of one HTML file, or a reject saying why there is none."""
    yield page_item(read_bytes(source), input=source.input, record=RECORD, doc_id=source.name)
