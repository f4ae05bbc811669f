"""``tidings serve`` and ``alerts``: the web API and dashboard over a store, and relation shifts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ._common import _fail, app


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

    from ..store import StoreError
    from ..web.api import create_app
    from ..web.limits import api_limits

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
    from ..analysis.shifts import strongest_shifts
    from ..analysis.store_view import StoreView
    from ..store import StoreError

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
