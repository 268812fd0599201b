"""The rows ``storytrace eval`` prints: one measured figure beside its target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storytrace.config import Config


@dataclass(frozen=True)
class Measure:
    """One figure of one suite, e.g. the share of judged duplicate pairs that were linked."""

    key: str
    """Stable name for the baseline file, e.g. ``reuters.duplicate_linked``."""
    label: str
    """What a reader sees in the table."""
    target: float
    """The figure storytrace promises (a floor, or a ceiling when ``higher_is_better`` is
    false)."""
    measured: float
    higher_is_better: bool = True
    detail: str = ""
    """Counts behind the figure, such as ``30/31``."""
    count: bool = False
    """The figure counts things (printed as a whole number) rather than being a share."""
    tolerance: float = 0.0
    """How far below (above, when lower is better) its pinned value the figure may come
    before the gate fails: for figures read from floating-point model outputs, which may
    move in the last bits on another CPU, and for shares of a small judged sample, where
    one pair is within the sample's error (see :data:`storytrace.evaluate.judged_pairs`)."""
    gated: bool = True
    """The quality gate holds the figure to its baseline. False for another tool's figures
    (and storytrace's gain over them), reported beside storytrace's: a new release of the
    other tool moves them, not a change of storytrace."""

    @property
    def met(self) -> bool:
        """Whether the measured figure reaches the target."""
        if self.higher_is_better:
            return self.measured >= self.target
        return self.measured <= self.target


def one_pair(total: int) -> float:
    """The quality gate's tolerance for a share of ``total`` judged pairs: one pair.

    The judged sets are small samples (31 duplicates, 31 versions, 3 partial pairs in the
    Reuters dev half): one pair more or less is within their sampling error (a 95% interval
    on 31 pairs is about ±0.07), and a rule written to win back one dev pair is what does not
    carry over to pairs never seen. Two pairs lost fail the gate.
    """
    return round(1 / total, 4) if total else 0.0


@dataclass(frozen=True)
class Suite:
    """A data set and the function that measures storytrace on it."""

    name: str
    folders: tuple[str, ...]
    """Folders of the data directory the suite reads; their bytes make the data digest."""
    measure: Callable[[Path, Config], list[Measure]]
    """``measure(data_dir, config)``: run storytrace on the data and return its figures."""
