"""The DuckDB store: round trip, flattened columns, idempotence, one transaction per article, clear errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import pytest

from tidings.ingest import read_article
from tidings.records import Analysis, Article
from tidings.sources import RawItem, Reject
from tidings.store import StoreError, StoreReader, StoreWriter, load, sequential
from tidings.store import writer as writer_module

STORY = ("Two ministers sign a fishing accord\n\n"
         "Norway and Iceland signed an agreement on fishing quotas in Oslo on Tuesday, the Norwegian foreign "
         "ministry said. \"This accord protects both fleets,\" the Icelandic minister told reporters. "
         "Officials in Reykjavik said talks on a second deal would begin next month.\n")
OTHER = ("Port strike ends after pay deal\n\n"
         "Dock workers in Rotterdam ended a three-day strike on Friday after the port authority agreed to raise "
         "their pay. The union said members would return to work on Saturday morning.\n")


@pytest.fixture(scope="module")
def analyzer():
    from tidings.pipeline import Analyzer

    return Analyzer()


@pytest.fixture(scope="module")
def story(analyzer) -> Analysis:
    return analyzer.analyze(STORY, published="2024-03-05", source="story.txt", url="https://news.invalid/fish")


def test_analysis_round_trips_through_the_store(tmp_path: Path, story: Analysis) -> None:
    assert story.events and story.actors and story.mentions  # the story gives the store something to hold
    db = tmp_path / "t.duckdb"
    with StoreWriter(db, model="m") as store:
        assert store.write(story) == "ingested"
    with StoreReader(db) as reader:
        assert reader.analysis(story.article.id) == story
        counts = reader.counts()
        assert reader.analysis("0" * 64) is None
    assert counts["articles"] == 1
    for field in ("actors", "mentions", "quotes", "events", "claims", "timexes", "places"):
        assert counts[field] == len(getattr(story, field)), field


def test_events_are_flattened_into_filterable_columns(tmp_path: Path, story: Analysis) -> None:
    db = tmp_path / "t.duckdb"
    with StoreWriter(db) as store:
        store.write(story)
    event = story.events[0]
    with duckdb.connect(str(db), read_only=True) as connection:
        row = connection.execute(
            "SELECT article_id, event_id, evidence_text, trigger_text, source_countries, cameo, cameo_root, "
            "quad_class, goldstein, modality, date_value, date_precision, record->>'$.rule' "
            "FROM events WHERE seq = 0").fetchone()
        published = connection.execute("SELECT published_date FROM articles").fetchone()[0]
        typed = connection.execute("SELECT count(*) FROM events WHERE list_contains(source_countries, ?)",
                                   [event.source_countries[0] if event.source_countries else "NONE"]).fetchone()[0]
    assert row == (story.article.id, event.id, event.evidence.text, event.trigger.text, event.source_countries,
                   event.cameo, event.cameo_root, event.quad_class, event.goldstein, event.modality,
                   event.date.value, event.date.precision, event.rule)
    assert str(published) == "2024-03-05"
    assert typed >= (1 if event.source_countries else 0)


def test_writing_the_same_text_again_is_a_duplicate(tmp_path: Path, story: Analysis) -> None:
    db = tmp_path / "t.duckdb"
    with StoreWriter(db) as store:
        assert store.write(story) == "ingested"
        again = story.model_copy(update={"article": story.article.model_copy(update={"source": "copy.txt"})})
        assert store.write(again) == "duplicate"
    with StoreReader(db) as reader:
        counts = reader.counts()
        log = reader.log()
    assert counts["articles"] == 1 and counts["events"] == len(story.events)
    assert [(entry["source"], entry["status"]) for entry in log] == [("story.txt", "ingested"),
                                                                     ("copy.txt", "duplicate")]


def test_a_failure_inside_the_transaction_leaves_nothing(tmp_path: Path, story: Analysis,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.duckdb"
    real = writer_module.StoreWriter._insert

    def failing(self, table, columns, rows):
        if table == "events":
            raise duckdb.IOException("disk went away")
        return real(self, table, columns, rows)

    with StoreWriter(db) as store:
        monkeypatch.setattr(writer_module.StoreWriter, "_insert", failing)
        with pytest.raises(StoreError, match="disk went away"):
            store.write(story)
        assert not store.has_article(story.article.id)
        monkeypatch.setattr(writer_module.StoreWriter, "_insert", real)
        assert store.write(story) == "ingested"
    with StoreReader(db) as reader:
        counts = reader.counts()
    assert counts["articles"] == 1 and counts["actors"] == len(story.actors)
    assert counts["ingest_log"] == 1  # the failed attempt left no log row either


def test_a_reject_seen_twice_is_counted_not_repeated(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    for _run in range(2):
        with StoreWriter(db) as store:
            store.log_reject("bad.pdf", "binary file (PDF document)", "%PDF-1.4", 1234)
    with StoreReader(db) as reader:
        assert reader.rejects() == [{"source": "bad.pdf", "reason": "binary file (PDF document)",
                                     "excerpt": "%PDF-1.4", "size": 1234, "times": 2}]
        assert [entry["status"] for entry in reader.log()] == ["rejected", "rejected"]


# -- load: the loop from items to the store, with a stand-in analyzer (no model) ----------------------
def bare(articles: Iterable[Article]) -> Iterator[Analysis]:
    for article in articles:
        if "FAIL" in article.text:
            yield Analysis(article=article, error="stage exploded")
        else:
            yield Analysis(article=article)


def test_load_counts_ingested_duplicates_and_rejects(tmp_path: Path) -> None:
    items = [
        RawItem("a.txt", data=STORY),
        RawItem("b.txt", data=OTHER),
        RawItem("a-again.txt", data=STORY.replace("\n\n", "\n\n\n")),   # same text once normalized
        RawItem("empty.txt", data="   "),
        Reject("notes.docx", "unsupported file type (.docx)"),
        RawItem("boom.txt", data="Crash story\n\nThis one will FAIL in analysis for sure today.\n"),
    ]
    db = tmp_path / "t.duckdb"
    outcomes: list[tuple[str, str]] = []
    with StoreWriter(db) as store:
        summary = load(items, store, bare, on_outcome=lambda status, source, _reason: outcomes.append((status, source)))
    assert (summary.ingested, summary.duplicates, summary.rejected) == (2, 1, 3)
    assert summary.reasons["empty input"] == 1 and summary.reasons["stage exploded"] == 1
    assert ("duplicate", "a-again.txt") in outcomes and len(outcomes) == 6
    with StoreWriter(db) as store:
        second = load(items, store, bare)
    assert (second.ingested, second.duplicates, second.rejected) == (0, 3, 3)
    with StoreReader(db) as reader:
        assert reader.counts()["articles"] == 2
        assert {row["source"] for row in reader.rejects()} == {"empty.txt", "notes.docx", "boom.txt"}
        assert all(row["times"] == 2 for row in reader.rejects())


def test_load_stops_after_limit_items(tmp_path: Path) -> None:
    items = (RawItem(f"{number}.txt", data=f"Story {number}\n\nA council voted on plan number {number} today.\n")
             for number in range(10))
    with StoreWriter(tmp_path / "t.duckdb") as store:
        summary = load(items, store, bare, limit=4)
    assert summary.items == 4 and summary.ingested == 4


def test_load_with_the_real_analyzer_stores_events(tmp_path: Path, analyzer) -> None:
    with StoreWriter(tmp_path / "t.duckdb") as store:
        summary = load([RawItem("s.txt", data=STORY)], store, sequential(analyzer), published="2024-03-05")
    assert summary.ingested == 1 and summary.events > 0
    with StoreReader(tmp_path / "t.duckdb") as reader:
        assert reader.counts()["events"] == summary.events


# -- files that cannot be a store ----------------------------------------------------------------------
def test_a_locked_store_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    StoreWriter(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys\nc = duckdb.connect(sys.argv[1])\n"
                               "print('ready', flush=True)\nsys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process"):
            StoreWriter(db)
    finally:
        holder.communicate("")


def test_corrupt_foreign_and_folder_stores_are_clear_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database " * 500)
    with pytest.raises(StoreError, match="not a tidings store"):
        StoreWriter(garbage)
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as connection:
        connection.execute("CREATE TABLE sales (amount INTEGER)")
    with pytest.raises(StoreError, match="not a tidings store"):
        StoreWriter(foreign)
    with duckdb.connect(str(foreign)) as connection:  # and it was left as it was
        assert [row[0] for row in connection.execute("SHOW TABLES").fetchall()] == ["sales"]
    with pytest.raises(StoreError, match="folder"):
        StoreWriter(tmp_path)
    with pytest.raises(StoreError, match="no store"):
        StoreReader(tmp_path / "missing.duckdb")


def test_read_article_ids_match_the_store_key(tmp_path: Path) -> None:
    """The store's key is the ingest stage's content hash: the same text read twice has one id."""
    assert read_article(STORY).id == read_article(STORY.replace(" ", "  ")).id
