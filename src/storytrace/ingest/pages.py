"""HTML pages as documents, whichever format brings them (``.html`` files, WARC responses,
an ``html`` field in JSONL / CSV / Parquet).

A page becomes a document through :func:`storytrace.clean.html.extract_page`: its article
text, title, publication date and url. Metadata given with the record (a JSONL ``title``, a
WARC target url) wins over what the page says about itself, since it was chosen on purpose.
The page itself is not kept; its sha256 (``raw_digest``) is, so that a document can be traced
back to the exact bytes it came from.

A page without article text (an index page, a log-in wall, an empty or broken file) is a
reject with that reason and the head of the page, never a silently missing document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from storytrace.clean.html import extract_page
from storytrace.ingest.records import (
    MISSING,
    Candidate,
    Item,
    RawText,
    Reject,
    candidate_from_mapping,
    raw_bytes,
)

NO_ARTICLE = "no article text found in the HTML page"


def page_digest(html: str | bytes) -> str:
    """sha256 of the page as read (a text page is digested as UTF-8)."""
    data = html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def page_item(
    html: str | bytes,
    *,
    input: str,
    record: int,
    doc_id: object,
    url: str | None = None,
    title: object = None,
    published: object = None,
    source: object = None,
    site: object = None,
    fetched: object = None,
) -> Item:
    """A candidate holding the page's article, or a reject saying there is none."""
    page = extract_page(html, url)
    head = raw_bytes(html) if isinstance(html, bytes) else html
    if not page.text.strip():
        return Reject(input, record, None if doc_id is None else str(doc_id), NO_ARTICLE, head)
    return Candidate(
        input=input,
        record=record,
        doc_id=doc_id,
        text=page.text,
        raw=head,
        title=title if title not in (None, "") else page.title,
        url=page.url,
        source=source,
        published=published if published not in (None, "") else page.published,
        site=site,
        raw_digest=page_digest(html),
        fetched=fetched,
    )


def _has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def item_from_mapping(
    row: Mapping[str, object],
    *,
    id_field: str,
    text_field: str,
    html_field: str,
    input: str,
    record: int,
    raw: RawText,
) -> Item:
    """A JSON object, CSV row or Parquet row: its text when it has one, else its page.

    Text wins when both are given: it was extracted already, perhaps by hand, and the page
    may be the raw fetch it came from.
    """
    html = row.get(html_field, MISSING)
    text = row.get(text_field, MISSING)
    if _has_text(text) or not isinstance(html, str | bytes) or not html.strip():
        return candidate_from_mapping(
            row, id_field=id_field, text_field=text_field, input=input, record=record, raw=raw
        )
    url = row.get("url")
    return page_item(
        html,
        input=input,
        record=record,
        doc_id=row.get(id_field),
        url=url if isinstance(url, str) and url.strip() else None,
        title=row.get("title"),
        published=row.get("published"),
        source=row.get("source"),
        site=row.get("site"),
    )
