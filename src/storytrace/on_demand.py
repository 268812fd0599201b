"""The relation of two articles of a run that the run did not verify, computed when asked.

A run verifies a bounded set of pairs (see the candidates stage: a story printed 1,000 times
stores about two links per print, not every pair) and records sentence changes between
consecutive articles of a story only. The viewer's compare page can put any two articles
of a story side by side; for a pair the run did not store, this module computes its
figures, passages and sentence changes from the two clean texts, as ``storytrace compare``
does, with the run's settings. Nothing is written back to the run.
"""

from __future__ import annotations

from typing import Any

from storytrace.config import Config
from storytrace.match.verify import Side, measure, verdict_rows
from storytrace.model import DocText
from storytrace.stories.changes import change_records, sentence_changes


def pair_row(a: DocText, b: DocText, config: Config) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pairs row and the passages rows of two documents, ``a.doc_id < b.doc_id``, with
    offsets into their original texts. The row's relation is None when they are unrelated."""
    side_a = Side.of(a.clean_text, config, a.published)
    side_b = Side.of(b.clean_text, config, b.published)
    row, passages = verdict_rows(a, b, side_a, side_b, measure(side_a, side_b, config))
    return {**row, "on_demand": True}, passages


def change_rows(old: DocText, new: DocText, config: Config) -> list[dict[str, Any]]:
    """The sentence changes from ``old`` to ``new``, as rows of ``changes.parquet``."""
    result = sentence_changes(old.clean_text, new.clean_text, config)
    return change_records(result, old.segments, new.segments)


def run_config(manifest: dict[str, Any]) -> Config:
    """The settings a run was made with (its manifest's ``config``), else the defaults."""
    try:
        return Config.from_dict(dict(manifest.get("config") or {}))
    except (TypeError, ValueError):
        return Config()
