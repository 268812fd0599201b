"""Quality floor of decoding: BBC and Reuters texts re-encoded in Windows-1252 and Latin-1
(whole, cut short, with a paragraph in another Western language) all come back exactly.

The full measurement, with charset-normalizer's best guess beside it, is
``python -m bench.decoding``.
"""

from __future__ import annotations

from pathlib import Path

from bench.decoding import measure


def test_legacy_encoded_news_is_read_exactly(shared_data: Path) -> None:
    tallies = measure(shared_data, decoders=("storytrace",))
    assert sum(t.texts for t in tallies.values()) > 5_000
    wrong = {
        name: (t.wrong, t.rejected, t.examples)
        for name, t in tallies.items()
        if t.wrong or t.rejected
    }
    assert not wrong
