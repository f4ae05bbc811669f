"""The one error the ingest stage raises."""

from __future__ import annotations


class IngestError(ValueError):
    """The input cannot be read as an article.

    The message is one line a user can act on ("empty input", "binary file (NUL bytes)",
    "input is 52.1 MB, over the 20 MB limit"), never a traceback.
    """
