"""Writing analyses into the store, exactly once.

Each article goes in with all its records and its log row in ONE transaction, after checking (inside that
transaction) that its id is not there yet: a crash, a SIGKILL or Ctrl-C leaves either the whole article or
nothing, and running the same command again stores what is missing and counts the rest as duplicates.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Literal

import duckdb

from tidings.records import Analysis
from tidings.store.connection import DEFAULT_PATH, connect
from tidings.store.errors import StoreError
from tidings.store.schema import ARTICLE_COLUMNS, RECORD_TABLES, article_row

Status = Literal["ingested", "duplicate", "rejected"]
# DuckDB binds parameters much faster as one multi-row VALUES than through executemany; keep each
# statement's parameter count moderate.
MAX_PARAMETERS = 20_000


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

    def _has_article(self, article_id: str) -> bool:
        return self.connection.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    # -- writes (each one transaction) --------------------------------------------------------------
    def write(self, analysis: Analysis) -> Status:
        """Store one analysed article with all its records; 'duplicate' when its text is already stored."""
        article = analysis.article
        if analysis.error or not article.id:
            self.log_reject(article.source or "?", analysis.error or "article has no id")
            return "rejected"
        now = utc_now()

        def transaction() -> Status:
            if self._has_article(article.id):
                self._log(article.source, article.id, "duplicate", None, now)
                return "duplicate"
            self._insert("articles", [name for name, _type in ARTICLE_COLUMNS],
                         [article_row(analysis, self.model, now)])
            for table in RECORD_TABLES:
                rows = table.rows(article.id, getattr(analysis, table.field))
                if rows:
                    self._insert(table.name, table.column_names, rows)
            self._log(article.source, article.id, "ingested", None, now)
            return "ingested"

        try:
            return self._in_transaction(transaction)
        except duckdb.ConstraintException:
            # Someone stored the same text between our check and our insert: it is there, once.
            self.log_duplicate(article.source, article.id)
            return "duplicate"

    def log_duplicate(self, source: str | None, article_id: str) -> None:
        """Record that ``source`` holds a text the store already has."""
        now = utc_now()
        self._in_transaction(lambda: self._log(source, article_id, "duplicate", None, now))

    def log_reject(self, source: str, reason: str, excerpt: str = "", size: int | None = None) -> None:
        """Record that ``source`` is not an article; the same source and reason seen again is counted, not
        repeated."""
        now = utc_now()

        def transaction() -> None:
            self.connection.execute(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (source, reason) DO UPDATE SET "
                "excerpt = excluded.excerpt, size = excluded.size, last_seen = excluded.last_seen, "
                "times = rejects.times + 1", [source, reason, excerpt, size, now, now])
            self._log(source, None, "rejected", reason, now)

        self._in_transaction(transaction)

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
        placeholder = "(" + ", ".join("?" * len(columns)) + ")"
        chunk = max(1, MAX_PARAMETERS // len(columns))
        for begin in range(0, len(rows), chunk):
            part = rows[begin:begin + chunk]
            # table and column names come from the store schema (ARTICLE_COLUMNS, RECORD_TABLES); values are bound.
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([placeholder] * len(part))  # noqa: S608
            self.connection.execute(sql, [value for row in part for value in row])


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
