"""The actor lexicons: country names, nationality words, capitals, seats of power, agent nouns, organisations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED, need_shared
from tidings.actors.lexicon import lexicon, normalize

BUILT = ("countries.tsv", "agents.tsv", "organisations.tsv")


@pytest.fixture(scope="module")
def lex():
    return lexicon()


@pytest.mark.parametrize("text, iso3", [
    ("North Korea", "PRK"), ("DPRK", "PRK"), ("Democratic People's Republic of Korea", "PRK"),
    ("South Korea", "KOR"), ("ROK", "KOR"), ("Republic of Korea", "KOR"),
    ("the United States", "USA"), ("the U.S.", "USA"), ("US", "USA"), ("USA", "USA"), ("America", "USA"),
    ("UK", "GBR"), ("Britain", "GBR"), ("Great Britain", "GBR"), ("Russia", "RUS"), ("Russia's", "RUS"),
    ("Russia’s", "RUS"), ("Ukraine", "UKR"), ("Iran", "IRN"), ("China", "CHN"), ("Japan", "JPN"),
    ("Israel", "ISR"), ("Guatemala", "GTM"), ("Guinea", "GIN"), ("Myanmar", "MMR"), ("Burma", "MMR"),
    ("Brazil", "BRA"), ("Argentina", "ARG"), ("Mexico", "MEX"), ("Canada", "CAN"), ("Nigeria", "NGA"),
    ("Kenya", "KEN"), ("Egypt", "EGY"), ("South Africa", "ZAF"), ("Germany", "DEU"), ("France", "FRA"),
    ("Czechia", "CZE"), ("Türkiye", "TUR"), ("Turkiye", "TUR"), ("Eswatini", "SWZ"),
    ("North Macedonia", "MKD"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Australia", "AUS"),
    ("New Zealand", "NZL"), ("India", "IND"), ("Pakistan", "PAK"), ("Vietnam", "VNM"), ("the Philippines", "PHL"),
    ("Bosnia and Herzegovina", "BIH"), ("Slovenia", "SVN"), ("Serbia", "SRB"), ("Montenegro", "MNE"),
    ("Saudi Arabia", "SAU"), ("United Arab Emirates", "ARE"), ("UAE", "ARE"),
])
def test_country_by_name(lex, text, iso3):
    found = lex.country_by_name(text)
    assert found is not None and found.iso3 == iso3, (text, found)
    assert found.entry  # every hit names the lexicon entry that produced it


@pytest.mark.parametrize("text, iso3", [
    ("North Korean", "PRK"), ("South Korean", "KOR"), ("Russian", "RUS"), ("Russians", "RUS"),
    ("U.S.", "USA"), ("American", "USA"), ("Americans", "USA"), ("Ukrainian", "UKR"), ("Iranian", "IRN"),
    ("British", "GBR"), ("Britons", "GBR"), ("Chinese", "CHN"), ("Japanese", "JPN"), ("Israeli", "ISR"),
    ("Israelis", "ISR"), ("Iraqi", "IRQ"), ("German", "DEU"), ("French", "FRA"), ("Dutch", "NLD"),
    ("Filipino", "PHL"), ("Brazilian", "BRA"), ("Kenyan", "KEN"), ("Nigerian", "NGA"), ("Australian", "AUS"),
    ("Pakistani", "PAK"), ("Englishmen", "GBR"), ("Montenegrin", "MNE"), ("Serbian", "SRB"),
])
def test_country_by_adjective(lex, text, iso3):
    found = lex.country_by_adjective(text)
    assert found is not None and found.iso3 == iso3, (text, found)


@pytest.mark.parametrize("text, iso3", [
    ("Washington", "USA"), ("Moscow", "RUS"), ("Pyongyang", "PRK"), ("Seoul", "KOR"), ("Kyiv", "UKR"),
    ("Kiev", "UKR"), ("Beijing", "CHN"), ("Tehran", "IRN"), ("London", "GBR"), ("Paris", "FRA"),
    ("Tokyo", "JPN"), ("Nairobi", "KEN"), ("Brasília", "BRA"), ("Canberra", "AUS"), ("Belgrade", "SRB"),
])
def test_country_by_capital(lex, text, iso3):
    found = lex.country_by_capital(text)
    assert found is not None and found.iso3 == iso3, (text, found)


def test_kinds_are_kept_apart(lex):
    assert lex.country_by_capital("Russia") is None
    assert lex.country_by_adjective("Pyongyang") is None
    assert lex.country_by_name("Moscow") is None


def test_capitals_only_abbreviations_need_capitals(lex):
    assert lex.country_by_name("us") is None  # the pronoun
    assert lex.country_by_name("Us") is None
    assert lex.organisation("who") is None and lex.organisation("WHO").sectors[0] == "IGO"
    assert lex.organisation("ap") is None and lex.organisation("AP").country == "USA"
    assert lex.country_by_name("u.s.").iso3 == "USA"  # dotted forms cannot be mistaken for words


@pytest.mark.parametrize("text, iso3", [
    ("Washington", "USA"), ("Georgia", "GEO"), ("Victoria", "SYC"), ("Korea", "KOR"), ("Korean", "KOR"),
    ("Congolese", "COD"), ("Jordan", "JOR"), ("Turkey", "TUR"), ("Polish", "POL"),
])
def test_ambiguous_forms_are_flagged_not_dropped(lex, text, iso3):
    found = (lex.country_by_name(text) or lex.country_by_adjective(text) or lex.country_by_capital(text))
    assert found is not None and found.iso3 == iso3
    assert found.ambiguous, f"{text} should carry an ambiguity flag"


def test_unambiguous_forms_are_not_flagged(lex):
    for found in (lex.country_by_name("North Korea"), lex.country_by_adjective("Russian"),
                  lex.country_by_capital("Pyongyang")):
        assert found is not None and not found.ambiguous


def test_entries_name_their_source(lex):
    assert lex.country_by_adjective("Russian").entry == "CountryInfo:RUS:Nationality"
    assert lex.country_by_capital("Pyongyang").entry == "CountryInfo:PRK:Capital"
    assert lex.country_by_capital("Kyiv").entry.startswith(("CountryInfo:UKR", "countries_extra.tsv:"))
    assert lex.seat("the Kremlin").entry.startswith("seats.tsv:")
    assert "Phoenix.agents.txt:" in lex.agent("professor").entry


def test_country_name(lex):
    assert lex.country_name("PRK") == "North Korea"
    assert lex.country_name("usa") == "United States"
    assert lex.country_name("RUS") == "Russia"
    assert lex.country_name("XYZ") is None


@pytest.mark.parametrize("text, iso3, sector", [
    ("the Kremlin", "RUS", "GOV"), ("The White House", "USA", "GOV"), ("the Pentagon", "USA", "MIL"),
    ("State Department", "USA", "GOV"), ("Downing Street", "GBR", "GOV"), ("Whitehall", "GBR", "GOV"),
    ("the Élysée", "FRA", "GOV"), ("the Elysee", "FRA", "GOV"), ("the Blue House", "KOR", "GOV"),
    ("Zhongnanhai", "CHN", "GOV"), ("Capitol Hill", "USA", "LEG"), ("the Quai d’Orsay", "FRA", "GOV"),
    ("the Bundestag", "DEU", "LEG"), ("the Duma", "RUS", "LEG"), ("the Knesset", "ISR", "LEG"),
])
def test_seats(lex, text, iso3, sector):
    found = lex.seat(text)
    assert found is not None and found.iso3 == iso3 and found.sectors[0] == sector, (text, found)


def test_seat_unknown(lex):
    assert lex.seat("the Garden Shed") is None


@pytest.mark.parametrize("phrase, sectors, role", [
    ("Defense Minister", ("GOV", "MIL"), "defense_minister"),
    ("defence minister", ("GOV", "MIL"), "defense_minister"),
    ("defense ministers", ("GOV", "MIL"), "defense_minister"),
    ("professor", ("EDU",), None),
    ("president", ("GOV",), "head_of_state"),
    ("Prime Minister", ("GOV",), "head_of_government"),
    ("foreign minister", ("GOV",), "foreign_minister"),
    ("national security advisor", ("GOV", "MIL"), "national_security_advisor"),
    ("national security adviser", ("GOV", "MIL"), "national_security_advisor"),
    ("supreme leader", ("GOV",), "head_of_state"),
    ("leader", ("GOV",), "leader"),
    # Phoenix codes spokes-people MED; they speak for governments and bodies, so the curated file says GOV.
    ("spokesman", ("GOV",), "spokesperson"),
    ("spokeswoman", ("GOV",), "spokesperson"),
    ("spokesperson", ("GOV",), "spokesperson"),
    ("officials", ("GOV",), None),
    ("diplomat", ("GOV",), None),
    ("troops", ("MIL",), None),
    ("army", ("MIL",), None),
    ("armed forces", ("MIL",), None),
    ("police", ("COP",), None),
    ("rebels", ("REB",), None),
    ("journalist", ("MED",), None),
    ("news agency", ("MED",), None),
    ("newspaper", ("MED",), None),
])
def test_agents(lex, phrase, sectors, role):
    found = lex.agent(phrase)
    assert found is not None, phrase
    assert found.sectors[: len(sectors)] == sectors and found.role == role, (phrase, found)


def test_agent_plurals_and_macros(lex):
    assert lex.agent("spokesmen").role == "spokesperson"  # !PERSON! macro expansion
    assert lex.agent("policemen").sectors == ("COP",)
    assert lex.agent("health ministry").sectors[0] == "GOV"  # MINIST stem expansion
    assert lex.agent("professors").sectors == ("EDU",)
    assert lex.agent("vice-president").role == "vice_president"
    assert lex.agent("banana") is None and lex.agent("") is None


def test_agent_suffix(lex):
    count, entry = lex.agent_suffix(["kookmin", "university", "professor"])
    assert (count, entry.phrase) == (1, "professor")
    count, entry = lex.agent_suffix(["Russian", "Defense", "Minister"])
    assert (count, entry.role) == (2, "defense_minister")
    assert lex.agent_suffix(["the", "cat"]) is None
    assert lex.agent_suffix([]) is None


@pytest.mark.parametrize("text, country, sector", [
    ("UN Security Council", "IGO", "IGO"), ("the U.N. Security Council", "IGO", "IGO"),
    ("United Nations", "IGO", "IGO"), ("NATO", "IGO", "IGO"), ("the European Union", "IGO", "IGO"),
    ("IAEA", "IGO", "IGO"), ("KCNA", "PRK", "MED"), ("Korean Central News Agency", "PRK", "MED"),
    ("Yonhap", "KOR", "MED"), ("The New York Times", "USA", "MED"), ("New York Times", "USA", "MED"),
    ("TASS", "RUS", "MED"), ("Xinhua", "CHN", "MED"), ("Reuters", "GBR", "MED"), ("Associated Press", "USA", "MED"),
    ("AFP", "FRA", "MED"), ("Al Jazeera", "QAT", "MED"), ("Hamas", "PSE", "REB"),
    ("Amnesty International", "NGO", "NGO"),
])
def test_organisations(lex, text, country, sector):
    found = lex.organisation(text)
    assert found is not None, text
    assert found.country == country and found.sectors[0] == sector, (text, found)
    assert found.entry


def test_phoenix_organisations_are_loaded_but_not_people(lex):
    found = lex.organisation("International Court of Justice")
    assert found is not None and found.country == "IGO"
    assert lex.organisation("Kofi Annan") is None  # a person with a dated role, not an organisation
    assert lex.organisation("Ban Ki-moon") is None


def test_bad_input_never_raises(lex):
    for call in (lex.country_by_name, lex.country_by_adjective, lex.country_by_capital, lex.seat, lex.agent,
                 lex.organisation, lex.country_name):
        assert call(None) is None  # type: ignore[arg-type]
        assert call("") is None
        assert call("   ") is None
    assert lex.agent_suffix(None) is None  # type: ignore[arg-type]


def test_normalize():
    assert normalize("The  Quai d’Orsay") == "quai d'orsay"
    assert normalize("Élysée") == "elysee"


def test_lexicon_is_cached():
    assert lexicon() is lexicon()


def test_data_files_have_comment_and_header():
    data = REPO / "src" / "tidings" / "data"
    for name in (*BUILT, "countries_extra.tsv", "agents_extra.tsv", "organisations_extra.tsv", "seats.tsv",
                 "media.tsv", "org_name_words.tsv"):
        lines = (data / name).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("#"), name
        header = next(line for line in lines if not line.startswith("#"))
        width = len(header.split("\t"))
        rows = [line for line in lines if line and not line.startswith("#")][1:]
        assert rows and all(len(row.split("\t")) == width for row in rows), name


def test_build_script_reproduces_committed_files(tmp_path: Path):
    need_shared(SHARED / "data" / "countryinfo" / "CountryInfo.120116.txt")
    script = REPO / "scripts" / "build_lexicons.py"
    done = subprocess.run([sys.executable, str(script), "--shared", str(SHARED / "data"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for name in BUILT:
        committed = (REPO / "src" / "tidings" / "data" / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, f"{name} is stale: rerun the script"
