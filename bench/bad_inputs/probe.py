"""Child process of an isolated case: ``python -m bench.bad_inputs.probe OUT INPUT...``.

Ingests the inputs and writes the outcome as JSON to OUT (not to stdout, whose pipe would
fill up and block the child while the parent waits for it).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from bench.bad_inputs.run import TEXT_LIMIT, ingest_here


def own_peak_rss() -> int | None:
    """This process's peak resident size (VmHWM), in bytes. Not ``ru_maxrss`` as the parent
    sees it: that counts the parent's pages the child shared between fork and exec, so it
    says how big the parent was."""
    for line in Path("/proc/self/status").read_text("ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def main(argv: list[str]) -> None:
    out, *inputs = argv
    outcome = ingest_here(inputs, TEXT_LIMIT)
    outcome.peak_rss = own_peak_rss()
    Path(out).write_text(
        json.dumps(dataclasses.asdict(outcome), ensure_ascii=True), encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
