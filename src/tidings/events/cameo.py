"""The CAMEO codebook: names, Goldstein weights, QuadClass and PLOVER categories of event codes.

Read from ``data/cameo_codes.tsv`` (built by ``scripts/build_cameo.py``). Events carry a CAMEO code;
this module says what the code means and how conflictual it is, so records can report both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import read_tsv

CODES_FILE = "cameo_codes.tsv"
NO_EVENT = "---"  # lexicon rows that block a verb+word combination from being coded


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    plover: str | None
    plover_mode: str | None
    plover_context: str | None = None


@lru_cache(maxsize=1)
def codebook() -> dict[str, CameoCode]:
    """Every CAMEO code (with leading zeros, e.g. ``"042"``) mapped to its description."""
    book: dict[str, CameoCode] = {}
    for row in read_tsv(CODES_FILE):
        book[row["code"]] = CameoCode(
            code=row["code"],
            name=row["name"],
            root=row["root"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=row["plover"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
        )
    return book


def lookup(code: str) -> CameoCode:
    """The entry for ``code``, or for its nearest parent when the exact code is missing
    (``"0431"`` -> ``"043"`` -> ``"04"``), since coders and dictionaries sometimes use codes
    from newer CAMEO versions. Raises ``KeyError`` for anything that is not a CAMEO-shaped code."""
    if not isinstance(code, str):
        raise KeyError(code)
    cleaned = code.strip()
    if not re.fullmatch(r"\d{2,4}", cleaned):
        raise KeyError(code)
    book = codebook()
    candidate = cleaned
    while len(candidate) >= 2:
        if candidate in book:
            return book[candidate]
        candidate = candidate[:-1]
    raise KeyError(code)


def is_code(code: str) -> bool:
    """True when ``code`` is exactly a code of the codebook (no parent fallback)."""
    return isinstance(code, str) and code in codebook()


__all__ = ["CameoCode", "NO_EVENT", "codebook", "is_code", "lookup"]


def plover_sides(source_ids: list[str], target_ids: list[str], reciprocal: bool) -> tuple[list[str], list[str]]:
    """Source and target lists as PLOVER records them. tidings gives a reciprocal event ("Jordan and Britain
    signed an agreement") both parties on both sides, so that each direction counts in dyad tables; a PLOVER
    record names the joint parties once, as sources, and leaves the target empty."""
    if not reciprocal:
        return list(source_ids), list(target_ids)
    return list(dict.fromkeys([*source_ids, *target_ids])), []
