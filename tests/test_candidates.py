"""Candidate pairs from LSH buckets and shared fingerprints, and their size limits."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from storytrace.config import Config
from storytrace.match.candidates import BAND_DOCS as BANDS
from storytrace.match.candidates import FINGERPRINT_DOCS as FINGERPRINTS
from storytrace.match.candidates import find_candidates


def _bands(buckets: dict[int, list[int]]) -> pa.Table:
    keys = [key for key, docs in buckets.items() for _ in docs]
    docs = [doc for members in buckets.values() for doc in members]
    return pa.table({"key": np.array(keys, np.uint64), "doc": np.array(docs, np.int32)}, BANDS)


def _fingerprints(holders: dict[int, list[int]]) -> pa.Table:
    fps = [fp for fp, docs in holders.items() for _ in docs]
    docs = [doc for members in holders.values() for doc in members]
    return pa.table({"fp": np.array(fps, np.uint64), "doc": np.array(docs, np.int32)}, FINGERPRINTS)


def _pairs(table: pa.Table) -> list[tuple[int, int]]:
    return list(zip(table["a"].to_pylist(), table["b"].to_pylist(), strict=True))


def _find(bands: pa.Table, fingerprints: pa.Table, config: Config | None = None) -> pa.Table:
    """Candidates with each document ranked by its own number (centres: smallest numbers)."""
    return find_candidates(bands, fingerprints, np.arange(200, dtype=np.uint64), config or Config())


def test_small_groups_give_every_pair() -> None:
    found = _find(_bands({7: [4, 1, 9], 8: [2, 3]}), _fingerprints({}))
    assert _pairs(found) == [(1, 4), (1, 9), (2, 3), (4, 9)]
    assert found["lsh"].to_pylist() == [True] * 4


def test_a_flood_bucket_links_every_print_to_two_centres() -> None:
    flood = list(range(10, 160))  # 150 prints of one story in one bucket, over max_bucket 8
    found = _pairs(_find(_bands({1: flood[::-1], 2: [3, 12]}), _fingerprints({})))
    assert found == sorted({(3, 12)} | {(10, d) for d in flood[1:]} | {(11, d) for d in flood[2:]})
    assert len(found) == 1 + 149 + 148  # linear in the prints, not 150 * 149 / 2


def test_centres_follow_the_ranks_not_the_numbers() -> None:
    ranks = np.arange(200, dtype=np.uint64)[::-1].copy()  # the largest number ranks first
    config = Config(max_bucket=2)
    found = find_candidates(_bands({1: [1, 2, 3, 4]}), _fingerprints({}), ranks, config)
    assert _pairs(found) == [(1, 3), (1, 4), (2, 3), (2, 4), (3, 4)]  # centres 4 and 3
    one = find_candidates(
        _bands({1: [1, 2, 3, 4]}), _fingerprints({}), ranks, Config(max_bucket=2, link_centres=1)
    )
    assert _pairs(one) == [(1, 4), (2, 4), (3, 4)]


def test_fingerprints_need_two_shared_with_a_centre() -> None:
    holders = {1: [50, 51], 2: [50, 51], 3: [50, 52], 5: [0, 1]}
    found = _find(_bands({}), _fingerprints(holders))
    assert _pairs(found) == [(50, 51)]
    assert found["shared_fingerprints"].to_pylist() == [2]


def test_a_story_printed_often_keeps_its_fingerprints_and_stock_phrases_link_nothing() -> None:
    # Forty prints of one story hold its fingerprints 1-5: each print pairs with the centres
    # again and again. Three stock phrases are held by forty unrelated documents each, in
    # different company: no two of them share their centres, so no pair is seen twice.
    story = list(range(100, 140))
    holders = {fp: story for fp in range(1, 6)}
    holders |= {10: list(range(0, 80, 2)), 11: list(range(1, 80, 2)), 12: list(range(41, 81))}
    found = _find(_bands({}), _fingerprints(holders))
    assert set(_pairs(found)) == {(100, d) for d in story[1:]} | {(101, d) for d in story[2:]}
    assert set(found["shared_fingerprints"].to_pylist()) == {5}


def test_groups_up_to_the_caps_keep_every_pair() -> None:
    # A wire story and its updates share clauses with related items: all pairs of a
    # fingerprint held by 6 documents are verified, not only those with its centres.
    holders = {1: [3, 5, 7, 9, 11, 13], 2: [3, 5, 7, 9, 11, 13]}
    found = _pairs(_find(_bands({}), _fingerprints(holders)))
    assert len(found) == 15
    assert len(_pairs(_find(_bands({}), _fingerprints(holders), Config(max_df=5)))) == 9


def test_caps_are_validated() -> None:
    with pytest.raises(ValueError, match="max_bucket must be >= 2"):
        Config(max_bucket=1)


def test_link_centres_is_validated() -> None:
    with pytest.raises(ValueError, match="link_centres must be >= 1"):
        Config(link_centres=0)
