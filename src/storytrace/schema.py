"""Arrow schemas of every table storytrace reads or writes.

The column names are a contract: notebooks, the viewer and other tools read these tables.
Character offsets are Python string indices (Unicode code points) into the *original* text of a
document, so ``text[a_start:a_end]`` is the passage exactly as the source printed it.
"""

from __future__ import annotations

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")

SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("reason", pa.string())])
"""A removed stretch of the original text and why it was removed."""

OFFSET_SEGMENT = pa.struct(
    [("clean_start", pa.int32()), ("original_start", pa.int32()), ("length", pa.int32())]
)
"""One contiguous stretch of clean text copied from the original text."""

RAW_DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", TIMESTAMP),
        ("text", pa.string()),
        ("input", pa.string()),
        ("record", pa.int64()),
        ("site", pa.string()),
        ("raw_digest", pa.string()),
        ("fetched", TIMESTAMP),
        ("encoding", pa.string()),
        ("encoding_guessed", pa.bool_()),
    ]
)
"""Documents as ingest produces them: one row per accepted record. ``site`` is the host name
of the url (``www.`` removed) or a ``site`` field: corpus-level boilerplate detection counts
recurring lines per site. ``raw_digest`` is the sha256 of the raw page for documents extracted
from HTML (the page itself is not kept), else null. ``fetched`` is when a crawler fetched
the page (a WARC record's date): a bound on publication, not the publication time."""

DOCUMENTS = pa.schema(
    [
        *RAW_DOCUMENTS,
        ("clean_text", pa.string()),
        ("clean_map", pa.list_(OFFSET_SEGMENT)),
        ("removed", pa.list_(SPAN)),
        ("words", pa.int32()),
        ("digest", pa.string()),
    ]
)
"""documents.parquet: the article, its clean text, the map back to the original, what was
removed as boilerplate, its length in words and a digest of its normalised words."""

REJECTS = pa.schema(
    [
        ("input", pa.string()),
        ("record", pa.int64()),
        ("doc_id", pa.string()),
        ("reason", pa.string()),
        ("raw", pa.string()),
    ]
)
"""rejects.parquet: every record that did not become a document, and why."""

PREVIOUS_STORIES = pa.schema([("doc_id", pa.string()), ("story_id", pa.string())])
"""work/previous_stories.parquet: for ``storytrace add``, the story of each article of the
run being added to, so that its stories keep their ids."""

MERGES = pa.schema([("story_id", pa.string()), ("merged", pa.string())])
"""work/merges.parquet: stories of the run added to that now belong to another story
(``merged``, whose articles are now in ``story_id``)."""

SKIPPED = pa.schema(
    [
        ("input", pa.string()),
        ("record", pa.int64()),
        ("what", pa.string()),
        ("reason", pa.string()),
    ]
)
"""work/skipped.parquet: what the inputs held and a run left out on purpose, not as an
error: files (``what`` = "file", record 0) and items ("item") that are not articles."""

PAIRS = pa.schema(
    [
        ("doc_a", pa.string()),
        ("doc_b", pa.string()),
        ("relation", pa.string()),
        ("jaccard", pa.float64()),
        ("containment_a_in_b", pa.float64()),
        ("containment_b_in_a", pa.float64()),
        ("coverage_a", pa.float64()),
        ("coverage_b", pa.float64()),
        ("passages", pa.int32()),
        ("longest_passage_words", pa.int32()),
        ("reason", pa.string()),
    ]
)
"""pairs.parquet: one row per related pair, ``doc_a < doc_b``. ``jaccard`` and the two
containments are over word shingles; ``coverage_*`` is the share of each text's words inside
aligned passages of at least ``min_passage_words`` (robust to moved paragraphs and small
edits); ``passages`` counts those passages. The passages table may list shorter ones too."""

PASSAGES = pa.schema(
    [
        ("doc_a", pa.string()),
        ("doc_b", pa.string()),
        ("passage", pa.int32()),
        ("a_start", pa.int32()),
        ("a_end", pa.int32()),
        ("b_start", pa.int32()),
        ("b_end", pa.int32()),
        ("a_words", pa.int32()),
        ("b_words", pa.int32()),
        ("similarity", pa.float64()),
    ]
)
"""passages.parquet: aligned shared passages of each related pair, with character offsets
into both original texts; ``similarity`` is the share of the passage's words matched exactly."""

STORIES = pa.schema(
    [
        ("story_id", pa.string()),
        ("doc_id", pa.string()),
        ("role", pa.string()),
        ("order", pa.int32()),
        ("published", TIMESTAMP),
        ("size", pa.int32()),
        ("evidence", pa.string()),
    ]
)
"""stories.parquet: one row per article in a story of two or more articles: its role
(origin, duplicate, version, excerpt), its place in the story's order in time, and the
evidence that placed it (publication time, a date in the text, a re-issue mark in the
headline, or length when nothing else tells)."""

WORD_DIFF_RUN = pa.struct([("op", pa.string()), ("text", pa.string())])
"""A run of words in a changed sentence: ``same`` in both, or ``removed`` / ``added``."""

CHANGES = pa.schema(
    [
        ("story_id", pa.string()),
        ("order", pa.int32()),
        ("doc_old", pa.string()),
        ("doc_new", pa.string()),
        ("change", pa.int32()),
        ("kind", pa.string()),
        ("moved", pa.bool_()),
        ("old_index", pa.int32()),
        ("new_index", pa.int32()),
        ("old_sentence", pa.string()),
        ("new_sentence", pa.string()),
        ("old_start", pa.int32()),
        ("old_end", pa.int32()),
        ("new_start", pa.int32()),
        ("new_end", pa.int32()),
        ("similarity", pa.float64()),
        ("word_diff", pa.list_(WORD_DIFF_RUN)),
    ]
)
"""changes.parquet: one row per sentence edit between consecutive versions of a story.

Within a story, articles are taken in their ``order``; each one that is not an exact copy of
the one before it (same digest) is compared with it, ``doc_old`` the earlier, ``doc_new`` the
later; ``order`` is ``doc_new``'s place in the story (as in stories.parquet). ``change``
numbers the edits of one pair in the reading order of the new text.
``kind`` is ``added`` (new only), ``removed`` (old only), ``changed`` (one sentence edited,
with ``word_diff``) or ``moved`` (the same words at another place); ``moved`` is also true for a
changed sentence that changed place. A sentence split in two, or two merged into one, gives one
``changed`` row per part, sharing the index on the merged side. ``old_index`` / ``new_index``
number the sentences of each clean text from 0; ``old_sentence`` / ``new_sentence`` are the
sentences with line wraps as single spaces; the offsets point into the original texts (null on
the missing side). ``similarity`` is the share of words the two sentences have in common (Dice,
1.0 when moved; null for added and removed). Sentences left unchanged have no row."""

RELATIONS = ("duplicate", "near_duplicate", "version", "excerpt", "partial")
"""Relation names, strongest first."""

STORY_RELATIONS = frozenset({"duplicate", "near_duplicate", "version", "excerpt"})
"""Relations that put two articles in one story; partial reuse is reported, never merged."""

ROLES = ("origin", "duplicate", "version", "excerpt")


# -- work tables: what one stage of a run hands to the next, kept under RUN/work/ ----------------

UID = pa.uint64()
"""Row identity inside a run: 64 bits of blake2b of the doc_id (see :func:`storytrace.model.
doc_uids`), the same whichever engine, batch or order produced the row."""

RAW_WORK = RAW_DOCUMENTS.append(pa.field("uid", UID))
"""Ingested documents with their uid."""

LINES = pa.schema([("uid", UID), ("key", pa.uint64()), ("words", pa.int32()), ("edge", pa.bool_())])
"""Each whole-block line of a document, by key, with its word count."""

LINE_DOCS = pa.schema([("uid", UID), ("site", pa.string()), ("words", pa.int32())])
"""Each document's site (its ``site``, else its ``source``) and word count."""

RECURRING = pa.schema([("uid", UID), ("key", pa.uint64()), ("reason", pa.string())])
"""Each document's boilerplate lines, by key, with the reason."""

REPRESENTATIVES = pa.schema([("uid", UID), ("doc_id", pa.string())])
"""The first document (in doc_id order) of each group of exact copies."""

COPIES = pa.schema([("rep", UID), ("uid", UID), ("doc_id", pa.string())])
"""Every other member of a group of exact copies, beside its representative."""

BANDS = pa.schema([("key", pa.uint64()), ("uid", UID)])
FINGERPRINTS = pa.schema([("fp", pa.uint64()), ("uid", UID)])
SKELETON_FPS = pa.schema([("fp", pa.uint64()), ("filling", pa.uint64()), ("uid", UID)])

CANDIDATE_PAIRS = pa.schema([("seq", pa.int64()), ("a", UID), ("b", UID)])
"""Candidate pairs in verification order (``seq``); ``a`` precedes ``b`` in doc_id order."""

FORMULA = pa.schema([("frequent", pa.list_(pa.uint64())), ("title_words", pa.list_(pa.uint64()))])
"""The corpus's formula model, one row."""

PLAN = pa.schema(
    [("task", pa.int64()), ("seq", pa.int64()), ("copy", pa.bool_()), ("a", UID), ("b", UID)]
)
"""The pairs to verify, by task: candidate pairs, and exact copies (``copy``)."""

NEEDS = pa.schema([("task", pa.int64()), ("doc_id", pa.string())])
"""Which documents each task needs."""

TASK_DOCS = pa.schema(
    [
        ("task", pa.int64()),
        ("uid", UID),
        ("doc_id", pa.string()),
        ("clean_text", pa.string()),
        ("clean_map", pa.list_(OFFSET_SEGMENT)),
        ("published", TIMESTAMP),
        ("title", pa.string()),
        ("words", pa.int32()),
    ]
)
"""The documents of each task (a document needed by several tasks is in each)."""

STORY_DOCS = pa.schema(
    [
        ("story_id", pa.string()),
        ("order", pa.int32()),
        ("doc_id", pa.string()),
        ("clean_text", pa.string()),
        ("clean_map", pa.list_(OFFSET_SEGMENT)),
        ("digest", pa.string()),
        ("words", pa.int32()),
    ]
)
"""Each story's documents with what the changes between them need."""


# -- same event (``Config.semantic``): RUN/work/ ---------------------------------------------

EMBEDDING_DIMENSIONS = 384

EMBEDDINGS = pa.schema(
    [
        ("uid", UID),
        ("doc_id", pa.string()),
        ("vector", pa.list_(pa.float32(), EMBEDDING_DIMENSIONS)),
        ("names", pa.list_(pa.string())),
        ("dates", pa.list_(pa.string())),
        ("places", pa.list_(pa.string())),
    ]
)
"""work/embeddings.parquet: each representative's unit-length sentence embedding, and the
names, dates and places read from its text (see :mod:`storytrace.semantic`)."""

SAME_EVENT = pa.schema(
    [
        ("doc_a", pa.string()),
        ("doc_b", pa.string()),
        ("similarity", pa.float64()),
        ("cosine", pa.float64()),
        ("shared_names", pa.list_(pa.string())),
        ("shared_dates", pa.list_(pa.string())),
        ("shared_places", pa.list_(pa.string())),
    ]
)
"""work/same_event.parquet: pairs of articles in different stories that report one event,
``doc_a < doc_b``: the event similarity (0 to 1), the embeddings' cosine, and the names,
dates and places both texts hold (evidence for a reader, not part of the score)."""

EVENTS = pa.schema(
    [
        ("event_id", pa.string()),
        ("doc_id", pa.string()),
        ("story_id", pa.string()),
        ("stories", pa.int32()),
    ]
)
"""work/events.parquet: one row per article in an event of two or more stories: its story
(null for an article in no story, a story of its own) and how many stories the event
holds. Stories are never merged: an event only groups them."""
