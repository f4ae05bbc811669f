"""Where the reference data lives: ``../shared/data`` beside the repository, as the project is laid out.

The evaluation commands read their gold sets from there by default (each CLI command takes a path option
that overrides it). Beside a source checkout that is the repository's parent; an installed package has no
repository around it, so the working directory's parent is tried next.
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]


def shared_data(*parts: str) -> Path:
    """``../shared/data/<parts>`` beside the repository, else beside the working directory (the first that
    exists; the repository's when neither does, so the error names the expected place)."""
    relative = Path("shared", "data", *parts)
    for base in (REPOSITORY, Path.cwd()):
        candidate = base.parent / relative
        if candidate.exists():
            return candidate
    return REPOSITORY.parent / relative
