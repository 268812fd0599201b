"""Records that travel between the stages: what a stage needs of one document.

They are plain frozen dataclasses built from Arrow rows, so that algorithms in ``match/`` and
``stories/`` can take them without knowing about tables, engines or the run directory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from storytrace.clean import Segment, segments_from_rows


@dataclass(frozen=True)
class DocText:
    """What verification needs of one document."""

    doc_id: str
    clean_text: str
    segments: tuple[Segment, ...]
    published: datetime | None = None
    title: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DocText:
        return cls(
            row["doc_id"],
            row["clean_text"],
            segments_from_rows(row["clean_map"]),
            row.get("published"),
            row.get("title"),
        )


def doc_uids(doc_ids: Iterable[str]) -> npt.NDArray[np.uint64]:
    """The 64-bit row identity of each doc_id: the first 8 bytes of its blake2b digest.

    Work tables name documents by it, never by a row's place in a sorted table, so a row
    means the same document whichever engine, batch or order produced it. Two of a million
    doc_ids share a uid with odds of about 3 in 100 million; doc_ids are unique in a run.
    """
    digests = b"".join(hashlib.blake2b(d.encode(), digest_size=8).digest() for d in doc_ids)
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


def unique_uids(doc_ids: Sequence[str]) -> pa.Array:
    """The uids of a run's doc_ids (see :func:`doc_uids`), checked to be distinct."""
    uids = doc_uids(doc_ids)
    if len(np.unique(uids)) != len(uids):  # odds of 3 in 10^8 at 1M docs
        raise ValueError("two doc_ids share a 64-bit uid: rename one of them")
    return pa.array(uids, pa.uint64())


def with_uids(documents: pa.Table) -> pa.Table:
    """Ingested documents with their ``uid`` column (schema ``RAW_WORK``)."""
    return documents.append_column("uid", unique_uids(documents.column("doc_id").to_pylist()))
