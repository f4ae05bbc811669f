"""Removing page furniture: what a news page shows around the article but is not the article.

One entry point, :func:`strip_furniture`. The patterns and their reasons live in
``tidings/data/furniture.tsv`` so an editor can extend them without touching code.

Where a paragraph sits decides how sure we must be (never drop body text; when unsure, keep):

- the leading and trailing runs (page furniture before the headline, sign-up and paywall blocks after the
  last paragraph) lose every paragraph that matches a pattern or is confidently in another language;
- in the middle of the article a paragraph goes only when it is short and clearly matches a pattern, or
  is confidently in another language. A body paragraph that merely mentions "subscription" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tidings.ingest.language import foreign_language
from tidings.ingest.paragraph import Paragraph
from tidings.records import Removal

FURNITURE_FILE = "furniture.tsv"
# A furniture-like paragraph inside the article is removed only when it is at most this long.
MAX_WORDS_INSIDE_ARTICLE = 30
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class FurniturePattern:
    reason: str
    regex: re.Pattern[str]
    note: str


def strip_furniture(paragraphs: list[Paragraph], language: str | None) -> tuple[list[Paragraph], list[Removal]]:
    """Split ``paragraphs`` into the article's own and the removed furniture (with reasons), order kept.

    ``language`` is the article's language code (from the whole text); a paragraph is dropped as
    ``language:<code>`` only when it is long enough to judge and confidently in another language.
    """
    verdicts = [_verdict(paragraph, language) for paragraph in paragraphs]
    lead = _run_length(verdicts)
    tail = _run_length(verdicts[lead:][::-1])
    kept: list[Paragraph] = []
    removed: list[Removal] = []
    for index, (paragraph, verdict) in enumerate(zip(paragraphs, verdicts)):
        at_edge = index < lead or index >= len(paragraphs) - tail
        reason = verdict.reason if at_edge else verdict.inside_reason
        if reason:
            removed.append(Removal(text=paragraph.text, reason=reason, line=paragraph.line))
        else:
            kept.append(paragraph)
    return kept, removed


def furniture_reason(text: str) -> str | None:
    """The reason of the first furniture pattern ``text`` matches, or None."""
    for pattern in furniture_patterns():
        if pattern.regex.search(text):
            return pattern.reason
    return None


@lru_cache(maxsize=1)
def furniture_patterns() -> tuple[FurniturePattern, ...]:
    """The patterns of ``data/furniture.tsv``, compiled case-insensitively, in file order."""
    table = resources.files("tidings") / "data" / FURNITURE_FILE
    patterns: list[FurniturePattern] = []
    header_seen = False
    for number, raw in enumerate(table.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        columns = raw.split("\t")
        if not header_seen:
            if columns[:2] != ["reason", "regex"]:
                raise ValueError(f"{FURNITURE_FILE}: header must start with 'reason<TAB>regex', got {raw!r}")
            header_seen = True
            continue
        if len(columns) < 2 or not columns[0] or not columns[1]:
            raise ValueError(f"{FURNITURE_FILE} line {number}: need reason and regex columns")
        try:
            regex = re.compile(columns[1], re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{FURNITURE_FILE} line {number}: bad regex ({exc})") from None
        patterns.append(FurniturePattern(columns[0], regex, columns[2] if len(columns) > 2 else ""))
    return tuple(patterns)


@dataclass(frozen=True)
class _Verdict:
    """Why a paragraph could be furniture: ``reason`` at the article's edges, ``inside_reason`` within it."""

    reason: str | None
    inside_reason: str | None


def _verdict(paragraph: Paragraph, language: str | None) -> _Verdict:
    text = paragraph.text
    if not _HAS_WORD.search(text):  # separators such as "* * *" or a lone "|"
        return _Verdict("empty", "empty")
    matched = furniture_reason(text)  # the pattern's reason says more than the language does
    foreign = foreign_language(text, language)
    language_reason = f"language:{foreign}" if foreign else None
    short = len(text.split()) <= MAX_WORDS_INSIDE_ARTICLE
    return _Verdict(matched or language_reason, (matched if short else None) or language_reason)


def _run_length(verdicts: list[_Verdict]) -> int:
    """How many verdicts, from the start, say "furniture" (used forwards and backwards)."""
    count = 0
    for verdict in verdicts:
        if not verdict.reason:
            break
        count += 1
    return count
