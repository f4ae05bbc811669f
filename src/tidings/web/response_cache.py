"""A bounded in-memory cache of GET /api answers, keyed by path and query string.

Sound because the served store cannot change: it is attached read-only and DuckDB lets no writer in while
it is (see :mod:`tidings.analysis.store_view`), and the derived dyad table is built once at start. So an
answer is a function of its URL for the server's whole life, and a dashboard asking the same things again
costs a dictionary lookup instead of a thread and a query. Bounded by entries and by bytes (data/api.json);
only complete 200 answers are kept, and it sits inside the CORS and security-header middleware, so the
headers that depend on the caller are added afresh to every answer.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from tidings.web.middleware import ASGIApp, Message, Receive, Scope, Send

# Headers that belong to one exchange, not to the content: never replayed from the cache.
_PER_EXCHANGE = {b"date", b"server", b"set-cookie"}


class ResponseCache:
    def __init__(self, app: ASGIApp, max_entries: int, max_bytes: int, prefix: str = "/api/") -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.entries: OrderedDict[tuple[str, bytes], tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self.bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefix) \
                or self.max_entries <= 0:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def recording_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # A copy: the outer middleware (CORS, security headers) add their per-caller headers to this
                # very message once it is passed on, and those must not be replayed to the next caller.
                start = {**message, "headers": list(message.get("headers", ()))}
            elif message["type"] == "http.response.body" and start is not None and start["status"] == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, recording_send)

    def _keep(self, key: tuple[str, bytes], start: Message, body: bytes) -> None:
        size = len(body) + len(key[0]) + len(key[1])
        if size > self.max_bytes // 8:  # no single answer may crowd out most of the others
            return
        headers = [(name, value) for name, value in start.get("headers", ()) if name.lower() not in _PER_EXCHANGE]
        if key in self.entries:
            return
        self.entries[key] = (headers, body)
        self.bytes += size
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            (path, query), (_, dropped) = self.entries.popitem(last=False)
            self.bytes -= len(dropped) + len(path) + len(query)

    def stats(self) -> dict[str, Any]:
        return {"entries": len(self.entries), "bytes": self.bytes}
