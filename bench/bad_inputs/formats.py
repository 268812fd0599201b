"""Writing good records in each input format, in any encoding, and the text ingest must keep.

These writers are deliberately plain (``json.dumps``, ``csv.writer``, string templates) so
that an expected text is what was written, not what some reader reads back.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
from typing import Final

ENCODINGS: Final = (
    "utf-8",
    "utf-8-sig",
    "cp1252",
    "latin-1",
    "utf-16-le",
    "utf-16-be",
    "utf-16-le+bom",
    "utf-16-be+bom",
    "utf-32-le",
    "utf-32-be",
    "utf-32-le+bom",
    "utf-32-be+bom",
)
"""Every encoding each format is written in; ``+bom`` adds the byte-order mark."""

_BOMS: Final = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
CP1252_EXTRA: Final = " Prices rose by €5 – “a record”, said the bank’s chief."
"""Characters cp1252 has and Latin-1 lacks: a cp1252 file read as Latin-1 (or as cp1250,
where 0x80 is also '€' but 0xA3 is 'Ł') shows itself in them and in the '£'."""
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")


def encode(text: str, encoding: str) -> bytes:
    """``text`` in one of :data:`ENCODINGS`."""
    name, _, bom = encoding.partition("+")
    data = text.encode(name, errors="surrogatepass" if name.startswith("utf") else "strict")
    return _BOMS[name] + data if bom else data


def fits(text: str, encoding: str) -> bool:
    """True when ``text`` can be written in ``encoding`` (Latin-1 lacks '€' and '“')."""
    try:
        encode(text, encoding)
    except UnicodeEncodeError:
        return False
    return True


def for_encoding(text: str, encoding: str) -> str:
    """The article text a case in ``encoding`` carries: cp1252 cases get the characters that
    tell cp1252 from its neighbours, so that a wrong guess cannot pass unnoticed."""
    return text + CP1252_EXTRA if encoding == "cp1252" else text


def kept(text: str) -> str:
    """The text ingest must keep for ``text``: its documented normalisation (NUL characters
    become spaces, lone surrogates U+FFFD) and nothing else."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", " "))


def csv_rows(rows: list[list[str]], terminator: str = "\r\n", quote_all: bool = False) -> str:
    """Rows as CSV text, quoted the way spreadsheets and pandas write them."""
    out = io.StringIO()
    writer = (
        csv.writer(out, lineterminator=terminator, quoting=csv.QUOTE_ALL)
        if quote_all
        else csv.writer(out, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    )
    writer.writerows(rows)
    return out.getvalue()


def sgml_item(newid: int, title: str, body: str | None, *, close_body: bool = True) -> str:
    """One Reuters-21578 item; ``body=None`` makes a brief (headline only)."""
    head = (
        f'<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" NEWID="{newid}">\n'
        f"<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>&#2;\n"
        f"<TITLE>{html.escape(title, quote=False)}</TITLE>\n"
    )
    if body is None:
        return head + "</TEXT>\n</REUTERS>\n"
    end = "&#3;</BODY>" if close_body else ""
    return head + f"<BODY>{html.escape(body, quote=False)}{end}</TEXT>\n</REUTERS>\n"


def sgml_file(items: list[str]) -> str:
    return '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n' + "".join(items)


def html_page(title: str, paragraphs: list[str], charset: str | None = "utf-8") -> str:
    """A news page: navigation and footer around an ``<article>`` of paragraphs."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>\n{body}\n</article>"
        "<footer>Copyright the publisher</footer></body></html>"
    )


def warc_record(
    kind: str, record_id: str, block: bytes, *, uri: str = "", length: str | None = None
) -> bytes:
    """One WARC/1.0 record; ``length`` overrides the Content-Length header's value."""
    headers = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{record_id}>",
        "WARC-Date: 2017-09-30T10:00:00Z",
    ]
    if uri:
        headers.append(f"WARC-Target-URI: {uri}")
    if kind in ("response", "request"):
        headers.append(f"Content-Type: application/http; msgtype={kind}")
    headers.append(f"Content-Length: {len(block) if length is None else length}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + block + b"\r\n\r\n"


def http_response(status: int, content_type: str, body: bytes) -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 500: "Server Error"}
    head = f"HTTP/1.1 {status} {reason.get(status, 'X')}\r\nContent-Type: {content_type}\r\n"
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode("ascii") + body
