"""Score tidings' time stage against TempEval-3 TimeML (TBAQ-cleaned: TimeBank + AQUAINT).

Entry point: :func:`evaluate_tempeval`.

Each ``.tml`` file holds a ``<DCT>`` (the document creation time, used as the publication date) and a
``<TEXT>`` whose inline ``<TIMEX3 tid type value>`` tags mark the gold time expressions. :func:`parse_tml`
strips the tags and keeps every gold TIMEX3 as character offsets into the remaining text. Single line breaks
inside a paragraph (hard-wrapped newswire) become spaces — the same length, so offsets stay valid — because
tidings' clean text separates paragraphs by blank lines and its spaCy pipeline starts a sentence at every
line break. The text is run through ``load_nlp()`` and :func:`tidings.timex.find_timexes`; the title and other
material outside ``<TEXT>`` is not scored (TempEval-3 annotates ``<TEXT>`` only).

Matching follows the TempEval-3 definitions, made one-to-one: each system timex is paired with at most one
gold timex and vice versa, greedily, most shared characters first (a system span that overlaps two gold
spans scores once).

A tidings interval ("between 1985 and 1987", one timex valued "1985/1987") is scored as the two TIMEX3s TimeML
marks for it, one per end (:func:`timeml_units`).

- ``span_strict_{p,r,f1}``: pairs with identical offsets (surrounding whitespace ignored);
- ``span_relaxed_{p,r,f1}``: pairs that share at least one character;
- ``type_accuracy`` / ``value_accuracy``: share of relaxed pairs whose TIMEX3 type / value agree;
- ``value_{p,r,f1}``: TempEval-3 attribute F1 — a relaxed pair with the same value counts; precision over all
  system timexes, recall over all gold timexes (HeidelTime scored 77.6 on the TempEval-3 platinum test set).

Figures are given overall and per sub-corpus (``TimeBank``, ``AQUAINT``, the folder names), micro-averaged
from summed counts; ``misses`` lists the most frequent missed gold expressions, spurious system expressions
and wrong values, for error analysis.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .shared import shared_data

SUBCORPORA = ("TimeBank", "AQUAINT")
MISS_LIST_LENGTH = 15


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    subcorpus: str
    published: dt.date | None
    text: str
    timexes: tuple[GoldTimex, ...]


@dataclass(frozen=True)
class SystemTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass
class Counts:
    """Summed counts of one corpus part; the figures are computed from them."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    documents: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"documents": self.documents, "gold": self.gold, "system": self.system}
        for name, hits in (("span_strict", self.strict), ("span_relaxed", self.relaxed), ("value", self.value_ok)):
            p, r, f = _prf(hits, self.system, self.gold)
            out.update({f"{name}_p": p, f"{name}_r": r, f"{name}_f1": f})
        out["type_accuracy"] = round(self.type_ok / self.relaxed, 4) if self.relaxed else 0.0
        out["value_accuracy"] = round(self.value_ok / self.relaxed, 4) if self.relaxed else 0.0
        return out


@dataclass
class Misses:
    missed: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    wrong_value: Counter[str] = field(default_factory=Counter)

    def as_dict(self, length: int = MISS_LIST_LENGTH) -> dict[str, list[list[Any]]]:
        return {name: [[text, count] for text, count in counter.most_common(length)]
                for name, counter in (("missed", self.missed), ("spurious", self.spurious),
                                      ("wrong_value", self.wrong_value))}


def _prf(hits: int, system: int, gold: int) -> tuple[float, float, float]:
    p = hits / system if system else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


# ------------------------------------------------------------------------------------------------- reading


def default_corpus_dir() -> Path:
    """TBAQ-cleaned in ``../shared`` beside the repository (the CLI's ``--corpus`` overrides it)."""
    return shared_data("tempeval3", "TBAQ-cleaned")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_date(value: str | None) -> dt.date | None:
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value or "")
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _flatten(element: ElementTree.Element, pieces: list[str], length: list[int],
             found: list[GoldTimex]) -> None:
    """Append the text under ``element`` to ``pieces``, recording each TIMEX3 it contains by offsets."""
    if element.text:
        pieces.append(element.text)
        length[0] += len(element.text)
    for child in element:
        start = length[0]
        _flatten(child, pieces, length, found)
        if _local(child.tag) == "TIMEX3":
            surface = "".join(pieces)[start:length[0]]
            left = len(surface) - len(surface.lstrip())
            right = len(surface.rstrip())
            if right > left:  # empty (non-consuming) TIMEX3 tags mark no text
                found.append(GoldTimex(start + left, start + right, child.get("type", ""), child.get("value", "")))
        if child.tail:
            pieces.append(child.tail)
            length[0] += len(child.tail)


def _unwrap_lines(text: str) -> str:
    """Single line breaks inside a paragraph become spaces (same length: offsets are unchanged)."""
    return re.sub(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)", lambda m: " " * len(m[0]), text)


def parse_tml(source: str, name: str = "", subcorpus: str = "") -> TimeMLDocument:
    """One TimeML document: its DCT, the plain ``<TEXT>`` and the gold timexes as offsets into it.

    Raises ValueError when the document is not XML or has no ``<TEXT>``.
    """
    try:
        root = ElementTree.fromstring(source)  # noqa: S314 - trusted local evaluation corpus
    except ElementTree.ParseError as error:
        raise ValueError(f"{name or 'document'}: not well-formed TimeML ({error})") from None
    published = None
    text_element = None
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "DCT" and published is None:
            timex = next((e for e in element.iter() if _local(e.tag) == "TIMEX3"), None)
            published = _parse_date(timex.get("value") if timex is not None else "".join(element.itertext()))
        elif tag == "TEXT" and text_element is None:
            text_element = element
    if text_element is None:
        raise ValueError(f"{name or 'document'}: no <TEXT> element")
    pieces: list[str] = []
    found: list[GoldTimex] = []
    _flatten(text_element, pieces, [0], found)
    text = _unwrap_lines("".join(pieces))
    return TimeMLDocument(name, subcorpus, published, text, tuple(found))


def load_corpus(corpus_dir: Path, limit: int | None = None) -> list[TimeMLDocument]:
    """The ``.tml`` documents under ``corpus_dir`` (sorted by path; the first folder below it names the
    sub-corpus). Raises ValueError when the folder is absent or holds no ``.tml`` file."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise ValueError(f"TempEval-3 corpus folder {corpus_dir} not found (expected ../shared/data/tempeval3/"
                         "TBAQ-cleaned beside the repository; pass --corpus)")
    paths = sorted(corpus_dir.rglob("*.tml"))
    if not paths:
        raise ValueError(f"{corpus_dir}: no .tml files")
    if limit is not None:
        paths = paths[:max(0, limit)]
    documents = []
    for path in paths:
        relative = path.relative_to(corpus_dir).parts
        subcorpus = relative[0] if len(relative) > 1 else corpus_dir.name
        documents.append(parse_tml(path.read_text(encoding="utf-8"), path.name, subcorpus))
    return documents


# ------------------------------------------------------------------------------------------------- scoring


def _shared(a: SystemTimex | GoldTimex, b: SystemTimex | GoldTimex) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_timexes(gold: Iterable[GoldTimex], system: Iterable[SystemTimex]
                  ) -> list[tuple[GoldTimex, SystemTimex]]:
    """One-to-one relaxed pairs: overlapping gold/system timexes, most shared characters first."""
    gold, system = list(gold), list(system)
    candidates = sorted(((_shared(g, s), i, j) for i, g in enumerate(gold) for j, s in enumerate(system)
                         if _shared(g, s) > 0), key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in used_gold or j in used_system:
            continue
        used_gold.add(i)
        used_system.add(j)
        pairs.append((gold[i], system[j]))
    return pairs


def score_document(text: str, gold: Iterable[GoldTimex], system: Iterable[SystemTimex],
                   misses: Misses | None = None) -> Counts:
    """The counts of one document; ``misses`` (if given) collects its errors by surface text."""
    gold, system = list(gold), list(system)
    pairs = match_timexes(gold, system)
    counts = Counts(gold=len(gold), system=len(system), relaxed=len(pairs), documents=1)
    for g, s in pairs:
        counts.strict += (g.start, g.end) == (s.start, s.end)
        counts.type_ok += g.type == s.type
        counts.value_ok += g.value == s.value
    if misses is not None:
        paired_gold = {id(g) for g, _ in pairs}
        paired_system = {id(s) for _, s in pairs}
        surface = lambda t: re.sub(r"\s+", " ", text[t.start:t.end]).lower()  # noqa: E731
        misses.missed.update(f"{surface(g)} [{g.value}]" for g in gold if id(g) not in paired_gold)
        misses.spurious.update(f"{surface(s)} [{s.value}]" for s in system if id(s) not in paired_system)
        misses.wrong_value.update(f"{surface(g)} [gold {g.value}, got {s.value}]"
                                  for g, s in pairs if g.value != s.value)
    return counts


_RANGE = re.compile(r"(?P<first>.*?\S)\s*(?:-|–|—|\bto\b|\bthrough\b|\buntil\b|\btill\b|\band\b)\s*(?P<last>\S.*)",
                    re.DOTALL)


def timeml_units(start: int, text: str, type_: str, value: str) -> list[SystemTimex]:
    """One tidings timex as TimeML would mark it. tidings gives a range one interval value ("September 10 and
    13" -> "2023-09-10/2023-09-13"); TimeML marks each end as its own TIMEX3 ("September 10", "13"), so an
    interval is split at its connector into two timexes with the two values."""
    first_value, slash, last_value = value.partition("/")
    match = _RANGE.fullmatch(text) if slash and type_ == "DATE" else None
    if match is None:
        return [SystemTimex(start, start + len(text), type_, value)]
    return [SystemTimex(start + match.start("first"), start + match.end("first"), type_, first_value),
            SystemTimex(start + match.start("last"), start + match.end("last"), type_, last_value)]


def system_timexes(doc: Any, published: dt.date | None) -> list[SystemTimex]:
    """tidings' timexes of ``doc`` in TimeML units (see :func:`timeml_units`)."""
    from tidings.timex import find_timexes

    return [unit for t in find_timexes(doc, published) for unit in timeml_units(t.start, t.text, t.type, t.value)]


def evaluate_tempeval(corpus_dir: Path, limit: int | None = None, nlp: Any = None) -> dict[str, Any]:
    """Run tidings' time stage over the TimeML corpus and score it (see the module docstring).

    ``limit`` scores only the first N documents (sorted by path); ``nlp`` defaults to ``load_nlp()``.
    Raises ValueError for a missing or unreadable corpus.
    """
    documents = load_corpus(corpus_dir, limit)
    if nlp is None:
        from tidings.nlp import load_nlp

        nlp = load_nlp()
    parts: dict[str, Counts] = {}
    misses = Misses()
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        counts = score_document(document.text, document.timexes, system_timexes(doc, document.published), misses)
        parts.setdefault(document.subcorpus, Counts()).add(counts)
    overall = Counts()
    for counts in parts.values():
        overall.add(counts)
    result: dict[str, Any] = overall.figures()
    result["subcorpora"] = {name: counts.figures() for name, counts in sorted(parts.items())}
    result["misses"] = misses.as_dict()
    return result


def render(figures: dict[str, Any]) -> str:
    """A short human-readable summary of :func:`evaluate_tempeval`'s figures."""
    lines = []
    rows = [("overall", figures), *figures.get("subcorpora", {}).items()]
    lines.append(f"{'part':<10} {'docs':>5} {'gold':>6} {'sys':>6} {'strict F1':>10} {'relaxed F1':>11} "
                 f"{'type acc':>9} {'value acc':>10} {'value F1':>9}")
    for name, f in rows:
        lines.append(f"{name:<10} {f['documents']:>5} {f['gold']:>6} {f['system']:>6} {f['span_strict_f1']:>10.3f} "
                     f"{f['span_relaxed_f1']:>11.3f} {f['type_accuracy']:>9.3f} {f['value_accuracy']:>10.3f} "
                     f"{f['value_f1']:>9.3f}")
    for kind, items in figures.get("misses", {}).items():
        if items:
            lines.append(f"\nmost frequent {kind.replace('_', ' ')}:")
            lines.extend(f"  {count:>3}  {text}" for text, count in items)
    return "\n".join(lines)


__all__ = ["Counts", "GoldTimex", "Misses", "SystemTimex", "TimeMLDocument", "default_corpus_dir",
           "evaluate_tempeval", "load_corpus", "match_timexes", "parse_tml", "render", "score_document",
           "system_timexes", "timeml_units"]
