"""Turn the loosely typed field values of the input formats into the column types.

JSON gives numbers where strings were meant, CSV gives strings for everything, Parquet gives
datetimes and integers. The rules here are deliberately forgiving for the optional fields (an
unreadable date becomes null rather than losing the article) and strict only for the text,
without which there is nothing to compare.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Final
from urllib.parse import urlsplit

from storytrace.ingest.decode import not_text_share, without_surrogates
from storytrace.ingest.records import MISSING, LongNumber

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
MIN_UNIX_SECONDS: Final = 1e8
"""Smallest number read as Unix seconds: 1e8 is 3 March 1973, years before any article in a
digital corpus, and far above any year or day count."""
_MAX_SECONDS: Final = (datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH).total_seconds()
_NUMBER: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def to_micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch; a naive datetime is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _seconds_to_micros(seconds: float) -> int | None:
    """Unix seconds as microseconds; None for numbers that are not plausibly timestamps.

    Below :data:`MIN_UNIX_SECONDS` a number is a year (2017), a day count or a serial number
    rather than a time: read as seconds it would date the article in the first days of 1970.
    """
    if not math.isfinite(seconds) or not MIN_UNIX_SECONDS <= seconds <= _MAX_SECONDS:
        return None
    return to_micros(_EPOCH + timedelta(seconds=seconds))


def _rfc2822_micros(text: str) -> int | None:
    """E-mail style dates ("Sat, 30 Sep 2017 10:00:00 GMT"), as RSS feeds and HTTP headers
    give them."""
    try:
        return to_micros(parsedate_to_datetime(text))
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def parse_published(value: object) -> int | None:
    """Publication time as microseconds since the epoch (UTC), or None when unreadable.

    Accepts ISO 8601 strings (date only, with or without time and zone, ``Z``), RFC 2822
    strings ("Sat, 30 Sep 2017 10:00:00 GMT"), numbers from 1e8 up as Unix seconds (also as
    strings, since CSV has no numbers), datetimes and dates. A smaller number, such as a bare
    year, gives None: it is too coarse to order articles, and null sorts last in a story. Dates
    are optional metadata: a bad one must never cost a document, so every failure gives None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return to_micros(value)
    if isinstance(value, date):
        return to_micros(datetime(value.year, value.month, value.day))
    if isinstance(value, int | float):
        try:
            return _seconds_to_micros(float(value))
        except OverflowError:  # an integer beyond any float: no time
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        # ISO first: "20170930" is far more likely a basic-format date than a 1970 timestamp.
        return to_micros(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        pass
    if _NUMBER.fullmatch(text):
        return _seconds_to_micros(float(text))
    return _rfc2822_micros(text)


def clean_string(value: str) -> str:
    """Make a string storable: lone surrogates (from JSON ``\\ud800`` escapes) cannot be
    encoded as UTF-8 and would make Arrow fail, so they become U+FFFD."""
    return without_surrogates(value)


def normalise_id(value: object) -> str | None:
    """The id as a string, or None when the record has none (missing, null, blank).

    Numeric ids become their decimal form (JSON ``12`` and ``12.0`` both give ``"12"``) so the
    same article keeps the same id whichever format it came in.
    """
    if value is None or value is MISSING:
        return None
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    text = clean_string(text.strip())
    return text or None


def optional_string(value: object) -> str | None:
    """Title, url and source: any value as a string; blanks become null, not ``""``."""
    if value is None or value is MISSING:
        return None
    text = value if isinstance(value, str) else str(value)
    if not text.strip():
        return None
    return clean_string(text)


def site_of(url: str | None) -> str | None:
    """The site of a url: its host name, lower-cased, without a leading ``www.``.

    Pages of one site share a template (menus, footers, sign-up boxes); corpus-level
    boilerplate detection counts recurring lines per site, so ``www.nytimes.com`` and
    ``nytimes.com`` must be one site. A url without a host (a relative path, garbage) gives
    None, and its document is counted with the whole corpus.

    >>> site_of("https://www.VOAnews.com/a/story.html")
    'voanews.com'
    """
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.") or None


def check_text(value: object, text_field: str) -> tuple[str | None, str | None]:
    """Return ``(text, None)`` for usable text or ``(None, reason)`` for a reject.

    NUL characters are replaced by spaces rather than rejected: they come from careless
    exports and tell nothing about the article, while downstream tools (C strings, terminals)
    choke on them.
    """
    if value is MISSING:
        return None, f"missing text field {text_field!r}"
    if value is None:
        return None, "text is null"
    if isinstance(value, LongNumber):
        return None, "text is not a string (found a number)"
    if not isinstance(value, str):
        return None, f"text is not a string (found {type(value).__name__})"
    if not value:
        return None, "text is empty"
    text = clean_string(value).replace("\x00", " ")
    if text.isspace():
        return None, "text is only whitespace"
    problem = not_language(text)
    if problem is not None:
        return None, f"text is not language: {problem}"
    return text, None


_BLOB: Final = re.compile(r"[A-Za-z0-9+/=_-]{64,}")
_MIXED: Final = re.compile(r"[0-9][^0-9]*?[A-Za-z]|[A-Za-z][^A-Za-z]*?[0-9]")
_ASCII_SYMBOLS: Final = bytes(c for c in range(0x21, 0x7F) if not chr(c).isalnum())
_BLOB_RUN: Final = 64
_BINARY_SHARE: Final = 0.05
"""Binary data read as text is full of control, replacement and private-use characters (a
tenth or more); a real article has none, or a few stray ones from a careless export, which
must not cost it (NUL is already a space here)."""
_JUDGED_SIZE: Final = 20
"""A few characters ("{", "--") say too little to be called symbol soup."""
_SAMPLE_CHARS: Final = 5_000
"""The head of a text shows what it is, and checking only it bounds the cost per document."""
_SPACED_TOKENS: Final = 20
_SPACED_SHARE: Final = 0.9
_MIN_ALNUM_SHARE: Final = 0.25
_BLOB_SHARE: Final = 0.5


def not_language(text: str) -> str | None:
    """What shows ``text`` is not written language, or None when it may be.

    Binary data (over 5% control characters), and three shapes of decoded-but-meaningless
    input, each with a wide margin to every real
    article and page of the bundled corpora (BBC, Reuters-21578, the extraction benchmark and
    L3S-GN1, 22,700 texts, Japanese and Portuguese pages included):
    - letter-spaced text, as UTF-16 read byte by byte gives ("I n d u s t r i a l"): at least
      20 tokens and 90% of them one character long (real texts: at most 60%, a Portuguese
      results table);
    - symbol soup: over 75% of the non-space characters ASCII punctuation (real texts: at
      most 57%, Reuters weather tables);
    - encoded data (base64, hex): half the text in unbroken runs of 64+ ASCII letters and
      digits that hold both (no real text has one; CJK runs are not ASCII).
    """
    head = text[:_SAMPLE_CHARS]
    if not_text_share(head) > _BINARY_SHARE:
        return "it is binary data (control or replacement characters)"
    lengths = list(map(len, head.split()))
    size = sum(lengths)
    if len(lengths) >= _SPACED_TOKENS and lengths.count(1) >= _SPACED_SHARE * len(lengths):
        return "its characters are spaced apart (a UTF-16 file read as single bytes?)"
    ascii_head = head.encode("ascii", "ignore")
    symbols = len(ascii_head) - len(ascii_head.translate(None, _ASCII_SYMBOLS))
    if size >= _JUDGED_SIZE and symbols > (1 - _MIN_ALNUM_SHARE) * size:
        return "it is mostly symbols"
    if not lengths or max(lengths) < _BLOB_RUN:
        return None
    blobs = sum(len(run) for run in _BLOB.findall(head) if _MIXED.search(run))
    if blobs >= _BLOB_SHARE * size:
        return "it is encoded data (base64 or hex)"
    return None
