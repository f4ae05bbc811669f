"""Bytes in, text out: size limits, gzip, binary detection and character-set decoding.

Everything a user can hand us by mistake (an empty file, a PDF, a 50 MB dump, a Windows-1252 export,
a gzipped page) ends here either as a ``str`` or as one clear :class:`IngestError`.
"""

from __future__ import annotations

import codecs
import re
import zlib

from tidings.ingest.errors import IngestError

# File signatures that mean "this is not text", named so the user learns what they passed.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
)

# Byte-order marks, longest first so UTF-32 LE is not taken for UTF-16 LE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_GZIP_MAGIC = b"\x1f\x8b"
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Share of control characters (other than tab, newline, carriage return, form feed) above which
# a decoded input is treated as binary rather than as text with a few stray bytes.
_MAX_CONTROL_SHARE = 0.05


def size_error(size: int, max_bytes: int) -> IngestError:
    """The error for an input of ``size`` bytes over ``max_bytes``."""
    actual, limit = _human_size(size), _human_size(max_bytes)
    if actual == limit:  # just over the limit: rounding would make the two look equal
        actual, limit = f"{size:,} bytes", f"{max_bytes:,}-byte"
    return IngestError(f"input is {actual}, over the {limit} limit")


def check_text_size(text: str, max_bytes: int) -> None:
    """Reject a ``str`` input whose UTF-8 form is over ``max_bytes``."""
    if len(text) > max_bytes:
        raise size_error(len(text.encode("utf-8", errors="surrogatepass")), max_bytes)
    if len(text) * 4 > max_bytes:  # only then can the encoded form be over the limit
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > max_bytes:
            raise size_error(size, max_bytes)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip ``data`` (all members), refusing to produce more than ``max_bytes``.

    Decompression stops as soon as the output passes the limit, so a gzip bomb costs nothing.
    """
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(wbits=47)  # 32 + 15: accept a gzip or zlib header
        try:
            out += inflater.decompress(data, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise IngestError(f"corrupt gzip data ({exc})") from None
        if len(out) > max_bytes:
            raise IngestError(f"gzip input expands to over the {_human_size(max_bytes)} limit")
        if not inflater.eof:
            raise IngestError("corrupt gzip data (truncated)")
        data = inflater.unused_data if inflater.unused_data.startswith(_GZIP_MAGIC) else b""
    return bytes(out)


def decode_bytes(data: bytes, *, max_bytes: int) -> str:
    """Turn the raw input into text without losing characters.

    Order: size limit, gzip, byte-order mark, binary signatures and NUL bytes, then UTF-8; when that
    fails, a charset the HTML declares, then charset-normalizer's guess (preferring Windows-1252 when it
    reads the bytes as well as the best guess does), then Windows-1252, then Latin-1 (which cannot fail).
    """
    if len(data) > max_bytes:
        raise size_error(len(data), max_bytes)
    if data.startswith(_GZIP_MAGIC):
        data = gunzip(data, max_bytes)
    if not data.strip():
        raise IngestError("empty input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked_text(_decode_strict(data[len(bom):], encoding, label="byte-order mark"))
    for signature, name in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise IngestError(f"binary file ({name})")
    if b"\x00" in data:
        raise IngestError("binary file (NUL bytes)")
    try:
        return _checked_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _checked_text(_decode_legacy(data))


def _decode_strict(data: bytes, encoding: str, *, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise IngestError(f"input does not decode as {encoding} despite its {label}") from None


def _decode_legacy(data: bytes) -> str:
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    guess = _guess_charset(data)
    for encoding in (guess, "cp1252"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    return data.decode("latin-1")


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _guess_charset(data: bytes) -> str | None:
    """charset-normalizer's best encoding, but Windows-1252 when it fits equally well.

    Short Western-European texts fit several code pages equally well (cp1250, cp1252, cp1257); the
    detector then picks one at random-looking order, and cp1252 is by far the most common in news exports.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: trafilatura normally brings it
        return None
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos and match.coherence >= best.coherence:
            return "cp1252"
    return best.encoding


def _checked_text(text: str) -> str:
    if not text.strip():
        raise IngestError("empty input")
    controls = sum(1 for ch in text if _is_control(ch))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise IngestError("binary file (mostly non-text bytes)")
    return text


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\t\n\r\f\v") or 0x7F <= code < 0xA0 or ch == "\ufffd"


def _human_size(size: int) -> str:
    """"52.1 MB", "20 MB", "150 kB", "900 bytes": what a user reads in the error message."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"
