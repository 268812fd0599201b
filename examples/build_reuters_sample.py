"""Rebuild examples/reuters-sample.jsonl.gz from the Reuters-21578 collection.

The sample holds every item named in the judged pairs of ``reuters_judged_dev.tsv``
(exact duplicates, versions, corrected re-issues and the formula stories that must not link)
plus the first items of the collection in NEWID order, up to ``--size`` items in all. It is
written deterministically (sorted, gzip without a timestamp), so rebuilding it gives the same
bytes.

Usage::

    python examples/build_reuters_sample.py ../shared/data examples/reuters-sample.jsonl.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from pathlib import Path

from storytrace.config import Config
from storytrace.ingest import ingest


def _newid(doc_id: str) -> int:
    return int(doc_id.removeprefix("reuters-"))


def build(data: Path, out: Path, size: int) -> int:
    """Write the sample and return how many items it holds."""
    with (data / "reuters_judged_dev.tsv").open(encoding="utf-8") as fh:
        judged = {doc for row in csv.DictReader(fh, delimiter="\t") for doc in (row["a"], row["b"])}
    collection = ingest(sorted((data / "reuters21578").glob("*.sgm")), Config()).documents
    rows = {row["doc_id"]: row for row in collection.to_pylist()}
    chosen = {doc for doc in judged if doc in rows}
    for doc in sorted(rows, key=_newid):
        if len(chosen) >= size:
            break
        chosen.add(doc)
    lines = []
    for doc in sorted(chosen, key=_newid):
        row = rows[doc]
        record = {
            "id": doc,
            "title": row["title"],
            "source": row["source"],
            "published": row["published"].isoformat() if row["published"] else None,
            "text": row["text"],
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    with out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("out", type=Path, help="the .jsonl.gz file to write")
    parser.add_argument("--size", type=int, default=600, help="items in the sample")
    args = parser.parse_args()
    print(f"wrote {build(args.data, args.out, args.size)} items to {args.out}")


if __name__ == "__main__":
    main()
