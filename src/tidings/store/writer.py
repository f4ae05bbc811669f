"""Writing analyses into the store, exactly once.

Each article goes in with all its records and its log row in ONE transaction, after checking (inside that
transaction) that its id is not there yet: a crash, a SIGKILL or Ctrl-C leaves either the whole article or
nothing, and running the same command again stores what is missing and counts the rest as duplicates.
:meth:`StoreWriter.write_many` puts a few articles in one transaction (all of them or none, so the same
holds): a commit and a statement per table cost the single writer process more than the rows themselves.

Rows go in as a scan of numpy object columns rather than as bound parameters: DuckDB converts a column
in bulk, where binding costs a Python-to-DuckDB conversion per value and planning a large VALUES list.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np

from tidings.records import Analysis
from tidings.store.connection import DEFAULT_PATH, connect
from tidings.store.errors import StoreError
from tidings.store.schema import ARTICLE_COLUMNS, RECORD_TABLES, StoreRows, store_rows

Status = Literal["ingested", "duplicate", "rejected"]
# DuckDB infers the type of a numpy object column from a sample of its values (1,000 by default), and a value
# outside the sample that does not fit that type would be cast to it (2.5 read as 2). Look at every value.
ANALYZE_EVERY_VALUE = "SET pandas_analyze_sample = 1000000000"
# The writer's statements are small (a key lookup, a group's rows): DuckDB's extra threads would only wake
# up to share them, on cores the analysis (Dask workers, or this process's own) needs.
ONE_THREAD = "SET threads = 1"


def utc_now() -> datetime.datetime:
    """Now, in UTC, as the naive timestamp the TIMESTAMP columns hold."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class StoreWriter:
    """Writes to one store file; use as a context manager (or call :meth:`close`).

    >>> with StoreWriter("corpus.duckdb", model="en_core_web_sm") as store:   # doctest: +SKIP
    ...     store.write(analysis)
    'ingested'
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, *, model: str = "", run_id: str | None = None) -> None:
        self.path = Path(path)
        self.model = model
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.connection = connect(self.path)
        self.connection.execute(ANALYZE_EVERY_VALUE)
        self.connection.execute(ONE_THREAD)

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.connection.close()
        except duckdb.Error:
            pass

    # -- questions ----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        try:
            return self._has_article(article_id)
        except duckdb.Error as error:
            raise StoreError(f"cannot read the store {self.path}: {_first_line(error)}") from None

    def stored_ids(self, article_ids: list[str]) -> set[str]:
        """Which of ``article_ids`` the store holds already, in one query."""
        try:
            return self._stored_ids(article_ids)
        except duckdb.Error as error:
            raise StoreError(f"cannot read the store {self.path}: {_first_line(error)}") from None

    def _has_article(self, article_id: str) -> bool:
        return self.connection.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    # -- writes (each one transaction) --------------------------------------------------------------
    def write(self, analysis: Analysis | StoreRows) -> Status:
        """Store one analysed article with all its records; 'duplicate' when its text is already stored."""
        return self.write_many([analysis])[0]

    def write_many(self, analyses: Sequence[Analysis | StoreRows]) -> list[Status]:
        """Store several analyses in ONE transaction (each with all its records, or none of them), in order;
        an analysis with an error is logged as a reject. One status per analysis. An analysis may come as
        its :class:`~tidings.store.schema.StoreRows` already (built where it was analysed)."""
        if not analyses:
            return []
        prepared = [item if isinstance(item, StoreRows) else store_rows(item) for item in analyses]
        now = utc_now()
        try:
            return self._in_transaction(lambda: self._write_group(prepared, now))
        except duckdb.ConstraintException:
            # Someone stored one of these texts between our check and our insert. Alone, it is there, once;
            # in a group, write them one by one to find which.
            if len(prepared) > 1:
                return [self.write(rows) for rows in prepared]
            self.log_duplicate(prepared[0].source, prepared[0].article_id or "")
            return ["duplicate"]

    def _write_group(self, prepared: list[StoreRows], now: datetime.datetime) -> list[Status]:
        stored = self._stored_ids([rows.article_id for rows in prepared if rows.article_id and rows.storable])
        statuses: list[Status] = []
        log: list[tuple[str | None, str | None, Status, str | None]] = []
        kept: list[StoreRows] = []
        for rows in prepared:
            if not rows.storable:
                source, reason = rows.source or "?", rows.error or "article has no id"
                self._upsert_reject(source, reason, "", None, now)
                log.append((source, None, "rejected", reason))
            elif rows.article_id in stored:
                log.append((rows.source, rows.article_id, "duplicate", None))
            else:
                stored.add(rows.article_id or "")  # the same text twice in one group: the second is a duplicate
                kept.append(rows)
                log.append((rows.source, rows.article_id, "ingested", None))
            statuses.append(log[-1][2])
        if kept:
            self._insert("articles", [name for name, _type in ARTICLE_COLUMNS],
                         [(*rows.article, self.model, now) for rows in kept])
            for number, table in enumerate(RECORD_TABLES):
                table_rows = [row for rows in kept for row in rows.tables[number]]
                if table_rows:
                    self._insert(table.name, table.column_names, table_rows)
        self._insert("ingest_log", LOG_COLUMNS, [(self.run_id, *entry, now) for entry in log])
        return statuses

    def _stored_ids(self, article_ids: list[str]) -> set[str]:
        """Which of these ids the store holds already (one query for a group)."""
        if not article_ids:
            return set()
        placeholders = ", ".join("?" * len(article_ids))
        sql = f"SELECT id FROM articles WHERE id IN ({placeholders})"  # noqa: S608 - only placeholders
        return {row[0] for row in self.connection.execute(sql, article_ids).fetchall()}

    def log_duplicate(self, source: str | None, article_id: str) -> None:
        """Record that ``source`` holds a text the store already has."""
        now = utc_now()
        self._in_transaction(lambda: self._log(source, article_id, "duplicate", None, now))

    def log_reject(self, source: str, reason: str, excerpt: str = "", size: int | None = None) -> None:
        """Record that ``source`` is not an article; the same source and reason seen again is counted, not
        repeated."""
        now = utc_now()

        def transaction() -> None:
            self._upsert_reject(source, reason, excerpt, size, now)
            self._log(source, None, "rejected", reason, now)

        self._in_transaction(transaction)

    def _upsert_reject(self, source: str, reason: str, excerpt: str, size: int | None,
                       now: datetime.datetime) -> None:
        self.connection.execute(
            "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (source, reason) DO UPDATE SET "
            "excerpt = excluded.excerpt, size = excluded.size, last_seen = excluded.last_seen, "
            "times = rejects.times + 1", [source, reason, excerpt, size, now, now])

    # -- plumbing -----------------------------------------------------------------------------------
    def _in_transaction(self, work):
        try:
            self.connection.begin()
        except duckdb.Error as error:
            raise StoreError(f"cannot write to the store {self.path}: {_first_line(error)}") from None
        try:
            result = work()
            self.connection.commit()
            return result
        except duckdb.ConstraintException:
            self._rollback()
            raise
        except duckdb.Error as error:
            self._rollback()
            raise StoreError(f"cannot write to the store {self.path}: {_first_line(error)}") from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            self.connection.rollback()
        except duckdb.Error:
            pass

    def _log(self, source: str | None, article_id: str | None, status: Status, reason: str | None,
             at: datetime.datetime) -> None:
        self.connection.execute(
            "INSERT INTO ingest_log (run_id, source, article_id, status, reason, logged_at) VALUES (?, ?, ?, ?, ?, ?)",
            [self.run_id, source, article_id, status, reason, at])

    def _insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        names = ", ".join(f'"{name}"' for name in columns)
        # DuckDB finds ``tidings_rows`` by name among this function's locals (a replacement scan): the same
        # scan of numpy columns as register() + unregister(), without their fixed cost (about 0.6 of the
        # 1.7 ms a small insert takes; a group of 8 articles makes 9 inserts).
        tidings_rows = {f"c{number}": _object_column([row[number] for row in rows])  # noqa: F841 - read by SQL
                        for number in range(len(columns))}
        # table and column names come from the store schema (ARTICLE_COLUMNS, RECORD_TABLES, LOG_COLUMNS);
        # the values come from the columns above, never from the SQL text.
        self.connection.execute(f"INSERT INTO {table} ({names}) SELECT * FROM tidings_rows")  # noqa: S608

LOG_COLUMNS = ["run_id", "source", "article_id", "status", "reason", "logged_at"]


def _object_column(values: list) -> np.ndarray:
    """A numpy object array holding ``values`` as they are (``np.array`` would turn a list of lists, like a
    VARCHAR[] column's, into a 2-d array)."""
    column = np.empty(len(values), dtype=object)
    for index, value in enumerate(values):
        column[index] = value
    return column


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
