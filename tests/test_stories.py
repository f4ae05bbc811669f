"""Stories: the clustering core on hand-made mentions, and the stories tables built over a small store."""

from __future__ import annotations

import datetime

import duckdb

from tidings.stories import EventMention, build_stories, cluster_mentions
from tidings.stories.build import biggest_stories
from tidings.stories.config import load_config

DAY = datetime.date(2023, 9, 13)


def meeting(id_: str, doc: str, *, source=("RUS",), target=("PRK",), date=DAY, cameo="036", lemma="meet",
            evidence="Putin meet Kim Vostochny cosmodrome summit") -> EventMention:
    return EventMention(id=id_, doc_id=doc, trigger_lemma=lemma, cameo=cameo, cameo_root=cameo[:2], plover="CONSULT",
                        source=frozenset(source), target=frozenset(target), date=date, evidence=evidence,
                        context=evidence)


def together(clusters: list[list[str]], a: str, b: str) -> bool:
    return any(a in cluster and b in cluster for cluster in clusters)


def test_same_event_from_two_outlets_merges():
    clusters = cluster_mentions([meeting("a", "doc1"), meeting("b", "doc2", source=("PRK",), target=("RUS",))])
    assert clusters == [["a", "b"]]


def test_different_dyad_does_not_merge():
    clusters = cluster_mentions([meeting("a", "doc1"), meeting("b", "doc2", target=("CHN",))])
    assert not together(clusters, "a", "b")


def test_far_apart_dates_do_not_merge():
    later = DAY + datetime.timedelta(days=load_config().date_window_days + 1)
    clusters = cluster_mentions([meeting("a", "doc1"), meeting("b", "doc2", date=later)])
    assert not together(clusters, "a", "b")


def test_incompatible_cameo_does_not_merge():
    attack = EventMention(id="b", doc_id="doc2", trigger_lemma="meet", cameo="190", cameo_root="19", plover="ASSAULT",
                          source=frozenset({"RUS"}), target=frozenset({"PRK"}), date=DAY)
    assert not together(cluster_mentions([meeting("a", "doc1"), attack]), "a", "b")


def test_unrelated_words_stay_apart_and_every_mention_is_kept():
    other = meeting("c", "doc3", lemma="sanction", cameo="163", evidence="Washington sanction bank Pyongyang")
    clusters = cluster_mentions([meeting("a", "doc1"), meeting("b", "doc2"), other])
    assert sorted(id_ for cluster in clusters for id_ in cluster) == ["a", "b", "c"]
    assert ["c"] in clusters and together(clusters, "a", "b")


def test_empty_input():
    assert cluster_mentions([]) == []


SUMMIT_A = ("Putin meets Kim at Russian spaceport\n\nRussian President Vladimir Putin met North Korean leader "
            "Kim Jong Un at the Vostochny Cosmodrome on Wednesday.")
SUMMIT_B = ("Kim and Putin hold summit\n\nNorth Korean leader Kim Jong Un met Russian President Vladimir Putin at "
            "the Vostochny Cosmodrome on Wednesday for talks.")
OTHER = ("Seoul protests\n\nSouth Korea condemned Japan over the disputed islands on Friday.")


def test_store_stories(tmp_path, nlp):
    from tidings.pipeline import Analyzer
    from tidings.store import StoreWriter

    analyzer = Analyzer()
    db = tmp_path / "store.duckdb"
    with StoreWriter(db) as store:
        for text, outlet, day in ((SUMMIT_A, "Outlet A", "2023-09-13"), (SUMMIT_B, "Outlet B", "2023-09-14"),
                                  (OTHER, "Outlet C", "2023-11-02")):
            store.write(analyzer.analyze(text, published=day, outlet=outlet))
    count = build_stories(db, nlp=nlp)
    assert count >= 2
    with duckdb.connect(str(db), read_only=True) as connection:
        events = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        linked = connection.execute("SELECT count(*) FROM story_events").fetchone()[0]
        assert linked == events  # every event in exactly one story
    top = biggest_stories(db, 5)[0]
    assert top["n_articles"] == 2 and top["n_outlets"] == 2
    assert top["first_seen"] == "2023-09-13" and top["last_seen"] == "2023-09-14"
    assert top["evidence"]
    assert build_stories(db, nlp=nlp) == count  # rebuilding replaces, never duplicates


def test_biggest_stories_before_any_build(tmp_path):
    from tidings.store import StoreWriter

    db = tmp_path / "empty.duckdb"
    StoreWriter(db).close()
    assert biggest_stories(db) == []
