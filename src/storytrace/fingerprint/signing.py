"""The band keys and fingerprints of texts, as the sign stage stores them for a corpus.

One place makes them, so that an article matched against a run later (``storytrace match``)
is signed exactly as the run's own articles were: with the run's settings, the same keys
and fingerprints come out for the same words.
"""

from __future__ import annotations

from collections.abc import Sequence

from storytrace.config import Config
from storytrace.fingerprint.hashing import U64
from storytrace.fingerprint.lsh import band_keys, optimal_bands
from storytrace.fingerprint.minhash import signatures
from storytrace.fingerprint.shingles import shingles_many
from storytrace.fingerprint.winnow import winnow_many


def band_keys_of(word_lists: Sequence[U64], config: Config) -> U64:
    """LSH band keys, one row of ``bands`` keys per text (word hashes in text order)."""
    shingle_lists = shingles_many(word_lists, config.shingle_size, config.seed)
    sigs = signatures(shingle_lists, config.num_perm, config.seed)
    bands, rows = optimal_bands(config.lsh_threshold, config.num_perm)
    return band_keys(sigs, bands, rows, config.seed)


def fingerprints_of(word_lists: Sequence[U64], config: Config) -> list[U64]:
    """The winnowed n-gram fingerprints of each text."""
    found = winnow_many(word_lists, config.winnow_ngram, config.winnow_window, config.seed)
    return [values for values, _ in found]
