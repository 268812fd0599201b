"""Exact copies: groups by digest, one star pair per copy, a passage over the whole text."""

from __future__ import annotations

import pyarrow as pa

from storytrace.clean import Segment
from storytrace.config import Config
from storytrace.match.copies import copy_groups, copy_pairs, whole_text_span
from storytrace.run.steps import clean_batch
from storytrace.schema import PAIRS, PASSAGES, RAW_DOCUMENTS

ARTICLE = (
    "The minister said on Monday that talks would resume next week in Geneva.\n"
    "Officials from both sides confirmed the date."
)


def test_groups_keep_the_first_document_as_representative() -> None:
    digests = ["x", "y", "x", "z", "y", "x", "x"]
    words = [5, 5, 5, 5, 5, 5, 6]  # the last shares a digest but not a length: not a copy
    representatives, copies = copy_groups(digests, words)
    assert representatives == [0, 1, 3, 6]
    assert copies == [(0, 2), (1, 4), (0, 5)]


def test_whole_text_span_leaves_cut_boilerplate_outside() -> None:
    segments = [Segment(0, 33, 72), Segment(73, 106, 45)]
    assert whole_text_span(118, segments) == (33, 151)


def _documents(texts: dict[str, str]) -> pa.Table:
    raw = pa.Table.from_pylist(
        [
            {"doc_id": doc_id, "text": text, "input": "test", "record": n}
            for n, (doc_id, text) in enumerate(sorted(texts.items()), start=1)
        ],
        schema=RAW_DOCUMENTS,
    )
    documents, rejects = clean_batch(raw, Config())
    assert rejects.num_rows == 0
    return documents


def test_copy_pairs_cover_each_original_text() -> None:
    wrapped = f"Accessibility links\nXS\nSM\n\n{ARTICLE.upper()}\n\nJoin our mailing list\n"
    texts = {"a": ARTICLE, "b": wrapped, "c": f"  {ARTICLE}  "}
    documents = _documents(texts)
    representatives, copies = copy_groups(
        documents["digest"].to_pylist(), documents["words"].to_pylist()
    )
    assert representatives == [0] and copies == [(0, 1), (0, 2)]
    pairs, passages = copy_pairs(copies, documents)
    assert pairs.schema.equals(PAIRS) and passages.schema.equals(PASSAGES)
    assert pairs["doc_b"].to_pylist() == ["b", "c"]
    for row in pairs.to_pylist():
        assert row["doc_a"] == "a" and row["relation"] == "duplicate"
        assert row["reason"] == "same 20 words after normalisation"
        assert row["jaccard"] == row["coverage_a"] == row["coverage_b"] == 1.0
        assert (row["passages"], row["longest_passage_words"]) == (1, 20)
    for row in passages.to_pylist():
        assert texts["a"][row["a_start"] : row["a_end"]] == ARTICLE
        assert texts[row["doc_b"]][row["b_start"] : row["b_end"]].lower() == ARTICLE.lower()
        assert row["passage"] == 0 and row["similarity"] == 1.0
        assert row["a_words"] == row["b_words"] == 20


def test_no_copies_give_empty_tables() -> None:
    documents = _documents({"a": ARTICLE})
    pairs, passages = copy_pairs([], documents)
    assert pairs.num_rows == passages.num_rows == 0
    assert pairs.schema.equals(PAIRS)
