"""JSON Lines: one article per line, ``{"text" | "html": ..., "url": ..., "published": ..., "outlet": ...}``.

A line that is not a JSON object with article content is a reject naming its line number; the other lines
still go through. The file is read line by line (gzipped files too), so a large dump costs little memory.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from tidings.sources.items import Kind, RawItem, Reject, reject

MAX_LINE_BYTES = 20_000_000
_METADATA_FIELDS = ("url", "published", "outlet")


def iter_jsonl(path: Path) -> Iterator[RawItem | Reject]:
    """The articles of a JSON Lines file (``.jsonl``, ``.ndjson``, optionally ``.gz``)."""
    try:
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    yield parse_line(line, f"{path}:{number}")
    except (OSError, EOFError) as error:  # unreadable file, or a truncated or corrupt gzip stream
        yield reject(str(path), f"cannot read JSON Lines file: {getattr(error, 'strerror', None) or error}")


def parse_line(line: bytes | str, source: str) -> RawItem | Reject:
    """One JSON line as an article item, or the reject that says what is wrong with it."""
    line = line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n")
    if len(line) > MAX_LINE_BYTES:
        return reject(source, f"JSON line over {MAX_LINE_BYTES:,} bytes", line)
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        return reject(source, f"not valid JSON ({str(error).split(':')[0]})", line)
    if not isinstance(record, dict):
        return reject(source, "JSON line is not an object", line)
    text, html = record.get("text"), record.get("html")
    kind: Kind
    content, kind = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
    if not isinstance(content, str) or not content.strip():
        return reject(source, "JSON line has no 'text' or 'html' string", line)
    metadata: dict[str, str | None] = {}
    for field in _METADATA_FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return reject(source, f"JSON field {field!r} must be a string", line)
        metadata[field] = value or None
    return RawItem(source=source, data=content, kind=kind, url=metadata["url"], published=metadata["published"],
                   outlet=metadata["outlet"])
