"""Bytes to text: UTF-8 when it is UTF-8, a detected legacy encoding when not, else nothing.

News collections mix encodings: old wire archives are Latin-1, scraped pages are often
Windows-1252 mislabelled as anything, and some files are simply broken. Guessing wrong only
turns "café" into "cafÃ©", but accepting binary garbage as text would put noise into every
later stage, so a decode must also *look like text* to be accepted.

Detection uses charset-normalizer, with two corrections learnt on short Western news text:
it often reports cp1250 (Central European) for what is equally well cp1252, and it likes to
read short byte strings as BOM-less UTF-16. The first is resolved in favour of cp1252 when
both decode equally well; the second is only believed with a byte-order mark.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Final

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
_CHECKED_CHARS: Final = 200_000
_CHAOS_MARGIN: Final = 0.1
"""Guesses whose chaos is within this of the tidiest are treated as equally tidy."""


def looks_like_text(text: str) -> bool:
    """True when at most 1% of the characters are ones no real text is made of.

    Only the head of a long text is checked: a binary file shows itself at once, and checking
    megabytes of an article collection would cost time for nothing.
    """
    sample = text[:_CHECKED_CHARS]
    if not sample:
        return True
    return len(_NOT_TEXT.findall(sample)) <= _MAX_NOT_TEXT_SHARE * len(sample)


def _decode(data: bytes, encoding: str) -> str | None:
    try:
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
            text = _decode(data, encoding)
            if text is not None and looks_like_text(text):
                return text, encoding
    return None


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str] | None:
    """Decode ``data``; return ``(text, encoding)`` or None when it is not text.

    ``hint`` is an encoding that worked for earlier records of the same file: one file nearly
    always has one encoding, and a per-line guess on a short line is much less reliable than
    reusing what a longer line established.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode(data, encoding)
            return None if text is None else (text, encoding)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if hint is not None and hint != "utf-8":
        text = _decode(data, hint)
        if text is not None and looks_like_text(text):
            return text, hint
    return _detect(data)


@dataclass
class Decoder:
    """Decodes the records of one file, remembering the legacy encoding once one was found.

    A mostly-UTF-8 JSONL file with a few cp1252 lines is common (a file appended to by two
    tools); each line is still tried as UTF-8 first, and the remembered guess only replaces
    a fresh detection for lines that are not UTF-8.
    """

    hint: str | None = None

    def decode(self, data: bytes) -> str | None:
        """The text of ``data`` without a byte-order mark, or None if it is not text."""
        if data.isascii():
            return data.decode("ascii")
        found = self.encoding_of(data)
        return None if found is None else _strip_bom(found[0])

    def encoding_of(self, data: bytes) -> tuple[str, str] | None:
        """``(text, encoding)`` of ``data``, for callers that decode pieces of it themselves
        (CSV fields), or None if it is not text."""
        found = decode_bytes(data, self.hint)
        if found is not None and found[1] not in ("utf-8", "utf-8-sig"):
            self.hint = found[1]
        return found
