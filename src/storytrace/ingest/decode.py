"""Bytes to text: UTF-8 when it is UTF-8, the right legacy encoding when not, else nothing.

News collections mix encodings: old wire archives are Latin-1, scraped pages are often
Windows-1252 mislabelled as anything, and some files are simply broken. A wrong guess is not
harmless: read as Central European, "£600m" becomes "Ł600m", and a figure a fact-checker
compares is gone. Accepting binary garbage as text would put noise into every later stage,
so a guessed decode must also *look like text* to be accepted.

The order (see :func:`decode_bytes`): a byte-order mark; BOM-less UTF-16/32 by its zero
bytes; UTF-8, also with a few stray cp1252 bytes; Windows-1252 when the text reads as a
Western language; and only then charset-normalizer, which on its own misreads 38% of the BBC
articles with a "£" re-encoded as cp1252 (``python -m bench.decoding``), and whose guesses of
BOM-less UTF-16 for short byte strings are not taken.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, Final, NamedTuple, cast

import charset_normalizer

UNDECODABLE: Final = "undecodable bytes: not UTF-8 and no text encoding fits"
"""The reject reason for bytes that no encoding reads as text, in every format."""

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one."""

_WESTERN: Final = "cp1252"
_NOT_TEXT: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
"""Control characters (C0 other than whitespace, C1), replacement and private-use
characters: rare in real text, frequent when binary data is read as a legacy encoding."""
_MAX_NOT_TEXT_SHARE: Final = 0.01
_SURROGATES: Final = re.compile("[\ud800-\udfff]")
_CHECKED_CHARS: Final = 200_000
_CHAOS_MARGIN: Final = 0.1
"""Guesses whose chaos is within this of the tidiest are treated as equally tidy."""
_UTF16_SAMPLE: Final = 4096
_TRANSCODE_CHUNK: Final = 1 << 16
_FEW_ZEROS: Final = 0.05
"""BOM-less UTF-16: the text lane has under 5% zero bytes (a Latin-script character's low
byte is never zero), the other lane over 80% (some characters are outside ASCII)."""
_LETTER_RUN: Final = re.compile(r"[^\W\d_]+")
_RARE_WESTERN: Final = re.compile("[ðþýÐÞÝ]")
_IN_WORD_SYMBOL: Final = re.compile(
    r"(?<=[^\W\d_])[^\w\s\x00-\x7f\u2018\u2019\u2013\u2014\xb7\xad](?=[^\W\d_])"
)
"""A non-ASCII symbol between two letters ("og³osi³"); curly quotes, dashes, the middle dot
and the soft hyphen are at home inside Western words ("don\u2019t")."""
_FOREIGN_WORD_SHARE: Final = 0.1
_IN_WORD_SYMBOLS_PER_LETTER: Final = 0.0005


class Decoded(NamedTuple):
    """Text decoded from bytes, the codec used, and whether the codec was a guess (True for
    everything but valid UTF-8 and a byte-order mark)."""

    text: str
    encoding: str
    guessed: bool


def not_text_share(text: str) -> float:
    """The share of the characters no real text is made of (0 for an empty text).

    Only the head of a long text is counted: a binary file shows itself at once, and checking
    megabytes of an article collection would cost time for nothing.
    """
    sample = text[:_CHECKED_CHARS]
    return len(_NOT_TEXT.findall(sample)) / len(sample) if sample else 0.0


def looks_like_text(text: str) -> bool:
    """True when at most 1% of the characters are ones no real text is made of: the test a
    guessed decode must pass."""
    return not_text_share(text) <= _MAX_NOT_TEXT_SHARE


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (a JSON ``\\ud800`` escape, bytes written with
    surrogatepass) as U+FFFD: they cannot be encoded as UTF-8, and Arrow refuses them."""
    if text.isascii() or not _SURROGATES.search(text):
        return text
    return _SURROGATES.sub("\ufffd", text)


MIXED: Final = "utf-8+cp1252"
"""The name :func:`decode_bytes` gives UTF-8 with stray Windows-1252 bytes; ``decode_as``
reads it like a codec name."""


def decode_as(data: bytes, encoding: str) -> str | None:
    """``data`` in ``encoding`` (a codec name or :data:`MIXED`), or None if it does not fit."""
    try:
        if encoding == MIXED:
            return data.decode("utf-8", "storytrace-western")
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _detect(data: bytes) -> tuple[str, str] | None:
    """Ask charset-normalizer; return ``(text, encoding)`` for the most plausible guess.

    The detector ranks by "chaos" (how messy the decoded text looks) alone; but one stray
    byte in long English text (a Latin-1 "£") looks just as tidy read as a Japanese half-width
    katakana. So the guesses about as tidy as the best one are ranked by chaos minus
    "coherence" (how much the text reads like a known language), and on a tie the Western
    encoding wins, being by far the most common legacy encoding of news text.
    """
    matches = [
        match
        for match in charset_normalizer.from_bytes(data)
        if not match.encoding.startswith(("utf_16", "utf_32"))
    ]
    if not matches:
        return None
    tidiest = min(match.chaos for match in matches)
    ranked = sorted(
        (match for match in matches if match.chaos <= tidiest + _CHAOS_MARGIN),
        key=lambda match: (
            round(match.chaos - match.coherence, 2),
            _WESTERN not in (match.encoding, *match.could_be_from_charset),
        ),
    )
    for match in ranked + matches:
        western = _WESTERN in (match.encoding, *match.could_be_from_charset)
        for encoding in (_WESTERN, match.encoding) if western else (match.encoding,):
            text = decode_as(data, encoding)
            if text is not None and looks_like_text(text):
                return text, encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of BOM-less UTF-16 or UTF-32 text, told by where its zero bytes are.

    Text in a Latin script stored as UTF-16 has a zero byte in every other position (the high
    byte of each ASCII character), UTF-32 in three of every four; no legacy encoding and no
    UTF-8 text has that pattern, and read as UTF-8 such a file would pass (zero is valid
    UTF-8) and come out as "I n d u s t r i a l". Scripts without zero bytes (CJK) in BOM-less
    UTF-16 are not recognised and end as a reject: a BOM is what makes them safe to read.
    """
    head = data[:_UTF16_SAMPLE]
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    for width, codec in ((4, "utf-32-le"), (4, "utf-32-be"), (2, "utf-16-le"), (2, "utf-16-be")):
        if len(data) % width:
            continue
        lanes = [head[lane::width].count(0) / len(head[lane::width]) for lane in range(width)]
        text_lane = 0 if codec.endswith("le") else width - 1
        if (
            lanes[text_lane] < _FEW_ZEROS
            and min(share for lane, share in enumerate(lanes) if lane != text_lane)
            > 1 - _FEW_ZEROS * 4
        ):
            return codec
    return None


def _reads_western(text: str) -> bool:
    """True when ``text``, decoded as Windows-1252, reads like a Western European language.

    Every byte means something in cp1252, so a decode alone proves nothing; but text of another
    script or code page read as cp1252 shows itself: Cyrillic, Greek or Japanese become words of
    mostly accented letters ("Ïðåçèäåíò"), Central European letters become symbols inside
    words ("og³osi³", "pøí¹tí"), and Turkish letters become the Icelandic ones (ð, þ, ý). Real
    English, French or German news has none of these: on the 647 BBC articles with non-ASCII
    characters, re-encoded, every one passes; each foreign sample of the tests fails.
    """
    accented = foreign = 0
    for word in _LETTER_RUN.findall(text):
        outside = sum(1 for char in word if ord(char) > 0x7F)
        if not outside:
            continue
        accented += 1
        if (len(word) >= 3 and 2 * outside > len(word)) or _RARE_WESTERN.search(word):
            foreign += 1
    if foreign > _FOREIGN_WORD_SHARE * accented:
        return False
    return len(_IN_WORD_SYMBOL.findall(text)) <= _IN_WORD_SYMBOLS_PER_LETTER * len(text)


def decode_bytes(data: bytes, hint: str | None = None) -> Decoded | None:
    """Decode ``data``; None when it is not text.

    In this order: a byte-order mark decides; BOM-less UTF-16/32 is recognised by its zero
    bytes; then UTF-8, strict, then with written surrogates or stray cp1252 bytes
    (:func:`_mostly_utf8`); then ``hint`` (an encoding that worked for earlier records of the same
    file: one file nearly always has one encoding, and a guess on a short line is much less
    reliable than reusing what a longer line established); then Windows-1252 when the text
    reads as a Western language (it is by far the most common legacy encoding of news, and
    Latin-1 text is cp1252 too); and only then the detector.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = decode_as(data, encoding)
            return None if text is None else Decoded(text, encoding, False)
    wide = _utf16_without_bom(data)
    if wide is not None:
        text = decode_as(data, wide)
        return None if text is None else Decoded(text, wide, True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    if hint is not None and hint != "utf-8":
        text = decode_as(data, hint)
        if text is not None and looks_like_text(text):
            return Decoded(text, hint, True)
    text = decode_as(data, _WESTERN)
    if text is not None and looks_like_text(text) and _reads_western(text):
        return Decoded(text, _WESTERN, True)
    found = _detect(data)
    return None if found is None else Decoded(found[0], found[1], True)


def _western_bytes(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: a byte that is not UTF-8 read as Windows-1252 (or dropped as
    U+FFFD for the five bytes cp1252 leaves undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode(_WESTERN, errors="replace"), error.end


codecs.register_error("storytrace-western", _western_bytes)

_UTF8_SEQUENCE: Final = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


_HIGH_BYTES: Final = bytes(range(0x80, 0x100))


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bytes that are not: surrogates written by a careless JSON encoder
    (kept exactly, later shown as U+FFFD), or stray Windows-1252 bytes in a UTF-8 text (a file
    appended to by two tools), each read as cp1252 while the UTF-8 around it stays UTF-8.
    Reading such a text wholly as cp1252 would turn every correct "é" into "Ã©"."""
    try:
        text = data.decode("utf-8", "surrogatepass")
        return Decoded(without_surrogates(text), "utf-8", False)
    except UnicodeDecodeError:
        pass
    in_sequences = sum(map(len, _UTF8_SEQUENCE.findall(data)))
    outside_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not in_sequences or 2 * in_sequences < outside_ascii:
        return None  # too few UTF-8 sequences: a legacy encoding (GB2312 pairs can look like one)
    text = data.decode("utf-8", "storytrace-western")
    return Decoded(text, MIXED, True) if looks_like_text(text) else None


@dataclass
class Decoder:
    """Decodes the records of one file, remembering the legacy encoding once one was found.

    A mostly-UTF-8 JSONL file with a few cp1252 lines is common (a file appended to by two
    tools); each line is still tried as UTF-8 first, and the remembered guess only replaces
    a fresh detection for lines that are not UTF-8.
    """

    hint: str | None = None
    last: Decoded | None = None
    """The last successful decode: its codec and whether it was a guess go with the record."""

    def decode(self, data: bytes) -> str | None:
        """The text of ``data`` without a byte-order mark, or None if it is not text."""
        if data.isascii() and b"\x00" not in data:
            text = data.decode("ascii")
            self.last = Decoded(text, "utf-8", False)
            return text
        found = self.encoding_of(data)
        return None if found is None else _strip_bom(found.text)

    def codec(self) -> Codec | None:
        """The codec of the last successful decode."""
        return None if self.last is None else Codec(self.last.encoding, self.last.guessed)

    def encoding_of(self, data: bytes) -> Decoded | None:
        """How ``data`` decodes, for callers that decode pieces of it themselves (CSV fields),
        or None if it is not text."""
        found = decode_bytes(data, self.hint)
        if found is not None:
            self.last = found
            if found.guessed:
                self.hint = found.encoding
        return found


class Codec(NamedTuple):
    """How a record's bytes were read: the codec and whether it was a guess."""

    encoding: str
    guessed: bool


def stream_codec(head: bytes) -> Codec | None:
    """The UTF-16/32 codec of a whole file from its first bytes (a BOM, or the zero bytes of
    BOM-less UTF-16), or None when the file is in a byte-oriented encoding.

    Line- and row-based formats (JSONL, CSV) must know this before they cut records: in
    UTF-16 a line end is two bytes, and cutting at single ``\\n`` bytes splits characters.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom) and encoding != "utf-8-sig":
            return Codec(encoding, False)
    wide = _utf16_without_bom(head[: len(head) // 4 * 4])
    return None if wide is None else Codec(wide, True)


class Utf8Stream(io.RawIOBase):
    """A UTF-16/32 byte stream read as UTF-8 bytes, so every reader after it sees UTF-8.

    Decoding is strict: a broken code unit raises ``UnicodeDecodeError`` (a ``ValueError``),
    which ends the file with a reject naming the last record read, instead of corrupting text.
    """

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        super().__init__()
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            chunk = self._stream.read(_TRANSCODE_CHUNK)
            self._done = not chunk
            self._pending = self._decoder.decode(chunk, final=self._done).encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def as_utf8(stream: BinaryIO) -> tuple[BinaryIO, Codec | None]:
    """The stream, transcoded to UTF-8 when it is UTF-16/32 (see :func:`stream_codec`), and
    the codec found. ``stream`` must be able to ``peek`` (a buffered or gzip stream)."""
    peek = getattr(stream, "peek", None)
    head = peek(_UTF16_SAMPLE)[:_UTF16_SAMPLE] if peek is not None else b""
    codec = stream_codec(head)
    if codec is None:
        return stream, None
    return cast(BinaryIO, io.BufferedReader(Utf8Stream(stream, codec.encoding))), codec
