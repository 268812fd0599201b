"""The relation of two articles of a run that the run did not verify, computed when asked.

A run verifies a bounded set of pairs (see the candidates stage: a story printed 1,000 times
stores about two links per print, not every pair) and records sentence changes between
consecutive articles of a story only. The viewer's compare page can put any two articles
of a story side by side; for a pair the run did not store, this module computes its
figures, passages and sentence changes from the two clean texts, as ``storytrace compare``
does, with the run's settings and the formula wording it learned (so that two items of one
formula are kept apart as the run keeps them). Nothing is written back to the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storytrace import table_files
from storytrace.config import Config
from storytrace.fingerprint.tokens import tokenize
from storytrace.match.formula import FormulaModel
from storytrace.match.verify import Side, measure, verdict_rows
from storytrace.model import DocText
from storytrace.run.steps import formula_model
from storytrace.stories.changes import change_records, sentence_changes


def run_formula(run_dir: Path) -> FormulaModel | None:
    """The formula wording a run learned (``work/formula.parquet``), None when it has none."""
    path = run_dir / "work" / "formula.parquet"
    return formula_model(table_files.read(path)) if table_files.exists(path) else None


def side_of(doc: DocText, config: Config, formula: FormulaModel | None) -> Side:
    """A document as the run's verification sees it: its formula wording marked, and its
    headline's facts and subject read with the run's formula model."""
    if formula is None:
        return Side.of(doc.clean_text, config, doc.published)
    tokens = tokenize(doc.clean_text, config.seed)
    mask = formula.mask(tokens, config.winnow_ngram, config.winnow_window, config.seed)
    return Side.in_corpus(doc, tokens, mask, formula, config.seed)


def pair_row(
    a: DocText, b: DocText, config: Config, formula: FormulaModel | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pairs row and the passages rows of two documents, ``a.doc_id < b.doc_id``, with
    offsets into their original texts. The row's relation is None when they are unrelated."""
    side_a, side_b = side_of(a, config, formula), side_of(b, config, formula)
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
