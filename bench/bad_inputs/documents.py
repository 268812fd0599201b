"""Bad text files, Reuters SGML, HTML pages and WARC crawls, each around good articles."""

from __future__ import annotations

import random
import uuid

from bench.bad_inputs.cases import Case, Entry, Expected
from bench.bad_inputs.formats import (
    ENCODINGS,
    encode,
    for_encoding,
    html_page,
    http_response,
    kept,
    sgml_file,
    sgml_item,
    warc_record,
)
from bench.bad_inputs.pool import Pool

LONG_BYTES = 2_000_000
"""A "very long" record: far past any buffer size, still well within a sane article limit
(the limits being added may refuse it; either outcome is honest, silence is not)."""


def text_file(rng: random.Random, pool: Pool, number: int) -> Case:
    """One article as a ``.txt`` file: any encoding, any line ends, NULs and escapes, or a
    line of two megabytes."""
    encoding = rng.choice(ENCODINGS)
    text = for_encoding(pool.one(rng, encoding).text, encoding)
    variant = rng.randrange(6)
    either: frozenset[int] = frozenset()
    if variant == 0:
        text = text.replace("\n", "\r\n")
    elif variant == 1:
        text = text.replace("\n", "\r")
    elif variant == 2:
        cut = rng.randrange(len(text))
        text = text[:cut] + "\x00" + text[cut:] + "\x1b[2J\x07"
    elif variant == 3:
        text = (text.replace("\n", " ") + " ") * (LONG_BYTES // len(text) + 1)
        either = frozenset({1})
    expected = Expected(documents={} if either else {1: kept(text)}, either=either)
    return Case(number, "text-file", (Entry(f"{encoding}.txt", encode(text, encoding), expected),))


def reuters_sgml(rng: random.Random, pool: Pool, number: int) -> Case:
    """Reuters-21578 items: good ones, briefs (skipped and counted), a body missing its
    ``</BODY>``, the file cut inside the last body, in Latin-1, cp1252, UTF-8 or UTF-16."""
    encoding = rng.choice(("latin-1", "latin-1", "cp1252", "utf-8", "utf-16-le+bom", "utf-16-le"))
    items: list[str] = []
    documents: dict[int, str] = {}
    skipped = 0
    for index in range(rng.randint(1, 5)):
        newid = number * 100 + index
        if rng.random() < 0.2:
            items.append(sgml_item(newid, "BRIEF HEADLINE ONLY", None))
            skipped += 1
            continue
        article = pool.one(rng, encoding)
        text = for_encoding(article.text, encoding)
        close = rng.random() < 0.8
        items.append(sgml_item(newid, article.title, text, close_body=close))
        documents[len(items)] = text
    rejects: frozenset[int] = frozenset()
    content = sgml_file(items)
    if documents and rng.random() < 0.3:  # cut inside the last item's body
        last = max(documents)
        if last == len(items):
            start = content.rindex("<BODY>") + len("<BODY>")
            content = content[: start + rng.randrange(1, len(documents[last]) // 2 + 2)]
            del documents[last]
            rejects = frozenset({last})
    expected = Expected(documents=documents, rejects=rejects, skipped_items=skipped)
    entry = Entry(f"reut2-{encoding}.sgm", encode(content, encoding), expected)
    return Case(number, "reuters-sgml", (entry,))


def _first_paragraph(paragraphs: list[str]) -> str:
    """The paragraph a page's extracted text must contain: the first after the headline."""
    return paragraphs[1] if len(paragraphs) > 1 else paragraphs[0]


def html_file(rng: random.Random, pool: Pool, number: int) -> Case:
    """A page with an article (in UTF-8, cp1252 with its charset, UTF-16 with a BOM, or with
    a megabyte attribute), or a page with no article at all (no body, scripts only)."""
    article = pool.one(rng, rng.choice(("utf-8", "cp1252")))
    paragraphs = article.paragraphs()
    variant = rng.randrange(7)
    expected = Expected(documents={1: _first_paragraph(paragraphs)}, contains=True)
    if variant == 0:
        data = html_page(article.title, paragraphs, "windows-1252").encode("cp1252", "replace")
    elif variant == 1:
        data = encode(html_page(article.title, paragraphs, None), "utf-16-le+bom")
    elif variant == 2:
        page = html_page(article.title, paragraphs)
        huge = "x" * 1_000_000
        data = page.replace("<article>", f'<article data-huge="{huge}">').encode("utf-8")
    elif variant == 3:
        data = f"<html><head><title>{article.title}</title></head></html>".encode()
        expected = Expected(rejects=frozenset({1}))
    elif variant == 4:
        scripts = "".join(f"<script>var a{i} = {i};</script>" for i in range(50))
        data = f"<html><head></head><body>{scripts}</body></html>".encode()
        expected = Expected(rejects=frozenset({1}))
    else:
        data = html_page(article.title, paragraphs).encode("utf-8")
    return Case(number, "html", (Entry("page.html", data, expected),))


def warc_file(rng: random.Random, pool: Pool, number: int) -> Case:
    """A crawl: warcinfo, requests, non-200 and non-HTML responses (skipped and counted),
    HTML responses (documents), a response without HTTP, and perhaps a last record that is
    truncated or whose Content-Length is not a number (rejects)."""
    records: list[bytes] = []
    documents: dict[int, str] = {}
    rejects: set[int] = set()
    skipped = 0

    def rid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128)))

    records.append(warc_record("warcinfo", rid(), b"software: test\r\n"))
    skipped += 1
    for index, article in enumerate(pool.some(rng, rng.randint(1, 4))):
        uri = f"https://news.example/{number}/{index}"
        if rng.random() < 0.5:
            records.append(warc_record("request", rid(), b"GET / HTTP/1.1\r\n\r\n", uri=uri))
            skipped += 1
        page = html_page(article.title, article.paragraphs()).encode("utf-8")
        records.append(
            warc_record(
                "response", rid(), http_response(200, "text/html; charset=utf-8", page), uri=uri
            )
        )
        documents[len(records)] = _first_paragraph(article.paragraphs())
        other = rng.randrange(5)
        if other < 3:
            status, ctype = ((404, "text/html"), (301, "text/html"), (200, "image/jpeg"))[other]
            records.append(
                warc_record("response", rid(), http_response(status, ctype, b"\xff\xd8 x"), uri=uri)
            )
            skipped += 1
        elif other == 3:
            records.append(warc_record("response", rid(), b"no HTTP status line here", uri=uri))
            rejects.add(len(records))
    end = rng.randrange(4)
    if end == 0:
        whole = warc_record("response", rid(), http_response(200, "text/html", b"<p>cut</p>" * 50))
        records.append(whole[: rng.randrange(len(whole) // 2, len(whole) - 4)])
        rejects.add(len(records))
    elif end == 1:
        block = http_response(200, "text/html", b"<p>length</p>")
        records.append(warc_record("response", rid(), block, length="twelve"))
        rejects.add(len(records))
    data = b"".join(records)
    expected = Expected(
        documents=documents, rejects=frozenset(rejects), contains=True, skipped_items=skipped
    )
    return Case(number, "warc", (Entry("crawl.warc", data, expected),))
