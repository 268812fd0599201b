"""Which events of a semantic run a new article reports, in other words than the archive's.

A run made with ``--semantic`` keeps each representative's embedding and its names, dates and
places (``work/embeddings.parquet``) and the events it grouped (``work/events.parquet``). A
match embeds the new article as the run embedded its own, and compares it with every
archived vector: one article against the archive is a single matrix product, linear in the
run, and exact (an approximate index pays off for all the run's pairs, not for one query).
Articles whose event similarity reaches ``semantic_threshold`` are the new article's
``same_event`` partners, with the events and stories they belong to and what both texts
name. Nothing is written to the run; a run made without the mode gives no partners.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storytrace import table_files
from storytrace.config import Config
from storytrace.schema import EMBEDDING_DIMENSIONS
from storytrace.semantic.evidence import Evidence

_SLACK = 0.01
"""How far below the threshold the float32 pass still looks: far above its rounding error."""

MOST_SAME_EVENT = 10
"""Same-event partners named per article, the most alike first: enough to say which events
it belongs to; the run's events table holds the rest of each event."""


@dataclass(frozen=True)
class EventIndex:
    """A semantic run's embeddings and events, read once per process."""

    doc_ids: list[str]
    vectors: npt.NDArray[np.float32]
    evidence: list[Evidence]
    event_of: dict[str, str]

    @classmethod
    def read(cls, run_dir: Path) -> EventIndex | None:
        """The run's index of events, None when it was made without ``--semantic``."""
        path = run_dir / "work" / "embeddings.parquet"
        if not table_files.exists(path) or table_files.num_rows(path) == 0:
            return None
        table = table_files.read(path, columns=["doc_id", "vector", "names", "dates", "places"])
        flat = table.column("vector").combine_chunks().flatten().to_numpy()
        vectors = np.asarray(flat, dtype=np.float32).reshape(-1, EMBEDDING_DIMENSIONS)
        evidence = [
            Evidence(tuple(r["names"]), tuple(r["dates"]), tuple(r["places"]))
            for r in table.select(["names", "dates", "places"]).to_pylist()
        ]
        events = run_dir / "work" / "events.parquet"
        event_of: dict[str, str] = {}
        if table_files.exists(events):
            for row in table_files.read(events, columns=["doc_id", "event_id"]).to_pylist():
                event_of[row["doc_id"]] = row["event_id"]
        return cls(table.column("doc_id").to_pylist(), vectors, evidence, event_of)

    def same_event(
        self, title: str | None, clean_text: str, story_of: dict[str, str], config: Config
    ) -> list[dict[str, Any]]:
        """The archived articles reporting the event of a new article (its clean text and
        headline), the most alike first, ties by doc id."""
        from storytrace.semantic.compare import embedded_text
        from storytrace.semantic.embedding import embed
        from storytrace.semantic.evidence import evidence_of, shared
        from storytrace.semantic.score import similarities

        text = embedded_text(title, clean_text)
        vector = embed([text])[0]
        # One float32 product over the archive finds the few articles near the threshold;
        # their cosines are computed again in float64, so the figures do not depend on the
        # machine's float32 arithmetic (as the run's same_event step does).
        near = np.flatnonzero(
            similarities(self.vectors @ vector) >= config.semantic_threshold - _SLACK
        )
        exact = self.vectors[near].astype(np.float64) @ vector.astype(np.float64)
        cosines = dict(zip(near.tolist(), exact.tolist(), strict=True))
        scores = dict(zip(near.tolist(), similarities(exact).tolist(), strict=True))
        picked = [i for i, s in scores.items() if s >= config.semantic_threshold]
        order = sorted(picked, key=lambda i: (-scores[i], self.doc_ids[i]))
        mine = evidence_of(text)
        out = []
        for i in order[:MOST_SAME_EVENT]:
            common = shared(mine, self.evidence[i])
            doc_id = self.doc_ids[i]
            out.append(
                {
                    "doc_id": doc_id,
                    "story_id": story_of.get(doc_id),
                    "event_id": self.event_of.get(doc_id),
                    "event_similarity": round(float(scores[i]), 6),
                    "cosine": round(float(cosines[i]), 6),
                    **{f"shared_{k}": v for k, v in common.items()},
                }
            )
        return out
