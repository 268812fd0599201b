"""The whole run on real data: the seeds among real news, rejects, determinism, engines."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storytrace import Config, find_stories, open_run
from storytrace.clean import clean_lines
from storytrace.engines.parquet import write_table
from storytrace.ingest import ingest
from storytrace.run.store import FINAL_TABLES as TABLES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLE = EXAMPLES / "reuters-sample.jsonl.gz"
VOA, GLOBALSECURITY = "002_b386addb4608aa0f.txt", "000_afb563e75b84724c.txt"


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample-run")
    find_stories([EXAMPLES / "seeds", SAMPLE], out, Config(workers=1))
    return out


def test_seeds_are_one_story_among_real_news(sample_run: Path) -> None:
    run = open_run(sample_run)
    assert run.documents.num_rows == 602
    assert sorted(run.story_of(VOA)) == [GLOBALSECURITY, VOA]
    pair = run.story(VOA).pairs
    assert [p["relation"] for p in pair] == ["version"]
    # Neither page is dated: VOA's own, earlier page is the origin.
    roles = {m["doc_id"]: m["role"] for m in run.story(VOA).members}
    assert roles == {VOA: "origin", GLOBALSECURITY: "version"}


def test_reuters_duplicates_in_the_sample_are_linked(sample_run: Path) -> None:
    run = open_run(sample_run)
    pairs = {(p["doc_a"], p["doc_b"]): p["relation"] for p in run.pairs.to_pylist()}
    # Judged exact duplicates with different ids, included in the bundled sample.
    for a, b in [("reuters-12440", "reuters-12612"), ("reuters-17895", "reuters-17947")]:
        assert pairs[(a, b)] in ("duplicate", "near_duplicate")
        assert b in run.story_of(a)


def test_tables_and_manifest(sample_run: Path) -> None:
    for name in TABLES:
        assert (sample_run / f"{name}.parquet").is_file()
    manifest = json.loads((sample_run / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == 602
    assert manifest["config"]["shingle_size"] == 5
    assert {i["path"] for i in manifest["inputs"]} == {str(EXAMPLES / "seeds"), str(SAMPLE)}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert set(manifest["timings"]) >= {"ingest", "clean", "sign", "verify", "total"}
    pairs = open_run(sample_run).pairs.to_pylist()
    assert all(p["doc_a"] < p["doc_b"] for p in pairs)
    assert len({(p["doc_a"], p["doc_b"]) for p in pairs}) == len(pairs)


def test_passage_offsets_point_into_the_original_texts(sample_run: Path) -> None:
    run = open_run(sample_run)
    texts = dict(
        zip(run.documents["doc_id"].to_pylist(), run.documents["text"].to_pylist(), strict=True)
    )
    passages = run.passages.to_pylist()
    assert passages
    for p in passages:
        a = texts[p["doc_a"]][p["a_start"] : p["a_end"]]
        b = texts[p["doc_b"]][p["b_start"] : p["b_end"]]
        assert a.strip() == a and b.strip() == b  # spans start and end on words
        assert a.split()[0].lower().strip("\"'“") == b.split()[0].lower().strip("\"'“") or (
            p["similarity"] < 1.0
        )


def test_changes_follow_each_story_and_point_into_the_original_texts(sample_run: Path) -> None:
    run = open_run(sample_run)
    texts = dict(
        zip(run.documents["doc_id"].to_pylist(), run.documents["text"].to_pylist(), strict=True)
    )
    changes = run.changes.to_pylist()
    seeds = [c for c in changes if {c["doc_old"], c["doc_new"]} == {VOA, GLOBALSECURITY}]
    assert {c["kind"] for c in seeds} >= {"added", "removed", "changed"}
    for c in changes:
        for side in ("old", "new"):
            if c[f"{side}_sentence"] is not None:
                printed = texts[c[f"doc_{side}"]][c[f"{side}_start"] : c[f"{side}_end"]]
                assert " ".join(printed.split()) == c[f"{side}_sentence"]
    # A CORRECTED re-issue, 22 minutes after the first take: the debt amount changes.
    corrected = [c for c in changes if c["doc_new"] == "reuters-18958"]
    assert {c["doc_old"] for c in corrected} == {"reuters-18947"}
    assert any({"op": "added", "text": "81"} in c["word_diff"] for c in corrected)
    assert run.manifest["counts"]["changes"] == len(changes)


@pytest.mark.parametrize(("workers", "batch_size"), [(2, 150), (1, 77)])
def test_same_input_gives_byte_identical_tables(
    sample_run: Path, tmp_path: Path, workers: int, batch_size: int
) -> None:
    # A second run, in a pool of worker processes or with other batches than the first.
    config = Config(workers=workers, batch_size=batch_size)
    find_stories([EXAMPLES / "seeds", SAMPLE], tmp_path, config)
    for name in TABLES:
        first = (sample_run / f"{name}.parquet").read_bytes()
        second = (tmp_path / f"{name}.parquet").read_bytes()
        assert first == second, f"{name}.parquet differs between runs"


def test_table_bytes_do_not_depend_on_arrow_chunks(tmp_path: Path) -> None:
    """The bundled sample's columns stay under Parquet's 1 MiB dictionary page limit, where
    chunking never shows. This table has 2.4 MB of distinct texts: past the limit the writer
    falls back from dictionary to plain encoding at a chunk boundary."""
    sample = ingest([SAMPLE], Config()).documents.column("text").to_pylist()
    texts = [f"{n} {text}" for n, text in enumerate(sample * 6)]
    table = pa.table({"n": list(range(len(texts))), "text": texts})
    written = []
    for rows in (table.num_rows, 2000, 777, 150):
        chunked = pa.concat_tables(table.slice(i, rows) for i in range(0, table.num_rows, rows))
        write_table(chunked, tmp_path / f"{rows}.parquet")
        written.append((tmp_path / f"{rows}.parquet").read_bytes())
    assert all(w == written[0] for w in written)
    assert pq.read_table(tmp_path / "150.parquet").equals(table)


def test_a_flood_of_copies_costs_linear_work_and_makes_one_story(tmp_path: Path) -> None:
    """300 identical copies and 200 near-identical copies (one word changed each) of a real
    article: all pairs would be 124,750 alignments; exact copies are settled by digest and the
    one big LSH bucket of the others becomes a star."""
    article = (EXAMPLES / "seeds" / VOA).read_text(encoding="utf-8")
    kept = clean_lines(article).segments
    words = [
        m
        for m in re.finditer(r"[A-Za-z]{4,}", article)
        if any(
            s.original_start <= m.start() and m.end() <= s.original_start + s.length for s in kept
        )
    ]  # words of the article body, not of boilerplate the clean stage removes anyway
    rows = [{"id": f"copy-{n:03d}", "text": article} for n in range(300)]
    for n in range(200):
        word = words[(7 * n) % len(words)]
        unique = "".join(chr(ord("a") + int(d)) for d in str(n))  # a new word without digits
        edited = article[: word.start()] + f"edited{unique}" + article[word.end() :]
        rows.append({"id": f"edit-{n:03d}", "text": edited})
    corpus = write_jsonl(tmp_path / "flood.jsonl", rows)

    run = find_stories(corpus, tmp_path / "run", Config(workers=1))
    counts = run.manifest["counts"]
    assert counts["documents"] == 500 and counts["exact_copies"] == 299
    assert counts["candidates"] < 2000
    assert run.manifest["timings"]["verify"] < 30
    assert len(run.story_of("copy-000")) == 500
    assert counts["stories"] == 1

    pairs = run.pairs.to_pylist()
    keys = [(p["doc_a"], p["doc_b"]) for p in pairs]
    assert keys == sorted(set(keys))
    copies = [p for p in pairs if p["doc_b"].startswith("copy-")]
    assert [p["doc_a"] for p in copies] == ["copy-000"] * 299
    assert {p["relation"] for p in copies} == {"duplicate"}
    whole = [p for p in run.passages.to_pylist() if p["doc_b"].startswith("copy-")]
    assert len(whole) == 299
    # From the first kept character to the last: the banners cut by the clean stage stay out.
    body = (kept[0].original_start, kept[-1].original_start + kept[-1].length)
    assert all((p["a_start"], p["a_end"]) == (p["b_start"], p["b_end"]) == body for p in whole)


def test_bad_records_are_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article = (EXAMPLES / "seeds" / VOA).read_text(encoding="utf-8")
    (corpus / "good.txt").write_text(article, encoding="utf-8")
    (corpus / "empty.txt").write_text("   \n", encoding="utf-8")
    (corpus / "only-boilerplate.txt").write_text("Accessibility links\n\nXS\nSM\n", "utf-8")
    with gzip.open(corpus / "more.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "copy", "text": article}) + "\n")
        fh.write('{"id": "broken", "text": \n')
        fh.write(json.dumps({"id": "copy", "text": "A second record with the same id."}) + "\n")
    run = find_stories(corpus, tmp_path / "run")
    assert sorted(run.documents["doc_id"].to_pylist()) == ["copy", "good.txt"]
    reasons = {(Path(r["input"]).name, r["record"]): r["reason"] for r in run.rejects.to_pylist()}
    assert reasons[("empty.txt", 1)].startswith("text is")
    assert reasons[("only-boilerplate.txt", 1)] == "no words left after boilerplate removal"
    assert reasons[("more.jsonl.gz", 2)].startswith("invalid JSON")
    assert reasons[("more.jsonl.gz", 3)].startswith("duplicate id 'copy'")
    assert run.story_of("copy") == ["copy", "good.txt"]
    assert run.pairs["relation"].to_pylist() == ["duplicate"]


def test_a_missing_input_is_a_reject_and_the_run_is_written(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    run = find_stories([EXAMPLES / "seeds", missing], tmp_path / "run", Config(workers=1))
    assert run.documents.num_rows == 2
    assert [(r["input"], r["reason"]) for r in run.rejects.to_pylist()] == [
        (str(missing), "no such file or folder")
    ]
    seeds, absent = run.manifest["inputs"]
    assert seeds["files"] == 2 and len(seeds["sha256"]) == 64
    assert absent == {"path": str(missing), "error": "no such file or folder"}


def test_input_digest_covers_the_files_ingest_reads(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in (EXAMPLES / "seeds").glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    before = _digest(folder)
    (folder / ".notes.txt").write_text("a hidden editor file", encoding="utf-8")
    (folder / "LICENSE").write_text("not an article", encoding="utf-8")
    assert _digest(folder) == before and before["files"] == 2
    (folder / "more.txt").write_text("A third article.", encoding="utf-8")
    assert _digest(folder)["sha256"] != before["sha256"]
    unknown = tmp_path / "notes.xyz"
    unknown.write_text("hello", encoding="utf-8")
    assert _digest(unknown) == {"path": str(unknown), "error": "unsupported file type '.xyz'"}


def _digest(path: Path) -> dict[str, object]:
    """The digest ingest takes of ``path`` while reading it."""
    (found,) = ingest([path], Config()).inputs
    return found


@pytest.mark.parametrize("name", ["plain.jsonl", "packed.jsonl.gz", "table.parquet"])
def test_input_digest_is_the_sha256_of_the_file_whatever_the_reader_does(
    tmp_path: Path, name: str
) -> None:
    """Readers peek and seek back (gzip), jump to the end (Parquet) or read all: the digest
    taken while reading is the file's sha256 all the same."""
    rows = [{"id": f"d{i}", "text": f"Article number {i} about the harbour."} for i in range(500)]
    path = tmp_path / name
    if name.endswith(".parquet"):
        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        data = "".join(json.dumps(r) + "\n" for r in rows).encode()
        path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    (found,) = ingest([path], Config()).inputs
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert found == {
        "path": str(path),
        "files": 1,
        "bytes": path.stat().st_size,
        "sha256": expected,
    }


def test_empty_input_gives_empty_tables(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    run = find_stories(tmp_path / "in", tmp_path / "run")
    for name in TABLES:
        assert pq.read_table(tmp_path / "run" / f"{name}.parquet").num_rows == 0
    assert run.manifest["counts"]["documents"] == 0


def test_seeds_stay_alone_among_hundreds_of_bbc_articles(shared_data: Path, tmp_path: Path) -> None:
    """The seeds plus 400 real BBC articles: one story holds the seeds and nothing else."""
    bbc = tmp_path / "bbc"
    bbc.mkdir()
    for topic in ("politics", "business"):
        for path in sorted((shared_data / "bbc" / topic).glob("*.txt"))[:200]:
            (bbc / f"{topic}-{path.name}").write_bytes(path.read_bytes())
    run = find_stories([EXAMPLES / "seeds", bbc], tmp_path / "run", Config(workers=1))
    assert run.documents.num_rows >= 402
    assert sorted(run.story_of(VOA)) == [GLOBALSECURITY, VOA]
