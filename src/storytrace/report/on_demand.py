"""The relation of two articles of a run that the run did not verify, computed when asked.

A run verifies a bounded set of pairs (see the candidates stage: a story printed 1,000 times
stores about two links per print, not every pair) and records sentence changes between
consecutive articles of a story only. The viewer's compare page can put any two articles
of a story side by side; for a pair the run did not store, this module computes its
figures, passages and sentence changes from the two clean texts, as ``storytrace compare``
does, with the run's settings. Nothing is written back to the run.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from storytrace.config import Config
from storytrace.match.verify import Side, measure, passage_fields, passage_offsets
from storytrace.model import DocText
from storytrace.stories.changes import change_records, sentence_changes


def pair_row(a: DocText, b: DocText, config: Config) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pairs row and the passages rows of two documents, ``a.doc_id < b.doc_id``, with
    offsets into their original texts. The row's relation is None when they are unrelated."""
    side_a = Side.of(a.clean_text, config, a.published)
    side_b = Side.of(b.clean_text, config, b.published)
    verdict = measure(side_a, side_b, config)
    figures = asdict(verdict.figures)
    row = {
        "doc_a": a.doc_id,
        "doc_b": b.doc_id,
        "relation": verdict.relation,
        "reason": verdict.reason,
        **{k: figures[k] for k in ("jaccard", "coverage_a", "coverage_b")},
        "passages": figures["passages"],
        "on_demand": True,
    }
    spans = passage_offsets(verdict.passages, side_a.tokens, side_b.tokens, a.segments, b.segments)
    passages = [
        {"doc_a": a.doc_id, "doc_b": b.doc_id, "passage": n, **passage_fields(p, span)}
        for n, (p, span) in enumerate(zip(verdict.passages, spans, strict=True))
    ]
    return row, passages


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
