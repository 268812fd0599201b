"""Damaged files: gzip truncated, corrupted or mislabelled, gzip bombs, random bytes, random
mutations of good files, and empty files of every type."""

from __future__ import annotations

import gzip
import random
import zlib
from collections.abc import Callable
from dataclasses import replace

from bench.bad_inputs.cases import Case, Entry, Expected
from bench.bad_inputs.documents import reuters_sgml, text_file, warc_file
from bench.bad_inputs.pool import Pool
from bench.bad_inputs.tabular import csv_rows_case, jsonl_encoded, jsonl_lines, parquet_case

EXTENSIONS = (".txt", ".jsonl", ".ndjson", ".csv", ".parquet", ".sgm", ".html", ".htm", ".warc")
Kind = Callable[[random.Random, Pool, int], Case]


def _good_jsonl(rng: random.Random, pool: Pool, number: int) -> tuple[bytes, dict[int, str]]:
    """A plain UTF-8 JSONL file of good articles and its documents."""
    case = jsonl_encoded(random.Random(rng.random()), pool, number)
    while case.entries[0].path != "utf-8.jsonl":
        case = jsonl_encoded(random.Random(rng.random()), pool, number)
    entry = case.entries[0]
    return entry.data, dict(entry.expected.documents)


def gzip_damage(rng: random.Random, pool: Pool, number: int) -> Case:
    """Gzip done right (one or several members) and wrong: truncated (every complete line
    before the cut must survive), a flipped byte, trailing garbage, a ``.gz`` name on plain
    bytes, a truncated compressed text file (no half article may become a document)."""
    data, documents = _good_jsonl(rng, pool, number)
    variant = rng.randrange(7)
    name = "articles.jsonl.gz"
    packed = gzip.compress(data, mtime=0)
    if variant == 0:
        cut = rng.randrange(len(packed))
        packed = packed[:cut]
        prefix = zlib.decompressobj(31).decompress(packed) if cut > 10 else b""
        complete = prefix.count(b"\n")
        kept = {k: v for k, v in documents.items() if k <= complete}
        expected = Expected(documents=kept, rejects=frozenset({0}))
    elif variant == 1:
        where = rng.randrange(10, len(packed) - 8)
        packed = (
            packed[:where] + bytes([packed[where] ^ (1 << rng.randrange(8))]) + packed[where + 1 :]
        )
        expected = Expected(rejects=frozenset({0}), closed=False)
    elif variant == 2:
        packed += rng.randbytes(rng.randint(1, 64)).replace(b"\x00", b"\x01")
        expected = Expected(documents=documents, either=frozenset({0}))
    elif variant == 3:
        packed = data
        expected = Expected(rejects=frozenset({0}), closed=False)
    elif variant == 4:
        lines = data.splitlines(keepends=True)
        packed = b"".join(gzip.compress(line, mtime=0) for line in lines)
        expected = Expected(documents=documents)
    elif variant == 5:
        name = "article.txt.gz"
        text = pool.one(rng).text.encode("utf-8")
        whole = gzip.compress(text, mtime=0)
        packed = whole[: rng.randrange(len(whole) - 1)]
        expected = Expected(rejects=frozenset({0}))
    else:
        name = "no-suffix.jsonl"  # gzip without its name: recognised by the magic bytes
        expected = Expected(documents=documents)
    return Case(number, "gzip", (Entry(name, packed, expected),))


def _bomb(content: Callable[[int], bytes], size: int) -> bytes:
    """Gzip of ``size`` bytes made chunk by chunk, so making the bomb costs no memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [packer.compress(content(0))]
    chunk = 1 << 20
    filler = b"a" * chunk
    for _ in range(size // chunk):
        out.append(packer.compress(filler))
    out.append(packer.compress(content(1)))
    out.append(packer.flush())
    return b"".join(out)


def gzip_bomb(rng: random.Random, pool: Pool, number: int, size: int = 256 << 20) -> Case:
    """A few hundred kilobytes that decompress to ``size`` bytes: one text, one JSON line or
    one CSV field. Run isolated: it must finish quickly and in bounded memory."""
    shape = rng.randrange(3)
    if shape == 0:
        data, name = _bomb(lambda end: b"", size), "bomb.txt.gz"
    elif shape == 1:
        data = _bomb(lambda end: b'"\n' if end else b'{"id": "bomb", "text": "', size)
        name = "bomb.jsonl.gz"
    else:
        data = _bomb(lambda end: b'"\n' if end else b'id,text\nbomb,"', size)
        name = "bomb.csv.gz"
    expected = Expected(either=frozenset({0, 1}))
    return Case(number, "gzip-bomb", (Entry(name, data, expected),), isolated=True)


def random_bytes(rng: random.Random, pool: Pool, number: int) -> Case:
    """Random bytes under every extension, some behind a format's magic bytes: nothing may
    raise, and none of it may become a document."""
    extension = rng.choice(EXTENSIONS) + ("" if rng.random() < 0.8 else ".gz")
    head = rng.choice(
        (b"", b"", b"\x1f\x8b\x08\x00", b"PAR1", b"WARC/1.0\r\n", b'<REUTERS NEWID="1">')
    )
    data = head + rng.randbytes(rng.randint(256, 8192))
    expected = Expected(closed=False, garbage=False, skipped_items=None)
    return Case(number, "random-bytes", (Entry("noise" + extension, data, expected),))


_MUTABLE: tuple[Kind, ...] = (
    jsonl_lines,
    csv_rows_case,
    parquet_case,
    reuters_sgml,
    warc_file,
    text_file,
)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buffer:
            break
        at = rng.randrange(len(buffer))
        op = rng.randrange(5)
        if op == 0:
            buffer[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            del buffer[at : at + rng.randint(1, 64)]
        elif op == 2:
            buffer[at:at] = rng.randbytes(rng.randint(1, 16))
        elif op == 3:
            buffer[at:at] = buffer[at : at + rng.randint(1, 256)]
        else:
            buffer[at:at] = rng.choice(
                (b"\x00", b"\r", b"\n", b'"', b"\xff\xfe", b"</BODY>", b"\\")
            )
    return bytes(buffer)


def mutation(rng: random.Random, pool: Pool, number: int) -> Case:
    """A good file of some format with random bytes flipped, cut, inserted or repeated."""
    base = rng.choice(_MUTABLE)(rng, pool, number)
    entry = base.entries[0]
    expected = Expected(closed=False, skipped_items=None)
    return Case(
        number,
        f"mutated-{base.kind}",
        (replace(entry, data=_mutate(rng, entry.data), expected=expected),),
    )


def empty_file(rng: random.Random, pool: Pool, number: int) -> Case:
    """A zero-byte file of every type (a failed download): a reject or nothing, never a
    crash and never a document."""
    extension = rng.choice(EXTENSIONS) + ("" if rng.random() < 0.7 else ".gz")
    expected = Expected(closed=False, garbage=False)
    return Case(number, "empty-file", (Entry("empty" + extension, b"", expected),))
