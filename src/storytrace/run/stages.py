"""The per-batch stages of a run, each a pure function from Arrow tables to Arrow tables.

Engines only move data: they split the documents or pairs into batches, call these functions
(in this process, in worker processes, or inside Spark tasks) and concatenate what comes back.
Because every function depends only on its arguments and the config, every engine produces the
same rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from storytrace.clean import clean_lines
from storytrace.clean.recurring import DocumentLines, find_recurring, line_keys
from storytrace.config import Config
from storytrace.fingerprint.lsh import band_keys, optimal_bands
from storytrace.fingerprint.minhash import signatures
from storytrace.fingerprint.shingles import shingles_many
from storytrace.fingerprint.tokens import Tokens, tokenize_many
from storytrace.fingerprint.winnow import winnow_many
from storytrace.match.candidates import find_candidates
from storytrace.match.formula import SKELETONS, FormulaModel, skeleton_fingerprints
from storytrace.match.verify import Side, measure, passage_fields, passage_offsets
from storytrace.model import DocText
from storytrace.schema import CHANGES, DOCUMENTS, PAIRS, PASSAGES, RAW_DOCUMENTS, REJECTS
from storytrace.stories.changes import change_records, sentence_changes

__all__ = [
    "Cleaned",
    "Signed",
    "changes_batch",
    "clean_batch",
    "clean_columns",
    "find_candidates",
    "line_keys_batch",
    "recurring_lines",
    "sign_batch",
    "verify_batch",
]

BANDS = pa.schema([("key", pa.uint64()), ("doc", pa.int32())])
FINGERPRINTS = pa.schema([("fp", pa.uint64()), ("doc", pa.int32())])


def _digest(tokens: Tokens) -> str:
    return hashlib.sha1(tokens.hashes.tobytes()).hexdigest()[:16]


def line_keys_batch(raw: pa.Table) -> list[DocumentLines]:
    """The whole-block lines of every document of ``raw``, for corpus-level counting."""
    texts: list[str] = raw.column("text").to_pylist()
    return line_keys(texts)


def recurring_lines(
    lines: Sequence[DocumentLines], raw: pa.Table, config: Config
) -> list[dict[int, str]]:
    """Each document's template lines, counted per site (the ``site`` column, else
    ``source``) and across the corpus; see :mod:`storytrace.clean.recurring`."""
    sites = [
        site or source
        for site, source in zip(
            raw.column("site").to_pylist(), raw.column("source").to_pylist(), strict=True
        )
    ]
    return find_recurring(
        lines,
        sites,
        site_docs=config.recurring_site_docs,
        corpus_docs=config.recurring_corpus_docs,
    )


CLEANED = pa.schema([f for f in DOCUMENTS if f.name not in RAW_DOCUMENTS.names])
"""The columns cleaning adds to a raw document (see DOCUMENTS)."""


@dataclass(frozen=True)
class Cleaned:
    """What cleaning a batch gives: the added columns of the documents it kept, which rows of
    the batch those are, and the rejects.

    Workers send back only what they added: the original texts stay where they are in the
    main process, which at a million documents saves holding every original text twice.
    """

    columns: pa.Table
    """Schema CLEANED: one row per kept document."""
    kept: pa.Array
    """Per row of the raw batch, whether it became a document."""
    rejects: pa.Table

    def documents(self, raw: pa.Table) -> pa.Table:
        """The documents (schema DOCUMENTS): the kept rows of ``raw`` (the batch that was
        cleaned) with their added columns. A batch with no rejects keeps ``raw``'s buffers."""
        table = raw if self.columns.num_rows == raw.num_rows else raw.filter(self.kept)
        for field in CLEANED:
            table = table.append_column(field, self.columns.column(field.name))
        return table.cast(DOCUMENTS)


def clean_columns(
    raw: pa.Table, config: Config, recurring: Sequence[Mapping[int, str]] | None = None
) -> Cleaned:
    """Clean every document of ``raw`` (schema RAW_DOCUMENTS).

    ``recurring`` holds, per document of ``raw``, the template lines found across the corpus
    (see :func:`recurring_lines`). A document whose clean text has no words left is rejected
    with the reason, never dropped silently.
    """
    rows = raw.select(["doc_id", "text", "input", "record"]).to_pylist()
    added: list[dict[str, Any]] = []
    kept: list[bool] = []
    rejects: list[dict[str, Any]] = []
    cleaned_texts = [
        clean_lines(row["text"], recurring[n] if recurring is not None else None)
        for n, row in enumerate(rows)
    ]
    token_lists = tokenize_many([c.text for c in cleaned_texts], config.seed)
    for row, cleaned, tokens in zip(rows, cleaned_texts, token_lists, strict=True):
        kept.append(len(tokens) > 0)
        if len(tokens) == 0:
            rejects.append(
                {
                    "input": row["input"],
                    "record": row["record"],
                    "doc_id": row["doc_id"],
                    "reason": "no words left after boilerplate removal",
                    "raw": row["text"][:10_000],
                }
            )
            continue
        added.append(
            {
                "clean_text": cleaned.text,
                "clean_map": [s._asdict() for s in cleaned.segments],
                "removed": [
                    {"start": r.start, "end": r.end, "reason": r.reason} for r in cleaned.removed
                ],
                "words": len(tokens),
                "digest": _digest(tokens),
            }
        )
    return Cleaned(
        pa.Table.from_pylist(added, schema=CLEANED),
        pa.array(kept, type=pa.bool_()),
        pa.Table.from_pylist(rejects, schema=REJECTS),
    )


def clean_batch(
    raw: pa.Table, config: Config, recurring: Sequence[Mapping[int, str]] | None = None
) -> tuple[pa.Table, pa.Table]:
    """The documents (schema DOCUMENTS) and the rejects of :func:`clean_columns`."""
    cleaned = clean_columns(raw, config, recurring)
    return cleaned.documents(raw), cleaned.rejects


@dataclass(frozen=True)
class Signed:
    """What signing a batch gives: LSH band keys, winnowed fingerprints for candidates, and
    winnowed skeleton 5-grams for the formula model (each with its document index)."""

    bands: pa.Table
    fingerprints: pa.Table
    skeletons: pa.Table


def sign_batch(first_doc: int, clean_texts: list[str], config: Config) -> Signed:
    """Signatures of documents ``first_doc, first_doc + 1, ...``."""
    token_lists = tokenize_many(clean_texts, config.seed)
    word_lists = [t.hashes for t in token_lists]
    shingle_lists = shingles_many(word_lists, config.shingle_size, config.seed)
    sigs = signatures(shingle_lists, config.num_perm, config.seed)
    bands, rows = optimal_bands(config.lsh_threshold, config.num_perm)
    keys = band_keys(sigs, bands, rows, config.seed)
    docs = np.arange(first_doc, first_doc + len(clean_texts), dtype=np.int32)
    band_table = pa.table({"key": keys.ravel(), "doc": np.repeat(docs, bands)}, schema=BANDS)
    if config.mode == "near_duplicates":  # LSH candidates only: no passages, no formula
        return Signed(band_table, FINGERPRINTS.empty_table(), SKELETONS.empty_table())
    ngram, window, seed = config.winnow_ngram, config.winnow_window, config.seed
    fps = [values for values, _ in winnow_many(word_lists, ngram, window, seed)]
    skeletons = skeleton_fingerprints(token_lists, ngram, window, seed)
    fp_table = _per_doc(fps, docs, FINGERPRINTS)
    return Signed(band_table, fp_table, _per_doc(skeletons, docs, SKELETONS))


def _per_doc(values: list[np.ndarray], docs: np.ndarray, schema: pa.Schema) -> pa.Table:
    """A two-column table (``fp``, ``doc``) of each document's values."""
    return pa.table(
        {
            "fp": np.concatenate(values) if values else np.empty(0, np.uint64),
            "doc": np.repeat(docs, [len(v) for v in values]),
        },
        schema=schema,
    )


def verify_batch(
    pairs: list[tuple[int, int]],
    docs: dict[int, DocText],
    formula: FormulaModel,
    config: Config,
) -> tuple[pa.Table, pa.Table]:
    """Figures, relation and passages of candidate ``pairs`` (indices into ``docs``).

    Unrelated pairs are left out of the result; related ones give one row in the pairs table and
    one row per aligned passage, with character offsets into the original texts.
    """
    order = list(docs)
    token_lists = tokenize_many([docs[i].clean_text for i in order], config.seed)
    masks = formula.masks(token_lists, config.winnow_ngram, config.winnow_window, config.seed)
    sides: dict[int, Side] = {}
    for i, tokens, mask in zip(order, token_lists, masks, strict=True):
        doc = docs[i]
        title = formula.title_facts(doc.title, config.seed)
        sides[i] = Side(tokens, doc.clean_text, mask, config.seed, doc.published, title)

    pair_rows: list[dict[str, Any]] = []
    passage_rows: list[dict[str, Any]] = []
    for a, b in pairs:
        side_a, side_b = sides[a], sides[b]
        ta, tb = side_a.tokens, side_b.tokens
        verdict = measure(side_a, side_b, config)
        if verdict.relation is None:
            continue
        da, db = docs[a], docs[b]
        f = verdict.figures
        pair_rows.append(
            {
                "doc_a": da.doc_id,
                "doc_b": db.doc_id,
                "relation": verdict.relation,
                "jaccard": round(f.jaccard, 6),
                "containment_a_in_b": round(f.containment_a_in_b, 6),
                "containment_b_in_a": round(f.containment_b_in_a, 6),
                "coverage_a": round(f.coverage_a, 6),
                "coverage_b": round(f.coverage_b, 6),
                "passages": f.passages,
                "longest_passage_words": f.longest_passage,
                "reason": verdict.reason,
            }
        )
        spans = passage_offsets(verdict.passages, ta, tb, da.segments, db.segments)
        for n, (p, span) in enumerate(zip(verdict.passages, spans, strict=True)):
            passage_rows.append(
                {"doc_a": da.doc_id, "doc_b": db.doc_id, "passage": n, **passage_fields(p, span)}
            )
    return (
        pa.Table.from_pylist(pair_rows, schema=PAIRS),
        pa.Table.from_pylist(passage_rows, schema=PASSAGES),
    )


def changes_batch(
    versions: list[tuple[str, int, int, int]], docs: dict[int, DocText], config: Config
) -> pa.Table:
    """Sentence changes (schema CHANGES) of consecutive versions ``(story_id, order, old,
    new)``: ``old`` and ``new`` index ``docs``, ``order`` is the new one's place in the story.
    See :mod:`storytrace.stories.changes`."""
    rows: list[dict[str, Any]] = []
    for story_id, order, old, new in versions:
        a, b = docs[old], docs[new]
        result = sentence_changes(a.clean_text, b.clean_text, config)
        ids = {"story_id": story_id, "order": order, "doc_old": a.doc_id, "doc_new": b.doc_id}
        rows.extend({**ids, **row} for row in change_records(result, a.segments, b.segments))
    return pa.Table.from_pylist(rows, schema=CHANGES)
