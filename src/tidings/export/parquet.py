"""Parquet export: each table a Hive-partitioned folder (``<out>/<table>/year=2023/month=9/*.parquet``).

Analytics engines (DuckDB, Spark, Polars, Arrow) read the folder as one table and skip months a query
does not touch. Events are partitioned by their own month (see :mod:`tidings.export.selection`), other
tables by their article's publication month; rows with no date at all land in ``year=NULL``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tidings.export.selection import Selection, month_sql, select_sql
from tidings.export.sqltext import quoted_path
from tidings.export.summary import ExportSummary, Written


def export_parquet(connection: duckdb.DuckDBPyConnection, tables: list[str], out: Path,
                   selection: Selection, summary: ExportSummary) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table in tables:
        month = month_sql(table)
        query = select_sql(table, selection, extra=f"year({month}) AS year, month({month}) AS month")
        rows = connection.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]  # noqa: S608 - select_sql
        folder = out / table
        if rows:
            # OVERWRITE replaces this table's earlier export only: the folder is ours, named after the table.
            connection.execute(f"COPY ({query}) TO {quoted_path(folder)} "
                               "(FORMAT PARQUET, PARTITION_BY (year, month), OVERWRITE)")
        summary.written.append(Written(str(folder), table, rows))
