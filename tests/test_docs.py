"""The README documents every command and its example output is what the command prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from storytrace.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for name in main.commands:
        assert f"storytrace {name}" in README, f"`storytrace {name}` is not documented"


def test_readme_compare_example_is_current() -> None:
    seeds = ROOT / "examples" / "seeds"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(seeds / "002_b386addb4608aa0f.txt"),
            str(seeds / "000_afb563e75b84724c.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    reason = re.search(r"reason:\s+(.*)", result.output)
    assert reason is not None
    flat_readme = " ".join(README.split())
    assert " ".join(reason.group(1).split()) in flat_readme
    figures = re.search(r"words \d+ / \d+.*", result.output)
    assert figures is not None
    assert " ".join(figures.group(0).split()) in flat_readme
    counts = re.search(r"changes A → B: .*", result.output)
    assert counts is not None
    assert counts.group(0) in README
    flat_output = " ".join(result.output.split())
    shown = re.findall(r"^[~+>-] +\d*→\d* .*$", README, flags=re.MULTILINE)
    assert len(shown) >= 3
    for line in shown:  # every change line the README shows, as compare prints it today
        assert " ".join(line.split()) in flat_output
