"""Bad JSONL, CSV and Parquet files: broken records between good ones, and every encoding.

Each good record carries an id made unique by the case number, so that many cases can be
read in one ingest call without their ids colliding; a duplicate id inside a case is
always deliberate.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable

import pyarrow as pa
import pyarrow.parquet as pq

from bench.bad_inputs.cases import Case, Entry, Expected
from bench.bad_inputs.formats import ENCODINGS, csv_rows, encode, for_encoding, kept
from bench.bad_inputs.pool import Pool

_DEEP = 100_000
BAD_JSON_LINES: tuple[str, ...] = (
    '{"id": "x", "text": "cut off in the mid',
    "{'id': 1, 'text': 'single quotes'}",
    "not json at all",
    '{"text": "trailing comma",}',
    "[1, 2, 3]",
    '"just a string"',
    "42",
    "null",
    "true",
    '{"text": 12345}',
    '{"text": 1e999999}',
    '{"text": 1' + "0" * 5000 + "}",
    '{"text": ["a", "list"]}',
    '{"text": null}',
    '{"text": {"nested": "object"}}',
    '{"text": false}',
    '{"title": "no text field"}',
    '{"text": ""}',
    '{"text": "   \\n\\t  "}',
    "[" * _DEEP + "]" * _DEEP,
    '{"a":' * _DEEP + "1" + "}" * _DEEP,
    '{"text": "raw \x00 NUL in a string"}',
    '{"text": "raw \x1b control in a string"}',
    "NaN",
)
"""Lines that hold no usable article; each must be a reject with a reason."""

ODD_PUBLISHED: tuple[object, ...] = (
    "2017-09-30",
    "Sat, 30 Sep 2017 10:00:00 GMT",
    1e308,
    -1e308,
    1506760000,
    10**400,
    "99999-12-31",
    "0000-00-00",
    "-0001-01-01T00:00:00",
    [2017, 9, 30],
    {"year": 2017},
    None,
    True,
)
"""Dates no article should be lost over: dates are optional metadata."""

ODD_TITLES: tuple[object, ...] = (None, 123, 4.5, ["a", "b"], {"x": 1}, "", True)


def _text_variant(rng: random.Random, text: str) -> str:
    """The article, sometimes with a NUL, a terminal escape, a lone surrogate or emoji."""
    roll = rng.randrange(8)
    cut = rng.randrange(len(text) + 1)
    extra = {0: "\x00", 1: "\x1b[31mred\x1b[0m", 2: "\ud800", 3: "🙂 \u202e rtl", 4: "\t\x0b\x0c"}
    if roll in extra:
        return text[:cut] + extra[roll] + text[cut:]
    return text


def _good_record(
    rng: random.Random, tag: str, index: int, title: str, text: str
) -> dict[str, object]:
    record: dict[str, object] = {"text": text}
    roll = rng.randrange(6)
    if roll == 0:
        record["id"] = int(f"{tag[1:]}{index:03d}")
    elif roll == 1:
        record["id"] = int(f"9{tag[1:]}{index:03d}" + "0" * 400)
    elif roll != 2:  # roll 2: no id, a content id is made
        record["id"] = f"{tag}-{index}"
    record["title"] = rng.choice(ODD_TITLES) if rng.random() < 0.3 else title
    if rng.random() < 0.5:
        record["published"] = rng.choice(ODD_PUBLISHED)
    if rng.random() < 0.2:
        record["tags"] = [[["nested", {"deeper": [1, 2.5, None]}]]]
    items = list(record.items())
    rng.shuffle(items)
    return dict(items)


def jsonl_lines(rng: random.Random, pool: Pool, number: int) -> Case:
    """Good and bad lines mixed, any line ends (LF, CRLF, lone CR), blank lines, duplicates."""
    tag = f"c{number}"
    lines: list[str] = []
    documents: dict[int, str] = {}
    rejects: set[int] = set()
    ids: list[object] = []
    for index, article in enumerate(pool.some(rng, rng.randint(2, 6))):
        if rng.random() < 0.2:
            lines.append(" " * rng.randrange(3))  # blank: numbered, not a record
        text = _text_variant(rng, article.text)
        record = _good_record(rng, tag, index, article.title, text)
        lines.append(json.dumps(record, ensure_ascii=rng.random() < 0.5))
        documents[len(lines)] = kept(text)
        if "id" in record:
            ids.append(record["id"])
        for _ in range(rng.randrange(3)):
            lines.append(rng.choice(BAD_JSON_LINES))
            rejects.add(len(lines))
    if ids and rng.random() < 0.5:
        lines.append(json.dumps({"id": rng.choice(ids), "text": "a later record, same id"}))
        rejects.add(len(lines))
    end = rng.choice(["\n", "\r\n", "\r"])
    data = end.join(lines) + (end if rng.random() < 0.7 else "")
    expected = Expected(documents=documents, rejects=frozenset(rejects))
    return Case(
        number,
        "jsonl-lines",
        (Entry("articles.jsonl", data.encode("utf-8", "surrogatepass"), expected),),
    )


def _jsonl_text(articles: list[tuple[str, str]], tag: str) -> tuple[str, dict[int, str]]:
    lines = [
        json.dumps({"id": f"{tag}-{i}", "title": title, "text": text}, ensure_ascii=False)
        for i, (title, text) in enumerate(articles)
    ]
    return "\n".join(lines) + "\n", {i + 1: text for i, (_, text) in enumerate(articles)}


def jsonl_encoded(rng: random.Random, pool: Pool, number: int) -> Case:
    """A whole JSONL file in one of :data:`ENCODINGS` (UTF-16/32 with and without BOM)."""
    encoding = rng.choice(ENCODINGS)
    chosen = [pool.one(rng, encoding) for _ in range(rng.randint(1, 4))]
    articles = [(a.title, for_encoding(a.text, encoding)) for a in chosen]
    text, documents = _jsonl_text(articles, f"c{number}")
    entry = Entry(f"{encoding}.jsonl", encode(text, encoding), Expected(documents=documents))
    return Case(number, "jsonl-encoding", (entry,))


def jsonl_mixed_encodings(rng: random.Random, pool: Pool, number: int) -> Case:
    """One JSONL file whose lines were appended by tools writing UTF-8, cp1252 and Latin-1."""
    lines: list[bytes] = []
    documents: dict[int, str] = {}
    for index in range(rng.randint(2, 6)):
        encoding = rng.choice(("utf-8", "cp1252", "latin-1"))
        article = pool.one(rng, encoding)
        text = for_encoding(article.text, encoding)
        line = json.dumps({"id": f"c{number}-{index}", "text": text}, ensure_ascii=False)
        lines.append(encode(line, encoding))
        documents[index + 1] = text
    data = b"\n".join(lines) + b"\n"
    return Case(
        number,
        "jsonl-mixed-encodings",
        (Entry("mixed.jsonl", data, Expected(documents=documents)),),
    )


def csv_rows_case(rng: random.Random, pool: Pool, number: int) -> Case:
    """Good rows with quotes and newlines inside fields, rows with the wrong number of
    fields, empty texts, duplicate ids, blank lines, a BOM, and perhaps an unbalanced quote
    that swallows the end of the file."""
    tag = f"c{number}"
    rows: list[list[str]] = []
    documents: dict[int, str] = {}
    rejects: set[int] = set()
    for index, article in enumerate(pool.some(rng, rng.randint(2, 5))):
        text = article.text.replace("\n", "\r\n") if rng.random() < 0.3 else article.text
        if rng.random() < 0.3:
            text = f'He said "{text[:40]}", then, twice: ""'
        rows.append([f"{tag}-{index}", article.title, text])
        documents[len(rows)] = text
        bad = rng.randrange(5)
        if bad == 0:
            rows.append([f"{tag}-x{index}", "too", "many", "fields"])
        elif bad == 1:
            rows.append([f"{tag}-y{index}", "too few"])
        elif bad == 2:
            rows.append([f"{tag}-z{index}", "empty text", ""])
        elif bad == 3:
            rows.append([f"{tag}-{index}", "same id again", "another text"])
        else:
            continue
        rejects.add(len(rows))
    blanks = rng.random() < 0.3
    body = csv_rows([["id", "title", "text"]], quote_all=False)
    terminator = rng.choice(["\r\n", "\n"])
    for row in rows:
        body += csv_rows([row], terminator, quote_all=rng.random() < 0.3)
        if blanks:
            body += terminator
    if blanks:  # a blank line is numbered like a row
        documents = {2 * k - 1: v for k, v in documents.items()}
        rejects = {2 * k - 1 for k in rejects}
    closed = True
    if rng.random() < 0.25:
        body += f'{tag}-open,"an unbalanced quote,and the rest of the file{terminator}'
        closed = False
    data = body.encode("utf-8")
    if rng.random() < 0.3:
        data = b"\xef\xbb\xbf" + data
    expected = Expected(documents=documents, rejects=frozenset(rejects), closed=closed)
    return Case(number, "csv-rows", (Entry("articles.csv", data, expected),))


def csv_encoded(rng: random.Random, pool: Pool, number: int) -> Case:
    """A whole CSV file in one of :data:`ENCODINGS`."""
    encoding = rng.choice(ENCODINGS)
    chosen = [pool.one(rng, encoding) for _ in range(rng.randint(1, 4))]
    rows = [["id", "title", "text"]]
    rows += [
        [f"c{number}-{i}", a.title, for_encoding(a.text, encoding)] for i, a in enumerate(chosen)
    ]
    documents = {i: row[2] for i, row in enumerate(rows[1:], start=1)}
    data = encode(csv_rows(rows), encoding)
    return Case(
        number, "csv-encoding", (Entry(f"{encoding}.csv", data, Expected(documents=documents)),)
    )


def _parquet_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


_TIMESTAMPS: tuple[tuple[str, int], ...] = (
    ("s", -(10**12)),
    ("s", 10**12),
    ("ms", -(2**63) + 1),
    ("us", 2**63 - 1),
    ("ns", -(2**63) + 1),
    ("ns", 2**63 - 1),
    ("s", 1506760000),
)
"""Timestamps beyond what a Python datetime holds (and one ordinary one)."""


def parquet_case(rng: random.Random, pool: Pool, number: int) -> Case:
    """Good rows with out-of-range timestamps and binary texts in legacy encodings, text
    columns of the wrong type, null texts, duplicate ids, or a corrupt footer."""
    tag = f"c{number}"
    chosen = pool.some(rng, rng.randint(3, 5))
    ids = [f"{tag}-{i}" for i in range(len(chosen))]
    texts = [a.text for a in chosen]
    variant = rng.randrange(6)
    documents = {i + 1: t for i, t in enumerate(texts)}
    rejects: frozenset[int] = frozenset()
    columns: dict[str, pa.Array] = {
        "id": pa.array(ids),
        "title": pa.array([a.title for a in chosen]),
    }
    if variant == 0:  # out-of-range timestamps
        unit, value = rng.choice(_TIMESTAMPS)
        columns["published"] = pa.array([value] * len(texts), pa.timestamp(unit))
        columns["text"] = pa.array(texts)
    elif variant == 1:  # binary text in a legacy encoding or UTF-16 with BOM
        encoding = rng.choice(("utf-8", "cp1252", "latin-1", "utf-16-le+bom", "utf-8-sig"))
        texts = [for_encoding(pool.one(rng, encoding).text, encoding) for _ in texts]
        documents = {i + 1: t for i, t in enumerate(texts)}
        columns["text"] = pa.array([encode(t, encoding) for t in texts], pa.binary())
    elif variant == 2:  # the text column has the wrong type
        make: Callable[[], pa.Array] = rng.choice(
            (
                lambda: pa.array(range(len(texts)), pa.int64()),
                lambda: pa.array([[t[:20]] for t in texts]),
                lambda: pa.array([{"t": t[:20]} for t in texts]),
                lambda: pa.array([None] * len(texts), pa.string()),
                lambda: pa.array([1.5] * len(texts)),
            )
        )
        columns["text"] = make()
        documents, rejects = {}, frozenset(range(1, len(texts) + 1))
    elif variant == 3:  # a null text and a duplicate id
        columns["text"] = pa.array([*texts[:-1], None])
        columns["id"] = pa.array([*ids[:-2], ids[0], ids[-1]])
        documents = {i + 1: t for i, t in enumerate(texts[:-2])}
        rejects = frozenset({len(texts) - 1, len(texts)})
    else:
        columns["text"] = pa.array(texts)
    data = _parquet_bytes(pa.table(columns))
    expected = Expected(documents=documents, rejects=rejects)
    if variant == 5:  # a corrupt footer: cut, or the length / magic overwritten
        how = rng.randrange(3)
        if how == 0:
            data = data[: -rng.randint(1, 12)]
        elif how == 1:
            data = data[:-8] + rng.randbytes(4) + data[-4:]
        else:
            data = data[:-4] + b"PAR2"
        expected = Expected(rejects=frozenset({0}))
    return Case(number, "parquet", (Entry("articles.parquet", data, expected),))
