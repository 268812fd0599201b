"""The stages of a run, each defined once as a record the run loop and every engine read.

A stage is a name, the settings it reads, and its steps; each step is one engine call: a
pure function of :mod:`storytrace.run.steps` over batches of rows (``map``), over whole
groups of rows sharing a key (``group``, a co-group when it reads several tables), or once
over small collected tables (``driver``). A stage writes the tables it ``keeps``; the
tables its steps hand to each other inside the stage stay in the engine.

The settings make the stage's key (with the keys of the stages before it): a run whose
settings changed redoes the first stage that reads a changed one, and everything after it.
Settings that change no output (``batch_size``, ``workers``, ``engine``, ``spark_master``)
are in no stage. A test checks that every other setting is read by some stage.

Which steps are still driver steps, and why: ``recurring`` counts line keys over the whole
corpus, ``candidates`` joins band keys and fingerprints in DuckDB, ``formula`` counts
skeleton n-grams, ``plan`` cuts pairs into tasks and ``cluster`` unites linked pairs. Each
reads ids, keys and numbers, never texts; the texts move in map and group steps only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pyarrow as pa

from storytrace.config import ENGINE_ONLY
from storytrace.engines.base import StageFn
from storytrace.run import event_steps, steps
from storytrace.schema import (
    BANDS,
    CANDIDATE_PAIRS,
    CHANGES,
    COPIES,
    DOCUMENTS,
    EMBEDDINGS,
    EVENTS,
    FINGERPRINTS,
    FORMULA,
    LINE_DOCS,
    LINES,
    MERGES,
    NEEDS,
    PAIRS,
    PASSAGES,
    PLAN,
    PREVIOUS_STORIES,
    RAW_WORK,
    RECURRING,
    REJECTS,
    REPRESENTATIVES,
    SAME_EVENT,
    SKELETON_FPS,
    SKIPPED,
    STORIES,
    STORY_DOCS,
    TASK_DOCS,
)


@dataclass(frozen=True)
class Table:
    """A table of a run: its schema and the keys it is sorted on when written (together
    unique, so equal rows give equal bytes)."""

    schema: pa.Schema
    sort_keys: tuple[str, ...] = ()


TABLES: Mapping[str, Table] = {
    # final tables (RUN/<name>.parquet)
    "documents": Table(DOCUMENTS, ("doc_id",)),
    "pairs": Table(PAIRS, ("doc_a", "doc_b")),
    "passages": Table(PASSAGES, ("doc_a", "doc_b", "passage")),
    "stories": Table(STORIES, ("story_id", "order", "doc_id")),
    "changes": Table(CHANGES, ("story_id", "order", "change")),
    "rejects": Table(REJECTS),  # in input order, as the rejects step makes it
    # work tables (RUN/work/<name>.parquet)
    "raw": Table(RAW_WORK, ("doc_id",)),
    "ingest_rejects": Table(REJECTS),
    "skipped": Table(SKIPPED),  # in input order
    "previous_stories": Table(PREVIOUS_STORIES, ("doc_id",)),
    "merges": Table(MERGES, ("story_id", "merged")),
    "recurring": Table(RECURRING, ("uid", "key")),
    "clean_rejects": Table(REJECTS, ("doc_id",)),
    "representatives": Table(REPRESENTATIVES, ("doc_id",)),
    "copies": Table(COPIES, ("rep", "uid")),
    "bands": Table(BANDS, ("uid", "key")),
    "fingerprints": Table(FINGERPRINTS, ("uid", "fp")),
    "skeletons": Table(SKELETON_FPS, ("uid", "fp", "filling")),
    "candidates": Table(CANDIDATE_PAIRS, ("seq",)),
    "formula": Table(FORMULA),
    "embeddings": Table(EMBEDDINGS, ("doc_id",)),
    "same_event": Table(SAME_EVENT, ("doc_a", "doc_b")),
    "events": Table(EVENTS, ("event_id", "doc_id")),
    # inside a stage only
    "lines": Table(LINES),
    "line_docs": Table(LINE_DOCS),
    "plan": Table(PLAN),
    "needs": Table(NEEDS),
    "task_docs": Table(TASK_DOCS),
    "linked": Table(pa.schema([("doc_id", pa.string())])),
    "evidence": Table(steps.EVIDENCE_ROWS),
    "titles": Table(steps.TITLES),
    "story_docs": Table(STORY_DOCS),
}


@dataclass(frozen=True)
class Read:
    """A table a step reads: its name, the key it is grouped on (group steps), and the
    columns it needs (all when None)."""

    table: str
    key: str | None = None
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Step:
    """One engine call."""

    kind: Literal["map", "group", "driver"]
    fn: StageFn
    reads: tuple[Read, ...]
    writes: tuple[str, ...]
    broadcast: tuple[str, ...] = ()
    """Small tables passed whole to every task, as keyword arguments."""
    config: bool = True
    """Whether ``fn`` takes the config (keyword ``config``)."""
    batch_rows: int | None = None
    """Rows per task; the config's ``batch_size`` when None."""
    only_if: str | None = None
    """A boolean setting: when it is off, the step is not run and its tables are empty."""


@dataclass(frozen=True)
class Stage:
    name: str
    settings: tuple[str, ...]
    steps: tuple[Step, ...]
    keeps: tuple[str, ...]
    """The tables the stage writes into the run directory."""
    reads_inputs: bool = False
    """The ingest stage: it reads the input files, not tables."""
    facts: Mapping[str, str] = field(default_factory=dict)
    """Counts kept in the stage record: a name and the table whose rows it counts."""


_TEXT_DOCS = ("doc_id", "clean_text", "clean_map", "published", "title", "words")
_MATCHING = (
    "mode",
    "seed",
    "shingle_size",
    "winnow_ngram",
    "winnow_window",
    "align_seed_words",
    "align_max_gap",
    "min_passage_words",
    "detail_passage_words",
    "near_duplicate_coverage",
    "excerpt_coverage",
    "version_coverage",
    "partial_min_words",
    "min_figure_agreement",
    "min_fact_agreement",
    "max_days_apart",
    "formula_factual_edits",
    "headline_subject_names",
    "reissue_fact_agreement",
    "reissue_coverage",
    "reissue_days",
    "lsh_threshold",
)

STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        (
            "id_field",
            "text_field",
            "html_field",
            "max_document_bytes",
            "max_decompressed_bytes",
            "follow_symlinks",
        ),
        (),
        ("raw", "ingest_rejects", "skipped", "previous_stories"),
        reads_inputs=True,
    ),
    Stage(
        "recurring",
        ("recurring_site_docs", "recurring_corpus_docs"),
        (
            Step(
                "map",
                steps.lines_step,
                (Read("raw", columns=("uid", "text", "site", "source")),),
                ("lines", "line_docs"),
                config=False,
            ),
            Step(
                "driver", steps.recurring_step, (Read("lines"), Read("line_docs")), ("recurring",)
            ),
        ),
        ("recurring",),
    ),
    Stage(
        "clean",
        ("seed",),
        (
            Step(
                "group",
                steps.clean_step,
                (Read("raw", key="uid"), Read("recurring", key="uid")),
                ("documents", "clean_rejects"),
            ),
            Step(
                "driver",
                steps.rejects_step,
                (Read("ingest_rejects"), Read("clean_rejects")),
                ("rejects",),
                config=False,
            ),
        ),
        ("documents", "clean_rejects", "rejects"),
    ),
    Stage(
        "copies",
        (),
        (
            Step(
                "group",
                steps.copies_step,
                (Read("documents", key="digest", columns=("doc_id", "digest", "words")),),
                ("representatives", "copies"),
                config=False,
            ),
        ),
        ("representatives", "copies"),
        facts={"exact_copies": "copies"},
    ),
    Stage(
        "sign",
        (
            "mode",
            "seed",
            "shingle_size",
            "num_perm",
            "lsh_threshold",
            "winnow_ngram",
            "winnow_window",
        ),
        (
            Step(
                "group",
                steps.sign_step,
                (
                    Read("documents", key="doc_id", columns=("doc_id", "clean_text")),
                    Read("representatives", key="doc_id"),
                ),
                ("bands", "fingerprints", "skeletons"),
            ),
        ),
        ("bands", "fingerprints", "skeletons"),
    ),
    Stage(
        "candidates",
        ("max_bucket", "max_df", "link_centres", "min_shared_fingerprints"),
        (
            Step(
                "driver",
                steps.candidates_step,
                (Read("bands"), Read("fingerprints"), Read("representatives")),
                ("candidates",),
            ),
        ),
        ("candidates",),
        facts={"candidates": "candidates"},
    ),
    Stage(
        "formula",
        ("formula_min_docs", "seed", "winnow_ngram", "winnow_window"),
        (
            Step(
                "group",
                steps.titles_step,
                (
                    Read("documents", key="doc_id", columns=("doc_id", "source", "title")),
                    Read("representatives", key="doc_id"),
                ),
                ("titles",),
                config=False,
            ),
            Step("driver", steps.formula_step, (Read("skeletons"), Read("titles")), ("formula",)),
        ),
        ("formula",),
    ),
    Stage(
        "verify",
        _MATCHING,
        (
            Step(
                "driver",
                steps.plan_step,
                (Read("candidates"), Read("copies"), Read("representatives")),
                ("plan", "needs"),
                config=False,
            ),
            Step(
                "group",
                steps.attach_step,
                (Read("needs", key="doc_id"), Read("documents", key="doc_id", columns=_TEXT_DOCS)),
                ("task_docs",),
                config=False,
            ),
            Step(
                "group",
                steps.verify_step,
                (Read("plan", key="task"), Read("task_docs", key="task")),
                ("pairs", "passages"),
                broadcast=("formula",),
                batch_rows=1,  # one task per task of the plan: they are cut to size there
            ),
        ),
        ("pairs", "passages"),
    ),
    Stage(
        "cluster",
        (),
        (
            Step(
                "driver",
                steps.linked_step,
                (Read("pairs", columns=("doc_a", "doc_b")),),
                ("linked",),
                config=False,
            ),
            Step(
                "group",
                steps.evidence_step,
                (
                    Read(
                        "documents",
                        key="doc_id",
                        columns=("doc_id", "title", "clean_text", "published", "words"),
                    ),
                    Read("linked", key="doc_id"),
                ),
                ("evidence",),
                config=False,
            ),
            Step(
                "driver",
                steps.cluster_step,
                (
                    Read("pairs", columns=("doc_a", "doc_b", "relation")),
                    Read("evidence"),
                    Read("previous_stories"),
                ),
                ("stories", "merges"),
                config=False,
            ),
        ),
        ("stories", "merges"),
    ),
    Stage(
        "changes",
        ("mode", "seed", "changed_sentence_similarity", "split_sentence_share"),
        (
            Step(
                "group",
                steps.story_docs_step,
                (
                    Read("stories", key="doc_id", columns=("story_id", "doc_id", "order")),
                    Read(
                        "documents",
                        key="doc_id",
                        columns=("doc_id", "clean_text", "clean_map", "digest", "words"),
                    ),
                ),
                ("story_docs",),
                config=False,
            ),
            Step("group", steps.changes_step, (Read("story_docs", key="story_id"),), ("changes",)),
        ),
        ("changes",),
    ),
    Stage(
        "events",
        ("semantic", "semantic_threshold", "semantic_neighbours", "max_event_stories"),
        (
            Step(
                "group",
                event_steps.embed_step,
                (
                    Read("documents", key="doc_id", columns=("doc_id", "title", "clean_text")),
                    Read("representatives", key="doc_id"),
                ),
                ("embeddings",),
                batch_rows=256,  # a few seconds of embedding a task, so progress moves
                only_if="semantic",
            ),
            Step(
                "driver",
                event_steps.same_event_step,
                (Read("embeddings"), Read("stories", columns=("doc_id", "story_id"))),
                ("same_event",),
                only_if="semantic",
            ),
            Step(
                "driver",
                event_steps.events_step,
                (Read("same_event"), Read("stories", columns=("doc_id", "story_id"))),
                ("events",),
                only_if="semantic",
            ),
        ),
        ("embeddings", "same_event", "events"),
        facts={"same_event": "same_event", "events_articles": "events"},
    ),
)
"""The stages of every run, in order. The last, ``events``, runs only with
``Config.semantic`` (its tables are empty otherwise); it reads the text-reuse tables and
writes none of them."""

ENGINE_SETTINGS = ENGINE_ONLY
"""Settings that decide how the work is cut and where it runs, never what it finds."""
