"""The read-only REST API over a store: ``create_app(db_path, token=None)``, served by ``tidings serve``.

Every ``GET /api/...`` reads the store through one :class:`~tidings.analysis.store_view.StoreView` (the file
attached read-only, the dyad table built once at start), a fresh DuckDB cursor per request; every value a
request sends reaches SQL as a bound parameter (:mod:`tidings.web.queries`). Lists are pages (``limit`` up
to data/api.json's max_page, ``offset``); every failure is an :class:`ApiError` JSON body with its status
(400, 401, 403, 404, 413, 422, 429, 503, 500), never a traceback or a piece of SQL.

``POST /api/analyze`` runs the pipeline on posted text. It costs CPU, so — like any write method, now or
later (:mod:`tidings.web.middleware`) — it needs the operator's token (``TIDINGS_TOKEN``, or ``token=``) as
``Authorization: Bearer <token>`` (no configured token: 403), its body is cut at max_body_bytes (413), and
it runs in a bounded :class:`~tidings.web.analysis_pool.AnalysisPool` (full: 429 analysis_busy; slower
than analysis_timeout_s: 503 analysis_timeout).

Around everything: at most max_in_flight requests at once (503 overloaded + Retry-After beyond), a bounded
cache of GET answers (:mod:`tidings.web.response_cache`; sound since the served store cannot change), the
Content-Security-Policy and nosniff headers on every answer, and CORS closed unless ``cors_origins`` names
the origins to let in. ``/`` is left free for the dashboard: :func:`mount_dashboard` serves a folder of
static files there, after the API routes (so ``/api`` keeps winning); ``create_app(..., dashboard=folder)``
calls it.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from pydantic import ValidationError

from tidings.analysis.series import DyadSeries, dyad_series
from tidings.analysis.shifts import Shift, dyad_shifts, strongest_shifts
from tidings.analysis.store_view import StoreView
from tidings.records import Analysis, ClaimStatus, Modality, QuoteKind
from tidings.store.reader import StoreReader
from tidings.web import queries
from tidings.web.analysis_pool import AnalysisPool, PoolBusy, PoolTimeout
from tidings.web.errors import ERROR_CODES, ApiProblem, install_error_handlers
from tidings.web.limits import ApiLimits, api_limits
from tidings.web.middleware import BodyLimit, InFlightLimiter, OperatorGuard, SecurityHeaders
from tidings.web.models import (
    ActorStats,
    AnalyzeRequest,
    ApiError,
    ArticleSummary,
    ClaimItem,
    EventItem,
    Page,
    QuoteItem,
)
from tidings.web.response_cache import ResponseCache

__all__ = ["DASHBOARD", "ERROR_CODES", "LIMITS", "ApiLimits", "api_limits", "create_app", "mount_dashboard"]

LIMITS = api_limits()
# The dashboard shipped with the package (index.html, app.js, style.css): served at / unless told otherwise.
DASHBOARD = Path(__file__).with_name("static")
Limit = Annotated[int, Query(ge=1, le=LIMITS.max_page, description=f"items per page (at most {LIMITS.max_page})")]
Offset = Annotated[int, Query(ge=0, le=LIMITS.max_offset, description="items to skip")]
Text = Annotated[str | None, Query(max_length=500)]
Key = Annotated[str, PathParam(min_length=1, max_length=200, description="a country (ISO-3) or an actor id")]
ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ApiError} for status in (400, 404, 422, 500, 503)}


def _cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB cursor of the app's store view for one request (cursors are per thread)."""
    handle = request.app.state.view.cursor()
    try:
        yield handle
    finally:
        handle.close()


Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(_cursor)]


class _CursorReader(StoreReader):
    """The store reader's rebuild of a whole analysis, on a cursor whose default catalog is the store."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, path: Path) -> None:  # noqa: D107 - no file to open
        cursor.execute("USE store")
        self.connection = cursor
        self.path = path


class PipelineUnavailable(RuntimeError):
    """The pipeline could not be loaded (a missing model, say): the operator's to fix."""


def _default_analyzer() -> Any:
    from tidings.pipeline import Analyzer

    return Analyzer()


class _Analyzer:
    """The pipeline, loaded on the first POST /api/analyze (loading spaCy takes seconds), then kept."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._analyzer: Any = None

    def get(self) -> Any:
        with self._lock:
            if self._analyzer is None:
                try:
                    self._analyzer = self._factory()
                except Exception as error:  # noqa: BLE001 - said plainly as a 503, not a traceback
                    raise PipelineUnavailable(type(error).__name__) from None
            return self._analyzer


def create_app(db_path: str | Path, token: str | None = None, *, dashboard: str | Path | None = DASHBOARD,
               cors_origins: Sequence[str] = (), limits: ApiLimits | None = None,
               analyzer_factory: Callable[[], Any] = _default_analyzer) -> FastAPI:
    """The API over the store at ``db_path`` (raises StoreError now if it cannot be read), with the
    dashboard's static files at ``/`` (``dashboard=None`` serves the API alone). ``cors_origins``: the
    only origins whose pages may call the API (none by default); ``limits``: data/api.json's unless given
    (page bounds stay the file's); ``analyzer_factory``: builds the pipeline for POST /api/analyze."""
    limits = limits or LIMITS
    view = StoreView.open(db_path)
    view.connection.execute(f"SET threads = {int(limits.duckdb_threads)}")  # an int from the limits, not a request
    operator_token = token if token is not None else os.environ.get("TIDINGS_TOKEN") or None
    pool = AnalysisPool(limits.max_concurrent_analyses, limits.analysis_timeout_s)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The read endpoints' thread pool (anyio's, per event loop): set here, where the loop runs.
        anyio.to_thread.current_default_thread_limiter().total_tokens = limits.worker_threads
        yield
        pool.close()
        view.close()

    app = FastAPI(title="tidings", version="1", lifespan=lifespan, responses=ERRORS,
                  description="Read-only access to a tidings store: articles, events, dyads, shifts, actors, "
                              "quotes, claims, stories; POST /api/analyze with a bearer token.")
    app.state.view = view
    app.state.limits = limits
    install_error_handlers(app)
    _install_guards(app, limits, operator_token, cors_origins)
    analyzer = _Analyzer(analyzer_factory)

    @app.get("/api/articles", response_model=Page[ArticleSummary])
    def articles(db: Cursor, limit: Limit = LIMITS.default_page, offset: Offset = 0, q: Text = None,
                 date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> Page[ArticleSummary]:
        """Stored articles, oldest first; ``q`` searches titles and text."""
        return queries.articles_page(db, q=q, date_from=date_from, date_to=date_to, limit=limit, offset=offset)

    @app.get("/api/articles/{article_id}", response_model=Analysis)
    def article(db: Cursor, article_id: Annotated[str, PathParam(max_length=200)]) -> Analysis:
        """One article's full analysis, as the pipeline produced it."""
        analysis = _CursorReader(db, view.path).analysis(article_id)
        if analysis is None:
            raise HTTPException(404, f"no article {article_id!r} in the store")
        return analysis

    @app.get("/api/events", response_model=Page[EventItem])
    def events(db: Cursor, limit: Limit = LIMITS.default_page, offset: Offset = 0, actor: Text = None,
               country: Text = None,
               dyad: Annotated[str | None, Query(max_length=401, description="A,B: events between A and B")] = None,
               code: Text = None, root: Text = None, quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
               date_from: datetime.date | None = None, date_to: datetime.date | None = None,
               modality: Modality | None = None, status: ClaimStatus | None = None, q: Text = None,
               article_id: Text = None) -> Page[EventItem]:
        """Events, filtered; ``q`` searches the evidence sentences."""
        wanted = queries.EventFilters(actor=actor, country=country, dyad=_dyad(dyad), code=code, root=root,
                                      quad_class=quad_class, date_from=date_from, date_to=date_to,
                                      modality=modality, status=status, q=q, article_id=article_id)
        return queries.events_page(db, wanted, limit, offset)

    @app.get("/api/dyads/{a}/{b}/series", response_model=DyadSeries)
    def series(a: Key, b: Key, bucket: Literal["day", "week", "month"] = "month", directed: bool = False,
               modality: Annotated[list[Modality] | None, Query()] = None, date_from: datetime.date | None = None,
               date_to: datetime.date | None = None, fill: bool = False) -> DyadSeries:
        """Counts by QuadClass, Goldstein, cooperation share and top codes per bucket, for A–B (or A→B)."""
        return dyad_series(view, a, b, bucket=bucket, directed=directed, modalities=modality,
                           date_from=date_from, date_to=date_to, fill_empty=fill)

    @app.get("/api/shifts", response_model=list[Shift])
    def shifts(limit: Annotated[int, Query(ge=1, le=100)] = 10, a: Text = None, b: Text = None,
               bucket: Literal["week", "month"] | None = None) -> list[Shift]:
        """The strongest rapprochements and estrangements across country dyads, or those of the pair a–b."""
        if (a is None) != (b is None):
            raise HTTPException(400, "give both a and b for one dyad's shifts, or neither for the strongest")
        if a and b:
            return dyad_shifts(view, a, b, bucket=bucket)[:limit]
        return strongest_shifts(view, limit, bucket=bucket)

    @app.get("/api/actors", response_model=Page[ActorStats])
    def actors(db: Cursor, limit: Limit = LIMITS.default_page, offset: Offset = 0, country: Text = None,
               kind: Text = None, q: Text = None) -> Page[ActorStats]:
        """Actors, the most quoted first, with the actors their quotes talk about."""
        return queries.actors_page(db, country=country, kind=kind, q=q, top_targets=LIMITS.top_targets,
                                   limit=limit, offset=offset)

    @app.get("/api/quotes", response_model=Page[QuoteItem])
    def quotes(db: Cursor, limit: Limit = LIMITS.default_page, offset: Offset = 0, speaker: Text = None,
               country: Text = None, kind: QuoteKind | None = None, anonymous: bool | None = None, q: Text = None,
               article_id: Text = None) -> Page[QuoteItem]:
        """Quotes, filtered by speaker (actor id), the speaker's country, kind or text."""
        return queries.quotes_page(db, speaker=speaker, country=country, kind=kind, anonymous=anonymous, q=q,
                                   article_id=article_id, limit=limit, offset=offset)

    @app.get("/api/claims", response_model=Page[ClaimItem])
    def claims(db: Cursor, limit: Limit = LIMITS.default_page, offset: Offset = 0, status: ClaimStatus | None = None,
               anonymous: bool | None = None, single_anonymous: bool | None = None, country: Text = None,
               q: Text = None, article_id: Text = None) -> Page[ClaimItem]:
        """Claims with their status; ``single_anonymous`` picks those resting on one unnamed source."""
        return queries.claims_page(db, status=status, anonymous=anonymous, single_anonymous=single_anonymous,
                                   country=country, q=q, article_id=article_id, limit=limit, offset=offset)

    @app.get("/api/stories", response_model=Page[dict[str, Any]])
    def stories(db: Cursor, limit: Limit = LIMITS.default_page, offset: Offset = 0) -> Page[dict[str, Any]]:
        """Story clusters, when the store has a ``stories`` table; an empty page otherwise."""
        if not view.has_table("stories"):
            return Page(items=[], total=0, limit=limit, offset=offset)
        return queries.stories_page(db, limit=limit, offset=offset)

    @app.post("/api/analyze", response_model=Analysis,
              responses={status: {"model": ApiError} for status in (401, 403, 413, 429, 503)},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": AnalyzeRequest.model_json_schema()}}}})
    async def analyze(request: Request) -> Analysis:
        """Analyze posted text (JSON: text, published, source); needs ``Authorization: Bearer <token>``
        (checked, with the body's size, by the write guards before this runs)."""
        try:
            wanted = AnalyzeRequest.model_validate_json(await request.body())
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False, include_input=False)) from None

        def job() -> Analysis:
            return analyzer.get().analyze(wanted.text, published=wanted.published, source=wanted.source or "api")

        retry = {"Retry-After": str(limits.retry_after_s)}
        try:
            return await pool.run(job)
        except PoolBusy as busy:
            raise ApiProblem(429, "analysis_busy", f"{busy}: retry later", headers=retry) from None
        except PoolTimeout as late:
            raise ApiProblem(503, "analysis_timeout", str(late), headers=retry) from None
        except PipelineUnavailable as error:
            raise ApiProblem(503, "unavailable", f"the analysis pipeline is unavailable: {error}") from None

    if dashboard is not None:
        mount_dashboard(app, dashboard)
    return app


def mount_dashboard(app: FastAPI, folder: str | Path) -> None:
    """Serve the static files of ``folder`` at ``/`` (index.html for ``/``). Call after the API routes."""
    from fastapi.staticfiles import StaticFiles

    app.mount("/", StaticFiles(directory=str(folder), html=True), name="dashboard")


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise HTTPException(400, "dyad must be two keys separated by a comma, e.g. dyad=RUS,PRK")
    return parts[0], parts[1]


def _install_guards(app: FastAPI, limits: ApiLimits, operator_token: str | None,
                    cors_origins: Sequence[str]) -> None:
    """Middleware, innermost first: the body limit and the token sit next to the routes, the answer cache
    outside them (reads only), the in-flight limit outside that (refusals are cheap), CORS outside that (so refusals still reach an allowed page), the
    security headers outermost (so every answer has them)."""
    app.add_middleware(BodyLimit, max_body_bytes=limits.max_body_bytes)
    app.add_middleware(OperatorGuard, operator_token=operator_token)
    app.add_middleware(ResponseCache, max_entries=limits.response_cache_entries,
                       max_bytes=limits.response_cache_bytes)
    app.add_middleware(InFlightLimiter, max_in_flight=limits.max_in_flight, retry_after_s=limits.retry_after_s)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "HEAD", "POST"],
                           allow_headers=["Authorization", "Content-Type"], max_age=600)
    app.add_middleware(SecurityHeaders, content_security_policy=limits.content_security_policy)
