"""Score one analysis against a gold file in the seed format (``shared/fixtures/README.md``).

:func:`score` is a pure function over records: it takes an :class:`~tidings.records.Analysis` and the gold
dict and returns a :class:`SeedReport` — named figures that are tracked from run to run, and every miss by id
with the reason, so a person can see at once what broke. :func:`render` turns the report into plain text.

How each section matches (the README's rules, made precise):

- **Strings.** Containment tests ("its content span contains X") compare after folding whitespace runs to one
  space and curly quote marks to straight ones. "Occurrences" of a gold string in the text are found the same
  way, and for short names (actors, time expressions, places) only as whole words, so ``Kim`` does not occur
  inside ``Kimberly``. Actor occurrences are searched case-sensitively in the body ``text[body_start:]``;
  time expressions case-insensitively in the whole text.
- **actors.** A ``mention`` item matches when every occurrence in the body is covered by a mention
  (``mention.start <= occ.start`` and ``occ.end <= mention.end``) whose actor has the gold country and, where
  given, a primary ``sector`` equal to the gold sector (or in the gold list). A null country or sector is not
  checked. A ``name`` item matches when one actor carries that canonical name (case-, accent- and
  whitespace-insensitive) with that country/sector and every occurrence of every alias in the body is covered
  by a mention linked to that actor (a long alias covering a short one counts for both). A gold string that
  does not occur in the body at all is a miss: the body itself is wrong.
- **quotes.** A gold quote matches when one output quote's content contains ``content_contains``, its kind is
  allowed, and its speaker resolves: a canonical name among ``speaker.actor_ids`` (a list of names must equal
  the set of speaker actor names), or the ``speaker.descriptor`` equal to the gold speaker, or — where
  ``speaker_countries`` is given — the set of speaker countries equal to exactly that set. ``anonymous: true``
  also requires ``speaker.anonymous``. One output quote may match several gold quotes (a long indirect quote
  can hold two gold fragments).
- **events.** Core match as in the README (evidence contains, sources intersect, targets intersect or the gold
  target is empty, root in the list, PLOVER in the list when the list is non-empty). Matching is one-to-one,
  greedy in gold order, preferring the candidate that gets most attributes right. Attribute accuracies are
  over matched events whose gold item has the attribute: ``modality`` in the list; ``attributed_to`` (a
  canonical name among the attribution's actors) and ``attributed_to_country`` (in its countries) together;
  ``status`` equal; ``date`` equal, or a gold year/month that the value falls in (gold ``2023-07`` accepts
  ``2023-07-14``); ``location`` equal to or contained in the place name (case- and accent-insensitive).
- **must_not_assert.** Every (gold item, output event) pair whose evidence, source, target and root match and
  whose modality is outside ``allowed_modality`` is one violation.
- **claims.** Span contains ``claim_contains``, ``source_country`` among its source countries, status in the
  list.
- **timexes.** A timex is a candidate for a gold item when it overlaps an occurrence of the gold text and one
  text contains the other (so ``September 10`` can answer ``September 10 and 13``); the item matches when a
  candidate's value is ``value`` or in ``also_ok``.
- **places.** A place whose text equals or contains the gold text, with the same country, within 161 km
  (great circle) of the gold coordinates.
- **dyads.** Over asserted events, those whose sources hold one country of the pair and targets the other (either
  direction); the mean Goldstein must be > 0 for ``cooperative``, < 0 for ``conflictual``; none means not ok.

Precision is judged only where the gold annotates the text, since the gold does not list everything:

- ``quotes_precision``: output quotes whose content overlaps an occurrence of some gold ``content_contains``
  are judged; correct are those that fully match some gold quote.
- ``events_precision``: output events whose evidence contains some gold ``evidence_contains`` (of ``events``
  or ``must_not_assert``) are judged; correct are those that core-match some gold event (one-to-one not
  required) or core-match a ``must_not_assert`` item with an allowed modality.
- ``timexes_precision``: timexes overlapping an occurrence of some gold text are judged; correct are those that
  are a candidate, with an accepted value, for a gold item they overlap.

A ratio with nothing to count (no gold items, no judged output, no matched event) is 1.0 — nothing was missed
or wrong; the ``*_judged`` and ``events_matched`` counts say when that is vacuous.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tidings.records import Actor, Analysis, Claim, Event, Mention, Place, Quote, Timex

SEED_GOLD_FILE = "elpais-2023-09-russia-north-korea.gold.json"
PLACE_TOLERANCE_KM = 161.0  # 100 miles, the README's tolerance
EARTH_RADIUS_KM = 6371.0088
SECTIONS = ("actors", "quotes", "events", "claims", "timexes", "places")

Figure = float | int | bool


@dataclass
class SeedReport:
    """Named figures (stable keys, tracked from run to run) and every miss by gold id with its reason."""

    figures: dict[str, Figure] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)


def default_gold_path() -> Path:
    """The seed gold file in ``../shared`` beside the repository (the CLI's ``--data`` overrides it)."""
    repository = Path(__file__).parents[3]
    return (repository / ".." / "shared" / "fixtures" / "seed" / SEED_GOLD_FILE).resolve()


def load_gold(path: Path) -> dict:
    """Read a gold file; a missing or malformed file raises ``ValueError`` with a readable message."""
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read gold file {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"gold file {path} is not valid JSON: {error}") from error
    if not isinstance(gold, dict):
        raise ValueError(f"gold file {path} must hold a JSON object")
    return gold


# --------------------------------------------------------------------------------------------------- text


_QUOTE_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})


def fold(text: str) -> str:
    """Whitespace runs to one space, curly quote marks to straight ones: how gold strings are compared."""
    return " ".join(text.translate(_QUOTE_FOLD).split())


def fold_name(text: str) -> str:
    """A name for comparison: folded, without accents, case-insensitive."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=8)
def _folded_with_origin(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded text and, for each of its characters, the offset it came from in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    in_space = False
    for offset, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                chars.append(" ")
                origin.append(offset)
            in_space = True
            continue
        in_space = False
        chars.append(ch.translate(_QUOTE_FOLD))
        origin.append(offset)
    return "".join(chars), tuple(origin)


def find_occurrences(text: str, needle: str, *, start: int = 0, whole_words: bool = False,
                     ignore_case: bool = False) -> list[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``text[start:]`` (folded search), as offsets into ``text``."""
    target = fold(needle)
    if not target or not text:
        return []
    folded, origin = _folded_with_origin(text)
    pattern = re.escape(target)
    if whole_words and re.match(r"\w", target):
        pattern = r"(?<!\w)" + pattern
    if whole_words and re.search(r"\w$", target):
        pattern += r"(?!\w)"
    flags = re.IGNORECASE if ignore_case else 0
    found = []
    for match in re.finditer(pattern, folded, flags):
        begin, end = origin[match.start()], origin[match.end() - 1] + 1
        if begin >= start:
            found.append((begin, end))
    return found


def _contains(haystack: str | None, needle: str) -> bool:
    return bool(haystack) and fold(needle) in fold(haystack or "")


def _overlaps(start: int, end: int, region: tuple[int, int]) -> bool:
    return start < region[1] and region[0] < end


def _as_list(value: Any) -> list:
    """Gold fields are a value or a list of values; ``None`` means absent."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [item for item in value if item is not None]
    return [value]


def _as_strings(value: Any) -> list[str]:
    return [str(item) for item in _as_list(value)]


def _root(code: Any) -> str:
    """CAMEO roots compare as two-digit strings ("4" and "04" are the same root)."""
    text = str(code).strip()
    return text.zfill(2) if text.isdigit() else text


def _quoted(text: str, limit: int = 60) -> str:
    text = fold(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# ------------------------------------------------------------------------------------------------ outcomes


@dataclass
class _Outcome:
    """Whether one gold item was found, and why not."""

    section: str
    id: str
    required: bool
    matched: bool
    why: str = ""

    def miss(self) -> dict:
        return {"section": self.section, "id": self.id, "required": self.required, "why": self.why}


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 1.0


def _recall_figures(section: str, outcomes: Sequence[_Outcome], report: SeedReport) -> None:
    required = [outcome for outcome in outcomes if outcome.required]
    report.figures[f"{section}_required_recall"] = _ratio(sum(o.matched for o in required), len(required))
    report.figures[f"{section}_recall"] = _ratio(sum(o.matched for o in outcomes), len(outcomes))
    report.misses.extend(outcome.miss() for outcome in outcomes if not outcome.matched)


def _items(gold: dict, section: str) -> list[dict]:
    """The gold items of a section; anything that is not an object is skipped."""
    return [item for item in _as_list(gold.get(section)) if isinstance(item, dict)]


def _item_id(item: dict, *keys: str) -> str:
    for key in ("id", *keys):
        value = item.get(key)
        if value:
            return str(value) if not isinstance(value, list) else ", ".join(map(str, value))
    return "?"


class _Lookup:
    """The analysis, indexed for the checks below."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.text = analysis.article.text
        self.body_start = min(max(analysis.article.body_start, 0), len(self.text))
        self.actors = {actor.id: actor for actor in analysis.actors}

    def actor_label(self, actor_id: str | None) -> str:
        actor = self.actors.get(actor_id or "")
        if actor is None:
            return "an unlinked mention" if actor_id is None else f"unknown actor {actor_id!r}"
        return f"{actor.name!r} ({actor.country}/{actor.sector})"

    def names(self, actor_ids: Iterable[str]) -> set[str]:
        return {fold_name(self.actors[i].name) for i in actor_ids if i in self.actors}

    def countries(self, countries: Iterable[str], actor_ids: Iterable[str]) -> set[str]:
        """The countries a speaker or attribution names; from its actors when it lists none itself."""
        listed = {c for c in countries if c}
        if listed:
            return listed
        return {country for i in actor_ids if i in self.actors and (country := self.actors[i].country)}


# -------------------------------------------------------------------------------------------------- document


def _score_document(lookup: _Lookup, gold: dict, report: SeedReport) -> None:
    document = gold.get("document")
    problems: list[tuple[str, str]] = []
    if isinstance(document, dict):
        article = lookup.analysis.article
        for key, value in (("title", article.title), ("subtitle", article.subtitle)):
            if key in document and fold(str(document[key] or "")) != fold(value or ""):
                problems.append((key, f"{key} is {_quoted(value or '')}, expected {_quoted(str(document[key]))}"))
        body = fold(lookup.text[lookup.body_start:])
        starts, ends = document.get("body_starts_with"), document.get("body_ends_with")
        if starts and not body.startswith(fold(str(starts))):
            problems.append(("body_starts_with", f"body starts with {_quoted(body[:60])}"))
        if ends and not body.endswith(fold(str(ends))):
            problems.append(("body_ends_with", f"body ends with {_quoted(body[-60:])}"))
        # Furniture is searched in the whole text: left in the title it is no better than in the body.
        for furniture in _as_strings(document.get("body_must_not_contain")):
            if _contains(lookup.text, furniture):
                problems.append(("body_must_not_contain", f"{_quoted(furniture)} is left in the text"))
        if document.get("removed_must_be_reported") and not article.removed:
            problems.append(("removed_must_be_reported", "nothing is reported as removed"))
    report.figures["document_ok"] = not problems
    report.misses.extend({"section": "document", "id": key, "required": True, "why": why} for key, why in problems)


# ---------------------------------------------------------------------------------------------------- actors


def _actor_fits(actor: Actor | None, country: Any, sector: Any) -> bool:
    """Country and primary sector as the gold has them; a null gold value is not checked."""
    if actor is None:
        return False
    if country is not None and actor.country != country:
        return False
    sectors = _as_strings(sector)
    return not sectors or actor.sector in sectors


def _covering(mentions: Sequence[Mention], occurrence: tuple[int, int]) -> list[Mention]:
    return [m for m in mentions if m.start <= occurrence[0] and occurrence[1] <= m.end]


def _score_mention_item(lookup: _Lookup, item: dict) -> str:
    """Why a ``mention`` item fails ('' when it matches)."""
    surface = str(item["mention"])
    occurrences = find_occurrences(lookup.text, surface, start=lookup.body_start, whole_words=True)
    if not occurrences:
        return f"{surface!r} does not occur in the body"
    failures = []
    for occurrence in occurrences:
        covering = _covering(lookup.analysis.mentions, occurrence)
        if any(_actor_fits(lookup.actors.get(m.actor_id or ""), item.get("country"), item.get("sector"))
               for m in covering):
            continue
        if not covering:
            failures.append(f"at {occurrence[0]} no mention covers it")
        else:
            labels = sorted({lookup.actor_label(m.actor_id) for m in covering})
            failures.append(f"at {occurrence[0]} resolved to {', '.join(labels)}")
    if not failures:
        return ""
    want = f"{item.get('country')}/{item.get('sector')}"
    return f"{len(failures)} of {len(occurrences)} occurrences not {want}: " + "; ".join(failures[:4])


def _alias_failures(lookup: _Lookup, actor: Actor, aliases: Sequence[str]) -> list[str]:
    failures = []
    linked = [m for m in lookup.analysis.mentions if m.actor_id == actor.id]
    for alias in aliases:
        occurrences = find_occurrences(lookup.text, alias, start=lookup.body_start, whole_words=True)
        if not occurrences:
            failures.append(f"alias {alias!r} does not occur in the body")
        for occurrence in occurrences:
            if not _covering(linked, occurrence):
                others = _covering(lookup.analysis.mentions, occurrence)
                where = ", ".join(sorted({lookup.actor_label(m.actor_id) for m in others})) or "no mention"
                failures.append(f"{alias!r} at {occurrence[0]} not linked (covered by {where})")
    return failures


def _score_name_item(lookup: _Lookup, item: dict) -> str:
    """Why a ``name`` item fails ('' when it matches); the best-fitting actor of that name is reported."""
    name = str(item["name"])
    candidates = [a for a in lookup.analysis.actors if fold_name(a.name) == fold_name(name)]
    if not candidates:
        return f"no actor named {name!r}"
    reasons = []
    for actor in candidates:
        problems = []
        if not _actor_fits(actor, item.get("country"), item.get("sector")):
            problems.append(f"actor is {actor.country}/{actor.sector}, expected "
                            f"{item.get('country')}/{item.get('sector')}")
        problems += _alias_failures(lookup, actor, _as_strings(item.get("aliases")))
        if not problems:
            return ""
        reasons.append(problems)
    best = min(reasons, key=len)
    return "; ".join(best[:4]) + (f" (+{len(best) - 4} more)" if len(best) > 4 else "")


def _score_actors(lookup: _Lookup, gold: dict) -> list[_Outcome]:
    outcomes = []
    for item in _items(gold, "actors"):
        if item.get("mention"):
            why = _score_mention_item(lookup, item)
        elif item.get("name"):
            why = _score_name_item(lookup, item)
        else:
            why = "gold item has neither 'mention' nor 'name'"
        outcomes.append(_Outcome("actors", _item_id(item, "mention", "name"), bool(item.get("required")),
                                 not why, why))
    return outcomes


# ---------------------------------------------------------------------------------------------------- quotes


def _speaker_problem(lookup: _Lookup, quote: Quote, item: dict) -> str:
    """Why the quote's speaker is not the gold speaker ('' when it is)."""
    speaker = quote.speaker
    wanted = _as_strings(item.get("speaker"))
    names = lookup.names(speaker.actor_ids)
    folded_wanted = {fold_name(w) for w in wanted}
    if len(wanted) == 1:
        resolved = folded_wanted <= names or (speaker.descriptor is not None
                                              and fold_name(speaker.descriptor) in folded_wanted)
    else:
        resolved = bool(wanted) and folded_wanted == names
    countries = _as_strings(item.get("speaker_countries"))
    if not resolved and countries:
        resolved = set(countries) == lookup.countries(speaker.countries, speaker.actor_ids)
    if not resolved:
        got = sorted(lookup.actors[i].name for i in speaker.actor_ids if i in lookup.actors)
        return (f"speaker is {got or speaker.descriptor!r} {sorted(speaker.countries)}, expected "
                f"{wanted or ''} {countries or ''}".rstrip())
    if item.get("anonymous") and not speaker.anonymous:
        return "speaker not flagged anonymous"
    return ""


def _quote_problem(lookup: _Lookup, quote: Quote, item: dict) -> str:
    """Why a quote whose content matches is still not this gold quote ('' when it is)."""
    kinds = _as_strings(item.get("kind"))
    if kinds and quote.kind not in kinds:
        return f"kind {quote.kind!r} not in {kinds}"
    return _speaker_problem(lookup, quote, item)


def _score_quotes(lookup: _Lookup, gold: dict, report: SeedReport) -> list[_Outcome]:
    items = [item for item in _items(gold, "quotes") if item.get("content_contains")]
    quotes = lookup.analysis.quotes
    outcomes, content_found, speaker_right = [], 0, 0
    for item in items:
        content = str(item["content_contains"])
        same = [q for q in quotes if _contains(q.content.text, content)]
        problems = [_quote_problem(lookup, q, item) for q in same]
        if same:
            content_found += 1
            speaker_right += any(not _speaker_problem(lookup, q, item) for q in same)
        matched = any(not problem for problem in problems)
        why = "" if matched else (f"{same[0].id}: {problems[0]}" if same
                                  else f"no quote's content contains {_quoted(content)}")
        outcomes.append(_Outcome("quotes", _item_id(item, "content_contains"), bool(item.get("required")),
                                 matched, why))

    regions = [r for item in items for r in find_occurrences(lookup.text, str(item["content_contains"]))]
    judged = [q for q in quotes if any(_overlaps(q.content.start, q.content.end, r) for r in regions)]
    correct = [q for q in judged
               if any(_contains(q.content.text, str(item["content_contains"]))
                      and not _quote_problem(lookup, q, item) for item in items)]
    report.figures["quotes_precision"] = _ratio(len(correct), len(judged))
    report.figures["quotes_judged"] = len(judged)
    report.figures["quotes_speaker_acc"] = _ratio(speaker_right, content_found)
    return outcomes


# ---------------------------------------------------------------------------------------------------- events


def _core_problem(event: Event, item: dict, *, check_plover: bool = True) -> str:
    """Why an event does not match a gold event's evidence/source/target/root/PLOVER ('' when it does)."""
    evidence = str(item.get("evidence_contains") or "")
    if not evidence or not _contains(event.evidence.text, evidence):
        return "evidence differs"
    sources, targets = set(_as_strings(item.get("source"))), set(_as_strings(item.get("target")))
    if not sources & set(event.source_countries):
        return f"sources {sorted(event.source_countries)} miss {sorted(sources)}"
    if targets and not targets & set(event.target_countries):
        return f"targets {sorted(event.target_countries)} miss {sorted(targets)}"
    roots = {_root(code) for code in _as_list(item.get("cameo_root"))}
    if roots and _root(event.cameo_root) not in roots:
        return f"CAMEO root {event.cameo_root} not in {sorted(roots)}"
    plovers = _as_strings(item.get("plover"))
    if check_plover and plovers and event.plover not in plovers:
        return f"PLOVER {event.plover} not in {plovers}"
    return ""


def _date_ok(value: str, wanted: str) -> bool:
    """Equal, or a gold year/month (``2023``, ``2023-07``) that the value's date falls in."""
    if value == wanted:
        return True
    return bool(re.fullmatch(r"\d{4}(-\d{2})?", wanted)) and re.match(re.escape(wanted) + r"(-|$)", value) is not None


def _attribute_checks(lookup: _Lookup, event: Event, item: dict) -> dict[str, str]:
    """For each attribute the gold item gives: '' when the event has it right, else why not."""
    checks: dict[str, str] = {}
    if "modality" in item:
        modalities = _as_strings(item["modality"])
        checks["modality"] = "" if event.modality in modalities else f"modality {event.modality!r} not in {modalities}"
    if "attributed_to" in item or "attributed_to_country" in item:
        attribution = event.attributed_to
        problems = []
        if "attributed_to" in item:
            names = lookup.names(attribution.actor_ids) if attribution else set()
            if fold_name(str(item["attributed_to"])) not in names:
                problems.append(f"not attributed to {item['attributed_to']!r}")
        if "attributed_to_country" in item:
            countries = lookup.countries(attribution.countries, attribution.actor_ids) if attribution else set()
            if item["attributed_to_country"] not in countries:
                problems.append(f"attributed to countries {sorted(countries)}, not {item['attributed_to_country']!r}")
        checks["attributed_to"] = "; ".join(problems)
    if "status" in item:
        statuses = _as_strings(item["status"])
        checks["status"] = "" if event.status in statuses else f"status {event.status!r}, not {item['status']!r}"
    if "date" in item:
        wanted = str(item["date"])
        checks["date"] = "" if _date_ok(event.date.value, wanted) else f"date {event.date.value!r}, not {wanted!r}"
    if "location" in item:
        wanted = fold_name(str(item["location"]))
        name = fold_name(event.place.name) if event.place else ""
        checks["location"] = "" if wanted and wanted in name else (
            f"place {event.place.name if event.place else None!r}, not {item['location']!r}")
    return checks


@dataclass
class _EventMatching:
    """The result of matching gold events: one outcome per gold event, attribute errors, attribute tallies."""

    outcomes: list[_Outcome]
    attribute_misses: list[_Outcome]
    attributes: dict[str, list[bool]]


def _match_events(lookup: _Lookup, items: Sequence[dict]) -> _EventMatching:
    """One-to-one greedy matching in gold order, preferring the candidate with most attributes right."""
    events = lookup.analysis.events
    used: set[int] = set()
    result = _EventMatching([], [], {name: [] for name in ("modality", "attributed_to", "status", "date", "location")})
    for item in items:
        item_id, required = _item_id(item, "evidence_contains"), bool(item.get("required"))
        candidates = [i for i, e in enumerate(events) if i not in used and not _core_problem(e, item)]
        if not candidates:
            result.outcomes.append(_Outcome("events", item_id, required, False, _event_miss_reason(events, item)))
            continue
        checks = {i: _attribute_checks(lookup, events[i], item) for i in candidates}
        best = max(candidates, key=lambda i: sum(not why for why in checks[i].values()))
        used.add(best)
        result.outcomes.append(_Outcome("events", item_id, required, True))
        for name, why in checks[best].items():
            result.attributes[name].append(not why)
            if why:
                result.attribute_misses.append(_Outcome("events", item_id, required, False,
                                                        f"matched {events[best].id}, but {name}: {why}"))
    return result


def _event_miss_reason(events: Sequence[Event], item: dict) -> str:
    evidence = str(item.get("evidence_contains") or "")
    same = [e for e in events if evidence and _contains(e.evidence.text, evidence)]
    if not same:
        return f"no event's evidence contains {_quoted(evidence)}"
    return "; ".join(f"{e.id}: {_core_problem(e, item)}" for e in same[:3])


def _violations(events: Sequence[Event], items: Sequence[dict]) -> tuple[int, list[_Outcome]]:
    """How many (gold item, output event) pairs assert what must not be asserted, and a miss per item."""
    count, outcomes = 0, []
    for item in items:
        allowed = _as_strings(item.get("allowed_modality"))
        bad = [e for e in events if not _core_problem(e, item, check_plover=False) and e.modality not in allowed]
        if bad:
            count += len(bad)
            why = ", ".join(f"{e.id} is {e.modality!r}" for e in bad) + f" (allowed {allowed})"
            outcomes.append(_Outcome("must_not_assert", _item_id(item, "evidence_contains"), True, False,
                                     f"{len(bad)} violation(s): {why}"))
    return count, outcomes


def _score_events(lookup: _Lookup, gold: dict, report: SeedReport) -> None:
    items, forbidden = _items(gold, "events"), _items(gold, "must_not_assert")
    matching = _match_events(lookup, items)
    events = lookup.analysis.events
    _recall_figures("events", matching.outcomes, report)
    report.misses.extend(o.miss() for o in matching.attribute_misses)

    evidence = [str(item["evidence_contains"]) for item in (*items, *forbidden) if item.get("evidence_contains")]
    judged = [e for e in events if any(_contains(e.evidence.text, text) for text in evidence)]
    correct = [e for e in judged
               if any(not _core_problem(e, item) for item in items)
               or any(not _core_problem(e, item, check_plover=False)
                      and e.modality in _as_strings(item.get("allowed_modality")) for item in forbidden)]
    report.figures["events_precision"] = _ratio(len(correct), len(judged))
    report.figures["events_judged"] = len(judged)
    report.figures["events_matched"] = sum(o.matched for o in matching.outcomes)
    for name, results in matching.attributes.items():
        report.figures[f"events_{name}_acc"] = _ratio(sum(results), len(results))
        # The event-coding issue names these figures without the section prefix.
        report.figures[f"{name}_accuracy"] = report.figures[f"events_{name}_acc"]

    count, violations = _violations(events, forbidden)
    report.figures["must_not_assert_violations"] = count
    report.misses.extend(o.miss() for o in violations)


# ------------------------------------------------------------------------------------------- claims, times, places


def _claim_problem(claim: Claim, item: dict) -> str:
    sources = set(_as_strings(item.get("source_country")))
    if sources and not sources & set(claim.source_countries):
        return f"sources {sorted(claim.source_countries)} miss {sorted(sources)}"
    statuses = _as_strings(item.get("status"))
    if statuses and claim.status not in statuses:
        return f"status {claim.status!r} not in {statuses}"
    return ""


def _score_claims(lookup: _Lookup, gold: dict) -> list[_Outcome]:
    outcomes = []
    for item in _items(gold, "claims"):
        text = str(item.get("claim_contains") or "")
        same = [c for c in lookup.analysis.claims if text and _contains(c.span.text, text)]
        problems = [_claim_problem(c, item) for c in same]
        matched = any(not p for p in problems)
        why = "" if matched else (f"{same[0].id}: {problems[0]}" if same else f"no claim contains {_quoted(text)}")
        outcomes.append(_Outcome("claims", _item_id(item, "claim_contains"), bool(item.get("required")), matched, why))
    return outcomes


def _timex_candidate(timex: Timex, wanted: str, occurrences: Sequence[tuple[int, int]]) -> bool:
    """The timex overlaps an occurrence of the gold text and one of the two texts contains the other."""
    if not any(_overlaps(timex.start, timex.end, occ) for occ in occurrences):
        return False
    mine, theirs = fold(timex.text).casefold(), fold(wanted).casefold()
    return bool(mine) and (theirs in mine or mine in theirs)


def _score_timexes(lookup: _Lookup, gold: dict, report: SeedReport) -> list[_Outcome]:
    outcomes = []
    judged: set[str] = set()
    correct: set[str] = set()
    for item in _items(gold, "timexes"):
        wanted = str(item.get("text") or "")
        values = {str(v) for v in (*_as_list(item.get("value")), *_as_list(item.get("also_ok")))}
        occurrences = find_occurrences(lookup.text, wanted, whole_words=True, ignore_case=True)
        judged |= {t.id for t in lookup.analysis.timexes
                   if any(_overlaps(t.start, t.end, occ) for occ in occurrences)}
        candidates = [t for t in lookup.analysis.timexes if _timex_candidate(t, wanted, occurrences)]
        right = [t for t in candidates if t.value in values]
        correct |= {t.id for t in right}
        if right:
            why = ""
        elif not occurrences:
            why = f"{wanted!r} does not occur in the text"
        elif not candidates:
            why = f"no time expression found at {wanted!r}"
        else:
            why = ", ".join(f"{t.text!r} = {t.value!r}" for t in candidates[:3]) + f"; expected {sorted(values)}"
        outcomes.append(_Outcome("timexes", _item_id(item, "text"), bool(item.get("required")), bool(right), why))
    report.figures["timexes_precision"] = _ratio(len(correct & judged), len(judged))
    report.figures["timexes_judged"] = len(judged)
    return outcomes


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _place_problem(place: Place, item: dict) -> str:
    if item.get("country") is not None and place.country != item["country"]:
        return f"country {place.country!r}, not {item['country']!r}"
    try:
        lat, lon = float(item["lat"]), float(item["lon"])
    except (KeyError, TypeError, ValueError):
        return ""  # the gold gives no coordinates: nothing to check
    if place.lat is None or place.lon is None:
        return "no coordinates"
    distance = great_circle_km(place.lat, place.lon, lat, lon)
    return "" if distance <= PLACE_TOLERANCE_KM else f"{distance:.0f} km from the gold point"


def _score_places(lookup: _Lookup, gold: dict) -> list[_Outcome]:
    outcomes = []
    for item in _items(gold, "places"):
        wanted = fold(str(item.get("text") or ""))
        same = [p for p in lookup.analysis.places if wanted and wanted in fold(p.text)]
        problems = [_place_problem(p, item) for p in same]
        matched = any(not p for p in problems)
        why = "" if matched else (f"{same[0].text!r}: {problems[0]}" if same else f"no place {wanted!r}")
        outcomes.append(_Outcome("places", _item_id(item, "text"), bool(item.get("required")), matched, why))
    return outcomes


# ----------------------------------------------------------------------------------------------------- dyads


def dyad_mean_goldstein(events: Iterable[Event], first: str, second: str) -> tuple[float | None, int]:
    """Mean Goldstein of the asserted events between two countries (either direction), and how many there are."""
    scores = [e.goldstein for e in events if e.modality == "asserted"
              and ((first in e.source_countries and second in e.target_countries)
                   or (second in e.source_countries and first in e.target_countries))]
    return (sum(scores) / len(scores) if scores else None), len(scores)


def _score_dyads(lookup: _Lookup, gold: dict, report: SeedReport) -> None:
    all_ok = True
    for item in _items(gold, "dyads"):
        pair = _as_strings(item.get("pair"))
        tone = item.get("tone")
        if len(pair) != 2 or tone not in ("cooperative", "conflictual"):
            report.misses.append({"section": "dyads", "id": "-".join(pair) or "?", "required": bool(item.get("required")),
                                  "why": "gold dyad needs a pair of two countries and a tone"})
            continue
        mean, count = dyad_mean_goldstein(lookup.analysis.events, pair[0], pair[1])
        key = f"dyad_{pair[0]}_{pair[1]}"
        report.figures[f"{key}_mean_goldstein"] = round(mean, 4) if mean is not None else 0.0
        report.figures[f"{key}_events"] = count
        ok = mean is not None and (mean > 0 if tone == "cooperative" else mean < 0)
        if not ok:
            why = (f"no asserted events between {pair[0]} and {pair[1]}" if mean is None
                   else f"mean Goldstein {mean:+.2f} over {count} events is not {tone}")
            report.misses.append({"section": "dyads", "id": "-".join(pair), "required": bool(item.get("required")),
                                  "why": why})
            all_ok = all_ok and not item.get("required")
    report.figures["dyads_ok"] = all_ok


# ----------------------------------------------------------------------------------------------------- entry


def score(analysis: Analysis, gold: dict) -> SeedReport:
    """Compare ``analysis`` with ``gold`` (a dict in the seed format); see the module docstring for the rules."""
    if not isinstance(gold, dict):
        raise ValueError("gold must be a JSON object (a dict)")
    report = SeedReport()
    lookup = _Lookup(analysis)
    _score_document(lookup, gold, report)
    _recall_figures("actors", _score_actors(lookup, gold), report)
    quote_outcomes = _score_quotes(lookup, gold, report)
    _recall_figures("quotes", quote_outcomes, report)
    _score_events(lookup, gold, report)
    _recall_figures("claims", _score_claims(lookup, gold), report)
    _recall_figures("timexes", _score_timexes(lookup, gold, report), report)
    _recall_figures("places", _score_places(lookup, gold), report)
    _score_dyads(lookup, gold, report)
    report.figures = _ordered(report.figures)
    return report


_FIGURE_ORDER = ("document_ok", "actors_", "quotes_", "events_", "must_not_assert", "claims_", "timexes_", "places_",
                 "dyads_ok", "dyad_")
_SUFFIX_ORDER = ("_required_recall", "_recall", "_precision", "_judged", "_matched")


def _ordered(figures: dict[str, Figure]) -> dict[str, Figure]:
    """Section by section, recall before precision, so reports and diffs between runs read the same way."""
    def rank(key: str) -> tuple[int, int]:
        section = next((i for i, prefix in enumerate(_FIGURE_ORDER) if key.startswith(prefix)), len(_FIGURE_ORDER))
        suffix = next((i for i, end in enumerate(_SUFFIX_ORDER) if key.endswith(end)), len(_SUFFIX_ORDER))
        return section, suffix
    return dict(sorted(figures.items(), key=lambda kv: rank(kv[0])))


def render(report: SeedReport) -> str:
    """A plain-text report: one line per figure, then every miss by section and id with its reason."""
    width = max((len(key) for key in report.figures), default=0)
    lines = ["Figures"]
    for key, value in report.figures.items():
        shown = ("yes" if value else "no") if isinstance(value, bool) else (
            f"{value:.3f}" if isinstance(value, float) else str(value))
        lines.append(f"  {key:<{width}}  {shown}")
    required = sum(1 for miss in report.misses if miss.get("required"))
    lines.append("")
    lines.append(f"Misses ({len(report.misses)}, {required} required)" if report.misses else "Misses: none")
    for miss in report.misses:
        flag = "required" if miss.get("required") else "optional"
        lines.append(f"  [{miss.get('section')}] {miss.get('id')} ({flag}): {miss.get('why')}")
    return "\n".join(lines) + "\n"
