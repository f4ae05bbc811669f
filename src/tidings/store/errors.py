"""The one error the store raises: a database that cannot be opened or written, said in one line."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store file is locked by another process, is not a DuckDB database, or cannot be written."""
