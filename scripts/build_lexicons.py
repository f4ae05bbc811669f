"""Build the actor lexicons tidings ships (countries, agents, organisations) from the reference data.

Reads ``../shared/data/countryinfo/CountryInfo.120116.txt`` and the PETRARCH2 Phoenix dictionaries
(``Phoenix.agents.txt``, ``Phoenix.International.actors.txt``, ``Phoenix.MilNonState.actors.txt``), merges the
hand-curated files in ``src/tidings/data`` (``countries_extra.tsv``, ``agents_extra.tsv``,
``organisations_extra.tsv``, ``org_name_words.tsv``) and writes ``countries.tsv``, ``agents.tsv`` and
``organisations.tsv``. The output is deterministic, so running the script again reproduces the committed files.

    python scripts/build_lexicons.py [--shared ../shared/data] [--out src/tidings/data]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from tidings.datafiles import read_tsv_path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "tidings" / "data"
SHARED_DATA = REPO.parent / "shared" / "data"

# Lowercase particles inside proper names ("Republic of the Congo", "Bosnia and Herzegovina").
PARTICLES = {"of", "the", "and", "for", "in", "on", "to", "at", "de", "du", "da", "la", "le", "des", "del", "d'", "van", "von", "y", "al"}


# --------------------------------------------------------------------------------------------- shared helpers

def fold(text: str) -> str:
    """The comparison key used to find duplicates: no accents, lowercase, straight apostrophes, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def org_key(name: str) -> str:
    """Duplicate key for organisation names: "The Security Council" and "Security Council" are one."""
    return re.sub(r"^the ", "", fold(name))


def tsv_row(*cells: str) -> str:
    return "\t".join(cell.replace("\t", " ") for cell in cells)


def write_tsv(path: Path, comments: list[str], header: list[str], rows: list[list[str]]) -> None:
    lines = [f"# {line}" if line else "#" for line in comments] + [tsv_row(*header)]
    lines += [tsv_row(*row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_curated(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a curated TSV (``#`` comment lines, then a header) with their 1-based line numbers."""
    rows = []
    for row in read_tsv_path(path):
        number = int(row.pop("_line"))
        rows.append((number, row))
    return rows


def proper_case(raw: str) -> str:
    """Turn a CountryInfo/Phoenix form (``NORTH_KOREA_``, ``PEOPLE'S``, ``U.S.``) into proper case."""
    words = raw.replace("_", " ").split()
    out: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        letters = re.sub(r"[^A-Za-z]", "", word)
        if "." in word and all(len(part) <= 1 for part in word.split(".")):
            out.append(word.upper())  # U.S., D.P.R.K.
        elif letters and (not re.search(r"[AEIOUY]", letters.upper()) or (len(words) == 1 and len(letters) <= 3)
                          or (len(words) > 1 and len(letters) <= 2 and lower not in PARTICLES)):
            out.append(word.upper())  # acronyms: DPRK, USA, DR (Congo)
        elif index > 0 and lower in PARTICLES:
            out.append(lower)
        else:
            out.append("-".join(_cap(part) for part in word.split("-")))
    return " ".join(out)


def _cap(part: str) -> str:
    """Capitalise one hyphen-free word, keeping "People's" (not "People'S") and "al-"-style prefixes sane."""
    if not part:
        return part
    lower = part.lower()
    if lower.startswith("d'") and len(lower) > 2:
        return "d'" + lower[2:].capitalize()
    return lower[0].upper() + lower[1:]


# --------------------------------------------------------------------------------------------------- countries

@dataclass
class Form:
    iso3: str
    form: str
    kind: str  # name | adjective | capital
    source: str
    ambiguous: str = ""


@dataclass
class Country:
    iso3: str
    name: str
    forms: list[Form] = field(default_factory=list)


def parse_countryinfo(path: Path) -> list[dict[str, object]]:
    """Each <Country> block as {code, name, nationality: [...], capital: [...]}, comments stripped."""
    text = path.read_text(encoding="utf-8", errors="replace")
    # "#" starts a comment on any line. <Comment> wrappers are kept: the file uses them around the former
    # Yugoslavia, whose successor states (BIH, SVN, MNE, KSV) are real countries; countries_extra.tsv fixes them.
    text = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    blocks = re.findall(r"^<Country>[ \t]*$(.*?)^</Country>", text, re.S | re.M)  # not the "<Country>:" docs
    countries = []
    for block in blocks:
        def tag(name: str) -> str:
            match = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
            return match.group(1) if match else ""

        iso3 = country_code(tag("CountryCode").strip(), tag("ISO3166-alpha3").strip(),
                            tag("ISO3166-alpha2").strip(), proper_case(tag("CountryName").strip()))
        if iso3 is None:
            continue

        def items(name: str) -> list[str]:
            lines = (line.split("#", 1)[0].strip() for line in tag(name).splitlines())
            return [line for line in lines if line]

        countries.append({"iso3": iso3, "name": tag("CountryName").strip(),
                          "nationality": items("Nationality"), "capital": items("Capital")})
    return countries


def country_code(cameo: str, alpha3: str, alpha2: str, name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a CountryInfo block, which has wrong codes in places (JAPAN has
    ISO3166-alpha3 JON, GUATEMALA GLP, GUINEA PNG): first a code whose ISO name is the block's name, then a code
    that two of the three code fields agree on."""
    by_alpha2 = pycountry.countries.get(alpha_2=alpha2) if re.fullmatch(r"[A-Z]{2}", alpha2) else None
    from_alpha2 = by_alpha2.alpha_3 if by_alpha2 else None
    valid = {c for c in (cameo, alpha3) if re.fullmatch(r"[A-Z]{3}", c) and pycountry.countries.get(alpha_3=c)}
    for code in sorted(valid | ({from_alpha2} if from_alpha2 else set())):
        record = pycountry.countries.get(alpha_3=code)
        names = [getattr(record, attr, None) or "" for attr in ("name", "common_name", "official_name")]
        if fold(name) in {fold(n) for n in names}:
            return code
    if from_alpha2 and from_alpha2 in valid:
        return from_alpha2
    if cameo in valid:
        return cameo
    if alpha3 in valid:
        return alpha3
    if from_alpha2:
        return from_alpha2
    return alpha3 if re.fullmatch(r"[A-Z]{3}", alpha3) else None  # e.g. KSV (Kosovo has no ISO code)


def usable(raw: str) -> bool:
    """Drop CountryInfo forms that are disambiguation titles, codes or broken text, not words used in news."""
    if re.search(r"[(),&0-9\ufffd/:;]", raw):
        return False
    words = raw.strip("_").split("_")
    return 0 < len(words) <= 5 and len(raw.strip("_.")) >= 2


def pycountry_forms(iso3: str) -> tuple[str | None, list[str]]:
    """The display name and the readable names pycountry knows for ``iso3`` (no "Korea, Republic of" forms)."""
    record = pycountry.countries.get(alpha_3=iso3)
    if record is None:
        return None, []
    names = [getattr(record, attr, None) for attr in ("common_name", "name", "official_name")]
    names = [name for name in names if name and "," not in name and "(" not in name]
    return (names[0] if names else None), names


def plural(adjective: str) -> str | None:
    """Regular plural of a demonym used as a noun (Russian -> Russians, Iraqi -> Iraqis, Englishman -> Englishmen)."""
    lower = adjective.lower()
    if lower.endswith("woman") or (lower.endswith("man") and not lower.endswith(("german", "oman"))):
        return adjective[:-2] + "en"
    if lower.endswith(("ese", "ish", "sh", "ss", "nch", "tch", "s", "x", "z", ".")) or not adjective[-1:].isalpha():
        return None
    if adjective.isupper():
        return None  # abbreviations (US, UK) have no plural
    return adjective + "s"


def build_countries(countryinfo: Path, extra: Path) -> list[list[str]]:
    countries: dict[str, Country] = {}
    for info in parse_countryinfo(countryinfo):
        iso3 = str(info["iso3"])
        if iso3 in countries:
            continue  # a second block with the same code (territories coded to their state): keep the first
        display, py_names = pycountry_forms(iso3)
        raw_name = str(info["name"])
        country = Country(iso3, display or proper_case(raw_name))
        cased = {fold(name): name for name in py_names}  # prefer pycountry's spelling (accents, casing)

        def add(raw: str, kind: str, source: str, country: Country = country, cased: dict = cased) -> None:
            form = proper_case(re.sub(r"^THE_", "", raw))  # "the" is optional when matching
            country.forms.append(Form(iso3, cased.get(fold(form), form), kind, source))

        if usable(raw_name):
            add(raw_name, "name", f"CountryInfo:{iso3}:CountryName")
        for name in py_names:
            country.forms.append(Form(iso3, name, "name", f"pycountry:{iso3}"))
        nationality = [raw for raw in info["nationality"] if usable(raw)]  # type: ignore[union-attr]
        for position, raw in enumerate(nationality):
            # CountryInfo lists the adjective first, then names, abbreviations, foreign forms and misspellings;
            # later entries are demonyms only when they name a person (SCOTSMAN, NEW_ZEALANDER).
            is_adjective = position == 0 or raw.rstrip("_").endswith(("MAN", "WOMAN", "ZEALANDER", "NZER"))
            add(raw, "adjective" if is_adjective else "name", f"CountryInfo:{iso3}:Nationality")
        for raw in info["capital"]:  # type: ignore[union-attr]
            if usable(raw):
                add(raw, "capital", f"CountryInfo:{iso3}:Capital")
        countries[iso3] = country

    apply_country_extras(countries, extra)
    add_plurals(countries)
    flag_shared(countries)
    rows = []
    for iso3 in sorted(countries):
        country = countries[iso3]
        seen: set[tuple[str, str]] = set()
        for form in country.forms:
            key = (fold(form.form), form.kind)
            if key in seen:
                continue
            seen.add(key)
            rows.append([iso3, country.name, form.form, form.kind, form.ambiguous, form.source])
    return rows


def apply_country_extras(countries: dict[str, Country], extra: Path) -> None:
    flags: list[tuple[str, str, str, str]] = []
    for number, row in read_curated(extra):
        action, iso3, form, kind = row["action"], row["iso3"], row["form"], row["kind"]
        source = f"{extra.name}:{number}"
        country = countries.get(iso3)
        if country is None:
            if action in {"add", "canonical"}:
                name = pycountry_forms(iso3)[0] or form
                country = countries[iso3] = Country(iso3, name)
            else:
                continue
        if action == "canonical":
            country.name = form
            country.forms.insert(0, Form(iso3, form, "name", source))
        elif action == "add":
            country.forms.append(Form(iso3, form, kind or "name", source))
        elif action == "drop":
            country.forms = [f for f in country.forms
                             if not (fold(f.form) == fold(form) and (not kind or f.kind == kind))]
        elif action == "flag":
            flags.append((iso3, form, kind, row.get("note", "") or "ambiguous"))
        else:
            print(f"{source}: unknown action {action!r}", file=sys.stderr)
    for iso3, form, kind, note in flags:  # flags apply to forms however they arrived, plurals included below
        for f in countries[iso3].forms:
            if fold(f.form) == fold(form) and (not kind or f.kind == kind):
                f.ambiguous = note


def add_plurals(countries: dict[str, Country]) -> None:
    for country in countries.values():
        names = {fold(f.form) for f in country.forms if f.kind != "adjective"}
        for form in [f for f in country.forms if f.kind == "adjective"]:
            many = plural(form.form)
            if many and fold(many) not in names:  # Lao -> Laos is the country, not a plural
                country.forms.append(Form(country.iso3, many, "adjective", form.source + ":plural",
                                          form.ambiguous))


def flag_shared(countries: dict[str, Country]) -> None:
    """A form that names two countries (Congolese, Dominican) is ambiguous in both, whatever its kind."""
    owners: dict[str, set[str]] = defaultdict(set)
    for country in countries.values():
        for form in country.forms:
            owners[fold(form.form)].add(country.iso3)
    for country in countries.values():
        for form in country.forms:
            others = sorted(owners[fold(form.form)] - {country.iso3})
            if others and not form.ambiguous:
                form.ambiguous = "shared with " + ",".join(others)


# ------------------------------------------------------------------------------------------------------ agents

def parse_agents(path: Path) -> list[tuple[int, str, list[str], list[str]]]:
    """Phoenix agent lines as (line, phrase pattern, explicit plurals, sector codes)."""
    macros: dict[str, list[str]] = {}
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        macro = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if macro:
            macros[macro.group(1)] = [word.strip() for word in macro.group(2).split(",")]
            continue
        match = re.match(r"^(.*?)\s*(?:\{([^}]*)\})?\s*\[([^\]}]*)[\]}]\s*$", line)
        if not match:
            continue
        code = match.group(3).replace("~", "").strip()
        sectors = [code[i:i + 3] for i in range(0, len(code), 3) if len(code[i:i + 3]) == 3]
        plurals = [p.strip() for p in (match.group(2) or "").split(",") if p.strip()]
        for phrase in expand_macros(match.group(1).strip(), macros):
            entries.append((number, phrase, plurals, sectors))
    return entries


def expand_macros(pattern: str, macros: dict[str, list[str]]) -> list[str]:
    for name, values in macros.items():
        if name in pattern:
            return [p for value in values for p in expand_macros(pattern.replace(name, value), macros)]
    return [pattern]


def agent_words(pattern: str) -> str:
    """``DEFENCE_MINISTER`` -> ``defence minister`` (underscores and stray spaces both separate words)."""
    return " ".join(pattern.replace("_", " ").lower().split())


def noun_plural(word: str) -> str:
    if word.endswith(("man", "woman")) and not word.endswith(("human", "german")):
        return word[:-2] + "en"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def build_agents(agents_path: Path, extra: Path) -> list[list[str]]:
    table: dict[str, list[str]] = {}  # phrase -> [sectors, role, source]
    for number, pattern, plurals, sectors in parse_agents(agents_path):
        phrase = agent_words(pattern)
        if not phrase or not sectors or not re.fullmatch(r"[a-z0-9 .'&/-]+", phrase):
            continue
        source = f"{agents_path.name}:{number}"
        forms = [phrase]
        if phrase.endswith(" minist") or phrase == "minist" or phrase.endswith("minist"):
            stem = phrase[: -len("minist")]  # Phoenix stem MINIST covers minister(s) and ministry/ministries
            forms = [stem + w for w in ("minister", "ministers", "ministry", "ministries")]
        elif plurals or "{" in pattern:
            forms += [agent_words(p) for p in plurals]
        else:
            words = phrase.split()
            forms.append(" ".join(words[:-1] + [noun_plural(words[-1])]))
        for form in forms:
            table.setdefault(form, ["|".join(sectors), "", source])
    for number, row in read_curated(extra):
        phrase = " ".join(row["phrase"].lower().split())
        source = f"{extra.name}:{number}"
        words = phrase.split()
        forms = [phrase]
        if not words[-1].endswith("s"):  # "troops", "armed forces" are plural already
            forms.append(" ".join(words[:-1] + [noun_plural(words[-1])]))
        for form in forms:
            current = table.get(form)
            if current is None:
                table[form] = [row["sectors"], row["role"], source]
                continue
            if row["sectors"]:
                current[0] = row["sectors"]
            if row["role"]:
                current[1] = row["role"]
            current[2] = f"{current[2]}; {source}"  # both the Phoenix line and the correction
    return [[phrase, *table[phrase]] for phrase in sorted(table) if table[phrase][0]]


# ---------------------------------------------------------------------------------------------- organisations

@dataclass
class Actor:
    names: list[str]
    codes: list[str]
    line: int
    source_file: str


def parse_actors(path: Path) -> list[Actor]:
    """Phoenix actor entries: ``NAME [CODE]`` lines, ``+ALIAS`` lines, codes on indented ``[CODE date]`` lines."""
    actors: list[Actor] = []
    current: Actor | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = re.findall(r"\[([^\]]*)\]", line)
        head = re.sub(r"\[[^\]]*\]", "", line).strip()
        if raw[:1] in " \t" and not head:
            if current:
                current.codes += codes
        elif head.startswith("+"):
            if current:
                current.names.append(head[1:].strip())
                current.codes += codes
        else:
            current = Actor([head], codes, number, path.name)
            actors.append(current)
    return actors


def split_code(code: str, countries: set[str]) -> tuple[str | None, list[str], bool]:
    """``IGOUNOIAE`` -> ("IGO", ["IGO","UNO","IAE"]); ``FRAREB`` -> ("FRA", ["REB"]); dated codes flag a person."""
    dated = bool(re.search(r"\d", code))
    letters = code.split()[0] if code.split() else ""
    parts = [letters[i:i + 3] for i in range(0, len(letters), 3) if len(letters[i:i + 3]) == 3]
    if not parts or parts[0] == "---":
        return None, [], dated
    head, rest = parts[0], parts[1:]
    if head in {"IGO", "NGO", "IMG"}:
        return head, [head, *[p for p in rest if p not in countries]], dated
    if head == "MNC":
        country = next((p for p in rest if p in countries), None)
        return country or "MNC", ["BUS", *[p for p in rest if p not in countries]], dated
    if head in countries:
        return head, rest or ["GOV"], dated
    return None, rest, dated  # regional or placeholder codes (MEA, SAS, KKL): no country


def is_organisation(name: str, org_words: set[str]) -> bool:
    words = [w for w in re.split(r"[\s_]+", name.lower().strip("_ ")) if w]
    if len(words) == 1:
        return True
    return any(w.strip(".,'") in org_words for w in words)


def build_organisations(phoenix: list[Path], extra: Path, org_words_path: Path) -> list[list[str]]:
    org_words = {row["word"].lower() for _, row in read_curated(org_words_path)}
    countries = {c.alpha_3 for c in pycountry.countries}
    rows: dict[str, list[str]] = {}
    for path in phoenix:
        for actor in parse_actors(path):
            if not actor.codes:
                continue  # Phoenix sometimes leaves a name without a code; it codes nothing there either
            parsed = [split_code(code, countries) for code in actor.codes]
            if any(dated for _, _, dated in parsed):
                continue  # dated roles belong to people (secretaries-general, commanders), not organisations
            country, sectors, _ = parsed[0]
            if not sectors or not is_organisation(actor.names[0], org_words):
                continue
            names = []
            for raw in actor.names:
                form = proper_case(raw.strip("_ ").replace("_", " "))
                if form and org_key(form) not in {org_key(n) for n in names}:
                    names.append(form)
            key = org_key(names[0])
            if key in rows:
                continue
            rows[key] = [names[0], "|".join(names[1:]), country or "", "|".join(sectors),
                         " ".join(actor.codes[0].split()[:1]), f"{actor.source_file}:{actor.line}"]
    for number, row in read_curated(extra):
        aliases = [a for a in row["aliases"].split("|") if a.strip()]
        for key in [org_key(row["name"]), *map(org_key, aliases)]:
            rows.pop(key, None)  # the curated entry replaces Phoenix's under any of its names
        for key, other in list(rows.items()):  # and any Phoenix entry that has one of its names as an alias
            if other[-1].startswith("Phoenix") and {org_key(a) for a in other[1].split("|") if a} & {
                    org_key(row["name"]), *map(org_key, aliases)}:
                del rows[key]
        rows[org_key(row["name"])] = [row["name"], "|".join(a.strip() for a in aliases), row["country"],
                                   row["sectors"], "", f"{extra.name}:{number}"]
    return [rows[key] for key in sorted(rows)]


# -------------------------------------------------------------------------------------------------------- main

def build(shared: Path, out: Path, curated: Path = DATA) -> None:
    phoenix = shared / "petrarch2-dictionaries"
    out.mkdir(parents=True, exist_ok=True)
    write_tsv(out / "countries.tsv", [
        "Countries: names, nationality adjectives/demonyms and capitals. Built by scripts/build_lexicons.py from",
        "CountryInfo.120116.txt (CC BY-SA 3.0, Schrodt/OEDA), pycountry names and countries_extra.tsv; edit those.",
        "iso3: ISO 3166-1 alpha-3; name: display name; form: the words as written; kind: name | adjective | capital;",
        "ambiguous: empty, or why the form has another common reading (match it only with support from context);",
        "source: where the form came from (CountryInfo:<code>:<field>, pycountry:<code>, countries_extra.tsv:<line>).",
    ], ["iso3", "name", "form", "kind", "ambiguous", "source"],
        build_countries(shared / "countryinfo" / "CountryInfo.120116.txt", curated / "countries_extra.tsv"))
    write_tsv(out / "agents.tsv", [
        "Agent nouns (titles, occupations, bodies) and the CAMEO sectors they give an actor. Built by",
        "scripts/build_lexicons.py from PETRARCH2 Phoenix.agents.txt (MIT, OEDA) and agents_extra.tsv; edit those.",
        "phrase: lowercase words (plurals listed separately); sectors: CAMEO codes, primary first, '|'-separated;",
        "role: the office, for asking the people lexicon who held it (see agents_extra.tsv); source: file:line.",
    ], ["phrase", "sectors", "role", "source"],
        build_agents(phoenix / "Phoenix.agents.txt", curated / "agents_extra.tsv"))
    write_tsv(out / "organisations.tsv", [
        "Organisations: IGOs, NGOs, companies and armed non-state groups. Built by scripts/build_lexicons.py from",
        "PETRARCH2 Phoenix.International.actors.txt and Phoenix.MilNonState.actors.txt (MIT, OEDA) and",
        "organisations_extra.tsv; edit those (news media are in media.tsv). name; aliases: '|'-separated;",
        "country: ISO 3166-1 alpha-3, or IGO / NGO / IMG (international militant group) / MNC, empty if unknown;",
        "sectors: CAMEO codes, primary first; code: the Phoenix actor code; source: file:line.",
    ], ["name", "aliases", "country", "sectors", "code", "source"],
        build_organisations([phoenix / "Phoenix.International.actors.txt", phoenix / "Phoenix.MilNonState.actors.txt"],
                            curated / "organisations_extra.tsv", curated / "org_name_words.tsv"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED_DATA, help="the reference data folder")
    parser.add_argument("--out", type=Path, default=DATA, help="where to write the built TSV files")
    args = parser.parse_args(argv)
    if not (args.shared / "countryinfo").is_dir():
        print(f"reference data not found under {args.shared}", file=sys.stderr)
        return 2
    build(args.shared, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
