"""Pages to HTML through one set of Jinja2 templates, shared by the report and the viewer.

Autoescaping is on for every template: a value goes into a page escaped unless it is
:class:`markupsafe.Markup` drawn by our own code (the SVG figures and marked texts, which
escape their pieces themselves). Every value printed, escaped or drawn, first passes
:func:`shown`, the one place control characters become visible symbols. Undefined names fail
loudly rather than print nothing.
The JavaScript and the CSS are separate files (``static/``), read from the package by
whitelisted name only: the Content-Security-Policy forbids inline code.

Example::

    >>> from storytrace.report.pages import Page
    >>> from storytrace.report.links import ServerLinks
    >>> links = ServerLinks()
    >>> html = render(Page("error.html", "<b>", {"status": 404, "message": "<b>"}), links)
    >>> "&lt;b&gt;" in html and "<b>" not in html
    True
    >>> html = render(Page("error.html", "t", {"status": 404, "message": "\\x1b[2J"}), links)
    >>> "\\x1b" in html, "␛[2J" in html
    (False, True)
"""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined

from storytrace.report.links import Links
from storytrace.report.pages import Page
from storytrace.report.security import CONTROL_PICTURES, CSP
from storytrace.version import __version__

ASSETS = {"report.css": "text/css; charset=utf-8", "report.js": "text/javascript; charset=utf-8"}
"""The only files served or copied from the package's ``static`` folder, with their types."""


def when(value: object) -> str:
    """An ISO time as ``1987-03-13 04:51 UTC``; nothing known as a dash."""
    if not isinstance(value, str):
        return "—"
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")


def share(value: object) -> str:
    """A share as ``0.693``; nothing known as a dash."""
    return f"{value:.3f}" if isinstance(value, float) else "—"


def web_url(value: object) -> str | None:
    """A url worth linking (http or https only, no control character), else None: a
    ``javascript:`` url from a scraped record must never become a link, and one holding an
    escape sequence would point somewhere else once its control characters are shown."""
    if not isinstance(value, str) or value.translate(CONTROL_PICTURES) != value:
        return None
    return value if value.lower().startswith(("http://", "https://")) else None


def shown(value: object) -> object:
    """What a template prints, with every control character as a visible symbol
    (:data:`~storytrace.report.security.CONTROL_PICTURES`), before it is escaped.

    It is the environment's ``finalize``, so it sees every ``{{ ... }}`` of every template:
    plain values, and the marked texts and figures drawn as :class:`markupsafe.Markup` (which
    :meth:`str.translate` keeps as Markup; the symbols are not HTML syntax). One character
    for one, so the passages marked by character offsets still cover the right words.
    """
    return value.translate(CONTROL_PICTURES) if isinstance(value, str) else value


_ENV = Environment(
    loader=PackageLoader("storytrace.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    finalize=shown,
)
_ENV.filters.update(when=when, share=share, web_url=web_url)
_ENV.globals.update(csp=CSP, version=__version__)


def render(page: Page, links: Links, json_href: str | None = None) -> str:
    """The HTML of ``page``, linking with ``links``; ``json_href`` names its JSON twin."""
    template = _ENV.get_template(page.template)
    return template.render(
        page=page, data=page.data, html=page.html, links=links, json_href=json_href
    )


def asset(name: str) -> bytes:
    """A whitelisted static file of the package; KeyError for any other name."""
    if name not in ASSETS:
        raise KeyError(name)
    return files("storytrace.report").joinpath("static", name).read_bytes()
