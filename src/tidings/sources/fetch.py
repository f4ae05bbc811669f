"""Fetching a URL safely: tidings may be pointed at URLs from an untrusted list, so every hop is checked.

* only ``http`` and ``https``;
* the host is resolved once and every address it resolves to is checked; the request then goes to that
  checked address (with the original ``Host`` header and TLS server name), so a second DNS answer cannot
  swap in an internal address (DNS rebinding);
* private, loopback, link-local and other non-public addresses are refused unless ``allow_private``;
  multicast, reserved and unspecified addresses, and the cloud instance-metadata endpoints, are always
  refused (no news is served from them, and the metadata services hand out credentials);
* redirects are followed by hand, at most ``max_redirects``, each new location checked the same way;
* a time limit per read and for the whole response, and a size cap while reading.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from tidings.ingest import IngestError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[IPAddress]]

DEFAULT_MAX_BYTES = 10_000_000
_REDIRECTS = {301, 302, 303, 307, 308}
# Instance-metadata services of the big clouds (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS ECS task
# metadata; AWS IPv6; Alibaba; Oracle). Refused even with allow_private.
CLOUD_METADATA = frozenset(ipaddress.ip_address(address) for address in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"))
USER_AGENT = "tidings (+offline news analysis; https://tidings.invalid)"


class FetchError(IngestError):
    """A URL that was refused or could not be fetched; the message says which and why, in one line."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    timeout: float = 15.0          # seconds per connect/read
    total_timeout: float = 60.0    # seconds for the whole fetch, all hops
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


def address_refusal(address: IPAddress, allow_private: bool) -> str | None:
    """Why a connection to ``address`` is refused, or None when it is allowed."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in CLOUD_METADATA:
        return "a cloud metadata address"
    for test, label in (("is_multicast", "a multicast"), ("is_unspecified", "an unspecified"),
                        ("is_reserved", "a reserved")):
        if getattr(address, test):
            return f"{label} address"
    if allow_private:
        return None
    for test, label in (("is_loopback", "a loopback"), ("is_link_local", "a link-local"),
                        ("is_private", "a private")):
        if getattr(address, test):
            return f"{label} address"
    return None if address.is_global else "a non-public address"


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise FetchError(f"cannot resolve host {host!r}: {getattr(error, 'strerror', None) or error}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def fetch_url(url: str, policy: FetchPolicy = FetchPolicy(), *, resolver: Resolver = resolve_host) -> Fetched:
    """GET ``url`` under ``policy``; raises :class:`FetchError` when refused, failed or too large."""
    deadline = time.monotonic() + policy.total_timeout
    with httpx.Client(timeout=policy.timeout, follow_redirects=False, trust_env=False,
                      headers={"User-Agent": USER_AGENT}) as client:
        for _hop in range(policy.max_redirects + 1):
            request = _pinned_request(client, url, policy, resolver)
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch {url}: {type(error).__name__} {error}".strip()) from None
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"{url} answered HTTP {response.status_code}")
                content = _read_capped(response, policy.max_bytes, deadline, url)
                return Fetched(url, content, response.headers.get("content-type", ""))
            finally:
                response.close()
    raise FetchError(f"more than {policy.max_redirects} redirects starting from the given URL")


def _pinned_request(client: httpx.Client, url: str, policy: FetchPolicy, resolver: Resolver) -> httpx.Request:
    """A request for ``url`` sent to an address that passed the policy (refusal raises FetchError)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(f"malformed URL {url!r}: {error}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"refused {url!r}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise FetchError(f"malformed URL {url!r}: no host")
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    addresses = resolver(host, port)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}")
    for address in addresses:
        refusal = address_refusal(address, policy.allow_private)
        if refusal is not None:
            hint = "" if policy.allow_private else " (use --allow-private to allow private networks)"
            raise FetchError(f"refused {url}: {host} resolves to {address}, {refusal}{hint}")
    address = addresses[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    pinned = urlunsplit((parts.scheme.lower(), f"{literal}:{port}", parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rsplit("@", 1)[-1]
    extensions = {"sni_hostname": host} if parts.scheme.lower() == "https" else {}
    return client.build_request("GET", pinned, headers={"Host": host_header}, extensions=extensions)


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url} is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(f"{url} is over the {max_bytes:,}-byte limit")
            if time.monotonic() > deadline:
                raise FetchError(f"{url} took too long to download")
    except httpx.HTTPError as error:
        raise FetchError(f"cannot fetch {url}: {type(error).__name__} {error}".strip()) from None
    return bytes(body)
