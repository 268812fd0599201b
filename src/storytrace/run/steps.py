"""The work of every stage as pure functions from Arrow tables to Arrow tables.

Each function here is what an engine runs: on a batch of rows (``map`` steps), on whole
groups of rows sharing a key (``group`` steps), or once on a small collected table
(``driver`` steps). They depend only on their arguments, and give the same rows whatever the
batch boundaries or the order of rows and groups inside a task, so every engine writes the
same tables. The stage records in :mod:`storytrace.run.stages` say which function each stage
runs, on which tables and keys.

Row identity is the ``uid`` of :func:`storytrace.model.doc_uids`. Where an algorithm wants
dense numbers (the candidate query, the formula model), a driver step numbers the rows of
its own input in doc_id order and maps the numbers back before it returns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from storytrace.clean import clean_lines
from storytrace.clean.recurring import DocumentLines, find_recurring, line_keys
from storytrace.config import Config
from storytrace.fingerprint.signing import band_keys_of, fingerprints_of
from storytrace.fingerprint.tokens import Tokens, tokenize_many
from storytrace.match.candidates import (
    BAND_DOCS,
    FINGERPRINT_DOCS,
    find_candidates,
    verification_order,
)
from storytrace.match.copies import copy_pairs, same_item_copies
from storytrace.match.facts import fact_mask
from storytrace.match.formula import SKELETONS, FormulaModel, learn_formula, skeleton_fingerprints
from storytrace.match.near_duplicate_check import jaccard_batch
from storytrace.match.verify import Side, measure, verdict_rows
from storytrace.model import DocText, doc_uids
from storytrace.schema import (
    BANDS,
    CANDIDATE_PAIRS,
    CHANGES,
    COPIES,
    DOCUMENTS,
    FINGERPRINTS,
    FORMULA,
    LINE_DOCS,
    LINES,
    MERGES,
    NEEDS,
    PAIRS,
    PASSAGES,
    PLAN,
    RAW_DOCUMENTS,
    RECURRING,
    REJECTS,
    REPRESENTATIVES,
    SKELETON_FPS,
    STORIES,
    STORY_DOCS,
    TASK_DOCS,
)
from storytrace.stories.changes import change_records, sentence_changes
from storytrace.stories.cluster import build_stories, keep_story_ids
from storytrace.stories.timeline import TOP_CHARACTERS, evidence_of

Tables = dict[str, pa.Table]
U64 = npt.NDArray[np.uint64]

PAIRS_PER_TASK = 2000
"""Pairs verified per task: large enough that process start-up and pickling are noise, small
enough that the progress bar moves every second or so."""


def _uids(table: pa.Table, name: str = "uid") -> U64:
    """The uids in column ``name`` of ``table``."""
    return np.asarray(table.column(name).to_numpy(), dtype=np.uint64)


def _among(documents: pa.Table, wanted: pa.Table) -> pa.Table:
    """The rows of ``documents`` whose doc_id is in ``wanted`` (the other side of a
    co-group by doc_id: only those documents are the step's to work on)."""
    return documents.filter(pc.is_in(documents.column("doc_id"), value_set=wanted.column("doc_id")))


def _digest(tokens: Tokens) -> str:
    return hashlib.sha1(tokens.hashes.tobytes()).hexdigest()[:16]


# -- recurring lines -------------------------------------------------------------------------


def line_keys_batch(raw: pa.Table) -> list[DocumentLines]:
    """The whole-block lines of every document of ``raw``, for corpus-level counting."""
    texts: list[str] = raw.column("text").to_pylist()
    return line_keys(texts)


def _sites(raw: pa.Table) -> list[str | None]:
    return [
        site or source
        for site, source in zip(
            raw.column("site").to_pylist(), raw.column("source").to_pylist(), strict=True
        )
    ]


def recurring_lines(
    lines: Sequence[DocumentLines], raw: pa.Table, config: Config
) -> list[dict[int, str]]:
    """Each document's template lines, counted per site (the ``site`` column, else
    ``source``) and across the corpus; see :mod:`storytrace.clean.recurring`."""
    return find_recurring(
        lines,
        _sites(raw),
        site_docs=config.recurring_site_docs,
        corpus_docs=config.recurring_corpus_docs,
    )


def lines_step(raw: pa.Table) -> Tables:
    """Map step: each document's line keys and site, for counting across the corpus."""
    found = line_keys_batch(raw)
    uids = _uids(raw)
    counts = [len(d.keys) for d in found]
    lines = pa.table(
        {
            "uid": np.repeat(uids, counts),
            "key": np.fromiter((k for d in found for k in d.keys), np.uint64, sum(counts)),
            "words": np.fromiter((w for d in found for w in d.keys.values()), np.int32),
            "edge": np.fromiter((k in d.edges for d in found for k in d.keys), np.bool_),
        },
        schema=LINES,
    )
    docs = pa.table(
        {"uid": uids, "site": _sites(raw), "words": [d.words for d in found]}, schema=LINE_DOCS
    )
    return {"lines": lines, "line_docs": docs}


def recurring_step(lines: pa.Table, line_docs: pa.Table, config: Config) -> Tables:
    """Driver step: the boilerplate lines of every document, from the keys of all of them.

    The counting needs every document's keys at once (a line is boilerplate by how many
    documents hold it); it runs on the keys and word counts only, never on texts.
    """
    line_docs = line_docs.sort_by("uid")
    lines = lines.sort_by([("uid", "ascending"), ("key", "ascending")])
    uids = _uids(line_docs)
    starts = np.searchsorted(_uids(lines), uids, side="left")
    ends = np.searchsorted(_uids(lines), uids, side="right")
    keys = lines.column("key").to_numpy()
    words = lines.column("words").to_numpy()
    edges = lines.column("edge").to_numpy(zero_copy_only=False)
    documents = [
        DocumentLines(
            dict(zip(keys[s:e].tolist(), words[s:e].tolist(), strict=True)),
            w,
            frozenset(keys[s:e][edges[s:e]].tolist()),
        )
        for s, e, w in zip(starts, ends, line_docs.column("words").to_pylist(), strict=True)
    ]
    found = find_recurring(
        documents,
        line_docs.column("site").to_pylist(),
        site_docs=config.recurring_site_docs,
        corpus_docs=config.recurring_corpus_docs,
    )
    counts = [len(f) for f in found]
    table = pa.table(
        {
            "uid": np.repeat(uids, counts),
            "key": np.fromiter((k for f in found for k in f), np.uint64, sum(counts)),
            "reason": [why for f in found for why in f.values()],
        },
        schema=RECURRING,
    )
    return {"recurring": table}


# -- clean -------------------------------------------------------------------------------------

CLEANED = pa.schema([f for f in DOCUMENTS if f.name not in RAW_DOCUMENTS.names])
"""The columns cleaning adds to a raw document (see DOCUMENTS)."""


@dataclass(frozen=True)
class Cleaned:
    """What cleaning a batch gives: the added columns of the documents it kept, which rows of
    the batch those are, and the rejects."""

    columns: pa.Table
    """Schema CLEANED: one row per kept document."""
    kept: pa.Array
    """Per row of the raw batch, whether it became a document."""
    rejects: pa.Table

    def documents(self, raw: pa.Table) -> pa.Table:
        """The documents (schema DOCUMENTS): the kept rows of ``raw`` (the batch that was
        cleaned) with their added columns. A batch with no rejects keeps ``raw``'s buffers."""
        table = raw if self.columns.num_rows == raw.num_rows else raw.filter(self.kept)
        table = table.select(RAW_DOCUMENTS.names)
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


def clean_step(raw: pa.Table, recurring: pa.Table, config: Config) -> Tables:
    """Group step by uid: clean the raw documents with their boilerplate lines."""
    raw = raw.sort_by("doc_id")
    uids = _uids(raw)
    found: dict[int, dict[int, str]] = {int(u): {} for u in uids.tolist()}
    for uid, key, why in zip(
        _uids(recurring).tolist(),
        recurring.column("key").to_pylist(),
        recurring.column("reason").to_pylist(),
        strict=True,
    ):
        found[uid][key] = why
    cleaned = clean_columns(raw, config, [found[int(u)] for u in uids.tolist()])
    return {"documents": cleaned.documents(raw), "clean_rejects": cleaned.rejects}


def rejects_step(ingest_rejects: pa.Table, clean_rejects: pa.Table) -> Tables:
    """Driver step: the rejects of ingest in input order, then those of cleaning by doc_id."""
    later = clean_rejects.sort_by("doc_id")
    return {"rejects": pa.concat_tables([ingest_rejects.cast(REJECTS), later.cast(REJECTS)])}


# -- exact copies ------------------------------------------------------------------------------


def copies_step(documents: pa.Table) -> Tables:
    """Group step by digest: each group of exact copies (same digest and word count) keeps
    its first document in doc_id order as representative; the others become copies of it.
    The word count is part of the key, a free guard against 64-bit digests that collide."""
    documents = documents.sort_by(
        [("digest", "ascending"), ("words", "ascending"), ("doc_id", "ascending")]
    )
    first: dict[tuple[str, int], tuple[int, str]] = {}
    reps: list[tuple[int, str]] = []
    copies: list[tuple[int, int, str]] = []
    for uid, doc_id, digest, words in zip(
        doc_uids(documents.column("doc_id").to_pylist()).tolist(),
        documents.column("doc_id").to_pylist(),
        documents.column("digest").to_pylist(),
        documents.column("words").to_pylist(),
        strict=True,
    ):
        rep = first.setdefault((digest, words), (uid, doc_id))
        if rep[0] == uid:
            reps.append(rep)
        else:
            copies.append((rep[0], uid, doc_id))
    return {
        "representatives": pa.table(
            {"uid": pa.array([r[0] for r in reps], pa.uint64()), "doc_id": [r[1] for r in reps]},
            schema=REPRESENTATIVES,
        ),
        "copies": pa.table(
            {
                "rep": pa.array([c[0] for c in copies], pa.uint64()),
                "uid": pa.array([c[1] for c in copies], pa.uint64()),
                "doc_id": [c[2] for c in copies],
            },
            schema=COPIES,
        ),
    }


# -- signatures --------------------------------------------------------------------------------


def sign_step(documents: pa.Table, representatives: pa.Table, config: Config) -> Tables:
    """Group step by uid: band keys, winnowed fingerprints and formula skeletons of the
    representatives (documents without a representative row are copies: left out)."""
    documents = _among(documents, representatives)
    uids = doc_uids(documents.column("doc_id").to_pylist())
    token_lists = tokenize_many(documents.column("clean_text").to_pylist(), config.seed)
    word_lists = [t.hashes for t in token_lists]
    keys = band_keys_of(word_lists, config)
    band_table = pa.table(
        {"key": keys.ravel(), "uid": np.repeat(uids, keys.shape[1])}, schema=BANDS
    )
    if config.mode == "near_duplicates":  # LSH candidates only: no passages, no formula
        return {
            "bands": band_table,
            "fingerprints": FINGERPRINTS.empty_table(),
            "skeletons": SKELETON_FPS.empty_table(),
        }
    fps = fingerprints_of(word_lists, config)
    texts = documents.column("clean_text").to_pylist()
    facts = [fact_mask(text, tokens) for text, tokens in zip(texts, token_lists, strict=True)]
    ngram, window, seed = config.winnow_ngram, config.winnow_window, config.seed
    skeletons = skeleton_fingerprints(token_lists, facts, ngram, window, seed)
    counts = [len(values) for values, _ in skeletons]
    return {
        "bands": band_table,
        "fingerprints": _per_doc(fps, uids, FINGERPRINTS),
        "skeletons": pa.table(
            {
                "fp": _joined([values for values, _ in skeletons]),
                "filling": _joined([fillings for _, fillings in skeletons]),
                "uid": np.repeat(uids, counts),
            },
            schema=SKELETON_FPS,
        ),
    }


def _joined(values: list[U64]) -> U64:
    return np.concatenate(values) if values else np.empty(0, np.uint64)


def _per_doc(values: list[np.ndarray], uids: U64, schema: pa.Schema) -> pa.Table:
    """A two-column table (``fp``, ``uid``) of each document's values."""
    return pa.table(
        {"fp": _joined(values), "uid": np.repeat(uids, [len(v) for v in values])}, schema=schema
    )


def _dense(representatives: pa.Table) -> tuple[U64, npt.NDArray[np.intp]]:
    """The representatives' uids in doc_id order, and the same sorted (with the place in
    doc_id order of each), to number rows densely inside one driver step."""
    in_order = _uids(representatives.sort_by("doc_id"))
    by_uid = np.argsort(in_order, kind="stable")
    return in_order, by_uid


def _numbers(uids: U64, in_order: U64, by_uid: npt.NDArray[np.intp]) -> npt.NDArray[np.int32]:
    """The dense number (place in doc_id order) of each uid."""
    found = np.searchsorted(in_order[by_uid], uids)
    return by_uid[found].astype(np.int32)


def candidates_step(
    bands: pa.Table, fingerprints: pa.Table, representatives: pa.Table, config: Config
) -> Tables:
    """Driver step: candidate pairs from shared LSH buckets and rare fingerprints, in the
    order verification takes them (grouped by connected component, so a task ships few
    texts). The query numbers documents in doc_id order; a group's centres are its members
    of smallest uid (a hash of the doc_id)."""
    in_order, by_uid = _dense(representatives)

    def numbered(table: pa.Table, schema: pa.Schema) -> pa.Table:
        docs = _numbers(_uids(table), in_order, by_uid)
        return pa.table({schema.names[0]: table.column(0), "doc": docs}, schema=schema)

    found = find_candidates(
        numbered(bands, BAND_DOCS), numbered(fingerprints, FINGERPRINT_DOCS), in_order, config
    )
    firsts = found.column("a").to_numpy().astype(np.int64)
    seconds = found.column("b").to_numpy().astype(np.int64)
    order = verification_order(firsts, seconds)
    table = pa.table(
        {
            "seq": np.arange(len(order), dtype=np.int64),
            "a": in_order[firsts[order]],
            "b": in_order[seconds[order]],
        },
        schema=CANDIDATE_PAIRS,
    )
    return {"candidates": table}


def titles_step(documents: pa.Table, representatives: pa.Table) -> Tables:
    """Group step by doc_id: the representatives' uid, doc_id, source and title."""
    docs = _among(documents, representatives)
    uids = pa.array(doc_uids(docs.column("doc_id").to_pylist()), pa.uint64())
    return {"titles": docs.add_column(0, "uid", uids).cast(TITLES)}


TITLES = pa.schema(
    [("uid", pa.uint64()), ("doc_id", pa.string()), ("source", pa.string()), ("title", pa.string())]
)


def formula_step(skeletons: pa.Table, documents: pa.Table, config: Config) -> Tables:
    """Driver step: learn the corpus's formula wording from the representatives' skeletons
    (``documents`` holds the representatives' uid, doc_id, source and title)."""
    documents = documents.sort_by("doc_id")
    in_order, by_uid = _dense(documents)
    numbered = pa.table(
        {
            "fp": skeletons.column("fp"),
            "doc": _numbers(_uids(skeletons), in_order, by_uid),
            "filling": skeletons.column("filling"),
        },
        schema=SKELETONS,
    )
    model = learn_formula(
        numbered,
        documents.column("source").to_pylist(),
        documents.column("title").to_pylist(),
        config.formula_min_docs,
        config.seed,
    )
    table = pa.table(
        {"frequent": [model.frequent.tolist()], "title_words": [model.title_words.tolist()]},
        schema=FORMULA,
    )
    return {"formula": table}


def formula_model(table: pa.Table) -> FormulaModel:
    """The model of :func:`formula_step`'s one-row table."""
    if table.num_rows == 0:
        return FormulaModel(np.empty(0, dtype=np.uint64))
    row = table.to_pylist()[0]
    return FormulaModel(
        np.asarray(row["frequent"], dtype=np.uint64),
        np.asarray(row["title_words"], dtype=np.uint64),
    )


# -- verification ------------------------------------------------------------------------------


def plan_step(candidates: pa.Table, copies: pa.Table, representatives: pa.Table) -> Tables:
    """Driver step: cut the candidate pairs (in verification order) and the exact copies
    (grouped by representative) into tasks, and say which documents each task needs."""
    candidates = candidates.sort_by("seq")
    copies = copies.sort_by([("rep", "ascending"), ("uid", "ascending")])
    n_cand = candidates.num_rows
    cand_tasks = -(-n_cand // PAIRS_PER_TASK)
    rows = np.arange(copies.num_rows, dtype=np.int64)
    plan = pa.table(
        {
            "task": np.concatenate(
                [
                    np.arange(n_cand, dtype=np.int64) // PAIRS_PER_TASK,
                    cand_tasks + rows // PAIRS_PER_TASK,
                ]
            ),
            "seq": np.concatenate([candidates.column("seq").to_numpy(), rows]),
            "copy": np.concatenate([np.zeros(n_cand, bool), np.ones(copies.num_rows, bool)]),
            "a": np.concatenate([_uids(candidates, "a"), _uids(copies, "rep")]),
            "b": np.concatenate([_uids(candidates, "b"), _uids(copies, "uid")]),
        },
        schema=PLAN,
    )
    tasks = plan.column("task").to_numpy()
    needs = np.unique(
        np.stack(
            [
                np.concatenate([tasks, tasks]).astype(np.uint64),
                np.concatenate([_uids(plan, "a"), _uids(plan, "b")]),
            ]
        ),
        axis=1,
    )
    known = pa.concat_tables(
        [representatives.select(["uid", "doc_id"]), copies.select(["uid", "doc_id"])]
    ).sort_by("uid")
    at = np.searchsorted(_uids(known), needs[1])
    doc_ids = known.column("doc_id").take(pa.array(at, type=pa.int64()))
    need_table = pa.table({"task": needs[0].astype(np.int64), "doc_id": doc_ids}, schema=NEEDS)
    return {"plan": plan, "needs": need_table}


def attach_step(needs: pa.Table, documents: pa.Table) -> Tables:
    """Group step by doc_id: each needed document, once per task that needs it."""
    if needs.num_rows == 0 or documents.num_rows == 0:
        return {"task_docs": TASK_DOCS.empty_table()}
    at = pc.index_in(needs.column("doc_id"), value_set=documents.column("doc_id"))
    picked = documents.take(at)
    uids = doc_uids(needs.column("doc_id").to_pylist())
    table = pa.table(
        {
            "task": needs.column("task"),
            "uid": uids,
            **{n: picked.column(n) for n in TASK_DOCS.names if n not in ("task", "uid")},
        },
        schema=TASK_DOCS,
    )
    return {"task_docs": table}


def verify_step(plan: pa.Table, task_docs: pa.Table, formula: pa.Table, config: Config) -> Tables:
    """Group step by task: figures, relation and passages of the task's candidate pairs, and
    the duplicate rows of its exact copies (a copy of a formula text repeated far apart is
    the next item of the formula, and is left out)."""
    model = formula_model(formula)
    docs = task_docs.sort_by([("task", "ascending"), ("uid", "ascending")])
    seen: dict[int, DocText] = {}
    rows_of: dict[int, dict[str, Any]] = {}
    for row in docs.to_pylist():
        if row["uid"] not in seen:
            seen[row["uid"]] = DocText.from_row(row)
            rows_of[row["uid"]] = row
    plan = plan.sort_by([("task", "ascending"), ("copy", "ascending"), ("seq", "ascending")])
    is_copy = plan.column("copy").to_pylist()
    pairs = list(zip(_uids(plan, "a").tolist(), _uids(plan, "b").tolist(), strict=True))
    candidates = [p for p, c in zip(pairs, is_copy, strict=True) if not c]
    copies = [p for p, c in zip(pairs, is_copy, strict=True) if c]
    if config.mode == "near_duplicates":
        found_pairs, found_passages = jaccard_batch(candidates, seen, config)
    else:
        found_pairs, found_passages = verify_batch(candidates, seen, model, config)
    copy_rows, copy_passages = _copy_rows(copies, rows_of, model, config)
    return {
        "pairs": pa.concat_tables([found_pairs, copy_rows]),
        "passages": pa.concat_tables([found_passages, copy_passages]),
    }


def _copy_rows(
    copies: list[tuple[int, int]],
    rows_of: dict[int, dict[str, Any]],
    model: FormulaModel,
    config: Config,
) -> tuple[pa.Table, pa.Table]:
    """The duplicate rows of exact copies ``(representative uid, copy uid)``."""
    if not copies:
        return PAIRS.empty_table(), PASSAGES.empty_table()
    local = sorted({u for pair in copies for u in pair}, key=lambda u: rows_of[u]["doc_id"])
    number = {u: n for n, u in enumerate(local)}
    indexed = [(number[a], number[b]) for a, b in copies]
    rows = [rows_of[u] for u in local]
    kept = same_item_copies(
        indexed,
        [r["clean_text"] for r in rows],
        [r["published"] for r in rows],
        model,
        config,
    )
    table = pa.Table.from_pylist(rows, schema=TASK_DOCS)
    return copy_pairs(kept, table)


def verify_batch(
    pairs: list[tuple[int, int]],
    docs: dict[int, DocText],
    formula: FormulaModel,
    config: Config,
) -> tuple[pa.Table, pa.Table]:
    """Figures, relation and passages of candidate ``pairs`` (keys of ``docs``).

    Unrelated pairs are left out of the result; related ones give one row in the pairs table and
    one row per aligned passage, with character offsets into the original texts.
    """
    order = list(docs)
    token_lists = tokenize_many([docs[i].clean_text for i in order], config.seed)
    masks = formula.masks(token_lists, config.winnow_ngram, config.winnow_window, config.seed)
    sides: dict[int, Side] = {}
    for i, tokens, mask in zip(order, token_lists, masks, strict=True):
        sides[i] = Side.in_corpus(docs[i], tokens, mask, formula, config.seed)

    pair_rows: list[dict[str, Any]] = []
    passage_rows: list[dict[str, Any]] = []
    for a, b in pairs:
        verdict = measure(sides[a], sides[b], config)
        if verdict.relation is None:
            continue
        row, passages = verdict_rows(docs[a], docs[b], sides[a], sides[b], verdict)
        pair_rows.append(row)
        passage_rows.extend(passages)
    return (
        pa.Table.from_pylist(pair_rows, schema=PAIRS),
        pa.Table.from_pylist(passage_rows, schema=PASSAGES),
    )


# -- stories -----------------------------------------------------------------------------------


def linked_step(pairs: pa.Table) -> Tables:
    """Driver step: the documents in any pair (only they need evidence of time)."""
    ids = pc.unique(
        pa.concat_arrays([pairs.column(c).combine_chunks() for c in ("doc_a", "doc_b")])
    )
    return {"linked": pa.table({"doc_id": ids.cast(pa.string())})}


def evidence_step(documents: pa.Table, linked: pa.Table) -> Tables:
    """Group step by doc_id: what the story order needs of each linked document (its time
    evidence reads a date near the top of the text only, see storytrace.stories.timeline)."""
    docs = _among(documents, linked)
    table = pa.table(
        {
            "doc_id": docs.column("doc_id"),
            "title": docs.column("title"),
            "top": pc.utf8_slice_codeunits(docs.column("clean_text"), 0, TOP_CHARACTERS),
            "published": docs.column("published"),
            "words": docs.column("words"),
        },
        schema=EVIDENCE_ROWS,
    )
    return {"evidence": table}


EVIDENCE_ROWS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("top", pa.string()),
        ("published", DOCUMENTS.field("published").type),
        ("words", pa.int32()),
    ]
)


def cluster_step(pairs: pa.Table, evidence: pa.Table, previous_stories: pa.Table) -> Tables:
    """Driver step: stories from the links between documents (a union of the linked pairs,
    which needs them all at once; it runs on ids and relations, never on texts)."""
    found = {
        row["doc_id"]: evidence_of(row["title"], row["top"], row["published"], row["words"])
        for row in evidence.to_pylist()
    }
    links = list(
        zip(
            pairs.column("doc_a").to_pylist(),
            pairs.column("doc_b").to_pylist(),
            pairs.column("relation").to_pylist(),
            strict=True,
        )
    )
    links.sort()
    previous = dict(
        zip(
            previous_stories.column("doc_id").to_pylist(),
            previous_stories.column("story_id").to_pylist(),
            strict=True,
        )
    )
    members, merges = keep_story_ids(build_stories(links, found), previous)
    return {
        "stories": pa.Table.from_pylist([m.__dict__ for m in members], schema=STORIES),
        "merges": pa.Table.from_pylist(
            [{"story_id": a, "merged": b} for a, b in merges], schema=MERGES
        ),
    }


def story_docs_step(stories: pa.Table, documents: pa.Table) -> Tables:
    """Group step by doc_id: each story member with what its changes need."""
    if stories.num_rows == 0 or documents.num_rows == 0:
        return {"story_docs": STORY_DOCS.empty_table()}
    docs = documents.sort_by("doc_id")
    members = stories.sort_by("doc_id")
    at = pc.index_in(members.column("doc_id"), value_set=docs.column("doc_id"))
    picked = docs.take(at)
    table = pa.table(
        {
            "story_id": members.column("story_id"),
            "order": members.column("order"),
            **{
                n: picked.column(n)
                for n in ("doc_id", "clean_text", "clean_map", "digest", "words")
            },
        },
        schema=STORY_DOCS,
    )
    return {"story_docs": table}


def changes_step(story_docs: pa.Table, config: Config) -> Tables:
    """Group step by story: sentence changes between each story's consecutive articles (an
    article that is an exact copy of the one before it is left out)."""
    if config.mode == "near_duplicates":
        return {"changes": CHANGES.empty_table()}
    members = story_docs.sort_by([("story_id", "ascending"), ("order", "ascending")]).to_pylist()
    rows: list[dict[str, Any]] = []
    for before, after in pairwise(members):
        if before["story_id"] != after["story_id"]:
            continue
        if (before["digest"], before["words"]) == (after["digest"], after["words"]):
            continue
        a, b = DocText.from_row(before), DocText.from_row(after)
        result = sentence_changes(a.clean_text, b.clean_text, config)
        ids = {
            "story_id": after["story_id"],
            "order": after["order"],
            "doc_old": a.doc_id,
            "doc_new": b.doc_id,
        }
        rows.extend({**ids, **row} for row in change_records(result, a.segments, b.segments))
    return {"changes": pa.Table.from_pylist(rows, schema=CHANGES)}
