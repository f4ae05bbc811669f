"""Exporting the store: Parquet, CSV, JSON Lines, GDELT 2.0 Events TSV and PLOVER JSON.

One entry point, :func:`export`, opens the store read-only, checks the request and hands it to the
module of its format (one module per format; :mod:`~tidings.export.selection` says which rows go out).
Folder formats (parquet, csv, jsonl) write one file or folder per table under ``out``; event-data formats
(gdelt, plover) write events only, to one file or to standard output (``out`` of ``-`` or None).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Literal

import duckdb

from tidings.export.csv_tables import export_csv
from tidings.export.errors import ExportError
from tidings.export.gdelt import export_gdelt, gdelt_columns
from tidings.export.jsonl import export_jsonl
from tidings.export.parquet import export_parquet
from tidings.export.plover import export_plover
from tidings.export.selection import TABLES, Selection, check_table
from tidings.export.summary import ExportSummary, Written
from tidings.store.connection import connect
from tidings.store.errors import StoreError

ExportFormat = Literal["parquet", "csv", "jsonl", "gdelt", "plover"]
FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl", "gdelt", "plover")
FOLDER_FORMATS = {"parquet": export_parquet, "csv": export_csv, "jsonl": export_jsonl}
EVENT_FORMATS = {"gdelt": export_gdelt, "plover": export_plover}
DEFAULT_FOLDER = Path("tidings-export")


@dataclass(frozen=True)
class ExportRequest:
    db: Path
    format: ExportFormat
    out: Path | None = None  # a folder for parquet/csv/jsonl, a file for gdelt/plover; None: the default
    table: str | None = None  # one table; None: events for parquet/gdelt/plover, every table for csv/jsonl
    selection: Selection = Selection()


def export(request: ExportRequest) -> ExportSummary:
    """Write the export the request asks for. Raises ExportError or StoreError with a one-line message."""
    if request.format not in FORMATS:
        raise ExportError(f"unknown format '{request.format}': choose one of {', '.join(FORMATS)}")
    selection = request.selection
    if selection.since and selection.until and selection.since > selection.until:
        raise ExportError(f"--since {selection.since} is after --until {selection.until}")
    tables = _tables(request)
    connection = connect(request.db, read_only=True)
    try:
        _check_not_empty(connection, request.db)
        summary = ExportSummary(request.format)
        try:
            if request.format in FOLDER_FORMATS:
                FOLDER_FORMATS[request.format](connection, tables, request.out or DEFAULT_FOLDER, selection,
                                               summary)
            else:
                with _output(request.out) as (handle, target):
                    EVENT_FORMATS[request.format](connection, handle, target, selection, summary)
        except OSError as error:
            raise ExportError(f"cannot write {error.filename or request.out}: {error.strerror or error}") from None
        except duckdb.IOException as error:
            raise ExportError(f"cannot write the export: {str(error).splitlines()[0]}") from None
        return summary
    finally:
        connection.close()


def _tables(request: ExportRequest) -> list[str]:
    if request.table is not None:
        table = check_table(request.table)
        if request.format in EVENT_FORMATS and table != "events":
            raise ExportError(f"the {request.format} format holds events only; drop --table or use --table events")
        return [table]
    if request.format in ("csv", "jsonl"):
        return list(TABLES)
    return ["events"]


def _check_not_empty(connection: duckdb.DuckDBPyConnection, db: Path) -> None:
    try:
        articles = connection.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    except duckdb.Error as error:
        raise StoreError(f"cannot read the store {db}: {str(error).splitlines()[0]}") from None
    if not articles:
        raise ExportError(f"the store {db} holds no articles: run 'tidings ingest SOURCE… --db {db}' first")


@contextmanager
def _output(out: Path | None) -> Iterator[tuple[IO[str], str]]:
    if out is None or str(out) == "-":
        yield sys.stdout, "-"
        return
    if out.is_dir():
        raise ExportError(f"{out} is a folder; the output of this format is one file")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        yield handle, str(out)


__all__ = ["DEFAULT_FOLDER", "FORMATS", "TABLES", "ExportError", "ExportFormat", "ExportRequest", "ExportSummary",
           "Selection", "Written", "export", "gdelt_columns"]
