"""A run folder holds one run: a rerun of other inputs, a table of another run, a full disk
and a read-only folder never leave a mix of runs that reads as one.

The runs are real (the seeds, the Reuters sample, BBC articles); the full disk is a real
2 MB tmpfs and the read-only folder a real read-only mount, so those tests need a machine
where this process may mount file systems (root on Linux), and skip elsewhere.
"""

from __future__ import annotations

import errno
import gc
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import storytrace
from storytrace.run.loop import run
from storytrace.run.store import FINAL_TABLES, IncompleteRunError, MixedRunError, RunStore

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEEDS = EXAMPLES / "seeds"
SAMPLE = EXAMPLES / "reuters-sample.jsonl.gz"


def storytrace_command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storytrace", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def table_bytes(run_dir: Path) -> dict[str, bytes]:
    return {t: (run_dir / f"{t}.parquet").read_bytes() for t in FINAL_TABLES}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete run of the Reuters sample, never written over: what other runs equal."""
    out = tmp_path_factory.mktemp("sample") / "run"
    run([SAMPLE], out)
    return out


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "run"
    run([SEEDS], out)
    return out


def test_a_run_of_other_inputs_is_refused_and_leaves_the_folder_as_it_was(
    seeds_run: Path, tmp_path: Path
) -> None:
    """``run B -o R`` over a run of A says so and how to go on, and writes nothing."""
    folder = shutil.copytree(seeds_run, tmp_path / "run")
    before = table_bytes(folder)
    done = storytrace_command("run", SAMPLE, "-o", folder, "--quiet")
    assert done.returncode != 0
    assert "holds a run of other inputs" in done.stderr
    assert "--force" in done.stderr and "new folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert table_bytes(folder) == before
    assert storytrace.open_run(folder).documents.num_rows == 2


def test_forcing_a_run_of_other_inputs_starts_clean(
    seeds_run: Path, sample_run: Path, tmp_path: Path
) -> None:
    """With ``--force`` the folder ends as a fresh run of the new inputs, byte for byte, and
    nothing of the earlier run is reused."""
    folder = shutil.copytree(seeds_run, tmp_path / "run")
    summary = run([SAMPLE], folder, force=True)
    assert summary.reused == []
    assert table_bytes(folder) == table_bytes(sample_run)
    assert storytrace.open_run(folder).manifest["input_paths"] == [str(SAMPLE.resolve())]


def test_the_same_command_reuses_everything(seeds_run: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(seeds_run, tmp_path / "run")
    before = table_bytes(folder)
    summary = run([SEEDS], folder)
    assert len(summary.reused) == len(storytrace.open_run(folder).manifest["stages"])
    assert table_bytes(folder) == before


def test_open_run_refuses_a_table_of_another_run(
    seeds_run: Path, sample_run: Path, tmp_path: Path
) -> None:
    """Stories of one run beside the documents of another: every table has the stamp the
    manifest records, or the folder is refused, by the library and by ``story``."""
    folder = shutil.copytree(seeds_run, tmp_path / "run")
    shutil.copyfile(sample_run / "stories.parquet", folder / "stories.parquet")
    with pytest.raises(
        MixedRunError, match=r"stories\.parquet: it is not the table this run wrote"
    ):
        storytrace.open_run(folder)
    for command in (("story", folder, "x"), ("report", folder, "-o", tmp_path / "report")):
        done = storytrace_command(*command)
        assert done.returncode != 0 and "not the table this run wrote" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "report" / "index.html").exists()


# -- a full disk and a read-only folder, for real -----------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs: room for a run of the Reuters sample, not for 1,000 BBC articles."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        _unmount(mount_point)


def _unmount(mount_point: Path) -> None:
    """Unmount, after the file a failed write left open is collected (a writer that hit the
    full disk is closed by the garbage collector, not at once); detached if still busy."""
    for _ in range(20):
        gc.collect()
        if subprocess.run(["umount", str(mount_point)], check=False).returncode == 0:
            return
        time.sleep(0.25)
    subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


@pytest.fixture
def bbc_two_topics(shared_data: Path) -> list[Path]:
    return [shared_data / "bbc" / "business", shared_data / "bbc" / "sport"]


def test_a_full_disk_fails_clearly_and_keeps_the_last_complete_run(
    small_disk: Path, sample_run: Path, bbc_two_topics: list[Path]
) -> None:
    """A run that fills the disk names the file and the reason in one line, exits non-zero,
    and the folder still reads as the complete run it held before, with no partial file."""
    folder = small_disk / "run"
    run([SAMPLE], folder)
    done = storytrace_command("run", *bbc_two_topics, "-o", folder, "--force", "--quiet")
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "No space left on device" in lines[0] and f"cannot write {folder}/" in lines[0]
    assert not list(folder.rglob(".*.partial"))
    assert table_bytes(folder) == table_bytes(sample_run)
    assert storytrace.open_run(folder).manifest["input_paths"] == [str(SAMPLE.resolve())]


def test_a_full_disk_in_python_raises_an_oserror_naming_the_file(
    small_disk: Path, bbc_two_topics: list[Path]
) -> None:
    folder = small_disk / "run"
    with pytest.raises(OSError) as caught:
        run(bbc_two_topics, folder)
    assert caught.value.errno == errno.ENOSPC
    assert str(caught.value.filename).startswith(str(folder))


def test_a_read_only_folder_fails_clearly_and_keeps_the_last_complete_run(
    small_disk: Path, seeds_run: Path
) -> None:
    folder = shutil.copytree(seeds_run, small_disk / "run")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for inputs in ([SEEDS], [SAMPLE]):  # the same command, and another one
        done = storytrace_command("run", *inputs, "-o", folder, "--quiet")
        assert done.returncode != 0
        assert done.stderr.strip() == f"Error: cannot write {folder}: Read-only file system"
    assert table_bytes(folder) == table_bytes(seeds_run)
    assert storytrace.open_run(folder).documents.num_rows == 2


def test_a_folder_being_written_is_refused_to_a_second_run_and_to_readers(
    seeds_run: Path, tmp_path: Path
) -> None:
    """Two runs in one folder read each other's tables (measured: the first died with a
    KeyError in clean). While a run holds the folder, another is refused and readers are
    told it is being written; once it lets go, the folder is usable again."""
    folder = shutil.copytree(seeds_run, tmp_path / "run")
    writer = RunStore.prepare(folder)
    try:
        writer.start({"stages": ["ingest"], "input_paths": [str(SEEDS.resolve())]})
        done = storytrace_command("run", SEEDS, "-o", folder, "--quiet")
        assert done.returncode != 0
        assert "is being written by another storytrace run" in done.stderr, done.stderr
        with pytest.raises(IncompleteRunError, match="a run is writing it now"):
            storytrace.open_run(folder)
    finally:
        writer.close()
    with pytest.raises(IncompleteRunError, match="Run the same `storytrace run` command"):
        storytrace.open_run(folder)
    run([SEEDS], folder)
    assert storytrace.open_run(folder).documents.num_rows == 2
