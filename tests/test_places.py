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
        assert place.feature in {"country", "admin1", "city", "town", "region", "water", "capital", "continent"}
        assert place.country is None or len(place.country) == 3
        assert place.gazetteer_id and place.rule.startswith("gazetteer")


def test_demonyms_are_places_but_organisations_are_not(seed_places, nlp):
    doc, places = seed_places
    by_text = {p.text: p for p in places}
    assert by_text["Russian"].country == "RUS" and by_text["Russian"].rule == "gazetteer-demonym:country"
    assert by_text["North Korean"].country == "PRK"
    assert not set(by_text) & {"Kremlin", "UN Security Council"}
    found = places_of(nlp, "The UN Security Council met as the Kremlin and North Korean officials spoke.")
    assert [(p.text, p.country) for p in found] == [("North Korean", "PRK")]


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


# -- GeoWebNews-driven behaviour: demonyms, abbreviations, embedded names, datelines, context ---------


@pytest.mark.parametrize("text, demonym, country", [
    ("Syrian forces shelled the town on Monday.", "Syrian", "SYR"),
    ("The Turkish army moved south.", "Turkish", "TUR"),
    ("Texan voters went to the polls.", "Texan", "USA"),
])
def test_demonyms_resolve_to_their_place(nlp, text, demonym, country):
    place = only(places_of(nlp, text), demonym)
    assert place.country == country and "demonym" in place.rule


def test_regional_demonym_resolves_to_the_region_not_the_country(nlp):
    place = only(places_of(nlp, "Scottish fishermen protested against the quotas."), "Scottish")
    assert place.gazetteer_id == "admin1:GB-SCT"


def test_demonym_never_becomes_an_event_place(nlp):
    from tidings.events.when_where import event_place

    doc = nlp("Syrian troops attacked the rebels.")
    places = find_places(doc)
    assert only(places, "Syrian").country == "SYR"
    trigger = next(t for t in doc if t.lemma_ == "attack")
    assert event_place(doc, trigger, places, []) is None


@pytest.mark.parametrize("text, name, admin1", [
    ("He was born in Santa Rosa, Calif. in 1950.", "Calif.", "admin1:US-CA"),
    ("The plant in Albuquerque, N.M. closed.", "N.M.", "admin1:US-NM"),
])
def test_state_abbreviations(nlp, text, name, admin1):
    assert only(places_of(nlp, text), name).gazetteer_id == admin1


def test_country_abbreviations(nlp):
    places = places_of(nlp, "Talks between the U.S. and the UK resumed.")
    assert only(places, "U.S.").country == "USA"
    assert only(places, "UK").country == "GBR"


def test_accents_either_way(nlp):
    for spelling in ("Bogota", "Bogotá"):
        place = only(places_of(nlp, f"The mayor of {spelling} resigned on Friday."), spelling)
        assert place.country == "COL"
    assert fold("Bogotá") == fold("BOGOTA") == "bogota"


def test_names_embedded_in_organisations(nlp):
    places = places_of(nlp, "The Russian Foreign Ministry summoned the envoy.")
    assert only(places, "Russian").country == "RUS"
    places = places_of(nlp, "She studied at the University of California before moving.")
    assert only(places, "California").gazetteer_id == "admin1:US-CA"


def test_dateline_in_capitals(nlp):
    places = places_of(nlp, "Police arrest suspect\n\nTORONTO — Police arrested a man on Monday.")
    assert only(places, "TORONTO").country == "CAN"


def test_continents_use_the_conventional_point(nlp):
    place = only(places_of(nlp, "Migrants keep arriving in Europe by sea."), "Europe")
    assert place.feature == "continent" and km(place.lat, place.lon, 48.69, 9.14) < 50


def test_context_ranking_prefers_the_articles_country(nlp):
    alone = only(places_of(nlp, "The festival in Birmingham drew a crowd."), "Birmingham")
    assert alone.country == "GBR"
    text = "Governor Kay Ivey spoke in Montgomery, Alabama. Later the festival in Birmingham drew a crowd."
    moved = [p for p in places_of(nlp, text) if p.text == "Birmingham"]
    assert moved and moved[0].country == "USA" and km(moved[0].lat, moved[0].lon, 33.52, -86.80) < 50


def test_reverse_lookups():
    from tidings.places import lookup_country, nearest_city_country

    assert nearest_city_country(48.86, 2.35) == "FRA"
    assert nearest_city_country(0.0, -30.0) is None  # mid-Atlantic
    assert nearest_city_country("x", None) is None  # type: ignore[arg-type]
    assert lookup_country("Syrian Arab Republic") == "SYR"
    assert lookup_country("Atlantis") is None


def test_a_comma_list_after_a_capital_is_not_a_qualifier(nlp):
    # Sentences written for this test.
    tour = places_of(nlp, "After stops in Washington, New York and Boston, the envoy flew home.")
    assert only(tour, "Washington").feature == "capital"
    # A smaller first name keeps the "A, B" reading even when a list follows.
    portland = places_of(nlp, "She grew up in Portland, Maine and later moved to Boston.")
    assert only(portland, "Portland").rule.endswith("qualifier")
    assert km(only(portland, "Portland").lat, only(portland, "Portland").lon, 43.66, -70.26) < 50


def test_a_qualifier_that_renames_the_head(nlp):
    places = places_of(nlp, "Teams travelled to Alaska, Hawaii and Washington, D.C., last year.")
    capital = only(places, "Washington")
    assert capital.feature == "capital" and capital.rule.endswith("qualifier")


def test_town_tagged_as_a_person_after_a_locative(nlp):
    # "Nelson" is tagged PERSON; after "in", next to British Columbia, it is the Canadian town.
    places = places_of(nlp, "A new service office in Nelson opened on Monday, the British Columbia minister said.")
    nelson = only(places, "Nelson")
    assert nelson.country == "CAN"


def test_countries_and_demonyms_tagged_as_persons(nlp):
    soldiers = places_of(nlp, "The mines were laid by Azerbaijani soldiers during the war.")
    assert only(soldiers, "Azerbaijani").country == "AZE"
    # A surname after a title is a person, whatever the NER says.
    assert not [p for p in places_of(nlp, "Mr French said the plan had failed.") if p.text == "French"]
    assert not [p for p in places_of(nlp, "He met Jordan at the bar.") if p.text == "Jordan"]


def test_a_named_state_moves_a_town_in_it(nlp):
    # Two US towns share the name; the article names the state of the smaller one.
    places = places_of(nlp, "Students in Parkland marched on Friday. Florida lawmakers promised a vote.")
    assert km(only(places, "Parkland").lat, only(places, "Parkland").lon, 26.31, -80.24) < 50
