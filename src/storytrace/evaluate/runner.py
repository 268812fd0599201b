"""Run the evaluation suites on a data folder and collect their figures."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from storytrace.config import Config
from storytrace.evaluate.measures import Measure, Suite
from storytrace.evaluate.registry import SUITES


@dataclass(frozen=True)
class SuiteResult:
    """A suite's figures, with the digest of the data they were measured on."""

    suite: str
    data_digest: str
    measures: list[Measure]


def data_digest(data: Path, suite: Suite) -> str:
    """sha256 over the relative paths and bytes of every file the suite reads."""
    h = hashlib.sha256()
    for folder in suite.folders:
        root = data / folder
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            h.update(path.relative_to(data).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def missing_data(data: Path, suite: Suite) -> list[str]:
    """The folders or files of a suite that the data folder lacks."""
    return [f for f in suite.folders if not (data / f).exists()]


def select_suites(names: Sequence[str] = ()) -> list[Suite]:
    """The suites named (all when none are), or ValueError naming the unknown ones."""
    known = {s.name: s for s in SUITES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown suite {', '.join(unknown)}; suites are: {', '.join(known)}")
    return [known[n] for n in names] if names else list(SUITES)


def evaluate(
    data: Path,
    config: Config,
    suites: Sequence[Suite],
    on_suite: Callable[[str], None] = lambda _name: None,
) -> list[SuiteResult]:
    """Measure storytrace with every suite whose data is present in ``data``."""
    results = []
    for suite in suites:
        if missing_data(data, suite):
            continue
        on_suite(suite.name)
        results.append(
            SuiteResult(suite.name, data_digest(data, suite), suite.measure(data, config))
        )
    return results
