"""The package layout shows the pipeline, and imports run one way.

Algorithms (``clean/``, ``fingerprint/``, ``match/``, ``stories/``, ``semantic/``) are pure
functions over texts and arrays: they never reach up into the run loop, the engines or the
interfaces, so that a distributed engine can ship them to its workers alone and a reader can
trust that nothing in them depends on where they run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storytrace"
ALGORITHMS = ("clean", "fingerprint", "match", "stories", "semantic")
ABOVE = ("storytrace.run", "storytrace.engines", "storytrace.api", "storytrace.cli")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("folder", ALGORITHMS)
def test_algorithms_never_import_the_run_layer(folder: str) -> None:
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        bad = {m for m in imported_modules(path) if m == "storytrace" or m.startswith(ABOVE)}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_engines_hold_no_stage_logic() -> None:
    for path in sorted((PACKAGE / "engines").rglob("*.py")):
        algorithms = tuple(f"storytrace.{name}" for name in ALGORITHMS)
        bad = {m for m in imported_modules(path) if m.startswith(algorithms)}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_the_version_is_written_once() -> None:
    import storytrace
    from storytrace.version import __version__

    assert storytrace.__version__ == __version__
    sources = [p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")]
    assert not any(f'"{__version__}"' in s for s in sources)


def test_no_module_is_a_grab_bag() -> None:
    names = {p.stem for p in PACKAGE.rglob("*.py")}
    assert not names & {"utils", "helpers", "misc", "common"}


def test_the_archive_does_not_reach_into_the_viewer() -> None:
    """``match`` and ``add`` are used without the report installed or served: what they share
    with the viewer (a pair computed on demand, a run's settings) lives beside them."""
    for path in sorted((PACKAGE / "archive").rglob("*.py")):
        bad = {m for m in imported_modules(path) if m.startswith("storytrace.report")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"
