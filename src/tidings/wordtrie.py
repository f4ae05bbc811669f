"""Word lists as one regular expression written as a trie ("South (?:Korea|Sudan)"), for the place and time
scanners.

A flat alternation of a thousand words makes the regex engine try every one of them at every position of
the text; a trie tries each shared prefix once. Where a word ends and a longer one goes on, the longer is
tried first and the shorter only when the longer fails (the optional group is greedy), so a match is the
same as a flat alternation sorted longest first would give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_END = ""  # the key marking that a word ends at a node (no character is empty)


def trie_regex(words: Iterable[str], special: Mapping[str, str] | None = None) -> str:
    """A regex matching any of ``words``, longest first. ``special`` gives the regex for characters that
    match more than themselves (a space for any whitespace, either apostrophe); characters with the same
    regex share a branch."""
    special = special or {}
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(special.get(ch) or re.escape(ch), {})
        node[_END] = {}
    return _node_regex(trie)


def _node_regex(node: dict) -> str:
    branches = [piece + _node_regex(child) for piece, child in sorted(node.items()) if piece != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if _END in node else body
