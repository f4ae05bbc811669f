"""Load on a real ``tidings serve`` (a script, not a test): read throughput, analysis, and saturation.

Starts ``tidings serve`` on 127.0.0.1 (a subprocess, a free port, a random TIDINGS_TOKEN) over a store —
by default the project's examples ingested into a temporary store with ``tidings ingest``, or ``--db`` —
and drives it with a bounded asyncio httpx client, in phases:

* ``reads``: ``--concurrency`` clients cycling over /api/events, /api/events?dyad=RUS,PRK,
  /api/dyads/RUS/PRK/series, /api/articles and /api/shifts for ``--duration`` seconds.
* ``analyze``: POST /api/analyze with the token (an example article), ``--analyze-concurrency`` clients;
  the first call, which loads the pipeline, is timed apart. Checks on the side: no token is a 401, a
  chunked body over the limit (no Content-Length) a 413.
* ``saturation``: the read mix again, every URL made distinct so no answer comes from the server's cache,
  with ``--saturation-concurrency`` clients (default four times the server's in-flight cap): the server
  must shed load as 503/429, with no connection error, no other 5xx.

Each phase reports requests/s, p50/p99 latency (ms, every answer counted) and status counts; at the end,
whether the server stayed up (its process alive, /api/articles still 200). The read mix is five fixed
URLs, so with the server's answer cache on (the default) it measures cache hits after the first round;
``--no-cache`` measures every read going to the store. Client and server share this machine's cores, so
figures are noisy and the client's own cost is inside them.

    .venv/bin/python benchmarks/load.py [--json] [--db PATH] [--duration S] [--concurrency N]
        [--max-in-flight N] [--saturation-concurrency N] [--analyze-concurrency N] [--no-cache]

Exit status 1 when the server died or saturation produced anything but 2xx/429/503.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import httpx

from tidings.web.limits import api_limits

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
READS = ["/api/events", "/api/events?dyad=RUS,PRK", "/api/dyads/RUS/PRK/series", "/api/articles", "/api/shifts"]
TARGET_READS_PER_S = 200  # the targets for the read phase
TARGET_READS_P99_MS = 250
STARTUP_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 60


@dataclass
class Phase:
    """What one phase saw: latencies (s) and answers, per URL and overall."""

    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    by_url: dict[str, list[float]] = field(default_factory=dict)
    by_status: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0

    def record(self, url: str, status: str, latency: float) -> None:
        self.latencies.append(latency)
        self.statuses[status] += 1
        self.by_url.setdefault(url, []).append(latency)
        self.by_status.setdefault(status, []).append(latency)

    def summary(self) -> dict[str, Any]:
        return {"concurrency": self.concurrency, "seconds": round(self.seconds, 2), "requests": len(self.latencies),
                "requests_per_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0.0,
                **_percentiles(self.latencies), "statuses": dict(sorted(self.statuses.items())),
                "by_url": {url: {"requests": len(values), **_percentiles(values)}
                           for url, values in self.by_url.items()},
                "by_status": {status: _percentiles(values) for status, values in sorted(self.by_status.items())}}


def _percentiles(latencies: list[float]) -> dict[str, float | None]:
    if not latencies:
        return {"p50_ms": None, "p99_ms": None}
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p99_ms": round(p99 * 1000, 2)}


# -- the server ----------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ingest_examples(folder: Path) -> Path:
    path = folder / "examples.duckdb"
    sources = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    done = subprocess.run([sys.executable, "-m", "tidings.cli", "ingest", *sources, "--db", str(path)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"ingesting the examples failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return path


@contextmanager
def _server(db: Path, token: str, max_in_flight: int | None, no_cache: bool,
            log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    command = [sys.executable, "-m", "tidings.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
               "--port", str(port)]
    if max_in_flight:
        command += ["--max-in-flight", str(max_in_flight)]
    if no_cache:
        command.append("--no-cache")
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TIDINGS_TOKEN": token})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while True:
                try:
                    if httpx.get(base + "/api/articles", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("tidings serve did not start:\n" + log.read_text(errors="replace")[-2000:])
                time.sleep(0.3)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# -- the client ----------------------------------------------------------------------------------------------

async def _drive(base: str, phase: Phase, duration: float, requests: list[tuple[str, str, dict[str, Any]]],
                 bust_cache: bool = False) -> Phase:
    """``phase.concurrency`` clients cycling over ``requests`` (method, path, httpx options) until the end;
    ``bust_cache`` makes every URL distinct (an unknown query parameter), so no answer comes from a cache."""
    # One client, one connection each: a single httpx pool shared by hundreds of tasks costs more CPU than
    # the requests themselves. Clients are built before the clock starts (each builds an SSL context).
    clients = [httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, limits=httpx.Limits(max_connections=1))
               for _ in range(phase.concurrency)]
    started = time.perf_counter()
    deadline = started + duration

    async def client(offset: int, http: httpx.AsyncClient) -> None:
        turn = offset
        while time.perf_counter() < deadline:
            method, path, options = requests[turn % len(requests)]
            url = f"{path}{'&' if '?' in path else '?'}bust={offset}-{turn}" if bust_cache else path
            turn += 1
            sent = time.perf_counter()
            try:
                answer = await http.request(method, url, **options)
                status = str(answer.status_code)
            except httpx.TransportError as error:
                status = f"connection error: {type(error).__name__}"
            phase.record(path, status, time.perf_counter() - sent)

    try:
        await asyncio.gather(*(client(offset, http) for offset, http in enumerate(clients)))
        phase.seconds = time.perf_counter() - started
    finally:
        for http in clients:
            await http.aclose()
    return phase


async def _side_checks(base: str, token: str, max_body_bytes: int) -> dict[str, Any]:
    """The write guards on the real server: no token, and a chunked body over the limit."""
    async def oversized() -> Any:
        yield b'{"text": "'
        for _ in range(max_body_bytes // 65_536 + 2):
            yield b"x" * 65_536

    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as http:
        no_token = await http.post("/api/analyze", json={"text": "Talks."})
        chunked: int | str
        try:
            chunked = (await http.post("/api/analyze", content=oversized(),
                                       headers={"Authorization": f"Bearer {token}"})).status_code
        except httpx.TransportError as error:  # the server may close while the body is still going out
            chunked = f"connection closed early: {type(error).__name__}"
    return {"no_token_status": no_token.status_code, "chunked_oversize_status": chunked}


async def _analysis(base: str, token: str, text: str, duration: float, concurrency: int) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"}
    body = {"text": text, "published": "2024-06-20"}
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as http:
        sent = time.perf_counter()
        first = await http.post("/api/analyze", json=body, headers=auth)
        first_s = time.perf_counter() - sent
    phase = await _drive(base, Phase("analyze", concurrency), duration,
                         [("POST", "/api/analyze", {"json": body, "headers": auth})])
    return {"first_call_status": first.status_code, "first_call_s": round(first_s, 2), **phase.summary()}


def _server_alive(base: str, process: subprocess.Popen) -> bool:
    try:
        return process.poll() is None and httpx.get(base + "/api/articles", timeout=10).status_code == 200
    except httpx.TransportError:
        return False


def _store_size(db: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as connection:
        return {table: (connection.execute(f'SELECT count(*) FROM "{table}"').fetchone() or (0,))[0]
                for table in ("articles", "events", "quotes")}


def run(args: argparse.Namespace) -> dict[str, Any]:
    limits = api_limits().with_overrides(max_in_flight=args.max_in_flight)
    saturation = args.saturation_concurrency or 4 * limits.max_in_flight
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="tidings-load-") as scratch:
        folder = Path(scratch)
        db = Path(args.db) if args.db else _ingest_examples(folder)
        report: dict[str, Any] = {"store": {"path": str(db) if args.db else "examples (temporary)", **_store_size(db)},
                                  "max_in_flight": limits.max_in_flight,
                                  "max_concurrent_analyses": limits.max_concurrent_analyses,
                                  "response_cache": not args.no_cache,
                                  "cpu_cores": os.cpu_count()}
        reads: list[tuple[str, str, dict[str, Any]]] = [("GET", path, {}) for path in READS]
        with _server(db, token, args.max_in_flight, args.no_cache, folder / "serve.log") as (base, process):
            report["reads"] = asyncio.run(_drive(base, Phase("reads", args.concurrency), args.duration, reads)).summary()
            report["analyze"] = asyncio.run(_analysis(base, token, _example_text(), args.duration,
                                                      args.analyze_concurrency))
            report["write_guards"] = asyncio.run(_side_checks(base, token, limits.max_body_bytes))
            report["saturation"] = asyncio.run(_drive(base, Phase("saturation", saturation), args.duration,
                                                      reads, bust_cache=True)).summary()
            report["server_stayed_up"] = _server_alive(base, process)
    report["verdict"] = _verdict(report)
    return report


def _example_text() -> str:
    return sorted(EXAMPLES.glob("*.txt"))[-2].read_text(encoding="utf-8")


def _verdict(report: dict[str, Any]) -> dict[str, bool]:
    reads, saturation = report["reads"], report["saturation"]
    shed = {status: n for status, n in saturation["statuses"].items() if status in {"429", "503"}}
    bad = {status: n for status, n in saturation["statuses"].items()
           if not status.startswith("2") and status not in {"429", "503"}}
    return {"reads_per_s_ok": reads["requests_per_s"] >= TARGET_READS_PER_S,
            "reads_p99_ok": reads["p99_ms"] is not None and reads["p99_ms"] <= TARGET_READS_P99_MS,
            "reads_all_200": set(reads["statuses"]) == {"200"},
            "saturation_sheds_load": bool(shed),
            "saturation_no_errors": not bad,
            "server_stayed_up": report["server_stayed_up"]}


def _print(report: dict[str, Any]) -> None:
    store = report["store"]
    print(f"store: {store['path']} — {store['articles']} articles, {store['events']} events; "
          f"{report['cpu_cores']} cores shared by client and server (noisy figures); "
          f"response cache {'on' if report['response_cache'] else 'off'}")
    for name in ("reads", "analyze", "saturation"):
        phase = report[name]
        print(f"{name:>10}: {phase['requests_per_s']:8.1f} req/s  p50 {phase['p50_ms']} ms  p99 {phase['p99_ms']} ms  "
              f"(concurrency {phase['concurrency']}, {phase['requests']} requests)  {phase['statuses']}")
        if name == "saturation":
            for status, figures in phase["by_status"].items():
                print(f"{'':>12}status {status:<25} p50 {figures['p50_ms']} ms  p99 {figures['p99_ms']} ms")
        if name == "reads":
            for url, figures in phase["by_url"].items():
                print(f"{'':>12}{url:<32} p50 {figures['p50_ms']} ms  p99 {figures['p99_ms']} ms")
    print(f"first analysis (pipeline load): {report['analyze']['first_call_s']} s, "
          f"status {report['analyze']['first_call_status']}")
    print(f"write guards: {report['write_guards']}")
    print(f"server stayed up: {report['server_stayed_up']}")
    print("verdict: " + ", ".join(f"{key}={value}" for key, value in report["verdict"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--db", help="a store to serve (default: the examples, ingested into a temporary store)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--concurrency", type=int, default=16, help="clients in the read phase")
    parser.add_argument("--max-in-flight", type=int, default=None,
                        help="the server's cap (tidings serve --max-in-flight; default: data/api.json)")
    parser.add_argument("--saturation-concurrency", type=int, default=None,
                        help="clients in the saturation phase (default: 4 x the server's cap)")
    parser.add_argument("--no-cache", action="store_true",
                        help="serve with --no-cache: every read goes to the store (the cache's cost and gain)")
    parser.add_argument("--analyze-concurrency", type=int, default=2, help="clients in the analysis phase")
    args = parser.parse_args()
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    verdict = report["verdict"]
    sys.exit(0 if verdict["server_stayed_up"] and verdict["saturation_no_errors"] else 1)


if __name__ == "__main__":
    main()
