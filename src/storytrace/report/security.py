"""The security policy shared by the static report and the viewer.

Article texts and metadata are written by strangers: a scraped title may well be
``<script>alert(1)</script>``, an id may hold a NUL or a terminal escape sequence. Four
layers keep such text inert:

- everything is escaped (Jinja2 autoescaping; the server-drawn SVG and marked texts escape
  each piece themselves);
- the Content-Security-Policy allows scripts and styles only from the report's own files
  (``'self'``): no inline script, no inline style, no ``javascript:`` links, nothing from
  elsewhere. The static report carries it in a ``<meta http-equiv>``; the viewer also sends
  it as a header, with ``frame-ancestors`` (which a meta tag cannot set);
- the viewer serves files only by whitelisted name, and refuses any path that holds a ``..``
  segment, a backslash or a NUL, however many times it was percent-encoded;
- no control character reaches a page as itself (:data:`CONTROL_PICTURES`): each is shown
  as one visible symbol, in text and attributes alike. The JSON twins keep the true text
  (the JSON encoder escapes it there).

Example::

    >>> refused_path("/static/%252e%252e%252fetc%252fpasswd"), refused_path("/stories/story-1")
    (True, False)
    >>> "a\\x00b\\x1b[2J\\x7f\\x85".translate(CONTROL_PICTURES)
    'a␀b␛[2J␡�'
"""

from __future__ import annotations

from urllib.parse import unquote

CSP = "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'self'"
"""For the ``<meta http-equiv>`` of every page."""

HEADERS = {
    "content-security-policy": CSP + "; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
"""Sent with every response of the viewer, errors included."""

CONTROL_PICTURES = (
    {code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)}
    | {0x7F: 0x2421}
    | dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
)
"""Every control character but tab and newline, as a :meth:`str.translate` table to the
symbol shown for it: C0 as its Unicode control picture (NUL ``␀``, ESC ``␛``), DEL as ``␡``,
C1 (which has no pictures, and in scraped text is mostly mis-decoded Windows-1252) as ``�``.
One character for one, so that character offsets into the original text (the passages and
changes that :mod:`storytrace.report.marked_text` paints) stay right on the page. Raw, they
would garble the page, vanish, or reach a terminal when the page is copied or fetched."""

_DECODE_ROUNDS = 4


def refused_path(path: str) -> bool:
    """Whether a request path tries to climb out (``..``) or smuggle a separator, in any
    of its percent-decodings (``%2e%2e%2f``, ``..%2f``, ``%252e%252e%252f`` ...)."""
    for _ in range(_DECODE_ROUNDS):
        if "\\" in path or "\x00" in path or ".." in path.split("/"):
            return True
        decoded = unquote(path)
        if decoded == path:
            return False
        path = decoded
    return True  # still changing after several rounds: no honest path looks like that
