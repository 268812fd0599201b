"""Write cases to disk, ingest them (in batches, or one per subprocess) and check them.

Batches: all cases of one kind sit in one folder that is given to one ingest call, which
is what a user does and keeps thousands of cases fast; entries are told apart by the
``input`` path ingest reports. Isolated cases (FIFOs, ``/dev/zero``, gzip bombs) each run
in a child process with a timeout and an address-space cap, all at once, so a hang costs
one timeout rather than one per case and a runaway read cannot take the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Final

from bench.bad_inputs.cases import OUTSIDE, Case, Entry
from bench.bad_inputs.check import Outcome, Report, check

TIMEOUT_SECONDS: Final = 30.0
"""Per isolated case. The slowest legitimate one, a 256 MiB gzip bomb, is read in a few
seconds even by a reader that accepts it; a FIFO or /dev/zero never ends."""
MEMORY_CAP: Final = 6 << 30
"""Address-space cap of an isolated child, far above any honest run, so that reading
/dev/zero fails there instead of exhausting the machine."""
TEXT_LIMIT: Final = 4 << 20
"""Document texts longer than this are not sent back from a child (a bomb's would be
hundreds of megabytes); they count as kept without a comparison."""


def write_case(case: Case, root: Path) -> dict[str, tuple[Case, Entry]]:
    """Write the case below ``root/<kind>/``; return its entries by the input path ingest
    will report for them."""
    folder = root / case.kind / case.folder
    folder.mkdir(parents=True, exist_ok=True)
    keys: dict[str, tuple[Case, Entry]] = {}
    for entry in case.entries:
        path = folder / entry.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if entry.folder:
            path.mkdir(parents=True, exist_ok=True)
            continue
        if entry.fifo:
            os.mkfifo(path)
        elif entry.link == OUTSIDE:
            target = root / "_outside" / case.folder / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(entry.data)
            path.symlink_to(target)
        elif entry.link is not None:
            path.symlink_to(entry.link)
        else:
            path.write_bytes(entry.data)
        keys[str(path)] = (case, entry)
    return keys


def inputs_of(cases: list[Case], root: Path) -> list[str]:
    """What to give ingest for a batch: the kind's folder, or the files of direct cases."""
    if cases and cases[0].direct:
        return [str(root / c.kind / c.folder / c.entries[0].path) for c in cases]
    return [str(root / cases[0].kind)] if cases else []


def own_inputs(case: Case, root: Path) -> list[str]:
    """What to give ingest for one case run on its own: its file, or its own folder (the
    kind's folder holds the other cases of the kind too)."""
    if case.direct:
        return inputs_of([case], root)
    return [str(root / case.kind / case.folder)]


def ingest_here(inputs: list[str], text_limit: int | None = None) -> Outcome:
    """Ingest in this process; an exception is an outcome (a crash), never a failure here."""
    from storytrace.config import Config
    from storytrace.ingest import ingest

    start = time.perf_counter()
    try:
        result = ingest(inputs, Config())
    except BaseException:  # the point is to see what escapes, KeyboardInterrupt aside
        if sys.exc_info()[0] is KeyboardInterrupt:
            raise
        return Outcome(error=traceback.format_exc(), seconds=time.perf_counter() - start)
    return Outcome.of(result, time.perf_counter() - start, text_limit)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def ingest_isolated(
    batches: list[list[str]], out: Path, timeout: float = TIMEOUT_SECONDS
) -> list[Outcome]:
    """Run each batch of inputs in its own child at once; each child's peak RSS comes from
    the child itself (VmHWM; see probe.py), else ``os.wait4``."""
    out.mkdir(parents=True, exist_ok=True)
    children = []
    for index, inputs in enumerate(batches):
        result = out / f"outcome-{index}.json"
        command = [sys.executable, "-m", "bench.bad_inputs.probe", str(result), *inputs]
        child = subprocess.Popen(command, preexec_fn=_cap_memory, stderr=subprocess.PIPE)
        children.append((child, result, time.perf_counter()))
    outcomes: dict[int, Outcome] = {}
    deadline = time.perf_counter() + timeout
    waiting = dict(enumerate(children))
    while waiting and time.perf_counter() < deadline:
        for index, (child, result, start) in list(waiting.items()):
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == 0:
                continue
            child.returncode = os.waitstatus_to_exitcode(status)
            del waiting[index]
            outcomes[index] = _read_outcome(child, result, time.perf_counter() - start)
            if outcomes[index].peak_rss is None:  # the child could not say (see probe.py)
                outcomes[index].peak_rss = usage.ru_maxrss * 1024
        time.sleep(0.05)
    for index, (child, _, start) in waiting.items():
        child.kill()
        child.wait()
        seconds = time.perf_counter() - start
        outcomes[index] = Outcome(
            error=f"no result after {seconds:.0f} s", seconds=seconds, hung=True
        )
    return [outcomes[index] for index in range(len(batches))]


def _read_outcome(child: subprocess.Popen[bytes], result: Path, seconds: float) -> Outcome:
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if not result.exists():
        return Outcome(error=f"child exited {child.returncode}: {stderr[-2000:]}", seconds=seconds)
    data = json.loads(result.read_text(encoding="utf-8"))
    outcome = Outcome(**data)
    outcome.documents = [(d[0], d[1], d[2]) for d in data["documents"]]
    outcome.rejects = [(r[0], r[1], r[2]) for r in data["rejects"]]
    outcome.seconds = seconds
    return outcome


def run_cases(cases: list[Case], root: Path, report: Report | None = None) -> Report:
    """Write, ingest and check every case; the report holds every broken promise."""
    report = report or Report()
    batches: dict[str, list[Case]] = defaultdict(list)
    isolated: list[Case] = []
    for case in cases:
        (isolated if case.isolated else batches[case.kind]).append(case)
    for _, batch in sorted(batches.items()):
        keys: dict[str, tuple[Case, Entry]] = {}
        for case in batch:
            keys.update(write_case(case, root))
        outcome = ingest_here(inputs_of(batch, root))
        if outcome.error is None:
            check(report, batch, keys, outcome)
            continue
        # One crash hides every other finding of the batch: find the cases that crash.
        for case in batch:
            own = {k: v for k, v in keys.items() if v[0] is case}
            check(report, [case], own, ingest_here(inputs_of([case], root)))
    isolated_keys = [write_case(case, root) for case in isolated]
    outcomes = ingest_isolated([own_inputs(case, root) for case in isolated], root / "_outcomes")
    for case, keys, outcome in zip(isolated, isolated_keys, outcomes, strict=True):
        check(report, [case], keys, outcome)
        if outcome.peak_rss is not None:
            bound = memory_bound(outcome.largest_document)
            if outcome.peak_rss > bound:
                mib = outcome.peak_rss >> 20
                report.add(
                    "memory",
                    case.kind,
                    f"{case.folder}: peak RSS {mib} MiB > bound {bound >> 20} MiB",
                )
    return report


BASELINE_RSS: Final = 256 << 20
"""Peak RSS of a child that imports storytrace and ingests one small file (pyarrow, numpy,
trafilatura and lxml loaded): 151 MiB measured (VmHWM), with room to spare."""


def memory_bound(largest_document: int) -> int:
    """Peak RSS allowed: the baseline plus four copies of the largest accepted document
    (the bytes read, the decoded string, the Arrow column, one temporary)."""
    return BASELINE_RSS + 4 * largest_document
