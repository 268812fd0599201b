"""Two texts as reports of one event: the event similarity and what they share.

>>> found = compare_events(
...     "Floods: the River Eden burst its banks in Carlisle on Saturday.",
...     "Hundreds of homes in Carlisle were flooded after the Eden rose on Saturday.",
... )
>>> found.similarity > 0.5, found.shared["places"], found.shared["dates"]
(True, ['carlisle'], ['saturday'])
"""

from __future__ import annotations

from dataclasses import dataclass

from storytrace.semantic.embedding import embed
from storytrace.semantic.evidence import evidence_of, shared
from storytrace.semantic.score import event_similarity


def embedded_text(title: str | None, clean_text: str) -> str:
    """What is embedded: the headline and the text (the headline once, when the text
    already opens with it, as a text file's first line does)."""
    if title and not clean_text.lstrip().startswith(title.strip()):
        return f"{title.strip()}\n{clean_text}"
    return clean_text


@dataclass(frozen=True)
class EventComparison:
    """How alike two texts are as accounts of one event (see :mod:`.score`)."""

    similarity: float
    """0 (unrelated) to 1 (one event told twice); higher is more alike."""
    cosine: float
    """The cosine of the two embeddings, from which ``similarity`` is read."""
    shared: dict[str, list[str]]
    """The names, dates and places both texts hold."""


def compare_events(text_a: str, text_b: str) -> EventComparison:
    """The event similarity of two (clean) texts and the evidence they share."""
    vectors = embed([text_a, text_b])
    cosine = float(vectors[0].astype("float64") @ vectors[1].astype("float64"))
    common = shared(evidence_of(text_a), evidence_of(text_b))
    return EventComparison(round(event_similarity(cosine), 6), round(cosine, 6), common)
