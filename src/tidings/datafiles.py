"""Reading the package's own data files (TSV with a header line and ``#`` comment lines)."""

from __future__ import annotations


from functools import lru_cache
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("tidings") / "data"))


@lru_cache(maxsize=64)
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/<name>`` as dicts (header from the first non-comment line), with the line number
    of each row under ``_line`` so records can cite the entry that produced them."""
    path = DATA / name
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            row = {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header)}
            row["_line"] = str(number)
            rows.append(row)
    return tuple(rows)


def entry(name: str, row: dict[str, str]) -> str:
    """A readable reference to a data row: ``speech_verbs.tsv:12``."""
    return f"{name}:{row.get('_line', '?')}"


__all__ = ["DATA", "read_tsv", "entry"]
