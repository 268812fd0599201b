"""Digests of the input files, taken from the bytes as the readers read them.

A run records the sha256 of each input so that its tables can be checked against the files
they came from. Hashing in a pass of its own would read a large collection twice; here
each file is opened through :class:`HashingFile`, which hashes the bytes the reader takes,
in file order, whatever the reader does: a peek at the first bytes and a seek back (gzip
detection), a seek to the end (a Parquet footer), or a stop before the end (a truncated
file). Bytes skipped or never read are hashed from the file with ``pread``, so the digest
is always that of the whole file, without moving the reader.

A folder's digest is the sha256 of its files' digests in ingest's order, each with its
path inside the folder (``name NUL sha256-hex LF`` per file), so a renamed, changed or
added file changes it. Each file is hashed on its own, so that the files of a folder can
be read and hashed in parallel (the Spark engine's tasks) and give the same digest.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from typing import Any, BinaryIO

_BLOCK = 1 << 20


@dataclass
class InputDigest:
    """The running digest of one input (a file, or a folder of files)."""

    path: str
    folder: bool
    files: int = 0
    size: int = 0
    error: str | None = None
    _sha: Any = field(default_factory=hashlib.sha256, repr=False)
    _file: Any = field(default=None, repr=False)
    _name: str = ""

    def start_file(self, name: str) -> None:
        """The next file of the input; its bytes follow (:meth:`update`)."""
        self._end_file()
        self._name = name
        self._file = hashlib.sha256()

    def update(self, data: bytes | memoryview) -> None:
        self._file.update(data)
        self.size += len(data)

    def add_file(self, name: str, sha256: str, size: int) -> None:
        """A file of the input hashed elsewhere (by a Spark task): its name, digest, size."""
        self._end_file()
        self.size += size
        self._fold(name, sha256)

    def _end_file(self) -> None:
        if self._file is not None:
            self._fold(self._name, self._file.hexdigest())
            self._file = None

    def _fold(self, name: str, sha256: str) -> None:
        self.files += 1
        if self.folder:
            self._sha.update(f"{name}\0{sha256}\n".encode())
        else:
            self._sha = _Done(sha256)

    def fail(self, where: str, reason: str) -> None:
        """The input could not be read (the first reason is kept)."""
        if self.error is None:
            inside = f"{where}: " if where != self.path else ""  # a file inside a folder
            self.error = inside + reason

    def record(self) -> dict[str, Any]:
        """The manifest's entry for this input."""
        self._end_file()
        if self.error is not None:
            return {"path": self.path, "error": self.error}
        return {
            "path": self.path,
            "files": self.files,
            "bytes": self.size,
            "sha256": self._sha.hexdigest(),
        }


@dataclass(frozen=True)
class _Done:
    """The digest of a single-file input: the file's own sha256, as ``sha256sum`` gives."""

    value: str

    def hexdigest(self) -> str:
        return self.value


class HashingFile(io.RawIOBase):
    """A read-only file that feeds every byte of ``raw``, once and in order, to ``digest``."""

    def __init__(self, raw: BinaryIO, digest: InputDigest) -> None:
        super().__init__()
        self._raw = raw
        self._digest = digest
        self._hashed = 0
        self._fd = raw.fileno()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def readinto(self, buffer: Any) -> int:
        start = self._raw.tell()
        view = memoryview(buffer).cast("B")
        n = self._raw.readinto(view)  # type: ignore[attr-defined]
        if n:
            self._catch_up(start)
            end = start + n
            if end > self._hashed:
                self._digest.update(view[self._hashed - start : n])
                self._hashed = end
        return int(n or 0)

    def _catch_up(self, upto: int) -> None:
        """Hash the bytes between what was hashed and ``upto`` (skipped by a seek)."""
        while self._hashed < upto:
            block = os.pread(self._fd, min(_BLOCK, upto - self._hashed), self._hashed)
            if not block:
                return
            self._digest.update(block)
            self._hashed += len(block)

    def finish(self) -> None:
        """Hash what the reader left unread, up to the end of the file."""
        while block := os.pread(self._fd, _BLOCK, self._hashed):
            self._digest.update(block)
            self._hashed += len(block)
