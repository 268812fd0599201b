"""Find the input files and open them, reading gzip transparently.

Inputs are given as files or folders. A folder is a collection: it is walked recursively in
sorted order (so that a run never depends on the order the file system lists entries), hidden
files and folders are skipped (editor backups, ``.git``), and files of unknown type are skipped
quietly because collections carry readme files and licences. A file named explicitly is a
request, so an unknown type is reported as a reject instead.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final, Literal, cast

from storytrace.ingest.digests import HashingFile, InputDigest
from storytrace.ingest.records import Reject, Skipped

Kind = Literal["text", "jsonl", "csv", "parquet", "sgml", "html", "warc"]

KINDS: Final[dict[str, Kind]] = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".sgm": "sgml",
    ".sgml": "sgml",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
}
"""File extension (after removing ``.gz``) to reader."""

GZIP_MAGIC: Final = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Source:
    """One input file and how to read it.

    ``input`` is the path as the user gave it or as it was reached from the given folder; it
    is what rejects and documents report, so that a person can find the file again.
    ``name`` is the path relative to the given folder (or the file name of a file given
    directly): text files use it as their document id, stable wherever the folder lives.
    """

    path: Path
    input: str
    name: str
    kind: Kind
    digest: InputDigest | None = field(default=None, compare=False)
    """Where the bytes read from the file are hashed (see :mod:`storytrace.ingest.digests`)."""


def extension(path: Path) -> str:
    """The extension that decides the format: ``a.jsonl.gz`` -> ``.jsonl``."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


def is_gzip_name(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path) -> tuple[list[Path], list[OSError]]:
    """All visible files below ``folder``, relative to it, sorted by path components, and the
    errors of the folders that could not be listed (``os.walk`` would skip them silently)."""
    found: list[Path] = []
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        base = Path(root).relative_to(folder)
        found.extend(base / f for f in files if not _hidden(f))
    found.sort(key=lambda rel: rel.parts)
    errors.sort(key=lambda error: str(error.filename))
    return found, errors


def _folder_reject(error: OSError, fallback: Path) -> Reject:
    """A folder that cannot be listed (no permission): its articles are missing from the run,
    and the reject says which folder and why."""
    where = str(error.filename) if error.filename else str(fallback)
    reason = f"cannot read folder: {error.strerror or error}"
    return Reject(input=where, record=0, doc_id=None, reason=reason)


def discover(inputs: Sequence[str | Path]) -> Iterator[Source | Reject | Skipped]:
    """The files to read, in order, plus rejects for bad inputs (missing, or a folder that
    cannot be listed) and skips for unknown types."""
    for given in inputs:
        top = Path(given)
        if top.is_dir():
            files, errors = _walk(top)
            for error in errors:
                yield _folder_reject(error, top)
            for rel in files:
                path = top / rel
                kind = KINDS.get(extension(path))
                if kind is None:
                    yield Skipped(input=str(path), record=0, what="file")
                else:
                    yield Source(path=path, input=str(path), name=rel.as_posix(), kind=kind)
        elif top.exists():
            ext = extension(top)
            kind = KINDS.get(ext)
            if kind is None:
                reason = f"unsupported file type {ext!r}" if ext else "file has no extension"
                yield Reject(input=str(given), record=0, doc_id=None, reason=reason)
            else:
                yield Source(path=top, input=str(given), name=top.name, kind=kind)
        else:
            yield Reject(input=str(given), record=0, doc_id=None, reason="no such file or folder")


@contextmanager
def open_raw(source: Source) -> Iterator[BinaryIO]:
    """Open the source's file for reading its bytes as they are on disk; they are hashed
    into the source's digest as they are read (and the rest when the reader stops)."""
    with source.path.open("rb", buffering=0) as raw:
        if source.digest is None:
            yield cast(BinaryIO, io.BufferedReader(raw))
            return
        source.digest.start_file(source.name)
        hashing = HashingFile(raw, source.digest)
        try:
            yield cast(BinaryIO, io.BufferedReader(hashing, buffer_size=1 << 16))
        finally:
            hashing.finish()


@contextmanager
def open_binary(source: Source) -> Iterator[BinaryIO]:
    """Open the source's file for reading bytes, decompressing gzip.

    Gzip is recognised by its magic bytes as well as by name, because downloaded files often
    lose or gain the ``.gz`` suffix. A ``.gz`` name without the magic bytes is a broken file
    and raises, so that it is reported instead of being read as garbage.
    """
    with open_raw(source) as raw:
        head = raw.peek(2)[:2] if isinstance(raw, io.BufferedReader) else b""
        if head == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield cast(BinaryIO, unzipped)
        elif is_gzip_name(source.path):
            raise gzip.BadGzipFile("the file is named .gz but is not gzip-compressed")
        else:
            yield raw


def read_bytes(source: Source) -> bytes:
    """The whole (decompressed) content of the source's file, for formats read in one piece."""
    with open_binary(source) as stream:
        return stream.read()
