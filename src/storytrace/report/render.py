"""Pages to HTML through one set of Jinja2 templates, shared by the report and the viewer.

Autoescaping is on for every template: a value goes into a page escaped unless it is
:class:`markupsafe.Markup` drawn by our own code (the SVG figures and marked texts, which
escape their pieces themselves). Undefined names fail loudly rather than print nothing.
The JavaScript and the CSS are separate files (``static/``), read from the package by
whitelisted name only: the Content-Security-Policy forbids inline code.

Example::

    >>> from storytrace.report.pages import Page
    >>> from storytrace.report.links import ServerLinks
    >>> html = render(Page("error.html", "<b>", {"status": 404, "message": "<b>"}), ServerLinks())
    >>> "&lt;b&gt;" in html and "<b>" not in html
    True
"""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined

from storytrace.report.links import Links
from storytrace.report.pages import Page
from storytrace.report.security import CSP
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
    """A url worth linking (http or https only), else None: a ``javascript:`` url from a
    scraped record must never become a link."""
    if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        return value
    return None


_ENV = Environment(
    loader=PackageLoader("storytrace.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
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
