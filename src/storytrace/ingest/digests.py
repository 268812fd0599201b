"""Digests of the input files, taken from the bytes as the readers read them.

A run records the sha256 of each input so that its tables can be checked against the files
they came from. Hashing in a pass of its own would read a large collection twice; here
each file is opened through :class:`HashingFile`, which hashes the bytes the reader takes,
in file order, whatever the reader does: a peek at the first bytes and a seek back (gzip
detection), a seek to the end (a Parquet footer), or a stop before the end (a truncated
file). Bytes skipped or never read are hashed from the file with ``pread``, so the digest
is always that of the whole file, without moving the reader.

A folder's digest covers its readable files in ingest's order, each preceded by its path
inside the folder, so a renamed or added file changes it.
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

    def start_file(self, name: str) -> None:
        """The next file of the input; its bytes follow."""
        self.files += 1
        if self.folder:
            self._sha.update(name.encode() + b"\0")

    def update(self, data: bytes | memoryview) -> None:
        self._sha.update(data)
        self.size += len(data)

    def fail(self, where: str, reason: str) -> None:
        """The input could not be read (the first reason is kept)."""
        if self.error is None:
            inside = f"{where}: " if where != self.path else ""  # a file inside a folder
            self.error = inside + reason

    def record(self) -> dict[str, Any]:
        """The manifest's entry for this input."""
        if self.error is not None:
            return {"path": self.path, "error": self.error}
        return {
            "path": self.path,
            "files": self.files,
            "bytes": self.size,
            "sha256": self._sha.hexdigest(),
        }


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
