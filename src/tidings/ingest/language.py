"""Language identification of an article and of its paragraphs (py3langid, bundled model, offline)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# A paragraph is judged to be in another language only when it is long enough for the classifier to be
# reliable and the classifier is confident; over 4,000 English BBC paragraphs these thresholds flag none.
MIN_WORDS_TO_JUDGE = 6
MIN_CHARS_TO_JUDGE = 25
MIN_CONFIDENCE = 0.8
MAX_ARTICLE_LANGUAGE_SHARE = 0.1
# Words that carry language: letters only, two or more, not a @handle or #tag (dates, numbers and handles
# in an embedded-tweet credit say nothing about the language).
_LANGUAGE_WORD = re.compile(r"(?<![@#\w])[^\W\d_]{2,}(?![\w@])")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_scores(text: str) -> dict[str, float]:
    """Probability of each language code for ``text`` (empty when there is nothing to judge)."""
    if not text.strip():
        return {}
    return dict(_identifier().rank(text))


# English function words: on a short text dominated by names ("Putin met Xi in Beijing") the classifier
# guesses wildly, while a good share of these words is a reliable sign of English.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the a an of in on at to for from by with and or but is are was were be been has have had will would "
    "said says that this it its he she they his her their not no as after before over than".split()
)
SHORT_TEXT_WORDS = 40
MIN_ENGLISH_SHARE = 0.15
VERY_SHORT_TEXT_WORDS = 15


def detect_language(text: str) -> str | None:
    """The most likely ISO 639 code of ``text``, or None for text without letters. A short or uncertain
    reading that is not English yields to English when English function words are common in the text."""
    if not any(ch.isalpha() for ch in text):
        return None
    scores = language_scores(text)
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    words = [w.lower() for w in _LANGUAGE_WORD.findall(text)]
    if best != "en" and words and (len(words) < SHORT_TEXT_WORDS or scores[best] < MIN_CONFIDENCE):
        share = sum(1 for w in words if w in _ENGLISH_FUNCTION_WORDS) / len(words)
        # A headline-like sentence of names has few function words; any at all decides it there.
        if share >= MIN_ENGLISH_SHARE or (len(words) < VERY_SHORT_TEXT_WORDS and share > 0):
            return "en"
    return best


def foreign_language(text: str, article_language: str | None) -> str | None:
    """The code of the language ``text`` is confidently written in, when that is not the article's.

    Returns None when the paragraph is too short to judge, when the classifier is unsure, or when it
    gives the article's own language a real chance: keeping a paragraph is the safe error.
    """
    if not article_language:
        return None
    if len(text) < MIN_CHARS_TO_JUDGE or len(_LANGUAGE_WORD.findall(text)) < MIN_WORDS_TO_JUDGE:
        return None
    scores = language_scores(text)
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    if best == article_language or scores[best] < MIN_CONFIDENCE:
        return None
    if scores.get(article_language, 0.0) > MAX_ARTICLE_LANGUAGE_SHARE:
        return None
    return best
