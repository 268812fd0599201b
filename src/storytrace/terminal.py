"""Everything storytrace shows in a terminal: progress bars, the run summary, a comparison."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from storytrace.api import Comparison, StoryView
from storytrace.evaluate.runner import SuiteResult
from storytrace.pipeline import RunSummary


class RichProgress:
    """One progress bar per stage, kept on screen when the stage ends."""

    def __init__(self, console: Console) -> None:
        self._bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task: Any = None

    def __enter__(self) -> RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()

    def start(self, stage: str, total: int | None) -> None:
        self._task = self._bars.add_task(stage, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, amount)

    def finish(self, note: str = "") -> None:
        if self._task is not None:
            task = self._bars.tasks[self._task]
            done = task.completed
            self._bars.update(
                self._task,
                total=max(done, task.total or 0, 1),
                completed=max(done, task.total or 1),
            )
            self._task = None


def print_summary(console: Console, summary: RunSummary) -> None:
    counts = summary.counts
    table = Table(title="storytrace run", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", f"{counts['documents']:,}")
    table.add_row("rejected records", f"{counts['rejects']:,}")
    table.add_row("exact copies (not verified)", f"{counts.get('exact_copies', 0):,}")
    table.add_row("candidate pairs verified", f"{counts['candidates']:,}")
    table.add_row("stories (2+ articles)", f"{counts['stories']:,}")
    table.add_row("articles in stories", f"{counts['documents_in_stories']:,}")
    for relation, n in summary.relations.items():
        table.add_row(f"  {relation} pairs", f"{n:,}")
    table.add_row("time", f"{summary.timings.get('total', 0):.1f} s")
    console.print(table)
    console.print(f"run directory: [bold]{escape(str(summary.run_dir))}[/bold]")


def print_story(console: Console, view: StoryView) -> None:
    if view.story_id is None:
        console.print(f"{escape(view.doc_id)} is in no story: no other document shares its text.")
        return
    console.print(f"[bold]{view.story_id}[/bold]: {len(view.members)} articles")
    members = Table(show_header=True)
    for column in ("order", "doc_id", "role", "published"):
        members.add_column(column)
    for m in view.members:
        when = m["published"].isoformat() if m["published"] else "unknown"
        members.add_row(str(m["order"]), escape(m["doc_id"]), m["role"], when)
    console.print(members)
    console.print("links:")
    for p in view.pairs:
        console.print(
            f"  {escape(p['doc_a'])} <-> {escape(p['doc_b'])}: [bold]{p['relation']}[/bold]\n"
            f"    {escape(p['reason'])}"
        )


def print_comparison(console: Console, result: Comparison, max_passages: int | None = None) -> None:
    colour = "green" if result.relation else "yellow"
    console.print(f"[bold]{escape(result.doc_a)}[/bold]  vs  [bold]{escape(result.doc_b)}[/bold]")
    console.print(f"relation: [bold {colour}]{result.relation or 'none'}[/bold {colour}]")
    console.print(f"reason:   {escape(result.reason)}")
    f = result.figures
    console.print(
        f"words {f['words_a']} / {f['words_b']}   jaccard {f['jaccard']:.3f}   "
        f"containment A in B {f['containment_a_in_b']:.3f}, B in A {f['containment_b_in_a']:.3f}   "
        f"coverage A {f['coverage_a']:.3f}, B {f['coverage_b']:.3f}"
    )
    if not result.passages:
        return
    shown = result.passages[:max_passages] if max_passages is not None else result.passages
    title = f"{len(result.passages)} aligned passages"
    if len(shown) < len(result.passages):
        title += f" (first {len(shown)} shown)"
    table = Table(title=title, show_lines=True)
    table.add_column("#", justify="right")
    table.add_column(f"A {escape(result.doc_a)}", overflow="fold", ratio=1)
    table.add_column(f"B {escape(result.doc_b)}", overflow="fold", ratio=1)
    table.add_column("sim", justify="right")
    for n, p in enumerate(shown):
        table.add_row(
            str(n),
            f"[dim]{p['a_start']}-{p['a_end']}[/dim] {escape(p['a_text'])}",
            f"[dim]{p['b_start']}-{p['b_end']}[/dim] {escape(p['b_text'])}",
            f"{p['similarity']:.2f}",
        )
    console.print(table)


def _figure(value: float, key: str) -> str:
    """Shares as percentages, counts as counts."""
    return f"{value:.0f}" if key.endswith(("different_articles", "_count")) else f"{value:.3f}"


def print_evaluation(console: Console, results: list[SuiteResult]) -> None:
    """One table: figure, target, measured, and whether the target is met."""
    table = Table(title="storytrace eval")
    for column in ("figure", "target", "measured", "", "counts"):
        table.add_column(column, justify="right" if column in ("target", "measured") else "left")
    for result in results:
        for m in result.measures:
            sign = "≥" if m.higher_is_better else "≤"
            table.add_row(
                escape(m.label),
                f"{sign} {_figure(m.target, m.key)}",
                _figure(m.measured, m.key),
                "[green]met[/]" if m.met else "[red]missed[/]",
                escape(m.detail),
            )
    console.print(table)
