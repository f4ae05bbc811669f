"""Time expressions in an article, normalised to TIMEX3 values (the time stage).

Entry points: :func:`find_timexes` (spans + values) and :func:`timex_bounds` (the days a DATE value covers).

Recognition is tidings' own grammar of regular expressions, built from the word lists in
``data/timex_words.json``, run over ``doc.text``; spaCy's DATE/TIME entities add the candidates the grammar
misses (only where they contain a year it can state). The parse is used to veto ambiguous words ("May" the
modal, "fall" the verb, "Arab Spring"), to accept bare years, and to read the tense of the clause.
Overlapping candidates are resolved longest first. Three passes follow: expressions that point back at the
quarter the text last named get their value; a weekday or clock time is joined to the date beside it
("Saturday, April 25", "10 p.m. Wednesday" -> TIME "…T22:00"); and the span takes in the words TIMEX3 counts
as its modifier ("early", "late", "mid-", "the end of", "nearly", "at least", "more than"). Spans never include a
leading preposition ("in July" -> "July", "between September 10 and 13" -> "September 10 and 13"), but keep
"the" where it is part of the expression ("the last three years", "the past", "the nine months").

Ambiguity policy (``published`` is the anchor; the tense is read from the verb governing the expression:
will/shall/going to -> future; would/could/may/might/... and infinitives -> modal; past tense or perfect ->
past; else present):

* Weekday: past -> the most recent such day on or before publication; future and modal (would, could, an
  infinitive: "is to resume trading Tuesday") -> the next one on or after publication; present -> the
  publication day if it is that weekday, else the nearest one (news is often published the day it reports, so
  "said Wednesday" in a Wednesday paper is that day). "last Friday" -> strictly
  before publication, "next Friday" -> strictly after, "this Friday" -> that day of the publication's ISO week.
* Month without a year: the publication month itself if equal; past -> the most recent past occurrence;
  future -> the next occurrence; present/modal -> the nearest occurrence ("the case is heard in May" published
  in January -> May of the same year). So "in December" in a past clause published 2024-01-10 -> 2023-12
  (year rollover).
* Day and month without a year: past -> the most recent one on or before publication plus 31 days (a past
  clause often sets a coming date: "has set Nov. 10 as the deadline" published Nov. 2 -> that Nov. 10);
  future -> next on or after; present/modal -> the nearest occurrence (so "December 30" in a present-tense
  clause published 2024-01-02 -> 2023-12-30, and "January 3" published 2023-12-28 -> 2024-01-03).
* Quarters and halves: "the third quarter", "third-quarter", "the fiscal first quarter" without a year -> that
  quarter of the publication year, or of the year before when it has not begun by publication in a past or
  present clause ("the fourth quarter" in February), or the year after when it has ended in a future clause.
  Fiscal quarters are given as named (fiscal calendars differ by company). "this/last/next quarter" -> the
  publication's quarter, the one before, the one after. "the quarter", "the latest quarter", "that quarter"
  -> the quarter the text last named, else the last completed one; "the latest period" only when a quarter
  was named. "the year-ago quarter", "last year's quarter", "a year ago/earlier", "year-earlier" -> in a text
  that has named a quarter, that quarter a year before (the comparison results stories make), else the year
  ("a year ago" published 2023 -> "2022"). Halves need a year ("the second half of 1989" -> "1989-H2").
* "the year", "the full year", "the current fiscal year" -> the publication year; "the latest fiscal year" ->
  the year before; "the year ended Sept. 30" -> a twelve-month DURATION "P1Y"; "year-end" -> the publication
  year; "fiscal 1989" -> "1989"; "June last year" -> that month of the year before.
* "last/this/next week" -> the ISO week before / of / after the publication week ("2023-W35"); likewise month,
  year, quarter, decade, weekend ("2023-W35-WE"). "the last/past/next N units" -> a duration ("P3Y").
* "N units ago" -> the calendar unit N units before publication, at the unit's granularity ("three years ago"
  published 2023-09-06 -> "2020"; "ten days ago" -> "2023-08-27"; "two weeks ago" -> an ISO week). Vague counts
  ("a few years ago") -> PAST_REF. "in N units" in a future clause -> the unit N ahead; otherwise a duration.
* Seasons are meteorological, northern hemisphere; YYYY-WI is the winter that starts in December of YYYY. A
  season with no year -> the current one if publication falls in it, else the most recent one in a past clause
  and the coming one otherwise. "last"/"next" step to the previous/following occurrence.
* Clock times ("10 a.m.", "noon", "midnight" -> T24:00) take the day named right after them ("10 p.m.
  Wednesday", "5 p.m. EST Nov. 9"), else the publication day.
* "N units later/earlier/before/after" -> the DURATION "N units" (TimeML marks the duration and a signal; the
  anchor is another event); ages ("five years old") are skipped.
* Spoken years ("nineteen ninety-six", "the year two thousand"), "the nineties" (-> "199", the twentieth
  century) and ordinal centuries ("the 20th century" -> "19") are dates. Decades and centuries as durations
  are counted in years ("two decades" -> "P20Y"), quarters in months ("three quarters" -> "P9M").
* Not time expressions: "soon after", "shortly before", "as soon as" (a relation to another event), frequency
  adjectives before a noun ("a quarterly dividend"), a capitalised "This Week" mid-sentence (a title).

Without a publication date, values that can be stated stay (full dates, years, durations, sets, vague
references); calendar names lacking a year keep TIMEX3 placeholders ("XXXX-07", "XXXX-09-09", "XXXX-WXX-2",
"XXXX-WI"); expressions that only point away from the unknown date become vague ("yesterday", "three years
ago", "last week" -> PAST_REF; "today", "this week" -> PRESENT_REF; "tomorrow", "next month" -> FUTURE_REF).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Literal

from spacy.tokens import Doc, Span, Token

from tidings.nlp import text_of
from tidings.records import Timex
from tidings.wordtrie import trie_regex

Tense = Literal["past", "present", "future", "modal"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]

SEASON_ORDER = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
PAST_DAY_TOLERANCE = 31  # days after publication a day-and-month in a past clause may still fall
DASHES = r"-|–|—"


# --------------------------------------------------------------------------------------------- word lists


@dataclass(frozen=True)
class Words:
    """The expert-editable lists of ``data/timex_words.json``."""

    raw: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.raw[name]
        except KeyError as missing:
            raise AttributeError(name) from missing

    def month_number(self, word: str) -> int | None:
        key = word.lower().rstrip(".")
        return self.raw["months"].get(key) or self.raw["month_abbreviations"].get(key)

    def number(self, word: str) -> float | None:
        """A count written in digits or words; None for vague counts ("several")."""
        key = re.sub(r"\s+", " ", word.lower().strip())
        if key in self.raw["numbers"]:
            return float(self.raw["numbers"][key])
        half = re.fullmatch(r"(\d+) 1/2", key)
        if half:
            return int(half[1]) + 0.5
        if "-" in key or " " in key:
            tens, _, unit = key.replace(" ", "-").partition("-")
            if tens in self.raw["numbers"] and unit in self.raw["numbers"]:
                return float(self.raw["numbers"][tens] + self.raw["numbers"][unit])
        try:
            return float(key.replace(",", ""))
        except ValueError:
            return None


@lru_cache(maxsize=1)
def load_words() -> Words:
    text = resources.files("tidings").joinpath("data/timex_words.json").read_text(encoding="utf-8")
    return Words(json.loads(text))


# ----------------------------------------------------------------------------------------- calendar helpers


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: dt.date, count: int, granularity: str) -> dt.date | None:
    """``day`` moved ``count`` units of ``granularity`` (negative: back in time); None when that leaves the
    calendar ("6,000 years ago" has no year 1–9999 value)."""
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}
    try:
        if granularity in months:
            return _add_months(day, count * months[granularity])
        if granularity == "week":
            return day + dt.timedelta(weeks=count)
        if granularity == "day":
            return day + dt.timedelta(days=count)
    except (ValueError, OverflowError):
        return None
    return day  # hours, minutes, seconds: the publication day is as precise as we can be


def _value_at(day: dt.date, granularity: str) -> str:
    """The TIMEX3 value of the ``granularity`` unit that contains ``day``."""
    if granularity == "week":
        return _iso_week(day)
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    return day.isoformat()


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _season_index(day: dt.date) -> int:
    """A running count of seasons: four a year, YYYY-WI covering December YYYY to February YYYY+1."""
    order = {m: code for code, months in load_words().season_months.items() for m in months}
    code = order[day.month]
    year = day.year - 1 if code == "WI" and day.month < 12 else day.year
    return year * 4 + SEASON_ORDER[code]


def _season_value(index: int) -> str:
    year, order = divmod(index, 4)
    code = next(c for c, o in SEASON_ORDER.items() if o == order)
    return f"{year:04d}-{code}"


def _resolve_month(month: int, anchor: dt.date, tense: Tense) -> str:
    if month == anchor.month:
        year = anchor.year
    elif tense == "future":
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif tense in ("modal", "present"):  # the nearest occurrence: the year before, of or after the anchor
        here = anchor.year * 12 + anchor.month
        year = min((anchor.year + k for k in (-1, 0, 1)), key=lambda y: (abs(y * 12 + month - here), y))
    else:
        year = anchor.year if month < anchor.month else anchor.year - 1
    return f"{year:04d}-{month:02d}"


def _resolve_month_day(month: int, day: int, anchor: dt.date, tense: Tense) -> dt.date | None:
    options = [d for d in (_safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)) if d]
    if not options:
        return None
    if tense == "past":  # a past clause may still set a date a little ahead ("has set Nov. 10 as the deadline")
        before = [d for d in options if d <= anchor + dt.timedelta(days=PAST_DAY_TOLERANCE)]
        return max(before) if before else None
    if tense == "future":
        after = [d for d in options if d >= anchor]
        return min(after) if after else None
    return min(options, key=lambda d: (abs((d - anchor).days), d > anchor))


def _resolve_weekday(weekday: int, anchor: dt.date, tense: Tense, modifier: int | None) -> dt.date:
    back = (anchor.isoweekday() - weekday) % 7  # days back to the most recent such day (0: the anchor)
    ahead = (weekday - anchor.isoweekday()) % 7
    if modifier == -1:
        return anchor - dt.timedelta(days=back or 7)
    if modifier == 1:
        return anchor + dt.timedelta(days=ahead or 7)
    if modifier == 0:
        return anchor + dt.timedelta(days=weekday - anchor.isoweekday())
    if tense == "past":
        return anchor - dt.timedelta(days=back)
    if tense in ("future", "modal"):
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back) if back <= ahead else anchor + dt.timedelta(days=ahead)


def _resolve_season(code: str, anchor: dt.date, tense: Tense, modifier: int | None) -> str:
    current = _season_index(anchor)
    previous = max(i for i in range(current - 4, current) if i % 4 == SEASON_ORDER[code])
    following = min(i for i in range(current + 1, current + 5) if i % 4 == SEASON_ORDER[code])
    is_current = current % 4 == SEASON_ORDER[code]
    if modifier == -1:
        return _season_value(previous)
    if modifier == 1:
        return _season_value(following)
    if is_current:
        return _season_value(current)
    return _season_value(previous if tense == "past" else following)


# ------------------------------------------------------------------------------------------- timex bounds

_BOUNDS_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[dt.date, dt.date] | None]]] = []


def _bounds_rule(pattern: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        _BOUNDS_PATTERNS.append((re.compile(pattern), function))
        return function

    return register


@_bounds_rule(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?")
def _day_bounds(m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    day = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return (day, day) if day else None


@_bounds_rule(r"(\d{4})-(\d{2})")
def _month_bounds(m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    year, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12 or year < 1:
        return None
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@_bounds_rule(r"(\d{4})-W(\d{2})(-WE)?")
def _week_bounds(m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    try:
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        return None
    if m[3]:
        return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
    return monday, monday + dt.timedelta(days=6)


@_bounds_rule(r"(\d{4})-(SP|SU|FA|WI)")
def _season_bounds(m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    year, months = int(m[1]), load_words().season_months[m[2]]
    first = dt.date(year, months[0], 1)
    last = _add_months(first, len(months) - 1)
    return first, last.replace(day=calendar.monthrange(last.year, last.month)[1])


@_bounds_rule(r"(\d{4})-(Q[1-4]|H[12])")
def _part_bounds(m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    year, size, index = int(m[1]), 3 if m[2][0] == "Q" else 6, int(m[2][1])
    first = dt.date(year, (index - 1) * size + 1, 1)
    last = _add_months(first, size - 1)
    return first, last.replace(day=calendar.monthrange(last.year, last.month)[1])


@_bounds_rule(r"(\d{2,4})")
def _year_bounds(m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    digits = m[1]
    span = 10 ** (4 - len(digits))  # 4 digits: a year, 3: a decade, 2: a century
    first = int(digits) * span
    if first < 1:
        return None
    return dt.date(first, 1, 1), dt.date(first + span - 1, 12, 31)


def timex_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a TIMEX3 DATE ``value``; None for vague, partial or unreadable values.

    Handles days ("2023-09-06", with or without a time), months ("2023-07"), ISO weeks ("2023-W35",
    weekend "2023-W35-WE"), seasons ("2023-WI" = Dec 2023..Feb 2024), quarters/halves ("2023-Q3"), years,
    decades ("199"), centuries ("19") and intervals "start/end" of any of those.
    """
    if not isinstance(value, str) or not value:
        return None
    if "/" in value:
        first, _, last = value.partition("/")
        start, end = timex_bounds(first), timex_bounds(last)
        if start is None or end is None or end[1] < start[0]:
            return None
        return start[0], end[1]
    for pattern, bounds in _BOUNDS_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            try:
                return bounds(match)
            except (ValueError, OverflowError):
                return None
    return None


# ---------------------------------------------------------------------------------------------- recognition


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: TimexType
    value: str
    rule: str
    anchored: bool = False  # the value was resolved against the publication date
    # Resolved after selection against the quarter the text last named: ("quarter", shift in quarters).
    # ``value`` is then the fallback when the text names no quarter before ("" drops the candidate).
    refer: tuple[str, int] | None = None


class Context:
    """What a rule needs to judge and resolve one match: the text, the parse and the anchor."""

    def __init__(self, doc: Doc, published: dt.date | None) -> None:
        self.doc = doc
        self.text = text_of(doc)
        self.published = published
        self.words = load_words()
        self._token_starts = [token.idx for token in doc]

    def token_at(self, char: int) -> Token | None:
        index = bisect_right(self._token_starts, char) - 1
        return self.doc[index] if 0 <= index < len(self.doc) else None

    def span(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand")

    def word_before(self, char: int) -> str:
        match = re.search(r"([\w'-]+)[\s,]*$", self.text[max(0, char - 40):char])
        return match[1].lower().strip("-'") if match else ""

    def word_after(self, char: int) -> str:
        match = re.match(r"\s*(-?[\w']+)", self.text[char:char + 40])
        return match[1].lower() if match else ""

    def tense(self, start: int, end: int) -> Tense:
        span = self.span(start, end)
        return clause_tense(span, self.words) if span is not None and len(span) else "present"

    def is_calendar_name(self, start: int, end: int) -> bool:
        """A capitalised month/weekday/season word that no other entity (a name, an event) claims."""
        token = self.token_at(start)
        if token is None:
            return False
        return token.ent_type_ not in self.words.non_time_entities

    def vague(self, direction: int) -> str:
        return {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}[max(-1, min(1, direction))]


def _verb_tense(verb: Token, words: Words) -> Tense | None:
    """The tense one verb shows through its auxiliaries and tag; None when it shows none (infinitive)."""
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    lowered = [aux.lower_ for aux in auxiliaries]
    if any(word in words.future_aux for word in lowered):
        return "future"
    if verb.head.lower_ == "going" and "to" in lowered:
        return "future"
    if any(word in words.modal_aux for word in lowered):
        return "modal"
    if verb.tag_ == "VB" and "to" in lowered:
        return "modal"  # an infinitive ("planned to leave on Thursday"): not yet realised when stated
    if any(aux.tag_ == "VBD" or aux.lemma_ == "have" for aux in auxiliaries):
        return "past"
    if any(aux.tag_ in ("VBZ", "VBP") for aux in auxiliaries):
        return "present"
    if verb.tag_ in ("VBD", "VBN"):
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if verb.tag_ == "MD":
        return "future" if verb.lower_ in words.future_aux else "modal"
    if verb.pos_ == "ADJ" and verb.dep_ in ("advcl", "acl", "relcl") and verb.lower_.endswith("ed"):
        return "past"  # a participle the tagger read as an adjective: "as reported on Monday"
    return None


def clause_tense(span: Span, words: Words | None = None) -> Tense:
    """The tense of the clause that governs ``span``: climb from its root to the nearest verb with a tense."""
    words = words or load_words()
    token = span.root
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX", "ADJ"):
            tense = _verb_tense(token, words)
            if tense:
                return tense
        if token.head is token:
            break
        token = token.head
    return "present"


# A rule reads one regular-expression match and returns a candidate, or None to reject it.
Rule = Callable[[Context, re.Match[str]], Candidate | None]


def _alternation(words: list[str], abbreviation: bool = False) -> str:
    """One of ``words`` (a space in a word matches any run of whitespace), the longest that fits first.

    Written as a trie (:mod:`tidings.wordtrie`), built once per word list (some are asked per article)."""
    return _trie_alternation(frozenset(words), abbreviation)


@lru_cache(maxsize=256)
def _trie_alternation(words: frozenset[str], abbreviation: bool) -> str:
    return f"(?:{trie_regex(words, ANY_WHITESPACE)})" + (r"\.?" if abbreviation else "")


ANY_WHITESPACE = {" ": r"\s+"}  # "per cent" also matches "per  cent" and "per\ncent"


@dataclass(frozen=True)
class Pieces:
    """The regular-expression fragments the rules are written in, built from the word lists."""

    month_full: str
    month_any: str
    weekday: str
    day: str
    year: str
    number: str
    vague_number: str
    unit: str
    season: str
    day_part: str
    modifier: str
    conn: str


@lru_cache(maxsize=1)
def _pieces() -> Pieces:
    w = load_words()
    number_words = [k for k in w.numbers if k not in ("a", "an")]
    tens = [k for k, v in w.numbers.items() if v in range(20, 100, 10) and " " not in k]
    units = [k for k, v in w.numbers.items() if 1 <= v <= 9 and k not in ("a", "an") and " " not in k]
    return Pieces(
        month_full=_alternation(list(w.months)),
        month_any=f"(?:{_alternation(list(w.months))}|{_alternation(list(w.month_abbreviations), True)})",
        weekday=_alternation(list(w.weekdays)),
        day=r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?",
        year=r"(?:1[5-9]\d\d|20\d\d|21\d\d)",
        number=(rf"(?:{_alternation(tens)}[\s-]{_alternation(units)}|{_alternation(number_words)}|a|an|\d+\s+1/2"
                r"|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"),
        vague_number=_alternation(w.vague_numbers),
        unit=_alternation(list(w.units)),
        season=_alternation(list(w.seasons)),
        day_part=_alternation(list(w.day_parts)),
        modifier=_alternation(list(w.relative_modifiers)),
        conn=rf"(?:{DASHES}|to|through|until|till|and)",
    )


def _capitalised(word: str | None) -> bool:
    return bool(word and word[0].isupper())


def _month_word_ok(ctx: Context, match: re.Match[str], group: str, bare: bool = False) -> bool:
    """Month words must be capitalised; a bare one (no day, no year) must not be part of a name.

    With a day number beside it the month word is a date even inside a longer entity spaCy over-extended
    ("the Day of the Republic, September 9" tagged as one ORG).
    """
    word = match[group]
    if word is None:
        return True
    return _capitalised(word) and (not bare or ctx.is_calendar_name(match.start(group), match.end(group)))


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text)[0])  # type: ignore[index]


def _modifier(ctx: Context, word: str | None) -> int | None:
    return ctx.words.relative_modifiers.get(word.lower()) if word else None


def _year_of(text: str | None) -> int | None:
    return int(text) if text else None


# --- absolute and calendar dates


def _iso_date(ctx: Context, m: re.Match[str]) -> Candidate | None:
    day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return Candidate(m.start(), m.end(), "DATE", day.isoformat(), "iso-date") if day else None


def _numeric_date(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """d/m/yyyy or m/d/yyyy, only when one reading is impossible (a part above 12)."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    readings = {d for d in (_safe_date(year, a, b), _safe_date(year, b, a)) if d}
    if len(readings) != 1 or (a <= 12 and b <= 12 and a != b):
        return None
    return Candidate(m.start(), m.end(), "DATE", readings.pop().isoformat(), "numeric-date")


def _calendar_day(ctx: Context, m: re.Match[str], rule: str) -> Candidate | None:
    if not _month_word_ok(ctx, m, "mon"):
        return None
    month, day, year = ctx.words.month_number(m["mon"]), _day_number(m["d"]), _year_of(m["y"])
    if month is None:  # the pattern only matches listed month words, so this does not happen
        return None
    if year is not None:
        date = _safe_date(year, month, day)
        return Candidate(m.start(), m.end(), "DATE", date.isoformat(), rule) if date else None
    if _safe_date(2000, month, day) is None:  # no such day in any year (2000 is a leap year)
        return None
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", f"XXXX-{month:02d}-{day:02d}", rule)
    date = _resolve_month_day(month, day, ctx.published, ctx.tense(m.start(), m.end()))
    return Candidate(m.start(), m.end(), "DATE", date.isoformat(), rule, True) if date else None


def _month_day(ctx: Context, m: re.Match[str]) -> Candidate | None:
    return _calendar_day(ctx, m, "month-day")


def _day_month(ctx: Context, m: re.Match[str]) -> Candidate | None:
    return _calendar_day(ctx, m, "day-month")


def _month_year(ctx: Context, m: re.Match[str]) -> Candidate | None:
    if not _month_word_ok(ctx, m, "mon"):
        return None
    value = f"{int(m['y']):04d}-{ctx.words.month_number(m['mon']):02d}"
    return Candidate(m.start(), m.end(), "DATE", value, "month-year")


def _month(ctx: Context, m: re.Match[str]) -> Candidate | None:
    if not _month_word_ok(ctx, m, "mon", bare=True):
        return None
    word = m["mon"].lower()
    if word in ctx.words.ambiguous_months:
        token = ctx.token_at(m.start("mon"))
        if token is None or token.tag_ != "NNP" or token.ent_type_ != "DATE" and ctx.word_before(
                m.start()) not in ctx.words.year_cues + list(ctx.words.relative_modifiers):
            return None
    month = ctx.words.month_number(word)
    if month is None:  # the pattern only matches listed month words, so this does not happen
        return None
    modifier = _modifier(ctx, m["mod"])
    start = m.start()
    if ctx.published is None:
        value = ctx.vague(modifier) if modifier else f"XXXX-{month:02d}"
        return Candidate(start, m.end(), "DATE", value, "month")
    if modifier == -1:
        year = ctx.published.year if month < ctx.published.month else ctx.published.year - 1
        value = f"{year:04d}-{month:02d}"
    elif modifier == 1:
        year = ctx.published.year if month > ctx.published.month else ctx.published.year + 1
        value = f"{year:04d}-{month:02d}"
    elif modifier == 0:
        value = f"{ctx.published.year:04d}-{month:02d}"
    else:
        value = _resolve_month(month, ctx.published, ctx.tense(m.start("mon"), m.end()))
    return Candidate(start, m.end(), "DATE", value, "month", True)


def _year(ctx: Context, m: re.Match[str]) -> Candidate | None:
    token = ctx.token_at(m.start())
    in_date_entity = token is not None and token.ent_type_ == "DATE"
    before = ctx.word_before(m.start())
    if ctx.text[m.start() - 1:m.start()] == "-" and before not in ("mid", "early", "late"):
        return None
    if not in_date_entity and (before not in ctx.words.year_cues or (token is not None and token.dep_ == "nummod")):
        return None
    if _counts_things(token):
        return None
    return Candidate(m.start(), m.end(), "DATE", m["y"], "year")


def _counts_things(token: Token | None) -> bool:
    """A four-digit number counting the plural noun after it ("2019 votes") is not a year."""
    return token is not None and token.dep_ == "nummod" and token.head.tag_ == "NNS" and token.head.i == token.i + 1


def _decade(ctx: Context, m: re.Match[str]) -> Candidate | None:
    return Candidate(m.start(), m.end(), "DATE", m["digits"], "decade")


# --- intervals


def _interval_rule(m: re.Match[str]) -> str:
    prep = (m["prep"] or "").lower()
    return f"interval-{prep}" if prep else "interval-range"


def _interval_ok(m: re.Match[str]) -> bool:
    return m["conn"].lower() != "and" or (m["prep"] or "").lower() == "between"


def _day_interval(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"September 10-13", "between September 10 and 13", "from 10 to 13 September", "30 Sept to 2 Oct"."""
    if not _interval_ok(m) or not _month_word_ok(ctx, m, "mon") or not _month_word_ok(ctx, m, "mon1"):
        return None
    end_month = ctx.words.month_number(m["mon2"] or m["mon"])
    start_month = ctx.words.month_number(m["mon1"] or m["mon"])
    if start_month is None or end_month is None:  # the pattern only matches listed month words
        return None
    first_day, last_day = _day_number(m["d1"]), _day_number(m["d2"])
    start = min(m.start("d1"), m.start("mon"))  # day first ("10-13 September") or month first
    year = _year_of(m["y"])
    anchored = False
    if year is None and ctx.published is not None:
        first = _resolve_month_day(start_month, first_day, ctx.published, ctx.tense(start, m.end()))
        year, anchored = (first.year if first else None), True
    if year is None:
        if ctx.published is not None or _safe_date(2000, start_month, first_day) is None:
            return None
        value = f"XXXX-{start_month:02d}-{first_day:02d}/XXXX-{end_month:02d}-{last_day:02d}"
        return Candidate(start, m.end(), "DATE", value, _interval_rule(m))
    first, last = _safe_date(year, start_month, first_day), _safe_date(year, end_month, last_day)
    if first and last and last < first:
        last = _safe_date(year + 1, end_month, last_day)
    if not first or not last or last <= first:
        return None
    return Candidate(start, m.end(), "DATE", f"{first}/{last}", _interval_rule(m), anchored)


def _year_interval(ctx: Context, m: re.Match[str]) -> Candidate | None:
    if not _interval_ok(m):
        return None
    first, second = m["y1"], m["y2"]
    if len(second) == 2:
        second = first[:2] + second
    if int(second) <= int(first):
        return None
    after = ctx.token_at(m.end("y2") - 1)
    if after is not None and after.dep_ == "nummod" and after.ent_type_ != "DATE":
        return None  # "from 1500 to 2000 troops"
    return Candidate(m.start("y1"), m.end(), "DATE", f"{first}/{second}", _interval_rule(m))


def _month_interval(ctx: Context, m: re.Match[str]) -> Candidate | None:
    if not _interval_ok(m) or not m["prep"] and m["conn"] not in ("-", "–", "—"):
        return None
    if not _month_word_ok(ctx, m, "mon1", bare=True) or not _month_word_ok(ctx, m, "mon", bare=True):
        return None
    first, last = ctx.words.month_number(m["mon1"]), ctx.words.month_number(m["mon"])
    if first is None or last is None:  # the pattern only matches listed month words
        return None
    start, year, anchored = m.start("mon1"), _year_of(m["y"]), False
    if year is None and ctx.published is not None:
        year, anchored = int(_resolve_month(first, ctx.published, ctx.tense(start, m.end()))[:4]), True
    if year is None:
        return Candidate(start, m.end(), "DATE", f"XXXX-{first:02d}/XXXX-{last:02d}", _interval_rule(m))
    last_year = year if last > first else year + 1
    value = f"{year:04d}-{first:02d}/{last_year:04d}-{last:02d}"
    return Candidate(start, m.end(), "DATE", value, _interval_rule(m), anchored)


# --- expressions relative to the publication date


def _unit(ctx: Context, word: str) -> tuple[str, str]:
    code, granularity = ctx.words.units[word.lower()]
    return code, granularity


def _ago(ctx: Context, m: re.Match[str]) -> Candidate | None:
    _, granularity = _unit(ctx, m["unit"])
    count = ctx.words.number(m["n"])
    if ctx.published is None or count is None or count != int(count):
        return Candidate(m.start(), m.end(), "DATE", "PAST_REF", "ago", ctx.published is not None)
    granularity = "day" if granularity == "time" else granularity
    day = _shift(ctx.published, -int(count), granularity)
    if day is None:
        return Candidate(m.start(), m.end(), "DATE", "PAST_REF", "ago", True)
    return Candidate(m.start(), m.end(), "DATE", _value_at(day, granularity), "ago", True)


def _relative_unit(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"last week", "this month", "next year", "last weekend"."""
    modifier = _modifier(ctx, m["mod"])
    word = m["unit"].lower()
    token = ctx.token_at(m.start())
    if _capitalised(m["unit"]) and _capitalised(m["mod"]) and token is not None and not token.is_sent_start:
        return None  # "ABC's "This Week"": a title
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", ctx.vague(modifier or 0), "last-unit")
    granularity = "week" if word == "weekend" else _unit(ctx, word)[1]
    day = _shift(ctx.published, modifier or 0, granularity)
    if day is None:
        return None
    value = _iso_week(day) + "-WE" if word == "weekend" else _value_at(day, granularity)
    return Candidate(m.start(), m.end(), "DATE", value, "last-unit", True)


def _duration_value(ctx: Context, count: float | None, unit_word: str) -> str:
    """The TIMEX3 duration: "P3Y", "PT24H"; decades, centuries and quarters in years or months ("P20Y", "P9M");
    a fraction carried into the next smaller unit ("2 1/2 years" -> "P2Y6M")."""
    code, granularity = _unit(ctx, unit_word)
    time = granularity == "time"
    if code in ctx.words.unit_multipliers:
        code, factor = ctx.words.unit_multipliers[code]
        count = None if count is None else count * factor
    if count is None:
        return f"PTX{code}" if time else f"PX{code}"
    whole, fraction = int(count), count - int(count)
    smaller = ctx.words.smaller_units.get(("T" if time else "") + code)
    if fraction and smaller:
        small_code, per_unit = smaller
        rest = round(fraction * per_unit)
        small_time = small_code.startswith("T")
        head = f"{whole}{code}" if whole else ""
        if time or not small_time:
            return ("PT" if time else "P") + head + f"{rest}{small_code.lstrip('T')}"
        return f"P{head}T{rest}{small_code.lstrip('T')}"
    amount = str(whole) if not fraction else str(count)
    return f"PT{amount}{code}" if time else f"P{amount}{code}"


def _last_n_units(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"the last three years", "the past week", "the next few months": durations."""
    count = ctx.words.number(m["n"]) if m["n"] else 1.0
    return Candidate(m.start(), m.end(), "DURATION", _duration_value(ctx, count, m["unit"]), "last-n-units")


def _duration(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"three years", "two-week", "24 hours"; "in two weeks" in a future clause is a date."""
    after = ctx.word_after(m.end())
    if after in ctx.words.not_after_duration or ctx.text[m.end():m.end() + 4].lower() == "-old":
        return None
    count_word = m["n"].lower()
    before = ctx.word_before(m.start())
    if count_word in ("a", "an") and before not in ctx.words.duration_cues:
        return None
    count = ctx.words.number(count_word)
    _, granularity = _unit(ctx, m["unit"])
    if before == "in" and ctx.tense(m.start(), m.end()) == "future":
        if ctx.published is None or count is None or count != int(count):
            return Candidate(m.start(), m.end(), "DATE", "FUTURE_REF", "in-n-units", ctx.published is not None)
        granularity = "day" if granularity == "time" else granularity
        day = _shift(ctx.published, int(count), granularity)
        if day is None:
            return Candidate(m.start(), m.end(), "DATE", "FUTURE_REF", "in-n-units", True)
        return Candidate(m.start(), m.end(), "DATE", _value_at(day, granularity), "in-n-units", True)
    return Candidate(m.start(), m.end(), "DURATION", _duration_value(ctx, count, m["unit"]), "duration")


def _unspecified_duration(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"for years", "over decades"."""
    return Candidate(m.start("unit"), m.end(), "DURATION", _duration_value(ctx, None, m["unit"]), "duration")


def _deictic_day(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"today", "yesterday", "tomorrow morning", "tonight", "this morning", "last night"."""
    groups = m.groupdict()
    word = (groups.get("word") or "").lower()
    offsets = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
    offset = offsets.get(word, -1 if (groups.get("mod") or "").lower() == "last" else 0)
    part = groups.get("part") or ("night" if word == "tonight" else None)
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", ctx.vague(offset), "deictic-day")
    day = (ctx.published + dt.timedelta(days=offset)).isoformat()
    if part:
        return Candidate(m.start(), m.end(), "TIME", f"{day}T{ctx.words.day_parts[part.lower()]}", "deictic-day", True)
    return Candidate(m.start(), m.end(), "DATE", day, "deictic-day", True)


def _weekday(ctx: Context, m: re.Match[str]) -> Candidate | None:
    if not _capitalised(m["wd"]) or not ctx.is_calendar_name(m.start("wd"), m.end("wd")):
        return None
    weekday = ctx.words.weekdays[m["wd"].lower()]
    modifier = _modifier(ctx, m["mod"])
    part = ctx.words.day_parts[m["part"].lower()] if m["part"] else None
    if ctx.published is None:
        value = f"XXXX-WXX-{weekday}" + (f"T{part}" if part else "")
        return Candidate(m.start(), m.end(), "TIME" if part else "DATE", value, "weekday")
    day = _resolve_weekday(weekday, ctx.published, ctx.tense(m.start("wd"), m.end("wd")), modifier)
    value = day.isoformat() + (f"T{part}" if part else "")
    return Candidate(m.start(), m.end(), "TIME" if part else "DATE", value, "weekday", True)


def _season(ctx: Context, m: re.Match[str]) -> Candidate | None:
    token = ctx.token_at(m.start("season"))
    if token is None or token.pos_ not in ("NOUN", "PROPN") or not ctx.is_calendar_name(m.start("season"), m.end()):
        return None
    previous = token.nbor(-1) if token.i > 0 else None
    if _capitalised(m["season"]) and previous is not None and _capitalised(previous.text) and not (
            previous.is_sent_start or token.is_sent_start):
        return None  # part of a name ("Prague Spring")
    if not m["y"] and ctx.word_after(m.end()) == "of":
        return None  # "the fall of the Soviet Union", "the spring of discontent"
    code = ctx.words.seasons[m["season"].lower()]
    if m["season"].lower() == "fall" and not (m["mod"] or m["y"]) and ctx.word_before(m.start()) not in (
            "the", "in", "by", "until", "since", "during", "early", "late", "mid", "this", "next", "last"):
        return None
    modifier = _modifier(ctx, m["mod"])
    if m["y"]:
        return Candidate(m.start(), m.end(), "DATE", f"{m['y']}-{code}", "season")
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", f"XXXX-{code}", "season")
    value = _resolve_season(code, ctx.published, ctx.tense(m.start("season"), m.end()), modifier)
    return Candidate(m.start(), m.end(), "DATE", value, "season", True)


def _set(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"every week", "every other month", "every Monday", "twice a year", "weekly"."""
    groups = m.groupdict()
    if groups.get("adv"):
        token = ctx.token_at(m.start())
        if token is not None and (token.dep_ == "amod" or token.pos_ in ("NOUN", "PROPN")):
            return None  # "a quarterly dividend", "the party daily": a kind of thing, not a recurring time
        return Candidate(m.start(), m.end(), "SET", ctx.words.set_adverbs[m["adv"].lower()], "set")
    if groups.get("wd"):
        if not _capitalised(m["wd"]):
            return None
        return Candidate(m.start(), m.end(), "SET", f"XXXX-WXX-{ctx.words.weekdays[m['wd'].lower()]}", "set")
    count = 2.0 if groups.get("other") else (ctx.words.number(m["n"]) if groups.get("n") else 1.0)
    return Candidate(m.start(), m.end(), "SET", _duration_value(ctx, count, m["unit"]), "set")


def _vague(ctx: Context, m: re.Match[str]) -> Candidate | None:
    phrase = re.sub(r"\s+", " ", m[0].lower())
    if " " not in phrase and (ctx.word_after(m.end()) in ctx.words.relational_adverbs
                              or ctx.word_before(m.start()) == "as"):
        return None  # "soon after the vote", "shortly before", "as soon as": a relation to an event, not a time
    value = next(v for v, phrases in ctx.words.vague.items() if phrase in phrases)
    return Candidate(m.start(), m.end(), "DATE", value, "vague", ctx.published is not None)


def _clock(ctx: Context, m: re.Match[str]) -> Candidate | None:
    hour = int(m["h"]) % 12 + (12 if m["ap"].lower().startswith("p") else 0)
    clock = f"T{hour:02d}:{m['min'] or '00'}"
    day = ctx.published.isoformat() if ctx.published else "XXXX-XX-XX"
    return Candidate(m.start(), m.end(), "TIME", day + clock, "clock", ctx.published is not None)


# --- quarters, halves and the business year


def _part_year(n: int, size: int, anchor: dt.date, tense: Tense) -> int:
    """The year of the ``n``-th quarter (``size`` 3) or half (6) named without a year: the publication's year,
    except a part that has not begun by publication in a past or present clause (the year before: "the fourth
    quarter" in February) or one that has ended in a future clause (the year after)."""
    current = (anchor.month - 1) // size + 1
    if n > current and tense in ("past", "present"):
        return anchor.year - 1
    if n < current and tense == "future":
        return anchor.year + 1
    return anchor.year


def _quarter_value(index: int) -> str:
    year, quarter = divmod(index, 4)
    return f"{year:04d}-Q{quarter + 1}"


def _publication_quarter(ctx: Context) -> int | None:
    return None if ctx.published is None else ctx.published.year * 4 + (ctx.published.month - 1) // 3


def _year_word_offset(word: str | None) -> int:
    return {"last": -1, "next": 1}.get((word or "").lower(), 0)


def _ordinal_part(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"the third quarter", "third-quarter", "the fiscal first quarter", "the 1988 second quarter", "the year-ago
    third quarter", "the second half of 1989", "the last half of this year"."""
    unit = m["unit"].lower()
    ordinal = m["ord"].lower()
    if unit == "half":
        n = 2 if ordinal == "last" else ctx.words.quarter_ordinals.get(ordinal)
        if n not in (1, 2) or not (m["y"] or m["y0"] or m["yrel"] or m["yrel0"]):
            return None  # a bare "the second half" is as often a match's half as the year's
    else:
        n = 4 if ordinal == "last" else ctx.words.quarter_ordinals.get(ordinal)
        if n is None or (ordinal == "last" and not (m["y"] or m["y0"] or m["yrel"] or m["yrel0"])):
            return None  # "the last quarter" alone: the previous quarter, read by the bare-quarter rule
    code = f"Q{n}" if unit == "quarter" else f"H{n}"
    year = _year_of(m["y"] or m["y0"])
    anchored = False
    if year is None and ctx.published is not None:
        anchored = True
        if m["yrel"] or m["yrel0"]:
            year = ctx.published.year + _year_word_offset(m["yrel"] or m["yrel0"])
        else:
            year = _part_year(n, 3 if unit == "quarter" else 6, ctx.published, ctx.tense(m.start(), m.end()))
    if year is not None and m["rel"]:
        year -= 1  # "the year-ago third quarter"
    value = f"{year:04d}-{code}" if year is not None else f"XXXX-{code}"
    return Candidate(m.start(), m.end(), "DATE", value, "quarter", anchored)


def _bare_quarter(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"the quarter", "the latest quarter", "this quarter", "last quarter", "the year-ago quarter", "last year's
    quarter", "the quarter a year ago", "the 1988 period", "the year-earlier period".

    "the quarter"/"the latest quarter" refer back to the quarter the text last named (in a results story, the
    one reported), else to the last completed quarter; "period" is read as a quarter only when one was named."""
    det = re.sub(r"\s+", " ", m["det"].lower())
    mod = re.sub(r"\s+", " ", (m["mod"] or "").lower())
    kind = ctx.words.quarter_words.get(mod)
    if kind is None or ctx.word_after(m.end()) == "of":
        return None
    if det == "last year's" or m["ago"]:
        kind = "year-ago"
    elif det == "this" and not mod:
        kind = "current"
    elif det in ("last", "next") and not mod:
        kind = "previous" if det == "last" else "next"
    period = m["what"].lower() == "period"
    year = _year_of(m["yr"])
    if period and kind not in ("reference", "year-ago") or period and kind == "reference" and not (mod or year):
        return None  # "the period", "the current period": not necessarily a quarter
    here = _publication_quarter(ctx)
    if kind in ("current", "previous", "next"):
        if here is None:
            return Candidate(m.start(), m.end(), "DATE", "XXXX-QX", "quarter")
        shift = {"current": 0, "previous": -1, "next": 1}[kind]
        return Candidate(m.start(), m.end(), "DATE", _quarter_value(here + shift), "quarter", True)
    shift = -4 if kind == "year-ago" else 0
    if year is not None:
        return Candidate(m.start(), m.end(), "DATE", str(year), "quarter", refer=("quarter-of-year", year))
    fallback = "" if period and kind == "reference" else (
        _quarter_value(here - 1 + shift) if here is not None and not period else
        (f"{ctx.published.year - 1:04d}" if ctx.published is not None and period else ""))
    return Candidate(m.start(), m.end(), "DATE", fallback, "quarter", ctx.published is not None,
                     refer=("quarter", shift))


def _year_ago(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"a year earlier", "two years earlier", "year-ago" (results), "a year ago": in a text that has named a
    quarter, the same quarter that many years before (the comparison a results story makes); else the year."""
    count = ctx.words.number(m["n"]) if m["n"] else 1.0
    if count is None or count != int(count):
        return None
    years = int(count)
    if ctx.published is not None and ctx.published.year - years < 1:
        return None  # "6,000 years ago": the "ago" rule makes it vague
    fallback = f"{ctx.published.year - years:04d}" if ctx.published is not None else "PAST_REF"
    rule = "ago" if m[0].lower().endswith("ago") and m["n"] else "year-earlier"
    return Candidate(m.start(), m.end(), "DATE", fallback, rule, ctx.published is not None,
                     refer=("quarter", -4 * years))


def _business_year(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"the year", "the full year", "the current fiscal year", "the latest fiscal year" (the publication's year,
    or the one before for "latest"); "the year ended Sept. 30" is a twelve-month DURATION. Also "the month",
    "the week" (the publication's)."""
    after = ctx.word_after(m.end())
    if after in ctx.words.anchored_after_duration or after in ("ago", "of", "old", "-old", "-long") or re.match(
            r"\s+(?:\d|two\b|nineteen\b|twenty\b)", ctx.text[m.end():m.end() + 12], re.I):
        return None  # "the year before", "the year of the dragon", "the year 2000" (read by the year rules)
    unit = m["unit"]
    if not unit.islower():
        return None  # "Person of the Year"
    mod = re.sub(r"\s+", " ", (m["mod"] or "").lower())
    if unit == "year" and after in ("ended", "ending", "through", "to"):
        return Candidate(m.start(), m.end(), "DURATION", "P1Y", "business-year")
    if unit != "year" and mod or m[0][:4].lower() == "this" and not mod:
        return None  # "this year" is read by the relative-unit rule
    offset = ctx.words.year_words.get(mod)
    if offset is None:
        return None
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX"}[unit],
                         "business-year")
    day = _shift(ctx.published, offset, "year")
    return Candidate(m.start(), m.end(), "DATE", _value_at(day or ctx.published, unit), "business-year", True)


def _year_end(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"year-end", "year's end": the publication's year (TIMEX3 mod END)."""
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", "XXXX", "year-end")
    return Candidate(m.start(), m.end(), "DATE", f"{ctx.published.year:04d}", "year-end", True)


def _fiscal_year(ctx: Context, m: re.Match[str]) -> Candidate | None:
    return Candidate(m.start(), m.end(), "DATE", f"{int(m['y']):04d}", "fiscal-year")


def _month_relative_year(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"June last year", "January this year", "April next year"."""
    if not _month_word_ok(ctx, m, "mon"):
        return None
    month = ctx.words.month_number(m["mon"])
    if ctx.published is None:
        return Candidate(m.start(), m.end(), "DATE", f"XXXX-{month:02d}", "month-year")
    year = ctx.published.year + _year_word_offset(m["mod"])
    return Candidate(m.start(), m.end(), "DATE", f"{year:04d}-{month:02d}", "month-year", True)


# --- spoken numbers, decades, centuries, clock words


def _spelled_year_number(text: str, words: Words) -> int | None:
    """"nineteen ninety-six" -> 1996, "two thousand" -> 2000, "two thousand and one" -> 2001."""
    parts = re.sub(r"\s+and\s+", " ", text.lower().replace("-", " ")).split()
    if parts[:2] == ["two", "thousand"]:
        rest = " ".join(parts[2:])
        return 2000 + (int(words.number(rest) or 0) if rest else 0)
    century = words.numbers.get(parts[0])
    rest = " ".join(parts[1:])
    if century is None or not rest:
        return None
    if rest == "hundred":
        return century * 100
    if parts[1] == "oh" and len(parts) == 3:
        low = words.numbers.get(parts[2])
        return None if low is None else century * 100 + low
    low = words.number(rest)
    return None if low is None or not 10 <= low <= 99 else century * 100 + int(low)


def _spelled_year(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """Years as spoken in broadcast transcripts: "nineteen ninety-six", "the year two thousand", "January
    nineteen ninety-seven"."""
    year = _spelled_year_number(m["sy"], ctx.words)
    if year is None or _counts_things(ctx.token_at(m.end("sy") - 1)) or ctx.word_after(m.end()) in ("people", "troops"):
        return None
    if m["mon"]:
        if not _month_word_ok(ctx, m, "mon"):
            return None
        return Candidate(m.start(), m.end(), "DATE", f"{year:04d}-{ctx.words.month_number(m['mon']):02d}",
                         "spelled-year")
    return Candidate(m.start(), m.end(), "DATE", f"{year:04d}", "spelled-year")


def _spoken_decade(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"the nineties" -> 199 (the twentieth century's, as news before 2020 meant)."""
    return Candidate(m.start(), m.end(), "DATE", f"19{ctx.words.decade_words[m['dw'].lower()]}", "decade")


def _century(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"the 20th century" -> 19, "the nineteenth century" -> 18."""
    word = m["n"].lower()
    n = int(re.match(r"\d+", word)[0]) if word[0].isdigit() else ctx.words.ordinal_numbers.get(word)  # type: ignore[index]
    if not n or n > 30:
        return None
    return Candidate(m.start(), m.end(), "DATE", f"{n - 1:02d}", "century")


def _clock_word(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"noon", "midnight", "midday": on the publication day unless a day is named beside it."""
    clock = ctx.words.clock_words[m["cw"].lower()]
    day = ctx.published.isoformat() if ctx.published else "XXXX-XX-XX"
    return Candidate(m.start(), m.end(), "TIME", f"{day}T{clock}", "clock", ctx.published is not None)


def _spelled_year_pattern(w: Words) -> str:
    """"nineteen ninety-six", "eighteen hundred", "nineteen oh five", "two thousand (and) one"."""
    ones = [k for k, v in w.numbers.items() if 1 <= v <= 9 and " " not in k and k not in ("a", "an")]
    teens = [k for k, v in w.numbers.items() if 10 <= v <= 19 and " " not in k]
    tens = [k for k, v in w.numbers.items() if v in range(20, 100, 10) and " " not in k]
    one, teen, ten = _alternation(ones), _alternation(teens), _alternation(tens)
    century = _alternation(["seventeen", "eighteen", "nineteen", "twenty"])
    low = rf"(?:{ten}(?:[\s-]{one})?|{teen}|oh[\s-]{one}|hundred)"
    return rf"(?:{century}[\s-]+{low}|two\s+thousand(?:\s+(?:and\s+)?(?:{teen}|{one}))?)"


def _trigger_words(words: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The lower-case substrings of which every match of a rule holds at least one (None: no such list).

    A multi-word entry keeps its first word, as ``_alternation`` lets any whitespace stand between its words.
    The check is made on the lower-cased text, which gives exactly what ``re.IGNORECASE`` does only for ASCII
    (Unicode case folding also pairs e.g. the Kelvin sign with "k"), so a non-ASCII word drops the list.
    """
    if words is None:
        return None
    firsts = tuple(sorted({word.split()[0].lower() for word in words if word.strip()}))
    return firsts if firsts and all(word.isascii() for word in firsts) else None


Grammar = list[tuple[re.Pattern[str], Rule, tuple[str, ...] | None]]


@lru_cache(maxsize=1)
def _grammar() -> Grammar:
    """The rules in priority order (earlier wins a tie between equally long overlapping matches), each with its
    trigger words: a rule whose words are all absent from an article cannot match there and is not run, which
    spares most of the ~40 full-text scans (see ``_grammar_candidates``)."""
    p, w = _pieces(), load_words()
    count = rf"(?:{p.number}|{p.vague_number})"
    vague_phrases = [phrase for phrases in w.vague.values() for phrase in phrases]
    ordinals = _alternation(list(w.quarter_ordinals))
    quarter_mods = _alternation([word for word in w.quarter_words if word])
    year_mods = _alternation([word for word in w.year_words if word])
    spelled_year = _spelled_year_pattern(w)
    months = tuple(w.months)
    rules: list[tuple[str, Rule, tuple[str, ...] | None]] = [
        (r"(?<![\w-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w-])", _iso_date, None),
        (r"(?<![\w/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\w/])", _numeric_date, None),
        (rf"(?<!\w)(?:(?P<prep>between|from)\s+)?(?P<mon>{p.month_any})\s+(?P<d1>{p.day})\s*(?P<conn>{p.conn})\s*"
         rf"(?:(?P<mon2>{p.month_any})\s+)?(?P<d2>{p.day})(?:,?\s+(?P<y>{p.year}))?(?P<mon1>(?!))?(?![\w-])",
         _day_interval, None),
        (rf"(?<![\w-])(?:(?P<prep>between|from)\s+)?(?P<d1>{p.day})(?:\s+(?P<mon1>{p.month_any}))?\s*"
         rf"(?P<conn>{p.conn})\s*(?P<d2>{p.day})\s+(?:of\s+)?(?P<mon>{p.month_any})(?:,?\s+(?P<y>{p.year}))?"
         rf"(?P<mon2>(?!))?(?!\w)", _day_interval, None),
        (rf"(?<![\w-])(?:(?P<prep>between|from)\s+)?(?P<y1>{p.year})\s*(?P<conn>{p.conn})\s*"
         rf"(?P<y2>{p.year}|\d\d)(?![\w-])", _year_interval, None),
        (rf"(?<!\w)(?:(?P<prep>between|from)\s+)?(?P<mon1>{p.month_full})\s*(?P<conn>{p.conn})\s*"
         rf"(?P<mon>{p.month_full})(?:,?\s+(?P<y>{p.year}))?(?!\w)", _month_interval, months),
        (rf"(?<!\w)(?P<mon>{p.month_any})\s+(?P<d>{p.day})(?:,?\s+(?P<y>{p.year}))?(?![\w-])", _month_day, None),
        (rf"(?<![\w-])(?P<d>{p.day})\s+(?:of\s+)?(?P<mon>{p.month_any})(?:,?\s+(?P<y>{p.year}))?(?!\w)",
         _day_month, None),
        (rf"(?<!\w)(?P<mon>{p.month_any}),?\s+(?:of\s+)?(?P<y>{p.year})(?!\w)", _month_year, None),
        (rf"(?<!\w)(?:(?P<mod>last|this|next|coming|past)\s+)?(?P<mon>{p.month_full})(?!\w)", _month, months),
        (rf"(?<!\w){_alternation(vague_phrases)}(?!\w)", _vague, None),
        (rf"(?<![\w-])(?:(?P<n>{p.number})\s+years?\s+(?:ago|earlier)|year-(?:ago|earlier))(?![\w-])",
         _year_ago, ("ago", "earlier")),
        (rf"(?<![\w-])(?P<n>{count})[\s-]+(?P<unit>{p.unit})\s+ago(?!\w)", _ago, ("ago",)),
        (rf"(?<![\w-])(?:(?:the|its|their|this|that)\s+|(?P<yrel0>this|last|next)\s+year's\s+)?"
         rf"(?:(?:same|comparable|corresponding)\s+)?(?:(?P<rel>year-ago|year-earlier)\s+)?(?:(?P<y0>{p.year})\s+)?"
         rf"(?:fiscal[\s-]+)?(?P<ord>{ordinals}|last)[\s-]+(?:fiscal[\s-]+)?(?P<unit>quarter|half)"
         rf"(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?P<y>{p.year})|\s+of\s+(?P<yrel>the|this|next|last)\s+year)?(?![\w-])",
         _ordinal_part, ("quarter", "half")),
        (rf"(?<![\w-])(?P<det>the|this|that|last|next|its|their|last\s+year's|this\s+year's|the\s+(?P<yr>{p.year}))"
         rf"\s+(?:(?P<mod>{quarter_mods})\s+)?(?:fiscal\s+)?(?P<what>quarter|period)"
         rf"(?P<ago>\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year))?(?![\w-])",
         _bare_quarter, ("quarter", "period")),
        (rf"(?<![\w-])(?:the|this)\s+(?:(?P<mod>{year_mods})\s+)?(?P<unit>year|month|week)(?![\w-])",
         _business_year, None),
        (r"(?<![\w-])(?:year[\s-]end|year's\s+end)(?![\w-])", _year_end, None),
        (rf"(?<![\w-])fiscal\s+(?:year\s+)?(?P<y>{p.year})(?![\w-])", _fiscal_year, ("fiscal",)),
        (rf"(?<!\w)(?P<mon>{p.month_full})\s+(?P<mod>last|this|next)\s+year(?![\w-])", _month_relative_year, months),
        (rf"(?<![\w-])(?:the\s+year\s+)?(?:(?P<mon>{p.month_full})\s+)?(?P<sy>{spelled_year})(?![\w-])",
         _spelled_year, ("seventeen", "eighteen", "nineteen", "twenty", "thousand")),
        (rf"(?<![\w-])the\s+(?:(?:early|late|mid)[\s-]+)?(?P<dw>{_alternation(list(w.decade_words))})(?![\w-])",
         _spoken_decade, tuple(w.decade_words)),
        (rf"(?<![\w-])(?:the\s+)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{_alternation(list(w.ordinal_numbers))})[\s-]+century(?!\w)",
         _century, ("century",)),
        (rf"(?<![\w-])(?P<cw>{_alternation(list(w.clock_words))})(?![\w-])", _clock_word, tuple(w.clock_words)),
        (rf"(?<!\w)the\s+(?P<mod>last|past|next|coming|previous|first|following)\s+"
         rf"(?:(?P<n>{count})\s+)?(?P<unit>{p.unit})(?!\w)", _last_n_units, None),
        (rf"(?<!\w)(?P<mod>{p.modifier})\s+(?P<unit>week|month|year|weekend|quarter|decade|century)(?!\w)",
         _relative_unit, None),
        (rf"(?<!\w)(?P<word>today|yesterday|tomorrow|tonight)(?:\s+(?P<part>{p.day_part}))?(?!\w)",
         _deictic_day, ("today", "yesterday", "tomorrow", "tonight")),
        (rf"(?<!\w)(?P<mod>this|last)\s+(?P<part>{p.day_part})(?!\w)", _deictic_day, None),
        (rf"(?<!\w)(?:(?P<mod>last|this|next|coming|past)\s+)?(?P<wd>{p.weekday})"
         rf"(?:\s+(?P<part>{p.day_part}))?(?!\w)", _weekday, tuple(w.weekdays)),
        (rf"(?<!\w)(?:every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<n>{p.number})\s+)?(?P<unit>{p.unit})(?!\w)",
         _set, ("every", "each")),
        (rf"(?<!\w)(?:every|each)\s+(?P<wd>{p.weekday})(?!\w)", _set, ("every", "each")),
        (rf"(?<!\w)(?:once|twice|thrice|{p.number}\s+times)\s+(?:a|an|per|each)\s+(?P<unit>{p.unit})(?!\w)",
         _set, ("once", "twice", "thrice", "times")),
        (rf"(?<!\w)(?P<adv>{_alternation(list(w.set_adverbs))})(?!\w)", _set, tuple(w.set_adverbs)),
        (rf"(?<![\w-])(?P<n>{count})[\s-]+(?P<unit>{p.unit})(?!\w)", _duration, None),
        (r"(?<!\w)(?:for|over)\s+(?P<unit>days|weeks|months|years|decades|centuries)(?!\w)",
         _unspecified_duration, None),
        (rf"(?<!\w)(?:(?P<mod>last|this|next|coming|past)\s+)?(?P<season>{p.season})"
         rf"(?:\s+(?:of\s+)?(?P<y>{p.year}))?(?!\w)", _season, tuple(w.seasons)),
        (r"(?<!\w)(?P<digits>(?:1[5-9]|20)\d)0s(?!\w)", _decade, ("0s",)),
        (rf"(?<![\w$€£.,/])(?P<y>{p.year})(?![\w%/]|[.,]\d|-\d)", _year, None),
        (r"(?<![\w:.])(?P<h>1[0-2]|0?[1-9])(?::(?P<min>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm)(?![\w])", _clock, None),
    ]
    return [(re.compile(pattern, re.IGNORECASE), rule, _trigger_words(triggers)) for pattern, rule, triggers in rules]


# ---------------------------------------------------------------------------------- spaCy entity fallback

_YEAR_IN_ENTITY = re.compile(r"(?<![\w$€£.,/])(1[5-9]\d\d|20\d\d|21\d\d)(?![\w%/]|[.,]\d|-\d)")


def _entity_candidates(ctx: Context) -> list[Candidate]:
    """spaCy DATE/TIME entities the grammar did not read, trimmed, kept when they name a year."""
    found: list[Candidate] = []
    trim = set(ctx.words.trim_leading)
    for entity in ctx.doc.ents:
        if entity.label_ not in ("DATE", "TIME"):
            continue
        tokens = list(entity)
        while tokens and (tokens[0].lower_ in trim or tokens[0].is_punct or tokens[0].is_space):
            tokens.pop(0)
        while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        years = list(_YEAR_IN_ENTITY.finditer(ctx.text, start, end))
        if len(years) == 1 and not _counts_things(ctx.token_at(years[0].start())):
            found.append(Candidate(start, end, "DATE", years[0][1], "entity-year"))
    return found


# ----------------------------------------------------------------------------------------------- the stage


def _grammar_candidates(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    # Trigger words are only trusted on ASCII text, where lower-casing agrees with re.IGNORECASE.
    lowered = ctx.text.lower() if ctx.text.isascii() else None
    for pattern, rule, triggers in _grammar():
        if lowered is not None and triggers is not None and not any(word in lowered for word in triggers):
            continue  # no match is possible, and an empty scan of the whole text costs as much as a full one
        for match in pattern.finditer(ctx.text):
            try:
                candidate = rule(ctx, match)
            except OverflowError:
                continue  # "Tuesday" from a publication date in year 1 or 9999: the day falls off the calendar
            if candidate is not None and candidate.end > candidate.start:
                found.append(candidate)
    return found


def _select(candidates: list[Candidate], order: dict[int, int]) -> list[Candidate]:
    """Non-overlapping candidates, longest first; ``order`` breaks ties (earlier rule wins)."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), order[id(c)], c.start))
    chosen: list[Candidate] = []
    for candidate in ranked:
        if all(candidate.end <= other.start or candidate.start >= other.end for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _resolve_references(chosen: list[Candidate]) -> list[Candidate]:
    """Give the candidates that point back at the last named quarter their value ("the quarter", "a year
    earlier" in a results story); drop those that need one when the text names none ("the latest period")."""
    resolved: list[Candidate] = []
    last_quarter: int | None = None
    for candidate in chosen:
        if candidate.refer is not None:
            mode, shift = candidate.refer
            if last_quarter is not None:
                quarter = last_quarter % 4 if mode == "quarter-of-year" else last_quarter + shift
                value = _quarter_value(shift * 4 + quarter) if mode == "quarter-of-year" else _quarter_value(quarter)
                candidate = replace(candidate, value=value, anchored=False)
            elif not candidate.value:
                continue
        named = _QUARTER_VALUE.fullmatch(candidate.value)
        if named and (candidate.refer is None or candidate.refer == ("quarter", 0)):
            last_quarter = int(named[1]) * 4 + int(named[2]) - 1
        resolved.append(candidate)
    return resolved


def _merge_neighbours(chosen: list[Candidate], ctx: Context) -> list[Candidate]:
    """Join what TIMEX3 reads as one expression: a weekday and its date ("Saturday, April 25"), a clock time and
    its day ("10 p.m. Wednesday", "5 p.m. EST Nov. 9", "noon Saturday")."""
    zones = _alternation(ctx.words.time_zones)
    merged: list[Candidate] = []
    for candidate in chosen:
        previous = merged[-1] if merged else None
        gap = ctx.text[previous.end:candidate.start] if previous else ""
        day = _DAY_VALUE.fullmatch(candidate.value)
        if previous and day and candidate.type == "DATE":
            if previous.rule == "weekday" and previous.type == "DATE" and re.fullmatch(r",?\s{1,2}", gap) \
                    and candidate.rule in ("month-day", "day-month"):
                merged[-1] = replace(candidate, start=previous.start)
                continue
            if previous.rule == "clock" and previous.type == "TIME" and re.fullmatch(rf",?\s+(?:{zones},?\s+)?", gap):
                clock = previous.value.partition("T")[2]
                merged[-1] = Candidate(previous.start, candidate.end, "TIME", f"{candidate.value}T{clock}", "clock",
                                       candidate.anchored)
                continue
        merged.append(candidate)
    return merged


def _extend_spans(chosen: list[Candidate], ctx: Context) -> list[Candidate]:
    """Take into the span the words TIMEX3 counts as part of the expression (its mod): "early"/"late"/"mid"/"the
    end of" before a date, "nearly"/"at least"/"more than" before a duration or an "ago", and "the" before a
    counted duration ("the nine months")."""
    prefixes = _alternation(ctx.words.span_prefixes)
    approximators = _alternation(ctx.words.approximators)
    extended: list[Candidate] = []
    for candidate in chosen:
        floor = extended[-1].end if extended else 0
        before = ctx.text[max(floor, candidate.start - 40):candidate.start]
        if candidate.type in ("DATE", "TIME"):
            pattern = rf"(?<![\w-])(?:{approximators}\s+)?(?:{prefixes})(?:\s+|-)$" if candidate.rule == "ago" \
                else rf"(?<![\w-])(?:{prefixes})(?:\s+|-)$"
            if candidate.rule == "ago" and not re.search(pattern, before, re.I):
                pattern = rf"(?<![\w-])(?:{approximators})\s+$"
        elif candidate.type == "DURATION":
            pattern = rf"(?<![\w-])(?:{approximators})\s+$"
            if candidate.rule == "duration" and not re.search(pattern, before, re.I) \
                    and not re.match(r"(?:a|an)\b", ctx.text[candidate.start:candidate.end], re.I):
                pattern = r"(?<![\w-])the\s+(?:latest\s+)?$"
        else:
            pattern = ""
        match = re.search(pattern, before, re.I) if pattern else None
        if match and match.start() < len(before):
            candidate = replace(candidate, start=candidate.start - (len(before) - match.start()))
        extended.append(candidate)
    return extended


def find_timexes(doc: Doc, published: dt.date | None) -> list[Timex]:
    """Time expressions of ``doc`` with TIMEX3 types and values, resolved against ``published``.

    Ids run T1, T2, ... in text order; offsets are into ``doc.text``. See the module docstring for the
    ambiguity policy and for what happens without a publication date.
    """
    if doc is None or not text_of(doc).strip():
        return []
    if published is not None and isinstance(published, dt.datetime):
        published = published.date()
    ctx = Context(doc, published)
    grammar = _grammar_candidates(ctx)
    order = {id(c): i for i, c in enumerate(grammar)}
    chosen = _select(grammar, order)
    extra = [c for c in _entity_candidates(ctx)
             if all(c.end <= o.start or c.start >= o.end for o in chosen)]
    chosen = sorted(chosen + extra, key=lambda c: c.start)
    chosen = _extend_spans(_merge_neighbours(_resolve_references(chosen), ctx), ctx)
    anchor = published.isoformat() if published else None
    return [
        Timex(id=f"T{i}", start=c.start, end=c.end, text=ctx.text[c.start:c.end], type=c.type, value=c.value,
              anchor=anchor if c.anchored else None, rule=c.rule)
        for i, c in enumerate(chosen, start=1)
    ]
