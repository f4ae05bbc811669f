"""Unicode and whitespace normalisation of decoded text.

Every later offset points into text that went through here, so the rules are few and predictable:
NFC, one kind of line break, no invisible characters, single spaces inside a line.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are invisible in a browser but split words for a tokenizer (soft hyphen, zero-width
# space/joiners, word joiner, BOM) and C0/C1 control characters other than tab and newline.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x0c\x85]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but the newline: tabs, no-break and thin spaces
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line breaks, invisible characters removed, runs of spaces folded, lines right-stripped.

    Line breaks are kept one for one (``\\r\\n`` counts as one) so line numbers still match the input.
    """
    text = repair_surrogates(text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def repair_surrogates(text: str) -> str:
    """Text that can be written as UTF-8: surrogate pairs left as two code points (a ``str`` built from
    UTF-16 halves, a UTF-7 page) joined into one character, lone surrogates replaced by U+FFFD.

    Without this the article id (sha256 of the UTF-8 text), JSON output and the store all fail on the text.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")


def fold_whitespace(text: str) -> str:
    """Every run of whitespace as one space, ends trimmed: the form the article id is computed on."""
    return " ".join(text.split())
