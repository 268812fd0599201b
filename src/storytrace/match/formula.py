"""Formula wording, learned from the corpus itself.

Much of the news is written from formulas: "Qtly div 10 cts vs 10 cts prior", "The Federal
Reserve entered the U.S. Government securities market to arrange ...", "It said work on the
contract is expected to be completed in ...". Two items of one formula share most of their
wording and none of their facts, so shared wording that is formula proves nothing.

What is formula is learned from the corpus, not from a list of phrases: a word 5-gram is
formula when it recurs in many distinct texts once every figure is blanked (its *skeleton*:
"qtly div # cts vs"). Counting is done on winnowed skeleton 5-grams, so the work and memory grow
with the corpus like the fingerprints of :mod:`storytrace.fingerprint.winnow`. When documents
name their source, a 5-gram is formula when it is frequent within one source or across the
corpus: an outlet's house formula need not be common elsewhere.

Example::

    >>> import numpy as np
    >>> from storytrace.fingerprint.tokens import tokenize
    >>> model = FormulaModel(np.array([], dtype=np.uint64))
    >>> int(model.mask(tokenize("Qtly div 10 cts vs 10 cts prior", 1), 5, 6, 1).sum())
    0
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from storytrace.fingerprint.hashing import U64, derive_seed
from storytrace.fingerprint.tokens import Tokens, tokenize
from storytrace.fingerprint.winnow import winnow_many

Mask = npt.NDArray[np.bool_]

SKELETONS = pa.schema([("fp", pa.uint64()), ("doc", pa.int32()), ("filling", pa.uint64())])
"""Input of :func:`learn_formula`: each document's skeleton n-grams, each with its filling."""

FILLING_WORDS = 10
"""Words on each side of a skeleton n-gram whose facts make its *filling*. Reprints of one
story fill each sentence with the same figures and names; items of one formula fill it with
their own. Ten words reach the figures of the clause around the n-gram ("Qtly div # cts vs
# cts prior, pay April #") and few of the next sentence's."""

FILLED_SHARE = 0.2
"""A skeleton n-gram is formula only when its distinct fillings are at least this share of
the documents holding it. Items of a formula each bring their own facts; prints of one story
bring the same ones, but for those cut short near the n-gram. Measured on the n-grams held
by 10 documents or more: in Reuters-21578, fillings per document run 0.90 at the 10th
percentile and 1.0 at the median; on the flood corpus of ``make bench``, n-grams held by 100
prints or more have 0.025 at the median and 0.067 at the 90th percentile (those held by 10
to 99 documents: 0.094 median, 0.31 at the 90th percentile, where the corpus's own formula
items lie)."""


def skeleton(tokens: Tokens, seed: int) -> U64:
    """Word hashes with every figure replaced by one placeholder hash."""
    hashes = tokens.hashes.copy()
    hashes[tokens.numeric] = np.uint64(derive_seed(seed, "figure placeholder"))
    return hashes


def skeleton_fingerprints(
    token_lists: Sequence[Tokens], fact_masks: Sequence[Mask], ngram: int, window: int, seed: int
) -> list[tuple[U64, U64]]:
    """Distinct (winnowed skeleton n-gram, filling) pairs of each text, as counted for the
    model. ``fact_masks`` marks each text's facts (figures and names, see
    :func:`storytrace.match.facts.fact_mask`); a filling is the sum of the hashes of the
    facts within ``FILLING_WORDS`` of the n-gram."""
    skeletons = [skeleton(tokens, seed) for tokens in token_lists]
    winnowed = winnow_many(skeletons, ngram, window, seed)
    if not winnowed:
        return []
    # All texts at once: one prefix sum of fact hashes over the texts laid end to end, each
    # window clipped to its own text, then one sort to drop repeated (n-gram, filling) pairs.
    sizes = np.array([len(tokens) for tokens in token_lists], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    hashes = np.concatenate([tokens.hashes for tokens in token_lists])
    filled = np.where(np.concatenate(list(fact_masks)), hashes, np.uint64(0)).astype(np.uint64)
    sums = np.concatenate((np.zeros(1, np.uint64), np.cumsum(filled, dtype=np.uint64)))
    counts = np.array([len(values) for values, _ in winnowed], dtype=np.int64)
    doc = np.repeat(np.arange(len(winnowed)), counts)
    values = np.concatenate([values for values, _ in winnowed]).astype(np.uint64)
    positions = np.concatenate([positions for _, positions in winnowed]).astype(np.int64)
    low = offsets[doc] + np.maximum(positions - FILLING_WORDS, 0)
    high = offsets[doc] + np.minimum(positions + ngram + FILLING_WORDS, sizes[doc])
    fillings = sums[high] - sums[low]
    order = np.lexsort((fillings, values, doc))
    doc, values, fillings = doc[order], values[order], fillings[order]
    first = np.ones(len(values), dtype=bool)
    first[1:] = (
        (doc[1:] != doc[:-1]) | (values[1:] != values[:-1]) | (fillings[1:] != fillings[:-1])
    )
    doc, values, fillings = doc[first], values[first], fillings[first]
    cuts = np.searchsorted(doc, np.arange(1, len(winnowed)))
    return list(zip(np.split(values, cuts), np.split(fillings, cuts), strict=True))


_AMENDS = re.compile(r"\W*(corrected|correction|correcting|refile|rpt|repeat|update)\b", re.I)
"""How wire services mark an item that replaces or repeats an earlier one."""

_TICKER = re.compile(r"<([^<>]*)>")
"""A ticker or a bracketed code in a headline ("<WBAT.O>")."""


def title_codes(title: str | None) -> frozenset[str]:
    """The tickers of a headline ("WBAT.O" of "WESTPORT BANCORP INC <WBAT.O> 3RD QTR NET"),
    upper case, spaces folded."""
    if not title:
        return frozenset()
    return frozenset(" ".join(code.upper().split()) for code in _TICKER.findall(title))


def ticker_roots(codes: frozenset[str]) -> frozenset[str]:
    """The companies that tickers code, without the exchange ("CRZY" of "CRZY.O")."""
    return frozenset(code.split(".")[0] for code in codes)


def in_sorted(values: U64, sorted_values: U64) -> Mask:
    """``np.isin(values, sorted_values)`` for an ascending array without repeats: a binary
    search per value, where ``np.isin`` sorts both arrays again at every call (a match
    against an archive asks it of each candidate)."""
    if len(sorted_values) == 0:
        return np.zeros(len(values), dtype=np.bool_)
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    found: Mask = sorted_values[at] == values
    return found


@dataclass(frozen=True)
class FormulaModel:
    """The skeleton n-grams that are formula in this corpus (sorted, distinct)."""

    frequent: U64
    title_words: U64 = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """Words held by at least ``formula_min_docs`` titles ("SETS", "QTLY", "DIVIDEND", "NET"):
    formula in headlines, so not facts of one item (sorted, distinct)."""

    def title_facts(self, title: str | None, seed: int) -> Counter[tuple[int, ...]]:
        """The words of a headline that are not formula in this corpus's headlines."""
        if not title:
            return Counter()
        hashes = tokenize(title, seed).hashes
        return Counter((int(h),) for h in hashes[~in_sorted(hashes, self.title_words)].tolist())

    def title_names(self, title: str | None, seed: int) -> frozenset[int]:
        """The words of a headline that name its subject: neither formula in this corpus's
        headlines nor figures ("FRANKLIN", "MICHIGAN", "INSURED" in "FRANKLIN MICHIGAN
        INSURED SETS PAYOUT"). None for a headline that says its item corrects or repeats an
        earlier one ("CORRECTED-FIDELCOR ..."): a corrected name is the same subject."""
        if not title or _AMENDS.match(title):
            return frozenset()
        tokens = tokenize(title, seed)
        keep = ~in_sorted(tokens.hashes, self.title_words) & ~tokens.numeric
        return frozenset(int(h) for h in tokens.hashes[keep].tolist())

    @staticmethod
    def title_tickers(title: str | None, seed: int) -> frozenset[int]:
        """The words of a headline's tickers ("WBAT", "O" of "<WBAT.O>"): a code of its
        subject, which a re-issue may correct ("<WEBAT.O>"), not a name of it. None for a
        headline that says it corrects an earlier item, as with its names."""
        if not title or _AMENDS.match(title):
            return frozenset()
        return frozenset(
            int(h) for code in title_codes(title) for h in tokenize(code, seed).hashes.tolist()
        )

    @property
    def empty(self) -> bool:
        return len(self.frequent) == 0

    def mask(self, tokens: Tokens, ngram: int, window: int, seed: int) -> Mask:
        """Which words of a text lie in formula wording.

        Winnowing keeps about one 5-gram in three, so a word between two formula 5-grams that
        are at most ``window`` words apart is formula too: winnowing would have kept a 5-gram
        in any stretch of that length.
        """
        return self.masks([tokens], ngram, window, seed)[0]

    def masks(
        self, token_lists: Sequence[Tokens], ngram: int, window: int, seed: int
    ) -> list[Mask]:
        """:meth:`mask` of many texts, winnowed in one pass."""
        if self.empty:
            return [np.zeros(len(tokens), dtype=bool) for tokens in token_lists]
        skeletons = [skeleton(tokens, seed) for tokens in token_lists]
        winnowed = winnow_many(skeletons, ngram, window, seed)
        frequent = in_sorted(np.concatenate([v for v, _ in winnowed]), self.frequent)
        ends = np.cumsum([len(v) for v, _ in winnowed])
        return [
            self._mask_of(len(tokens), pos[frequent[end - len(pos) : end]], ngram, window)
            for tokens, (_, pos), end in zip(token_lists, winnowed, ends.tolist(), strict=True)
        ]

    @staticmethod
    def _mask_of(words: int, hits: npt.NDArray[np.int64], ngram: int, window: int) -> Mask:
        # Each hit covers its n-gram, and the gap to the next hit when at most ``window``.
        close = np.diff(hits) <= window
        starts = np.concatenate((hits, hits[:-1][close]))
        ends = np.concatenate((np.minimum(hits + ngram, words), hits[1:][close]))
        depth = np.zeros(words + 1, dtype=np.int64)
        np.add.at(depth, starts, 1)
        np.add.at(depth, ends, -1)
        mask: Mask = np.cumsum(depth[:-1]) > 0
        return mask


def frequent_title_words(titles: list[str | None], min_docs: int, seed: int) -> U64:
    """Words held by at least ``min_docs`` of the ``titles`` (counted once per title)."""
    per_title = [np.unique(tokenize(t, seed).hashes) for t in titles if t]
    if not per_title:
        return np.empty(0, dtype=np.uint64)
    words, counts = np.unique(np.concatenate(per_title), return_counts=True)
    return words[counts >= min_docs]


def learn_formula(
    skeletons: pa.Table,
    sources: list[str | None],
    titles: list[str | None],
    min_docs: int,
    seed: int,
) -> FormulaModel:
    """Formula wording from ``skeletons`` (fp, doc, filling) and ``titles`` of distinct texts.

    ``sources[doc]`` names each document's source (None when unknown); a 5-gram filled in at
    least ``min_docs`` ways in documents of one source, or of the whole corpus, is formula,
    when its fillings are also ``FILLED_SHARE`` of the documents holding it. Counting
    fillings, not documents, counts items of a formula, not prints of a story: a story
    printed by a thousand sites keeps its own wording.
    """
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        con.register("skeletons", skeletons)
        con.register(
            "doc_sources",
            pa.table(
                {
                    "doc": pa.array(range(len(sources)), pa.int32()),
                    "source": pa.array(sources, pa.string()),
                }
            ),
        )
        query = f"""
        WITH grams AS (SELECT DISTINCT fp, doc, filling FROM skeletons),
        overall AS (
            SELECT fp FROM grams GROUP BY fp
            HAVING count(DISTINCT filling) >= {int(min_docs)}
               AND count(DISTINCT filling) >= {FILLED_SHARE} * count(DISTINCT doc)
        ),
        per_source AS (
            SELECT fp FROM grams JOIN doc_sources USING (doc)
            WHERE source IS NOT NULL
            GROUP BY fp, source
            HAVING count(DISTINCT filling) >= {int(min_docs)}
               AND count(DISTINCT filling) >= {FILLED_SHARE} * count(DISTINCT doc)
        )
        SELECT DISTINCT fp FROM (SELECT fp FROM overall UNION ALL SELECT fp FROM per_source)
        ORDER BY fp
        """
        frequent = con.sql(query).to_arrow_table().column("fp").to_numpy()
    finally:
        con.close()
    return FormulaModel(
        np.asarray(frequent, dtype=np.uint64), frequent_title_words(titles, min_docs, seed)
    )


FORMULA_TEXT = 0.5
"""A text with at least this share of its words in formula wording is a formula item (a
dividend notice, a money-market report). Half is where the judged Reuters formula items (0.6
to 0.95 formula) part from ordinary stories (below 0.3)."""


def formula_share(mask: Mask) -> float:
    """Share of a text's words that lie in formula wording."""
    return float(mask.mean()) if len(mask) else 0.0
