"""What the format readers hand to the collector: candidates, rejects and skipped items.

Every reader (JSONL, CSV, Parquet, text files, Reuters SGML) only knows how to cut its format
into records. Deciding whether a record becomes a document (text present, id unique, date
readable) happens once, in :mod:`storytrace.ingest.collect`, so that every format obeys the
same rules and names problems with the same words. The readers therefore yield these small
value objects and never raise for bad data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Final, Literal

from storytrace.ingest.decode import Codec, without_surrogates

MAX_RAW_CHARS: Final = 10_000
"""Rejects keep the raw record so a person can see what was wrong, but a multi-megabyte
record would bloat ``rejects.parquet``: the first 10,000 characters are enough to judge."""


class _Missing:
    """Marks a field that is absent, as opposed to present with the value null.

    "missing text field 'text'" (the input is shaped wrongly, e.g. a renamed column) and
    "text is null" (one record has no text) call for different fixes, so they are kept apart.
    """

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


class LongNumber(str):
    """A JSON integer longer than Python converts (4,300 digits), kept as its digits so the
    record survives; as an id it is its digits, as a text it is still a number."""


RawText = str | Callable[[], str]
"""The raw record, or a function producing it: building the raw form of a CSV row or a
Parquet row costs time and is only needed for the few records that are rejected."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record cut out of an input, with its field values as the format gave them.

    Values are untyped on purpose (a JSON id may be a number, a Parquet date a datetime):
    :mod:`storytrace.ingest.fields` turns them into the column types in one place.
    """

    input: str
    record: int
    doc_id: object
    text: object
    raw: RawText
    title: object = None
    url: object = None
    source: object = None
    published: object = None
    site: object = None
    raw_digest: str | None = None
    fetched: object = None
    encoding: str | None = None
    encoding_guessed: bool = False


@dataclass(frozen=True, slots=True)
class Reject:
    """A record (or, with ``record == 0``, a whole file) that did not become a document."""

    input: str
    record: int
    doc_id: str | None
    reason: str
    raw: RawText = ""


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something read and deliberately left out without being an error.

    Files of unknown type inside a folder and Reuters briefs (items with a title but no body)
    are expected in real collections; rejecting them would bury real problems in noise, but
    counting them by ``reason`` lets a run report say how much of the input was not used and
    why. Reasons are short fixed phrases (no record numbers), so that counts group well.
    """

    input: str
    record: int
    what: Literal["file", "item"]
    reason: str


Item = Candidate | Reject | Skipped
"""What every format reader yields."""


def with_codec(item: Item, codec: Codec | None) -> Item:
    """The item, a candidate carrying how its bytes were decoded."""
    if codec is None or not isinstance(item, Candidate):
        return item
    return replace(item, encoding=codec.encoding, encoding_guessed=codec.guessed)


def resolve_raw(raw: RawText) -> str:
    """The raw record as a string, cut to :data:`MAX_RAW_CHARS`; lone surrogates (a JSON
    ``\\ud800`` escape) become U+FFFD, since a reject must be storable whatever it held."""
    text = (raw() if callable(raw) else raw)[:MAX_RAW_CHARS]
    return without_surrogates(text)


def raw_bytes(data: bytes) -> str:
    """Show undecodable bytes readably: ASCII as is, everything else as ``\\xNN`` escapes.

    Only the head is decoded, since the result is cut to :data:`MAX_RAW_CHARS` anyway and a
    binary file can be large.
    """
    return data[:MAX_RAW_CHARS].decode("utf-8", errors="backslashreplace")


def raw_json(row: Mapping[str, object]) -> str:
    """A row of a table (CSV, Parquet) shown as one JSON object, for the ``raw`` column."""
    return json.dumps(row, ensure_ascii=False, default=str)


def content_id(text: str) -> str:
    """A stable id for a record that has none: the same text always gets the same id.

    Re-running on the same input must give the same ids so that results can be compared
    between runs. Identical id-less texts share this base id; the collector numbers the
    repeats so that every copy stays a document.
    """
    digest = hashlib.sha1(text.encode("utf-8", errors="surrogatepass")).hexdigest()
    return "sha1-" + digest[:16]


def candidate_from_mapping(
    row: Mapping[str, object],
    *,
    id_field: str,
    text_field: str,
    input: str,
    record: int,
    raw: RawText,
) -> Candidate:
    """Pick the known fields out of a JSON object, a CSV row or a Parquet row.

    The three tabular formats share field names, so they share this mapping; the id and text
    field names come from the config because collections name them differently.
    """
    return Candidate(
        input=input,
        record=record,
        doc_id=row.get(id_field),
        text=row.get(text_field, MISSING),
        raw=raw,
        title=row.get("title"),
        url=row.get("url"),
        source=row.get("source"),
        published=row.get("published"),
        site=row.get("site"),
    )
