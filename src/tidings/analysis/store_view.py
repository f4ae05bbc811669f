"""A read-only view of a store for analysis and the API: the store's tables plus the derived dyad table.

DuckDB will not create tables in a file opened read-only, and the store must stay read-only while it is
served (an ingest may want it next). So the view is an in-memory database that ATTACHes the store file
read-only as ``store``, and keeps the derived :data:`~tidings.analysis.dyad_table.DYAD_TABLE` in memory,
built once when the view opens (the store cannot change while it is attached: DuckDB lets no writer in).

Every thread asks for its own :meth:`StoreView.cursor` (DuckDB connections are not shared across threads);
cursors see the attached store and the in-memory tables alike. Store tables are named ``store.<table>``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tidings.analysis.dyad_table import DYAD_TABLE, build_dyad_table
from tidings.store.connection import connect
from tidings.store.errors import StoreError


class StoreView:
    """Open with :meth:`open` (a store file); close when done (or use as a context manager)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self.dyad_rows = build_dyad_table(connection, events="store.events", target=DYAD_TABLE)

    @classmethod
    def open(cls, path: str | Path) -> StoreView:
        file = Path(path)
        connect(file, read_only=True).close()  # the store's own checks: missing, foreign, locked, version
        connection = duckdb.connect(":memory:")
        try:
            connection.execute("ATTACH ? AS store (READ_ONLY)", [str(file)])
            return cls(connection, file)
        except duckdb.Error as error:
            connection.close()
            raise StoreError(f"cannot read the store {file}: {str(error).strip().splitlines()[0]}") from None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.connection.cursor()

    def has_table(self, name: str) -> bool:
        row = self.cursor().execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'store' AND table_name = ?",
            [name]).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> StoreView:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
