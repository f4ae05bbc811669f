"""Score tidings' places stage against GeoWebNews (Gritta, Pilehvar & Collier 2019).

The reference set (``geo/GWN.xml`` in ``../shared/data``) holds 200 news articles whose toponyms are
annotated with character spans; those geocoded to GeoNames carry a point (lat/lon). Those geocoded
toponyms are the gold here (the same set ``gwn_full.txt`` lists); the toponyms with a point but no GeoNames
id (streets, shops) only count as "a real toponym" when judging the precision of tidings' places.

How it is scored (:func:`score_articles`):

* each article's text is parsed as is (``nlp.pipe``) and :func:`tidings.places.find_places` runs on it;
* a gold toponym is matched by the system place whose span overlaps it most;
* ``within_161km``: gold toponyms whose matched place lies within 161 km (100 miles) of the gold point, over
  ALL gold toponyms (a missed toponym is a miss); ``within_161km_matched`` the same over matched ones;
* ``country_accuracy``: over matched gold toponyms that lie inside a country, the share whose place has
  that country. The gold country is the country of the nearest gazetteer city within 50 km of the gold
  point, else the country the gold name denotes when it is a country's name ("Syrian Arab Republic");
  gold points with neither (seas, deserts, a continent) are left out (see :func:`gold_country`);
* ``precision``: system places that overlap some annotated toponym with a point, over all system places;
* ``misses``: each gold toponym not within 161 km, by cause (``not_recognised``: no place and no place-like
  entity over it; ``no_candidate``: spaCy tagged it GPE/LOC/FAC/NORP but no gazetteer entry was found;
  ``wrong_candidate``: a place was found but is more than 161 km away) and by kind (demonym, abbreviation,
  spelling variant, state/region, water body, point of interest, other; see :func:`miss_kind`), each with
  its share of all misses.

Entry point: :func:`evaluate_geowebnews`.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.places import country_centroid, fold, lookup_country, nearest_city_country

from .shared import shared_data

XML_NAME = "GWN.xml"
WITHIN_KM = 161.0
COUNTRY_RADIUS_KM = 50.0
NAMED_COUNTRY_RADIUS_KM = 1500.0
ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
EXAMPLES_PER_CAUSE = 8

# Words that mark the gold toponym's kind in its GeoNames name (for the miss breakdown only).
WATER_WORDS = frozenset("sea ocean river lake gulf bay strait channel creek lagoon canal sound".split())
POI_WORDS = frozenset(("street road avenue boulevard square park church cathedral airport station bridge hospital "
                       "university college school stadium hotel museum building tower palace market mall prison "
                       "base port harbor harbour center centre hall library temple mosque house plaza").split())
REGION_WORDS = frozenset(("county province state region district oblast governorate prefecture department "
                          "territory municipality parish borough emirate canton shire").split())


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    surface: str
    name: str  # GeoNames name ("Syrian Arab Republic")
    lat: float
    lon: float
    type: str  # GWN type: Literal, Metonymic, Non_Literal_Modifier, ...
    modifier: str  # Adjective, Noun or ""
    geocoded: bool  # has a GeoNames id (the gold set); False: a point only (streets, shops)


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]

    @property
    def gold(self) -> list[GoldToponym]:
        return [t for t in self.toponyms if t.geocoded]


def default_data_dir() -> Path:
    """``../shared/data/geo`` beside the repository."""
    return shared_data("geo")


def _text(node: ET.Element, tag: str) -> str:
    child = node.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _aligned(text: str, start: int, end: int, surface: str) -> tuple[int, int] | None:
    """The gold span, moved to the nearest occurrence of its surface when the offsets are off (a few are)."""
    if text[start:end] == surface:
        return start, end
    hits = [m.start() for m in re.finditer(re.escape(surface), text)] if surface else []
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - start))
    return best, best + len(surface)


def load_articles(data_dir: Path) -> list[GoldArticle]:
    """Parse ``GWN.xml``; raises ValueError when the file is absent or not GeoWebNews XML."""
    path = Path(data_dir) / XML_NAME if Path(data_dir).is_dir() else Path(data_dir)
    if not path.is_file():
        raise ValueError(f"{path}: GeoWebNews file not found (expected {XML_NAME} in the data folder)")
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - trusted local evaluation corpus
    except ET.ParseError as error:
        raise ValueError(f"{path}: not valid XML ({error})") from None
    articles: list[GoldArticle] = []
    for number, node in enumerate(root.iter("article")):
        text_node = node.find("text")
        text = text_node.text if text_node is not None and text_node.text else ""
        toponyms: list[GoldToponym] = []
        for item in node.iter("toponym"):
            lat, lon = _text(item, "latitude"), _text(item, "longitude")
            if not lat or not lon:
                continue
            try:
                start, end, lat_f, lon_f = int(_text(item, "start")), int(_text(item, "end")), float(lat), float(lon)
            except ValueError:
                continue
            surface = _text(item, "extractedName")
            span = _aligned(text, start, end, surface)
            if span is None:
                continue
            toponyms.append(GoldToponym(span[0], span[1], surface, _text(item, "normalisedName") or surface, lat_f,
                                        lon_f, _text(item, "type"), _text(item, "modifierType"),
                                        bool(_text(item, "geonamesID"))))
        articles.append(GoldArticle(node.get("file", str(number)), text, tuple(toponyms)))
    if not articles:
        raise ValueError(f"{path}: no <article> elements")
    return articles


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def gold_country(toponym: GoldToponym) -> str | None:
    """The country a gold toponym lies in: the nearest gazetteer city's within 50 km, else the country its
    name denotes when that country's centre is within 1,500 km of the point (so the US state "Georgia"
    never counts as the country)."""
    near = nearest_city_country(toponym.lat, toponym.lon, COUNTRY_RADIUS_KM)
    if near is not None:
        return near
    named = lookup_country(toponym.name)
    centre = country_centroid(named) if named else None
    if centre is not None and haversine_km(toponym.lat, toponym.lon, *centre) <= NAMED_COUNTRY_RADIUS_KM:
        return named
    return None


def miss_kind(toponym: GoldToponym) -> str:
    """What kind of name a gold toponym is, to say which kinds tidings misses (first rule that fits)."""
    surface, name = toponym.surface.strip(), toponym.name
    name_words = set(fold(name).split())
    letters = surface.replace(".", "").replace(" ", "")
    if toponym.modifier == "Adjective" or re.search(r"(?:an|ans|ish|ese|ic|i|ch)$", surface) and \
            not fold(name).startswith(fold(surface)) and lookup_country(name):
        return "demonym"
    if letters.isupper() and 2 <= len(letters) <= 5:
        return "abbreviation"
    if name_words & WATER_WORDS:
        return "water_body"
    if name_words & POI_WORDS or set(fold(surface).split()) & POI_WORDS:
        return "point_of_interest"
    if name_words & REGION_WORDS:
        return "state_region"
    if fold(surface) not in fold(name) and fold(name) not in fold(surface):
        return "spelling_variant"
    return "other"


@dataclass
class SystemPlace:
    """The part of a tidings Place the scorer needs (so hand-made cases need no spaCy)."""

    start: int
    end: int
    country: str | None
    lat: float | None
    lon: float | None
    name: str = ""


@dataclass
class Tally:
    gold: int = 0
    matched: int = 0
    within: int = 0
    country_judged: int = 0
    country_right: int = 0
    system: int = 0
    system_true: int = 0
    causes: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    cause_kinds: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def score_article(article: GoldArticle, places: Iterable[SystemPlace], entity_spans: Iterable[tuple[int, int]],
                  tally: Tally) -> None:
    """Add one article's figures to ``tally``. ``entity_spans``: spans of place-like NER entities."""
    places = [p for p in places if p.lat is not None and p.lon is not None]
    entity_spans = list(entity_spans)
    tally.system += len(places)
    tally.system_true += sum(1 for p in places if any(_overlap(p.start, p.end, t.start, t.end) for t in article.toponyms))
    for toponym in article.gold:
        tally.gold += 1
        best = max(places, key=lambda p: _overlap(p.start, p.end, toponym.start, toponym.end), default=None)
        if best is not None and not _overlap(best.start, best.end, toponym.start, toponym.end):
            best = None
        if best is not None:
            tally.matched += 1
            country = gold_country(toponym)
            if country is not None:
                tally.country_judged += 1
                tally.country_right += int(best.country == country)
            if haversine_km(toponym.lat, toponym.lon, best.lat, best.lon) <= WITHIN_KM:  # type: ignore[arg-type]
                tally.within += 1
                continue
            cause = "wrong_candidate"
        elif any(_overlap(s, e, toponym.start, toponym.end) for s, e in entity_spans):
            cause = "no_candidate"
        else:
            cause = "not_recognised"
        kind = miss_kind(toponym)
        tally.causes[cause] += 1
        tally.kinds[kind] += 1
        tally.cause_kinds[f"{cause}/{kind}"] += 1
        shown = tally.examples.setdefault(cause, [])
        if len(shown) < EXAMPLES_PER_CAUSE:
            got = f" -> {best.name} ({best.country})" if best is not None else ""
            shown.append(f"{toponym.surface} [{toponym.name}]{got}")


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def figures(tally: Tally) -> dict[str, Any]:
    misses = sum(tally.causes.values())
    return {
        "n_gold": tally.gold,
        "n_system": tally.system,
        "n_matched": tally.matched,
        "within_161km": _share(tally.within, tally.gold),
        "within_161km_matched": _share(tally.within, tally.matched),
        "recall": _share(tally.matched, tally.gold),
        "precision": _share(tally.system_true, tally.system),
        "country_accuracy": _share(tally.country_right, tally.country_judged),
        "country_judged": tally.country_judged,
        "n_misses": misses,
        "misses_by_cause": {k: {"n": n, "share": _share(n, misses)} for k, n in tally.causes.most_common()},
        "misses_by_kind": {k: {"n": n, "share": _share(n, misses)} for k, n in tally.kinds.most_common()},
        "misses_by_cause_and_kind": dict(tally.cause_kinds.most_common()),
        "miss_examples": tally.examples,
    }


def evaluate_geowebnews(data_dir: Path, limit: int | None = None, nlp: Any = None) -> dict[str, Any]:
    """Run the places stage over GeoWebNews in ``data_dir`` (``limit``: the first N articles) and score it.

    Raises ValueError when the data is absent or malformed.
    """
    from tidings.nlp import load_nlp
    from tidings.places import find_places

    articles = load_articles(Path(data_dir))
    if limit is not None:
        articles = articles[:max(0, limit)]
    nlp = nlp or load_nlp()
    tally = Tally()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles)):
        try:
            places = [SystemPlace(p.start, p.end, p.country, p.lat, p.lon, p.name) for p in find_places(doc)]
        except Exception:  # noqa: BLE001 - one odd article scores as "nothing found", never stops the run
            places = []
        spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ENTITY_LABELS]
        score_article(article, places, spans, tally)
    result = figures(tally)
    result["n_articles"] = len(articles)
    return result


def render(result: dict[str, Any]) -> str:
    """A short human-readable summary of :func:`evaluate_geowebnews`'s figures."""
    lines = [
        f"GeoWebNews: {result.get('n_articles', 0)} articles, {result['n_gold']} gold toponyms, "
        f"{result['n_system']} system places",
        f"  within 161 km (all gold):   {result['within_161km']:.1%}",
        f"  within 161 km (matched):    {result['within_161km_matched']:.1%}",
        f"  recall / precision:         {result['recall']:.1%} / {result['precision']:.1%}",
        f"  country accuracy:           {result['country_accuracy']:.1%} of {result['country_judged']}",
        f"  misses: {result['n_misses']}",
    ]
    for title, key in (("by cause", "misses_by_cause"), ("by kind", "misses_by_kind")):
        lines.append(f"  {title}: " + ", ".join(f"{k} {v['n']} ({v['share']:.0%})" for k, v in result[key].items()))
    for cause, examples in result["miss_examples"].items():
        lines.append(f"  e.g. {cause}: " + "; ".join(examples[:4]))
    return "\n".join(lines)


__all__ = ["evaluate_geowebnews", "load_articles", "score_article", "figures", "render", "default_data_dir",
           "gold_country", "miss_kind", "GoldArticle", "GoldToponym", "SystemPlace", "Tally"]
