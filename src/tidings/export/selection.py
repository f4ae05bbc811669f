"""Which rows an export takes: the table(s), the date window and the modalities, as SQL over the store.

Events are dated by their own day when the record names one (the store's ``date`` column: a day, or the
Monday of an ISO week), else by the article's publication date; every other table by its article's
publication date. Parquet partitions by month: the event's month when its date names at least a month
('2023-09'), else the month of that day. A window (``since``/``until``, inclusive) leaves out rows with no
date at all; without a window they are kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tidings.export.errors import ExportError
from tidings.store.schema import RECORD_TABLES

TABLES: tuple[str, ...] = ("articles", *(table.name for table in RECORD_TABLES))

# SQL over events ``t`` joined to articles ``a``.
EVENT_DAY = "coalesce(t.date, a.published_date)"
EVENT_MONTH = (f"coalesce(try_strptime(regexp_extract(t.date_value, '^\\d{{4}}-\\d{{2}}'), '%Y-%m')::DATE, "
               f"date_trunc('month', {EVENT_DAY}))")


@dataclass(frozen=True)
class Selection:
    since: datetime.date | None = None
    until: datetime.date | None = None
    asserted_only: bool = False  # events only: leave out negated, future, hypothetical ... events


def day_sql(table: str) -> str:
    """The date a row of ``table`` is filtered by."""
    if table == "events":
        return EVENT_DAY
    return "a.published_date"


def month_sql(table: str) -> str:
    """The first day of the month a row of ``table`` is partitioned into."""
    if table == "events":
        return EVENT_MONTH
    return "date_trunc('month', a.published_date)"


def where_sql(table: str, selection: Selection) -> str:
    """The WHERE clause (possibly empty) for ``table``; dates are ``datetime.date`` values, so inlining is safe."""
    conditions: list[str] = []
    day = day_sql(table)
    if selection.since:
        conditions.append(f"{day} >= DATE '{selection.since.isoformat()}'")
    if selection.until:
        conditions.append(f"{day} <= DATE '{selection.until.isoformat()}'")
    if selection.asserted_only and table == "events":
        conditions.append("t.modality = 'asserted'")
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def select_sql(table: str, selection: Selection, *, extra: str = "") -> str:
    """SELECT every stored column of ``table`` (plus ``extra`` select items), in a stable order."""
    if table == "articles":
        source, order = "articles t JOIN articles a ON a.id = t.id", "t.id"
    else:
        source, order = f"{table} t JOIN articles a ON a.id = t.article_id", "t.article_id, t.seq"
    columns = f"t.*, {extra}" if extra else "t.*"
    # table is checked against TABLES (check_table) and extra is SQL from our code; the window is date objects.
    return f"SELECT {columns} FROM {source}{where_sql(table, selection)} ORDER BY {order}"  # noqa: S608


def check_table(table: str) -> str:
    if table not in TABLES:
        raise ExportError(f"unknown table '{table}': choose one of {', '.join(TABLES)}")
    return table
