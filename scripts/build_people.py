#!/usr/bin/env python3
"""Build ``src/tidings/data/people.tsv``: people and their dated roles from the PETRARCH2/CountryInfo lexicons.

Inputs (read-only reference data, never needed at run time):

* ``Phoenix.Countries.actors.txt`` (PETRARCH2, MIT; generated 2014-01-30 from CountryInfo.140130): one entry per
  actor, a header line with the name, ``+`` lines with synonyms, and indented ``[CODE dates]`` lines with dated
  CAMEO codes (``RUSGOVMIL`` = Russia, government, military).  Dates are ``YYMMDD`` or ``YYYYMMDD``;
  ``>date`` = from then on (still so when the file was generated), ``<date`` = up to then.
* ``CountryInfo.120116.txt`` (CC BY-SA 3.0): the offices behind those codes.  Its ``<Leaders>`` block names the
  office in a sub-tag (``<Presidents>``), its ``<Government>`` block after a ``#`` (``# Minister of Defense``,
  several offices joined by ``&``).  The Phoenix file lost these titles, so we recover them here by matching
  the person's names, country and dates.

The titles are mapped onto the role keys tidings uses by the ordered ``ROLE_TITLE_PATTERNS`` table below.

Usage::

    python scripts/build_people.py [--shared ../shared] [--out src/tidings/data/people.tsv]

The output is deterministic, so a rebuild reproduces the committed file byte for byte.
"""

from __future__ import annotations

import argparse
import calendar
import itertools
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PHOENIX_NAME = "Phoenix.Countries.actors.txt"
COUNTRYINFO_NAME = "CountryInfo.120116.txt"
PHOENIX_REL = Path("data/petrarch2-dictionaries") / PHOENIX_NAME
COUNTRYINFO_REL = Path("data/countryinfo") / COUNTRYINFO_NAME

# Six-digit Phoenix dates are YYMMDD.  The file was generated in January 2014 and writes eight digits for
# anything ambiguous, so a two-digit year up to 14 is 20YY, above it 19YY (checked: no six-digit date in the
# file has a year 15-20).
TWO_DIGIT_YEAR_PIVOT = 14

COLUMNS = ("id", "name", "aliases", "country", "sectors", "role", "start", "end", "open_from_source", "entry")

# Office titles (CountryInfo sub-tags and ``#`` comments, Phoenix bracket comments), lower-cased, mapped to
# role keys.  First match wins, so specific patterns come before general ones.  A title matching nothing
# gets no role.
ROLE_TITLE_PATTERNS: tuple[tuple[str, str | None], ...] = (
    # deputies and juniors first, so that "Deputy Prime Minister" is not read as "Prime Minister"
    (r"\b(deputy|dep\.?|vice|first deputy|second deputy)\s+(prime minister|premier|pm|chairman of the council of ministers)\b|^deputy premier", "deputy_head_of_government"),
    (r"\bdep\.?\s*natsecad\b|deputy national security advis[eo]r", "deputy_national_security_advisor"),
    (r"^(dep|deputy|under|assistant)\b|\bdeputy minister\b|\bminister of state for\b|\bvice[- ]minister\b", "deputy_minister"),
    (r"^(first |second |executive )?vice[- ]presidents?$", "vice_president"),
    (r"(governor|president|chairman|chairmen)[, ]+(of the )?(central|reserve|national|state) bank|central bank", "central_bank_governor"),
    (r"permanent representative to the un|ambassador to the un", "un_ambassador"),
    (r"ambassador|amb\.", "ambassador"),
    (r"national security advis[eo]r", "national_security_advisor"),
    (r"secretary,? (of the )?(national )?security council|security council secretary", "security_council_secretary"),
    (r"spokes(man|woman|person)|press secretary", "spokesperson"),
    (r"\b(dci|director of (central|national) intelligence)\b|intelligence|security service|\bfsb\b|\bsvr\b|\bkgb\b", "intelligence_chief"),
    (r"(president|speaker|chairman|chairmen|chair) of (the )?(national assembly|senate|bundesrat|bundestag|parliament|congress|chamber|duma|state duma|federation council|house|people's assembly|majlis|knesset|rada|supreme soviet$)", "speaker_of_parliament"),
    (r"attorney general|prosecutor general|procurator general", "prosecutor_general"),
    (r"^chief of staff|white house chief of staff|^head, (government|presidential) (apparatus|administration)", "chief_of_staff"),
    (r"general secretar(y|ies)|first secretar(y|ies)|secretar(y|ies) of the central committee|chairm[ae]n of the communist party", "party_leader"),
    (r"chief of (the )?(general|defen[cs]e|armed forces) staff|commander[- ]in[- ]chief|supreme commander", "military_chief"),
    (r"minister (of|for) (the )?(foreign affairs|foreign relations|external affairs|external relations)|foreign minister|\bsec(retary)?\.? (of )?state$|acting sec(retary)? state", "foreign_minister"),
    (r"minister (of|for) (the )?(national |people's )?defen[cs]e|defen[cs]e minister|\bsec(retary)?\.? (of )?def(en[cs]e)?\b|minister of the armed forces", "defense_minister"),
    (r"minister (of|for) (the )?(interior|internal affairs|home affairs)|interior minister|home secretary", "interior_minister"),
    (r"minister (of|for) (the )?(finance|economy and finance|finance and)|finance minister|min\.? of fin|secretary of the treasury|chancellor of the exchequer", "finance_minister"),
    (r"minister (of|for) (the )?justice|justice minister", "justice_minister"),
    (r"^(acting |interim )?(prime ministers?|premiers?|pm)( pt\. ?\d+)?$|^co-?prime[ _]ministers?|^coequal prime ministers|^first prime ministers|chancellors?( of germany| of austria)?$|heads? of government|chiefs? of government|government leaders|cabinet chiefs|chairm[ae]n of the council of ministers|presidents? of the council of ministers|presidents of the executive yuan|presidents of the government council|prime ministers \(", "head_of_government"),
    (r"^(acting |interim )?presidents?( of [a-z]+)?$|^president of the republic|^presidents of the presidency|heads? of state|^kings?\b|^queens?\b|kings/queens|^emperors?\b|emperors/empresses|^emirs?$|^sultans?$|^shahs$|^sovereign princes|princes/princesses|grand dukes|paramount rulers|^rulers\b|captains?[- ]regent|supreme leader|chairm[ae]n of the (state )?presidency|chairm[ae]n of the presidium|presidents of the presidium|presidents of the collective presidency|chairman of the state presidium|chairm[ae]n of the council of state|presidents of the council of state|leader of the revolution|^interim president", "head_of_state"),
    (r"governors?[- ]general|governor_general", "governor_general"),
    (r"^(lieutenant )?governors?$|^chief ministers?$|^administrators?$|high commissioners?|^commissioners?$|resident commissioners", "territorial_governor"),
    (r"^minister|^secretary of [a-z]|^min\.? of", "minister"),
)

# Words that mark a synonym as a title-with-name form ("PRESIDENT_VLADIMIR_PUTIN") or an organisation
# ("GORBACHEV_ADMINISTRATION").  Such forms are dropped from the aliases: the title lexicon finds titles, and
# an alias must be a name.
TITLE_WORDS = frozenset(
    """PRESIDENT PRESIDENTS PREMIER PRIME MINISTER SECRETARY AMBASSADOR CHANCELLOR KING QUEEN LEADER CHIEF
    SENATOR CONGRESSMAN CONGRESSWOMAN REPRESENTATIVE GOVERNOR MAYOR FORMER EX VICE DEPUTY FOREIGN DEFENSE
    DEFENCE SPOKESMAN SPOKESWOMAN CHAIRMAN COMMANDER ADMIRAL COLONEL GENERAL MR MRS MS DR PM ADMINISTRATION
    GOVERNMENT REGIME CABINET PARTY SOVIET KANZLER BUNDESKANZLER RUSSIAN AMERICAN CHINESE COMMUNIST OPPOSITION POPE JUDGE JUSTICE""".split()
)

# Words that mark a non-CountryInfo entry as an organisation or place rather than a person.
ORGANISATION_WORDS = frozenset(
    """ARMY FORCES FORCE PARTY COUNCIL CONGRESS ASSEMBLY MINISTRY DEPARTMENT AGENCY FRONT BRIGADE MOVEMENT
    ALLIANCE COALITION DECLARATION OBSERVATORY SERVICE UNION SOVIET REPUBLIC AUTHORITY GOVERNMENT TANK
    UNIVERSITY CORPS COMMITTEE BUREAU COMMISSION OFFICE STATE STATES PALACE COURT BANK ORGANIZATION
    ORGANISATION NATIONAL ISLANDS ISLAND SECRETARY PRESIDENT PRIME MINISTER ADMINISTRATION""".split()
)

# Name particles written in lower case inside a name ("Cristina Fernandez de Kirchner", "Bashar al-Assad").
LOWER_PARTICLES = frozenset("al el bin bint ibn de del da das dos du y e van von der den zu".split())
LOWER_PREFIXES = frozenset("al el ad ar as ash at az an ud ul ed er es et".split())  # before a hyphen
UPPER_TOKENS = frozenset("II III IV VI".split())

BRACKET_RE = re.compile(r"\[([^\]]*)\]")


# --------------------------------------------------------------------------------------------- dates


def parse_source_date(text: str) -> date | None:
    """``YYMMDD`` or ``YYYYMMDD`` to a date; impossible days ("20040231") are clamped to the month's end."""
    digits = text.strip()
    if not digits.isdigit():
        return None
    if len(digits) == 6:
        yy = int(digits[:2])
        year = 2000 + yy if yy <= TWO_DIGIT_YEAR_PIVOT else 1900 + yy
        month, day = int(digits[2:4]), int(digits[4:6])
    elif len(digits) == 8:
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    else:
        return None  # typos such as "9008223"
    if not (1 <= month <= 12) or year < 1000:
        return None
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True)
class DateSpan:
    start: date | None
    end: date | None
    open_from_source: bool  # ``>date``: still so when the source was written


def parse_date_span(text: str) -> DateSpan | None:
    """``d1-d2``, ``>d``, ``<d``, a lone ``d`` (read as ``>d``) or nothing (undated)."""
    text = text.strip()
    if not text:
        return DateSpan(None, None, False)
    if text.startswith(">"):
        start = parse_source_date(text[1:])
        return DateSpan(start, None, True) if start else None
    if text.startswith("<"):
        end = parse_source_date(text[1:])
        return DateSpan(None, end, False) if end else None
    if "-" in text:
        first, _, second = text.partition("-")
        start, end = parse_source_date(first), parse_source_date(second)
        return DateSpan(start, end, False) if start and end else None
    start = parse_source_date(text)
    return DateSpan(start, None, True) if start else None


# --------------------------------------------------------------------------------------------- codes


@dataclass(frozen=True)
class CodedSpan:
    country: str
    sectors: tuple[str, ...]
    span: DateSpan
    comment: str
    line: int


def parse_coded_span(inside: str, comment: str, line: int) -> CodedSpan | None:
    """``RUSGOVMIL 000507-120507`` -> country RUS, sectors (GOV, MIL), dates."""
    match = re.match(r"\s*([A-Z]{3,})\s*(.*)$", inside)
    if not match:
        return None
    code, rest = match.groups()
    if len(code) % 3:
        return None
    span = parse_date_span(rest)
    if span is None:
        return None
    sectors = tuple(code[i : i + 3] for i in range(3, len(code), 3))
    return CodedSpan(code[:3], sectors, span, comment.strip(), line)


# --------------------------------------------------------------------------------------------- names


def raw_name_key(raw: str) -> str:
    """``VLADIMIR_PUTIN_`` -> ``VLADIMIR PUTIN``: the comparison key between the two source files.

    Control characters (a few source lines carry them), a trailing parenthetical remark ("(acting") and
    quoted nicknames are not part of the name.
    """
    text = "".join(ch for ch in raw if ch.isprintable())
    text = re.sub(r'"[^"]*"?', " ", text.split("(", 1)[0])
    text = re.sub(r"\s+\.", ".", text.replace("_", " "))  # "DMITRI_A_.MEDVEDEV"
    text = re.sub(r"\.(?=\w)", ". ", text)
    return " ".join(part for part in re.split(r"[_\s]+", text.strip().upper()) if part)


def display_token(token: str, first: bool) -> str:
    if token.upper() in UPPER_TOKENS:
        return token.upper()
    if token.upper() == "JR.":
        return "Jr."
    parts = token.lower().split("-")
    shown = []
    for index, part in enumerate(parts):
        inner = not (first and index == 0)
        if inner and len(parts) == 1 and part in LOWER_PARTICLES:
            shown.append(part)  # "de", "bin"
        elif inner and index < len(parts) - 1 and part in LOWER_PREFIXES:
            shown.append(part)  # "al-Assad"
        else:
            shown.append(capitalise_part(part))
    return "-".join(shown)


def capitalise_part(low: str) -> str:
    if not low:
        return low
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2:].capitalize()
    if "'" in low:
        head, _, tail = low.partition("'")
        if len(head) == 1:  # O'Brien, D'Alema
            return head.upper() + "'" + tail.capitalize()
        return head.capitalize() + "'" + tail
    return low.capitalize()


def display_name(raw: str) -> str:
    """``SERGEY_SHOYGU_`` -> ``Sergey Shoygu``; ``BASHAR_AL-ASSAD`` -> ``Bashar al-Assad``."""
    tokens = raw_name_key(raw).split(" ")
    return " ".join(display_token(token, index == 0) for index, token in enumerate(tokens) if token)


def name_words(raw: str) -> list[str]:
    return [w for w in re.split(r"[\s\-.]+", raw_name_key(raw)) if w]


def is_title_form(raw: str) -> bool:
    return any(word in TITLE_WORDS for word in name_words(raw))


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --------------------------------------------------------------------------------------------- roles


def role_for_title(title: str) -> str | None:
    text = re.sub(r'"[^"]*"', "", title).replace("_", " ").strip().lower()
    text = re.sub(r"\s+", " ", text)
    if not text:
        return None
    for pattern, role in ROLE_TITLE_PATTERNS:
        if re.search(pattern, text):
            return role
    return None


# Sector codes that a role implies; used to pair several titles with several code spans.
ROLE_SECTOR_HINTS = {
    "defense_minister": "MIL",
    "justice_minister": "JUD",
    "prosecutor_general": "JUD",
    "intelligence_chief": "SPY",
    "military_chief": "MIL",
}


@dataclass
class OfficeRecord:
    """One dated office from CountryInfo: who (all name forms), where, when, what."""

    names: frozenset[str]
    country: str
    sectors: tuple[str, ...] | None  # None: a <Leaders> entry (any government code)
    span: DateSpan
    title: str
    role: str | None
    line: int


def pair_titles(titles: list[str], spans: list[CodedSpan]) -> list[str | None]:
    """Which title belongs to which code span.

    One title covers every span.  As many titles as spans pair up in order, unless a title's implied sector
    fits another span better (CountryInfo sometimes lists them in a different order).  Otherwise unknown.
    """
    if len(titles) == 1:
        return [titles[0]] * len(spans)
    if len(titles) != len(spans):
        return [None] * len(spans)
    roles = [role_for_title(t) for t in titles]

    def fit(order: tuple[int, ...]) -> int:
        score = 0
        for span_index, title_index in enumerate(order):
            hint = ROLE_SECTOR_HINTS.get(roles[title_index] or "")
            if hint:
                score += 1 if hint in spans[span_index].sectors else -1
        return score

    orders = list(itertools.permutations(range(len(titles)))) if len(titles) <= 5 else [tuple(range(len(titles)))]
    best = max(orders, key=fit)  # max keeps the first of equals: the identity order wins ties
    return [titles[i] for i in best]


def parse_countryinfo(path: Path) -> list[OfficeRecord]:
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    records: list[OfficeRecord] = []
    country = ""
    block = ""  # "leaders" or "government"
    subtag = ""
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if match := re.match(r"<CountryCode>([A-Z]{3})</CountryCode>", stripped):
            country = match.group(1)
            continue
        if stripped.startswith("<Leaders>"):
            block, subtag = "leaders", ""
            continue
        if stripped.startswith("<Government>"):
            block = "government"
            continue
        if stripped.startswith("</Leaders>") or stripped.startswith("</Government>"):
            block = ""
            continue
        if not block or not stripped or stripped.startswith("#"):
            continue
        if block == "leaders":
            if match := re.match(r"<([^/>][^>]*)>", stripped):
                subtag = match.group(1)
                continue
            if stripped.startswith("</"):
                continue
            records.extend(leader_records(stripped, country, subtag, number))
        else:
            records.extend(government_records(stripped, country, number))
    return records


def names_in(text: str) -> frozenset[str]:
    braced = re.findall(r"\{([^}]*)\}", text)
    if braced:
        return frozenset(raw_name_key(n) for n in braced if n.strip())
    head = text.split("[", 1)[0].strip()
    return frozenset([raw_name_key(head)]) if head else frozenset()


def leader_records(text: str, country: str, subtag: str, number: int) -> list[OfficeRecord]:
    names = names_in(text.split("#", 1)[0])
    role = role_for_title(subtag)
    out = []
    for inside in BRACKET_RE.findall(text):
        if inside.startswith(("B:", "D:")):
            continue
        span = parse_date_span(inside.replace(" ", ""))
        if span and (span.start or span.end):
            out.append(OfficeRecord(names, country, None, span, subtag, role, number))
    return out


def government_records(text: str, country: str, number: int) -> list[OfficeRecord]:
    body, _, title_text = text.partition("#")
    names = names_in(body)
    spans = [s for inside in BRACKET_RE.findall(body) if (s := parse_coded_span(inside, "", number))]
    if not names or not spans:
        return []
    titles = [t.strip() for t in title_text.split("&") if t.strip()] or [""]
    out = []
    for span, title in zip(spans, pair_titles(titles, spans)):
        out.append(OfficeRecord(names, span.country, span.sectors, span.span, title or "",
                                role_for_title(title) if title else None, number))
    return out


# --------------------------------------------------------------------------------------------- Phoenix


@dataclass
class PhoenixEntry:
    line: int
    names: list[str]  # header names in order, the first is canonical
    synonyms: list[str]  # "+" lines
    from_countryinfo: bool
    spans: list[CodedSpan] = field(default_factory=list)
    country_header: bool = False


def parse_phoenix(path: Path) -> list[PhoenixEntry]:
    """Entries in file order.  A header line with no codes yet before it continues the previous entry's
    names (the file lists name variants as consecutive header lines above one block of codes)."""
    entries: list[PhoenixEntry] = []
    current: PhoenixEntry | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        content, _, comment = line.partition("#")
        if line[0] in " \t":
            if current is not None:
                for inside in BRACKET_RE.findall(content):
                    if span := parse_coded_span(inside, comment, number):
                        current.spans.append(span)
            continue
        if line.startswith("+"):
            if current is not None:
                current.synonyms.append(content[1:].split("[", 1)[0].strip())
            continue
        name = content.split("[", 1)[0].strip()
        inline = BRACKET_RE.findall(content)
        if current is not None and not current.spans and not current.country_header and not inline:
            current.names.append(name)
            current.from_countryinfo |= "countryinfo" in comment.lower()
            continue
        current = PhoenixEntry(number, [name], [], "countryinfo" in comment.lower())
        for inside in inline:
            if re.fullmatch(r"\s*[A-Z-]{3,}\s*", inside):
                current.country_header = True  # "RUSSIA_  [RUS]"
            elif span := parse_coded_span(inside, comment, number):
                current.spans.append(span)
        entries.append(current)
    return entries


PERSON_SECTORS = {"GOV", "ELI", "LEG", "JUD"}


def is_person(entry: PhoenixEntry) -> bool:
    """CountryInfo-derived entries are people; hand-added ones are people when they look like a name and
    carry a dated (or elite) government role."""
    if entry.country_header or not entry.spans:
        return False
    words = name_words(entry.names[0])
    if any(word in ORGANISATION_WORDS for word in words):
        return False
    if entry.from_countryinfo:
        return True
    if len(words) < 2:
        return False
    return any(
        PERSON_SECTORS & set(s.sectors) and (s.span.start or s.span.end or "ELI" in s.sectors) for s in entry.spans
    )


# --------------------------------------------------------------------------------------------- joining


def index_offices(offices: list[OfficeRecord]) -> dict[tuple[str, str], list[OfficeRecord]]:
    index: dict[tuple[str, str], list[OfficeRecord]] = {}
    for office in offices:
        for name in office.names:
            index.setdefault((office.country, name), []).append(office)
    return index


def office_for(span: CodedSpan, names: set[str], index: dict[tuple[str, str], list[OfficeRecord]]) -> OfficeRecord | None:
    """The CountryInfo office with this person's name, country and dates (start and end, else start)."""
    if "ELI" in span.sectors or not (span.span.start or span.span.end):
        return None
    candidates: list[OfficeRecord] = []
    for name in sorted(names):
        for office in index.get((span.country, name), []):
            if office not in candidates and (office.sectors is None or office.sectors == span.sectors
                                             or "GOV" in span.sectors):
                candidates.append(office)
    exact = [o for o in candidates if o.span.start == span.span.start and o.span.end == span.span.end]
    if exact:
        return exact[0]
    if span.span.start:
        same_start = [o for o in candidates if o.span.start == span.span.start]
        if same_start:
            return same_start[0]
    return None


def person_rows(entry: PhoenixEntry, person_id: str, index: dict[tuple[str, str], list[OfficeRecord]]) -> list[dict[str, str]]:
    canonical_raw = next((n for n in entry.names if not is_title_form(n)), entry.names[0])
    name = display_name(canonical_raw)
    aliases: list[str] = []
    seen = {name.lower()}
    for raw in entry.names + entry.synonyms:
        if not raw or is_title_form(raw) or any(w in ORGANISATION_WORDS for w in name_words(raw)):
            continue
        shown = display_name(raw)
        if shown.lower() not in seen:
            seen.add(shown.lower())
            aliases.append(shown)
    keys = {raw_name_key(n) for n in entry.names + entry.synonyms if n}
    rows = []
    for span in entry.spans:
        role = role_for_title(span.comment) if span.comment else None
        source = f"{PHOENIX_NAME}:{entry.line}"
        if role is None and (office := office_for(span, keys, index)):
            role = office.role
            if role:
                source += f";{COUNTRYINFO_NAME}:{office.line}"
        rows.append({
            "id": person_id,
            "name": name,
            "aliases": "|".join(aliases),
            "country": span.country,
            "sectors": "|".join(span.sectors),
            "role": role or "",
            "start": span.span.start.isoformat() if span.span.start else "",
            "end": span.span.end.isoformat() if span.span.end else "",
            "open_from_source": "true" if span.span.open_from_source else "",
            "entry": source,
        })
    return rows


HEADER = """\
# people.tsv - people and their dated roles, built by scripts/build_people.py; do not edit by hand
# (hand-curated roles go in roles_curated.tsv, which takes precedence).
# Sources: PETRARCH2 Phoenix.Countries.actors.txt (Open Event Data Alliance, MIT; generated 2014-01-30)
# and CountryInfo.120116.txt (Philip A. Schrodt / Open Event Data Alliance, CC BY-SA 3.0) for office titles.
# One row per (person, role period).  Columns:
#   id               person id (slug of the name; suffixed when two people share a name)
#   name             canonical name in normal case
#   aliases          other surface forms of the name, '|'-separated (title-with-name forms are dropped)
#   country          ISO 3166-1 alpha-3 (or the CAMEO code: IGO, SUN, DDR, ...) of the period's code
#   sectors          CAMEO sector codes of the period, '|'-separated (GOV, MIL, ELI = elite/former, ...)
#   role             role key when the source names the office (head_of_state, head_of_government,
#                    foreign_minister, defense_minister, minister, ...), else empty
#   start, end       ISO dates; empty = unknown
#   open_from_source 'true' when the source said "from start on" (in office when it was written, 2014);
#                    the end is then unknown, not "still in office today"
#   entry            source line(s): file:line of the Phoenix entry [;CountryInfo line of the office title]
"""


def build_rows(phoenix: Path, countryinfo: Path) -> list[dict[str, str]]:
    index = index_offices(parse_countryinfo(countryinfo))
    rows: list[dict[str, str]] = []
    used_ids: set[str] = set()
    for entry in parse_phoenix(phoenix):
        if not is_person(entry):
            continue
        canonical_raw = next((n for n in entry.names if not is_title_form(n)), entry.names[0])
        base = slug(display_name(canonical_raw)) or f"person-{entry.line}"
        person_id = base
        if person_id in used_ids:
            person_id = f"{base}-{entry.spans[0].country.lower()}"
        suffix = 2
        while person_id in used_ids:
            person_id = f"{base}-{suffix}"
            suffix += 1
        used_ids.add(person_id)
        rows.extend(person_rows(entry, person_id, index))
    return rows


def write_tsv(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(HEADER)
        handle.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            handle.write("\t".join(row[c].replace("\t", " ") for c in COLUMNS) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the ../shared folder")
    parser.add_argument("--out", type=Path, default=REPO / "src/tidings/data/people.tsv")
    args = parser.parse_args(argv)
    phoenix, countryinfo = args.shared / PHOENIX_REL, args.shared / COUNTRYINFO_REL
    for path in (phoenix, countryinfo):
        if not path.exists():
            print(f"missing input: {path}", file=sys.stderr)
            return 2
    rows = build_rows(phoenix, countryinfo)
    write_tsv(rows, args.out)
    print(f"wrote {len(rows)} rows ({len({r['id'] for r in rows})} people) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
