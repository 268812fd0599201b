"""``storytrace eval``: measure storytrace on labelled real data and compare with floors.

Each suite (one module each) reads one data set from the data folder, runs storytrace on it
and returns :class:`~storytrace.evaluate.measures.Measure` rows: a figure, its target and what
was measured. :mod:`storytrace.evaluate.baseline` pins the measured figures, with a digest of
the data they were measured on, so a test can refuse any change that lowers one.
"""

from storytrace.evaluate.measures import Measure, Suite

__all__ = ["Measure", "Suite"]
