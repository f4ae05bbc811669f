"""``tidings export``: every format read back by a consumer of that format, and clear errors.

The store is filled once from the project's own ``examples/*.txt`` articles through ``tidings ingest``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.datafiles import read_tsv
from tidings.export import gdelt_columns
from tidings.records import Article, Event
from tidings.store import StoreWriter

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [*args])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("export") / "store.duckdb"
    articles = sorted(str(path) for path in (REPO / "examples").glob("*.txt"))
    assert articles, "examples/*.txt are missing"
    result = run("ingest", *articles, "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


def scalar(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).fetchall()[0][0]


def export(store: Path, *args: str):
    result = run("export", "--db", str(store), *args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def test_parquet_is_partitioned_by_event_month(store: Path, tmp_path: Path) -> None:
    export(store, "--format", "parquet", "--out", str(tmp_path))
    assert list((tmp_path / "events").glob("year=*/month=*/*.parquet"))
    pattern = str(tmp_path / "events" / "**" / "*.parquet")
    with duckdb.connect() as connection:
        rows = connection.execute(f"SELECT year, month, date, cameo FROM read_parquet('{pattern}', "
                                  "hive_partitioning = true)").fetchall()
    assert len(rows) == scalar(store, "SELECT count(*) FROM events")
    dated = [(year, month, date) for year, month, date, _ in rows if date is not None]
    assert dated and all((int(year), int(month)) == (date.year, date.month) for year, month, date in dated)
    assert any(code.startswith("0") for *_, code in rows)  # codes keep their leading zeros


def test_csv_writes_every_table_with_all_rows(store: Path, tmp_path: Path) -> None:
    export(store, "--format", "csv", "--out", str(tmp_path))
    for table in ("articles", "actors", "mentions", "quotes", "events", "claims", "timexes", "places"):
        assert (tmp_path / f"{table}.csv").exists(), table
    with duckdb.connect() as connection:
        rows = connection.execute(f"SELECT count(*) FROM read_csv('{tmp_path / 'events.csv'}', header = true)").fetchall()
    assert rows[0][0] == scalar(store, "SELECT count(*) FROM events") > 0


def test_jsonl_lines_are_whole_records(store: Path, tmp_path: Path) -> None:
    export(store, "--format", "jsonl", "--out", str(tmp_path), "--table", "events")
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = [Event.model_validate_json(line) for line in lines]
    assert len(events) == scalar(store, "SELECT count(*) FROM events")
    assert not (tmp_path / "articles.jsonl").exists()  # --table chose one table
    export(store, "--format", "jsonl", "--out", str(tmp_path), "--table", "articles")
    articles = [Article.model_validate_json(line) for line in (tmp_path / "articles.jsonl").read_text().splitlines()]
    assert len(articles) == len(list((REPO / "examples").glob("*.txt")))


def test_gdelt_column_list_is_gdelt_2() -> None:
    names = [name for name, _ in gdelt_columns()]
    assert len(names) == 61 and len(set(names)) == 61
    assert names[:5] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert names[25:35] == ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                            "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    assert names[51] == "ActionGeo_Type" and names[-2:] == ["DATEADDED", "SOURCEURL"]


def test_gdelt_loads_with_61_typed_columns(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    export(store, "--format", "gdelt", "--out", str(out))
    raw = out.read_text(encoding="utf-8").splitlines()
    assert raw and all(len(line.split("\t")) == 61 for line in raw)
    assert not raw[0].startswith("GLOBALEVENTID")  # no header row, as GDELT
    columns = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in gdelt_columns())
    with duckdb.connect() as connection:
        relation = connection.execute(
            f"SELECT * FROM read_csv('{out}', delim = '\t', header = false, quote = '', escape = '', "
            f"auto_detect = false, columns = {{{columns}}})")
        names = [column[0] for column in relation.description]
        rows = [dict(zip(names, row)) for row in relation.fetchall()]
    assert len(rows) == len(raw)
    # Only asserted events by default: GDELT has no modality column.
    assert len(rows) == scalar(store, "SELECT count(*) FROM events WHERE modality = 'asserted'")
    assert len({row["GLOBALEVENTID"] for row in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"(19|20)\d{6}", str(row["SQLDATE"]))
        assert row["MonthYear"] == row["SQLDATE"] // 100 and row["Year"] == row["SQLDATE"] // 10000
        assert re.fullmatch(r"\d{3,4}", row["EventCode"]) and row["EventCode"].startswith(row["EventBaseCode"])
        assert re.fullmatch(r"\d{2}", row["EventRootCode"]) and row["QuadClass"] in (1, 2, 3, 4)
        assert row["ActionGeo_Lat"] is None or isinstance(row["ActionGeo_Lat"], float)
        assert row["ActionGeo_Long"] is None or isinstance(row["ActionGeo_Long"], float)
    assert any(row["EventCode"] == "010" for row in rows)  # the leading zero survived
    assert any(row["Actor1Code"] in ("RUSGOV", "PRKGOV", "USAGOV") for row in rows)
    geo = [row for row in rows if row["ActionGeo_Type"]]
    assert geo and all(row["ActionGeo_CountryCode"] and len(row["ActionGeo_CountryCode"]) == 2 for row in geo)
    fips = {row["iso3"]: row["fips"] for row in read_tsv("iso3_fips.tsv")}
    assert (fips["RUS"], fips["PRK"], fips["DEU"]) == ("RS", "KN", "GM")


def test_gdelt_ids_are_stable_and_window_filters(store: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    export(store, "--format", "gdelt", "--out", str(first), "--all-modalities")
    export(store, "--format", "gdelt", "--out", str(second), "--all-modalities")
    assert first.read_text() == second.read_text()
    assert len(first.read_text().splitlines()) == scalar(store, "SELECT count(*) FROM events")
    recent = tmp_path / "recent.tsv"
    export(store, "--format", "gdelt", "--out", str(recent), "--since", "2024-01-01", "--until", "2024-06-30")
    days = [int(line.split("\t")[1]) for line in recent.read_text().splitlines()]
    assert days and all(20240101 <= day <= 20240630 for day in days)


def test_plover_records_have_the_plover_layout(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.plover.jsonl"
    export(store, "--format", "plover", "--out", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records
    for record in records:
        assert {"id", "date", "event", "mode", "context", "source", "target", "eventText", "text", "country",
                "location", "tidings"} <= record.keys()
        assert record["event"] and record["tidings"]["modality"] == "asserted"
        for actor in record["source"] + record["target"]:
            assert {"actorText", "code", "sector"} <= actor.keys()
        start, end = record["tidings"]["offsets"]["evidence"]
        assert end - start == len(record["text"])
        assert {"rule", "status", "attributed_to"} <= record["tidings"].keys()


def test_empty_and_missing_stores_fail_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    with StoreWriter(empty):
        pass
    result = run("export", "--db", str(empty), "--format", "csv", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "holds no articles" in result.output and "Traceback" not in result.output
    missing = run("export", "--db", str(tmp_path / "missing.duckdb"), "--format", "gdelt")
    assert missing.exit_code == 2 and "no store" in missing.output and "Traceback" not in missing.output


def test_bad_options_fail_clearly(store: Path, tmp_path: Path) -> None:
    for args, message in ((["--format", "csv", "--table", "nope"], "unknown table"),
                          (["--format", "gdelt", "--table", "actors"], "events only"),
                          (["--format", "csv", "--since", "2024-02-30"], "not a date"),
                          (["--format", "csv", "--since", "2024-02-01", "--until", "2024-01-01"], "after")):
        result = run("export", "--db", str(store), "--out", str(tmp_path / "x"), *args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output
