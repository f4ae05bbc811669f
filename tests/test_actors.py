"""Actor resolution (tidings.actors.resolve.resolve_actors) on short news-like texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from tidings.actors.resolve import resolve_actors
from tidings.actors.table import ActorTable

PUBLISHED = date(2023, 9, 6)


@pytest.fixture(scope="module")
def resolve(nlp):
    def run(*paragraphs: str, published: date | None = PUBLISHED) -> ActorTable:
        doc = nlp("\n\n".join(paragraphs))
        return resolve_actors(doc, published)

    return run


def mention(table: ActorTable, text: str, nth: int = 0):
    """The ``nth`` mention whose text is exactly ``text`` (fails the test if there is none)."""
    found = [m for m in table.mentions if m.text == text]
    assert len(found) > nth, f"no mention {text!r}; mentions: {[(m.text, m.actor_id) for m in table.mentions]}"
    return found[nth]


def actor_of(table: ActorTable, text: str, nth: int = 0):
    m = mention(table, text, nth)
    assert m.actor_id is not None, f"mention {text!r} has no actor"
    return table.actors[m.actor_id]


# -- titles and names ---------------------------------------------------------------------------------

def test_title_with_known_name_gives_country_and_sectors(resolve):
    table = resolve("Russian Defense Minister Sergei Shoigu arrived in Pyongyang on Tuesday.")
    actor = actor_of(table, "Russian Defense Minister Sergei Shoigu")
    assert actor.kind == "person"
    assert actor.name == "Sergei Shoigu"
    assert actor.country == "RUS"
    assert {"GOV", "MIL"} <= set(actor.sectors)
    assert mention(table, "Russian Defense Minister Sergei Shoigu").kind == "title"


def test_title_describes_a_person_the_lexicon_does_not_know(resolve):
    table = resolve("Ukrainian Defense Minister Ivan Petrenko inspected the new air defence units.")
    actor = actor_of(table, "Ukrainian Defense Minister Ivan Petrenko")
    assert actor.kind == "person"
    assert actor.name == "Ivan Petrenko"
    assert actor.country == "UKR"
    assert "MIL" in actor.sectors


def test_an_unknown_office_holder_takes_the_country_where_they_act_not_the_one_they_act_on(resolve):
    at_home = resolve("President Jean Kaboré lifted the curfew imposed in Burkina Faso.")
    assert table_person(at_home).country == "BFA"
    abroad = resolve("President Jean Kaboré threatened sanctions against Burkina Faso.")
    assert table_person(abroad).country is None


def table_person(table: ActorTable):
    return next(a for a in table.actors.values() if a.kind == "person")


def test_short_name_links_to_full_name_earlier(resolve):
    table = resolve("North Korean leader Kim Jong Un met Vladimir Putin on Wednesday. Kim later left by train.")
    full = actor_of(table, "North Korean leader Kim Jong Un")
    assert full.id == actor_of(table, "Kim").id
    assert full.country == "PRK"
    assert actor_of(table, "Vladimir Putin").id != full.id


def test_short_name_of_an_unknown_person_links_to_full_name(resolve):
    table = resolve("Maria Gonzalez, a local teacher, organised the protest.",
                    "Gonzalez said the march would continue.")
    assert actor_of(table, "Gonzalez").id == actor_of(table, "Maria Gonzalez").id
    assert len([a for a in table.actors.values() if a.kind == "person"]) == 1


def test_honorific_is_not_part_of_the_name(resolve):
    table = resolve("Prof Jane Doe, an economist at a private university, studied the data.",
                    "Doe said the figures were worrying.")
    doe = actor_of(table, "Doe")
    assert doe.kind == "person"
    assert doe.name == "Jane Doe"
    first = next(m for m in table.mentions if "Jane Doe" in m.text)
    assert first.actor_id == doe.id


def test_kim_il_sung_square_is_not_a_person(resolve):
    table = resolve("Thousands of people gathered in Kim Il Sung Square on Saturday for a military parade.")
    assert not [a for a in table.actors.values() if a.kind == "person"]
    assert not [m for m in table.mentions if "Kim" in m.text]


# -- states, capitals, seats, nationality words ----------------------------------------------------

def test_capital_stands_for_its_government(resolve):
    table = resolve("Moscow said the talks were useful.")
    m = mention(table, "Moscow")
    assert m.kind == "capital"
    assert m.actor_id == "RUSGOV"
    actor = table.actors["RUSGOV"]
    assert actor.sector == "GOV"
    assert actor.country == "RUS"


def test_two_capitals_are_two_governments(resolve):
    table = resolve("Tokyo and Seoul condemned the launch.")
    assert mention(table, "Tokyo").actor_id == "JPNGOV"
    assert mention(table, "Seoul").actor_id == "KORGOV"


@pytest.mark.parametrize("text, seat, actor_id", [
    ("The Kremlin declined to comment on the report.", "The Kremlin", "RUSGOV"),
    ("The White House declined to comment on the report.", "The White House", "USAGOV"),
])
def test_seat_of_power_stands_for_its_government(resolve, text, seat, actor_id):
    table = resolve(text)
    m = mention(table, seat)
    assert m.kind == "seat"
    assert m.actor_id == actor_id
    assert table.actors[actor_id].sector == "GOV"


def test_nationality_word_names_the_state(resolve):
    table = resolve("Ukrainian troops advanced near the city on Sunday.")
    m = mention(table, "Ukrainian")
    assert m.kind == "nationality"
    assert m.actor_id == "UKR"
    assert table.actors["UKR"].kind == "state"


def test_country_name_is_a_state(resolve):
    table = resolve("Russia and North Korea signed a deal on Tuesday.")
    assert mention(table, "Russia").actor_id == "RUS"
    assert mention(table, "North Korea").actor_id == "PRK"
    assert table.actors["PRK"].kind == "state"


# -- descriptors and groups -------------------------------------------------------------------------

def test_the_spokesman_is_the_earlier_spokesperson(resolve):
    table = resolve("Kremlin spokesman Dmitry Peskov spoke to reporters on Monday.",
                    "The spokesman said the meeting would take place soon.")
    peskov = actor_of(table, "Kremlin spokesman Dmitry Peskov")
    m = mention(table, "The spokesman")
    assert m.kind == "descriptor"
    assert m.actor_id == peskov.id


@pytest.mark.parametrize("published, person", [
    (date(2023, 9, 6), "person:vladimir-putin"),
    (date(2010, 6, 1), "person:dmitry-medvedev"),
])
def test_the_russian_president_is_the_office_holder_on_the_date(resolve, published, person):
    table = resolve("The Russian president will travel to China next month, officials said.", published=published)
    m = mention(table, "The Russian president")
    assert m.actor_id == person
    assert table.actors[person].country == "RUS"


def test_the_two_countries_are_the_two_states_named_last(resolve):
    table = resolve("China watched the summit closely. Russia and North Korea signed a deal on Tuesday. "
                    "The two countries have grown closer since then.")
    group = actor_of(table, "The two countries")
    assert group.kind == "group"
    assert sorted(group.members) == ["PRK", "RUS"]
    assert mention(table, "The two countries").kind == "group"
    # Groups expand to their members for the later stages.
    assert {a.id for a in table.expand(group)} == {"PRK", "RUS"}


def test_anonymous_source_keeps_its_country(resolve):
    table = resolve("A senior U.S. official said the plan had failed.")
    actor = actor_of(table, "A senior U.S. official")
    assert actor.kind == "anonymous"
    assert actor.country == "USA"
    assert mention(table, "A senior U.S. official").kind == "anonymous"


def test_the_official_refers_back_to_the_anonymous_source(resolve):
    table = resolve("A senior U.S. official said the plan had failed.",
                    "The official added that talks would continue.")
    assert actor_of(table, "The official").id == actor_of(table, "A senior U.S. official").id


@pytest.mark.parametrize("text, phrase, actor_id, sector", [
    ("The U.S. government imposed new sanctions on Friday.", "The U.S. government", "USAGOV", "GOV"),
    ("The Russian military said the attack had been repelled.", "The Russian military", "RUSMIL", "MIL"),
])
def test_institution_is_the_country_institution_not_a_person(resolve, text, phrase, actor_id, sector):
    table = resolve(text)
    m = mention(table, phrase)
    assert m.actor_id == actor_id
    actor = table.actors[actor_id]
    assert actor.kind == "organisation"
    assert actor.sector == sector
    assert not [a for a in table.actors.values() if a.kind == "person"]


# -- pronouns -----------------------------------------------------------------------------------------

def test_he_is_the_previous_sentence_subject_not_its_object(resolve):
    table = resolve("Senator John Smith met Governor Anne Lee on Friday. He said the talks were productive.")
    m = mention(table, "He")
    assert m.kind == "pronoun"
    assert m.actor_id == actor_of(table, "Senator John Smith").id


def test_she_is_the_passive_subject(resolve):
    table = resolve("Governor Anne Lee was received by Senator John Smith on Friday. "
                    "She said the talks were productive.")
    assert mention(table, "She").actor_id == actor_of(table, "Governor Anne Lee").id


def test_pronoun_without_antecedent_is_not_linked(resolve):
    table = resolve("The storm flooded several roads on Monday. He said the water was rising.")
    assert not [m for m in table.mentions if m.text == "He"]


# -- invariants ---------------------------------------------------------------------------------------

def test_every_mention_is_its_text_and_points_to_a_kept_actor(resolve):
    paragraphs = ("Russian Defense Minister Sergei Shoigu arrived in Pyongyang on Tuesday.",
                  "Moscow said the visit was a success. The Kremlin did not comment, a senior U.S. official said.",
                  "Shoigu met North Korean leader Kim Jong Un. The two countries have grown closer.")
    table = resolve(*paragraphs)
    text = "\n\n".join(paragraphs)
    assert table.mentions
    for m in table.mentions:
        assert text[m.start:m.end] == m.text
        assert m.actor_id is None or m.actor_id in table.actors
    starts = [m.start for m in table.mentions]
    assert starts == sorted(starts)
    assert [m.id for m in table.mentions] == [f"M{i}" for i in range(1, len(table.mentions) + 1)]


def test_no_date_still_resolves(resolve):
    table = resolve("Moscow said the talks were useful.", published=None)
    assert mention(table, "Moscow").actor_id == "RUSGOV"


def test_empty_text_gives_empty_table(resolve):
    table = resolve("")
    assert table.actors == {} and table.mentions == []


def test_a_bare_surname_needs_an_office_in_a_named_country(nlp):
    import datetime

    from tidings.actors.resolve import resolve_actors

    british = resolve_actors(nlp("Mr Brown said taxes would not rise."), datetime.date(2005, 3, 1))
    brown = [a for a in british.actors.values() if a.kind == "person"]
    assert brown and brown[0].country is None  # no country named: not a foreign office holder of that name
    russian = resolve_actors(nlp("Russia will not back down, Putin said on Monday."), datetime.date(2023, 9, 6))
    putin = [a for a in russian.actors.values() if a.kind == "person"]
    assert putin and putin[0].name == "Vladimir Putin" and putin[0].country == "RUS"


def test_honorific_before_a_capital_is_a_person(nlp):
    import datetime

    from tidings.actors.resolve import resolve_actors

    table = resolve_actors(nlp("Mr Hague replied that he would not stand again."), datetime.date(2005, 3, 1))
    assert not any(a.id == "NLDGOV" for a in table.actors.values())


def test_country_named_after_a_title_with_of(resolve):
    table = resolve("The envoy said he would meet the president of Chile next month.")
    assert actor_of(table, "the president of Chile").country == "CHL"


def test_name_followed_by_of_country_takes_that_country(resolve):
    # Two countries in the sentence: only the "of" phrase can tell which one is his.
    table = resolve("President Alaric Voss of Norway met the Swedish prime minister.", published=None)
    assert actor_of(table, "President Alaric Voss").country == "NOR"


def test_nationality_before_a_people_names_the_country_of_residence(resolve):
    table = resolve("Croatian Serbs rejected the proposed map.")
    assert mention(table, "Croatian Serbs").actor_id == "HRV"


def test_two_word_country_misread_as_a_person_is_a_state(resolve):
    table = resolve("New Zealand has recalled its envoy.")
    assert mention(table, "New Zealand").actor_id == "NZL"


def test_undated_bare_name_resolves_only_when_every_namesake_served_one_country(resolve):
    table = resolve("Putin praised the harvest.", published=None)
    assert actor_of(table, "Putin").country == "RUS"
    table = resolve("Bush praised the harvest.", published=None)
    assert actor_of(table, "Bush").country is None  # a Caymanian and two Americans of that name


def test_organisation_in_a_title_gives_the_body(resolve):
    table = resolve("Arab League Secretary-General Hamid Farouk called for calm.", published=None)
    assert actor_of(table, "Arab League Secretary-General Hamid Farouk").country == "IGO"


def test_part_of_a_longer_body_name_is_not_that_organisation(resolve):
    # "Security Council" inside "National Security Council" is not the UN body.
    table = resolve("National Security Council spokesman Peter Orwin declined to comment.")
    assert actor_of(table, "National Security Council spokesman Peter Orwin").country != "IGO"


def test_undated_title_gives_the_country_every_holder_of_that_office_and_name_served(resolve):
    # Two Presidents Bush (both American) and a Caymanian politician who was never president: the person
    # stays unknown without a date, but the country is certain.
    table = resolve("President Bush praised the harvest.", published=None)
    actor = actor_of(table, "President Bush")
    assert actor.country == "USA"
    assert actor.id == "person:bush"
    assert "GOV" in actor.sectors


def test_a_leader_named_before_administration_gives_the_government_its_country(resolve):
    table = resolve("The Bush administration praised the harvest.", published=None)
    assert actor_of(table, "administration").country == "USA"


@pytest.mark.parametrize("text, actor_id", [
    ("The International Labour Office criticised the new law.", "org:international-labour-organization"),
    ("The Asia-Pacific Economic Cooperation forum met in Lima.", "org:asia-pacific-economic-cooperation"),
    ("The United Nations Children's Fund sent vaccines.", "org:unicef"),
])
def test_un_agencies_and_regional_blocs_are_known_under_their_full_names(resolve, text, actor_id):
    table = resolve(text, published=None)
    assert table.actors[actor_id].country == "IGO"


def test_an_office_named_after_a_known_body_belongs_to_it(resolve):
    table = resolve("The United Nations Emergency Relief Coordinator appealed for access to the camps.")
    office = [a for a in table.actors.values() if "Coordinator" in a.name]
    assert office and office[0].country == "IGO"
    assert "part-of" in office[0].source


def test_an_ethnic_people_living_in_another_country_belongs_to_that_country(resolve):
    table = resolve("Ethnic Turks in Bulgaria marched to the capital.", published=None)
    assert mention(table, "Turks").actor_id == "BGR"
    table = resolve("Ethnic Turks marched to the capital.", published=None)
    assert mention(table, "Turks").actor_id == "TUR"
