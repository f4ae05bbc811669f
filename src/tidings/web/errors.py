"""One error shape for every failure: an :class:`~tidings.web.models.ApiError` JSON body with its status.

Handlers raise :class:`ApiProblem` when the generic code of a status is not precise enough (a 503 that is
an analysis timeout, a 429 that is a full analysis pool); middleware answers with :func:`error_response`
directly, since it runs outside FastAPI's exception handlers. No answer carries a traceback or SQL.
"""

from __future__ import annotations

from typing import Any

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tidings.store.errors import StoreError
from tidings.web.models import ApiError

ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               413: "payload_too_large", 422: "validation_error", 429: "too_many_requests", 503: "unavailable"}


class ApiProblem(StarletteHTTPException):
    """An HTTP error with its own machine-readable code (``analysis_timeout``, ``analysis_busy``...)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers=headers)
        self.code = code


def error_response(status: int, message: str, *, code: str | None = None,
                   details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ApiError(status=status, error=code or ERROR_CODES.get(status, "internal" if status >= 500 else "error"),
                    message=message, details=details)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail), code=getattr(error, "code", None),
                              headers=getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # Where and what only: the offending input is not echoed back.
        details = [{"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item.get("type", "")}
                   for item in error.errors()]
        return error_response(422, "the request does not match the API", details=details)

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, error: ValueError) -> JSONResponse:
        return error_response(400, str(error).splitlines()[0] if str(error) else "bad request")

    @app.exception_handler(StoreError)
    @app.exception_handler(duckdb.Error)
    async def store_failed(_request: Request, _error: Exception) -> JSONResponse:
        return error_response(500, "the store could not answer this request")

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _error: Exception) -> JSONResponse:
        return error_response(500, "internal error")
