"""Read article collections in their many formats into one table of documents.

:func:`ingest` is the only entry point. It takes files and folders, picks a reader by file
extension (``.txt``, ``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``, Reuters ``.sgm``,
``.html``/``.htm`` pages, ``.warc`` crawls, each optionally gzip-compressed), and returns
the accepted documents plus a table of rejects.

Bad data never stops a run: a collection of a million articles always has a few broken lines,
and losing hours of work to one of them is worse than setting it aside with a reason. Every
record that does not become a document is in ``rejects`` with the file, the record number and
a sentence saying what was wrong, so nothing disappears silently.

Example::

    >>> from storytrace.config import Config
    >>> result = ingest(["articles/"], Config())          # doctest: +SKIP
    >>> result.documents.num_rows, result.rejects.num_rows  # doctest: +SKIP
    (19043, 0)
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import pyarrow as pa

from storytrace.config import Config
from storytrace.ingest.collect import Collector
from storytrace.ingest.csv_files import read_csv
from storytrace.ingest.digests import InputDigest
from storytrace.ingest.html_files import read_html_file
from storytrace.ingest.jsonl import read_jsonl
from storytrace.ingest.parquet_files import read_parquet
from storytrace.ingest.records import Item, Reject, Skipped
from storytrace.ingest.reuters_sgml import read_reuters_sgml
from storytrace.ingest.sources import Source, discover
from storytrace.ingest.text_files import read_text_file
from storytrace.ingest.warc_files import read_warc

__all__ = ["IngestResult", "ingest", "ingest_file", "skipped_by_reason"]

READ_ERRORS: Final = (OSError, EOFError, zlib.error, csv.Error, pa.ArrowException, ValueError)
"""Failures of a whole file: it cannot be opened (permissions), its gzip stream or Parquet
footer is corrupt, or it is truncated. Bad *records* never raise; readers reject them."""


@dataclass(frozen=True)
class IngestResult:
    """What :func:`ingest` read.

    ``documents`` has the schema :data:`storytrace.schema.RAW_DOCUMENTS`, sorted by doc_id;
    ``rejects`` has :data:`storytrace.schema.REJECTS`, in input order. ``skips`` is what was
    left out on purpose without being an error, each with its reason: files a folder holds
    that are not read (hidden, of unknown type, not regular files, links out of the folder)
    and items that are not articles (Reuters briefs without a body, WARC requests).
    """

    documents: pa.Table
    rejects: pa.Table
    skips: list[Skipped] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    """Per input as given, its sha256 (taken while reading) with its file and byte counts,
    or the reason it could not be read (see :mod:`storytrace.ingest.digests`)."""

    @property
    def skipped_files(self) -> int:
        return sum(1 for skip in self.skips if skip.what == "file")

    @property
    def skipped_items(self) -> int:
        return sum(1 for skip in self.skips if skip.what == "item")

    def skipped_by_reason(self) -> dict[str, dict[str, int]]:
        """See :func:`skipped_by_reason`."""
        return skipped_by_reason(self.skips)


def skipped_by_reason(skips: Iterable[Skipped]) -> dict[str, dict[str, int]]:
    """``{"files": {reason: count}, "items": {...}}``, reasons sorted: the run summary's
    and the manifest's account of what was not read."""
    counts: dict[str, dict[str, int]] = {"files": {}, "items": {}}
    for skip in skips:
        group = counts["files" if skip.what == "file" else "items"]
        group[skip.reason] = group.get(skip.reason, 0) + 1
    return {name: dict(sorted(group.items())) for name, group in counts.items()}


def _read(source: Source, config: Config) -> Iterator[Item]:
    """The reader for the source's format."""
    if source.kind == "text":
        return read_text_file(source)
    if source.kind == "jsonl":
        return read_jsonl(source, config)
    if source.kind == "csv":
        return read_csv(source, config)
    if source.kind == "parquet":
        return read_parquet(source, config)
    if source.kind == "html":
        return read_html_file(source)
    if source.kind == "warc":
        return read_warc(source)
    return read_reuters_sgml(source)


def _describe(error: BaseException) -> str:
    """A short human description of a read failure, without the Python exception class."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def ingest_file(source: Source, config: Config, collector: Collector) -> None:
    """Feed one file's records to the collector; a failing file becomes one reject.

    Records read before a failure (say, a truncated gzip stream) are kept: they are
    complete, and the reject says after which record the file broke off.
    """
    last = 0
    try:
        for item in _read(source, config):
            last = item.record
            collector.add(item)
    except READ_ERRORS as error:
        reason = f"cannot read file: {_describe(error)}"
        if isinstance(error, OSError) and error.errno is not None and source.digest is not None:
            source.digest.fail(source.input, reason)
        if last:
            reason = f"cannot read the rest of the file after record {last}: {_describe(error)}"
        collector.reject(Reject(source.input, 0, None, reason))


def ingest(
    inputs: Sequence[str | Path],
    config: Config,
    progress: Callable[[int], None] | None = None,
) -> IngestResult:
    """Read every document of ``inputs`` (files or folders) into Arrow tables.

    ``progress``, when given, is called with the number of records read since its last call,
    every few hundred records and once at the end, to advance a progress bar.
    """
    collector = Collector(config.text_field, progress)
    digests = []
    for given in inputs:
        digest = InputDigest(str(given), Path(given).is_dir())
        digests.append(digest)
        for found in discover([given], config.follow_symlinks):
            if isinstance(found, Source):
                source = replace(
                    found,
                    digest=digest,
                    max_bytes=config.max_document_bytes,
                    max_decompressed=config.max_decompressed_bytes,
                )
                ingest_file(source, config, collector)
            else:
                if isinstance(found, Reject):
                    digest.fail(found.input, found.reason)
                collector.add(found)
    collector.flush_progress()
    return IngestResult(
        documents=collector.documents(),
        rejects=collector.rejects(),
        skips=collector.skips,
        inputs=[d.record() for d in digests],
    )
