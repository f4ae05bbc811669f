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
    return read_tsv_path(DATA / name)


@lru_cache(maxsize=64)
def column_set(name: str, column: str = "word") -> frozenset[str]:
    """One column of ``data/<name>`` as a set, built once: the word lists (honorifics, self acts, …)."""
    return frozenset(row[column] for row in read_tsv(name))


def read_tsv_path(path: Path) -> tuple[dict[str, str], ...]:
    """Rows of any TSV file in the package's format (``#`` comment lines, a header line, tab-separated
    cells, missing trailing cells empty); the build scripts read their curated inputs with it too."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [cell.strip() for cell in cells]
                continue
            row = {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header)}
            row["_line"] = str(number)
            rows.append(row)
    return tuple(rows)


def entry(name: str, row: dict[str, str]) -> str:
    """A readable reference to a data row: ``speech_verbs.tsv:12``."""
    return f"{name}:{row.get('_line', '?')}"


__all__ = ["DATA", "read_tsv", "read_tsv_path", "entry"]
