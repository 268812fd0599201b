"""``storytrace serve`` over HTTP: JSON twins, paging, search, refusals and error pages.

A real uvicorn server on a loopback port, spoken to with a plain HTTP client that sends
paths exactly as written (no normalisation of ``..``), as an attacker's client would.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import storytrace
from conftest import CONTROLS, RAW_CONTROL, SHARED_PASSAGE, live_viewer, side_text
from storytrace.cli import main
from storytrace.report.security import CONTROL_PICTURES
from storytrace.report.server import exposure_warning

VOA = "002_b386addb4608aa0f.txt"
GLOBALSECURITY = "000_afb563e75b84724c.txt"


def fetch(
    base: str,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, dict[str, str], str]:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def api(base: str, path: str) -> Any:
    status, headers, body = fetch(base, path)
    assert status == 200, body
    assert headers["content-type"].startswith("application/json")
    return json.loads(body)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def seed_story(base: str) -> str:
    found = api(base, f"/api/stories?q={VOA}")
    assert found["paging"]["total"] == 1
    return str(found["stories"][0]["story_id"])


def test_story_list_is_paged_largest_first(demo_viewer: str, demo_run: Path) -> None:
    stories = pq.read_table(demo_run / "stories.parquet").to_pylist()
    sizes: dict[str, int] = {}
    for row in stories:
        sizes[row["story_id"]] = sizes.get(row["story_id"], 0) + 1
    first = api(demo_viewer, "/api/stories?limit=10")
    assert first["paging"]["total"] == len(sizes) == 65
    assert len(first["stories"]) == 10 and first["paging"]["next_offset"] == 10
    expected = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(s["story_id"], s["size"]) for s in first["stories"]] == expected[:10]
    last = api(demo_viewer, "/api/stories?limit=10&offset=60")
    assert len(last["stories"]) == 5 and last["paging"]["next_offset"] is None
    assert [s["story_id"] for s in last["stories"]] == [sid for sid, _ in expected[60:]]
    # the HTML page offers the same window and a link to the next one
    status, _, html = fetch(demo_viewer, "/stories?limit=10")
    assert status == 200
    assert 'href="/stories?offset=10&amp;limit=10"' in html
    assert html.count("<tr data-search=") == 10


def test_search_finds_a_story_by_a_member_title_or_id(demo_viewer: str) -> None:
    by_title = api(demo_viewer, "/api/stories?q=prime%20rate")
    assert by_title["paging"]["total"] >= 1
    assert all("prime rate" in s["search_text"].lower() for s in by_title["stories"])
    assert api(demo_viewer, "/api/stories?q=no-such-words-anywhere")["stories"] == []


def test_seed_story_json_twin(demo_viewer: str) -> None:
    story_id = seed_story(demo_viewer)
    story = api(demo_viewer, f"/api/stories/{story_id}")
    assert [(m["doc_id"], m["role"]) for m in story["members"]] == [
        (VOA, "origin"),
        (GLOBALSECURITY, "version"),
    ]
    assert [p["relation"] for p in story["pairs"]] == ["version"]
    status, _, html = fetch(demo_viewer, f"/stories/{story_id}")
    assert status == 200
    assert f'href="/api/stories/{story_id}"' in html  # the page names its twin


def test_compare_twin_offsets_point_into_the_original_texts(
    demo_viewer: str, seed_paths: list[Path]
) -> None:
    story_id = seed_story(demo_viewer)
    page = api(demo_viewer, f"/api/stories/{story_id}/compare/0/1")
    texts = {p.name: p.read_text(encoding="utf-8") for p in seed_paths}
    left, right = texts[VOA], texts[GLOBALSECURITY]
    assert page["left"]["text"] == left and page["right"]["text"] == right
    assert len(page["passages"]) == 5
    longest = max(page["passages"], key=lambda p: p["words"])
    in_left = words(left[longest["left_start"] : longest["left_end"]])
    in_right = words(right[longest["right_start"] : longest["right_end"]])
    assert longest["words"] >= 100
    assert in_left[:20] == in_right[:20] and in_left[-4:] == in_right[-4:]
    counts = page["change_counts"]
    assert (counts["added"], counts["removed"], counts["changed"]) == (26, 6, 7)


def test_any_two_versions_and_the_pick_form(demo_viewer: str) -> None:
    story_id = api(demo_viewer, "/api/stories?limit=1")["stories"][0]["story_id"]
    size = api(demo_viewer, f"/api/stories/{story_id}")["size"]
    assert size >= 3
    backwards = api(demo_viewer, f"/api/stories/{story_id}/compare/2/0")  # not in the report
    assert (backwards["old"], backwards["new"]) == (2, 0)
    status, headers, _ = fetch(demo_viewer, f"/stories/{story_id}/compare?old=2&new=0")
    assert status == 303 and headers["location"] == f"/stories/{story_id}/compare/2/0"


def test_a_pair_the_run_did_not_store_is_compared_on_demand(
    demo_viewer: str, demo_run: Path
) -> None:
    # The run stores a bounded set of links (exact copies only with the first of their
    # group); the viewer computes the relation and passages of any other two articles of
    # a story when asked, and says so.
    stored = {
        (r["doc_a"], r["doc_b"]) for r in pq.read_table(demo_run / "pairs.parquet").to_pylist()
    }
    members: dict[str, dict[int, str]] = {}
    for row in pq.read_table(demo_run / "stories.parquet").to_pylist():
        members.setdefault(row["story_id"], {})[row["order"]] = row["doc_id"]
    unstored = [
        (story, old, new)
        for story, docs in sorted(members.items())
        for old in docs
        for new in docs
        if new > old and tuple(sorted((docs[old], docs[new]))) not in stored
    ]
    pages = [(u, api(demo_viewer, "/api/stories/{}/compare/{}/{}".format(*u))) for u in unstored]
    related = [(u, page) for u, page in pages if page["pair"] is not None]
    assert related, "the demo run holds a story pair that only the viewer relates"
    (story, old, new), page = related[0]
    assert page["pair"]["on_demand"] is True and page["passages"]
    status, _, html = fetch(demo_viewer, f"/stories/{story}/compare/{old}/{new}")
    assert status == 200 and "Computed now" in html
    # Unrelated on their own (the story joins them through others): said as much.
    alone = next(page for _, page in pages if page["pair"] is None)
    assert alone["passages"] == []


def test_documents_list_and_page(demo_viewer: str) -> None:
    listing = api(demo_viewer, "/api/documents?limit=25")
    assert listing["paging"]["total"] == 602 and len(listing["documents"]) == 25
    ids = [d["doc_id"] for d in listing["documents"]]
    assert ids == sorted(ids)
    document = api(demo_viewer, f"/api/document?id={quote(VOA)}")
    assert document["document"]["role"] == "origin"
    assert [p["other"] for p in document["pairs"]] == [GLOBALSECURITY]


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/static/../../../etc/passwd",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%252e%252e%252fetc%252fpasswd",
        "/static/%25252e%25252e%25252fetc",
        "/static/..%5c..%5cetc%5cpasswd",
        "/stories/..%2f..%2fmanifest.json",
        "/static/report.js%00.css",
    ],
)
def test_path_traversal_is_refused(demo_viewer: str, path: str) -> None:
    status, headers, body = fetch(demo_viewer, path)
    assert status in (400, 404)
    assert "root:" not in body and '"config"' not in body
    assert "content-security-policy" in headers


def test_static_files_only_by_name(demo_viewer: str) -> None:
    status, headers, body = fetch(demo_viewer, "/static/report.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert "filterRows" in body
    for name in ("pages.py", "__init__.py", "..", "report.js.bak", "templates"):
        assert fetch(demo_viewer, f"/static/{name}")[0] in (400, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/stories/story-000000000000",
        "/stories/story-000000000000/compare/0/1",
        "/stories/<script>",
        "/document?id=no-such-document",
        "/no/such/page",
    ],
)
def test_unknown_ids_give_a_404_page(demo_viewer: str, path: str) -> None:
    status, headers, body = fetch(demo_viewer, path)
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    assert "Not found" in body and "Traceback" not in body
    assert "<script>" not in body.split("</head>")[1].replace('<script src="', "")
    twin = "/api" + path
    status, headers, body = fetch(demo_viewer, twin)
    assert status == 404 and json.loads(body)["status"] == 404


def test_seed_story_versions_out_of_range_give_404(demo_viewer: str) -> None:
    story_id = seed_story(demo_viewer)
    for pair in ("0/0", "0/2", "7/1"):
        assert fetch(demo_viewer, f"/stories/{story_id}/compare/{pair}")[0] == 404


def test_security_headers_on_every_response(demo_viewer: str) -> None:
    for path in ("/", "/api", "/static/report.css", "/nope", "/static/..%2fx"):
        _, headers, _ = fetch(demo_viewer, path)
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_read_only_and_loopback_names_only(demo_viewer: str) -> None:
    assert fetch(demo_viewer, "/stories", method="POST")[0] == 405
    assert fetch(demo_viewer, "/", headers={"Host": "attacker.example"})[0] == 400


def test_damaged_table_gives_a_500_page_without_a_trace(demo_run: Path, tmp_path: Path) -> None:
    """A table damaged while the viewer runs (a run damaged before is refused at the start,
    as open_run refuses it)."""
    broken = tmp_path / "run"
    shutil.copytree(demo_run, broken)
    data = (broken / "changes.parquet").read_bytes()
    with live_viewer(broken) as base:
        (broken / "changes.parquet").write_bytes(data[: len(data) // 2])
        status, headers, body = fetch(base, "/stories")
        assert status == 500
        assert "Something went wrong" in body
        for leak in ("Traceback", "duckdb", "changes.parquet", 'File "'):
            assert leak not in body
        assert "content-security-policy" in headers
        status, _, body = fetch(base, "/api/stories")
        assert status == 500 and "Traceback" not in body


def test_missing_changes_table_is_said(demo_run: Path, tmp_path: Path) -> None:
    partial = tmp_path / "run"
    shutil.copytree(demo_run, partial)
    (partial / "changes.parquet").unlink()
    with live_viewer(partial) as base:
        story_id = seed_story(base)
        status, _, body = fetch(base, f"/stories/{story_id}/compare/0/1")
        assert status == 200
        assert "This run has no changes table" in body


def test_warns_when_listening_beyond_this_machine() -> None:
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.org"):
        warning = exposure_warning(host)
        assert warning is not None and host in warning
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert exposure_warning(host) is None


def test_serving_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1
    assert f"Error: {tmp_path} is not a storytrace run (no manifest.json)" in result.output


def test_control_characters_never_reach_a_page_as_themselves(
    control_viewer: str, control_run: Path
) -> None:
    """NUL, escape sequences, DEL and C1 characters in ids, titles, sources, urls and texts
    are shown as symbols on every page, error pages included; the JSON twins keep them."""
    story_id = api(control_viewer, "/api/stories")["stories"][0]["story_id"]
    documents = pq.read_table(control_run / "documents.parquet").to_pylist()
    hostile = next(d for d in documents if "\x1b" in d["doc_id"])
    paths = [
        "/",
        "/stories",
        "/stories?q=pwned",
        f"/stories/{story_id}",
        f"/stories/{story_id}/compare/0/1",
        f"/stories/{story_id}/compare/1/0",
        "/documents",
        "/documents?q=" + quote("\x1b]0;pwned"),
        *("/document?id=" + quote(d["doc_id"]) for d in documents),
        "/rejects",
        "/document?id=" + quote(CONTROLS),  # not found: the message names the id
        "/no/such/" + quote("\x1b[2J\x9b"),  # not found: the message names the path
    ]
    for path in paths:
        status, _, html = fetch(control_viewer, path)
        assert status in (200, 404), path
        assert not RAW_CONTROL.search(html), (path, RAW_CONTROL.findall(html))
        if status == 200:
            assert "␛]0;pwned␇" in html, path
    status, _, html = fetch(control_viewer, "/document?id=" + quote(hostile["doc_id"]))
    assert hostile["title"].translate(CONTROL_PICTURES) in unescape(html)
    assert 'href="https://example.com/a' not in html  # a url with control characters
    twin = api(control_viewer, "/api/document?id=" + quote(hostile["doc_id"]))
    assert twin["document"]["title"] == hostile["title"]
    assert twin["document"]["text"] == hostile["text"]
    assert "\x1b]0;pwned\x07" in twin["document"]["text"]


def test_a_passage_after_control_characters_is_highlighted_on_its_words(
    control_viewer: str,
) -> None:
    """Each control character is shown as one symbol, so the passage highlight, placed by
    character offsets into the original text, still begins and ends on the right words."""
    story_id = api(control_viewer, "/api/stories")["stories"][0]["story_id"]
    page = api(control_viewer, f"/api/stories/{story_id}/compare/0/1")
    left, (passage,) = page["left"]["text"], page["passages"]
    start, end = passage["left_start"], passage["left_end"]
    assert "\x1b]0;pwned\x07" in left[:start]
    status, _, html = fetch(control_viewer, f"/stories/{story_id}/compare/0/1")
    assert status == 200
    shown, marks = side_text(html, "left")
    assert shown == left.translate(CONTROL_PICTURES)
    assert marks == [left[start:end].translate(CONTROL_PICTURES)]
    assert words(marks[0]) == words(SHARED_PASSAGE)


NOT_NUMBERS = ["abc", "1e400", "1.5", "0x10", "1_000", "²", "٣", "\x00", "9" * 5000 + "x"]
"""Query values that are not whole numbers: refused with a 400 (``int`` takes ``٣`` and
``1_000``, ``isdigit`` passes ``²``)."""
OUT_OF_RANGE = {
    "-5": {"limit": 1, "offset": 0},
    "0": {"limit": 1, "offset": 0},
    str(10**20): {"limit": 500, "offset": 10**12},
    "9" * 5000: {"limit": 500, "offset": 10**12},
    " +7 ": {"limit": 7, "offset": 7},
}
"""Whole numbers out of range, and what each is clamped to."""


@pytest.mark.parametrize("path", ["/stories", "/documents", "/rejects"])
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_paging_values_are_clamped_or_refused_never_a_500(
    demo_viewer: str, path: str, name: str
) -> None:
    for value, clamped in OUT_OF_RANGE.items():
        query = f"{path}?{name}={quote(value)}"
        page = api(demo_viewer, "/api" + query)
        assert page["paging"][name] == clamped[name], (query, page["paging"])
        if name == "offset" and clamped[name] == 10**12:
            assert page["paging"]["shown"] == 0 and page["paging"]["next_offset"] is None
        assert fetch(demo_viewer, query)[0] == 200, query
    for value in NOT_NUMBERS:
        query = f"{path}?{name}={quote(value)}"
        status, headers, body = fetch(demo_viewer, "/api" + query)
        assert status == 400 and headers["content-type"].startswith("application/json")
        error = json.loads(body)
        assert error["status"] == 400 and f"{name} must be a whole number" in error["error"]
        status, headers, body = fetch(demo_viewer, query)
        assert status == 400 and headers["content-type"].startswith("text/html"), query
        assert "Bad request" in body and "Traceback" not in body


@pytest.mark.parametrize("value", ["-5", "abc", "1e400", str(10**20), "9" * 5000, "²", "٣"])
def test_a_version_number_that_is_not_in_the_story_is_a_404_never_a_500(
    demo_viewer: str, value: str
) -> None:
    story_id = seed_story(demo_viewer)
    for pair in (f"{quote(value)}/1", f"0/{quote(value)}"):
        status, headers, _ = fetch(demo_viewer, f"/stories/{story_id}/compare/{pair}")
        assert status == 404 and headers["content-type"].startswith("text/html"), pair
        status, _, body = fetch(demo_viewer, f"/api/stories/{story_id}/compare/{pair}")
        assert status == 404 and json.loads(body)["status"] == 404, pair


def test_the_pick_form_refuses_what_is_not_an_article_number(demo_viewer: str) -> None:
    story_id = seed_story(demo_viewer)
    form = f"/stories/{story_id}/compare"
    for query in (
        "",
        "?old=&new=1",
        "?old=0",
        "?old=abc&new=1",
        "?old=0&new=-5",
        "?old=1e400&new=0",
    ):
        status, headers, body = fetch(demo_viewer, form + query)
        assert status == 400 and headers["content-type"].startswith("text/html"), query
        assert "Bad request" in body
    status, headers, _ = fetch(demo_viewer, f"{form}?old={'9' * 5000}&new=0")
    assert status == 303
    assert fetch(demo_viewer, headers["location"])[0] == 404


# -- the match page ------------------------------------------------------------------------------

FORM = {"content-type": "application/x-www-form-urlencoded"}


def test_the_match_page_finds_the_story_of_a_pasted_reprint(
    demo_viewer: str, demo_run: Path, seed_texts: list[str], seed_paths: list[Path]
) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in demo_run.rglob("*") if p.is_file()}
    status, headers, page = fetch(demo_viewer, "/match")
    assert status == 200 and 'name="text"' in page and "content-security-policy" in headers
    body = urlencode({"text": seed_texts[1]}).encode()
    status, _, page = fetch(demo_viewer, "/match", "POST", FORM, body)
    assert status == 200, page
    story_id = storytrace.open_run(demo_run).story(seed_paths[1].name).story_id
    assert f'href="/stories/{story_id}"' in page and "duplicate" in page
    status, _, answer = fetch(
        demo_viewer,
        "/api/match",
        "POST",
        {"content-type": "application/json"},
        json.dumps({"text": seed_texts[1]}).encode(),
    )
    assert status == 200 and json.loads(answer)["story_id"] == story_id
    after = {p.name: p.stat().st_mtime_ns for p in demo_run.rglob("*") if p.is_file()}
    assert after == before, "matching wrote to the run"


def test_the_match_page_escapes_what_it_is_sent_and_bounds_its_size(
    demo_viewer: str, seed_texts: list[str]
) -> None:
    hostile = seed_texts[1][:2000] + "\n\n<script>alert(1)</script> \x1b]0;pwned\x07 end"
    status, _, page = fetch(
        demo_viewer, "/match", "POST", FORM, urlencode({"text": hostile}).encode()
    )
    assert status == 200
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "\x1b" not in page and "\x07" not in page
    huge = urlencode({"text": "word " * 300_000}).encode()
    for path in ("/match", "/api/match"):
        status, _, _ = fetch(demo_viewer, path, "POST", FORM, huge)
        assert status == 413
    status, _, page = fetch(demo_viewer, "/match", "POST", FORM, b"text=+++")
    assert status == 400 and "has no text" in page
    status, _, answer = fetch(demo_viewer, "/api/match")
    assert status == 405 and "POST" in json.loads(answer)["error"]
