"""``tidings ingest``: summary and exit codes, idempotence, URLs, and exactly-once storage across SIGKILLs.

The corpus is generated here from a few sentences of our own, varied by country pair, so that every text
differs; a few files repeat an earlier text (one with different spacing) to exercise duplicates.
"""

from __future__ import annotations

import http.server
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from tidings.cli import app

COUNTRIES = [("France", "Paris", "French"), ("Japan", "Tokyo", "Japanese"), ("Brazil", "Brasilia", "Brazilian"),
             ("Kenya", "Nairobi", "Kenyan"), ("India", "New Delhi", "Indian"), ("Canada", "Ottawa", "Canadian"),
             ("Egypt", "Cairo", "Egyptian"), ("Germany", "Berlin", "German"), ("Mexico", "Mexico City", "Mexican")]
TOPICS = ["rail links", "grain exports", "solar power", "water sharing", "port security"]


def article_text(number: int) -> str:
    """One short, distinct news story: two countries, a topic and a few dated acts between them."""
    (a, a_capital, a_adj), (b, b_capital, b_adj) = COUNTRIES[number % 9], COUNTRIES[(number // 9 + number + 1) % 9]
    if a == b:
        b, b_capital, b_adj = COUNTRIES[(number + 4) % 9]
    topic = TOPICS[number % len(TOPICS)]
    return (f"{a} and {b} agree to cooperate on {topic}\n\n"
            f"The foreign ministers of {a} and {b} met in {a_capital} on Tuesday and signed an agreement on "
            f"{topic}, officials said. Story number {number}.\n\n"
            f"\"We will work together for the next ten years,\" the {a_adj} minister told reporters. "
            f"The {b_adj} delegation invited its hosts to visit {b_capital} in May.\n\n"
            f"{a} criticized a neighbouring government last year over a trade dispute.\n")


def write_corpus(folder: Path, articles: int = 36, copies: int = 4) -> int:
    """``articles`` distinct stories plus ``copies`` repeats; returns the number of distinct texts."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        (folder / f"story-{number:02d}.txt").write_text(article_text(number), encoding="utf-8")
    for copy in range(copies):
        text = article_text(copy * 7)
        if copy % 2:
            text = text.replace(". ", ".  ")  # spacing differs, the normalized text does not
        (folder / f"zz-copy-{copy}.txt").write_text(text, encoding="utf-8")
    return articles


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "events", "actors", "mentions", "quotes", "ingest_log", "rejects")}


def events_per_article(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return dict(connection.execute(
            "SELECT a.id, count(e.event_id) FROM articles a LEFT JOIN events e ON e.article_id = a.id "
            "GROUP BY a.id").fetchall())


runner = CliRunner()


def ingest(*args: str):
    return runner.invoke(app, ["ingest", *args])


# -- in-process runs (the model is loaded once for all of them) -----------------------------------------
def test_ingest_twice_gives_the_same_store_and_all_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, articles=4, copies=1)
    (corpus / "readme.md").write_text("not an article", encoding="utf-8")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    (corpus / "blank.txt").write_text("\n\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    first = ingest(str(corpus), "--db", str(db), "--published", "2024-05-01")
    assert first.exit_code == 1, first.output  # some items were rejected
    assert "ingested" in first.output and "unsupported file type (.md)" in first.output
    before = counts(db)
    assert before["articles"] == 4 and before["events"] > 0 and before["rejects"] == 3
    second = ingest(str(corpus), "--db", str(db), "--published", "2024-05-01")
    after = counts(db)
    assert {key: after[key] for key in ("articles", "events", "actors", "mentions", "quotes", "rejects")} == \
        {key: before[key] for key in ("articles", "events", "actors", "mentions", "quotes", "rejects")}
    with duckdb.connect(str(db), read_only=True) as connection:
        statuses = dict(connection.execute(
            "SELECT status, count(*) FROM ingest_log WHERE run_id = (SELECT run_id FROM ingest_log "
            "ORDER BY id DESC LIMIT 1) GROUP BY status").fetchall())
        published = connection.execute("SELECT DISTINCT published FROM articles").fetchall()
    assert statuses == {"duplicate": 5, "rejected": 3}, second.output
    assert published == [("2024-05-01",)]


def test_limit_and_bad_options(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, articles=3, copies=0)
    db = tmp_path / "c.duckdb"
    result = ingest(str(corpus), "--db", str(db), "--limit", "2")
    assert result.exit_code == 0, result.output
    assert counts(db)["articles"] == 2
    bad = ingest(str(corpus), "--db", str(db), "--published", "yesterday-ish")
    assert bad.exit_code == 2 and "unreadable publication date" in bad.output


def test_locked_and_corrupt_stores_fail_cleanly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, articles=1, copies=0)
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"nope " * 1000)
    result = ingest(str(corpus), "--db", str(garbage))
    assert result.exit_code == 2 and "not a tidings store" in result.output
    assert "Traceback" not in result.output
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys\nc = duckdb.connect(sys.argv[1])\n"
                               "print('ready', flush=True)\nsys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = ingest(str(corpus), "--db", str(db))
    finally:
        holder.communicate("")
    assert result.exit_code == 2 and "in use by another process" in result.output
    assert "Traceback" not in result.output


class _Page(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_args: object) -> None:
        pass


def test_url_is_refused_by_default_and_fetched_with_allow_private(tmp_path: Path) -> None:
    _Page.body = article_text(3).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/story"
    db = tmp_path / "u.duckdb"
    try:
        refused = ingest(url, "--db", str(db))
        assert refused.exit_code == 1 and "loopback" in refused.output
        assert counts(db)["articles"] == 0
        allowed = ingest(url, "--db", str(db), "--allow-private")
        assert allowed.exit_code == 0, allowed.output
    finally:
        server.shutdown()
        server.server_close()
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute("SELECT source, url FROM articles").fetchall() == [(url, url)]


# -- SIGKILL: exactly once ------------------------------------------------------------------------------
def run_ingest(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tidings.cli", "ingest", str(corpus), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "COLUMNS": "120"})


def timed_run(corpus: Path, db: Path) -> float:
    started = time.monotonic()
    process = run_ingest(corpus, db)
    assert process.wait(timeout=120) == 0
    return time.monotonic() - started


KILLS = 10


def wait_for_commits(process: subprocess.Popen, db: Path, commits: int, timeout: float = 120) -> None:
    """Return once the store's write-ahead log has changed ``commits`` times (each article commits once),
    or the process ended. Watching the file's size needs no connection, which the writer's lock forbids."""
    wal = db.with_name(db.name + ".wal")
    last = wal.stat().st_size if wal.exists() else -1
    seen = 0
    deadline = time.monotonic() + timeout
    while process.poll() is None and seen < commits and time.monotonic() < deadline:
        size = wal.stat().st_size if wal.exists() else -1
        if size != last:
            seen, last = seen + 1, size
        time.sleep(0.01)


def test_sigkill_then_resume_stores_every_article_exactly_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    distinct = write_corpus(corpus)
    reference = tmp_path / "reference.duckdb"
    total_time = timed_run(corpus, reference)  # an uninterrupted run: what every resumed store must equal
    expected = events_per_article(reference)
    assert len(expected) == distinct
    per_article = max(total_time / distinct, 0.05)  # an upper bound (start-up included), for the jitter

    seed = random.randrange(1 << 30)
    chooser = random.Random(seed)
    db = tmp_path / "killed.duckdb"
    partial_seen: list[int] = []
    for _ in range(KILLS):
        # Each run resumes the last one; it is killed a random moment after one to three more commits,
        # so every kill lands in the middle of the work, inside the next article's analysis or write.
        process = run_ingest(corpus, db)
        wait_for_commits(process, db, chooser.randint(1, 3))
        time.sleep(chooser.uniform(0, per_article))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        partial_seen.append(counts(db)["articles"] if db.exists() else 0)
    final = run_ingest(corpus, db)
    assert final.wait(timeout=120) == 0, f"seed {seed}"

    mid_run = [stored for stored in partial_seen if 0 < stored < distinct]
    assert len(mid_run) >= KILLS // 2, f"too few kills landed mid-run: {partial_seen}, seed {seed}"
    assert events_per_article(db) == expected, f"seed {seed}, stored after kills: {partial_seen}"
    assert counts(db)["events"] == counts(reference)["events"]
    with duckdb.connect(str(db), read_only=True) as connection:
        twice = connection.execute("SELECT article_id FROM ingest_log WHERE status = 'ingested' "
                                   "GROUP BY article_id HAVING count(*) > 1").fetchall()
        logged = connection.execute("SELECT count(DISTINCT article_id) FROM ingest_log "
                                    "WHERE status = 'ingested'").fetchone()[0]
    assert twice == [] and logged == distinct
