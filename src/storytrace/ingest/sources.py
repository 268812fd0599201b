"""Find the input files and open them, reading gzip transparently.

Inputs are given as files or folders. A folder is a collection: it is walked recursively in
sorted order (so that a run never depends on the order the file system lists entries), hidden
files and folders are skipped (editor backups, ``.git``), and files of unknown type are skipped
because collections carry readme files and licences; each skip is counted with its reason. A
file named explicitly is a request, so an unknown type is reported as a reject instead.

Only regular files are read. A FIFO, a device or a socket inside a collection would hang the
run or feed it endless bytes (``/dev/zero``); a symbolic link leading out of the given folder
(to ``/etc/passwd``) would read what the user never gave. Both are skipped with their reason
(links out of the folder are followed only with ``Config.follow_symlinks``), and the file is
checked again once open, so that swapping it for a FIFO in between changes nothing.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Final, Literal, cast

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
    max_bytes: int = 8 * 2**20
    """``Config.max_document_bytes``: the largest record a reader accepts from this file."""
    max_decompressed: int = 16 * 2**30
    """``Config.max_decompressed_bytes``: how far a gzip-compressed file may expand."""
    data: bytes | None = field(default=None, compare=False, repr=False)
    """The file's bytes, when they were read already (by Spark, from wherever the input
    lives): the readers then read these instead of opening ``path``."""


class TooLargeError(ValueError):
    """A file or record over a configured size; the message names the limit to raise."""


def size_limit_reason(what: str, limit: int, setting: str) -> str:
    """The one wording of every size reject: what was too large, the limit and its setting."""
    return f"{what} is over {_bytes_text(limit)} ({setting})"


def _bytes_text(size: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


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


def _file_kind(mode: int) -> str | None:
    """What a non-regular file is, for its skip or reject reason; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _why_not_read(path: Path, folder: Path, follow_symlinks: bool) -> str | None:
    """Why a file found in ``folder`` is not read, or None when it is read."""
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not follow_symlinks and not target.is_relative_to(folder.resolve()):
                return "symbolic link to a file outside the input folder"
        kind = _file_kind(path.stat().st_mode)
    except (OSError, RuntimeError):  # a dangling link, or a loop of links
        return "symbolic link that leads nowhere"
    return None if kind is None else f"not a regular file ({kind})"


def _walk(folder: Path) -> tuple[list[Path], list[Skipped], list[OSError]]:
    """All files below ``folder``, relative to it, sorted by path components; the hidden
    files and folders and the links to folders left out, each as a skip; and the errors of
    the folders that could not be listed (``os.walk`` would skip them silently)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        base = Path(root)
        kept = []
        for name in dirs:
            if _hidden(name):
                skipped.append(Skipped(str(base / name), 0, "file", "hidden folder"))
            elif (base / name).is_symlink():
                reason = "symbolic link to a folder (not followed)"
                skipped.append(Skipped(str(base / name), 0, "file", reason))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in files:
            if _hidden(name):
                skipped.append(Skipped(str(base / name), 0, "file", "hidden file"))
            else:
                found.append((base / name).relative_to(folder))
    found.sort(key=lambda rel: rel.parts)
    skipped.sort(key=lambda skip: skip.input)
    errors.sort(key=lambda error: str(error.filename))
    return found, skipped, errors


def _folder_reject(error: OSError, fallback: Path) -> Reject:
    """A folder that cannot be listed (no permission): its articles are missing from the run,
    and the reject says which folder and why."""
    where = str(error.filename) if error.filename else str(fallback)
    reason = f"cannot read folder: {error.strerror or error}"
    return Reject(input=where, record=0, doc_id=None, reason=reason)


def discover(
    inputs: Sequence[str | Path], follow_symlinks: bool = False
) -> Iterator[Source | Reject | Skipped]:
    """The files to read, in order, plus rejects for bad inputs (missing, not a regular file,
    a folder that cannot be listed) and skips, with their reasons, for what a folder holds but
    storytrace does not read."""
    for given in inputs:
        top = Path(given)
        if top.is_dir():
            files, skipped, errors = _walk(top)
            for error in errors:
                yield _folder_reject(error, top)
            yield from skipped
            for rel in files:
                path = top / rel
                kind = KINDS.get(extension(path))
                why = _why_not_read(path, top, follow_symlinks)
                if why is not None:
                    yield Skipped(str(path), 0, "file", why)
                elif kind is None:
                    what = f"type {extension(path)!r}" if extension(path) else "no extension"
                    yield Skipped(str(path), 0, "file", f"unknown file type ({what})")
                else:
                    yield Source(path=path, input=str(path), name=rel.as_posix(), kind=kind)
        elif top.exists():
            ext = extension(top)
            kind = KINDS.get(ext)
            special = _file_kind(top.stat().st_mode)
            if special is not None:
                reason = f"not a regular file ({special}): save it to a file first"
                yield Reject(input=str(given), record=0, doc_id=None, reason=reason)
            elif kind is None:
                reason = f"unsupported file type {ext!r}" if ext else "file has no extension"
                yield Reject(input=str(given), record=0, doc_id=None, reason=reason)
            else:
                yield Source(path=top, input=str(given), name=top.name, kind=kind)
        else:
            yield Reject(input=str(given), record=0, doc_id=None, reason="no such file or folder")


@contextmanager
def open_raw(source: Source, hashed: bool = True) -> Iterator[BinaryIO]:
    """Open the source's file for reading its bytes as they are on disk; unless ``hashed``
    is false, they are hashed into the source's digest as they are read (and the rest when
    the reader stops). Bytes already read (``source.data``) are read from memory."""
    if source.data is not None:
        yield cast(BinaryIO, io.BufferedReader(io.BytesIO(source.data)))
        return
    descriptor = os.open(source.path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb", buffering=0) as raw:
        special = _file_kind(os.fstat(descriptor).st_mode)
        if special is not None:
            raise OSError(f"not a regular file ({special})")
        if source.digest is None or not hashed:
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
                bounded = _Bounded(unzipped, source.max_decompressed)
                yield cast(BinaryIO, io.BufferedReader(bounded, buffer_size=1 << 16))
        elif is_gzip_name(source.path):
            raise gzip.BadGzipFile("the file is named .gz but is not gzip-compressed")
        else:
            yield raw


class _Bounded(io.RawIOBase):
    """A decompressed stream that raises :class:`TooLargeError` past ``limit`` bytes."""

    def __init__(self, stream: gzip.GzipFile, limit: int) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # read1: one step of decompression at a time, so that a stream cut short gives every
        # byte before the cut before it raises (read(n) would drop the bytes of that call)
        data = self._stream.read1(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            what = "the decompressed file"
            raise TooLargeError(size_limit_reason(what, self._limit, "max_decompressed_bytes"))
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def read_bytes(source: Source) -> bytes:
    """The whole (decompressed) content of a file holding one record (a text file, a page),
    up to ``source.max_bytes``; :class:`TooLargeError` for a larger one, after reading only
    one byte more than the limit."""
    with open_binary(source) as stream:
        data = stream.read(source.max_bytes + 1)
    if len(data) > source.max_bytes:
        raise TooLargeError(size_limit_reason("the file", source.max_bytes, "max_document_bytes"))
    return data
