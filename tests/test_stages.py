"""The stage records are whole: every setting is read by a stage, every table has a maker."""

from __future__ import annotations

from dataclasses import fields

from storytrace.config import Config
from storytrace.run.stages import ENGINE_SETTINGS, STAGES, TABLES
from storytrace.run.store import FINAL_TABLES


def test_every_setting_that_changes_results_is_read_by_a_stage() -> None:
    """A setting no stage claims would not redo anything when changed: a resumed run would
    keep tables made with the old value."""
    claimed = {s for stage in STAGES for s in stage.settings}
    settings = {f.name for f in fields(Config)}
    assert claimed <= settings
    assert settings - claimed == set(ENGINE_SETTINGS)


def test_every_table_a_stage_reads_was_made_before_it() -> None:
    made: set[str] = set()
    for stage in STAGES:
        inside = set(made)
        for step in stage.steps:
            needed = {r.table for r in step.reads} | set(step.broadcast)
            assert needed <= inside, f"{stage.name} reads {needed - inside} before it exists"
            inside |= set(step.writes)
            assert set(step.writes) <= TABLES.keys()
        assert set(stage.keeps) <= inside | (set(stage.keeps) if stage.reads_inputs else set())
        made |= set(stage.keeps)
    assert set(FINAL_TABLES) <= made
