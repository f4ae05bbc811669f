"""The one error an export raises: a request that cannot be carried out, said in one line."""

from __future__ import annotations


class ExportError(ValueError):
    """Bad options (unknown table, dates in the wrong order), an empty store, or an unwritable output."""
