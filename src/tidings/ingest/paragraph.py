"""A paragraph of the input, remembered with where it came from."""

from __future__ import annotations

from typing import NamedTuple


class Paragraph(NamedTuple):
    """One paragraph's clean text and the 1-based line (plain text) or paragraph number (HTML) it began on."""

    text: str
    line: int
