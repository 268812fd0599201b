"""What changed between two versions of an article, sentence by sentence.

Editors work on sentences: they add a paragraph, drop one, reword a clause, correct a figure,
move a quote up. So the changes between an older and a newer text are reported per sentence
(see :mod:`storytrace.stories.sentences`):

1. sentences with the same words (case, white space and punctuation aside) match, first
   occurrence with first occurrence;
2. the remaining sentences are paired, most similar first, as ``changed`` when they share
   enough of their words (``Config.changed_sentence_similarity``), with a word diff; the
   left-over part of a sentence split in two, or of two merged into one, pairs with its
   edited counterpart (``Config.split_sentence_share``);
3. of the matched and edited pairs, the largest set that keeps its order (a longest common
   subsequence weighted by words, identical sentences first, so a long paragraph stays put
   and a short one moves) is in place; an identical sentence out of it is ``moved``, and an
   edited one is ``changed`` with ``moved`` set;
4. what is left is ``removed`` (old only) or ``added`` (new only).

Unchanged sentences are counted, not listed. The result depends only on the two texts and the
config, so every run and engine gives the same changes.

Example::

    >>> from storytrace import Config
    >>> old = "Shares rose 5 pct. The chief executive resigned on Monday. Trading was heavy."
    >>> new = "Trading was heavy. Shares rose 5 pct. The chief executive resigned on Tuesday."
    >>> result = sentence_changes(old, new, Config())
    >>> [(c.kind, c.old_index, c.new_index) for c in result.changes], result.unchanged
    ([('moved', 2, 0), ('changed', 1, 2)], 1)
    >>> result.changes[1].word_diff[-2:]
    (('removed', 'Monday.'), ('added', 'Tuesday.'))
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from storytrace.clean.offsets import Segment, to_original
from storytrace.config import Config
from storytrace.fingerprint.hashing import U64
from storytrace.fingerprint.tokens import Tokens, tokenize
from storytrace.stories.sentences import Sentence, split_sentences
from storytrace.stories.word_diff import diff_rows, word_edits

KINDS = ("added", "removed", "changed", "moved")
"""Kinds of sentence change, as stored in ``changes.parquet``."""


@dataclass(frozen=True)
class Change:
    """One sentence edit between an old and a new text.

    Indices count the sentences (with words) of each text from 0; spans are character offsets
    into each clean text. ``similarity`` is the share of words the two sentences have in common
    (1.0 for a moved sentence, None when one side is missing). ``word_diff`` holds ``(op,
    words)`` runs, op in same / removed / added, for a changed sentence.
    """

    kind: str
    moved: bool
    old_index: int | None
    new_index: int | None
    old_span: Sentence | None
    new_span: Sentence | None
    old_text: str | None
    new_text: str | None
    similarity: float | None
    word_diff: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SentenceChanges:
    """The changes from an old to a new text, and how many sentences stayed as they were."""

    changes: tuple[Change, ...]
    unchanged: int

    def counts(self) -> dict[str, int]:
        """Sentences per kind, and unchanged ones: a one-line summary of the edit."""
        counts = {"unchanged": self.unchanged, **dict.fromkeys(KINDS, 0)}
        for change in self.changes:
            counts[change.kind] += 1
        return counts


@dataclass(frozen=True)
class _Side:
    """The sentences of one text that hold words, each with its word hashes."""

    text: str
    tokens: Tokens
    spans: list[Sentence]
    first_words: list[int]
    words: list[U64]

    @staticmethod
    @lru_cache(maxsize=4)
    def of(text: str, seed: int) -> _Side:
        """The sentences of ``text``. Cached: in a story's chain of versions each text is the
        new side of one comparison and the old side of the next."""
        tokens = tokenize(text, seed)
        every = split_sentences(text)
        bounds = np.searchsorted(tokens.starts, [p for s in every for p in s]).tolist()
        spans, firsts, words = [], [], []
        for span, first, last in zip(every, bounds[::2], bounds[1::2], strict=True):
            if last > first:
                spans.append(span)
                firsts.append(first)
                words.append(tokens.hashes[first:last])
        return _Side(text, tokens, spans, firsts, words)

    def sentence(self, i: int) -> tuple[str, Tokens]:
        """Sentence ``i`` as in the clean text, and its words with offsets into it."""
        span, t = self.spans[i], self.tokens
        first, last = self.first_words[i], self.first_words[i] + len(self.words[i])
        words = Tokens(
            t.hashes[first:last],
            t.starts[first:last] - span.start,
            t.ends[first:last] - span.start,
            t.numeric[first:last],
            t.glued[first:last],
        )
        return self.text[span.start : span.end], words

    def printed(self, i: int) -> str:
        """Sentence ``i`` as printed, with line wraps as single spaces."""
        return " ".join(self.text[self.spans[i].start : self.spans[i].end].split())


def _identical(old: _Side, new: _Side) -> list[tuple[int, int]]:
    """Pairs of sentences with the same words; the k-th copy in old with the k-th in new."""
    waiting: dict[bytes, list[int]] = {}
    for i, words in enumerate(old.words):
        waiting.setdefault(words.tobytes(), []).append(i)
    pairs = []
    for j, words in enumerate(new.words):
        queue = waiting.get(words.tobytes())
        if queue:
            pairs.append((queue.pop(0), j))
    return sorted(pairs)


def _in_order(pairs: list[tuple[int, int]], weights: list[int]) -> set[tuple[int, int]]:
    """The heaviest subset of ``pairs`` (sorted by old index) increasing in new index too.

    A weighted longest increasing subsequence; a Fenwick tree over new indices gives the best
    chain ending below each new index in O(log n).
    """
    if not pairs:
        return set()
    size = max(j for _, j in pairs) + 1
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)  # (weight of chain, its last pair)
    back = [-1] * len(pairs)
    best: tuple[int, int] = (0, -1)
    for k, ((_, j), weight) in enumerate(zip(pairs, weights, strict=True)):
        chain: tuple[int, int] = (0, -1)
        at = j  # best chain among new indices < j
        while at > 0:
            chain = max(chain, tree[at])
            at -= at & -at
        back[k] = chain[1]
        entry = (chain[0] + weight, k)
        best = max(best, entry)
        at = j + 1
        while at <= size:
            tree[at] = max(tree[at], entry)
            at += at & -at
    kept = set()
    k = best[1]
    while k >= 0:
        kept.add(pairs[k])
        k = back[k]
    return kept


def _shared_words(old: list[U64], new: list[U64]) -> npt.NDArray[np.float64]:
    """Words in common (as multisets) of every old sentence with every new sentence.

    min(a, b) is the number of t >= 1 with a >= t and b >= t, so the multiset intersection of
    count vectors is a sum of products of 0/1 matrices, one per repeat level.
    """
    vocabulary, index = np.unique(np.concatenate([*old, *new]), return_inverse=True)
    counts = np.zeros((len(old) + len(new), len(vocabulary)), dtype=np.float32)
    rows = np.repeat(np.arange(len(old) + len(new)), [len(w) for w in (*old, *new)])
    np.add.at(counts, (rows, index), 1)
    a, b = counts[: len(old)], counts[len(old) :]
    shared = np.zeros((len(old), len(new)), dtype=np.float64)
    for level in range(1, int(counts.max()) + 1):
        shared += (a >= level).astype(np.float32) @ (b >= level).astype(np.float32).T
    return shared


def _similar(
    old: _Side, new: _Side, rest_old: list[int], rest_new: list[int], threshold: float
) -> list[tuple[float, int, int]]:
    """(similarity, old, new) of the unmatched sentences at or above ``threshold``."""
    if not rest_old or not rest_new:
        return []
    shared = _shared_words([old.words[i] for i in rest_old], [new.words[j] for j in rest_new])
    sizes_old = np.array([len(old.words[i]) for i in rest_old], dtype=np.float64)
    sizes_new = np.array([len(new.words[j]) for j in rest_new], dtype=np.float64)
    dice = 2 * shared / (sizes_old[:, None] + sizes_new[None, :])
    found = np.argwhere(dice >= threshold)
    return [(float(dice[r, c]), rest_old[r], rest_new[c]) for r, c in found.tolist()]


def _is_moved(i: int, j: int, anchors: list[tuple[int, int]]) -> bool:
    """Whether (i, j) breaks the order of the pairs ``anchors`` (sorted) that kept theirs."""
    k = bisect_left(anchors, (i, j))
    before = anchors[k - 1][1] if k > 0 else -1
    after = anchors[k][1] if k < len(anchors) else None
    return not (before < j and (after is None or j < after))


def _edited(
    a: _Side,
    b: _Side,
    rest_old: list[int],
    rest_new: list[int],
    anchors: list[tuple[int, int]],
    threshold: float,
) -> list[tuple[float, int, int]]:
    """One-to-one pairs of unmatched sentences similar enough to be one sentence edited."""
    candidates = _similar(a, b, rest_old, rest_new, threshold)
    # Most similar first; among equals, a pair that keeps its place, then the earliest.
    candidates.sort(key=lambda c: (-round(c[0], 9), _is_moved(c[1], c[2], anchors), c[1], c[2]))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for similarity, i, j in candidates:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((similarity, i, j))
    return pairs


# A left-over sentence this short ("U.S.", a dateline "TOKYO -", "he said") is inside any
# sentence that mentions it, so it is never taken for a part of a split one. The parts found
# on the judged Reuters versions and the seeds have 8 words or more.
_MIN_PART_WORDS = 4


def _parts(
    a: _Side,
    b: _Side,
    edited: list[tuple[float, int, int]],
    left_old: list[int],
    left_new: list[int],
    share: float,
) -> list[tuple[float, int, int]]:
    """Left-over sentences that are the other part of a sentence split in two or of two
    sentences merged into one, as (similarity, old, new) pairs with the edited sentence.

    A left-over old sentence is a part of new sentence ``j`` when at least ``share`` of its
    words are among the words of ``j`` that ``j``'s own old partner lacks (and the same way
    round for a left-over new sentence). Each part found uses up those words, so a sentence
    split in three needs each part's own words.
    """
    left_old = [i for i in left_old if len(a.words[i]) >= _MIN_PART_WORDS]
    left_new = [j for j in left_new if len(b.words[j]) >= _MIN_PART_WORDS]
    if not edited or not (left_old or left_new):
        return []
    words_a = {i: Counter(a.words[i].tolist()) for i in [*left_old, *(i for _, i, _ in edited)]}
    words_b = {j: Counter(b.words[j].tolist()) for j in [*left_new, *(j for _, _, j in edited)]}
    unexplained_new = {j: words_b[j] - words_a[i] for _, i, j in edited}
    unexplained_old = {i: words_a[i] - words_b[j] for _, i, j in edited}
    candidates = []
    for i in left_old:
        for _, _, j in edited:
            found = sum((words_a[i] & unexplained_new[j]).values()) / len(a.words[i])
            if found >= share:
                candidates.append((found, i, j, 0))
    for j in left_new:
        for _, i, _ in edited:
            found = sum((words_b[j] & unexplained_old[i]).values()) / len(b.words[j])
            if found >= share:
                candidates.append((found, i, j, 1))
    candidates.sort(key=lambda c: (-round(c[0], 9), c[3], c[1], c[2]))
    parts = []
    done: set[tuple[int, int]] = set()
    for _, i, j, side in candidates:
        left = (side, j if side else i)
        if left in done:
            continue
        mine, pool = (words_b[j], unexplained_old[i]) if side else (words_a[i], unexplained_new[j])
        if sum((mine & pool).values()) < share * sum(mine.values()):
            continue  # an earlier part took these words
        pool.subtract(mine & pool)
        done.add(left)
        shared = sum((words_a[i] & words_b[j]).values())
        parts.append((2 * shared / (len(a.words[i]) + len(b.words[j])), i, j))
    return parts


def _kept_in_place(
    a: _Side, identical: list[tuple[int, int]], edited: list[tuple[float, int, int]]
) -> list[tuple[int, int]]:
    """The matched and edited pairs that keep their order, sorted: the heaviest chain, where
    identical sentences count before edited ones (a sentence's weight is its words, times
    more than all the words of the text when it is identical), so an edit never makes an
    identical sentence move, but among edited sentences the longer ones stay put too."""
    heavy = sum(len(w) for w in a.words) + 1
    weights = {(i, j): len(a.words[i]) * heavy for i, j in identical}
    weights.update({(i, j): len(a.words[i]) for _, i, j in edited})
    pairs = sorted(weights)
    return sorted(_in_order(pairs, [weights[p] for p in pairs]))


def sentence_changes(old: str, new: str, config: Config) -> SentenceChanges:
    """The sentence changes from clean text ``old`` to clean text ``new``, in reading order.

    Reading order is the new text's order; a removed sentence comes right after the sentence
    that preceded it in the old text and kept its place in the new one.
    """
    a, b = _Side.of(old, config.seed), _Side.of(new, config.seed)
    identical = _identical(a, b)
    anchors = sorted(_in_order(identical, [len(a.words[i]) for i, _ in identical]))
    rest_old = sorted(set(range(len(a.spans))) - {i for i, _ in identical})
    rest_new = sorted(set(range(len(b.spans))) - {j for _, j in identical})
    edited = _edited(a, b, rest_old, rest_new, anchors, config.changed_sentence_similarity)
    left_old = [i for i in rest_old if i not in {i for _, i, _ in edited}]
    left_new = [j for j in rest_new if j not in {j for _, _, j in edited}]
    parts = _parts(a, b, edited, left_old, left_new, config.split_sentence_share)

    in_place = _kept_in_place(a, identical, edited)
    kept = set(in_place)
    changes = [
        _pair(a, b, i, j, "moved", 1.0, True, config.seed)
        for i, j in identical
        if (i, j) not in kept
    ]
    for similarity, i, j in edited:
        changes.append(_pair(a, b, i, j, "changed", similarity, (i, j) not in kept, config.seed))
    for similarity, i, j in parts:
        moved = _is_moved(i, j, in_place)
        changes.append(_pair(a, b, i, j, "changed", similarity, moved, config.seed))
    paired_old = {i for _, i, _ in parts}
    paired_new = {j for _, _, j in parts}
    for i in left_old:
        if i not in paired_old:
            changes.append(
                Change("removed", False, i, None, a.spans[i], None, a.printed(i), None, None)
            )
    for j in left_new:
        if j not in paired_new:
            changes.append(
                Change("added", False, None, j, None, b.spans[j], None, b.printed(j), None)
            )
    in_place_old = [i for i, _ in in_place]

    def place(change: Change) -> tuple[int, int, int]:
        if change.new_index is not None:
            return (change.new_index, 0, change.old_index or 0)
        k = bisect_left(in_place_old, change.old_index or 0)
        preceding = in_place[k - 1][1] if k > 0 else -1
        return (preceding, 1, change.old_index or 0)

    changes.sort(key=place)
    unchanged = sum(pair in kept for pair in identical)
    return SentenceChanges(tuple(changes), unchanged)


def _pair(
    a: _Side, b: _Side, i: int, j: int, kind: str, similarity: float, moved: bool, seed: int
) -> Change:
    """A moved or changed sentence: both sides, and for a changed one its word diff."""
    diff: tuple[tuple[str, str], ...] = ()
    if kind == "changed":
        (old, old_words), (new, new_words) = a.sentence(i), b.sentence(j)
        edits = word_edits(old, new, seed, (old_words, new_words))
        diff = tuple((r["op"], " ".join(r["text"].split())) for r in diff_rows(old, new, edits))
    return Change(
        kind,
        moved,
        i,
        j,
        a.spans[i],
        b.spans[j],
        a.printed(i),
        b.printed(j),
        round(similarity, 6),
        diff,
    )


def change_records(
    result: SentenceChanges,
    old_map: Sequence[Segment],
    new_map: Sequence[Segment],
) -> list[dict[str, Any]]:
    """The changes as rows of ``changes.parquet`` (without story and document ids), with the
    clean-text spans mapped to offsets into the two original texts through their clean maps."""

    def original(
        spans: list[Sentence | None], segments: Sequence[Segment]
    ) -> list[tuple[int, int] | None]:
        present = [s for s in spans if s is not None]
        starts = to_original(list(segments), [s.start for s in present]).tolist()
        ends = to_original(list(segments), [s.end for s in present], is_end=True).tolist()
        mapped = iter(zip(starts, ends, strict=True))
        return [next(mapped) if s is not None else None for s in spans]

    olds = original([c.old_span for c in result.changes], old_map)
    news = original([c.new_span for c in result.changes], new_map)
    rows = []
    for n, (c, o, w) in enumerate(zip(result.changes, olds, news, strict=True)):
        rows.append(
            {
                "change": n,
                "kind": c.kind,
                "moved": c.moved,
                "old_index": c.old_index,
                "new_index": c.new_index,
                "old_sentence": c.old_text,
                "new_sentence": c.new_text,
                "old_start": o[0] if o else None,
                "old_end": o[1] if o else None,
                "new_start": w[0] if w else None,
                "new_end": w[1] if w else None,
                "similarity": c.similarity,
                "word_diff": [{"op": op, "text": text} for op, text in c.word_diff],
            }
        )
    return rows
