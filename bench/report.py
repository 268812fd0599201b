"""The benchmark's outputs: a Markdown table, the JSON results, and a plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COLUMNS = (
    ("tool", "tool"),
    ("setting", "setting"),
    ("docs/s", "docs_per_s"),
    ("wall s", "wall_s"),
    ("peak RSS MB", "peak_rss_mb"),
    ("pairs found", "pairs_found"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("ARI", "ari"),
    ("seed pair", "seed_linked"),
)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "linked" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown table of result rows; a row that failed shows its error instead of figures."""
    lines = [
        "| " + " | ".join(title for title, _ in COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for row in rows:
        if row.get("error"):
            cells = [row["tool"], row["setting"], f"failed: {row['error']}"]
            cells += [""] * (len(COLUMNS) - 3)
        else:
            cells = [_cell(row.get(key)) for _, key in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_json(path: Path, results: dict[str, Any]) -> None:
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def plot(path: Path, title: str, rows: list[dict[str, Any]]) -> bool:
    """docs/s and peak memory per tool as a PNG; False when matplotlib is not installed
    (it lives in the benchmark's environment, not in the package's)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    done = [r for r in rows if not r.get("error")]
    names = [f"{r['tool']}\n{r['setting']}" for r in done]
    fig, (speed, memory) = plt.subplots(1, 2, figsize=(14, 0.5 * len(done) + 2), sharey=True)
    speed.barh(names, [r["docs_per_s"] for r in done], color="tab:blue")
    speed.set_xlabel("documents per second (higher is better)")
    memory.barh(names, [r["peak_rss_mb"] for r in done], color="tab:orange")
    memory.set_xlabel("peak RSS of the process tree, MB (lower is better)")
    speed.invert_yaxis()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
