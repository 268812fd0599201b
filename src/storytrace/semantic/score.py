"""The event similarity of two texts: their embeddings' cosine, on the judges' scale.

SemEval-2022 Task 8 judges rated pairs of news articles from 1 (about the same event) to 4
(about different events). ``event_similarity`` maps the cosine of two embeddings onto that
scale turned round, ``(4 - predicted Overall) / 3``: about 1 for one event told twice, about
0 for unrelated news. The map is the least-squares quadratic of Overall on the cosine over
the 161 English pairs (10-fold cross-validation: Pearson 0.860 held out, 0.864 in sample;
the cosine alone 0.858, TF-IDF cosine 0.692). It is monotone over the cosines that occur
(above -0.58) and clipped to [0, 1], so it only puts the cosine on a scale a reader can
judge; it ranks pairs as the cosine does.

The cheap evidence (names, dates and places shared, TF-IDF cosine) was measured as extra
terms of the same fit and did not help held out: cosine with all four 0.841, with the names
0.850, against 0.855 for the cosine with the same linear fit. It is shown beside the score
(``storytrace compare --semantic``) as what a reader checks, not added into it.

>>> round(event_similarity(1.0), 3), round(event_similarity(0.0), 3)
(1.0, 0.002)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Overall ≈ _A + _B·cos + _C·cos², fitted by least squares on the 161 English SemEval pairs
# (storytrace.evaluate.semeval measures it again, in and out of sample).
_A, _B, _C = 3.993, -1.901, -1.650


def event_similarity(cosine: float) -> float:
    """How alike two reports are as accounts of one event, about 0 (unrelated) to 1."""
    return float(similarities(np.asarray([cosine], dtype=np.float64))[0])


def similarities(cosines: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """:func:`event_similarity` of many cosines at once."""
    c = np.asarray(cosines, dtype=np.float64)
    return np.clip((4.0 - (_A + _B * c + _C * c * c)) / 3.0, 0.0, 1.0)
