"""From what the user typed (paths, folders, URLs, ``-``) to a lazy stream of raw items and rejects."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from tidings.ingest.decode import gunzip
from tidings.ingest.reader import DEFAULT_MAX_BYTES
from tidings.sources.feeds import iter_feed, looks_like_feed
from tidings.sources.fetch import FetchError, FetchPolicy, fetch_url
from tidings.sources.files import file_kind, walk_folder
from tidings.sources.items import RawItem, Reject, reject
from tidings.sources.jsonl import iter_jsonl
from tidings.sources.warc import iter_warc

Item = RawItem | Reject


def is_url(spec: str) -> bool:
    """Whether a source looks like a URL (anything with a scheme), rather than a path."""
    scheme, sep, _rest = spec.partition("://")
    return bool(sep) and scheme.isascii() and scheme.replace("+", "").replace("-", "").isalnum()


def iter_sources(specs: Iterable[str], *, policy: FetchPolicy = FetchPolicy()) -> Iterator[Item]:
    """Every raw item (or reject) of every source, in order, read lazily: a folder is walked and a URL
    fetched only when the consumer gets that far."""
    for spec in specs:
        if spec == "-":
            yield RawItem(source="-", data=sys.stdin.buffer.read())
        elif is_url(spec):
            yield from iter_url(spec, policy)
        else:
            yield from iter_path(Path(spec))


def iter_path(path: Path) -> Iterator[Item]:
    """A file, or every file under a folder."""
    if path.is_dir():
        for file in walk_folder(path):
            yield from iter_file(file)
    elif path.exists():
        yield from iter_file(path)
    else:
        yield reject(str(path), "no such file or folder")


def iter_file(path: Path) -> Iterator[Item]:
    """One file, read as the kind its name says."""
    kind = file_kind(path)
    if kind == "article":
        yield RawItem(source=str(path), path=path)
    elif kind == "jsonl":
        yield from iter_jsonl(path)
    elif kind == "warc":
        yield from iter_warc(path)
    elif kind == "feed":
        yield from _iter_feed_file(path)
    elif path.is_file():
        suffix = "".join(path.suffixes) or "no extension"
        yield Reject(str(path), f"unsupported file type ({suffix}): use .txt, .html, .htm, .gz, .jsonl, "
                     ".rss/.atom/.xml or .warc", size=_size(path))
    else:
        yield reject(str(path), "not a regular file")


def iter_url(url: str, policy: FetchPolicy) -> Iterator[Item]:
    """A fetched page (one article) or feed (one article per entry)."""
    try:
        fetched = fetch_url(url, policy)
    except FetchError as error:
        yield reject(url, str(error))
        return
    if looks_like_feed(fetched.content, fetched.content_type):
        yield from iter_feed(fetched.content, fetched.url)
    else:
        yield RawItem(source=url, data=fetched.content, url=fetched.url)


def _iter_feed_file(path: Path) -> Iterator[Item]:
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gunzip(data, DEFAULT_MAX_BYTES)
    except OSError as error:
        yield reject(str(path), f"cannot read feed file: {error.strerror or error}")
        return
    except ValueError as error:  # IngestError from gunzip: corrupt or oversized
        yield reject(str(path), str(error))
        return
    yield from iter_feed(data, str(path))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
