"""Tests of storytrace.ingest on real files written to a temporary folder."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storytrace.config import Config
from storytrace.ingest import IngestResult, ingest
from storytrace.schema import RAW_DOCUMENTS, REJECTS

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REUTERS_000 = DATA / "reuters21578" / "reut2-000.sgm"


def run(*inputs: Path | str, config: Config | None = None) -> IngestResult:
    result = ingest(list(inputs), config or Config())
    assert result.documents.schema.equals(RAW_DOCUMENTS)
    assert result.rejects.schema.equals(REJECTS)
    return result


def docs(result: IngestResult) -> dict[str, dict[str, Any]]:
    return {row["doc_id"]: row for row in result.documents.to_pylist()}


def rejects(result: IngestResult) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = result.rejects.to_pylist()
    return rows


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# --- formats --------------------------------------------------------------------------------


def test_text_files_in_a_folder_use_relative_paths_as_ids(tmp_path: Path) -> None:
    (tmp_path / "sport").mkdir()
    (tmp_path / "sport" / "001.txt").write_text("Match report.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second story.", encoding="utf-8")
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    result = run(tmp_path)
    found = docs(result)
    assert list(found) == ["b.txt", "sport/001.txt"]
    assert found["sport/001.txt"]["text"] == "Match report."
    assert found["sport/001.txt"]["input"] == str(tmp_path / "sport" / "001.txt")
    assert found["b.txt"]["title"] is None and found["b.txt"]["published"] is None
    assert result.skipped_by_reason()["files"] == {
        "hidden file": 1,
        "unknown file type (type '.md')": 1,
    }
    assert result.rejects.num_rows == 0


def test_text_file_given_directly_uses_its_name(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbfWith a BOM.")
    assert docs(run(path))["story.txt"]["text"] == "With a BOM."


def test_jsonl_with_a_huge_number_keeps_every_record(tmp_path: Path) -> None:
    """A 5,000-digit number (more than Python converts) costs no record, not even its own."""
    digits = "7" * 5000
    lines = [
        json.dumps({"id": "before", "text": "The first article."}),
        '{"id": "big", "text": "An article with a long count.", "views": ' + digits + "}",
        '{"id": "date", "text": "A number for a time.", "published": ' + digits + "}",
        json.dumps({"id": "after", "text": "The last article."}),
    ]
    path = tmp_path / "numbers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(path)
    assert result.rejects.num_rows == 0, result.rejects.to_pylist()
    found = docs(result)
    assert sorted(found) == ["after", "before", "big", "date"]
    assert found["date"]["published"] is None


def test_jsonl_with_carriage_returns_only_keeps_its_records_apart(tmp_path: Path) -> None:
    records = [{"id": f"r{n}", "text": f"Article {n} of an old Mac file."} for n in range(3)]
    path = tmp_path / "mac.jsonl"
    path.write_bytes(("\r".join(json.dumps(r) for r in records) + "\r").encode())
    found = docs(run(path))
    assert sorted(found) == ["r0", "r1", "r2"]
    assert [found[f"r{n}"]["record"] for n in range(3)] == [1, 2, 3]


def test_jsonl_fields_and_types(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "id": 12,
                "text": "Hello world.",
                "title": "Greeting",
                "url": "http://example.com/1",
                "source": "example",
                "published": "2017-09-30T12:00:00+02:00",
            },
            {"id": "b", "text": "Second.", "published": 1_500_000_000},
            {"id": "c", "text": "Third.", "published": "2017-09-30"},
            {"id": "d", "text": "Fourth.", "published": "not a date"},
        ],
    )
    found = docs(run(path))
    assert list(found) == ["12", "b", "c", "d"]
    first = found["12"]
    assert (first["title"], first["url"], first["source"]) == (
        "Greeting",
        "http://example.com/1",
        "example",
    )
    assert first["published"] == datetime(2017, 9, 30, 10, 0, tzinfo=UTC)
    assert first["record"] == 1 and first["input"] == str(path)
    assert found["b"]["published"] == datetime.fromtimestamp(1_500_000_000, UTC)
    assert found["c"]["published"] == datetime(2017, 9, 30, tzinfo=UTC)
    assert found["d"]["published"] is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat, 30 Sep 2017 10:00:00 GMT", datetime(2017, 9, 30, 10, 0, tzinfo=UTC)),
        ("Sat, 30 Sep 2017 12:00:00 +0200", datetime(2017, 9, 30, 10, 0, tzinfo=UTC)),
        ("30 Sep 2017 10:00:00 -0000", datetime(2017, 9, 30, 10, 0, tzinfo=UTC)),
        (1_500_000_000, datetime.fromtimestamp(1_500_000_000, UTC)),
        ("1500000000.5", datetime.fromtimestamp(1_500_000_000.5, UTC)),
        (100_000_000, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),
        # A bare year or another small number is not a Unix time in the first days of 1970.
        (2017, None),
        ("2017", None),
        (2017.0, None),
        (99_999_999, None),
        (-86_400, None),
        ("Mon, 99 Foo 2017 10:00:00 GMT", None),
    ],
)
def test_published_numbers_and_rfc2822(tmp_path: Path, value: object, expected: object) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "Text.", "published": value}])
    assert docs(run(path))["a"]["published"] == expected


def test_documents_are_sorted_by_id(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.ndjson", [{"id": i, "text": "x"} for i in "cBaé"])
    assert run(path).documents["doc_id"].to_pylist() == ["B", "a", "c", "é"]


def test_csv_with_long_multiline_fields(tmp_path: Path) -> None:
    long_text = 'word, "quoted"\nnext line ' * 20_000  # above csv's default field limit
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text", "published"])
        writer.writerow(["1", "Long", long_text, "2020-01-02T03:04:05Z"])
        writer.writerow(["2", "", "Short.", "1577934245"])
    result = run(path)
    found = docs(result)
    assert found["1"]["text"] == long_text
    assert found["1"]["published"] == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert found["2"]["title"] is None
    assert found["2"]["published"] == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert found["2"]["record"] == 2


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    table = pa.table(
        {
            "id": [1, 2],
            "text": ["First.", "Second."],
            "published": pa.array([0, None], type=pa.timestamp("ns")),
            "html": ["<p>ignored</p>", None],
        }
    )
    pq.write_table(table, path)
    found = docs(run(path))
    assert found["1"]["text"] == "First."
    assert found["1"]["published"] == datetime(1970, 1, 1, tzinfo=UTC)
    assert found["2"]["record"] == 2 and found["2"]["published"] is None


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_a_timestamp_no_date_can_hold_keeps_its_article(tmp_path: Path, unit: str) -> None:
    """Year 10,000 and beyond (a sentinel, a corrupt column) is no time, not a crash: the
    articles of the file are all kept, the good time too."""
    per_second = {"s": 1, "ms": 1_000, "us": 1_000_000}[unit]
    huge = 400_000_000_000 * per_second  # about the year 14,645
    table = pa.table(
        {
            "id": ["late", "early", "fine"],
            "text": ["Far in the future.", "Far in the past.", "On time."],
            "published": pa.array([huge, -huge, 86_400 * per_second], type=pa.timestamp(unit)),
        }
    )
    pq.write_table(table, tmp_path / "times.parquet")
    result = run(tmp_path / "times.parquet")
    found = docs(result)
    assert sorted(found) == ["early", "fine", "late"] and result.rejects.num_rows == 0
    assert found["late"]["published"] is None and found["early"]["published"] is None
    assert found["fine"]["published"] == datetime(1970, 1, 2, tzinfo=UTC)


def test_gzip_by_suffix_and_by_magic_bytes(tmp_path: Path) -> None:
    line = json.dumps({"id": "z", "text": "Zipped."}) + "\n"
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(line.encode()))
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(b"Zipped text."))
    (tmp_path / "c.csv").write_bytes(gzip.compress(b"id,text\nq,Zipped CSV.\n"))  # no .gz
    found = docs(run(tmp_path))
    assert found["z"]["text"] == "Zipped."
    assert found["b.txt.gz"]["text"] == "Zipped text."
    assert found["q"]["text"] == "Zipped CSV."


def test_renamed_id_and_text_fields(tmp_path: Path) -> None:
    config = Config(id_field="guid", text_field="body")
    path = write_jsonl(tmp_path / "a.jsonl", [{"guid": "g1", "body": "Renamed.", "text": "no"}])
    (tmp_path / "b.csv").write_text("guid,body\ng2,Also renamed.\n", encoding="utf-8")
    found = docs(run(path, tmp_path / "b.csv", config=config))
    assert found["g1"]["text"] == "Renamed."
    assert found["g2"]["text"] == "Also renamed."


def test_missing_id_gets_a_stable_content_id(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"text": "No id here."}, {"id": None, "text": "Null id."}, {"id": " ", "text": "x"}],
    )
    found = docs(run(path))
    expected = "sha1-" + hashlib.sha1(b"No id here.").hexdigest()[:16]
    assert found[expected]["text"] == "No id here."
    assert len(found) == 3 and all(doc_id.startswith("sha1-") for doc_id in found)
    assert list(docs(run(path))) == list(found)  # same input, same ids


def test_identical_texts_without_ids_all_stay_documents(tmp_path: Path) -> None:
    copy = {"text": "The same wire story, reprinted."}
    path = write_jsonl(tmp_path / "a.jsonl", [copy, copy, copy])
    result = run(path)
    base = "sha1-" + hashlib.sha1(copy["text"].encode()).hexdigest()[:16]
    assert sorted(docs(result)) == [base, base + "~2", base + "~3"]
    assert rejects(result) == []


# --- rejects --------------------------------------------------------------------------------


def test_broken_json_line_keeps_the_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"id": "1", "text": "One."}\n'
        "\n"
        '{"id": "2" "text": "Two."}\n'
        "[1, 2]\n"
        '{"id": "4", "text": "Four."}\n',
        encoding="utf-8",
    )
    result = run(path)
    assert list(docs(result)) == ["1", "4"]
    bad = rejects(result)
    assert [(r["record"], r["reason"]) for r in bad] == [
        (3, "invalid JSON: Expecting ',' delimiter at column 12"),
        (4, "JSON line is not an object (found an array)"),
    ]
    assert bad[0]["raw"] == '{"id": "2" "text": "Two."}'
    assert bad[0]["input"] == str(path)


def test_text_problems_are_rejected(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "missing"},
            {"id": "null", "text": None},
            {"id": "empty", "text": ""},
            {"id": "blank", "text": "  \n\t"},
            {"id": "number", "text": 5},
            {"id": "nul", "text": "a\x00b"},
        ],
    )
    result = run(path)
    assert [(r["doc_id"], r["reason"]) for r in rejects(result)] == [
        ("missing", "missing text field 'text'"),
        ("null", "text is null"),
        ("empty", "text is empty"),
        ("blank", "text is only whitespace"),
        ("number", "text is not a string (found int)"),
    ]
    assert docs(result)["nul"]["text"] == "a b"


def test_duplicate_id_first_occurrence_wins(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": "first"}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": "y", "text": "y"}, {"id": "x", "text": "2nd"}])
    result = run(a, b)
    assert docs(result)["x"]["text"] == "first"
    (reject,) = rejects(result)
    assert reject["reason"] == f"duplicate id 'x' (first seen in {a} record 1)"
    assert (reject["input"], reject["record"], reject["doc_id"]) == (str(b), 2, "x")


def test_csv_row_problems(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,text\n1,Good.\n2\n3,\n4,Also good.\n", encoding="utf-8")
    result = run(path)
    assert list(docs(result)) == ["1", "4"]
    assert [(r["record"], r["reason"]) for r in rejects(result)] == [
        (2, "row has 1 fields but the header has 2"),
        (3, "text is empty"),
    ]
    (tmp_path / "b.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    (reject,) = rejects(run(tmp_path / "b.csv"))
    assert reject["record"] == 0
    assert reject["reason"] == "missing text column 'text' (columns: 'id', 'body')"


def test_cp1252_and_latin1_bytes_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Le café “chaud” coûte 2 €.".encode("cp1252"))
    (tmp_path / "b.jsonl").write_bytes(
        b'{"id": "utf8", "text": "na\xc3\xafve"}\n'
        + '{"id": "cp", "text": "café au lait"}\n'.encode("cp1252")
    )
    (tmp_path / "c.csv").write_bytes("id,text\nlat,Crème brûlée à Noël\n".encode("latin-1"))
    # One Latin-1 byte in English text: charset-normalizer's first guess is cp1250 ("Ł").
    english = "Chelsea have sacked the striker after he failed a drugs test. " * 30
    (tmp_path / "d.txt").write_bytes(f"A £15.8m signing. {english}".encode("latin-1"))
    found = docs(run(tmp_path))
    assert found["d.txt"]["text"].startswith("A £15.8m signing.")
    assert found["a.txt"]["text"] == "Le café “chaud” coûte 2 €."
    assert found["utf8"]["text"] == "naïve"
    assert found["cp"]["text"] == "café au lait"
    assert found["lat"]["text"] == "Crème brûlée à Noël"


def test_binary_garbage_does_not_crash(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(5000)
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "noise.jsonl").write_bytes(noise)
    (tmp_path / "noise.csv").write_bytes(noise)
    (tmp_path / "noise.parquet").write_bytes(noise)
    (tmp_path / "noise.sgm").write_bytes(noise)
    result = run(tmp_path)
    assert result.documents.num_rows == 0
    by_input = {Path(r["input"]).name: r for r in rejects(result)}
    assert by_input["noise.txt"]["reason"].startswith("undecodable bytes")
    assert by_input["noise.parquet"]["record"] == 0
    assert by_input["noise.parquet"]["reason"].startswith("cannot read file")
    assert by_input["noise.sgm"]["reason"] == "no <REUTERS> items found"
    assert {"noise.jsonl", "noise.csv"} <= set(by_input)


def test_unreadable_files_are_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(b"\x1f\x8b not really gzip")
    (tmp_path / "b.txt.gz").write_bytes(b"plain text named .gz")
    full = gzip.compress(b'{"id": "t1", "text": "kept"}\n' * 50)
    (tmp_path / "c.jsonl.gz").write_bytes(full[: len(full) - 12])  # truncated stream
    write_jsonl(tmp_path / "d.jsonl", [{"id": "ok", "text": "Still read."}])
    locked = tmp_path / "e.txt"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    try:
        result = run(tmp_path)
    finally:
        locked.chmod(0o644)
    assert "ok" in docs(result) and "t1" in docs(result)
    reasons = {Path(r["input"]).name: (r["record"], r["reason"]) for r in rejects(result)}
    assert reasons["a.jsonl.gz"][0] == 0
    assert reasons["a.jsonl.gz"][1].startswith("cannot read file")
    assert reasons["b.txt.gz"] == (
        0,
        "cannot read file: the file is named .gz but is not gzip-compressed",
    )
    assert reasons["c.jsonl.gz"][1].startswith("cannot read the rest of the file after")
    if os.geteuid() != 0:  # root reads everything
        assert reasons["e.txt"] == (0, "cannot read file: Permission denied")


def test_a_folder_that_cannot_be_listed_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "open").mkdir()
    (tmp_path / "locked").mkdir()
    write_jsonl(tmp_path / "open" / "a.jsonl", [{"id": "a", "text": "Read."}])
    write_jsonl(tmp_path / "locked" / "b.jsonl", [{"id": "b", "text": "Never read."}])
    scandir = os.scandir

    def refuse_locked(path: Any) -> Any:  # chmod does not stop root, so refuse by hand
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    result = run(tmp_path)
    assert list(docs(result)) == ["a"]
    assert [(r["input"], r["record"], r["reason"]) for r in rejects(result)] == [
        (str(tmp_path / "locked"), 0, "cannot read folder: Permission denied")
    ]


def test_unknown_extension_given_explicitly_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_text("hello", encoding="utf-8")
    result = run(path, tmp_path / "absent.jsonl")
    assert [(r["record"], r["reason"]) for r in rejects(result)] == [
        (0, "unsupported file type '.xyz'"),
        (0, "no such file or folder"),
    ]


def test_progress_counts_every_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": i, "text": "t"} for i in range(1234)])
    calls: list[int] = []
    ingest([path], Config(), progress=calls.append)
    assert sum(calls) == 1234 and len(calls) >= 3


def test_raw_is_cut_to_10000_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "1", "text": "' + "x" * 20_000 + "\n", encoding="utf-8")
    (reject,) = rejects(run(path))
    assert len(reject["raw"]) == 10_000


def test_single_pound_sign_in_real_bbc_file() -> None:
    """charset-normalizer alone reads this file's one "£" byte as Japanese katakana."""
    path = DATA / "bbc" / "sport" / "199.txt"
    if not path.exists():
        pytest.skip(f"shared data not available at {DATA}")
    (doc,) = run(path).documents.to_pylist()
    assert "a £15.8m signing" in doc["text"]


# --- Reuters SGML ---------------------------------------------------------------------------


def test_reuters_sgml_real_file() -> None:
    if not REUTERS_000.exists():
        pytest.skip(f"shared data not available at {DATA}")
    result = run(REUTERS_000)
    found = docs(result)
    first = found["reuters-1"]
    assert first["title"] == "BAHIA COCOA REVIEW"
    assert first["source"] == "reuters"
    assert first["published"] == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)
    assert first["text"].startswith("Showers continued")
    assert first["text"].rstrip().endswith("Reuter")
    assert first["record"] == 1
    assert not any("&#3;" in d["text"] or "\x03" in d["text"] for d in found.values())
    assert not any("&lt;" in d["text"] for d in found.values())
    assert any("<" in d["text"] for d in found.values())
    assert result.rejects.num_rows == 0
    assert result.documents.num_rows + result.skipped_items == 1000


def test_reuters_malformed_date_and_briefs(tmp_path: Path) -> None:
    path = tmp_path / "mini.sgm"
    path.write_bytes(
        b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n'
        b'<REUTERS TOPICS="NO" NEWID="7">\n<DATE>31-MAR-1987 605:12:19.12</DATE>\n'
        b"<TEXT>&#2;\n<TITLE>A &amp; B &lt;CO&gt;</TITLE>\n"
        b"<BODY>Caf\xe9 &lt;AB&gt; rose.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
        b'<REUTERS TOPICS="NO" NEWID="8">\n<DATE> 9-APR-1987 13:32:06.7</DATE>\n'
        b'<TEXT TYPE="BRIEF">&#2;\n******<TITLE>BRIEF ONLY</TITLE>\n&#3;\n</TEXT>\n</REUTERS>\n'
    )
    result = run(path)
    (doc,) = result.documents.to_pylist()
    assert doc["doc_id"] == "reuters-7"
    assert doc["title"] == "A & B <CO>"
    assert doc["text"] == "Café <AB> rose.\n Reuter\n"
    assert doc["published"] is None
    assert result.rejects.num_rows == 0 and result.skipped_items == 1


def _reuters_item(newid: int, body: bytes, end: bytes = b"</BODY></TEXT>\n</REUTERS>\n") -> bytes:
    return (
        f'<REUTERS TOPICS="NO" NEWID="{newid}">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n'.encode()
        + b"<TEXT>&#2;\n<TITLE>ITEM</TITLE>\n<BODY>"
        + body
        + end
    )


def test_reuters_items_without_their_closing_body_tag_are_read(tmp_path: Path) -> None:
    path = tmp_path / "no-body-end.sgm"
    path.write_bytes(
        _reuters_item(1, b"Cocoa prices rose.\n Reuter\n", b"</TEXT>\n</REUTERS>\n")
        + _reuters_item(2, b"Coffee prices fell.\n Reuter\n", b"</TEXT>\n</REUTERS>\n")
    )
    result = run(path)
    assert [d["text"] for d in result.documents.to_pylist()] == [
        "Cocoa prices rose.\n Reuter\n",
        "Coffee prices fell.\n Reuter\n",
    ]
    assert result.rejects.num_rows == 0


def test_a_truncated_reuters_file_rejects_its_cut_item(tmp_path: Path) -> None:
    """The items before the cut are kept; the cut one is a reject saying so, not lost."""
    path = tmp_path / "cut.sgm"
    path.write_bytes(
        _reuters_item(1, b"Cocoa prices rose.\n") + _reuters_item(2, b"Coffee pri")[:-40]
    )
    result = run(path)
    assert [d["doc_id"] for d in result.documents.to_pylist()] == ["reuters-1"]
    (reject,) = result.rejects.to_pylist()
    assert reject["record"] == 2 and "cut short" in reject["reason"]


# --- trust: sizes, encodings, what is not read ----------------------------------------------

ARTICLE = (
    "Britain's economy grew by 0.4% in the third quarter, the Office for National Statistics "
    "said, as a £600m rise in exports offset weaker spending by households."
)


def test_a_line_over_the_size_limit_is_rejected_and_the_lines_after_it_are_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.jsonl"
    lines = [{"id": "before", "text": ARTICLE}, {"id": "huge", "text": "x" * 5000}]
    write_jsonl(path, [*lines, {"id": "after", "text": ARTICLE + " Later."}])
    result = run(path, config=Config(max_document_bytes=1000))
    assert sorted(docs(result)) == ["after", "before"]
    (reject,) = rejects(result)
    assert reject["record"] == 2
    assert reject["reason"] == "the line is over 1,000 bytes (max_document_bytes)"


def test_a_gzip_bomb_stops_at_the_decompressed_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    good = json.dumps({"id": "first", "text": ARTICLE}).encode() + b"\n"
    path.write_bytes(gzip.compress(good + b"0" * 200_000))
    result = run(path, config=Config(max_decompressed_bytes=100_000))
    assert list(docs(result)) == ["first"]
    assert rejects(result)[-1]["reason"].endswith(
        "the decompressed file is over 100,000 bytes (max_decompressed_bytes)"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_wide_encodings_are_read_in_every_format(tmp_path: Path, encoding: str) -> None:
    """With a byte-order mark ("utf-16", "utf-32") or without one (-le, -be)."""
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode(encoding))
    line = json.dumps({"id": "j", "text": ARTICLE}, ensure_ascii=False) + "\n"
    (tmp_path / "b.jsonl").write_bytes(line.encode(encoding))
    (tmp_path / "c.csv").write_bytes(f'id,text\nc,"{ARTICLE}"\n'.encode(encoding))
    found = docs(run(tmp_path))
    assert {doc_id: doc["text"] for doc_id, doc in found.items()} == {
        "a.txt": ARTICLE,
        "j": ARTICLE,
        "c": ARTICLE,
    }
    assert {doc["encoding_guessed"] for doc in found.values()} == {encoding[-2:] in ("le", "be")}


def test_windows_1252_news_keeps_its_pound_signs(tmp_path: Path) -> None:
    """Charset detection alone reads a short cp1252 text with a "£" as Central European
    ("Ł600m"); Western text is read as Windows-1252 first."""
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("cp1252"))
    mixed = ARTICLE + "\n\nLe gouvernement français a annoncé une réforme très contestée."
    (tmp_path / "b.txt").write_bytes(mixed.encode("cp1252"))
    found = docs(run(tmp_path))
    assert found["a.txt"]["text"] == ARTICLE and found["b.txt"]["text"] == mixed
    assert found["a.txt"]["encoding"] == "cp1252" and found["a.txt"]["encoding_guessed"]


def test_utf8_with_a_stray_windows_1252_byte_keeps_its_utf8(tmp_path: Path) -> None:
    text = "Café owners in Zürich paid "
    data = text.encode("utf-8") + b"\xa3" + "3m — for the façade.".encode()
    (tmp_path / "a.txt").write_bytes(data)
    assert (
        docs(run(tmp_path))["a.txt"]["text"] == "Café owners in Zürich paid £3m — for the façade."
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (" ".join("Industrial output falls in Japan"), "spaced apart"),
        ("%$#@!&*" * 20 + " a", "mostly symbols"),
        ("aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCBkYXRh1234" * 4, "encoded data"),
        ("\x01\x02\x03\x04 binary \x05\x06\x07\x08", "binary data"),
    ],
)
def test_text_that_is_not_language_is_rejected_with_the_reason(
    tmp_path: Path, text: str, why: str
) -> None:
    write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": text}])
    (reject,) = rejects(run(tmp_path))
    assert reject["reason"].startswith("text is not language") and why in reject["reason"]


def test_fifos_devices_and_links_out_of_the_folder_are_skipped_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    secret = tmp_path / "secret.txt"
    secret.write_text("not part of the collection", encoding="utf-8")
    (folder / "secret.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    result = run(folder)
    assert sorted(docs(result)) == ["good.txt", "inside.txt"]
    assert result.skipped_by_reason()["files"] == {
        "not a regular file (a FIFO)": 1,
        "symbolic link to a file outside the input folder": 2,
    }
    followed = run(folder, config=Config(follow_symlinks=True))
    assert "secret.txt" in docs(followed)
    assert "not a regular file (a device)" in followed.skipped_by_reason()["files"]


def test_a_fifo_named_on_the_command_line_is_a_reject(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    (reject,) = rejects(run(tmp_path / "pipe.jsonl"))
    assert reject["reason"].startswith("not a regular file (a FIFO)")
