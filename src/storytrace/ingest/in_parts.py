"""Ingest in parallel tasks, one file at a time, with the rows of a serial read.

A distributed engine reads the input files where they live, in many tasks at once; the
tables must still be those of :func:`storytrace.ingest.ingest`, which reads the files one
after the other. Three steps make them so:

1. :func:`plan` lists the files in this process, as a serial read would meet them, and
   numbers them (``order``); what the listing itself rejects or skips keeps its number.
2. :func:`read_files` (in the tasks) reads each file's bytes with the format readers into
   *deferred* rows: every record keeps its own id or none, its text's content id and its
   place in the file (``seq``), and the file's sha256 is taken.
3. :func:`assign_ids` (here) applies the id rules to the ids of all files in
   ``(order, seq)`` order, the only step that needs every file at once. It reads ids, not
   texts.

Rejects and skips are put in ``(order, seq)`` order, which is the order a serial read
meets them in, and the digests of a folder are folded from its files' digests as
:mod:`storytrace.ingest.digests` folds them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Final

import pyarrow as pa

from storytrace.config import Config
from storytrace.ingest import ingest_file
from storytrace.ingest.collect import Collector, Ids
from storytrace.ingest.digests import InputDigest
from storytrace.ingest.records import Reject, Skipped
from storytrace.ingest.sources import KINDS, Source, discover, extension
from storytrace.model import unique_uids
from storytrace.schema import RAW_DOCUMENTS, REJECTS, SKIPPED

CONTENTS: Final = pa.schema([("path", pa.string()), ("content", pa.binary())])
"""What the engine hands :func:`read_files`: a file's path as the engine names it (see
:func:`path_key`) and its bytes."""

_PLACE = [("order", pa.int64()), ("seq", pa.int64())]
DOCS: Final = pa.schema(
    [*RAW_DOCUMENTS, ("order", pa.int64()), ("seq", pa.int64()), ("base", pa.string()),
     ("raw", pa.string())]
)  # fmt: skip
"""A file's documents before their ids are given: ``doc_id`` is the record's own or null,
``base`` its text's content id (for a record without id), ``raw`` the record."""
FILE_REJECTS: Final = pa.schema([*REJECTS, *_PLACE])
FILE_SKIPS: Final = pa.schema([*SKIPPED, *_PLACE])
FILES: Final = pa.schema([("order", pa.int64()), ("sha256", pa.string()), ("bytes", pa.int64())])
"""Each file's digest, taken from its bytes."""
OUTPUTS: Final = {"docs": DOCS, "rejects": FILE_REJECTS, "skips": FILE_SKIPS, "files": FILES}

ID_COLUMNS: Final = ("order", "seq", "doc_id", "base", "input", "record")
"""What :func:`assign_ids` reads of the documents."""
IDS: Final = pa.schema([*_PLACE, ("final_id", pa.string()), ("uid", pa.uint64())])
"""Each kept document's place and its id and uid."""
DUPLICATES: Final = pa.schema([*_PLACE, ("final_id", pa.string()), ("reason", pa.string())])
"""Each document rejected for a repeated id, with the reason."""


def path_key(path: str) -> str:
    """One spelling of a file's path for both sides: ``file:/a/b``, ``file:///a/b`` and
    ``/a/b`` are one local file; other URIs (``hdfs://``, ``s3a://``) stay as they are."""
    if path.startswith("file:"):
        path = "/" + path[len("file:") :].lstrip("/")
    return path


def is_remote(given: str | Path) -> bool:
    """An input named by a URI (``hdfs://``, ``s3a://``, ``file://``): the engine lists and
    reads it with its own file systems."""
    text = str(given)
    return "://" in text or text.startswith("file:")  # Hadoop lists as file:/a/b


def location(source: Source) -> str:
    """Where the engine reads the source's bytes, as :func:`path_key` spells it: the URI of
    a listed file, the absolute path of a local one."""
    if is_remote(source.input):
        return path_key(source.input)
    return os.path.abspath(source.path)


Listing = Callable[[str], list[tuple[str, int]]]
"""``list_files(uri)``: the files below a URI (or the URI itself), as ``(uri, size)``."""


@dataclass
class Plan:
    """The files to read, numbered in serial-read order, and what listing left out."""

    sources: list[tuple[int, Source]] = field(default_factory=list)
    found: list[tuple[int, Reject | Skipped]] = field(default_factory=list)
    digests: list[InputDigest] = field(default_factory=list)
    digest_of: dict[int, InputDigest] = field(default_factory=dict)

    def by_path(self) -> dict[str, list[tuple[int, Source]]]:
        """The sources of each file (a file given twice is read twice, as serially)."""
        table: dict[str, list[tuple[int, Source]]] = {}
        for order, source in self.sources:
            table.setdefault(location(source), []).append((order, source))
        return table


def plan(inputs: Sequence[str | Path], config: Config, list_files: Listing | None = None) -> Plan:
    """Number every file and every listing reject or skip as :func:`ingest` meets them. A
    local file that cannot be opened is a reject here, as it is in a serial read; a URI is
    listed with ``list_files`` (the engine's own listing)."""
    result = Plan()
    for given in inputs:
        found: Iterable[Source | Reject | Skipped]
        if is_remote(given):
            if list_files is None:
                raise ValueError(f"{given}: this engine reads local files only")
            listed = list_files(str(given))
            only = path_key(listed[0][0]) if len(listed) == 1 else None
            folder = only != path_key(str(given)).rstrip("/")
            found = _remote(str(given), listed, folder)
        else:
            folder = Path(given).is_dir()
            found = discover([given], config.follow_symlinks)
        digest = InputDigest(str(given), folder)
        result.digests.append(digest)
        for item in found:
            order = len(result.sources) + len(result.found)
            if isinstance(item, Source):
                problem = None if is_remote(given) else _unopenable(item.path)
                if problem is not None:
                    reason = f"cannot read file: {problem}"
                    digest.fail(item.input, reason)
                    result.found.append((order, Reject(item.input, 0, None, reason)))
                    continue
                source = replace(
                    item,
                    max_bytes=config.max_document_bytes,
                    max_decompressed=config.max_decompressed_bytes,
                )
                result.sources.append((order, source))
                result.digest_of[order] = digest
            else:
                if isinstance(item, Reject):
                    digest.fail(item.input, item.reason)
                result.found.append((order, item))
    return result


def _unopenable(path: Path) -> str | None:
    """Why a local file cannot be opened for reading (no permission ...), or None."""
    try:
        with path.open("rb"):
            return None
    except OSError as error:
        return error.strerror or str(error)


def _remote(given: str, listed: list[tuple[str, int]], folder: bool) -> Iterable[Source | Skipped]:
    """The files of a listed URI, in path order, with the skips a local folder would give
    for hidden and unknown files (the engine's listing may already leave hidden ones out)."""
    root = path_key(given).rstrip("/")
    for uri, _size in sorted(listed):
        key = path_key(uri)
        name = key[len(root) :].lstrip("/") if folder and key.startswith(root) else key
        parts = PurePosixPath(name).parts
        if folder and any(p.startswith(".") for p in parts):
            yield Skipped(uri, 0, "file", "hidden file")
            continue
        kind = KINDS.get(extension(Path(name)))
        if kind is None:
            if folder:
                ext = extension(Path(name))
                what = f"type {ext!r}" if ext else "no extension"
                yield Skipped(uri, 0, "file", f"unknown file type ({what})")
            continue
        yield Source(path=Path(uri), input=uri, name=name if folder else Path(name).name, kind=kind)


# -- in the tasks ------------------------------------------------------------------------------


def read_files(
    contents: pa.Table, config: Config, sources: Mapping[str, list[tuple[int, Source]]]
) -> dict[str, pa.Table]:
    """Read each file of ``contents`` (schema :data:`CONTENTS`) with the readers of its
    sources; the deferred rows of :data:`OUTPUTS`."""
    import hashlib

    found: dict[str, list[pa.Table]] = {name: [] for name in OUTPUTS}
    files: list[dict[str, Any]] = []
    for row in contents.to_pylist():
        data: bytes = row["content"]
        sha = hashlib.sha256(data).hexdigest()
        for order, source in sources.get(path_key(row["path"]), []):
            collector = Collector(config.text_field, deferred=True)
            ingest_file(replace(source, data=data, digest=None), config, collector)
            for name, table in collector.deferred_tables().items():
                column = pa.array([order] * table.num_rows, pa.int64())
                found[name].append(table.append_column("order", column))
            files.append({"order": order, "sha256": sha, "bytes": len(data)})
    result = {
        name: pa.concat_tables(tables).select(OUTPUTS[name].names).cast(OUTPUTS[name])
        if tables
        else OUTPUTS[name].empty_table()
        for name, tables in found.items()
        if name != "files"
    }
    result["files"] = pa.Table.from_pylist(files, schema=FILES)
    return result


# -- back in this process ---------------------------------------------------------------------


def assign_ids(ids: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The id rules over every document (``ids``: the :data:`ID_COLUMNS` of the deferred
    documents, any order), in input order: the kept documents' ids and uids (:data:`IDS`),
    and the documents rejected for a repeated id (:data:`DUPLICATES`)."""
    ids = ids.sort_by([("order", "ascending"), ("seq", "ascending")])
    registry = Ids()
    kept: dict[str, list[Any]] = {"order": [], "seq": [], "final_id": []}
    dropped: dict[str, list[Any]] = {"order": [], "seq": [], "final_id": [], "reason": []}
    for row in ids.to_pylist():
        doc_id, duplicate = registry.claim(row["doc_id"], row["base"], row["input"], row["record"])
        target = kept if duplicate is None else dropped
        target["order"].append(row["order"])
        target["seq"].append(row["seq"])
        target["final_id"].append(doc_id)
        if duplicate is not None:
            dropped["reason"].append(duplicate)
    uids = unique_uids(kept["final_id"])
    kept_table = pa.table({**kept, "uid": uids}, schema=IDS)
    return kept_table, pa.table(dropped, schema=DUPLICATES)


def rejects(plan_: Plan, found: pa.Table, duplicates: pa.Table) -> pa.Table:
    """Every reject in serial-read order: the listing's, and those of the files and of the
    repeated ids (``found`` and ``duplicates``, with their places; :data:`FILE_REJECTS`)."""
    listing = [
        {**asdict(item), "raw": "", "order": order, "seq": 0}
        for order, item in plan_.found
        if isinstance(item, Reject)
    ]
    parts = [pa.Table.from_pylist(listing, schema=FILE_REJECTS), found, duplicates]
    parts = [t.select(FILE_REJECTS.names).cast(FILE_REJECTS) for t in parts]
    table = pa.concat_tables(parts).sort_by([("order", "ascending"), ("seq", "ascending")])
    return table.select(REJECTS.names)


def skips(plan_: Plan, found: pa.Table) -> pa.Table:
    """Every skip in serial-read order: the listing's and the files' (``found``)."""
    listing = [
        {**asdict(item), "order": order, "seq": 0}
        for order, item in plan_.found
        if isinstance(item, Skipped)
    ]
    table = pa.concat_tables([pa.Table.from_pylist(listing, schema=FILE_SKIPS), found])
    table = table.sort_by([("order", "ascending"), ("seq", "ascending")])
    return table.select(SKIPPED.names)


def input_records(plan_: Plan, files: pa.Table) -> list[dict[str, Any]]:
    """The manifest's entry of each input, its files' digests folded in read order."""
    names = {order: source.name for order, source in plan_.sources}
    for row in files.sort_by("order").to_pylist():
        order = row["order"]
        plan_.digest_of[order].add_file(names[order], row["sha256"], row["bytes"])
    return [d.record() for d in plan_.digests]
