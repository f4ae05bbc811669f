"""JSON Lines export: one ``<table>.jsonl`` per table, each line a whole record as the pipeline made it.

A line parses as the table's model in :mod:`tidings.records` (an ``Event``, a ``Quote`` ...), exactly as
``tidings analyze`` would have printed it; articles become ``Article`` records. Records are in article
order (by article id, then position), and an article's records follow one another.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tidings.export.selection import Selection, select_sql
from tidings.export.summary import ExportSummary, Written
from tidings.records import Article

BATCH = 1000


def export_jsonl(connection: duckdb.DuckDBPyConnection, tables: list[str], out: Path,
                 selection: Selection, summary: ExportSummary) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table in tables:
        target = out / f"{table}.jsonl"
        cursor = connection.execute(select_sql(table, selection))
        names = [column[0] for column in cursor.description]
        line_of = _article_line if table == "articles" else _record_line
        rows = 0
        with target.open("w", encoding="utf-8") as handle:
            while batch := cursor.fetchmany(BATCH):
                for row in batch:
                    handle.write(line_of(dict(zip(names, row))) + "\n")
                rows += len(batch)
        summary.written.append(Written(str(target), table, rows))


def _record_line(row: dict) -> str:
    return row["record"]


def _article_line(row: dict) -> str:
    fields = {name: row[name] for name in Article.model_fields if name in row}
    fields["removed"] = json.loads(row.get("removed") or "[]")
    return Article.model_validate(fields).model_dump_json()
