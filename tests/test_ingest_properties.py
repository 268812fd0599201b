"""Property tests of every reader: valid records round-trip, and no bytes make ingest raise.

For each format, hypothesis writes arbitrary valid records and checks every text comes back
as a document unchanged (after the documented normalisation: NUL to space); then it writes
arbitrary bytes, and arbitrary mutations of a valid file, and checks that ingest returns,
that no record is in both tables or twice, and that every reject has a reason.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from bench.bad_inputs.formats import (
    html_page,
    http_response,
    kept,
    sgml_file,
    sgml_item,
    warc_record,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storytrace.config import Config
from storytrace.ingest import IngestResult, ingest
from storytrace.ingest.fields import not_language

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(min_size=1, max_size=300).filter(
    lambda t: bool(kept(t).strip()) and not t.startswith("\ufeff") and not_language(kept(t)) is None
)
"""Any text the documented rules accept as language (the texts they refuse, such as symbol
soup, are the subject of the fuzz suite's garbage cases)."""
records = st.lists(texts, min_size=1, max_size=6)


def _jsonl(values: list[str]) -> bytes:
    lines = [json.dumps({"id": f"r{i}", "text": t}) for i, t in enumerate(values)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv(values: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "text"])
    writer.writerows([f"r{i}", t] for i, t in enumerate(values))
    return out.getvalue().encode("utf-8")


def _parquet(values: list[str]) -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(len(values))], "text": values}), out)
    return out.getvalue()


def _sgml(values: list[str]) -> bytes:
    return sgml_file([sgml_item(i + 1, "TITLE", t) for i, t in enumerate(values)]).encode("utf-8")


WRITERS: dict[str, Callable[[list[str]], bytes]] = {
    "articles.jsonl": _jsonl,
    "articles.csv": _csv,
    "articles.parquet": _parquet,
    "reut2-000.sgm": _sgml,
}
"""Multi-record formats whose texts must round-trip exactly."""


def _ingest(name: str, data: bytes) -> tuple[IngestResult, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return ingest([folder], Config()), str(path)


def _accounted(result: IngestResult) -> None:
    """No record in both tables or twice; every reject with a reason."""
    seen = Counter(
        (row["input"], row["record"])
        for table in (result.documents, result.rejects)
        for row in table.select(["input", "record"]).to_pylist()
        if row["record"] != 0
    )
    assert not [key for key, n in seen.items() if n > 1]
    assert all(reason and reason.strip() for reason in result.rejects.column("reason").to_pylist())


def _texts_by_record(result: IngestResult) -> dict[int, str]:
    return {
        row["record"]: row["text"]
        for row in result.documents.select(["record", "text"]).to_pylist()
    }


@SETTINGS
@given(name=st.sampled_from(sorted(WRITERS)), values=records, compress=st.booleans())
def test_valid_records_round_trip(name: str, values: list[str], compress: bool) -> None:
    data = WRITERS[name](values)
    if compress:
        data, name = gzip.compress(data, mtime=0), name + ".gz"
    result, _ = _ingest(name, data)
    assert result.rejects.num_rows == 0, result.rejects.to_pylist()
    assert _texts_by_record(result) == {i + 1: kept(t) for i, t in enumerate(values)}


@SETTINGS
@given(text=texts)
def test_a_text_file_round_trips(text: str) -> None:
    result, _ = _ingest("article.txt", text.encode("utf-8"))
    assert _texts_by_record(result) == {1: kept(text)}


words = st.lists(st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True), min_size=30, max_size=80)


@settings(max_examples=15, deadline=None)
@given(paragraphs=st.lists(words.map(" ".join), min_size=2, max_size=5), warc=st.booleans())
def test_html_pages_keep_their_paragraphs(paragraphs: list[str], warc: bool) -> None:
    page = html_page("A headline for the page", paragraphs).encode("utf-8")
    if warc:
        block = http_response(200, "text/html", page)
        result, _ = _ingest(
            "crawl.warc", warc_record("response", "0" * 32, block, uri="https://x.example/a")
        )
    else:
        result, _ = _ingest("page.html", page)
    found = result.documents.column("text").to_pylist()
    assert len(found) == 1
    folded = " ".join(found[0].split())
    assert all(html.unescape(p) in folded for p in paragraphs)


EXTENSIONS = [
    ".txt",
    ".jsonl",
    ".csv",
    ".parquet",
    ".sgm",
    ".html",
    ".warc",
    ".jsonl.gz",
    ".txt.gz",
    ".warc.gz",
]


@SETTINGS
@given(extension=st.sampled_from(EXTENSIONS), data=st.binary(max_size=2_000))
def test_arbitrary_bytes_never_raise(extension: str, data: bytes) -> None:
    result, _ = _ingest("noise" + extension, data)
    _accounted(result)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file of some format with a few bytes flipped, cut, inserted or repeated."""
    name = draw(st.sampled_from(sorted(WRITERS)))
    data = bytearray(WRITERS[name](draw(records)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.integers(0, 3))
        if op == 0 and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == 1:
            del data[at : at + draw(st.integers(1, 32))]
        elif op == 2:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    if draw(st.booleans()):
        return name + ".gz", gzip.compress(bytes(data), mtime=0)
    return name, bytes(data)


@SETTINGS
@given(case=mutated())
def test_mutated_files_never_raise_and_are_accounted(case: tuple[str, bytes]) -> None:
    result, _ = _ingest(*case)
    _accounted(result)
