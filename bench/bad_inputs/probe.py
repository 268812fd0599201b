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


def main(argv: list[str]) -> None:
    out, *inputs = argv
    outcome = ingest_here(inputs, TEXT_LIMIT)
    Path(out).write_text(
        json.dumps(dataclasses.asdict(outcome), ensure_ascii=True), encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
