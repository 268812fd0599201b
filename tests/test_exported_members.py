"""The public Python interface is exactly what ``storytrace.__all__`` names."""

from __future__ import annotations

import types

import storytrace


def test_all_names_the_public_interface() -> None:
    public = {
        name
        for name in dir(storytrace)
        if not name.startswith("_") and not isinstance(getattr(storytrace, name), types.ModuleType)
    }
    assert set(storytrace.__all__) - {"__version__"} == public
    assert storytrace.__version__
