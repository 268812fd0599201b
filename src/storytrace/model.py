"""Records that travel between the stages: what a stage needs of one document.

They are plain frozen dataclasses built from Arrow rows, so that algorithms in ``match/`` and
``stories/`` can take them without knowing about tables, engines or the run directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
