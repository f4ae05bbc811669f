"""The GeoWebNews scorer: exact counts on a hand-made case, and a short real run above a floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.evaluate.geowebnews import (GoldArticle, GoldToponym, SystemPlace, Tally, evaluate_geowebnews, figures,
                                         load_articles, miss_kind, score_article)

from conftest import SHARED, need_shared

GEO = SHARED / "data" / "geo"


def gold(start: int, end: int, surface: str, name: str, lat: float, lon: float, modifier: str = "",
         geocoded: bool = True) -> GoldToponym:
    return GoldToponym(start, end, surface, name, lat, lon, "Literal", modifier, geocoded)


def test_scorer_counts_on_a_hand_made_article():
    text = "Paris and Lyon met Syrian envoys on Mainstreet near Atlantis."
    article = GoldArticle("t", text, (
        gold(0, 5, "Paris", "Paris", 48.8566, 2.3522),                   # right place
        gold(10, 14, "Lyon", "Lyon", 45.764, 4.8357),                    # wrong candidate (Lyons, USA)
        gold(19, 25, "Syrian", "Syrian Arab Republic", 35.0, 38.0, "Adjective"),  # not recognised
        gold(52, 60, "Atlantis", "Atlantis", 10.0, -30.0),               # entity, no candidate
        gold(36, 46, "Mainstreet", "Mainstreet", 48.0, 2.0, geocoded=False),  # a point but no GeoNames id
    ))
    places = [
        SystemPlace(0, 5, "FRA", 48.85, 2.35, "Paris"),
        SystemPlace(10, 14, "USA", 43.0, -77.0, "Lyons"),
        SystemPlace(36, 46, "FRA", 48.0, 2.0, "Mainstreet"),
        SystemPlace(26, 32, "FRA", 1.0, 1.0, "Envoys"),                  # overlaps no toponym
    ]
    tally = Tally()
    score_article(article, places, [(52, 60)], tally)
    result = figures(tally)
    assert result["n_gold"] == 4 and result["n_system"] == 4 and result["n_matched"] == 2
    assert result["within_161km"] == 0.25
    assert result["within_161km_matched"] == 0.5
    assert result["precision"] == 0.75  # Mainstreet is a real toponym, "envoys" is not
    assert result["country_judged"] == 2 and result["country_accuracy"] == 0.5
    assert result["n_misses"] == 3
    assert {k: v["n"] for k, v in result["misses_by_cause"].items()} == {
        "wrong_candidate": 1, "not_recognised": 1, "no_candidate": 1}
    assert result["misses_by_kind"]["demonym"]["n"] == 1


def test_miss_kinds():
    assert miss_kind(gold(0, 6, "Syrian", "Syrian Arab Republic", 35, 38, "Adjective")) == "demonym"
    assert miss_kind(gold(0, 2, "EU", "Europe", 48, 9)) == "abbreviation"
    assert miss_kind(gold(0, 7, "Cauvery", "Cauvery River", 11, 79)) == "water_body"
    assert miss_kind(gold(0, 11, "White House", "White House", 38.9, -77.0)) == "point_of_interest"
    assert miss_kind(gold(0, 6, "Suffolk", "Suffolk County", 40.9, -72.7)) == "state_region"
    assert miss_kind(gold(0, 6, "Ghouta", "Al Ghutah", 33.5, 36.4)) == "spelling_variant"
    assert miss_kind(gold(0, 6, "Boston", "Boston", 42.3, -71.0)) == "other"


def test_bad_data_dir_raises_value_error(tmp_path: Path):
    with pytest.raises(ValueError):
        load_articles(tmp_path)
    (tmp_path / "GWN.xml").write_text("<articles><article", encoding="utf-8")
    with pytest.raises(ValueError):
        load_articles(tmp_path)


def test_real_articles_load_with_aligned_spans():
    articles = load_articles(need_shared(GEO))
    assert len(articles) == 200
    assert sum(len(a.gold) for a in articles) > 2300
    for article in articles:
        for toponym in article.toponyms:
            assert article.text[toponym.start:toponym.end] == toponym.surface


def test_first_articles_above_a_floor(nlp):
    result = evaluate_geowebnews(need_shared(GEO), limit=8, nlp=nlp)
    assert result["n_articles"] == 8 and result["n_gold"] > 50
    assert result["within_161km"] >= 0.6
    assert result["precision"] >= 0.85
    assert result["country_accuracy"] >= 0.85
