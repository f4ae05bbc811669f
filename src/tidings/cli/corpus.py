"""``tidings ingest``, ``stories`` and ``export``: a store of many articles."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..ingest import IngestError
from ..nlp import ModelNotFound
from ._common import ModelOption, _analyzer, _fail, app, err


def _ingest_analyzer(store, model: str | None, workers: int | None, scheduler: str | None, cluster: ExitStack):
    """How ``ingest`` reads and analyzes: in this process, or on a Dask cluster that ``cluster`` closes at
    the end. Sets the model name the store records."""
    from ..store import sequential
    from ..store.load import read_items_here

    if workers is None and scheduler is None:
        analyzer = _analyzer(model)
        store.model = analyzer.model
        return sequential(analyzer), read_items_here
    try:
        from ..store.distributed import DaskRunner, DistributedError
    except ImportError as error:
        raise _fail(f"--workers and --scheduler need Dask: pip install 'dask[distributed]' ({error})") from None
    try:
        runner = cluster.enter_context(DaskRunner.start(workers=workers, scheduler=scheduler, model=model))
    except (DistributedError, ModelNotFound) as error:
        raise _fail(str(error)) from None
    store.model = runner.model
    return runner.analyze_rows, runner.read_items


class ExportFormatChoice(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    gdelt = "gdelt"
    plover = "plover"


@app.command()
def stories(
    db: Annotated[Path, typer.Option("--db", help="the store, a DuckDB file")] = Path("tidings.duckdb"),
    as_json: Annotated[bool, typer.Option("--json", help="print the stories as JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="list this many stories")] = 20,
) -> None:
    """Merge the store's events into stories (same real-world event across articles) and list the biggest."""
    from ..nlp import load_nlp
    from ..store import StoreError
    from ..stories import biggest_stories, build_stories
    from ..stories.build import as_json as stories_json

    if not db.exists():
        raise _fail(f"no store at {db}: run 'tidings ingest' first")
    try:
        build_stories(db, nlp=load_nlp())
        found = biggest_stories(db, limit)
    except (StoreError, ModelNotFound) as error:
        raise _fail(str(error)) from None
    if as_json:
        sys.stdout.write(stories_json(found) + "\n")
        return
    for story in found:
        sys.stdout.write(f"{story['story_id']}  {story['n_articles']} articles, {story['n_events']} events, "
                         f"{story['n_outlets']} outlets  {story['cameo_root'] or '--'} {story['plover'] or ''}  "
                         f"{story['dyad'] or ''}  {story['first_seen'] or ''}..{story['last_seen'] or ''}  "
                         f"[{story['status'] or '-'}]  {story['evidence'] or ''}\n")


@app.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="files or folders (.txt .html .htm .gz), .jsonl, feeds "
                                                 "(.rss .atom .xml), .warc, http(s) URLs of pages or feeds; - for stdin")],
    db: Annotated[Path, typer.Option("--db", help="the store, a DuckDB file (created if missing)")] = Path("tidings.duckdb"),
    allow_private: Annotated[bool, typer.Option("--allow-private", help="let URLs reach private, loopback and "
                                                "link-local addresses (cloud metadata stays refused)")] = False,
    published: Annotated[str | None, typer.Option("--published", help="publication date for items that carry none")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="read at most N items from the sources")] = None,
    model: ModelOption = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="analyze on a local Dask cluster of N "
                                                "worker processes (the store is written by this process)")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="analyze on an existing Dask cluster, "
                                                  "e.g. tcp://host:8786 (its workers need tidings and the model)")] = None,
) -> None:
    """Ingest a corpus into the store: each distinct article analyzed and stored once, in one transaction.

    Safe to interrupt and re-run: stored articles are skipped as duplicates. Exit 1 when some items were
    rejected, 2 when the store cannot be used."""
    from ..ingest.article import parse_published
    from ..sources import FetchPolicy, iter_sources
    from ..store import StoreError, StoreReader, StoreWriter, load
    from ..store.console import IngestProgress, render_summary
    from ..store.load import IngestSummary

    try:
        parse_published(published)
    except IngestError as error:
        raise _fail(str(error)) from None
    if workers is not None and scheduler is not None:
        raise _fail("give --workers or --scheduler, not both")
    out = Console()
    summary, interrupted, progress = IngestSummary(), False, None
    try:
        # The store is opened first: a locked store fails before the model loads.
        with StoreWriter(db) as store, ExitStack() as cluster:
            analyze_items, read_items = _ingest_analyzer(store, model, workers, scheduler, cluster)
            items = iter_sources(sources, policy=FetchPolicy(allow_private=allow_private))
            with IngestProgress(err) as progress:
                load(items, store, analyze_items, published=published, limit=limit, on_outcome=progress,
                     summary=summary, read_items=read_items)
    except StoreError as error:
        raise _fail(str(error)) from None
    except KeyboardInterrupt:
        interrupted = True
    try:
        with StoreReader(db) as reader:
            totals = reader.counts()
    except StoreError:
        totals = None
    render_summary(summary, totals, progress.elapsed if progress else 0.0, out, interrupted=interrupted)
    if interrupted:
        raise typer.Exit(130)
    if summary.rejected:
        raise typer.Exit(1)



@app.command()
def export(
    format: Annotated[ExportFormatChoice, typer.Option("--format", help="parquet, csv, jsonl (folders: one file or "
                                                       "folder per table), gdelt or plover (events, one file)")],
    db: Annotated[Path, typer.Option("--db", help="the store, a DuckDB file")] = Path("tidings.duckdb"),
    out: Annotated[Path | None, typer.Option("--out", help="folder (parquet, csv, jsonl; default tidings-export) "
                                             "or file (gdelt, plover; default standard output)")] = None,
    table: Annotated[str | None, typer.Option("--table", help="one table: articles, actors, mentions, quotes, "
                                              "events, claims, timexes, places (default: events; csv/jsonl: all)")] = None,
    since: Annotated[str | None, typer.Option("--since", help="first day, e.g. 2023-09-01 (events by their own "
                                              "date, else publication date)")] = None,
    until: Annotated[str | None, typer.Option("--until", help="last day, inclusive")] = None,
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="gdelt, plover: include negated, future, "
                                                 "planned, hypothetical and historical events (neither format "
                                                 "has a modality field)")] = False,
) -> None:
    """Export the store: Parquet partitioned by month, CSV, JSON Lines, GDELT 2.0 Events TSV or PLOVER JSON."""
    import datetime

    from ..export import ExportError, ExportRequest, Selection
    from ..export import export as run_export
    from ..store import StoreError

    def day(option: str, value: str | None) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(value) if value else None
        except ValueError:
            raise _fail(f"{option} {value!r} is not a date: use YYYY-MM-DD") from None

    event_format = format.value in ("gdelt", "plover")
    selection = Selection(since=day("--since", since), until=day("--until", until),
                          asserted_only=event_format and not all_modalities)
    try:
        summary = run_export(ExportRequest(db, format.value, out, table, selection))
    except (ExportError, StoreError) as error:
        raise _fail(str(error)) from None
    for written in summary.written:
        err.print(f"{format.value}: {written.rows} rows of {written.table} → {written.target}")
    for note in summary.notes:
        err.print(f"note: {note}")
