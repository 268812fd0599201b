"""What a bad input is and what ingest must make of it.

A case is a small folder of files written from known good articles, each file carrying the
outcome a demanding user expects: which records must become documents (with which text),
which must be rejects, and which may go either way. The checker
(:mod:`bench.bad_inputs.check`) holds ingest to these expectations, so every case states
them explicitly instead of leaving "did something sensible" to judgement.

Example::

    >>> Expected(documents={1: "text"}, rejects=frozenset({2})).listed()
    frozenset({1, 2})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["records", "skipped", "refused", "unread"]
"""What must happen to one file:

``records``: it is read and its records meet :class:`Expected`;
``skipped``: it is left out on purpose and counted in ``skipped_files`` (hidden files,
unknown extensions inside a folder), never a document or a reject;
``refused``: it must not be read (a FIFO, a symlink leaving the folder or looping): a
file-level reject (record 0) or a skipped file, never a document;
``unread``: it must not be read (files inside a hidden folder); no count is demanded."""


@dataclass(frozen=True)
class Expected:
    """The records of one file by record number, as ingest numbers them.

    ``documents`` maps a record to the text its document must have (after the tool's
    documented normalisation: NUL becomes a space, a lone surrogate U+FFFD, a leading BOM
    is dropped). ``rejects`` must be rejects; record 0 is the whole file. ``either`` may be
    a document or a reject (a size limit may refuse a 2 MB line; both are honest). When
    ``closed``, no other record may appear; otherwise others may, and ``garbage`` says
    whether they may be documents (False for random bytes: garbage must not be accepted).
    ``contains`` compares documents by containment of the text after folding whitespace,
    for HTML, whose extractor rewraps paragraphs. ``skipped_items`` is how many items (Reuters
    briefs, non-page WARC records) must be counted as skipped; None when unknown.
    """

    documents: Mapping[int, str] = field(default_factory=dict)
    rejects: frozenset[int] = frozenset()
    either: frozenset[int] = frozenset()
    closed: bool = True
    garbage: bool = True
    contains: bool = False
    skipped_items: int | None = 0

    def listed(self) -> frozenset[int]:
        """Every record number this expectation names."""
        return frozenset(self.documents) | self.rejects | self.either


OUTSIDE = "@outside"


@dataclass(frozen=True)
class Entry:
    """One thing in a case folder: a file's bytes, a symlink, a FIFO or a folder.

    ``link`` is a symlink's target; :data:`OUTSIDE` as target writes ``data`` to a file
    outside the case folder and links to it.
    """

    path: str
    data: bytes = b""
    expected: Expected = field(default_factory=Expected)
    outcome: Outcome = "records"
    link: str | None = None
    fifo: bool = False
    folder: bool = False


@dataclass(frozen=True)
class Case:
    """One bad input: its kind, its entries, and how it must be run.

    ``isolated`` cases (FIFOs, /dev/zero, gzip bombs) run in a subprocess with a timeout
    and a memory cap, so that a hang or a blow-up fails the case instead of the run.
    ``direct`` cases give their single file to ingest by name rather than inside a folder,
    which changes what an unknown extension means (a request, hence a reject).
    """

    number: int
    kind: str
    entries: tuple[Entry, ...]
    isolated: bool = False
    direct: bool = False

    @property
    def folder(self) -> str:
        """The case's folder below the kind's folder."""
        return f"{self.number:06d}"

    def inputs(self) -> int:
        """How many input files the case holds (what "10,000 bad inputs" counts)."""
        return sum(1 for entry in self.entries if not entry.folder) or 1
