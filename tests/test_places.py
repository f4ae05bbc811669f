"""The places stage: toponyms resolved to a country and coordinates."""

from __future__ import annotations

import math

import pytest

from tidings.places import country_centroid, find_places, fold

MILES_100_KM = 161.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def places_of(nlp, text: str):
    return find_places(nlp(text))


def only(places, text: str):
    found = [p for p in places if p.text == text]
    assert found, f"no place for {text!r}; got {[(p.text, p.country) for p in places]}"
    return found[0]


@pytest.fixture(scope="module")
def seed_places(nlp, seed_text):
    clean = "\n\n".join(line for line in seed_text.splitlines() if line.strip())
    doc = nlp(clean)
    return doc, find_places(doc)


def test_seed_gold_places_resolve_within_100_miles(seed_places, seed_gold):
    doc, places = seed_places
    for gold in seed_gold["places"]:
        hits = [p for p in places if p.text == gold["text"]]
        assert hits, f"gold place {gold['text']!r} not found"
        for place in hits:
            assert place.country == gold["country"], (gold["text"], place.country)
            assert km(place.lat, place.lon, gold["lat"], gold["lon"]) <= MILES_100_KM, (gold["text"], place)


def test_seed_places_are_well_formed(seed_places):
    doc, places = seed_places
    assert [p.id for p in places] == [f"P{i}" for i in range(1, len(places) + 1)]
    assert [p.start for p in places] == sorted(p.start for p in places)
    for place in places:
        assert doc.text[place.start:place.end] == place.text
        assert place.feature in {"country", "admin1", "city", "region", "water", "capital"}
        assert place.country is None or len(place.country) == 3
        assert place.gazetteer_id and place.rule.startswith("gazetteer")


def test_nationality_words_and_organisations_are_not_places(seed_places, nlp):
    doc, places = seed_places
    texts = {p.text for p in places}
    assert not texts & {"Russian", "North Korean", "South Korean", "Kremlin", "UN Security Council"}
    norp = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "NORP"]
    assert norp, "the seed article has nationality adjectives"
    assert not [p for p in places if any(s < p.end and p.start < e for s, e in norp)]
    assert places_of(nlp, "The UN Security Council met as the Kremlin and North Korean officials spoke.") == []


def test_metonymic_capitals_are_places(seed_places):
    _, places = seed_places
    washington = only(places, "Washington")
    assert washington.country == "USA" and washington.feature == "capital"
    assert km(washington.lat, washington.lon, 38.9, -77.04) < 20  # D.C., not the state


def test_paris_texas_and_paris_france(nlp):
    texas = places_of(nlp, "The festival was held in Paris, Texas, last weekend.")
    assert only(texas, "Paris").country == "USA"
    assert only(texas, "Paris").rule.endswith("qualifier")
    assert only(texas, "Texas").feature == "admin1"
    france = places_of(nlp, "Macron returned to Paris after talks in Lyon. France said the talks went well.")
    paris = only(france, "Paris")
    assert paris.country == "FRA" and km(paris.lat, paris.lon, 48.86, 2.35) < 20


def test_context_country_moves_a_smaller_namesake(nlp):
    places = places_of(nlp, "The Birmingham plant will close, Alabama officials said. The United States economy slowed.")
    birmingham = only(places, "Birmingham")
    assert birmingham.country == "USA" and birmingham.rule.endswith("context-country")
    # Without that context the larger English city wins.
    assert only(places_of(nlp, "The Birmingham plant will close."), "Birmingham").country == "GBR"


def test_bogota_without_accent(nlp):
    bogota = only(places_of(nlp, "The mayor of Bogota met officials."), "Bogota")
    assert bogota.country == "COL" and bogota.name == "Bogotá"


def test_kyiv_and_kiev(nlp):
    places = places_of(nlp, "Officials in Kiev reported damage. Ukraine said Kyiv was calm.")
    kiev, kyiv = only(places, "Kiev"), only(places, "Kyiv")
    assert kiev.gazetteer_id == kyiv.gazetteer_id and kyiv.country == "UKR"


def test_saint_petersburg(nlp):
    place = only(places_of(nlp, "He flew from St. Petersburg to Moscow."), "St. Petersburg")
    assert place.country == "RUS" and km(place.lat, place.lon, 59.94, 30.31) < 20


def test_us_states_and_the_washington_policy(nlp):
    places = places_of(nlp, "Wildfires spread across California on Monday.")
    assert only(places, "California").feature == "admin1" and only(places, "California").country == "USA"
    state = places_of(nlp, "Voters in Washington state backed the measure.")
    assert only(state, "Washington").feature == "admin1"
    qualified = places_of(nlp, "Officials in Seattle, Washington, said turnout was high.")
    assert only(qualified, "Washington").gazetteer_id == "admin1:US-WA"
    capital = places_of(nlp, "Washington imposed new sanctions on Iran.")
    assert only(capital, "Washington").feature == "capital"


def test_regions_from_the_curated_list(nlp):
    places = places_of(nlp, "Fighting continued in the Donbas region and near the Black Sea, and troops went to the Sahel.")
    donbas = only(places, "Donbas")
    assert donbas.country == "UKR" and donbas.gazetteer_id == "region:donbas" and donbas.feature == "region"
    assert only(places, "Black Sea").feature == "water" and only(places, "Black Sea").country is None
    assert only(places, "Sahel").feature == "region"


def test_abbreviations_and_possessives(nlp):
    places = places_of(nlp, "The United States and the UK backed Ukraine’s bid; the DPRK objected.")
    assert only(places, "United States").country == "USA"
    assert only(places, "UK").country == "GBR"
    assert only(places, "Ukraine").country == "UKR"
    assert only(places, "DPRK").country == "PRK"


def test_unknown_toponym_gives_no_place(nlp):
    assert places_of(nlp, "The delegation arrived in Zzyzxqville on Tuesday.") == []


def test_empty_and_blank_docs(nlp):
    assert find_places(nlp("")) == []
    assert find_places(nlp("   \n\n  ")) == []
    with pytest.raises(TypeError):
        find_places("not a doc")  # type: ignore[arg-type]


def test_country_centroid():
    lat, lon = country_centroid("UKR")
    assert km(lat, lon, 49.0, 32.0) < 161
    assert country_centroid("usa") is not None
    assert country_centroid("XXX") is None
    assert country_centroid("") is None


def test_fold_matches_spelling_variants():
    assert fold("Bogotá") == fold("bogota")
    assert fold("St. Petersburg") == fold("Saint-Petersburg")
    assert fold("U.S.") == fold("US")
