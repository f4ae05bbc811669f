"""Reading the store back: counts, the log, the rejects, and whole analyses rebuilt from their rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from tidings.records import Analysis, Article, Removal
from tidings.store.connection import DEFAULT_PATH, connect
from tidings.store.errors import StoreError
from tidings.store.schema import RECORD_TABLES

TABLES = ("articles", *(table.name for table in RECORD_TABLES), "ingest_log", "rejects")


class StoreReader:
    """Read-only access to a store file (DuckDB lets readers in only while no process writes it)."""

    def __init__(self, path: str | Path = DEFAULT_PATH) -> None:
        self.path = Path(path)
        self.connection = connect(self.path, read_only=True)

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {table: self._scalar(f"SELECT count(*) FROM {table}") for table in TABLES}  # noqa: S608 - fixed TABLES

    def article_ids(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT id FROM articles ORDER BY id")]

    def log(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """The ingest log (of one run, or all), oldest first."""
        where, parameters = ("WHERE run_id = ?", [run_id]) if run_id else ("", [])
        columns = "run_id, source, article_id, status, reason, logged_at"
        sql = f"SELECT {columns} FROM ingest_log {where} ORDER BY id"  # noqa: S608 - fixed clause; run id bound
        return self._dicts(sql, parameters)

    def rejects(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT source, reason, excerpt, size, times FROM rejects ORDER BY source, reason")

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of one article, as the pipeline produced it; None when absent."""
        rows = self._dicts("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        row = rows[0]
        article = Article(
            id=row["id"], source=row["source"], url=row["url"], outlet=row["outlet"], title=row["title"],
            subtitle=row["subtitle"], published=row["published"], published_from=row["published_from"],
            language=row["language"], text=row["text"], body_start=row["body_start"],
            removed=[Removal.model_validate(item) for item in json.loads(row["removed"] or "[]")])
        # table.name comes from the fixed schema (RECORD_TABLES); the article id is bound.
        records = {table.field: [table.model.model_validate_json(record) for (record,) in self._rows(
            f"SELECT record FROM {table.name} WHERE article_id = ? ORDER BY seq", [article_id])]  # noqa: S608
            for table in RECORD_TABLES}
        return Analysis(schema_version=row["schema_version"], article=article,
                        warnings=json.loads(row["warnings"] or "[]"), **records)

    # -- plumbing -----------------------------------------------------------------------------------
    def _rows(self, sql: str, parameters: list | None = None) -> list[tuple]:
        try:
            return self.connection.execute(sql, parameters or []).fetchall()
        except duckdb.Error as error:
            raise StoreError(f"cannot read the store {self.path}: {str(error).splitlines()[0]}") from None

    def _scalar(self, sql: str) -> int:
        return int(self._rows(sql)[0][0])

    def _dicts(self, sql: str, parameters: list | None = None) -> list[dict[str, Any]]:
        try:
            cursor = self.connection.execute(sql, parameters or [])
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except duckdb.Error as error:
            raise StoreError(f"cannot read the store {self.path}: {str(error).splitlines()[0]}") from None
