"""Build the benchmark corpora: ``python -m bench.corpora.build NAME --out DIR``.

``real`` is the real data; ``replay`` (200,000 documents) and ``scale`` (1,000,000) add
derived documents to it; ``flood`` (20,000) reprints real stories across 400 framed sites;
``flood-thin`` is the same on 5,000 sites of four pages each; ``smoke`` is a 1,000-document
replay corpus and ``flood-smoke`` a 3,000-document flood for the test suite. A
corpus already built (its ``truth.parquet`` written last) is left as it is.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from bench.corpora.flood import SITES, TOP_PRINTS, build_flood
from bench.corpora.real import build_real
from bench.corpora.replay import build_replay

SIZES = {
    "replay": 200_000,
    "scale": 1_000_000,
    "smoke": 1_000,
    "flood": 20_000,
    "flood-smoke": 3_000,
    "flood-thin": 20_000,
}
SEED = 20171001

SMOKE_BASE = 500
"""Real documents in the smoke corpus (the first by id: BBC business news, with duplicates),
beside the two seeds; derived documents fill it up to 1,000."""


THIN_SITES = 5_000
"""Sites of the ``flood-thin`` corpus: four pages each, too few to count a frame by the
corpus-wide share of a line."""

SMOKE_TOP_PRINTS = 300
"""Prints of the most printed story in the flood smoke corpus."""


def build(name: str, data: Path, root: Path, size: int | None = None) -> Path:
    """The corpus folder ``root/name``, built first when missing."""
    out = root / name
    if (out / "truth.parquet").is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    if name == "real":
        count = build_real(data, out)
    elif name.startswith("flood"):
        top = SMOKE_TOP_PRINTS if name == "flood-smoke" else TOP_PRINTS
        sites = THIN_SITES if name == "flood-thin" else SITES
        real = build("real", data, root)
        count = build_flood(real, out, size or SIZES[name], SEED, top, sites)
    else:
        real = build("real", data, root)
        base = SMOKE_BASE if name == "smoke" else None
        count = build_replay(real, out, size or SIZES[name], SEED, base_docs=base)
    print(f"built {name}: {count:,} documents in {time.perf_counter() - started:.1f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("bench/.work/corpora"))
    parser.add_argument("--size", type=int, default=None)
    args = parser.parse_args()
    build(args.name, args.data, args.out, args.size)


if __name__ == "__main__":
    main()
