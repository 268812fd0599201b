"""Shared fixtures: the real data beside the project, the seed pair, and runs with a live
viewer for the report's tests."""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples"
SEED_FILES = sorted((EXAMPLES / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets; tests that need more than the bundled sample skip without them."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def reuters_texts() -> dict[str, str]:
    """Texts of the bundled Reuters sample, by id."""
    with gzip.open(EXAMPLES / "reuters-sample.jsonl.gz", "rt", encoding="utf-8") as fh:
        return {d["id"]: d["text"] for d in map(json.loads, fh)}


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The two VOA seed articles bundled in examples/seeds (GlobalSecurity reprint, VOA)."""
    assert len(SEED_FILES) == 2, "examples/seeds must hold the two seed articles"
    return SEED_FILES


@pytest.fixture(scope="session")
def seed_texts(seed_paths: list[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in seed_paths]


# -- runs and a live viewer for the report's tests ---------------------------------------------

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> Path:
    """The demo's run: the two seed articles and the bundled Reuters sample (65 stories)."""
    from storytrace import find_stories

    out = tmp_path_factory.mktemp("demo") / "run"
    find_stories([seed_paths[0].parent, EXAMPLES / "reuters-sample.jsonl.gz"], out)
    return out


@pytest.fixture(scope="session")
def xss_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run of two copies of one article whose ids, titles, sources, urls and text carry
    script payloads (one story, so every kind of page shows them), and a rejected record
    that carries them too."""
    from storytrace import find_stories

    body = (
        "City council approves the new harbour bridge after a long debate. "
        f"The mayor said {XSS_SCRIPT} was not the kind of message the town wanted.\n\n"
        f"Engineers expect the {XSS_IMG} bridge to open in the spring of next year, "
        "and residents will vote on its name in a public poll this autumn.\n"
    )
    records = [
        {
            "id": "xss-<b>1</b>",
            "title": XSS_SCRIPT,
            "source": XSS_IMG,
            "url": "javascript:alert(1)",
            "published": "2020-01-01T10:00:00Z",
            "text": body,
        },
        {
            "id": 'xss-2"><img src=x onerror=alert(2)>',
            "title": XSS_IMG,
            "source": "<svg onload=alert(1)>",
            "url": "https://example.com/a?<x>",
            "published": "2020-01-02T10:00:00Z",
            "text": body,
        },
        {"id": XSS_SCRIPT, "title": XSS_IMG, "text": ""},  # rejected: no text
    ]
    folder = tmp_path_factory.mktemp("xss")
    corpus = folder / "xss.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    find_stories(corpus, folder / "run")
    return folder / "run"


CONTROLS = "\x00\x1b]0;pwned\x07\x1b[2J\x7f\x9b31m\x85"
"""NUL, a terminal title change, a screen clear, DEL and C1 characters (8-bit CSI, NEL)."""
SHARED_PASSAGE = (
    "The harbour authority confirmed on Tuesday that the new container terminal will open "
    "in March, two months later than planned, because the dredging of the outer channel "
    "took longer than the engineers had expected. Ships of the largest class will be able "
    "to berth at the terminal from the summer, and the authority expects traffic through "
    "the port to double within five years of the opening, bringing hundreds of new jobs "
    "to the town and to the villages along the estuary."
)

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""A control character that a page must never hold as itself (tab and newline may)."""


def side_text(html: str, side: str) -> tuple[str, list[str]]:
    """The text shown on one side of a side-by-side page, and the text of each passage
    highlighted in it, as a reader sees them (tags dropped, entities decoded)."""
    section = html.split(f'id="side-{side}"', 1)[1].split("</section>", 1)[0]
    pre = section.split('<pre class="text">', 1)[1].split("</pre>", 1)[0]
    marks = re.findall(r'<mark class="passage"[^>]*>(.*?)</mark>', pre, re.S)

    def shown(fragment: str) -> str:
        return unescape(re.sub(r"<[^>]+>", "", fragment))

    return shown(pre), [shown(m) for m in marks]


@pytest.fixture(scope="session")
def control_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run of two articles that share a long passage, one of them with control characters
    in its id, title, source, url and in the text before the passage (so that a passage
    highlight lands after them), and a rejected record that carries them too."""
    from storytrace import find_stories

    records = [
        {
            "id": f"ctl-1{CONTROLS}",
            "title": f"Terminal{CONTROLS} delayed",
            "source": f"Harbour{CONTROLS} News",
            "url": f"https://example.com/a{CONTROLS}",
            "published": "2020-01-01T10:00:00Z",
            "text": f"Opening words of the first{CONTROLS} report, all of its own.\n\n"
            f"{SHARED_PASSAGE}\n",
        },
        {
            "id": "ctl-2",
            "title": "Container terminal opens later",
            "source": "Estuary Times",
            "url": "https://example.com/b",
            "published": "2020-01-02T10:00:00Z",
            "text": f"A different first paragraph by another paper.\n\n{SHARED_PASSAGE}\n",
        },
        {"id": f"ctl-3{CONTROLS}", "title": f"Empty{CONTROLS}", "text": ""},  # rejected
    ]
    folder = tmp_path_factory.mktemp("controls")
    corpus = folder / "controls.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    find_stories(corpus, folder / "run")
    return folder / "run"


@contextmanager
def live_viewer(run_dir: Path) -> Iterator[str]:
    """``storytrace serve`` of ``run_dir`` in a thread on a free loopback port; its base url."""
    import uvicorn

    from storytrace.report.server import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(run_dir), log_level="critical"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the viewer did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def demo_viewer(demo_run: Path) -> Iterator[str]:
    with live_viewer(demo_run) as url:
        yield url


@pytest.fixture(scope="session")
def xss_viewer(xss_run: Path) -> Iterator[str]:
    with live_viewer(xss_run) as url:
        yield url


@pytest.fixture(scope="session")
def control_viewer(control_run: Path) -> Iterator[str]:
    with live_viewer(control_run) as url:
        yield url
