"""Tokens, shingles, MinHash, LSH and winnowing: the properties the candidate stage relies on."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storytrace.fingerprint.lsh import band_keys, optimal_bands
from storytrace.fingerprint.minhash import signatures
from storytrace.fingerprint.shingles import shingle_set, shingles
from storytrace.fingerprint.tokens import tokenize, tokenize_many
from storytrace.fingerprint.winnow import winnow, winnow_many

EARNINGS_A = "Shr 80 cts vs 72 cts\nNet 1,234,000 vs 1,100,000\nRevs 12.1 mln vs 10.2 mln"
EARNINGS_B = "Shr 81 cts vs 72 cts\nNet 1,234,000 vs 1,100,000\nRevs 12.1 mln vs 10.2 mln"


def test_words_ignore_case_punctuation_and_width() -> None:
    a = tokenize("North Korea’s “maximum pressure” campaign", seed=1)
    b = tokenize('NORTH korea\'s "maximum   pressure" campaign', seed=1)
    assert a.hashes.tolist() == b.hashes.tolist()
    fullwidth = tokenize("ＵＳ talks", seed=1)  # NFKC folds full-width letters
    assert fullwidth.hashes.tolist() == tokenize("US talks", seed=1).hashes.tolist()


def test_numbers_stay_distinct() -> None:
    a, b = tokenize("Shr 80 cts", 1).hashes, tokenize("Shr 72 cts", 1).hashes
    assert a[0] == b[0] and a[2] == b[2] and a[1] != b[1]


def test_spans_point_at_the_words() -> None:
    text = "Tillerson said, “We are probing.”"
    tokens = tokenize(text, seed=1)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    assert words == ["Tillerson", "said", "We", "are", "probing"]


def test_spans_survive_length_changing_normalisation() -> None:
    text = "Straße ﬁnance desk"  # casefold ß -> ss and NFKC ﬁ -> fi change the length
    tokens = tokenize(text, seed=1)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    assert words == ["Straße", "ﬁnance", "desk"]


def _words(text: str) -> list[str]:
    tokens = tokenize(text, seed=1)
    return [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]


def test_spans_are_right_when_normalisation_changes_lengths_both_ways() -> None:
    # A decomposed "é" (2 -> 1 characters) and "ß" (1 -> 2) cancel out in length.
    text = "Cafe\u0301 opens in Straße"
    assert _words(text) == ["Cafe\u0301", "opens", "in", "Straße"]
    composed = tokenize("café opens in STRASSE", seed=1).hashes
    assert tokenize(text, seed=1).hashes.tolist() == composed.tolist()


def test_a_word_hashes_the_same_in_every_document() -> None:
    alone = tokenize("cafe\u0301 opens", seed=1).hashes[0]
    beside_other_words = tokenize("cafe\u0301 opens in Straße, ﬁnally", seed=1).hashes[0]
    assert alone == beside_other_words


def test_combining_marks_stay_inside_words() -> None:
    assert _words("हिन्दी समाचार") == ["हिन्दी", "समाचार"]


def test_text_without_words() -> None:
    assert len(tokenize("— … !!", seed=1)) == 0
    assert len(tokenize("", seed=1)) == 0


def test_seed_changes_hashes_but_not_equality() -> None:
    a1, a2 = tokenize("same words here", 1).hashes, tokenize("same words here", 2).hashes
    assert a1.tolist() != a2.tolist()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"]),
        min_size=1,
        max_size=60,
    )
)
def test_minhash_estimates_jaccard(words: list[str]) -> None:
    other = [*words[: len(words) // 2], "iota", "kappa"]
    ha = tokenize(" ".join(words), 1).hashes
    hb = tokenize(" ".join(other), 1).hashes
    sa, sb = shingle_set(ha, 2, 1), shingle_set(hb, 2, 1)
    true = len(np.intersect1d(sa, sb)) / len(np.union1d(sa, sb))
    sig = signatures([shingles(ha, 2, 1), shingles(hb, 2, 1)], 256, seed=1)
    estimate = float(np.mean(sig[0] == sig[1]))
    assert abs(estimate - true) < 0.2


def test_identical_texts_share_every_band_and_edits_change_some() -> None:
    texts = [EARNINGS_A, EARNINGS_A, EARNINGS_B]
    hashes = [tokenize(t, 1).hashes for t in texts]
    sig = signatures([shingles(h, 5, 1) for h in hashes], 128, seed=1)
    bands, rows = optimal_bands(0.5, 128)
    keys = band_keys(sig, bands, rows, seed=1)
    assert (keys[0] == keys[1]).all()
    assert not (keys[0] == keys[2]).all()


def test_short_text_still_has_a_shingle() -> None:
    h = tokenize("Qtly div", 1).hashes
    assert len(shingles(h, 5, 1)) == 1


def test_winnowing_guarantee() -> None:
    """Two texts sharing a run of ngram + window - 1 words share a fingerprint."""
    rng = np.random.default_rng(7)
    shared = rng.integers(1, 2**63, size=10, dtype=np.uint64)
    a = np.concatenate([rng.integers(1, 2**63, size=50, dtype=np.uint64), shared])
    b = np.concatenate([shared, rng.integers(1, 2**63, size=80, dtype=np.uint64)])
    fa, _ = winnow(a, 5, 6, seed=1)
    fb, _ = winnow(b, 5, 6, seed=1)
    assert len(np.intersect1d(fa, fb)) >= 1
    assert len(fa) < len(a)  # a sample, not every n-gram


def test_tokenize_many_equals_one_text_at_a_time(reuters_texts: dict[str, str]) -> None:
    texts = [*list(reuters_texts.values())[:200], "", "  ", "Café ＵＳ ﬁnance 𝐀𝐁 6-1/8", "U.S."]
    for one, many in zip(
        [tokenize(t, seed=3) for t in texts], tokenize_many(texts, seed=3), strict=True
    ):
        for field in ("hashes", "starts", "ends", "numeric", "glued"):
            assert np.array_equal(getattr(one, field), getattr(many, field)), field


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 6), max_size=40), max_size=8),
    st.integers(1, 5),
    st.integers(1, 6),
)
def test_winnow_many_equals_one_text_at_a_time(
    texts: list[list[int]], ngram: int, window: int
) -> None:
    # Small vocabularies give ties and repeated n-grams; empty and short texts sit between.
    hashes = [np.array(t, dtype=np.uint64) for t in texts]
    for (v1, p1), (v2, p2) in zip(
        [winnow(h, ngram, window, seed=2) for h in hashes],
        winnow_many(hashes, ngram, window, seed=2),
        strict=True,
    ):
        assert v1.tolist() == v2.tolist() and p1.tolist() == p2.tolist()
