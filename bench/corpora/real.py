"""The real corpus: every Reuters-21578 body, the BBC News articles and the two seed articles.

Truth clusters join what is known to be one story:

- Reuters items with the same body after lower-casing and folding everything but letters and
  digits (exact re-issues under another NEWID);
- BBC articles with the same body (the data README's 138 groups; a headline that differs only
  in punctuation does not split a group);
- the judged Reuters pairs labelled DUPLICATE or VERSION (``reuters_judged_dev.tsv``);
- the two seed articles, one VOA story and its rewritten reprint.

Everything else is a singleton. This truth is incomplete: Reuters holds more corrected
re-issues and updates than the judged sample lists, so a tool that finds them is counted as
wrong on those pairs. The README says so beside the figures.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa

from bench.corpora.shards import SHARD_DOCS, Doc, shard_path, write_shard, write_truth
from bench.peers.corpus_io import UnionFind
from storytrace.config import Config
from storytrace.ingest import ingest

_NOT_WORD = re.compile(r"[\W_]+")


def body_key(text: str) -> str:
    """A body with case, spacing and punctuation folded away."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _reuters(data: Path) -> list[Doc]:
    result = ingest(sorted((data / "reuters21578").glob("*.sgm")), Config())
    ids = result.documents.column("doc_id").to_pylist()
    texts = result.documents.column("text").to_pylist()
    return [Doc(i, t) for i, t in zip(ids, texts, strict=True)]


def _bbc(data: Path) -> list[Doc]:
    docs = []
    for path in sorted((data / "bbc").glob("*/*.txt")):
        text = path.read_bytes().decode("latin-1")
        docs.append(Doc(f"bbc-{path.parent.name}-{path.stem}", text))
    return docs


def _seeds(data: Path) -> list[Doc]:
    return [
        Doc(f"seed-{path.stem}", path.read_text(encoding="utf-8"))
        for path in sorted((data / "seeds").glob("*.txt"))
    ]


def _judged_links(data: Path) -> list[tuple[str, str]]:
    with (data / "reuters_judged_dev.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return [(r["a"], r["b"]) for r in rows if r["label"] in ("DUPLICATE", "VERSION")]


def load_real(data: Path) -> tuple[list[Doc], dict[str, str]]:
    """The real documents, sorted by id, and the truth cluster of each."""
    reuters, bbc, seeds = _reuters(data), _bbc(data), _seeds(data)
    docs = sorted([*reuters, *bbc, *seeds], key=lambda d: d.id)
    groups: UnionFind[str] = UnionFind()
    for part, key_of in ((reuters, body_key), (bbc, lambda t: body_key(t.split("\n", 1)[-1]))):
        first: dict[str, str] = {}
        for doc in part:
            key = key_of(doc.text)
            groups.union(first.setdefault(key, doc.id), doc.id)
    known = {d.id for d in docs}
    for a, b in _judged_links(data):
        if a in known and b in known:
            groups.union(a, b)
    groups.union(seeds[0].id, seeds[1].id)
    return docs, {d.id: groups.find(d.id) for d in docs}


def build_real(data: Path, out: Path) -> int:
    """Write the real corpus to ``out``; returns the number of documents."""
    docs, clusters = load_real(data)
    for index, start in enumerate(range(0, len(docs), SHARD_DOCS)):
        write_shard(shard_path(out, index), docs[start : start + SHARD_DOCS])
    ids = [d.id for d in docs]
    write_truth(
        out,
        pa.table(
            {
                "id": ids,
                "cluster": [clusters[i] for i in ids],
                "kind": ["original"] * len(ids),
                "source": ids,
            }
        ),
    )
    return len(docs)
