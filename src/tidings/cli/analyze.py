"""``tidings analyze``, ``dyad`` and ``schema``: one article or one relation at a time."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from ..records import Analysis, json_schema
from ._common import Format, ModelOption, _analyzer, _read_one, app, err


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
            from ..render import render_pretty

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

    from ..analysis.dyads import dyad_series

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
