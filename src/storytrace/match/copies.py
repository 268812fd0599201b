"""Exact copies: documents with the same normalised words are settled without verification.

A wire story reprinted by a thousand sites is a thousand documents with one ``digest`` (the
hash of their normalised words). Signing and verifying them all would align 499,500 pairs to
learn what the digest already says, so the run loop treats each group of exact copies as a
star. The group's representative, its member with the smallest doc_id, goes on through sign,
candidates and verify and meets the other stories there. Every other member gets exactly one
pair, a ``duplicate`` of its representative, and one passage covering its whole text. Copies
therefore join the representative's story, at a cost linear in the number of copies.

Documents are in doc_id order, so "smallest doc_id" is "smallest document index", and the
representative is always ``doc_a`` of its pairs (``doc_a < doc_b``).

Both functions are pure, so every engine builds the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa

from storytrace.arrow_rows import take_rows
from storytrace.clean.offsets import Segment, segments_from_rows, to_original
from storytrace.config import Config
from storytrace.fingerprint.tokens import tokenize
from storytrace.match.formula import FORMULA_TEXT, FormulaModel, formula_share
from storytrace.match.guard import later_item
from storytrace.schema import PAIRS, PASSAGES
from storytrace.stories.timeline import days_apart


def copy_groups(
    digests: Sequence[str], words: Sequence[int]
) -> tuple[list[int], list[tuple[int, int]]]:
    """``(representatives, copies)`` of documents given in doc_id order.

    ``representatives`` are the indices of the first document of each group, ascending;
    ``copies`` holds ``(representative, member)`` for every other document. The word count is
    part of the key, a free guard against two texts whose 64-bit digests collide.
    """
    first: dict[tuple[str, int], int] = {}
    representatives: list[int] = []
    copies: list[tuple[int, int]] = []
    for i, key in enumerate(zip(digests, words, strict=True)):
        rep = first.setdefault(key, i)
        if rep == i:
            representatives.append(i)
        else:
            copies.append((rep, i))
    return representatives, copies


def whole_text_span(clean_length: int, segments: Sequence[Segment]) -> tuple[int, int]:
    """Original-text offsets of a whole clean text: from the start of its first copied stretch
    to the end of its last, so boilerplate cut from the top and bottom stays outside."""
    start = to_original(list(segments), [0])[0]
    end = to_original(list(segments), [clean_length], is_end=True)[0]
    return int(start), int(end)


def copy_pairs(copies: Sequence[tuple[int, int]], documents: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Pairs rows (schema PAIRS) and passages rows (PASSAGES) of ``copies``.

    ``copies`` are ``(representative, member)`` indices into ``documents`` (schema DOCUMENTS).
    Rows come in the order of ``copies``; the run loop sorts them with the verified pairs.
    """
    needed = sorted({i for pair in copies for i in pair})
    columns = ["doc_id", "clean_text", "clean_map", "words"]
    rows = take_rows(documents.select(columns), needed)
    by_index = dict(zip(needed, rows, strict=True))
    spans = {
        i: whole_text_span(len(row["clean_text"]), segments_from_rows(row["clean_map"]))
        for i, row in by_index.items()
    }
    pair_rows: list[dict[str, Any]] = []
    passage_rows: list[dict[str, Any]] = []
    for rep, member in copies:
        a, b = by_index[rep], by_index[member]
        words = a["words"]
        pair_rows.append(
            {
                "doc_a": a["doc_id"],
                "doc_b": b["doc_id"],
                "relation": "duplicate",
                "jaccard": 1.0,
                "containment_a_in_b": 1.0,
                "containment_b_in_a": 1.0,
                "coverage_a": 1.0,
                "coverage_b": 1.0,
                "passages": 1,
                "longest_passage_words": words,
                "reason": f"same {words} words after normalisation",
            }
        )
        (a_start, a_end), (b_start, b_end) = spans[rep], spans[member]
        passage_rows.append(
            {
                "doc_a": a["doc_id"],
                "doc_b": b["doc_id"],
                "passage": 0,
                "a_start": a_start,
                "a_end": a_end,
                "b_start": b_start,
                "b_end": b_end,
                "a_words": words,
                "b_words": words,
                "similarity": 1.0,
            }
        )
    return (
        pa.Table.from_pylist(pair_rows, schema=PAIRS),
        pa.Table.from_pylist(passage_rows, schema=PASSAGES),
    )


def same_item_copies(
    copies: Sequence[tuple[int, int]],
    clean_texts: Sequence[str],
    published: Sequence[datetime | None],
    formula: FormulaModel,
    config: Config,
) -> list[tuple[int, int]]:
    """The ``(representative, copy)`` pairs that are one item.

    A formula text repeated word for word more than ``max_days_apart`` later ("The Federal
    Reserve entered the U.S. Government securities market to arrange 1.5 billion dlrs of
    customer repurchase agreements") is the next item of the formula, not a copy, and is
    left out: the formula guard's question of time (:func:`storytrace.match.guard.later_item`)
    asked of two texts that share every word. Only representatives with a late copy are
    tokenised.
    """
    shares: dict[int, float] = {}

    def is_formula(i: int) -> bool:
        if i not in shares:
            tokens = tokenize(clean_texts[i], config.seed)
            mask = formula.mask(tokens, config.winnow_ngram, config.winnow_window, config.seed)
            shares[i] = formula_share(mask)
        return shares[i] >= FORMULA_TEXT

    kept = []
    for rep, copy in copies:
        apart = days_apart(published[rep], published[copy])
        late = apart is not None and apart > config.max_days_apart
        if not late or later_item(apart, 0, is_formula(rep), config) is None:
            kept.append((rep, copy))
    return kept
