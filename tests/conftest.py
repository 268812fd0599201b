"""Shared fixtures: the real data beside the project, and the seed pair."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples"
SEED_FILES = sorted((EXAMPLES / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets; tests that need more than the bundled sample skip without them."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def reuters_texts() -> dict[str, str]:
    """Texts of the bundled Reuters sample, by id."""
    with gzip.open(EXAMPLES / "reuters-sample.jsonl.gz", "rt", encoding="utf-8") as fh:
        return {d["id"]: d["text"] for d in map(json.loads, fh)}


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The two VOA seed articles bundled in examples/seeds (GlobalSecurity reprint, VOA)."""
    assert len(SEED_FILES) == 2, "examples/seeds must hold the two seed articles"
    return SEED_FILES


@pytest.fixture(scope="session")
def seed_texts(seed_paths: list[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in seed_paths]
