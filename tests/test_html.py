"""HTML pages and WARC crawls as input: extraction, metadata, and bad pages kept as rejects."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from storytrace.clean.html import extract_page
from storytrace.config import Config
from storytrace.ingest import IngestResult, ingest
from storytrace.schema import RAW_DOCUMENTS

PARAGRAPHS = [
    "The finance minister resigned on Friday after weeks of pressure over the budget, "
    "the government said in a statement released in the capital.",
    "Her deputy will take over until a successor is named, officials said, adding that the "
    "budget vote scheduled for next week would go ahead as planned.",
    "Opposition leaders welcomed the decision but said it came too late to restore "
    "confidence in the government's handling of public money.",
]


def page(title: str = "Finance minister resigns", date: str = "2021-03-04") -> str:
    """A news page as sites serve them: menu, headline, deck, article, related links."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><title>{title} | Daily Example</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{date}T10:00:00Z">'
        '<link rel="canonical" href="https://www.daily.example.com/politics/minister"></head>'
        '<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
        '<li><a href="/sport">Sport</a></li></ul></nav>'
        f"<article><h1>{title}</h1><h2>The budget row claims its first victim</h2>{body}"
        '<ul><li><a href="/a">Markets fall as the minister resigns</a></li>'
        '<li><a href="/b">Who could be the next finance minister</a></li>'
        '<li><a href="/c">Timeline of the budget dispute</a></li></ul>'
        "</article><footer>Copyright 2021 Daily Example. All rights reserved.</footer>"
        "</body></html>"
    )


def docs(result: IngestResult) -> dict[str, dict[str, Any]]:
    assert result.documents.schema.equals(RAW_DOCUMENTS)
    return {row["doc_id"]: row for row in result.documents.to_pylist()}


def test_page_gives_article_title_date_and_url() -> None:
    found = extract_page(page())
    assert found.text == "\n\n".join(PARAGRAPHS)  # no menu, headline, deck or related links
    assert found.title == "Finance minister resigns"
    assert found.published == "2021-03-04"
    assert found.url == "https://www.daily.example.com/politics/minister"


def test_page_broken_in_its_head_is_still_read() -> None:
    # A page cut while saving: the title is never closed and swallows the whole page.
    broken = "<html><head><title>Finance minister resigns" + page().split("</head>", 1)[1]
    assert "The finance minister resigned on Friday" in extract_page(broken).text


def test_html_files_plain_and_gzip(tmp_path: Path) -> None:
    raw = page().encode("utf-8")
    (tmp_path / "politics").mkdir()
    (tmp_path / "politics" / "minister.html").write_bytes(raw)
    (tmp_path / "copy.htm.gz").write_bytes(gzip.compress(raw))
    result = ingest([tmp_path], Config())
    found = docs(result)
    assert sorted(found) == ["copy.htm.gz", "politics/minister.html"]
    row = found["politics/minister.html"]
    assert row["text"].startswith("The finance minister resigned on Friday")
    assert row["title"] == "Finance minister resigns"
    assert row["published"] == datetime(2021, 3, 4, tzinfo=UTC)
    assert row["site"] == "daily.example.com"
    assert row["raw_digest"] == hashlib.sha256(raw).hexdigest()
    assert found["copy.htm.gz"]["text"] == row["text"]


def test_pages_without_article_are_rejected_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><body><nav><a href="/">Home</a> <a href="/w">World</a></nav></body></html>'
    )
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(page().encode())[:60])
    (tmp_path / "good.html").write_text(page(), encoding="utf-8")
    result = ingest([tmp_path], Config())
    assert list(docs(result)) == ["good.html"]
    reasons = {Path(r["input"]).name: r["reason"] for r in result.rejects.to_pylist()}
    assert reasons["index.html"] == "no article text found in the HTML page"
    assert reasons["binary.html"] == "no article text found in the HTML page"
    assert reasons["empty.html"] == "no article text found in the HTML page"
    assert reasons["broken.html.gz"].startswith("cannot read file")


def test_html_field_in_jsonl_and_parquet(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "html": page(), "url": "https://news.example.org/a", "title": "Given"},
        {"id": "b", "text": "Already extracted text.", "html": "<p>ignored</p>"},
        {"id": "c", "html": "<html><body></body></html>"},
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = ingest([path], Config())
    found = docs(result)
    assert found["a"]["text"].startswith("The finance minister resigned")
    assert found["a"]["title"] == "Given"  # the record's own metadata wins
    assert found["a"]["url"] == "https://news.example.org/a"
    assert found["a"]["site"] == "news.example.org"
    assert found["b"]["text"] == "Already extracted text." and found["b"]["raw_digest"] is None
    [reject] = result.rejects.to_pylist()
    assert (reject["record"], reject["reason"]) == (3, "no article text found in the HTML page")

    table = pa.table({"id": ["p"], "html": [page()]})  # no text column at all
    pq.write_table(table, tmp_path / "pages.parquet")
    parquet = docs(ingest([tmp_path / "pages.parquet"], Config()))
    assert parquet["p"]["title"] == "Finance minister resigns"


def warc_record(
    kind: str, uri: str, block: bytes, number: int, declared: int | None = None
) -> bytes:
    length = len(block) if declared is None else declared
    header = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        f"WARC-Date: 2021-03-04T12:30:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype={kind}\r\nContent-Length: {length}\r\n\r\n"
    )
    return header.encode() + block + b"\r\n\r\n"


def http(
    body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK"
) -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n".encode() + body


def test_warc_html_responses_become_documents(tmp_path: Path) -> None:
    article = page().encode()
    records = [
        warc_record("request", "https://a.example.com/1", b"GET /1 HTTP/1.1\r\n\r\n", 1),
        warc_record("response", "https://a.example.com/1", http(article), 2),
        warc_record("response", "https://a.example.com/logo.png", http(b"\x89PNG", "image/png"), 3),
        warc_record("response", "https://a.example.com/old", http(b"", status="301 Moved"), 4),
        warc_record("response", "https://b.example.com/2", http(article), 5),
        warc_record("response", "https://b.example.com/3", http(article), 6, declared=10_000),
    ]
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(b"".join(records))
    zipped = tmp_path / "crawl2.warc.gz"  # one gzip member per record, as crawlers write
    zipped.write_bytes(b"".join(gzip.compress(r) for r in records[:2]))
    result = ingest([plain, zipped], Config())
    found = docs(result)
    first = found["urn:uuid:00000000-0000-0000-0000-000000000002"]
    assert first["url"] == "https://a.example.com/1" and first["site"] == "a.example.com"
    assert first["fetched"] == datetime(2021, 3, 4, 12, 30, tzinfo=UTC)
    assert first["published"] == datetime(2021, 3, 4, tzinfo=UTC)
    assert first["title"] == "Finance minister resigns"
    assert found["urn:uuid:00000000-0000-0000-0000-000000000005"]["url"].startswith("https://b.")
    [truncated, duplicate] = result.rejects.to_pylist()
    assert truncated["record"] == 6
    assert truncated["reason"].startswith("truncated WARC record")
    assert duplicate["reason"].startswith("duplicate id")  # the same record id in both files
    assert result.skipped_items == 4  # two requests (one per file), the image, the redirect
