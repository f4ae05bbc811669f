"""Ingest over Dask (``tidings ingest --workers N``) stores exactly what a sequential run stores.

A real local cluster (2 worker processes) analyzes the project's ``examples/``; its store must hold the same
articles and the same event rows as a store filled in this process. A worker killed mid-run must not lose
its batch, and a batch whose task fails must become error records, not a crash. If Dask cannot start, the
tests fail with the reason: they never pass silently.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tidings.ingest import read_path
from tidings.pipeline import Analyzer
from tidings.records import Analysis
from tidings.sources import iter_sources
from tidings.store import StoreWriter, load, sequential

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TABLES = ("articles", "events", "actors", "mentions", "quotes")


def _start_runner(**options):
    try:
        from tidings.store.distributed import DaskRunner

        return DaskRunner.start(**options)
    except Exception as error:  # noqa: BLE001 - say why, then fail
        pytest.fail(f"a local Dask cluster could not start ({type(error).__name__}: {error}); "
                    "is dask[distributed] installed in the venv?")


def _counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def _event_rows(db: Path, article_ids: set[str] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute("SELECT * FROM events ORDER BY article_id, seq").fetchall()
    return [row for row in rows if article_ids is None or row[0] in article_ids]


def _assert_same_rows(got: list[tuple], expected: list[tuple]) -> None:
    """Equal event rows, or a failure that names the first row and columns that differ."""
    assert len(got) == len(expected), f"{len(got)} event rows, expected {len(expected)}"
    for number, (row, wanted) in enumerate(zip(got, expected, strict=True)):
        differs = [(column, value, wanted[column]) for column, value in enumerate(row) if value != wanted[column]]
        assert not differs, f"event row {number} differs (column, got, expected): {differs[:3]}"


def _article_ids(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM articles").fetchall()}


@pytest.fixture(scope="module")
def sequential_store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sequential") / "store.duckdb"
    analyzer = Analyzer()
    with StoreWriter(db, model=analyzer.model) as store:
        summary = load(iter_sources([str(EXAMPLES)]), store, sequential(analyzer))
    assert summary.ingested == len(list(EXAMPLES.glob("*.txt"))) >= 5
    return db


@pytest.fixture(scope="module")
def runner():
    runner = _start_runner(workers=2, batch_size=1)
    yield runner
    runner.close()


def test_two_workers_store_what_a_sequential_run_stores(runner, sequential_store: Path, tmp_path: Path) -> None:
    assert len(runner.client.nthreads()) == 2
    db = tmp_path / "dask.duckdb"
    with StoreWriter(db, model=runner.model) as store:
        summary = load(iter_sources([str(EXAMPLES)]), store, runner.analyze_items)
    assert summary.ingested == len(list(EXAMPLES.glob("*.txt")))
    assert summary.events > 0
    assert _counts(db) == _counts(sequential_store)
    _assert_same_rows(_event_rows(db), _event_rows(sequential_store))


def test_a_second_run_analyzes_nothing_new(runner, tmp_path: Path) -> None:
    db = tmp_path / "dask.duckdb"
    paths = sorted(EXAMPLES.glob("*.txt"))[:2]
    for expected in ("ingested", "duplicates"):
        with StoreWriter(db, model=runner.model) as store:
            summary = load(iter_sources([str(path) for path in paths]), store, runner.analyze_items)
        assert getattr(summary, expected) == 2


def test_a_killed_worker_loses_no_article(runner, sequential_store: Path) -> None:
    articles = [read_path(path) for path in sorted(EXAMPLES.glob("*.txt"))]
    results = runner.analyze_items(articles)
    analyses = [next(results)]  # the cluster is busy now, with batches in flight on both workers
    busy = [worker for worker, keys in runner.client.processing().items() if keys]
    assert busy, "no batch was running when the worker was to be killed"
    victim = busy[0]
    pid = runner.client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)  # its nanny starts a new worker; the scheduler reassigns its batches
    analyses.extend(results)
    assert sorted(a.article.id for a in analyses) == sorted(a.id for a in articles)
    assert [a.error for a in analyses] == [None] * len(articles)
    with duckdb.connect(str(sequential_store), read_only=True) as connection:
        expected = dict(connection.execute("SELECT article_id, count(*) FROM events GROUP BY article_id").fetchall())
    assert {a.article.id: len(a.events) for a in analyses if a.events} == expected


def test_a_failed_batch_becomes_error_records(runner) -> None:
    from tidings.store.distributed import _results

    article = read_path(sorted(EXAMPLES.glob("*.txt"))[0])
    future = runner.client.submit(int, "not a number", pure=False)
    analyses = list(_results(future, {future: [article]}))
    assert len(analyses) == 1 and isinstance(analyses[0], Analysis)
    assert analyses[0].article.id == article.id
    assert "ValueError" in (analyses[0].error or "")


def test_cli_ingest_with_two_workers(sequential_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    paths = [str(path) for path in sorted(EXAMPLES.glob("*.txt"))[:3]]
    command = [sys.executable, "-m", "tidings.cli", "ingest", *paths, "--db", str(db), "--workers", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert _counts(db)["articles"] == 3
    ids = _article_ids(db)
    _assert_same_rows(_event_rows(db), _event_rows(sequential_store, ids))
    models = []
    for store in (db, sequential_store):
        with duckdb.connect(str(store), read_only=True) as connection:
            models.append(connection.execute("SELECT DISTINCT model FROM articles").fetchall())
    assert models[0] == models[1] != []


def test_cli_refuses_both_workers_and_scheduler(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tidings.cli import app

    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "x.duckdb"),
                                      "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert not (tmp_path / "x.duckdb").exists()


def test_cli_ingest_on_an_existing_scheduler(runner, sequential_store: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tidings.cli import app

    db = tmp_path / "scheduler.duckdb"
    paths = [str(path) for path in sorted(EXAMPLES.glob("*.txt"))[-2:]]
    address = runner.cluster.scheduler_address
    result = CliRunner().invoke(app, ["ingest", *paths, "--db", str(db), "--scheduler", address])
    assert result.exit_code == 0, result.output
    assert _counts(db)["articles"] == 2
    _assert_same_rows(_event_rows(db), _event_rows(sequential_store, _article_ids(db)))
    assert runner.client.status == "running"  # the CLI closed its own client, not the cluster
    assert len(runner.client.nthreads()) == 2


def test_reading_on_the_workers_gives_the_outcomes_in_order(runner, tmp_path: Path) -> None:
    from tidings.sources.items import RawItem, Reject
    from tidings.store.load import read_items_here

    (tmp_path / "empty.txt").write_bytes(b"")
    paths = sorted(EXAMPLES.glob("*.txt"))
    items = [RawItem(source=str(path), path=path) for path in paths]
    items[1:1] = [RawItem(source="empty", path=tmp_path / "empty.txt"), Reject("feed.xml#2", "not a page")]
    items.append(RawItem(source="gone", path=tmp_path / "missing.txt"))
    here = [pair for chunk in read_items_here(items, None) for pair in chunk]
    there = [pair for chunk in runner.read_items(items, None) for pair in chunk]
    assert [item for item, _ in there] == items
    assert there == here
    assert isinstance(there[1][1], str) and there[2][1] is None and isinstance(there[-1][1], str)
