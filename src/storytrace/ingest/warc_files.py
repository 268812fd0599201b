"""WARC crawls (``.warc``, ``.warc.gz``): every HTML response record becomes a document.

Crawls hold far more than articles: requests, metadata, robots.txt, images, redirects and
error pages. Only responses with status 200 and an HTML content type are pages to read; the
other records are skipped and counted, not rejected, because they are expected. The record's
id (``WARC-Record-ID``) is the document id: a url crawled twice is two documents (two
versions of the page, perhaps), and its target url and fetch time (``WARC-Date``) are kept.

A record cut short (a truncated download, a damaged gzip member) is a reject naming the
record and what is missing; the records before it are kept. fastwarc reads both plain and
gzip-compressed WARC.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from storytrace.ingest.pages import page_item
from storytrace.ingest.records import Item, Reject, Skipped, raw_bytes
from storytrace.ingest.sources import Source, open_raw, size_limit_reason

HTML_TYPES: Final = ("text/html", "application/xhtml+xml")


def _http(block: bytes) -> tuple[int, str, bytes] | None:
    """Status, content type and body of an HTTP response block, or None if it is not one."""
    head, separator, body = block.partition(b"\r\n\r\n")
    if not separator:
        head, separator, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    if not separator or not lines or not lines[0].startswith("HTTP/"):
        return None
    parts = lines[0].split()
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    content_type = ""
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            content_type = value.strip().lower()
    return int(parts[1]), content_type, body


def _record_item(record: WarcRecord, number: int, source: Source) -> Item:
    record_id = (record.record_id or "").strip("<>") or None
    declared = record.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > source.max_bytes:
        reason = size_limit_reason("the WARC record", source.max_bytes, "max_document_bytes")
        return Reject(source.input, number, record_id, reason)
    block = record.reader.read()
    if declared is None or not declared.strip().isdigit():
        reason = "WARC record without a Content-Length: the file is not read past it"
        return Reject(source.input, number, record_id, reason, raw_bytes(block))
    if len(block) < int(declared):
        reason = f"truncated WARC record: {len(block)} of {int(declared)} bytes"
        return Reject(source.input, number, record_id, reason, raw_bytes(block))
    response = _http(block)
    if response is None:
        reason = "WARC response record without an HTTP response"
        return Reject(source.input, number, record_id, reason, raw_bytes(block))
    status, content_type, body = response
    if status != 200:
        return Skipped(source.input, number, "item", f"WARC response with HTTP status {status}")
    if not content_type.startswith(HTML_TYPES):
        kind = content_type.split(";")[0].strip() or "no content type"
        return Skipped(source.input, number, "item", f"WARC response that is not HTML ({kind})")
    return page_item(
        body,
        input=source.input,
        record=number,
        doc_id=record_id,
        url=record.headers.get("WARC-Target-URI"),
        fetched=record.headers.get("WARC-Date"),
    )


def read_warc(source: Source) -> Iterator[Item]:
    """Yield a document, a reject or a skip for every record of a WARC file.

    A record whose header cannot be parsed (a Content-Length that is not a number, a broken
    header line) is a reject under its own number; the records after it cannot be found
    without that header, so the reject says the file is not read past it.
    """
    with open_raw(source) as stream:
        records = enumerate(ArchiveIterator(stream, parse_http=False), start=1)
        number = 0
        lost = False  # the last record had no readable length: nothing after it can be found
        while True:
            try:
                number, record = next(records)
            except StopIteration:
                return
            except (ValueError, OSError) as error:
                if not lost:
                    reason = f"invalid WARC record header ({error}): the file is not read past it"
                    yield Reject(source.input, number + 1, None, reason)
                return
            declared = (record.headers.get("Content-Length") or "").strip()
            lost = not declared.isdigit()
            if record.record_type != WarcRecordType.response:
                kind = record.headers.get("WARC-Type") or "unknown"
                yield Skipped(source.input, number, "item", f"WARC {kind} record")
                continue
            yield _record_item(record, number, source)
