"""``storytrace serve``: the report's pages live, every one with a JSON twin, read-only.

Every HTML page ``/path`` has its data at ``/api/path`` (the overview at ``/api``): the
same builders (:mod:`storytrace.report.pages`) produce both, so they never disagree. Each
request opens its own DuckDB connection over the run's Parquet files and reads only what the
page shows; lists come a window at a time (``limit``, ``offset``), so the first page of a run
of millions of documents opens as fast as that of a small one. Nothing is ever written.

The viewer listens on 127.0.0.1 unless told otherwise, and then says who can read the run.
Bound to a loopback address it also answers only requests for a loopback host name, so that
a web page elsewhere cannot reach it by pointing a name of its own at 127.0.0.1.

Routes::

    /                                   overview            /api
    /stories?q=&limit=&offset=          story list          /api/stories
    /stories/{id}                       one story           /api/stories/{id}
    /stories/{id}/compare/{old}/{new}   two versions        /api/stories/{id}/compare/...
    /stories/{id}/compare?old=&new=     the story page's form: a redirect to the above
    /documents?q=&limit=&offset=        document list       /api/documents
    /document?id=                       one document        /api/document?id=
    /rejects?limit=&offset=             rejected records    /api/rejects
    /static/report.css, /static/report.js

Every number in a request is read by :func:`~storytrace.report.pages.whole_number`: a
``limit`` or ``offset`` that is not a whole number is a 400, one out of range is clamped; a
version in a path that is not one of the story's is a 404. Nothing a client sends is a 500.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storytrace.api import Run
from storytrace.report.links import ServerLinks
from storytrace.report.pages import (
    MATCH_BYTES,
    BadRequest,
    Page,
    PageNotFound,
    Paging,
    compare_page,
    document_list_page,
    document_page,
    match_page,
    overview_page,
    rejects_page,
    story_list_page,
    story_page,
    whole_number,
)
from storytrace.report.queries import STORY_ID, RunQueries, RunTables
from storytrace.report.render import ASSETS, asset, render
from storytrace.report.security import HEADERS, refused_path
from storytrace.report.static_site import MAX_COMPARES

LOG = logging.getLogger(__name__)
PAGE_SIZE = 50
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")

Builder = Callable[[Request, RunQueries], Page]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """The warning to print when the viewer listens beyond this machine."""
    if is_loopback(host):
        return None
    return (
        f"warning: listening on {host}: anyone who can reach this machine on that address "
        "can read every document of the run. Use --host 127.0.0.1 to keep it local."
    )


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, default=str, indent=1)
    return Response(body, status, media_type="application/json")


def _error_page(status: int, title: str, message: str, as_json: bool) -> Response:
    if as_json:
        return _json({"status": status, "error": message}, status)
    page = Page("error.html", title, {"status": status, "message": message})
    return HTMLResponse(render(page, ServerLinks()), status)


class ArticleTooLarge(ValueError):
    """An article sent to the match page over :data:`MATCH_BYTES`."""


async def _article_of(request: Request) -> str:
    """The article a match request sends: the ``text`` field of a form, the ``text`` of a
    JSON object, or the body itself as UTF-8 text. The body is read up to a bound (a form
    percent-encodes, so three times the article's), never whole whatever its size."""
    bound = 3 * MATCH_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > bound:
        raise ArticleTooLarge(f"the article is over {MATCH_BYTES // 1024:,} KB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > bound:
            raise ArticleTooLarge(f"the article is over {MATCH_BYTES // 1024:,} KB")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text: object = body.decode("utf-8", "replace")
    if kind == "application/x-www-form-urlencoded":
        text = parse_qs(str(text)).get("text", [""])[0]
    elif kind == "application/json":
        try:
            value = json.loads(str(text))
        except ValueError:
            value = None
        text = value.get("text") if isinstance(value, dict) else None
        if not isinstance(text, str):
            text = ""
    if len(str(text).encode("utf-8", "replace")) > MATCH_BYTES:
        raise ArticleTooLarge(f"the article is over {MATCH_BYTES // 1024:,} KB")
    return str(text)


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class _Guard:
    """Outermost layer: refuses climbing paths before any routing, and puts the security
    headers on every response, error pages included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("raw_path") or scope["path"].encode()
        if refused_path(raw.decode("latin-1")) or refused_path(scope["path"]):
            response = _error_page(400, "Bad request", "This path is not allowed.", False)
            await response(scope, receive, self._secured_send(send))
            return
        await self.app(scope, receive, self._secured_send(send))

    @staticmethod
    def _secured_send(send: Send) -> Send:
        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.decode() not in HEADERS
                ]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        return secured


def create_app(run_dir: Path, host: str = "127.0.0.1", compare_cap: int = MAX_COMPARES) -> ASGIApp:
    """The viewer of ``run_dir`` as an ASGI application.

    Raises :class:`~storytrace.report.queries.NotARunError` when ``run_dir`` is not a run.
    """
    run = RunTables.open(run_dir)
    links = ServerLinks()

    def endpoint(build: Builder, as_json: bool) -> Callable[[Request], Response]:
        def respond(request: Request) -> Response:
            with run.connect() as q:
                page = build(request, q)
            if as_json:
                return _json(page.data)
            query = f"?{request.url.query}" if request.url.query else ""
            twin = "/api" + (request.url.path.rstrip("/") or "") + query
            return HTMLResponse(render(page, links, json_href=twin))

        return respond

    def story_id(request: Request) -> str:
        value = str(request.path_params["story_id"])
        if not STORY_ID.fullmatch(value):
            raise PageNotFound(f"no story {value!r} in this run")
        return value

    def paging(request: Request) -> Paging:
        params = request.query_params
        return Paging.of(params.get("limit"), params.get("offset"), PAGE_SIZE)

    def version(request: Request, name: str) -> int:
        """A version's order in its story, from the path: up to 18 ASCII digits (no story is
        longer), else there is no such page."""
        value = str(request.path_params[name])
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise PageNotFound(f"story {story_id(request)} has no version {value[:40]!r}")
        return whole_number(value, name)

    builders: dict[str, Builder] = {
        "/": lambda r, q: overview_page(run, q),
        "/stories": lambda r, q: story_list_page(run, q, r.query_params.get("q", ""), paging(r)),
        "/stories/{story_id}": lambda r, q: story_page(run, q, story_id(r), compare_cap),
        "/stories/{story_id}/compare/{old}/{new}": lambda r, q: compare_page(
            run, q, story_id(r), version(r, "old"), version(r, "new")
        ),
        "/documents": lambda r, q: document_list_page(
            run, q, r.query_params.get("q", ""), paging(r)
        ),
        "/document": lambda r, q: document_page(run, q, r.query_params.get("id", "")),
        "/rejects": lambda r, q: rejects_page(run, q, paging(r)),
    }
    routes = [Route(path, endpoint(build, False)) for path, build in builders.items()]
    routes += [
        Route("/api" if path == "/" else "/api" + path, endpoint(build, True))
        for path, build in builders.items()
    ]

    def pick(request: Request) -> Response:
        """The story page's form: any two versions, by their order in the story."""
        params = request.query_params
        old, new = params.get("old", ""), params.get("new", "")
        if not (old and new):
            raise BadRequest("choose two articles of the story to compare")
        first, second = whole_number(old, "old"), whole_number(new, "new")
        if first < 0 or second < 0:
            raise BadRequest("an article's number in its story is 0 or more")
        return RedirectResponse(f"/stories/{story_id(request)}/compare/{first}/{second}", 303)

    def static(request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in ASSETS:
            raise PageNotFound(f"no file {name!r}")
        return Response(asset(name), media_type=ASSETS[name])

    archive = Run(run_dir)  # its index is read on the first match, then kept

    async def match(request: Request) -> Response:
        """The match page (GET: the form) and its JSON twin (POST only): the article sent is
        matched against the run; nothing is written."""
        as_json = _is_api(request.url.path)
        if request.method == "GET":
            if as_json:
                return _error_page(405, "Error", "POST an article as text or JSON", True)
            return HTMLResponse(render(match_page(None), links))
        try:
            text = await _article_of(request)
        except ArticleTooLarge as err:
            return _error_page(413, "Too large", str(err), as_json)
        try:
            found = await run_in_threadpool(archive.match, {"text": text})
        except ValueError as err:
            if as_json:
                return _json({"status": 400, "error": str(err)}, 400)
            return HTMLResponse(render(match_page(None, text, str(err)), links), 400)
        if as_json:
            return _json(found.to_dict())
        return HTMLResponse(render(match_page(found, text), links))

    routes += [
        Route("/stories/{story_id}/compare", pick),
        Route("/static/{name}", static),
        Route("/match", match, methods=["GET", "POST"]),
        Route("/api/match", match, methods=["GET", "POST"]),
    ]

    def not_found(request: Request, exc: Exception) -> Response:
        message = str(exc.args[0]) if isinstance(exc, PageNotFound) and exc.args else ""
        as_json = _is_api(request.url.path)
        if isinstance(exc, HTTPException):
            if exc.status_code != 404:
                return _error_page(exc.status_code, "Error", str(exc.detail), as_json)
            message = f"There is no page at {request.url.path}."
        return _error_page(404, "Not found", message, as_json)

    def bad_request(request: Request, exc: Exception) -> Response:
        message = str(exc.args[0]) if exc.args else "This request cannot be answered."
        return _error_page(400, "Bad request", message, _is_api(request.url.path))

    def server_error(request: Request, exc: Exception) -> Response:
        LOG.error("error serving %r", request.url.path, exc_info=exc)
        return _error_page(
            500,
            "Server error",
            "Something went wrong reading this run; the server's log says what.",
            _is_api(request.url.path),
        )

    allowed = [*LOOPBACK_NAMES, host] if is_loopback(host) else ["*"]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed)],
        exception_handlers={
            PageNotFound: not_found,
            BadRequest: bad_request,
            HTTPException: not_found,
            Exception: server_error,
        },
    )
    return _Guard(app)


def serve(run_dir: Path, host: str, port: int, echo: Callable[[str], None]) -> None:
    """Serve ``run_dir`` until interrupted, saying where (and warning when not local)."""
    app = create_app(run_dir, host)
    warning = exposure_warning(host)
    if warning:
        echo(warning)
    listening = _listen(host, port)
    port = listening.getsockname()[1]  # the port chosen, for --port 0
    shown = f"[{host}]" if ":" in host else host
    echo(f"serving {run_dir} at http://{shown}:{port}/ (Ctrl-C to stop)")
    server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
    server.run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, opened before anything is announced, so a busy
    port or a wrong address is an error and not a promise. Raises OSError saying which."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host.strip("[]"), port))
        listening.listen(128)
    except OSError as err:
        listening.close()
        raise OSError(f"cannot serve on {host}:{port}: {err.strerror or err}") from err
    return listening
