"""The API's safety (issue 8): a read-only store, writes behind the operator's token and a streamed body
limit, analysis bounded in time and concurrency, every filter and path parameter immune to SQL injection,
text served verbatim under a Content-Security-Policy, CORS closed unless configured, and a server that
refuses (503 + Retry-After) rather than queues without bound.

One store for the module: the project's examples plus one article whose text holds markup, ingested with
``tidings ingest``. Analysis uses a gated stand-in for the pipeline (no spaCy here): the tests decide how
long an "analysis" takes.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
import warnings
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import ingest_examples

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.routing import APIRoute  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from tidings.records import Analysis, Article  # noqa: E402
from tidings.web.api import LIMITS, create_app  # noqa: E402
from tidings.web.middleware import InFlightLimiter  # noqa: E402

TOKEN = "safety-token-5678"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MARKUP_TITLE = 'Russia says <script>alert("xss")</script> is not a weapon'
MARKUP_ARTICLE = f"""{MARKUP_TITLE}

Moscow, February 2 (Test) - Russian Foreign Minister Sergei Lavrov met North Korean Foreign Minister \
Choe Son Hui in Moscow on Friday and praised <img src=x onerror=alert(2)> the growing ties between the two countries.

"We will <b>deepen</b> our cooperation," Lavrov said.
"""
ATTACKS = [
    "' OR 1=1 --",
    '"; DROP TABLE events; --',
    "'; DROP TABLE store.articles; --",
    "RUS') OR ('1'='1",
    "x' UNION SELECT text, text, text, text FROM store.articles --",
    "\u2019 OR \u20191\u2019=\u20191",  # curly quotes
    "\uff07 OR 1=1 --",  # fullwidth apostrophe
    "\u02bc; DROP TABLE events; --",  # modifier-letter apostrophe
    "RUS\x00' OR 1=1 --",  # NUL byte
    "%", "_", "\\",
    ("' OR 1=1 -- " * 50)[:499],  # long, yet within the 500-character bound
    "' OR 1=1 -- " * 1000,  # far over every bound
]
BENIGN = "benign-nothing-matches"
# Every read endpoint and every parameter it takes: test_the_attack_table_covers_every_read_parameter keeps
# this table honest, so a new filter cannot dodge the injection test.
READ_PARAMETERS: dict[str, set[str]] = {
    "/api/articles": {"q", "date_from", "date_to", "limit", "offset"},
    "/api/articles/{article_id}": {"article_id"},
    "/api/events": {"actor", "country", "dyad", "code", "root", "quad_class", "date_from", "date_to", "modality",
                    "status", "q", "article_id", "limit", "offset"},
    "/api/dyads/{a}/{b}/series": {"a", "b", "bucket", "directed", "modality", "date_from", "date_to", "fill"},
    "/api/shifts": {"limit", "a", "b", "bucket"},
    "/api/actors": {"country", "kind", "q", "limit", "offset"},
    "/api/quotes": {"speaker", "country", "kind", "anonymous", "q", "article_id", "limit", "offset"},
    "/api/claims": {"status", "anonymous", "single_anonymous", "country", "q", "article_id", "limit", "offset"},
    "/api/stories": {"limit", "offset"},
}
# Parameters that only mean something with a partner.
COMPANIONS: dict[tuple[str, str], dict[str, str]] = {("/api/shifts", "a"): {"b": "PRK"},
                                                     ("/api/shifts", "b"): {"a": "RUS"}}


# -- fixtures ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_examples(tmp_path_factory.mktemp("safety"), {"2024-02-02-markup-in-text.txt": MARKUP_ARTICLE})


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    with TestClient(create_app(store, token=TOKEN)) as test_client:
        yield test_client


class GatedAnalyzer:
    """Stands in for the pipeline: each analysis waits until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.calls = 0

    def analyze(self, text: str, *, published: Any = None, source: str | None = None) -> Analysis:
        self.calls += 1
        self.started.set()
        self.gate.wait(timeout=30)
        return Analysis(article=Article(id="stand-in", text=text, source=source))


def _run(scenario: Callable[[httpx.AsyncClient], Any], app: Any) -> Any:
    async def main() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await scenario(http)

    return asyncio.run(main())


def _store_state(client: TestClient, store: Path) -> tuple[str, dict[str, int]]:
    """The store file's bytes (hashed) and every table's row count, read through the app's own view."""
    cursor = client.app.state.view.cursor()
    try:
        tables = [row[0] for row in cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'store' ORDER BY 1").fetchall()]
        counts = {table: cursor.execute(f'SELECT count(*) FROM store."{table}"').fetchone()[0] for table in tables}
    finally:
        cursor.close()
    return hashlib.sha256(store.read_bytes()).hexdigest(), counts


def _rows(answer: httpx.Response) -> int:
    body = answer.json()
    if isinstance(body, list):
        return len(body)
    if "total" in body:
        return max(body["total"], len(body["items"]))
    if "points" in body:
        return sum(point["events"] for point in body["points"])
    return 1


# -- read-only ---------------------------------------------------------------------------------------------

def test_the_store_is_attached_read_only(client: TestClient) -> None:
    import duckdb

    cursor = client.app.state.view.cursor()
    try:
        for write in ("CREATE TABLE store.pwned (i INTEGER)", "DELETE FROM store.articles",
                      "DROP TABLE store.events"):
            with pytest.raises(duckdb.Error):
                cursor.execute(write)
    finally:
        cursor.close()


def test_the_only_route_that_is_not_a_read_is_analyze(client: TestClient) -> None:
    writes = {(route.path, method) for route in client.app.routes if isinstance(route, APIRoute)
              for method in route.methods if method not in {"GET", "HEAD"}}
    assert writes == {("/api/analyze", "POST")}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_write_method_needs_the_operators_token(client: TestClient, store: Path, method: str) -> None:
    paths = ["/api/analyze", "/api/articles", "/api/events", "/api/shifts", "/", "/index.html", "/api/nowhere"]
    for path in paths:
        assert client.request(method, path).status_code == 401, path
        wrong = client.request(method, path, headers={"Authorization": "Bearer not-it"})
        assert wrong.status_code == 403 and wrong.json()["error"] == "forbidden", path
    for path in paths[1:3]:  # with the token, a read endpoint still does not take writes
        assert client.request(method, path, headers=AUTH).status_code == 405, path
    with TestClient(create_app(store, token="", dashboard=None)) as no_operator:
        assert no_operator.request(method, "/api/analyze", headers=AUTH).status_code == 403


# -- body size and analysis time -----------------------------------------------------------------------------

def test_the_body_limit_holds_on_a_streamed_body_without_a_length(store: Path) -> None:
    stand_in = GatedAnalyzer()
    app = create_app(store, token=TOKEN, dashboard=None, analyzer_factory=lambda: stand_in)
    chunk, chunks = 100_000, 3 * LIMITS.max_body_bytes // 100_000
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(chunks):
            sent += 1
            yield b'{"text": "' if sent == 1 else b"x" * chunk

    async def scenario(http: httpx.AsyncClient) -> httpx.Response:
        request = http.build_request("POST", "/api/analyze", content=body(), headers=AUTH)
        assert "content-length" not in request.headers  # chunked: only the stream can tell the size
        return await http.send(request)

    answer = _run(scenario, app)
    assert answer.status_code == 413 and answer.json()["error"] == "payload_too_large"
    assert sent <= LIMITS.max_body_bytes // chunk + 2 < chunks  # refused while the body was still arriving
    assert stand_in.calls == 0


def test_a_slow_analysis_is_a_503_and_the_server_stays_free(store: Path) -> None:
    stand_in = GatedAnalyzer()
    limits = LIMITS.with_overrides(analysis_timeout_s=0.3, max_concurrent_analyses=1)
    app = create_app(store, token=TOKEN, dashboard=None, limits=limits, analyzer_factory=lambda: stand_in)
    request = {"json": {"text": "Russia and North Korea signed a treaty."}, "headers": AUTH}

    async def scenario(http: httpx.AsyncClient) -> None:
        started = time.monotonic()
        late = await http.post("/api/analyze", **request)
        assert late.status_code == 503 and late.json()["error"] == "analysis_timeout", late.text
        assert late.headers["Retry-After"] == str(limits.retry_after_s)
        assert time.monotonic() - started < 5
        # The abandoned analysis still holds the only slot: another one is refused at once, reads go on.
        assert (await http.get("/api/articles")).status_code == 200
        busy = await http.post("/api/analyze", **request)
        assert busy.status_code == 429 and busy.json()["error"] == "analysis_busy" and "Retry-After" in busy.headers
        stand_in.gate.set()
        deadline = time.monotonic() + 10
        while (answer := await http.post("/api/analyze", **request)).status_code == 429:
            assert time.monotonic() < deadline, "the slot was never given back"
            await asyncio.sleep(0.05)
        assert answer.status_code == 200 and answer.json()["article"]["text"] == request["json"]["text"]

    _run(scenario, app)


# -- SQL injection -----------------------------------------------------------------------------------------

def test_the_attack_table_covers_every_read_parameter(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    reads = {path: {parameter["name"] for parameter in operation.get("parameters", [])}
             for path, operations in schema["paths"].items() for method, operation in operations.items()
             if method == "get"}
    assert reads == READ_PARAMETERS


def _cases(value: str) -> list[tuple[str, dict[str, str]]]:
    """(URL, query) for ``value`` in every parameter of every read endpoint, path parameters included."""
    cases = []
    for path, names in READ_PARAMETERS.items():
        for name in sorted(names):
            if "{" + name + "}" in path:
                url = path.replace("{a}", "RUS").replace("{b}", "PRK").replace("{" + name + "}", quote(value, safe=""))
                cases.append((url.replace("{article_id}", ""), {}))
                continue
            plain = path.replace("{a}", "RUS").replace("{b}", "PRK")
            values = [value, f"{value},PRK", f"RUS,{value}"] if name == "dyad" else [value]
            cases += [(plain, {name: item, **COMPANIONS.get((path, name), {})}) for item in values]
    return cases


@pytest.mark.parametrize("attack", ATTACKS, ids=range(len(ATTACKS)))
def test_sql_injection_through_every_parameter_finds_nothing_and_breaks_nothing(client: TestClient, store: Path,
                                                                                 attack: str) -> None:
    before = _store_state(client, store)
    for (url, params), (benign_url, benign_params) in zip(_cases(attack), _cases(BENIGN)):
        answer = client.get(url, params=params)
        where = (url, params)
        assert answer.status_code in {200, 400, 404, 422}, (where, answer.status_code, answer.text[:300])
        assert "error" in answer.json() if answer.status_code != 200 else True, where
        if answer.status_code == 200:
            benign = client.get(benign_url, params=benign_params)
            assert benign.status_code == 200, (benign_url, benign_params)
            assert _rows(answer) <= _rows(benign), where  # no row a harmless value would not give
    assert _store_state(client, store) == before  # same bytes, same tables, same row counts
    assert client.get("/api/articles").json()["total"] == 9


# -- rendering: text verbatim, headers that keep it inert ----------------------------------------------------

def test_markup_in_article_text_is_served_verbatim_as_json(client: TestClient) -> None:
    found = client.get("/api/articles", params={"q": "<script>"})
    assert found.headers["content-type"].startswith("application/json")
    assert [item["title"] for item in found.json()["items"]] == [MARKUP_TITLE]
    assert b'<script>alert(\\"xss\\")</script>' in found.content  # not entity-escaped, not stripped
    article = client.get(f"/api/articles/{found.json()['items'][0]['id']}").json()
    assert "praised <img src=x onerror=alert(2)> the growing" in article["article"]["text"]
    quotes = client.get("/api/quotes", params={"q": "<b>deepen</b>"}).json()["items"]
    assert quotes and all("<b>deepen</b>" in item["quote"]["content"]["text"] for item in quotes)


def test_every_answer_carries_the_csp_and_nosniff(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert policy == LIMITS.content_security_policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for answer in (page, client.get("/app.js"), client.get("/api/events"), client.get("/api/nowhere"),
                   client.post("/api/analyze")):
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url
        assert answer.headers["content-security-policy"] == policy, answer.request.url


# -- CORS ----------------------------------------------------------------------------------------------------

def _preflight(client: TestClient, origin: str) -> httpx.Response:
    return client.options("/api/analyze", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "authorization"})


def test_cors_is_closed_by_default(client: TestClient) -> None:
    answer = client.get("/api/events", headers={"Origin": "http://evil.example"})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in _preflight(client, "http://evil.example").headers


def test_cors_opens_to_exactly_the_configured_origins(store: Path) -> None:
    allowed = "http://dashboard.example:8080"
    with TestClient(create_app(store, token=TOKEN, cors_origins=[allowed])) as open_client:
        answer = open_client.get("/api/events", headers={"Origin": allowed})
        assert answer.headers["access-control-allow-origin"] == allowed
        preflight = _preflight(open_client, allowed)
        assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == allowed
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        for other in ("http://evil.example", "http://dashboard.example:8081", "null"):
            assert "access-control-allow-origin" not in open_client.get(
                "/api/events", headers={"Origin": other}).headers, other
            assert "access-control-allow-origin" not in _preflight(open_client, other).headers, other


def test_serve_takes_repeated_cors_origins_and_the_in_flight_cap(store: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from tidings.cli import app as cli

    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **options: served.update(app=application, **options))
    result = CliRunner().invoke(cli, ["serve", "--db", str(store), "--cors-origin", "http://a.example",
                                      "--cors-origin", "http://b.example", "--max-in-flight", "3"])
    assert result.exit_code == 0, result.output
    assert served["app"].state.limits.max_in_flight == 3
    with TestClient(served["app"]) as served_client:
        for origin, allowed in (("http://a.example", True), ("http://b.example", True), ("http://c.example", False)):
            headers = served_client.get("/api/stories", headers={"Origin": origin}).headers
            assert (headers.get("access-control-allow-origin") == origin) is allowed, origin


# -- saturation ----------------------------------------------------------------------------------------------

def test_the_in_flight_limiter_refuses_beyond_its_cap_and_recovers() -> None:
    gate = asyncio.Event()

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        await gate.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limiter = InFlightLimiter(slow_app, max_in_flight=2, retry_after_s=7)

    async def scenario(http: httpx.AsyncClient) -> None:
        held = [asyncio.create_task(http.get("/")) for _ in range(2)]
        while limiter.in_flight < 2:
            await asyncio.sleep(0.01)
        refused = await asyncio.gather(*(http.get("/") for _ in range(5)))
        assert [answer.status_code for answer in refused] == [503] * 5
        assert all(answer.headers["Retry-After"] == "7" and answer.json()["error"] == "overloaded"
                   for answer in refused)
        gate.set()
        assert [answer.status_code for answer in await asyncio.gather(*held)] == [200, 200]
        assert limiter.in_flight == 0 and (await http.get("/")).status_code == 200

    _run(scenario, limiter)


def test_the_app_answers_503_when_its_tiny_cap_is_full(store: Path) -> None:
    stand_in = GatedAnalyzer()
    limits = LIMITS.with_overrides(max_in_flight=1)
    app = create_app(store, token=TOKEN, limits=limits, analyzer_factory=lambda: stand_in)

    async def scenario(http: httpx.AsyncClient) -> None:
        analysis = asyncio.create_task(http.post("/api/analyze", json={"text": "Talks."}, headers=AUTH))
        while not stand_in.started.is_set():
            await asyncio.sleep(0.01)
        for path in ("/api/articles", "/api/shifts", "/"):
            refused = await http.get(path)
            assert refused.status_code == 503 and refused.json()["error"] == "overloaded", path
            assert refused.headers["Retry-After"] == str(limits.retry_after_s)
            assert refused.headers["x-content-type-options"] == "nosniff"
        stand_in.gate.set()
        assert (await analysis).status_code == 200
        assert (await http.get("/api/articles")).status_code == 200

    _run(scenario, app)


# -- the answer cache ----------------------------------------------------------------------------------------

def _cache_of(app: Any) -> Any:
    from tidings.web.response_cache import ResponseCache

    layer = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


def test_cached_answers_are_bounded_and_keep_per_caller_headers(store: Path) -> None:
    allowed = "http://dashboard.example"
    limits = LIMITS.with_overrides(response_cache_entries=2)
    with TestClient(create_app(store, cors_origins=[allowed], limits=limits)) as cached:
        first = cached.get("/api/events", params={"limit": 3}, headers={"Origin": allowed})
        again = cached.get("/api/events", params={"limit": 3}, headers={"Origin": "http://evil.example"})
        assert again.content == first.content and _cache_of(cached.app).stats()["entries"] == 1
        assert first.headers["access-control-allow-origin"] == allowed
        assert "access-control-allow-origin" not in again.headers  # the cached answer is not the first caller's
        assert again.headers["content-security-policy"] and again.headers["content-type"] == first.headers["content-type"]
        for refused in ({"limit": 0}, {"dyad": "RUS"}):  # errors are not kept
            assert cached.get("/api/events", params=refused).status_code in {400, 422}
        assert _cache_of(cached.app).stats()["entries"] == 1
        for offset in range(5):
            cached.get("/api/events", params={"offset": offset})
        assert _cache_of(cached.app).stats()["entries"] == 2
