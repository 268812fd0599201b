"""Coverage-guided fuzzing of every reader: ``python -m bench.fuzz_readers [--seconds 60]``.

One target per reader: libFuzzer's bytes become a temporary file of that format (named so
that ingest picks the reader), and ingest reads it. Ingest must never raise, never put a
record in both tables, and give every reject a reason; anything else is a crash, and
atheris saves its input under ``bench/.work/fuzz/<reader>/`` (``crash-*``). Each reader is
fuzzed in its own child process for ``--seconds`` (libFuzzer ends a run by exiting), seeded
with small valid files of its format, and the parent prints executions, coverage and
crashes per reader. ``--reader NAME`` fuzzes one reader in this process.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
WORK: Final = ROOT / "bench" / ".work" / "fuzz"
READERS: Final = {
    "text": "article.txt",
    "jsonl": "articles.jsonl",
    "csv": "articles.csv",
    "parquet": "articles.parquet",
    "sgml": "reut2-000.sgm",
    "html": "page.html",
    "warc": "crawl.warc",
    "gzip": "articles.jsonl.gz",
}
"""Reader name to the file name its input is written as."""
_DONE: Final = re.compile(r"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)")
_PROGRESS: Final = re.compile(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)")


def seeds(reader: str) -> list[bytes]:
    """Small valid files of the reader's format, to start the corpus from real structure."""
    from bench.bad_inputs.formats import (
        csv_rows,
        html_page,
        http_response,
        sgml_file,
        sgml_item,
        warc_record,
    )

    text = "Shares of the bank rose 5% to £3.20 on Monday.\nThe chairman said: “a record”."
    if reader == "text":
        return [text.encode("utf-8"), text.encode("cp1252"), text.encode("utf-16")]
    if reader in ("jsonl", "gzip"):
        line = (
            b'{"id": "a1", "title": "Bank", "text": "'
            + text.replace("\n", "\\n").encode()
            + b'"}\n'
        )
        data = [line + line.replace(b"a1", b"a2"), b'{"text": 1}\n[1]\n']
        return [gzip.compress(d, mtime=0) for d in data] if reader == "gzip" else data
    if reader == "csv":
        return [csv_rows([["id", "title", "text"], ["a1", "Bank", text]]).encode("utf-8")]
    if reader == "parquet":
        import io

        import pyarrow as pa
        import pyarrow.parquet as pq

        out = io.BytesIO()
        pq.write_table(pa.table({"id": ["a1"], "text": [text], "published": ["2017-09-30"]}), out)
        return [out.getvalue()]
    if reader == "sgml":
        return [
            sgml_file([sgml_item(1, "BANK", text), sgml_item(2, "BRIEF", None)]).encode(
                "latin-1", "replace"
            )
        ]
    page = html_page("Bank shares rise", [text] * 3).encode("utf-8")
    if reader == "html":
        return [page]
    block = http_response(200, "text/html", page)
    return [warc_record("response", "0" * 32, block, uri="https://x.example/a")]


def fuzz_one(reader: str, seconds: int) -> None:
    """Fuzz one reader in this process until libFuzzer's time is up (it then exits)."""
    import atheris

    with atheris.instrument_imports(include=["storytrace"]):
        from storytrace.config import Config
        from storytrace.ingest import ingest

    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{reader}-"))
    path = folder / READERS[reader]
    config = Config()

    def target(data: bytes) -> None:
        path.write_bytes(data)
        result = ingest([str(folder)], config)
        reasons = result.rejects.column("reason").to_pylist()
        assert all(r and r.strip() for r in reasons), f"a reject without a reason: {reasons}"
        keys = Counter(
            row["record"]
            for table in (result.documents, result.rejects)
            for row in table.select(["record"]).to_pylist()
            if row["record"] != 0
        )
        assert all(n == 1 for n in keys.values()), f"a record counted twice: {keys}"

    out = WORK / reader
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(seeds(reader)):
        (corpus / f"seed-{index}").write_bytes(seed)
    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        f"-artifact_prefix={out}/",
        "-max_len=8192",
        "-timeout=20",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
    ]
    atheris.Setup(args, target)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per reader")
    parser.add_argument("--reader", choices=sorted(READERS), help="fuzz only this reader, here")
    parser.add_argument("--only", nargs="*", choices=sorted(READERS), help="readers to fuzz")
    args = parser.parse_args(argv)
    if args.reader:
        fuzz_one(args.reader, args.seconds)
        return 0
    crashed = 0
    for reader in args.only or list(READERS):
        before = set((WORK / reader).glob("crash-*")) if (WORK / reader).is_dir() else set()
        command = [
            sys.executable,
            "-m",
            "bench.fuzz_readers",
            "--reader",
            reader,
            "--seconds",
            str(args.seconds),
        ]
        log = WORK / f"{reader}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out:
            child = subprocess.run(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, check=False
            )
        text = log.read_text(errors="replace")
        progress = list(_PROGRESS.finditer(text))
        done = _DONE.search(text) or (progress[-1] if progress else None)
        runs, cov, ft = done.groups() if done else ("?", "?", "?")
        new = sorted(set((WORK / reader).glob("crash-*")) - before)
        crashed += bool(new) or child.returncode != 0
        figures = f"executions {runs:>8}  coverage {cov:>5}  features {ft:>6}"
        print(f"{reader:8} {figures}  exit {child.returncode}")
        for crash in new:
            error = re.findall(r"^\s*(\w+(?:Error|Exception)[^\n]*)", text, re.MULTILINE)
            what = error[-1] if error else f"see {log}"
            print(f"  crash saved to {crash.relative_to(ROOT)}: {what}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
