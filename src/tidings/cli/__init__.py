"""The ``tidings`` command line: analyze articles, build and query a store, serve it, evaluate against
reference sets. One module per group of commands; importing them registers the commands on ``app``."""

from __future__ import annotations

from . import analyze, corpus, evaluate, serve  # noqa: F401 - registers the commands
from ._common import app


def main() -> None:  # pragma: no cover - console entry point
    app()


__all__ = ["app", "main"]
