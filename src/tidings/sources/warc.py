"""WARC archives (via warcio): every successful text or HTML response record is one article.

A crawl also holds requests, metadata, images, scripts and style sheets; those are not articles and are
passed over silently (rejecting each would bury the real rejects). A file that is not a WARC, or one cut
short, is a reject; the records read before the damage still go through.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from tidings.ingest.reader import DEFAULT_MAX_BYTES
from tidings.sources.items import RawItem, Reject, reject

_GZIP_MAGIC = b"\x1f\x8b"
_ARTICLE_MEDIA = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


def iter_warc(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawItem | Reject]:
    """The HTML and text responses of a WARC file (``.warc`` or ``.warc.gz``)."""
    try:
        if not _starts_like_warc(path):
            yield reject(str(path), "not a WARC file (it does not start with a WARC/1.x record header)")
            return
        with open(path, "rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                item = _response_item(record, f"{path}#{number}", max_bytes)
                if item is not None:
                    yield item
    except ArchiveLoadFailed as error:
        yield reject(str(path), f"not a readable WARC file ({str(error).strip().splitlines()[0][:120]})")
    except (OSError, EOFError, ValueError) as error:
        yield reject(str(path), f"cannot read WARC file: {getattr(error, 'strerror', None) or error}")


def _starts_like_warc(path: Path) -> bool:
    """Whether the file (gzipped or not) opens with a WARC record header. warcio also reads the older ARC
    format and would take any text file for a run of broken ARC records."""
    with open(path, "rb") as stream:
        head = stream.read(4096)
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _response_item(record, source: str, max_bytes: int) -> RawItem | Reject | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    media = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    kind = _ARTICLE_MEDIA.get(media)
    if kind is None or status != "200":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return reject(url or source, f"response over the {max_bytes:,}-byte limit", content)
    return RawItem(source=url or source, data=content, kind=kind, url=url)  # type: ignore[arg-type]
