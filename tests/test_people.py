"""The people lexicon: names, dated roles and office holders (src/tidings/actors/people.py and its data)."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tidings.actors.people import RolePeriod, name_key, parse_date, people
from tidings.datafiles import DATA, read_tsv

from conftest import REPO, SHARED, need_shared

D = date.fromisoformat


@pytest.fixture(scope="module")
def index():
    return people()


def one(index, name: str):
    found = index.find(name)
    assert found, f"{name!r} not found"
    return found[0]


def holder_name(index, country: str, role: str, on: str | None) -> str | None:
    person = index.holder(country, role, D(on) if on else None)
    return person.name if person else None


# -- offices on dates -------------------------------------------------------------------------------


def test_putin_head_of_state_2023_and_head_of_government_2010(index):
    assert holder_name(index, "RUS", "head_of_state", "2023-09-06") == "Vladimir Putin"
    assert holder_name(index, "RUS", "head_of_government", "2010-01-01") == "Vladimir Putin"
    putin = one(index, "Vladimir Putin")
    assert index.role_on(putin, D("2023-09-06")).role == "head_of_state"
    assert index.role_on(putin, D("2010-01-01")).role == "head_of_government"
    assert holder_name(index, "RUS", "head_of_state", "2010-01-01") == "Dmitry Medvedev"


def test_shoigu_defense_minister_until_may_2024(index):
    shoigu = one(index, "Sergei Shoigu")
    period = index.role_on(shoigu, D("2023-09-06"))
    assert (period.role, period.country) == ("defense_minister", "RUS")
    assert "MIL" in period.sectors
    later = index.role_on(shoigu, D("2024-06-01"))
    assert later is not None and later.role != "defense_minister"
    assert holder_name(index, "RUS", "defense_minister", "2023-09-06") == "Sergei Shoigu"
    assert holder_name(index, "RUS", "defense_minister", "2024-06-01") not in {None, "Sergei Shoigu"}


def test_kim_jong_un_heads_north_korea_in_2023(index):
    assert holder_name(index, "PRK", "head_of_state", "2023-09-06") == "Kim Jong Un"
    # He is also party leader then; the office listed first (head of state) is the one reported.
    assert index.role_on(one(index, "Kim Jong-un"), D("2023-09-06")).role == "head_of_state"
    assert holder_name(index, "PRK", "head_of_state", "2010-06-01") == "Kim Jong Il"


def test_jake_sullivan_us_national_security_advisor_2023(index):
    assert holder_name(index, "USA", "national_security_advisor", "2023-06-01") == "Jake Sullivan"
    assert holder_name(index, "USA", "national_security_advisor", "2026-01-01") != "Jake Sullivan"


def test_john_kirby_us_government_spokesperson_2023(index):
    kirby = one(index, "John Kirby")
    period = index.role_on(kirby, D("2023-09-06"))
    assert period.country == "USA"
    assert "GOV" in period.sectors
    assert period.role == "spokesperson"


@pytest.mark.parametrize("on, president", [
    ("2018-06-01", "Donald Trump"),
    ("2023-06-01", "Joe Biden"),
    ("2025-06-01", "Donald Trump"),
    ("2012-06-01", "Barack Obama"),
])
def test_us_president_by_date(index, on, president):
    assert holder_name(index, "USA", "head_of_state", on) == president


@pytest.mark.parametrize("on, prime_minister", [
    ("2011-06-01", "David Cameron"),
    ("2017-01-01", "Theresa May"),
    ("2020-01-01", "Boris Johnson"),
    ("2022-10-01", "Liz Truss"),
    ("2023-06-01", "Rishi Sunak"),
    ("2025-01-01", "Keir Starmer"),
])
def test_uk_prime_minister_by_date(index, on, prime_minister):
    assert holder_name(index, "GBR", "head_of_government", on) == prime_minister


def test_holder_none_for_unknown_role_or_country(index):
    assert index.holder("RUS", "chief_astrologer", D("2023-09-06")) is None
    assert index.holder("XXX", "head_of_state", D("2023-09-06")) is None
    assert index.holder(None, None, None) is None  # type: ignore[arg-type]


def test_holder_without_date_is_the_current_one(index):
    assert holder_name(index, "RUS", "head_of_state", None) == "Vladimir Putin"


def test_stale_2014_source_periods_do_not_claim_later_dates(index):
    # CountryInfo lists Croatia's president of 2000-2010 as "in office"; that is no evidence for 2023.
    assert index.holder("HRV", "head_of_state", D("2023-01-01")) is None
    period = RolePeriod("head_of_state", "HRV", ("GOV",), D("2000-02-18"), None, "x", open_from_source=True)
    assert period.covers(D("2005-01-01")) and not period.covers(D("2020-01-01"))


# -- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "Zelenskyy", "Zelensky", "Zelenskiy", "Volodymyr Zelensky", "Volodymyr Zelenskyy", "VOLODYMYR ZELENSKIY",
])
def test_zelenskyy_spellings(index, spelling):
    found = index.find(spelling, on=D("2023-09-06"))
    assert found and found[0].id == "volodymyr-zelenskyy"
    assert index.role_on(found[0], D("2023-09-06")).role == "head_of_state"


@pytest.mark.parametrize("a, b", [
    ("Kim Jong-un", "Kim Jong Un"),
    ("kim jong-UN", "Kim Jong Un"),
    ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"),
    ("Andres Manuel Lopez Obrador", "Andrés Manuel López Obrador"),
    ("Jean Yves Le Drian", "Jean-Yves Le Drian"),
    ("H.R. McMaster", "H. R. McMaster"),
])
def test_name_matching_ignores_case_accents_hyphens_dots(index, a, b):
    assert name_key(a) == name_key(b)
    assert [p.id for p in index.find(a)][:1] == [p.id for p in index.find(b)][:1] != []


def test_transliteration_variants_and_lexicon_merge(index):
    # "Sergey Shoygu" comes from the 2014 lexicon, "Sergei Shoigu" from the curated file: one person.
    assert one(index, "Sergey Shoygu").id == one(index, "Sergei Shoigu").id == one(index, "Shoygu").id
    assert index.find("Shoigu")[0].name == "Sergei Shoigu"


def test_by_surname_prefers_people_in_office(index):
    assert index.by_surname("Shoigu", D("2023-09-06"))[0].name == "Sergei Shoigu"
    assert index.by_surname("Lavrov", D("2023-09-06"))[0].name == "Sergei Lavrov"
    assert index.by_surname("Kim", D("2023-09-06"))[0].name == "Kim Jong Un"
    assert index.by_surname("Lee", D("2010-06-01"))[0].name == "Lee Myung-bak"
    assert index.by_surname("Lee", D("2025-08-01"))[0].name == "Lee Jae-myung"
    assert index.by_surname("López Obrador")[0].name == "Andrés Manuel López Obrador"
    assert index.by_surname("Jong Un") == [] or index.by_surname("Jong Un")[0].name == "Kim Jong Un"


def test_find_ranks_by_date(index):
    lees = [p.name for p in index.find("Lee", on=D("2025-08-01"))]
    assert lees[0] == "Lee Jae-myung" and "Lee Myung-bak" in lees


def test_bad_input_does_not_raise(index):
    assert index.find("") == []
    assert index.find("   ") == []
    assert index.find(None) == []  # type: ignore[arg-type]
    assert index.by_surname("--") == []
    assert index.find("Nobody Atall Zzyzx") == []


# -- role_on rules ----------------------------------------------------------------------------------


def test_role_on_falls_back_to_latest_before_then_first(index):
    putin = one(index, "Vladimir Putin")
    assert index.role_on(putin, D("1800-01-01")) == min(
        (p for p in putin.periods if p.start), key=lambda p: p.start)
    biden = one(index, "Joe Biden")
    after = index.role_on(biden, D("2026-01-01"))
    assert after.role in {"head_of_state", "head_of_government"} and after.end == D("2025-01-20")


def test_concurrent_offices_report_the_first_listed(index):
    hwang = one(index, "Hwang Kyo-ahn")
    assert index.role_on(hwang, D("2017-01-15")).role == "acting_head_of_state"
    assert index.role_on(hwang, D("2016-01-15")).role == "head_of_government"


def test_curated_rows_take_precedence(index):
    putin = one(index, "Vladimir Putin")
    assert index.role_on(putin, D("2005-01-01")).entry.startswith("roles_curated.tsv:")
    # The 2014 lexicon's open-ended "prime minister since 2008" overlaps the curated rows and is dropped.
    assert not any(p.open_from_source and p.role == "head_of_government" for p in putin.periods)


def test_partial_dates():
    assert parse_date("2022-05") == D("2022-05-01")
    assert parse_date("2022-05", as_end=True) == D("2022-05-31")
    assert parse_date("2024", as_end=True) == D("2024-12-31")
    assert parse_date("2024-02-30") is None
    assert parse_date("soon") is None


# -- the data files ---------------------------------------------------------------------------------

SINGLE_HOLDER_ROLES = {"head_of_state", "head_of_government", "foreign_minister", "defense_minister"}


def test_curated_rows_are_well_formed_and_single_offices_do_not_overlap():
    rows = read_tsv("roles_curated.tsv")
    assert len(rows) >= 300
    periods: dict[tuple[str, str], list[tuple[date, date, str, int]]] = {}
    for row in rows:
        where = f"roles_curated.tsv:{row['_line']}"
        assert row["id"] and row["name"] and row["role"], where
        assert len(row["country"]) == 3 and row["country"].isupper(), where
        start, end = parse_date(row["start"]), parse_date(row["end"], as_end=True)
        assert start is not None, where
        assert row["end"] == "" or (end is not None and start <= end), where
        if row["role"] in SINGLE_HOLDER_ROLES and row["country"] != "IGO":
            # a handover known only to the month (or year) may overlap by that much
            slack = {10: 1, 7: 31}.get(len(row["start"]), 366) if len(row["end"]) in (0, 10) else (
                31 if len(row["end"]) == 7 else 366)
            periods.setdefault((row["country"], row["role"]), []).append((start, end or date.max, row["id"], slack))
    for office, spans in periods.items():
        for (s1, e1, p1, k1), (s2, e2, p2, k2) in itertools.combinations(sorted(spans), 2):
            if p1 != p2:
                overlap = min(e1, e2) - max(s1, s2)
                assert overlap <= timedelta(days=max(k1, k2)), f"{office}: {p1} and {p2} overlap"


def test_curated_scope_covers_g20_and_more(index):
    for country in "ARG AUS BRA CAN CHN DEU FRA GBR IDN IND ITA JPN KOR MEX RUS SAU TUR USA ZAF PRK UKR IRN".split():
        for role in ("head_of_state", "head_of_government", "foreign_minister", "defense_minister"):
            if (country, role) in {("CAN", "head_of_state"), ("AUS", "head_of_state")}:
                continue  # the monarch, listed under GBR/AUS/CAN alike
            assert index.holder(country, role, D("2023-09-06")), (country, role)


def test_people_tsv_rows_from_the_2014_lexicon():
    rows = [r for r in read_tsv("people.tsv") if r["id"] == "sergey-shoygu"]
    assert rows and rows[0]["name"] == "Sergey Shoygu"
    assert rows[0]["entry"].startswith("Phoenix.Countries.actors.txt:")
    assert rows[0]["sectors"] == "GOV|MIL" and rows[0]["open_from_source"] == "true" and rows[0]["end"] == ""
    putin = [r for r in read_tsv("people.tsv") if r["id"] == "vladimir-putin"]
    assert {"head_of_state", "head_of_government"} <= {r["role"] for r in putin}
    assert all(not any(w.isupper() and len(w) > 3 for w in r["name"].split()) for r in putin)


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_people", REPO / "scripts" / "build_people.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_build_helpers():
    build = _load_build_script()
    assert build.display_name("SERGEY_SHOYGU_") == "Sergey Shoygu"
    assert build.display_name("BASHAR_AL-ASSAD") == "Bashar al-Assad"
    assert build.display_name("CRISTINA_FERNANDEZ_DE_KIRCHNER_") == "Cristina Fernandez de Kirchner"
    assert build.display_name("JOHN_MCCAIN") == "John McCain"
    assert build.parse_source_date("000507") == D("2000-05-07")
    assert build.parse_source_date("320101") == D("1932-01-01")
    assert build.parse_source_date("20040231") == D("2004-02-29")
    assert build.role_for_title("Minister of Defense") == "defense_minister"
    assert build.role_for_title("Deputy Prime Minister") == "deputy_head_of_government"
    assert build.role_for_title("Prime ministers") == "head_of_government"
    assert build.role_for_title("Presidents") == "head_of_state"
    assert build.role_for_title("Minister of State for Foreign Affairs") == "deputy_minister"
    assert build.role_for_title("Governor, Central Bank") == "central_bank_governor"
    assert build.is_title_form("PRESIDENT_VLADIMIR_PUTIN_") and not build.is_title_form("VLADIMIR_PUTIN_")


def test_build_script_reproduces_people_tsv(tmp_path: Path):
    need_shared(SHARED / "data" / "petrarch2-dictionaries" / "Phoenix.Countries.actors.txt")
    build = _load_build_script()
    out = tmp_path / "people.tsv"
    assert build.main(["--shared", str(SHARED), "--out", str(out)]) == 0
    assert out.read_bytes() == (DATA / "people.tsv").read_bytes()


def test_near_spellings_find_the_person():
    from tidings.actors.people import people

    assert [p.name for p in people().similar("Francois Mitterand")][:1] == ["Francois Mitterrand"]
    assert people().similar("John Smithson") == []
    assert people().similar("Putin") == []  # one word: too little to go on
