"""Plain ASGI middleware guarding the API as a whole, so a route added later is covered without asking.

* :class:`SecurityHeaders` — every answer carries the Content-Security-Policy and ``nosniff``: the dashboard
  renders article text, which may hold markup, and must never run or sniff it as anything else.
* :class:`InFlightLimiter` — at most N requests inside the app; one more is answered 503 with Retry-After at
  once (a cheap answer from the event loop), rather than joining an unbounded queue of threads.
* :class:`OperatorGuard` — any method that is not read-only (POST, PUT, PATCH, DELETE...) needs the
  operator's bearer token; without a configured token such requests are refused.
* :class:`BodyLimit` — bodies of those methods are cut off at max bytes, counted on the stream as it
  arrives (a chunked body declares no length, and a declared length may lie).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from tidings.web.errors import ApiProblem, error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Methods that only read: everything else is a write and goes through the operator's guard.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class SecurityHeaders:
    def __init__(self, app: ASGIApp, content_security_policy: str) -> None:
        self.app = app
        self.added = [(b"content-security-policy", content_security_policy.encode()),
                      (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", ())}
                message["headers"] = [*message.get("headers", ()),
                                      *(header for header in self.added if header[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class InFlightLimiter:
    """Counts requests inside the app (one event loop, so a plain counter is exact)."""

    def __init__(self, app: ASGIApp, max_in_flight: int, retry_after_s: int) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.retry_after_s = retry_after_s
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            refusal = error_response(503, f"the server is busy ({self.max_in_flight} requests in flight): retry "
                                     f"in {self.retry_after_s} s", code="overloaded",
                                     headers={"Retry-After": str(self.retry_after_s)})
            await refusal(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class OperatorGuard:
    def __init__(self, app: ASGIApp, operator_token: str | None) -> None:
        self.app = app
        self.operator_token = operator_token or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READ_METHODS:
            refusal = self.refusal(_header(scope, b"authorization"))
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def refusal(self, header: str | None) -> Any:
        if not self.operator_token:
            return error_response(403, "writes and analysis are disabled: the operator has set no TIDINGS_TOKEN")
        scheme, _, given = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return error_response(401, "send the operator's token as 'Authorization: Bearer <token>'",
                                  headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.strip().encode(), self.operator_token.encode()):
            return error_response(403, "the token is not the operator's")
        return None


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READ_METHODS:
            await self.app(scope, receive, send)
            return
        too_large = f"the body is over {self.max_body_bytes} bytes"
        declared = _header(scope, b"content-length") or ""
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await error_response(413, too_large)(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Raised inside the app's handler, so FastAPI answers it like any HTTP error (413).
                    raise ApiProblem(413, "payload_too_large", too_large)
            return message

        await self.app(scope, counted_receive, send)
