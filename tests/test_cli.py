"""The ``storytrace`` command as a user calls it: a real process, real files, real output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storytrace.config import Config, settings_help

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VOA = EXAMPLES / "seeds" / "002_b386addb4608aa0f.txt"
GLOBALSECURITY = EXAMPLES / "seeds" / "000_afb563e75b84724c.txt"


def storytrace(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("storytrace", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "storytrace"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of an article body."""
    return [m.span() for m in re.finditer(r"[A-Z\"“][^.!?\n]{20,}?[.!?][\"”]?(?=\s|$)", text)]


def test_compare_json_links_the_seed_versions() -> None:
    done = storytrace("compare", VOA, GLOBALSECURITY, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["relation"] == "version"
    assert result["reason"]
    assert result["figures"]["jaccard"] < 0.5  # classic near-duplicate detection misses it
    voa = VOA.read_text(encoding="utf-8")
    body = voa[: voa.index("VOA's Nike Ching contributed")]
    spans = [(p["a_start"], p["a_end"]) for p in result["passages"]]
    for p in result["passages"]:
        assert voa[p["a_start"] : p["a_end"]] == p["a_text"]

    def covered(start: int, end: int) -> bool:
        inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
        return inside >= (end - start) / 2

    sentences = _sentences(body)
    assert len(sentences) >= 10
    share = sum(covered(s, e) for s, e in sentences) / len(sentences)
    assert share > 0.5, f"only {share:.0%} of the shorter article's sentences aligned"


def test_compare_json_gives_the_changes_with_offsets_into_both_files() -> None:
    done = storytrace("compare", VOA, GLOBALSECURITY, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    counts = result["change_counts"]
    assert counts["added"] == sum(c["kind"] == "added" for c in result["changes"]) > 0
    texts = {"old": VOA.read_text(encoding="utf-8"), "new": GLOBALSECURITY.read_text("utf-8")}
    for change in result["changes"]:
        for side, text in texts.items():
            if change[f"{side}_sentence"] is not None:
                printed = text[change[f"{side}_start"] : change[f"{side}_end"]]
                assert " ".join(printed.split()) == change[f"{side}_sentence"]
    partner = next(
        c for c in result["changes"] if c["new_sentence"] and "No. 1" in c["new_sentence"]
    )
    assert {"op": "added", "text": "No. 1"} in partner["word_diff"]


def test_compare_prints_passages_and_changes_for_people() -> None:
    done = storytrace("compare", VOA, GLOBALSECURITY, "--passages", "2", "--changes", "3")
    assert done.returncode == 0, done.stderr
    assert "relation: version" in done.stdout
    assert "aligned passages (first 2 shown)" in done.stdout
    assert "changes A → B: 26 added, 6 removed, 7 changed, 0 moved, 7 unchanged" in done.stdout
    assert "... 36 more changes" in done.stdout
    everything = storytrace("compare", VOA, GLOBALSECURITY).stdout
    assert "China is North Korea's [-number one-] {+No. 1+} trade partner." in everything


def test_run_then_story(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = storytrace("run", EXAMPLES / "seeds", EXAMPLES / "reuters-sample.jsonl.gz", "-o", out)
    assert done.returncode == 0, done.stderr
    assert "documents" in done.stdout and "602" in done.stdout
    assert str(out) in done.stdout
    for stage in ("ingest", "clean", "sign", "candidates", "verify", "cluster"):
        assert stage in done.stderr  # one progress bar per stage
    story = storytrace("story", out, VOA.name, "--json")
    assert story.returncode == 0, story.stderr
    view = json.loads(story.stdout)
    assert {m["doc_id"] for m in view["members"]} == {VOA.name, GLOBALSECURITY.name}
    assert view["pairs"][0]["relation"] == "version"
    assert {c["kind"] for c in view["changes"]} >= {"added", "removed", "changed"}
    corrected = storytrace("story", out, "reuters-18958")
    assert corrected.returncode == 0, corrected.stderr
    assert "reuters-18947 → reuters-18958: 1 added, 2 changed" in corrected.stdout
    assert "[-65-] {+81+}" in corrected.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compare", "no-such-file.txt", VOA), "does not exist"),
        (("run", EXAMPLES / "seeds"), "Missing option '-o'"),
        (("story", EXAMPLES, "x"), "not a storytrace run"),
        (("compare", VOA, GLOBALSECURITY, "--passages", "0"), "0 is not in the range x>=1"),
    ],
)
def test_mistakes_give_clear_errors(args: tuple[str | Path, ...], message: str) -> None:
    done = storytrace(*args)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_config_prints_toml_that_run_accepts(tmp_path: Path) -> None:
    done = storytrace("config")
    assert done.returncode == 0
    config = tmp_path / "storytrace.toml"
    config.write_text(done.stdout.replace("lsh_threshold = 0.5", "lsh_threshold = 0.6"))
    out = tmp_path / "run"
    run = storytrace("run", EXAMPLES / "seeds", "-o", out, "--config", config, "--quiet")
    assert run.returncode == 0, run.stderr
    assert json.loads((out / "manifest.json").read_text())["config"]["lsh_threshold"] == 0.6


def test_every_setting_is_documented_in_config_output() -> None:
    names = list(Config().to_dict())
    assert sorted(settings_help()) == sorted(names)
    printed = storytrace("config").stdout
    for name in names:
        assert f"\n{name} = " in printed


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("lsh_treshold = 0.4", "did you mean 'lsh_threshold'"),
        ("seed = 'x'", "seed must be int"),
        ("lsh_threshold = 1.5", "lsh_threshold must be between 0 and 1"),
        ("lsh_threshold = ", "is not valid TOML"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, toml: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(f"[storytrace]\n{toml}\n")
    done = storytrace("run", EXAMPLES / "seeds", "-o", tmp_path / "run", "--config", config)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# --- the run directory ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run over the two seeds, to copy and damage."""
    out = tmp_path_factory.mktemp("seeds") / "run"
    done = storytrace("run", EXAMPLES / "seeds", "-o", out, "--quiet")
    assert done.returncode == 0, done.stderr
    return out


def _fails_clearly(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_run_into_a_file_gives_a_clear_error(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    _fails_clearly(storytrace("run", VOA, "-o", a_file), "is a file, not a folder")
    _fails_clearly(storytrace("run", VOA, "-o", a_file / "run"), "Not a directory")
    assert a_file.read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_run_where_nothing_can_be_written_gives_a_clear_error() -> None:
    _fails_clearly(storytrace("run", VOA, "-o", "/proc/nope"), "cannot write /proc/nope")


def test_run_refuses_a_folder_of_other_files_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "pairs.parquet").write_text("someone else's file", encoding="utf-8")
    _fails_clearly(storytrace("run", VOA, "-o", folder), "is not a storytrace run")
    assert [p.name for p in folder.iterdir()] == ["pairs.parquet"]
    forced = storytrace("run", VOA, "-o", folder, "--force", "--quiet")
    assert forced.returncode == 0, forced.stderr
    assert (folder / "manifest.json").is_file()
    same = storytrace("run", VOA, "-o", folder, "--quiet")  # a run now: it is reused
    assert same.returncode == 0, same.stderr
    # A run of other inputs is not mixed with it: refused, or started clean with --force.
    _fails_clearly(
        storytrace("run", VOA, GLOBALSECURITY, "-o", folder, "--quiet"),
        "holds a run of other inputs",
    )
    again = storytrace("run", VOA, GLOBALSECURITY, "-o", folder, "--force", "--quiet")
    assert again.returncode == 0, again.stderr


def test_story_names_a_missing_table(seeds_run: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(seeds_run, tmp_path / "run")
    (copy / "pairs.parquet").unlink()
    _fails_clearly(storytrace("story", copy, VOA.name), "pairs.parquet missing")


@pytest.mark.parametrize("damage", ["garbage", "zeroed pages"])
def test_story_reports_a_damaged_table(seeds_run: Path, tmp_path: Path, damage: str) -> None:
    copy = shutil.copytree(seeds_run, tmp_path / "run")
    documents = copy / "documents.parquet"
    data = documents.read_bytes()
    if damage == "garbage":
        documents.write_bytes(b"not parquet at all" * 100)
    else:  # magic bytes and footer intact, so only reading a page fails
        documents.write_bytes(data[:4] + bytes(200) + data[204:])
    _fails_clearly(storytrace("story", copy, VOA.name), f"cannot read {documents}")


HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31m"
"""A terminal title change, a screen clear and a colour: what an article must not do."""


def test_article_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """Escape sequences in article texts and ids are printed as visible escapes by compare
    and story, never sent to the terminal as themselves."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed, name in ((VOA, f"voa{HOSTILE}.txt"), (GLOBALSECURITY, "gs.txt")):
        text = seed.read_text(encoding="utf-8")
        first, rest = text.split("\n", 1)
        (folder / name).write_text(f"{first} {HOSTILE}\n{rest}\n{HOSTILE} Reuters.", "utf-8")
    a, b = sorted(folder.iterdir())
    compared = storytrace("compare", a, b)
    assert compared.returncode == 0, compared.stderr
    assert "version" in compared.stdout
    run_dir = tmp_path / "run"
    done = storytrace("run", folder, "-o", run_dir, "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    shown = storytrace("story", run_dir, a.name)
    assert shown.returncode == 0, shown.stderr
    for output in (compared.stdout, shown.stdout):
        assert "\x1b" not in output and "\x07" not in output
        assert "\\x1b]0;owned\\x07" in output


def test_compare_json_and_errors_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """``compare --json`` escapes DEL and C1 characters as well as C0 (the JSON encoder
    leaves them raw, and ``\\x9b`` is an 8-bit CSI) and still gives the true text; an error
    that names a hostile file shows its escapes."""
    controls = "\x7f\x9b31m\x85\x1b[2J"
    text = VOA.read_text(encoding="utf-8").replace("\n", f" {controls}\n", 3)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    compared = storytrace("compare", "--json", a, b)
    assert compared.returncode == 0, compared.stderr
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", compared.stdout)
    assert "\\u009b31m" in compared.stdout
    result = json.loads(compared.stdout)
    assert any(controls in p["a_text"] for p in result["passages"])
    empty = tmp_path / f"empty{HOSTILE}.txt"
    empty.write_text("   \n", encoding="utf-8")
    failed = storytrace("compare", empty, a)
    assert failed.returncode != 0
    assert "cannot compare" in failed.stderr and "\\x1b]0;owned\\x07" in failed.stderr
    assert "\x1b" not in failed.stderr and "\x07" not in failed.stderr
