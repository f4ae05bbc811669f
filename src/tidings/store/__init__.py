"""The corpus store: analyses in a DuckDB file, one table per record type, each article exactly once.

Modules, one job each: ``schema`` (the tables, declared once), ``connection`` (opening a file, clear
errors for a locked or foreign one), ``writer`` (one transaction per article), ``reader`` (counts, log,
rebuilt analyses) and ``load`` (items → analyses → store, with the hook a parallel runner plugs into).
"""

from tidings.store.connection import DEFAULT_PATH, connect
from tidings.store.errors import StoreError
from tidings.store.load import AnalyzeItems, IngestSummary, load, sequential
from tidings.store.reader import StoreReader
from tidings.store.writer import StoreWriter

__all__ = ["DEFAULT_PATH", "AnalyzeItems", "IngestSummary", "StoreError", "StoreReader", "StoreWriter",
           "connect", "load", "sequential"]
