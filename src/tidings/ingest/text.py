"""Plain text as a user pastes it from a browser: paragraphs, headline, standfirst, body.

Two layouts are common and both work: one paragraph per line (what copying from a browser gives), and
blank-line-separated blocks whose lines were hard-wrapped at a fixed width (e-mail, wire feeds, text
exports). A block is joined into one paragraph only when its lines look hard-wrapped; otherwise each
line stays its own paragraph, so a headline and standfirst written on two lines are never glued together.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tidings.ingest.paragraph import Paragraph

_QUOTE_OR_DASH_START = re.compile(r"""^["“”‘’'«»„‹›\-–—]""")
_FULL_STOP_END = re.compile(r"""[.。]["”’»)\]]*$""")
_TERMINAL = re.compile(r"""[.!?…。！？]["”’»)\]]*$""")
# A sentence ending inside the line: lower-case letter or digit, terminal mark, space, capital or quote.
# ("U.S. National" does not count: the letter before the period is upper case.)
_INNER_SENTENCE_BREAK = re.compile(r"""[a-z0-9\)][.!?]["”’]?\s+["“‘]?[A-Z]""")
# A wire-story dateline opens a body paragraph: "MOSCOW (Reuters) -", "WASHINGTON, Sept. 6 —".
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,40}(,[^-–—(]{1,30})?\s*(\([^)]{1,30}\))?\s*[-–—]\s")

HEADLINE_MAX_WORDS = 35
HEADLINE_WITH_PERIOD_MAX_WORDS = 12
STANDFIRST_MAX_WORDS = 60
STANDFIRST_WITH_PERIOD_MAX_WORDS = 12
HARD_WRAP_MIN_WIDTH = 40
HARD_WRAP_MAX_WIDTH = 120


class Layout(NamedTuple):
    """The parts of an article's text, each paragraph with the line it began on."""

    title: Paragraph | None
    subtitle: Paragraph | None
    body: list[Paragraph]


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of normalised text, each with the 1-based number of its first line."""
    paragraphs: list[Paragraph] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            block.append((number, line.strip()))
            continue
        paragraphs.extend(_block_paragraphs(block))
        block = []
    paragraphs.extend(_block_paragraphs(block))
    return paragraphs


def lay_out(paragraphs: list[Paragraph]) -> Layout:
    """Headline, standfirst and body of a pasted article (after page furniture was removed).

    Line 1 is the headline when it reads like one (:func:`looks_like_headline`); a lone paragraph, or a
    first paragraph that reads like body text, leaves the article without a title. Line 2 is the
    standfirst when :func:`reads_like_standfirst` says so and at least one body paragraph follows it.
    """
    if len(paragraphs) < 2 or not looks_like_headline(paragraphs[0].text):
        return Layout(None, None, list(paragraphs))
    title, rest = paragraphs[0], list(paragraphs[1:])
    if len(rest) >= 2 and reads_like_standfirst(rest[0].text):
        return Layout(title, rest[0], rest[1:])
    return Layout(title, None, rest)


def looks_like_headline(text: str) -> bool:
    """A headline: at most 35 words, and no closing full stop unless it is one short sentence.

    Headlines are written without a final full stop ("?" and "!" occur). A pasted article without a
    headline starts with a body paragraph: a long sentence ending in a full stop, or several sentences;
    such a first line is kept as body rather than promoted to a title.
    """
    words = len(text.split())
    if words == 0 or words > HEADLINE_MAX_WORDS:
        return False
    if not _FULL_STOP_END.search(text):
        return True
    return words <= HEADLINE_WITH_PERIOD_MAX_WORDS and not _INNER_SENTENCE_BREAK.search(text)


def reads_like_standfirst(text: str) -> bool:
    """The heuristic for line 2, the standfirst (deck, subheading) under a headline.

    A standfirst is a single sentence-like line that summarises the story. It reads like one when all of:

    - it does not open with a quote mark or a dash (body paragraphs often open with a quotation);
    - it does not open with a wire dateline ("MOSCOW (Reuters) -"), which marks the first body paragraph;
    - it has at most 60 words and no sentence break inside it (a lede paragraph usually has several);
    - it ends without terminal punctuation (the usual style for decks), or it is short: at most 12 words.

    When unsure the line stays in the body: a standfirst kept as body loses nothing downstream.
    """
    words = len(text.split())
    if words == 0 or words > STANDFIRST_MAX_WORDS:
        return False
    if _QUOTE_OR_DASH_START.match(text) or _DATELINE.match(text):
        return False
    if _INNER_SENTENCE_BREAK.search(text):
        return False
    if text.endswith(":"):  # introduces what follows: body
        return False
    return not _TERMINAL.search(text) or words <= STANDFIRST_WITH_PERIOD_MAX_WORDS


def _block_paragraphs(block: list[tuple[int, str]]) -> list[Paragraph]:
    if not block:
        return []
    lines = [line for _, line in block]
    if _is_hard_wrapped(lines):
        return [Paragraph(" ".join(lines), block[0][0])]
    return [Paragraph(line, number) for number, line in block]


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Lines broken at a fixed width: every line but the last is so full the next word would not fit.

    The width is taken as the longest line. A headline over a standfirst fails the test, since the
    standfirst's first word would have fitted after the shorter headline.
    """
    if len(lines) < 2:
        return False
    width = max(len(line) for line in lines)
    if not HARD_WRAP_MIN_WIDTH <= width <= HARD_WRAP_MAX_WIDTH:
        return False
    for line, following in zip(lines, lines[1:]):
        next_word = following.split()[0]
        if len(line) + 1 + len(next_word) <= width:
            return False
    return True
