"""Folders as users have them: hidden files, readme files, symlinks (leaving the folder,
to ``/dev/zero``, in loops), FIFOs and empty folders."""

from __future__ import annotations

import random

from bench.bad_inputs.cases import OUTSIDE, Case, Entry, Expected
from bench.bad_inputs.pool import Pool


def _good_text(rng: random.Random, pool: Pool, name: str = "article.txt") -> Entry:
    text = pool.one(rng).text
    return Entry(name, text.encode("utf-8"), Expected(documents={1: text}))


def skipped_files(rng: random.Random, pool: Pool, number: int) -> Case:
    """A good article among files a collection carries: hidden files (skipped, counted),
    a hidden folder (not read), readme and image files (skipped, counted)."""
    entries = [_good_text(rng, pool)]
    hidden = pool.one(rng).text.encode("utf-8")
    candidates = [
        Entry(".hidden.txt", hidden, outcome="skipped"),
        Entry(".~lock.articles.csv#", b"lock", outcome="skipped"),
        Entry("README.md", b"# A collection", outcome="skipped"),
        Entry("photo.JPG", b"\xff\xd8\xff\xe0", outcome="skipped"),
        Entry("LICENSE", b"licence text", outcome="skipped"),
        Entry(".git/objects/article.txt", hidden, outcome="unread"),
    ]
    entries += rng.sample(candidates, rng.randint(1, len(candidates)))
    return Case(number, "skipped-files", tuple(entries))


def unknown_direct(rng: random.Random, pool: Pool, number: int) -> Case:
    """A file of unknown type named on the command line: a request, hence a reject."""
    name = rng.choice(("articles.xml", "articles.json", "notes", "data.tsv", "page.php"))
    entry = Entry(name, pool.one(rng).text.encode("utf-8"), Expected(rejects=frozenset({0})))
    return Case(number, "unknown-direct", (entry,), direct=True)


def symlinks(rng: random.Random, pool: Pool, number: int) -> Case:
    """Symlinks a collection must not follow: to a file outside it, to ``/etc/passwd``, to
    themselves, in a loop, dangling, and a folder linking to its parent."""
    outside = pool.one(rng).text.encode("utf-8")
    candidates = [
        Entry("outside.txt", outside, outcome="refused", link=OUTSIDE),
        Entry("passwd.txt", outcome="refused", link="/etc/passwd"),
        Entry("self.txt", outcome="refused", link="self.txt"),
        Entry("loop-a.jsonl", outcome="refused", link="loop-b.jsonl"),
        Entry("loop-b.jsonl", outcome="refused", link="loop-a.jsonl"),
        Entry("dangling.csv", outcome="refused", link="nowhere.csv"),
        Entry("parent", outcome="unread", link=".."),
    ]
    entries = [_good_text(rng, pool), *rng.sample(candidates, rng.randint(1, len(candidates)))]
    return Case(number, "symlinks", tuple(entries))


def endless(rng: random.Random, pool: Pool, number: int) -> Case:
    """Files that never end: a FIFO nobody writes to, a symlink to ``/dev/zero`` or
    ``/dev/urandom``. Run isolated, with a timeout: they must be refused, not read."""
    chosen = rng.choice(
        (
            Entry("pipe.jsonl", outcome="refused", fifo=True),
            Entry("pipe.txt", outcome="refused", fifo=True),
            Entry("zero.txt", outcome="refused", link="/dev/zero"),
            Entry("zero.jsonl", outcome="refused", link="/dev/zero"),
            Entry("random.csv", outcome="refused", link="/dev/urandom"),
        )
    )
    return Case(number, "endless", (_good_text(rng, pool), chosen), isolated=True)


def empty_folders(rng: random.Random, pool: Pool, number: int) -> Case:
    """Folders with nothing in them, nested or not: nothing to read, nothing to fail."""
    folders = ["empty", "deeper/still/empty", "a/b"][: rng.randint(1, 3)]
    return Case(number, "empty-folders", tuple(Entry(f, folder=True) for f in folders))
