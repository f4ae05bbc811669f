"""The event lexicons the coder consults: verb patterns, synsets, event nouns and light verbs.

* ``verb_patterns.tsv`` -- built from the PETRARCH2 CAMEO verb dictionary (``scripts/build_cameo.py``);
  ``verb_overrides.tsv`` -- hand-curated rows that correct or complete it (they win on the same key);
* ``synsets.tsv`` -- PETRARCH2 noun synonym sets, referred to as ``&name`` in the other files;
* ``event_nouns.tsv`` -- hand-curated nouns that name an event ("visit", "sanctions", "invasion");
* ``light_verbs.tsv`` -- hand-curated support verbs whose event is their object ("hold talks").

Every row carries ``entry`` (``file:line``) so each event tidings outputs can name the lexicon
entry that produced it. Lookups are by lowercase lemma and never raise on odd input.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import DATA, entry, read_tsv

PATTERNS_FILE = "verb_patterns.tsv"
OVERRIDES_FILE = "verb_overrides.tsv"
SYNSETS_FILE = "synsets.tsv"
NOUNS_FILE = "event_nouns.tsv"
LIGHT_VERBS_FILE = "light_verbs.tsv"
INHERIT = "="  # light-verb code meaning "the code of the object noun (event_nouns.tsv)"


@dataclass(frozen=True)
class VerbPattern:
    """``verb`` with ``before``/``after`` words (``&name`` = synset) codes ``code``.

    ``code`` may be ``"---"``: the combination is explicitly *not* an event (it blocks the default).
    ``paired`` is the code of a second event in the reverse direction (visit 042 -> host 043);
    ``reverse`` means the only event goes from the target to the source."""

    verb: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str
    entry: str
    paired: str | None = None
    reverse: bool = False

    @property
    def specificity(self) -> int:
        return len(self.before) + len(self.after)


@dataclass(frozen=True)
class NounTrigger:
    """A noun (lemma, possibly multi-word) that names a CAMEO event.

    ``requires``: one of these words must occur in the noun phrase (empty: no condition);
    ``source``/``target``: where the actors attach (``poss``, ``mod``, ``by``, ``of``, ``to``,
    ``with``, ``between`` ...), in order of preference."""

    noun: str
    code: str
    requires: tuple[str, ...]
    entry: str
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()


@dataclass(frozen=True)
class LightVerb:
    """``verb`` + an object among ``object_words`` codes ``code`` (``"="``: the object noun's code).

    ``when == "future"``: only in future, conditional or warning clauses ("will pay a price")."""

    verb: str
    object_words: tuple[str, ...]
    code: str
    entry: str
    when: str | None = None


def _norm(word: object) -> str:
    if not isinstance(word, str):
        return ""
    return " ".join(word.lower().split())


def _words(cell: str) -> tuple[str, ...]:
    return tuple(cell.split()) if cell else ()


def _alternatives(cell: str) -> tuple[str, ...]:
    """``a|b|&synset`` -> the words, synsets expanded, order kept, no duplicates."""
    out: list[str] = []
    for item in cell.split("|"):
        item = _norm(item)
        expanded = sorted(synset(item)) if item.startswith("&") else [item] if item else []
        out.extend(word for word in expanded if word not in out)
    return tuple(out)


# --------------------------------------------------------------------------- synsets


@lru_cache(maxsize=1)
def _synsets() -> dict[str, frozenset[str]]:
    return {row["name"]: frozenset(w for w in row["words"].split("|") if w) for row in read_tsv(SYNSETS_FILE)}


def synset(name: str) -> frozenset[str]:
    """Words of a synset: ``synset("military")``, ``synset("&MILITARY")``; empty when unknown."""
    key = _norm(name).lstrip("&").rstrip("_")
    return _synsets().get(key, frozenset())


# --------------------------------------------------------------------------- verb patterns


@lru_cache(maxsize=1)
def _pattern_lines() -> dict[str, list[tuple[int, list[str]]]]:
    """PETRARCH rows grouped by verb, parsed lazily: the file has ~47k rows and a coder needs few."""
    grouped: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    header: list[str] | None = None
    with (DATA / PATTERNS_FILE).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
                continue
            grouped[cells[0]].append((number, cells))
    return dict(grouped)


@lru_cache(maxsize=1)
def _override_rows() -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_tsv(OVERRIDES_FILE):
        grouped[_norm(row["verb"])].append(row)
    return dict(grouped)


def _pattern(verb: str, before: str, after: str, code: str, paired: str, reverse: str, where: str) -> VerbPattern:
    return VerbPattern(
        verb=verb,
        before=_words(before),
        after=_words(after),
        code=code,
        entry=where,
        paired=paired or None,
        reverse=reverse.strip() == "1",
    )


@lru_cache(maxsize=4096)
def _patterns_for(lemma: str) -> tuple[VerbPattern, ...]:
    chosen: dict[tuple[tuple[str, ...], tuple[str, ...]], VerbPattern] = {}
    for row in _override_rows().get(lemma, []):
        pattern = _pattern(lemma, row["before"], row["after"], row["code"], row["paired"], row["reverse"],
                           entry(OVERRIDES_FILE, row))
        chosen.setdefault((pattern.before, pattern.after), pattern)
    for number, cells in _pattern_lines().get(lemma, []):
        cells = cells + [""] * (8 - len(cells))
        where = cells[6] or f"{PATTERNS_FILE}:{number}"
        pattern = _pattern(lemma, cells[1], cells[2], cells[3], cells[4], cells[5], where)
        chosen.setdefault((pattern.before, pattern.after), pattern)
    # Stable sort: most words first; among equals, curated rows (inserted first) before PETRARCH rows.
    return tuple(sorted(chosen.values(), key=lambda p: -p.specificity))


def verb_patterns(lemma: str) -> list[VerbPattern]:
    """Patterns of a verb lemma (``"visit"``, ``"ask for"``), most specific first; the default
    pattern (no words) comes last. Empty for unknown verbs."""
    return list(_patterns_for(_norm(lemma)))


@lru_cache(maxsize=1)
def known_verbs() -> frozenset[str]:
    """Every verb lemma that has at least one pattern (PETRARCH or curated)."""
    return frozenset(_pattern_lines()) | frozenset(_override_rows())


# --------------------------------------------------------------------------- event nouns


@lru_cache(maxsize=1)
def _noun_table() -> dict[str, tuple[NounTrigger, ...]]:
    by_last_word: dict[str, list[NounTrigger]] = defaultdict(list)
    for row in read_tsv(NOUNS_FILE):
        noun = _norm(row["noun"])
        if not noun:
            continue
        trigger = NounTrigger(
            noun=noun,
            code=row["code"],
            requires=_alternatives(row["requires"]),
            entry=entry(NOUNS_FILE, row),
            source=tuple(part for part in row["source"].split("|") if part),
            target=tuple(part for part in row["target"].split("|") if part),
        )
        by_last_word[noun.split()[-1]].append(trigger)
    # Most specific first: multi-word nouns, then rows with conditions, then plain rows (file order kept).
    return {
        word: tuple(sorted(rows, key=lambda t: (-len(t.noun.split()), not t.requires)))
        for word, rows in by_last_word.items()
    }


def noun_triggers(lemma: str) -> list[NounTrigger]:
    """Triggers for a noun lemma: rows whose noun is ``lemma`` or ends with it (``"hunger strike"``
    for ``"strike"``: check ``trigger.noun`` against the phrase), most specific first."""
    key = _norm(lemma)
    if not key:
        return []
    rows = _noun_table().get(key.split()[-1], ())
    # Keep rows that fit the asked phrase: "general strike" keeps "strike" rows, "hunger strike"
    # keeps its own; a single word keeps every noun ending in it.
    return [t for t in rows if t.noun == key or key.endswith(" " + t.noun) or t.noun.endswith(" " + key)]


@lru_cache(maxsize=1)
def known_nouns() -> frozenset[str]:
    """Every event noun (multi-word nouns with spaces)."""
    return frozenset(t.noun for rows in _noun_table().values() for t in rows)


# --------------------------------------------------------------------------- light verbs


@lru_cache(maxsize=1)
def _light_table() -> dict[str, tuple[LightVerb, ...]]:
    table: dict[str, list[LightVerb]] = defaultdict(list)
    for row in read_tsv(LIGHT_VERBS_FILE):
        verb = _norm(row["verb"])
        if not verb:
            continue
        table[verb].append(
            LightVerb(
                verb=verb,
                object_words=_alternatives(row["object_words"]),
                code=row["code"],
                entry=entry(LIGHT_VERBS_FILE, row),
                when=row.get("when") or None,
            )
        )
    return {verb: tuple(rows) for verb, rows in table.items()}


def light_verbs(lemma: str) -> list[LightVerb]:
    """Light-verb rows of a verb lemma, in file order; pick the row whose ``object_words`` hold
    the object (a code of ``"="`` means: use the object noun's trigger code)."""
    return list(_light_table().get(_norm(lemma), ()))


__all__ = [
    "INHERIT",
    "LightVerb",
    "NounTrigger",
    "VerbPattern",
    "known_nouns",
    "known_verbs",
    "light_verbs",
    "noun_triggers",
    "synset",
    "verb_patterns",
]
