"""Files and folders: walk a folder (recursively, in name order) and say what kind of source each file is.

The kind comes from the file name, the way people name their corpora: article files (``.txt``, ``.html``,
``.htm``, optionally gzipped), JSON Lines, feeds and WARC archives. Any other file is rejected with a
reason rather than guessed at; hidden files and folders (``.git``, ``.DS_Store``) are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

FileKind = Literal["article", "jsonl", "feed", "warc"]

_ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_FEED_SUFFIXES = {".rss", ".atom", ".xml"}
_WARC_SUFFIXES = {".warc"}


def file_kind(path: Path) -> FileKind | None:
    """The kind of source a file is, from its name; None when tidings does not read that kind."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
        if not suffixes:  # "story.gz": a gzipped article whose content decides text or HTML
            return "article"
    last = suffixes[-1] if suffixes else ""
    if last in _ARTICLE_SUFFIXES:
        return "article"
    if last in _JSONL_SUFFIXES:
        return "jsonl"
    if last in _FEED_SUFFIXES:
        return "feed"
    if last in _WARC_SUFFIXES:
        return "warc"
    return None


def walk_folder(folder: Path) -> Iterator[Path]:
    """Every non-hidden file under ``folder``, in a stable order; symbolic links to folders are not
    followed (a link loop must not hang the run)."""
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(root) / name
