"""The read-only REST API over a store: ``create_app(db_path, token=None)``, served by ``tidings serve``.

Every ``GET /api/...`` reads the store through one :class:`~tidings.analysis.store_view.StoreView` (the file
attached read-only, the dyad table built once at start), a fresh DuckDB cursor per request. Lists are
pages (``limit`` up to data/api.json's max_page, ``offset``); every failure is an :class:`ApiError` JSON
body with its status (400, 401, 403, 404, 413, 422, 503, 500), never a traceback or a piece of SQL.

``POST /api/analyze`` runs the pipeline on posted text. It costs CPU, so it needs the operator's token
(``TIDINGS_TOKEN``, or ``token=``) as ``Authorization: Bearer <token>``; without a configured token it is
off (403). The body is read at most max_body_bytes (413 beyond).

``/`` is left free for the dashboard: :func:`mount_dashboard` serves a folder of static files there, after
the API routes (so ``/api`` keeps winning); ``create_app(..., dashboard=folder)`` calls it.
"""

from __future__ import annotations

import datetime
import hmac
import json
import os
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tidings.analysis.series import DyadSeries, dyad_series
from tidings.analysis.shifts import Shift, dyad_shifts, strongest_shifts
from tidings.analysis.store_view import StoreView
from tidings.datafiles import DATA
from tidings.records import Analysis, ClaimStatus, Modality, QuoteKind
from tidings.store.errors import StoreError
from tidings.store.reader import StoreReader
from tidings.web import queries
from tidings.web.models import (ActorStats, AnalyzeRequest, ApiError, ArticleSummary, ClaimItem, EventItem, Page,
                                QuoteItem)

ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               413: "payload_too_large", 422: "validation_error", 503: "unavailable"}


@dataclass(frozen=True)
class ApiLimits:
    default_page: int
    max_page: int
    max_offset: int
    max_body_bytes: int
    top_targets: int


@lru_cache(maxsize=1)
def api_limits() -> ApiLimits:
    raw = json.loads((DATA / "api.json").read_text(encoding="utf-8"))
    return ApiLimits(**{key: value for key, value in raw.items() if not key.startswith("_")})


LIMITS = api_limits()
# The dashboard shipped with the package (index.html, app.js, style.css): served at / unless told otherwise.
DASHBOARD = Path(__file__).with_name("static")
Limit = Annotated[int, Query(ge=1, le=LIMITS.max_page, description=f"items per page (at most {LIMITS.max_page})")]
Offset = Annotated[int, Query(ge=0, le=LIMITS.max_offset, description="items to skip")]
Text = Annotated[str | None, Query(max_length=500)]
Key = Annotated[str, PathParam(min_length=1, max_length=200, description="a country (ISO-3) or an actor id")]
ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ApiError} for status in (400, 404, 422, 500)}


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


class _Analyzer:
    """The pipeline, loaded on the first POST /api/analyze (loading spaCy takes seconds), then kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._analyzer: Any = None

    def get(self) -> Any:
        with self._lock:
            if self._analyzer is None:
                from tidings.pipeline import Analyzer

                self._analyzer = Analyzer()
            return self._analyzer


def create_app(db_path: str | Path, token: str | None = None, *,
               dashboard: str | Path | None = DASHBOARD) -> FastAPI:
    """The API over the store at ``db_path`` (raises StoreError now if it cannot be read), with the
    dashboard's static files at ``/`` (``dashboard=None`` serves the API alone)."""
    view = StoreView.open(db_path)
    operator_token = token if token is not None else os.environ.get("TIDINGS_TOKEN") or None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Iterator[None]:
        yield
        view.close()

    app = FastAPI(title="tidings", version="1", lifespan=lifespan, responses=ERRORS,
                  description="Read-only access to a tidings store: articles, events, dyads, shifts, actors, "
                              "quotes, claims, stories; POST /api/analyze with a bearer token.")
    app.state.view = view
    _install_error_handlers(app)
    analyzer = _Analyzer()

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
              responses={status: {"model": ApiError} for status in (401, 403, 413, 503)},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": AnalyzeRequest.model_json_schema()}}}})
    async def analyze(request: Request) -> Analysis:
        """Analyze posted text (JSON: text, published, source); needs ``Authorization: Bearer <token>``."""
        _authorize(request.headers.get("authorization"), operator_token)
        body = await _read_body(request, LIMITS.max_body_bytes)
        try:
            wanted = AnalyzeRequest.model_validate_json(body)
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False, include_input=False)) from None
        try:
            pipeline = await run_in_threadpool(analyzer.get)
        except Exception as error:  # noqa: BLE001 - a missing model is the operator's to fix, said plainly
            raise HTTPException(503, f"the analysis pipeline is unavailable: {type(error).__name__}") from None
        return await run_in_threadpool(pipeline.analyze, wanted.text, published=wanted.published,
                                       source=wanted.source or "api")

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


def _authorize(header: str | None, operator_token: str | None) -> None:
    if not operator_token:
        raise HTTPException(403, "analysis is disabled: the operator has set no TIDINGS_TOKEN")
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "send the operator's token as 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), operator_token.encode()):
        raise HTTPException(403, "the token is not the operator's")


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes, whatever Content-Length says."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"the body is over {limit} bytes")
    return bytes(body)


def _install_error_handlers(app: FastAPI) -> None:
    def answer(status: int, message: str, details: list[dict[str, Any]] | None = None,
               headers: dict[str, str] | None = None) -> JSONResponse:
        body = ApiError(status=status, error=ERROR_CODES.get(status, "internal" if status >= 500 else "error"),
                        message=message, details=details)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return answer(error.status_code, str(error.detail), headers=getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # Where and what only: the offending input is not echoed back.
        details = [{"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item.get("type", "")}
                   for item in error.errors()]
        return answer(422, "the request does not match the API", details)

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, error: ValueError) -> JSONResponse:
        return answer(400, str(error).splitlines()[0] if str(error) else "bad request")

    @app.exception_handler(StoreError)
    @app.exception_handler(duckdb.Error)
    async def store_failed(_request: Request, _error: Exception) -> JSONResponse:
        return answer(500, "the store could not answer this request")

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _error: Exception) -> JSONResponse:
        return answer(500, "internal error")
