"""What a finished run keeps that lets a new article be looked up without a re-run.

A run already stores, in ``work/``, the LSH band keys and the winnowed fingerprints of every
article it compared (one per group of exact copies), keyed by uid. Loaded once as two sorted
arrays each, they answer "which articles share a bucket or fingerprints with this text?"
by binary search, without reading or signing any article of the archive again; only the few
candidates found are then read from ``documents.parquet`` to be verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from storytrace import table_files
from storytrace.archive.events import EventIndex
from storytrace.fingerprint.hashing import U64
from storytrace.match.formula import FormulaModel
from storytrace.model import doc_uids
from storytrace.on_demand import run_formula


@dataclass(frozen=True)
class _Postings:
    """Keys sorted, with the uid holding each: ``uids[keys == k]`` by binary search."""

    keys: U64
    uids: U64

    @classmethod
    def read(cls, path: Path, key: str) -> _Postings:
        table = table_files.read(path, columns=[key, "uid"])
        keys = table.column(key).to_numpy()
        uids = table.column("uid").to_numpy()
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], uids[order])

    def holders(self, wanted: U64) -> tuple[U64, npt.NDArray[np.intp]]:
        """The uids holding any of ``wanted`` and, for each, how many of ``wanted`` it holds
        (sorted by uid)."""
        wanted = np.unique(wanted)
        low = np.searchsorted(self.keys, wanted, side="left")
        high = np.searchsorted(self.keys, wanted, side="right")
        pieces = [self.uids[a:b] for a, b in zip(low.tolist(), high.tolist(), strict=True)]
        hits = np.concatenate(pieces) if pieces else np.empty(0, dtype=np.uint64)
        uids, counts = np.unique(hits, return_counts=True)
        return uids, counts


@dataclass(frozen=True)
class ArchiveIndex:
    """The band keys and fingerprints of a run, and its doc ids by uid."""

    bands: _Postings
    fingerprints: _Postings
    doc_ids: dict[int, str]
    formula: FormulaModel | None = None
    """The formula wording the run learned: a match keeps formula items apart as it does."""
    events: EventIndex | None = None
    """The embeddings and events of a run made with ``--semantic``."""

    @classmethod
    def read(cls, run_dir: Path) -> ArchiveIndex:
        work = run_dir / "work"
        missing = [
            n for n in ("bands", "fingerprints") if not table_files.exists(work / f"{n}.parquet")
        ]
        if missing:
            raise FileNotFoundError(
                f"{run_dir} has no index to match against (work/{missing[0]}.parquet is "
                "missing): run `storytrace run` again into it to rebuild it"
            )
        ids = table_files.read(run_dir / "documents.parquet", columns=["doc_id"]).column("doc_id")
        names = ids.to_pylist()
        return cls(
            _Postings.read(work / "bands.parquet", "key"),
            _Postings.read(work / "fingerprints.parquet", "fp"),
            dict(zip(doc_uids(names).tolist(), names, strict=True)),
            run_formula(run_dir),
            EventIndex.read(run_dir),
        )

    def candidates(
        self, band_keys: U64, fingerprints: U64, min_shared: int, most: int
    ) -> list[tuple[str, int, int]]:
        """``(doc_id, shared bands, shared fingerprints)`` of the archive's articles that
        share an LSH bucket or at least ``min_shared`` fingerprints, the ``most`` sharing the
        most first (ties by doc_id, so the answer does not depend on the order of tables)."""
        found: dict[int, list[int]] = {}
        for position, (uids, counts) in enumerate(
            (self.bands.holders(band_keys), self.fingerprints.holders(fingerprints))
        ):
            for uid, count in zip(uids.tolist(), counts.tolist(), strict=True):
                found.setdefault(uid, [0, 0])[position] = count
        ranked = sorted(
            (
                (self.doc_ids[uid], shared[0], shared[1])
                for uid, shared in found.items()
                if uid in self.doc_ids and (shared[0] or shared[1] >= min_shared)
            ),
            key=lambda c: (-c[1] - c[2], c[0]),
        )
        return ranked[:most]


def read_documents(run_dir: Path, doc_ids: list[str]) -> list[dict[str, object]]:
    """The rows of ``documents.parquet`` for ``doc_ids`` (in that order), read by filter."""
    if not doc_ids:
        return []
    columns = ["doc_id", "clean_text", "clean_map", "published", "title", "source", "text"]
    table = table_files.read(
        run_dir / "documents.parquet", columns=columns, filters=pc.field("doc_id").isin(doc_ids)
    )
    rows = {row["doc_id"]: row for row in table.to_pylist()}
    return [rows[d] for d in doc_ids if d in rows]
