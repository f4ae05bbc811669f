"""Opening the store: a DuckDB file, created with its tables on first use.

DuckDB lets one process at a time write a file and says so with an IO error; a file that is not a DuckDB
database (or one written by a newer DuckDB) fails the same way. Both become a :class:`StoreError` whose
message tells the user what to do, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tidings.store.errors import StoreError
from tidings.store.schema import STORE_VERSION, all_ddl

DEFAULT_PATH = Path("tidings.duckdb")


def connect(path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An open connection to the store at ``path``, its tables created if missing."""
    file = Path(path)
    if read_only and not file.exists():
        raise StoreError(f"no store at {file}: run 'tidings ingest' first")
    if file.is_dir():
        raise StoreError(f"{file} is a folder, not a database file")
    try:
        connection = duckdb.connect(str(file), read_only=read_only)
    except duckdb.Error as error:
        raise StoreError(_explain(file, error)) from None
    try:
        _check_is_store(connection, file)
        if not read_only:
            _create_tables(connection)
        _check_version(connection, file)
    except duckdb.Error as error:
        connection.close()
        raise StoreError(f"cannot use the store {file}: {_first_line(error)}") from None
    except StoreError:
        connection.close()
        raise
    return connection


def _create_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.begin()
    for statement in all_ddl():
        connection.execute(statement)
    connection.execute("INSERT INTO store_meta VALUES ('store_version', ?) ON CONFLICT DO NOTHING", [STORE_VERSION])
    connection.commit()


def _check_is_store(connection: duckdb.DuckDBPyConnection, file: Path) -> None:
    """Refuse another program's DuckDB database rather than add tidings' tables to it."""
    tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if tables and "store_meta" not in tables:
        raise StoreError(f"{file} is a DuckDB database but not a tidings store; use another --db")


def _check_version(connection: duckdb.DuckDBPyConnection, file: Path) -> None:
    try:
        row = connection.execute("SELECT value FROM store_meta WHERE key = 'store_version'").fetchone()
    except duckdb.CatalogException:
        raise StoreError(f"{file} is an empty database, not a tidings store") from None
    if row is None or row[0] != STORE_VERSION:
        found = row[0] if row else "none"
        raise StoreError(f"{file} is a tidings store of version {found}; this tidings reads version {STORE_VERSION}")


def _explain(file: Path, error: duckdb.Error) -> str:
    message = _first_line(error)
    # The file name is part of DuckDB's message, so look only at the words around it.
    words = message.replace(str(file), "").lower()
    if "not a valid" in words or isinstance(error, duckdb.SerializationException):
        return f"{file} is not a tidings store (not a DuckDB database, or a damaged one); use another --db"
    if "could not set lock" in words or "conflicting lock" in words:
        return (f"the store {file} is in use by another process (DuckDB allows one writer at a time); "
                "wait for it to finish or use another --db")
    return f"cannot open the store {file}: {message}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
