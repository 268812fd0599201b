"""Apply the document rules to every candidate and build the two Arrow tables.

All formats meet here, so the rules are written once: text must be a non-blank string, a
record without id gets a content id (numbered when the same text repeats), the first
occurrence of an id wins and later ones are rejected (naming where the first one was, since
the fix is usually in the input), and the optional fields are normalised. Columns are
gathered as Python lists and turned into Arrow arrays once at the end, which is much faster
than building a row at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from storytrace.ingest.fields import (
    check_text,
    normalise_id,
    optional_string,
    parse_published,
    site_of,
)
from storytrace.ingest.records import Candidate, Item, Reject, Skipped, content_id, resolve_raw
from storytrace.schema import RAW_DOCUMENTS, REJECTS, SKIPPED

PROGRESS_EVERY: Final = 500
"""Records between two progress calls: often enough for a smooth bar, rare enough to cost
nothing next to reading the records."""


class Ids:
    """The id rules, applied in input order: the first occurrence of an id wins, and a
    record without id gets its text's content id, numbered when the same text repeats."""

    def __init__(self) -> None:
        self._first_seen: dict[str, tuple[str, int]] = {}

    def claim(
        self, doc_id: str | None, base: str, input: str, record: int
    ) -> tuple[str, str | None]:
        """The record's id (``doc_id``, else one made from ``base``, its text's
        :func:`content_id`) and, for a repeated id, why the record is rejected."""
        if doc_id is None:
            doc_id = self._fresh_content_id(base)
        first = self._first_seen.get(doc_id)
        if first is not None:
            where = f"{first[0]} record {first[1]}"
            return doc_id, f"duplicate id {doc_id!r} (first seen in {where})"
        self._first_seen[doc_id] = (input, record)
        return doc_id, None

    def _fresh_content_id(self, base: str) -> str:
        """Content id for a record without one; repeats of the same text get ``~2``, ``~3``.

        Identical id-less texts are exactly the copies storytrace exists to find, so they must
        stay documents. The suffix follows input order, which keeps ids stable between runs.
        """
        doc_id, copy = base, 1
        while doc_id in self._first_seen:
            copy += 1
            doc_id = f"{base}~{copy}"
        return doc_id


class Collector:
    """Accumulates documents and rejects in input order; see the module docstring.

    With ``deferred``, ids are left to be given later (the records of one file read in a
    parallel task, see :mod:`storytrace.ingest.in_parts`): each document keeps its own id or
    null, its text's content id, its raw record and its place in the file (``seq``, which
    counts every item and reject of the file), so that :class:`Ids` can be applied to all
    files in input order afterwards.
    """

    def __init__(
        self,
        text_field: str,
        progress: Callable[[int], None] | None = None,
        deferred: bool = False,
    ) -> None:
        self._text_field = text_field
        self._progress = progress
        self._unreported = 0
        self._ids = Ids()
        self._deferred = deferred
        self._seq = 0
        self._docs: dict[str, list[object]] = {name: [] for name in RAW_DOCUMENTS.names}
        self._rejects: dict[str, list[object]] = {name: [] for name in REJECTS.names}
        self._later: dict[str, list[object]] = {"seq": [], "base": [], "raw": []}
        self._reject_seq: list[int] = []
        self.skips: list[Skipped] = []
        self.skip_seq: list[int] = []

    # --- feeding ------------------------------------------------------------------------
    def add(self, item: Item) -> None:
        """Take one item from a reader or from the file discovery."""
        if isinstance(item, Candidate):
            self._candidate(item)
        elif isinstance(item, Reject):
            self.reject(item)
        else:
            self._seq += 1
            self.skips.append(item)
            self.skip_seq.append(self._seq)
            if item.what == "file":
                return  # a skipped file is not a record: no progress
        self._tick()

    def reject(self, item: Reject) -> None:
        """Record a reject; also used directly for files that fail to open."""
        self._seq += 1
        self._reject_seq.append(self._seq)
        columns = self._rejects
        columns["input"].append(item.input)
        columns["record"].append(item.record)
        columns["doc_id"].append(item.doc_id)
        columns["reason"].append(item.reason)
        columns["raw"].append(resolve_raw(item.raw))

    def _candidate(self, item: Candidate) -> None:
        doc_id = normalise_id(item.doc_id)
        text, problem = check_text(item.text, self._text_field)
        if text is None:
            reason = problem or "text is unusable"
            self.reject(Reject(item.input, item.record, doc_id, reason, item.raw))
            return
        base = content_id(text) if doc_id is None else ""
        if self._deferred:
            self._seq += 1
            self._later["seq"].append(self._seq)
            self._later["base"].append(base)
            self._later["raw"].append(resolve_raw(item.raw))
        else:
            doc_id, duplicate = self._ids.claim(doc_id, base, item.input, item.record)
            if duplicate is not None:
                self.reject(Reject(item.input, item.record, doc_id, duplicate, item.raw))
                return
        columns = self._docs
        columns["doc_id"].append(doc_id)
        columns["source"].append(optional_string(item.source))
        url = optional_string(item.url)
        columns["url"].append(url)
        columns["title"].append(optional_string(item.title))
        columns["published"].append(parse_published(item.published))
        columns["text"].append(text)
        columns["input"].append(item.input)
        columns["record"].append(item.record)
        columns["site"].append(optional_string(item.site) or site_of(url))
        columns["raw_digest"].append(item.raw_digest)
        columns["fetched"].append(parse_published(item.fetched))
        columns["encoding"].append(item.encoding)
        columns["encoding_guessed"].append(item.encoding_guessed if item.encoding else None)

    def _tick(self) -> None:
        self._unreported += 1
        if self._unreported >= PROGRESS_EVERY:
            self.flush_progress()

    def flush_progress(self) -> None:
        """Report the records read since the last report (called at the end of a run)."""
        if self._progress is not None and self._unreported:
            self._progress(self._unreported)
        self._unreported = 0

    # --- results ------------------------------------------------------------------------
    def documents(self) -> pa.Table:
        """Documents sorted by doc_id, so the output does not depend on input order.

        Arrow sorts strings by their UTF-8 bytes, which is also code point order.
        """
        table = _table(self._docs, RAW_DOCUMENTS)
        order = pc.sort_indices(table, sort_keys=[("doc_id", "ascending")])
        return table.take(order)

    def rejects(self) -> pa.Table:
        """Rejects in the order they were met, which is input order."""
        return _table(self._rejects, REJECTS)

    def deferred_tables(self) -> dict[str, pa.Table]:
        """With ``deferred``: the documents in file order, with ``seq``, ``base`` and
        ``raw`` (see the class docs); the rejects and skips, with ``seq``."""
        docs = _table(self._docs, RAW_DOCUMENTS)
        for name, kind in (("seq", pa.int64()), ("base", pa.string()), ("raw", pa.string())):
            docs = docs.append_column(name, pa.array(self._later[name], kind))
        rejects = self.rejects().append_column("seq", pa.array(self._reject_seq, pa.int64()))
        skips = pa.Table.from_pylist([asdict(s) for s in self.skips], schema=SKIPPED)
        skips = skips.append_column("seq", pa.array(self.skip_seq, pa.int64()))
        return {"docs": docs, "rejects": rejects, "skips": skips}


def _table(columns: dict[str, list[object]], schema: pa.Schema) -> pa.Table:
    arrays = [pa.array(columns[f.name], type=f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)
