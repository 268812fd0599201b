"""The ``storytrace`` command. Each command is a thin wrapper over one library call."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click
import pyarrow as pa
from rich.console import Console

from storytrace.api import compare as compare_texts
from storytrace.api import open_run
from storytrace.archive.add import add as add_articles
from storytrace.archive.inputs import match_inputs
from storytrace.config import ENGINES, Config
from storytrace.evaluate.baseline import baseline_of, regressions
from storytrace.evaluate.baseline import write_baseline as save_baseline
from storytrace.evaluate.runner import evaluate, select_suites
from storytrace.report.queries import NotARunError
from storytrace.report.server import serve as serve_run
from storytrace.report.static_site import (
    MAX_COMPARES,
    MAX_STORIES,
    ReportFolderError,
    build_report,
)
from storytrace.run.loop import run as run_pipeline
from storytrace.semantic.errors import SemanticExtraMissing, require_semantic_extra
from storytrace.terminal import (
    RichProgress,
    json_text,
    print_comparison,
    print_evaluation,
    print_export,
    print_left_out,
    print_match,
    print_story,
    print_summary,
    visible,
)
from storytrace.version import __version__


def _config(config_file: Path | None, **overrides: object) -> Config:
    changes = {k: v for k, v in overrides.items() if v is not None}
    try:
        base = Config.load(config_file) if config_file else Config()
        return base.replace(**changes)
    except (ValueError, TypeError) as err:
        raise click.ClickException(str(err)) from err


_config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file with settings (see `storytrace config`).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storytrace")
def main() -> None:
    """Find copies, reprints, versions and partial rewrites of news articles."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    "run_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Run directory to write (created if missing).",
)
@_config_option
@click.option(
    "--id-field", help="Field holding the document id in JSONL/CSV/Parquet (default: id)."
)
@click.option("--text-field", help="Field holding the text in JSONL/CSV/Parquet (default: text).")
@click.option(
    "--html-field", help="Field holding a raw HTML page in JSONL/CSV/Parquet (default: html)."
)
@click.option("--workers", type=int, help="Worker processes (0: one per core, 1: no pool).")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="Where the stages run: local (default) or spark (pip install 'storytrace[spark]').",
)
@click.option(
    "--master",
    "spark_master",
    help="Spark master with --engine spark: local[2], spark://host:7077, yarn "
    "(default: spark-submit's, else local[*]).",
)
@click.option(
    "--semantic",
    is_flag=True,
    default=None,
    help="Also find articles reporting one event in other words (same_event, events); "
    "needs storytrace[semantic].",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option(
    "--verbose", is_flag=True, help="List every rejected record and every skipped file and item."
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder that holds other files, or replace a run of other inputs "
    "(starting clean).",
)
def run(
    inputs: tuple[Path, ...],
    run_dir: Path,
    config_file: Path | None,
    id_field: str | None,
    text_field: str | None,
    html_field: str | None,
    workers: int | None,
    engine: str | None,
    spark_master: str | None,
    semantic: bool | None,
    quiet: bool,
    verbose: bool,
    force: bool,
) -> None:
    """Find stories in INPUTS (folders of .txt, JSONL, CSV, Parquet, Reuters .sgm, .html,
    .warc; .gz too) and write tables to the run directory.

    Run the same command again after an interruption and it resumes at the first stage
    that did not finish; a changed setting or input file redoes only what it affects. A
    folder holding a run of other inputs is refused unless --force. A run that yields no
    document at all exits with status 1."""
    config = _config(
        config_file,
        id_field=id_field,
        text_field=text_field,
        html_field=html_field,
        workers=workers,
        engine=engine,
        spark_master=spark_master,
        semantic=semantic,
    )
    try:
        if config.semantic:
            require_semantic_extra()
    except SemanticExtraMissing as err:
        raise click.ClickException(str(err)) from err
    console = Console(stderr=True, quiet=quiet)
    try:
        with RichProgress(console) as progress:
            summary = run_pipeline(list(inputs), run_dir, config, progress, force=force)
    except OSError as err:
        # Bad input never gets here (ingest rejects it): this is the run directory.
        raise click.ClickException(_os_message(err)) from err
    out = Console()
    if verbose:
        finished = open_run(summary.run_dir)
        print_left_out(out, finished.rejects.to_pylist(), finished.skipped.to_pylist())
    print_summary(out, summary)
    if not summary.counts["documents"]:
        sys.exit(1)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _os_message(err: OSError) -> str:
    """``cannot write X: No space left on device`` for system errors; our own messages
    (raised with text only) as they are."""
    if err.strerror and err.filename:
        return f"cannot write {err.filename}: {err.strerror}"
    return str(err)


@main.command()
@click.argument("a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--passages",
    "max_passages",
    type=click.IntRange(min=1),
    help="Show at most this many passages.",
)
@click.option(
    "--changes",
    "max_changes",
    type=click.IntRange(min=0),
    help="Show at most this many sentence changes (all are counted).",
)
@click.option(
    "--semantic",
    is_flag=True,
    default=None,
    help="Also the event similarity (same event in other words) and its evidence; "
    "needs storytrace[semantic].",
)
@_config_option
def compare(
    a: Path,
    b: Path,
    as_json: bool,
    max_passages: int | None,
    max_changes: int | None,
    semantic: bool | None,
    config_file: Path | None,
) -> None:
    """Compare two article files: relation, reason, figures, aligned passages side by side,
    and the sentence changes from A (the older) to B."""
    config = _config(config_file, semantic=semantic)
    try:
        result = compare_texts(a, b, config)
    except ValueError as err:  # names the file or the document id, which may hold anything
        raise click.ClickException(visible(str(err))) from err
    except SemanticExtraMissing as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        sys.stdout.write(json_text(result.to_dict(), indent=2) + "\n")
    else:
        print_comparison(Console(), result, max_passages, max_changes, config.seed)


@main.command("add")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress bars.")
def add_command(run_dir: Path, inputs: tuple[Path, ...], quiet: bool) -> None:
    """Add the articles of INPUTS to the run in RUN_DIR, in place: the stories it has keep
    their ids, and stories that new articles join are recorded as merged (work/merges.parquet).
    Rerun the same command after an interruption and it resumes."""
    console = Console(stderr=True, quiet=quiet)
    try:
        with RichProgress(console) as progress:
            summary = add_articles(run_dir, list(inputs), progress)
    except OSError as err:
        raise click.ClickException(_os_message(err)) from err
    print_summary(Console(), summary)
    merged = open_run(run_dir).merges.num_rows
    Console().print(f"stories merged into another: {merged:,} (work/merges.parquet)")


@main.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("articles", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per article.")
def match(run_dir: Path, articles: tuple[str, ...], as_json: bool) -> None:
    """Match ARTICLES (files, or - for JSON Lines records on standard input) against the run
    in RUN_DIR: the story each belongs to, its relation to the closest articles there with
    the passages they share, or no match with the nearest near-misses. Nothing is written."""
    try:
        archive = open_run(run_dir)
    except (OSError, pa.ArrowException) as err:
        raise click.ClickException(visible(str(err))) from err
    out, failed = Console(), 0
    for name, item in match_inputs(articles, sys.stdin):
        try:
            if isinstance(item, str):
                raise ValueError(item)
            found = archive.match(item)
        except (ValueError, OSError, pa.ArrowException) as err:
            failed += 1
            click.echo(f"cannot match {visible(name)}: {visible(str(err))}", err=True)
            continue
        if as_json:
            click.echo(json_text(found.to_dict(), default=str))
        else:
            print_match(out, found)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o", "--out", required=True, type=click.Path(path_type=Path), help="OUT.parquet or OUT.jsonl"
)
@click.option(
    "--keep",
    default="origin",
    show_default=True,
    help="Which article of a story: origin, earliest, longest, or source:NAME,NAME (the first "
    "of those sources the story has, else the origin).",
)
@click.option("--per-source", is_flag=True, help="Keep one article per source of each story.")
def export(run_dir: Path, out: Path, keep: str, per_source: bool) -> None:
    """Write one article per story of RUN_DIR, and every article in no story, to OUT, each
    with how many articles it stands for (copies and versions): a deduplicated corpus that
    keeps the article you choose."""
    try:
        table = open_run(run_dir).export(out, keep, per_source)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err
    except (OSError, pa.ArrowException) as err:
        raise click.ClickException(visible(str(err))) from err
    print_export(Console(), table, out)


@main.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
def story(run_dir: Path, doc_id: str, as_json: bool) -> None:
    """Show the story of DOC_ID in RUN_DIR: its articles, their roles and their links."""
    try:
        view = open_run(run_dir).story(doc_id)
    except KeyError as err:
        raise click.ClickException(visible(str(err.args[0]) if err.args else str(err))) from err
    except (OSError, pa.ArrowException) as err:  # missing table, damaged Parquet file
        raise click.ClickException(visible(str(err))) from err
    if as_json:
        json.dump(dataclasses.asdict(view), sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print_story(Console(), view)


@main.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the report to (default: RUN_DIR/report).",
)
@click.option(
    "--max-stories",
    type=click.IntRange(min=1),
    default=MAX_STORIES,
    show_default=True,
    help="Pages for at most this many stories, the largest first.",
)
@click.option(
    "--max-compares",
    type=click.IntRange(min=1),
    default=MAX_COMPARES,
    show_default=True,
    help="Side-by-side pages per story, at most.",
)
def report(run_dir: Path, out: Path | None, max_stories: int, max_compares: int) -> None:
    """Write a static HTML report of RUN_DIR that opens from disk, no server needed."""
    try:
        summary = build_report(run_dir, out, max_stories, max_compares)
    except (NotARunError, ReportFolderError) as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:  # a damaged table, a folder that cannot be written
        raise click.ClickException(_os_message(err)) from err
    left_out = summary.stories_total - summary.stories_written
    click.echo(
        f"report: {summary.index} ({_count(summary.stories_written, 'story', 'stories')}"
        + (f", {left_out} smaller ones left out" if left_out else "")
        + f", {_count(summary.compare_pages, 'side-by-side page', 'side-by-side pages')})"
    )
    click.echo(f"serve it: storytrace serve {run_dir}")


@main.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(run_dir: Path, host: str, port: int) -> None:
    """Browse RUN_DIR in a web browser: stories, timelines, any two versions side by side,
    every page also as JSON (/api/...). Read-only."""
    try:
        serve_run(run_dir, host, port, lambda line: click.echo(line, err=True))
    except NotARunError as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:  # the port is taken, or the address is not this machine's
        raise click.ClickException(str(err)) from err


@main.command("config")
def show_config() -> None:
    """Print every setting with its default and what it does, as TOML for --config."""
    click.echo(Config().to_toml(commented=True), nl=False)


@main.command("eval")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Folder holding the labelled data sets.",
)
@click.option("--suite", "suites", multiple=True, help="Run only this suite (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Pin the measured figures in this baseline file (the quality gate reads it).",
)
@click.option(
    "--check",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fail when a figure is worse than in this baseline file.",
)
@_config_option
def evaluate_command(
    data: Path,
    suites: tuple[str, ...],
    as_json: bool,
    write_baseline: Path | None,
    check: Path | None,
    config_file: Path | None,
) -> None:
    """Measure storytrace on labelled real data and print figure, target and measured."""
    try:
        chosen = select_suites(suites)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    console = Console(stderr=True)
    results = evaluate(
        data, _config(config_file), chosen, lambda name: console.print(f"measuring {name} ...")
    )
    if not results:
        raise click.ClickException(f"no data for any suite in {data}")
    if as_json:
        json.dump(baseline_of(results), sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        print_evaluation(Console(), results)
    if write_baseline:
        save_baseline(write_baseline, results)
        console.print(f"baseline written to {write_baseline}")
    if check:
        problems = regressions(json.loads(check.read_text("utf-8")), results)
        if problems:
            raise click.ClickException("quality gate failed:\n  " + "\n  ".join(problems))
