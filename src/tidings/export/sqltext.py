"""Writing a file path into DuckDB SQL (COPY takes no parameters for its target)."""

from __future__ import annotations

from pathlib import Path


def quoted_path(path: Path) -> str:
    """``path`` as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"
