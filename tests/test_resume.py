"""A run killed at any point resumes to the same tables, and leaves no process behind.

Written against the run store: ``manifest.json`` says ``"status": "running"`` until the very
end, each stage writes its tables and then ``stages/<stage>.json``, and running the same
command again skips the stages whose record is there. What is checked here is what a user
sees after ``kill -9`` (an out-of-memory kill, a closed laptop, a preempted machine):

- the interrupted folder is refused as a run ("incomplete"), by the library and the commands;
- no worker, fork server or resource tracker of the killed run is left running;
- the same command finishes the run, says it resumed, and writes the same bytes as a run
  that was never interrupted;
- a setting that only the late stages read redoes those stages only.

The run is a real ``storytrace run`` process with two workers on real news (the seeds, the
Reuters sample and 400 BBC articles): only a separate process can be killed like that.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import storytrace
from storytrace import table_files

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").is_file(), reason="reads the process tree from /proc"
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STAGES = (
    "ingest",
    "recurring",
    "clean",
    "copies",
    "sign",
    "candidates",
    "formula",
    "verify",
    "cluster",
    "changes",
)
"""Stage names of a run, in order (a mode may skip some)."""
TABLES = ("documents", "pairs", "passages", "stories", "changes", "rejects")
BBC_PER_TOPIC = 80
# 1,002 documents in batches of 100: every per-document stage has 11 tasks, so the two
# workers do get work (a stage of one batch runs in the main process).
BASE_SETTINGS = "batch_size = 100\n"
# Read by verify only (copies of a formula text published far apart, relation checks); on
# this corpus it drops some Reuters pairs, so a run that ignored it would be caught.
LATE_SETTING = "max_days_apart = 1.0\n"
LATE_STAGE = "verify"
EARLY_STAGES = STAGES[: STAGES.index(LATE_STAGE)]
RUN_TIMEOUT = 180.0
GONE_WITHIN = 10.0
POLL = 0.005


# -- the corpus and the commands ---------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    inputs: tuple[Path, ...]
    config: Path
    """Settings of every run below."""
    late_config: Path
    """The same with one setting changed that only the late stages read."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Corpus:
    """The seeds, the Reuters sample and the first 80 articles of each BBC topic (1,002
    documents, a few seconds): long enough to be killed inside a stage, short enough to run
    a dozen times."""
    root = tmp_path_factory.mktemp("resume-corpus")
    bbc = root / "bbc"
    topics = sorted(p for p in (shared_data / "bbc").iterdir() if p.is_dir())
    assert len(topics) == 5, f"expected the five BBC topic folders, found {topics}"
    for topic in topics:
        (bbc / topic.name).mkdir(parents=True)
        articles = sorted(topic.glob("*.txt"))[:BBC_PER_TOPIC]
        assert len(articles) == BBC_PER_TOPIC
        for article in articles:
            shutil.copyfile(article, bbc / topic.name / article.name)
    config = root / "settings.toml"
    config.write_text("[storytrace]\n" + BASE_SETTINGS, encoding="utf-8")
    late_config = root / "late-settings.toml"
    late_config.write_text("[storytrace]\n" + BASE_SETTINGS + LATE_SETTING, encoding="utf-8")
    inputs = (EXAMPLES / "seeds", EXAMPLES / "reuters-sample.jsonl.gz", bbc)
    return Corpus(inputs, config, late_config)


def run_command(
    corpus: Corpus, run_dir: Path, config: Path | None = None, engine: tuple[str, ...] = ()
) -> list[str]:
    """``storytrace run`` of the corpus with two workers (or on the ``engine`` options): the
    same list for a run, its resume and its reference."""
    return [
        sys.executable,
        "-m",
        "storytrace",
        "run",
        *map(str, corpus.inputs),
        "-o",
        str(run_dir),
        "--workers",
        "2",
        "--config",
        str(config or corpus.config),
        *engine,
    ]


@dataclass
class Started:
    """A ``storytrace`` process writing its output to two files."""

    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text("utf-8", "replace") + self.stderr.read_text("utf-8", "replace")

    def tail(self) -> str:
        return self.stderr.read_text("utf-8", "replace")[-3000:]


def start(command: list[str], logs: Path) -> Started:
    """Start ``command`` as the leader of a new session, so that anything it starts can be
    found by session id after it is killed, even once reparented away from it."""
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / "stdout.txt", logs / "stderr.txt"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True
        )
    return Started(process, stdout, stderr)


def finish(started: Started, timeout: float = RUN_TIMEOUT) -> int:
    """Wait for the process to exit; its exit code. A hung process is killed, and fails."""
    try:
        return started.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        started.process.kill()
        started.process.wait()
        pytest.fail(f"{started.process.args!r} still running after {timeout} s")


def run_to_end(command: list[str], logs: Path) -> Started:
    started = start(command, logs)
    finish(started)
    return started


def manifest_status(run_dir: Path) -> object:
    data = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data.get("status")


def records(run_dir: Path) -> dict[str, int]:
    """Stages with a readable completion record, and the record's mtime in ns."""
    found = {}
    for path in sorted((run_dir / "stages").glob("*.json")):
        try:
            record = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and {"stage", "key", "tables"} <= record.keys():
            found[path.stem] = path.stat().st_mtime_ns
    return found


def assert_same_tables(run_dir: Path, reference: Path) -> None:
    """Every final table of ``run_dir`` has the bytes of the reference's (the rows, in order,
    for a table a Spark run wrote in parts), and it is done."""
    expected = sorted(p.name for p in reference.glob("*.parquet"))
    assert expected == sorted(f"{name}.parquet" for name in TABLES)
    assert sorted(p.name for p in run_dir.glob("*.parquet")) == expected
    differ = [n for n in expected if not _same_table(run_dir / n, reference / n)]
    assert not differ, f"tables differ from the uninterrupted run: {differ}"
    assert manifest_status(run_dir) == "complete"


def _same_table(path: Path, reference: Path) -> bool:
    if path.is_dir():
        return table_files.read(path).equals(table_files.read(reference))
    return path.read_bytes() == reference.read_bytes()


@pytest.fixture(scope="module")
def reference(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same command, never interrupted: what every resumed run must equal."""
    root = tmp_path_factory.mktemp("resume-reference")
    done = run_to_end(run_command(corpus, root / "run"), root / "logs")
    assert done.process.returncode == 0, done.tail()
    assert manifest_status(root / "run") == "complete"
    return root / "run"


# -- the process tree, from /proc ------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    state: str
    ppid: int
    session: int
    start: int
    """Start time in clock ticks since boot: tells a process from a later one with its pid."""


def read_stat(pid: int) -> Stat | None:
    """Fields of /proc/<pid>/stat; None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces and parentheses itself.
    fields = text[text.rindex(")") + 2 :].split()
    return Stat(fields[0], int(fields[1]), int(fields[3]), int(fields[19]))


def all_stats() -> dict[int, Stat]:
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := read_stat(int(entry))) is not None:
            stats[int(entry)] = stat
    return stats


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return "?"


def alive(pid: int, start: int) -> bool:
    """The process that had ``pid`` at ``start`` still runs (a zombie has finished)."""
    stat = read_stat(pid)
    return stat is not None and stat.start == start and stat.state not in ("Z", "X")


@dataclass
class ProcessTree:
    """Every process seen below one root, collected by polling while it runs: workers come
    and go with the stages, and after the root is killed they are reparented and can no
    longer be found from it."""

    root: int
    seen: dict[int, int] = field(default_factory=dict)
    """Descendants ever seen: pid to start time."""

    def record(self) -> None:
        stats = all_stats()
        children: dict[int, list[int]] = {}
        for pid, stat in stats.items():
            children.setdefault(stat.ppid, []).append(pid)
        below = list(children.get(self.root, []))
        while below:
            pid = below.pop()
            self.seen.setdefault(pid, stats[pid].start)
            below.extend(children.get(pid, []))

    def survivors(self) -> dict[int, int]:
        """Seen descendants still running, and any other live process of the root's
        session (one started after the last poll)."""
        left = {pid: start for pid, start in self.seen.items() if alive(pid, start)}
        for pid, stat in all_stats().items():
            if stat.session == self.root and pid != self.root and stat.state not in ("Z", "X"):
                left[pid] = stat.start
        return left

    def wait_gone(self, timeout: float) -> dict[int, int]:
        """Survivors after up to ``timeout`` seconds (empty once all are gone)."""
        deadline = time.monotonic() + timeout
        while (left := self.survivors()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return left

    def kill_survivors(self) -> None:
        """Clean up after a failed check: processes this test started, by pid."""
        for pid, start in self.survivors().items():
            if alive(pid, start):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@dataclass
class Killed:
    run_dir: Path
    tree: ProcessTree
    logs: Started
    survivors: dict[int, str]
    """Processes of the killed run still running ``GONE_WITHIN`` seconds after the kill, with
    their command lines."""


def run_and_kill(
    corpus: Corpus,
    run_dir: Path,
    logs: Path,
    after: str,
    delay: float,
    engine: tuple[str, ...] = (),
    timeout: float = RUN_TIMEOUT,
    gone_within: float = GONE_WITHIN,
) -> Killed:
    """Start the run, wait until ``stages/<after>.json`` appears, wait ``delay`` seconds more
    and SIGKILL the ``storytrace run`` process. The process tree is polled throughout."""
    started = start(run_command(corpus, run_dir, engine=engine), logs)
    process = started.process
    tree = ProcessTree(process.pid)
    mark = run_dir / "stages" / f"{after}.json"
    deadline = time.monotonic() + timeout
    kill_at: float | None = None
    try:
        while kill_at is None or time.monotonic() < kill_at:
            tree.record()
            if process.poll() is not None:
                pytest.fail(
                    f"the run ended (exit {process.returncode}) before the kill point: "
                    f"{delay} s after {mark.relative_to(run_dir)} appeared "
                    f"({'it did' if kill_at else 'it never did'})\n{started.tail()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {mark} after {timeout} s")
            if kill_at is None and mark.exists():
                kill_at = time.monotonic() + delay
            time.sleep(POLL)
        tree.record()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        left = {pid: command_line(pid) for pid in tree.wait_gone(gone_within)}
        return Killed(run_dir, tree, started, left)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        tree.kill_survivors()


# -- the tests ---------------------------------------------------------------------------------

KILL_POINTS = [
    # Between two stages: the record of one is written, the next has not written anything.
    pytest.param("clean", 0.0, True, id="after-clean"),
    pytest.param("verify", 0.0, True, id="after-verify"),
    # Inside a stage: tables half written, temporary files, workers busy.
    pytest.param("ingest", 0.4, False, id="ingest+0.4s"),
    pytest.param("copies", 0.3, True, id="copies+0.3s"),
    pytest.param("candidates", 0.15, True, id="candidates+0.15s"),
]


@pytest.mark.parametrize(("after", "delay", "workers_started"), KILL_POINTS)
def test_a_killed_run_resumes_to_the_tables_of_an_uninterrupted_one(
    corpus: Corpus,
    reference: Path,
    tmp_path: Path,
    after: str,
    delay: float,
    workers_started: bool,
) -> None:
    """kill -9 at a stage boundary and inside stages: nothing of the run keeps running, the
    folder is not taken for a run, and the same command finishes it with the same bytes."""
    run_dir = tmp_path / "run"
    killed = run_and_kill(corpus, run_dir, tmp_path / "killed", after, delay)

    assert manifest_status(run_dir) == "running", "the kill came after the run was complete"
    if workers_started:  # two parallel stages have run: the check below is not vacuous
        assert killed.tree.seen, "no process was ever started below `storytrace run`"
    assert not killed.survivors, (
        f"processes of the killed run still running {GONE_WITHIN} s after the kill: "
        + "; ".join(f"{pid}: {line}" for pid, line in killed.survivors.items())
    )

    done_before = records(run_dir)
    assert after in done_before
    with pytest.raises(OSError) as caught:
        storytrace.open_run(run_dir)
    message = str(caught.value)
    assert "incomplete" in message
    missing = [s for s in STAGES if s not in done_before] + [
        f"{t}.parquet" for t in TABLES if not (run_dir / f"{t}.parquet").is_file()
    ]
    assert any(name in message for name in missing), f"{message!r} names none of {missing}"

    resumed = run_to_end(run_command(corpus, run_dir), tmp_path / "resumed")
    assert resumed.process.returncode == 0, resumed.tail()
    assert "resum" in resumed.stderr.read_text("utf-8").lower(), resumed.tail()
    redone = [s for s, mtime in done_before.items() if records(run_dir).get(s) != mtime]
    assert not redone, f"stages done before the kill were redone: {redone}"
    assert_same_tables(run_dir, reference)


SPARK = ("--engine", "spark", "--master", "local[2]")
SPARK_TIMEOUT = 600.0
"""A Spark run of this corpus takes a minute or two on two cores (the JVM, a job per step)."""
SPARK_GONE_WITHIN = 30.0
"""The JVM leaves once it reads the end of its standard input, which the killed run held;
its Python workers go with it."""


def test_a_killed_spark_run_resumes_to_the_tables_of_an_uninterrupted_one(
    corpus: Corpus, reference: Path, tmp_path: Path
) -> None:
    """kill -9 of a Spark run inside its sign stage: the JVM and its Python workers end,
    and the same command resumes after copies and writes the bytes of the local run."""
    run_dir = tmp_path / "run"
    killed = run_and_kill(
        corpus,
        run_dir,
        tmp_path / "killed",
        "copies",
        1.0,
        SPARK,
        timeout=SPARK_TIMEOUT,
        gone_within=SPARK_GONE_WITHIN,
    )
    assert manifest_status(run_dir) == "running", "the kill came after the run was complete"
    assert killed.tree.seen, "no JVM or Python worker was ever started below `storytrace run`"
    assert not killed.survivors, (
        f"processes of the killed Spark run still running {SPARK_GONE_WITHIN} s after the "
        "kill: " + "; ".join(f"{pid}: {line}" for pid, line in killed.survivors.items())
    )
    done_before = records(run_dir)
    assert {"ingest", "clean", "copies"} <= done_before.keys()
    assert "changes" not in done_before

    resumed = start(run_command(corpus, run_dir, engine=SPARK), tmp_path / "resumed")
    assert finish(resumed, timeout=SPARK_TIMEOUT) == 0, resumed.tail()
    assert "resum" in resumed.stderr.read_text("utf-8").lower(), resumed.tail()
    redone = [s for s, mtime in done_before.items() if records(run_dir).get(s) != mtime]
    assert not redone, f"stages done before the kill were redone: {redone}"
    assert_same_tables(run_dir, reference)
    assert json.loads((run_dir / "manifest.json").read_text("utf-8"))["engine"] == "spark"


def test_a_changed_setting_redoes_only_the_stages_that_read_it(
    corpus: Corpus, reference: Path, tmp_path: Path
) -> None:
    """A complete run rerun with ``max_days_apart`` changed redoes verify and what follows,
    keeps the stages before it, says so, and ends as a fresh run with the new setting."""
    run_dir = tmp_path / "run"
    first = run_to_end(run_command(corpus, run_dir), tmp_path / "first")
    assert first.process.returncode == 0, first.tail()
    assert_same_tables(run_dir, reference)
    before = records(run_dir)
    early = [s for s in EARLY_STAGES if s in before]
    assert {"ingest", "clean", LATE_STAGE} <= before.keys()

    changed = run_to_end(run_command(corpus, run_dir, corpus.late_config), tmp_path / "changed")
    assert changed.process.returncode == 0, changed.tail()
    lines = changed.stderr.read_text("utf-8").lower().splitlines()
    told = [line for line in lines if "redo" in line or "changed" in line]
    assert any(LATE_STAGE in line for line in told), f"no word of redoing {LATE_STAGE}: {told}"
    after = records(run_dir)
    assert after.get(LATE_STAGE, before[LATE_STAGE]) != before[LATE_STAGE], (
        f"{LATE_STAGE} was not redone"
    )
    redone = [s for s in early if after.get(s) != before[s]]
    assert not redone, f"stages that do not read {LATE_SETTING.strip()!r} were redone: {redone}"

    fresh_dir = tmp_path / "fresh"
    fresh = run_to_end(run_command(corpus, fresh_dir, corpus.late_config), tmp_path / "fresh-logs")
    assert fresh.process.returncode == 0, fresh.tail()
    assert_same_tables(run_dir, fresh_dir)
    pairs = "pairs.parquet"
    assert (fresh_dir / pairs).read_bytes() != (reference / pairs).read_bytes(), (
        f"{LATE_SETTING.strip()} changes nothing on this corpus: pick another setting"
    )


@pytest.fixture(scope="module")
def interrupted(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run killed right after its clean stage."""
    root = tmp_path_factory.mktemp("resume-interrupted")
    killed = run_and_kill(corpus, root / "run", root / "logs", "clean", 0.0)
    assert manifest_status(killed.run_dir) == "running"
    return killed.run_dir


@pytest.mark.parametrize("command", ["story", "report", "serve"])
def test_commands_refuse_an_interrupted_run(
    command: str, interrupted: Path, reference: Path, tmp_path: Path
) -> None:
    """``story``, ``report`` and ``serve`` of a half-written run say it is incomplete instead
    of showing (or serving) a part of it as if it were all."""
    doc_id = storytrace.open_run(reference).documents.column("doc_id")[0].as_py()
    args = {
        "story": ["story", str(interrupted), doc_id],
        "report": ["report", str(interrupted), "-o", str(tmp_path / "report")],
        "serve": ["serve", str(interrupted), "--port", "0"],
    }[command]
    done = start([sys.executable, "-m", "storytrace", *args], tmp_path / "logs")
    assert finish(done, timeout=60) != 0, done.output()
    # The final tables appear only when a run is done; report and serve look for them
    # before they read the manifest, so they say which one is missing.
    told = ("incomplete",) if command == "story" else ("incomplete", "not a complete")
    assert any(words in done.output() for words in told), done.output()
    assert not (tmp_path / "report" / "index.html").exists()


BUSY_WORKERS = """
import re
import pyarrow as pa
from storytrace.engines import LocalEngine


def backtrack(table: pa.Table, text: str) -> dict[str, pa.Table]:
    re.fullmatch(r"(a+)+$", text)  # about 2**40 steps inside re, which keeps the GIL
    return {"out": table}


if __name__ == "__main__":
    table = pa.table({"n": list(range(4))})
    print("started", flush=True)
    LocalEngine(2).map_batches(backtrack, table, {"out": table.schema}, 1, {"text": "a" * 40 + "b"})
"""


def test_workers_too_busy_to_notice_still_die_with_a_killed_run(tmp_path: Path) -> None:
    """A worker inside a regular expression (or any C code holding the GIL) never runs its
    watcher thread; the kernel ends it, and the fork server, when the run is SIGKILLed."""
    script = tmp_path / "busy.py"
    script.write_text(BUSY_WORKERS, encoding="utf-8")
    started = start([sys.executable, str(script)], tmp_path / "logs")
    tree = ProcessTree(started.process.pid)
    try:
        deadline = time.monotonic() + 60
        while len(tree.seen) < 3 and time.monotonic() < deadline:  # fork server + 2 workers
            tree.record()
            time.sleep(0.05)
        assert len(tree.seen) >= 3, f"the pool did not start\n{started.tail()}"
        time.sleep(1.0)  # the workers are inside the regular expression now
        tree.record()
        os.kill(started.process.pid, signal.SIGKILL)
        started.process.wait(timeout=30)
        left = {pid: command_line(pid) for pid in tree.wait_gone(GONE_WITHIN)}
        assert not left, f"still running {GONE_WITHIN} s after the kill: {left}"
    finally:
        if started.process.poll() is None:
            started.process.kill()
            started.process.wait()
        tree.kill_survivors()
