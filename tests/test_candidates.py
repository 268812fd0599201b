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


def test_small_buckets_give_every_pair() -> None:
    found = find_candidates(_bands({7: [4, 1, 9], 8: [2, 3]}), _fingerprints({}), Config())
    assert _pairs(found) == [(1, 4), (1, 9), (2, 3), (4, 9)]
    assert found["lsh"].to_pylist() == [True] * 4


def test_a_flood_bucket_gives_a_star_from_its_first_document() -> None:
    flood = list(range(10, 160))  # 150 documents in one bucket, above max_bucket = 100
    found = find_candidates(_bands({1: flood[::-1], 2: [3, 12]}), _fingerprints({}), Config())
    assert _pairs(found) == [(3, 12)] + [(10, d) for d in flood[1:]]
    # With a cap above the bucket, every pair again.
    everything = find_candidates(_bands({1: flood}), _fingerprints({}), Config(max_bucket=150))
    assert everything.num_rows == 150 * 149 // 2


def test_stars_of_several_bands_are_merged_and_sorted() -> None:
    first, second = list(range(0, 120)), list(range(5, 130))
    found = _pairs(find_candidates(_bands({1: first, 2: second}), _fingerprints({}), Config()))
    assert found == sorted(set(found))
    assert set(found) == {(0, d) for d in first[1:]} | {(5, d) for d in second[1:]}


def test_fingerprints_need_two_shared_and_skip_stock_phrases() -> None:
    stock = list(range(40))  # in more than max_df = 30 documents
    holders = {1: [50, 51], 2: [50, 51], 3: [50, 52], 4: stock, 5: [0, 1]}
    found = find_candidates(_bands({}), _fingerprints(holders), Config())
    assert _pairs(found) == [(50, 51)]
    assert found["shared_fingerprints"].to_pylist() == [2]


def test_max_bucket_is_validated() -> None:
    with pytest.raises(ValueError, match="max_bucket must be >= 2"):
        Config(max_bucket=1)
