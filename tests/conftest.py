"""Shared test fixtures.

Tests that need reference data read it from ``../shared`` (beside the repository). When it is absent they
skip with a clear reason, except under CI (``CI=true``), where a missing ``../shared`` is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TIDINGS_SHARED", REPO.parent / "shared"))
SEED_DIR = SHARED / "fixtures" / "seed"
SEED_TEXT = SEED_DIR / "elpais-2023-09-russia-north-korea.txt"
SEED_GOLD = SEED_DIR / "elpais-2023-09-russia-north-korea.gold.json"
SEED_PUBLISHED = "2023-09-06"


def need_shared(path: Path) -> Path:
    """Return ``path`` if it exists; otherwise skip (or fail under CI) with the reason."""
    if path.exists():
        return path
    reason = f"reference data {path} is absent (../shared is not beside the repository)"
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI requires it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return need_shared(SHARED)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return need_shared(SEED_TEXT).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    import json

    return json.loads(need_shared(SEED_GOLD).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nlp():
    from tidings.nlp import load_nlp

    return load_nlp()


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def ingest_examples(folder: Path, extra: dict[str, str] | None = None) -> Path:
    """A store filled by ``tidings ingest`` (run as a user would) with the bundled examples plus ``extra``
    articles (file name -> text) written into ``folder``; returns the store's path."""
    import subprocess
    import sys

    sources = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
        sources.append(str(folder / name))
    path = folder / "store.duckdb"
    done = subprocess.run([sys.executable, "-m", "tidings.cli", "ingest", *sources, "--db", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return path
