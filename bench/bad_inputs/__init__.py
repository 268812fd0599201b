"""Bad inputs for ingest, made from real good articles, each with its expected outcome.

``generate(count, seed)`` returns cases of every kind (:data:`KINDS`) in a fixed order for
a seed; :func:`bench.bad_inputs.run.run_cases` writes them to a folder, ingests them and
checks them with :mod:`bench.bad_inputs.check`. The full-size run (``python -m
bench.fuzz_ingest``) makes over 10,000 inputs; the test suite runs a slice.

Example::

    >>> cases = generate(40, seed=1, pool=Pool(load_articles()))   # doctest: +SKIP
    >>> sorted({case.kind for case in cases})[:3]                   # doctest: +SKIP
    ['csv-encoding', 'csv-rows', 'empty-file']
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from typing import Final

from bench.bad_inputs.articles import Article, load_articles
from bench.bad_inputs.cases import Case, Entry, Expected
from bench.bad_inputs.damage import empty_file, gzip_bomb, gzip_damage, mutation, random_bytes
from bench.bad_inputs.documents import html_file, reuters_sgml, text_file, warc_file
from bench.bad_inputs.filesystem import (
    empty_folders,
    endless,
    skipped_files,
    symlinks,
    unknown_direct,
)
from bench.bad_inputs.pool import Pool
from bench.bad_inputs.tabular import (
    csv_encoded,
    csv_rows_case,
    jsonl_encoded,
    jsonl_lines,
    jsonl_mixed_encodings,
    parquet_case,
)

__all__ = ["KINDS", "Article", "Case", "Entry", "Expected", "Pool", "generate", "load_articles"]

Kind = Callable[[random.Random, Pool, int], Case]

KINDS: Final[dict[str, tuple[Kind, int]]] = {
    "jsonl-lines": (jsonl_lines, 12),
    "jsonl-encoding": (jsonl_encoded, 8),
    "jsonl-mixed-encodings": (jsonl_mixed_encodings, 5),
    "csv-rows": (csv_rows_case, 8),
    "csv-encoding": (csv_encoded, 6),
    "parquet": (parquet_case, 6),
    "text-file": (text_file, 10),
    "reuters-sgml": (reuters_sgml, 6),
    "html": (html_file, 4),
    "warc": (warc_file, 4),
    "gzip": (gzip_damage, 6),
    "random-bytes": (random_bytes, 8),
    "mutation": (mutation, 10),
    "empty-file": (empty_file, 2),
    "skipped-files": (skipped_files, 2),
    "unknown-direct": (unknown_direct, 1),
    "symlinks": (symlinks, 1),
    "empty-folders": (empty_folders, 1),
}
"""Kinds read in batches, with their weight in a generated set."""

ISOLATED: Final[dict[str, Kind]] = {"endless": endless, "gzip-bomb": gzip_bomb}
"""Kinds run one case per subprocess, with a timeout and a memory cap."""


def generate(
    count: int,
    seed: int,
    pool: Pool,
    *,
    endless_cases: int = 5,
    bombs: int = 3,
    bomb_bytes: int = 256 << 20,
) -> list[Case]:
    """``count`` batch cases drawn by weight, plus the isolated ones, all from ``seed``.

    Each case gets its own generator seeded from the run's, so one case can be rebuilt alone
    (``case.number`` and the seed are enough) and adding a kind does not change the others.
    """
    rng = random.Random(seed)
    names = list(KINDS)
    weights = [KINDS[name][1] for name in names]
    cases = []
    for number in range(count):
        kind = KINDS[rng.choices(names, weights)[0]][0]
        cases.append(kind(random.Random(f"{seed}-{number}"), pool, number))
    bomb = functools.partial(gzip_bomb, size=bomb_bytes)
    for offset in range(endless_cases + bombs):
        number = count + offset
        make: Kind = endless if offset < endless_cases else bomb
        cases.append(make(random.Random(f"{seed}-{number}"), pool, number))
    return cases
