"""CSV export: one ``<table>.csv`` per table, with a header row and every stored column.

List columns (countries, actor ids) are written as DuckDB renders them (``[RUS, PRK]``) and the ``record``
column holds the whole record as JSON, so nothing is lost in the flat file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tidings.export.selection import Selection, select_sql
from tidings.export.sqltext import quoted_path
from tidings.export.summary import ExportSummary, Written


def export_csv(connection: duckdb.DuckDBPyConnection, tables: list[str], out: Path,
               selection: Selection, summary: ExportSummary) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table in tables:
        query = select_sql(table, selection)
        target = out / f"{table}.csv"
        connection.execute(f"COPY ({query}) TO {quoted_path(target)} (FORMAT CSV, HEADER)")
        rows = connection.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]  # noqa: S608 - select_sql
        summary.written.append(Written(str(target), table, rows))
