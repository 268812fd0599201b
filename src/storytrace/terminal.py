"""Everything storytrace shows in a terminal: progress bars, the run summary, a comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from rich.console import Console
from rich.markup import escape as escape_markup
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from storytrace.api import Comparison, StoryView
from storytrace.archive.match import Match
from storytrace.evaluate.runner import SuiteResult
from storytrace.run.loop import RunSummary
from storytrace.stories.changes import KINDS
from storytrace.stories.word_diff import word_edits

_CONTROL = {
    code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in (9, 10)
}
"""Control characters, shown as ``\x1b``: an article or an id holding an escape sequence
must not retitle, clear or recolour the user's terminal. Tab and newline stay."""


def visible(text: str) -> str:
    """``text`` with every control character shown as its escape, never sent as itself."""
    return text.translate(_CONTROL)


def escape(text: str) -> str:
    """``text`` made safe to print: control characters shown, rich markup escaped."""
    return escape_markup(visible(text))


_JSON_CONTROL = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def json_text(data: Any, **options: Any) -> str:
    """``data`` as JSON to print, other scripts kept readable (``ensure_ascii=False``) and
    every control character escaped: the encoder escapes C0 only, and would send DEL and C1
    (``\\x9b`` is a terminal's 8-bit CSI) as themselves. They can only stand inside strings,
    so ``\\u009b`` there is the same JSON value.

    Example::

        >>> json_text({"t": "é\\x1b\\x9b"})
        '{"t": "é\\\\u001b\\\\u009b"}'
    """
    return json.dumps(data, ensure_ascii=False, **options).translate(_JSON_CONTROL)


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

    def note(self, text: str) -> None:
        self._bars.console.print(visible(text), markup=False, highlight=False)


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
    for group, label in (("files", "skipped files"), ("items", "skipped items (not articles)")):
        by_reason = summary.skipped.get(group, {})
        if by_reason:
            table.add_row(label, f"{sum(by_reason.values()):,}")
            for reason, n in by_reason.items():
                table.add_row(f"  {escape(reason)}", f"{n:,}")
    table.add_row("time", f"{summary.timings.get('total', 0):.1f} s")
    console.print(table)
    console.print(f"run directory: [bold]{escape(str(summary.run_dir))}[/bold]")
    if not counts["documents"]:
        console.print(
            "[bold red]no documents[/bold red]: every record was rejected or skipped "
            f"(the reasons are in {escape(str(summary.run_dir / 'rejects.parquet'))}"
            " and above; --verbose lists them)"
        )


def print_match(console: Console, match: Match) -> None:
    """``storytrace match``: the story, the closest partners, or the near-misses."""
    article = f"[bold]{escape(match.article)}[/bold]"
    if match.relation is None:
        console.print(f"{article}: [yellow]{escape(match.reason)}[/yellow]")
        for miss in match.near_misses:
            console.print(
                f"  nearest: {escape(miss['doc_id'])} (jaccard {miss['jaccard']:.2f}, "
                f"{miss['passages']} passages): {escape(miss['reason'])}"
            )
        _print_same_event(console, match)
        return
    story = escape(match.story_id) if match.story_id else "no story (its partners are alone)"
    console.print(f"{article}: [green]{match.relation}[/green] in {story}")
    for partner in match.partners:
        console.print(
            f"  {partner['relation']:<15} {escape(partner['doc_id'])}: "
            f"covers {partner['coverage_a']:.0%} of it and {partner['coverage_b']:.0%} of "
            f"{escape(partner['doc_id'])}, {partner['passages']} passages, longest "
            f"{partner['longest_passage_words']} words"
        )
        console.print(f"    {escape(partner['reason'])}")
    _print_same_event(console, match)


def _print_same_event(console: Console, match: Match) -> None:
    """The archived articles reporting the article's event in other words (--semantic runs)."""
    for other in match.same_event:
        where = other["event_id"] or other["story_id"] or "no event yet"
        names = ", ".join(other["shared_names"][:5]) or "no shared name"
        console.print(
            f"  same_event      {escape(other['doc_id'])} ({escape(where)}): event similarity "
            f"{other['event_similarity']:.2f}; shares {escape(names)}"
        )


def print_export(console: Console, table: pa.Table, out: Path) -> None:
    """``storytrace export``: what was written, and what it stands for."""
    stands_for = pc.sum(table.column("stands_for")).as_py() or 0
    in_stories = table.num_rows - pc.sum(pc.is_null(table.column("story_id"))).as_py()
    console.print(
        f"{table.num_rows:,} articles written to {escape(str(out))}: {in_stories:,} kept for "
        f"stories and {table.num_rows - in_stories:,} in no story, standing for "
        f"{stands_for:,} articles"
    )


def print_left_out(
    console: Console, rejects: list[dict[str, Any]], skips: list[dict[str, Any]]
) -> None:
    """``storytrace run --verbose``: every reject and every skip, one line each."""
    for row in rejects:
        where = f"{row['input']}" + (f" record {row['record']}" if row["record"] else "")
        console.print(f"rejected  {escape(where)}: {escape(row['reason'])}")
    for row in skips:
        where = f"{row['input']}" + (f" record {row['record']}" if row["record"] else "")
        console.print(f"skipped   {escape(where)}: {escape(row['reason'])}")


def print_story(console: Console, view: StoryView) -> None:
    if view.story_id is None:
        console.print(f"{escape(view.doc_id)} is in no story: no other document shares its text.")
        return
    console.print(f"[bold]{escape(view.story_id)}[/bold]: {len(view.members)} articles")
    members = Table(show_header=True)
    for column in ("order", "doc_id", "role", "published"):
        members.add_column(column)
    for m in view.members:
        when = m["published"].isoformat() if m["published"] else "unknown"
        members.add_row(str(m["order"]), escape(m["doc_id"]), escape(m["role"]), when)
    console.print(members)
    console.print("links:")
    for p in view.pairs:
        ends = f"{escape(p['doc_a'])} <-> {escape(p['doc_b'])}"
        console.print(f"  {ends}: [bold]{escape(p['relation'])}[/bold]\n    {escape(p['reason'])}")
    _print_story_changes(console, view.changes)


# Changes listed per version in ``storytrace story``, the rest counted; unchanged words kept
# around each edit of a changed sentence there.
_STORY_CHANGES_SHOWN = 5
_STORY_CONTEXT_WORDS = 3


def _print_story_changes(console: Console, changes: list[dict[str, Any]]) -> None:
    """Per version: what changed since the one before, counted, with its first few changes."""
    steps: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for change in changes:
        steps.setdefault((change["doc_old"], change["doc_new"]), []).append(change)
    if steps:
        console.print("changes from each version to the next:")
    for (old, new), rows in steps.items():
        counts = {kind: sum(r["kind"] == kind for r in rows) for kind in KINDS}
        tally = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        console.print(f"  {escape(old)} → {escape(new)}: {tally}")
        for row in rows[:_STORY_CHANGES_SHOWN]:
            line = Text("    ") + change_line(row, context=_STORY_CONTEXT_WORDS)
            console.print(line, overflow="ellipsis", no_wrap=True)
        if len(rows) > _STORY_CHANGES_SHOWN:
            console.print(f"    [dim]... {len(rows) - _STORY_CHANGES_SHOWN} more[/dim]")


def _sides(a: str, b: str, seed: int) -> tuple[Text, Text]:
    """Two texts as rich Text, the words only one of them has highlighted."""
    left, right = Text(), Text()
    last_a = last_b = 0
    for e in word_edits(a, b, seed):
        differs = e.op != "same"
        left.append(visible(a[last_a : e.old_start]))
        left.append(visible(a[e.old_start : e.old_end]), style="bold red" if differs else "")
        right.append(visible(b[last_b : e.new_start]))
        right.append(visible(b[e.new_start : e.new_end]), style="bold green" if differs else "")
        last_a, last_b = e.old_end, e.new_end
    left.append(visible(a[last_a:]))
    right.append(visible(b[last_b:]))
    return left, right


# A word diff as wdiff prints it, so that it reads without colours too (in a pipe, a file).
_RUN = {"same": ("{}", ""), "removed": ("[-{}-]", "red"), "added": ("{{+{}+}}", "green")}
_MARK = {
    "added": ("+", "green"),
    "removed": ("-", "red"),
    "changed": ("~", "yellow"),
    "moved": (">", "cyan"),
}


def _context(text: str, words: int, edit_before: bool, edit_after: bool) -> str:
    """Unchanged words cut to the ``words`` next to the edit before them and to the ``words``
    next to the edit after them."""
    parts = text.split()
    if edit_before and edit_after and len(parts) > 2 * words:
        return " ".join([*parts[:words], "…", *parts[-words:]])
    if edit_before and not edit_after and len(parts) > words:
        return " ".join([*parts[:words], "…"])
    if edit_after and not edit_before and len(parts) > words:
        return " ".join(["…", *parts[-words:]])
    return text


def change_line(change: dict[str, Any], context: int | None = None) -> Text:
    """One change as one line: ``+`` added, ``-`` removed, ``~`` changed (with its word diff,
    ``[-removed-]`` and ``{+added+}`` words), ``>`` moved, with the sentence numbers in the old
    and the new text. With ``context``, a changed sentence keeps only that many unchanged
    words around each edit, so that a corrected figure shows on a short line."""
    kind = change["kind"]
    mark, colour = _MARK[kind]
    old = "" if change["old_index"] is None else str(change["old_index"])
    new = "" if change["new_index"] is None else str(change["new_index"])
    line = Text(f"{mark} ", style=f"bold {colour}")
    line.append(f"{old:>3}→{new:<3} ", style="dim")
    if kind == "added":
        line.append(visible(change["new_sentence"]), style="green")
    elif kind == "removed":
        line.append(visible(change["old_sentence"]), style="red")
    elif kind == "moved":
        line.append(visible(change["new_sentence"]))
    else:
        runs = change["word_diff"]
        for n, run in enumerate(runs):
            shape, style = _RUN[run["op"]]
            text = run["text"]
            if context is not None and run["op"] == "same":
                text = _context(text, context, edit_before=n > 0, edit_after=n + 1 < len(runs))
            line.append(" " if n else "")
            line.append(shape.format(visible(text)), style=style)
    if kind == "changed" and change["moved"]:
        line.append("  (moved)", style="cyan")
    return line


def counts_line(counts: dict[str, int]) -> str:
    """``26 added, 9 removed, 7 changed, 0 moved, 7 unchanged``."""
    kinds = ("added", "removed", "changed", "moved", "unchanged")
    return ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in kinds)


def print_comparison(
    console: Console,
    result: Comparison,
    max_passages: int | None = None,
    max_changes: int | None = None,
    seed: int = 1,
) -> None:
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
    if result.passages:
        _print_passages(console, result, max_passages, seed)
    console.print(f"changes A → B: {counts_line(result.change_counts)}")
    shown = result.changes[:max_changes] if max_changes is not None else result.changes
    for change in shown:
        console.print(change_line(change), overflow="fold")
    if len(shown) < len(result.changes):
        console.print(f"[dim]... {len(result.changes) - len(shown)} more changes[/dim]")
    if result.event_similarity is not None:
        _print_event(console, result.event_similarity, result.event_evidence or {})


def _print_event(console: Console, similarity: float, evidence: dict[str, Any]) -> None:
    """The event similarity (``compare --semantic``) and what the two texts share."""
    console.print(
        f"event similarity: [bold]{similarity:.3f}[/bold] (0 unrelated, 1 one event; "
        f"cosine {evidence.get('cosine', 0.0):.3f})"
    )
    for kind in ("names", "dates", "places"):
        found = evidence.get(kind) or []
        console.print(f"  shared {kind}: {escape(', '.join(found)) if found else 'none'}")


def _print_passages(
    console: Console, result: Comparison, max_passages: int | None, seed: int
) -> None:
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
        a_text, b_text = _sides(p["a_text"], p["b_text"], seed)
        table.add_row(
            str(n),
            Text(f"{p['a_start']}-{p['a_end']} ", style="dim") + a_text,
            Text(f"{p['b_start']}-{p['b_end']} ", style="dim") + b_text,
            f"{p['similarity']:.2f}",
        )
    console.print(table)


def _figure(value: float, count: bool) -> str:
    """Counts as whole numbers, shares with three decimals."""
    return f"{value:.0f}" if count else f"{value:.3f}"


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
                f"{sign} {_figure(m.target, m.count)}",
                _figure(m.measured, m.count),
                "[green]met[/]" if m.met else "[red]missed[/]",
                escape(m.detail),
            )
    console.print(table)
