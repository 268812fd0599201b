"""The quality gate: measured figures pinned with the digest of the data they came from.

A baseline file records, per suite, the data digest and every figure of storytrace's own as
measured, with the tolerance the gate allows it (other tools' figures are reported by
``storytrace eval``, not pinned). The gate fails when a figure gets worse than its pinned
value by more than its tolerance, so a change that lowers quality has to
say so by rewriting the baseline (``storytrace eval --write-baseline FILE``), in the same
commit, where a reviewer sees it. When the data itself changed (another digest), the figures
are not comparable and the gate says so instead of passing or failing on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storytrace.evaluate.runner import SuiteResult

# Figures are compared after rounding to this many decimals, so float noise never fails the
# gate and a real loss (one judged pair of 164 is 0.006) always does.
_DECIMALS = 4


def baseline_of(results: list[SuiteResult]) -> dict[str, Any]:
    """The baseline file's content for these results."""
    return {
        "suites": {
            r.suite: {
                "data_digest": r.data_digest,
                "figures": {
                    m.key: {
                        "measured": round(m.measured, _DECIMALS),
                        "higher_is_better": m.higher_is_better,
                        "tolerance": round(m.tolerance, _DECIMALS),
                    }
                    for m in r.measures
                    if m.gated
                },
            }
            for r in results
        }
    }


def write_baseline(path: Path, results: list[SuiteResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline_of(results), indent=2, sort_keys=True) + "\n", "utf-8")


def regressions(baseline: dict[str, Any], results: list[SuiteResult]) -> list[str]:
    """Every way ``results`` fall short of ``baseline``, as sentences; empty when none do."""
    problems = []
    for result in results:
        pinned = baseline.get("suites", {}).get(result.suite)
        if pinned is None:
            problems.append(f"{result.suite}: no baseline; write one with --write-baseline")
            continue
        if pinned["data_digest"] != result.data_digest:
            problems.append(
                f"{result.suite}: the data changed since the baseline was written "
                f"({pinned['data_digest'][:12]} then, {result.data_digest[:12]} now); "
                "measure again and rewrite the baseline"
            )
            continue
        for m in (m for m in result.measures if m.gated):
            floor = pinned["figures"].get(m.key)
            if floor is None:
                problems.append(f"{m.key}: not in the baseline")
                continue
            now = round(m.measured, _DECIMALS)
            # The figure's tolerance is the code's, so a baseline cannot loosen the gate.
            slack = round(m.tolerance, _DECIMALS)
            if m.higher_is_better:
                worse = now < round(floor["measured"] - slack, _DECIMALS)
            else:
                worse = now > round(floor["measured"] + slack, _DECIMALS)
            if worse:
                problems.append(f"{m.key}: {now} is worse than the baseline {floor['measured']}")
    return problems
