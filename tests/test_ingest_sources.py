"""Sources: files and folders, JSON Lines, RSS/Atom, WARC and safe URL fetching (against a local server).

Every fixture is written here, in our own words, and is tiny. No model is loaded: these tests check what
the sources yield, not the analysis.
"""

from __future__ import annotations

import gzip
import http.server
import io
import ipaddress
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tidings.ingest import IngestError
from tidings.sources import FetchError, FetchPolicy, RawItem, Reject, fetch_url, iter_sources
import tidings.sources.fetch as fetch_module
from tidings.sources.fetch import address_refusal

ARTICLE = ("Harbour towns agree to share ferry costs\n\n"
           "The councils of two coastal towns agreed on Monday to split the cost of a new ferry service. "
           "The mayor of the larger town said the deal would cut fares for commuters by a third. "
           "Residents had complained for years about the single ageing boat on the route.\n")
PAGE = ("<html><head><title>Ferry deal</title></head><body><article><h1>Harbour towns agree to share ferry "
        "costs</h1><p>The councils of two coastal towns agreed on Monday to split the cost of a new ferry "
        "service across the bay.</p><p>The mayor of the larger town said the deal would cut fares for "
        "commuters by a third, and that the first boat would sail in spring.</p></article></body></html>")


def items_of(*specs: str, policy: FetchPolicy = FetchPolicy()) -> list[RawItem | Reject]:
    return list(iter_sources(specs, policy=policy))


# -- files and folders ---------------------------------------------------------------------------------
def test_folder_is_walked_recursively_and_unsupported_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "b" / "two.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "b" / "three.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "a" / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.txt").write_text(ARTICLE, encoding="utf-8")
    items = items_of(str(tmp_path), str(tmp_path / "missing.txt"))
    readable = sorted(Path(item.source).name for item in items if isinstance(item, RawItem))
    assert readable == ["one.txt", "three.txt.gz", "two.html"]
    rejects = {Path(item.source).name: item.reason for item in items if isinstance(item, Reject)}
    assert set(rejects) == {"notes.docx", "missing.txt"}
    assert "unsupported file type (.docx)" in rejects["notes.docx"]
    assert rejects["missing.txt"] == "no such file or folder"
    texts = {item.read().text for item in items if isinstance(item, RawItem)}
    assert len(texts) >= 2 and all(text.startswith("Harbour towns agree") for text in texts)


def test_file_items_are_read_lazily_and_bad_content_raises_ingest_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    [item] = items_of(str(empty))
    assert isinstance(item, RawItem) and item.data is None  # nothing read yet
    with pytest.raises(IngestError):
        item.read()


# -- JSON Lines ----------------------------------------------------------------------------------------
def test_jsonl_lines_become_items_and_bad_lines_become_rejects(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": ARTICLE, "url": "https://news.invalid/ferry", "published": "2024-03-04",
                    "outlet": "Coast Gazette"}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://news.invalid/none"}),
        json.dumps({"text": ARTICLE, "published": 20240304}),
        json.dumps({"html": PAGE}),
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = items_of(str(path))
    assert [type(item).__name__ for item in items] == ["RawItem", "Reject", "Reject", "Reject", "Reject", "RawItem"]
    first = items[0]
    assert isinstance(first, RawItem) and first.source == f"{path}:1"
    article = first.read()
    assert (article.url, article.published, article.outlet) == ("https://news.invalid/ferry", "2024-03-04",
                                                               "Coast Gazette")
    reasons = [item.reason for item in items if isinstance(item, Reject)]
    assert reasons[0].startswith("not valid JSON") and items[1].source == f"{path}:3"
    assert reasons[1] == "JSON line is not an object"
    assert "no 'text' or 'html'" in reasons[2]
    assert "'published' must be a string" in reasons[3]
    assert items[1].excerpt == "{not json"
    assert isinstance(items[-1], RawItem) and items[-1].kind == "html"


def test_jsonl_item_date_wins_over_the_run_default(tmp_path: Path) -> None:
    path = tmp_path / "c.ndjson"
    path.write_text(json.dumps({"text": ARTICLE, "published": "2024-03-04"}) + "\n"
                    + json.dumps({"text": ARTICLE + "More.\n"}) + "\n", encoding="utf-8")
    dated, undated = items_of(str(path))
    assert dated.read("2020-01-01").published == "2024-03-04"
    assert undated.read("2020-01-01").published == "2020-01-01"


def test_truncated_gzipped_jsonl_is_a_reject_after_the_good_lines(tmp_path: Path) -> None:
    data = gzip.compress(((json.dumps({"text": ARTICLE}) + "\n") * 50).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) - 20])
    items = items_of(str(path))
    assert isinstance(items[-1], Reject) and "cannot read JSON Lines" in items[-1].reason


# -- feeds ---------------------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Coast Gazette</title><link>https://news.invalid/</link>
<item><title>Harbour towns agree to share ferry costs</title><link>https://news.invalid/ferry</link>
<pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The councils of two coastal towns agreed on Monday to split the cost of a ferry.</p>
<p>The mayor said fares would fall by a third.</p>]]></content:encoded></item>
<item><title>Library opens on Sundays</title><link>https://news.invalid/library</link>
<description>The town library will open on Sundays from April, the council said.</description></item>
<item><title>Empty entry</title><link>https://news.invalid/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title><id>urn:x</id><updated>2024-05-01T00:00:00Z</updated>
<entry><title>Bridge reopens after repairs</title><id>urn:x:1</id><link href="https://courier.invalid/bridge"/>
<updated>2024-05-01T08:00:00Z</updated>
<summary type="html">&lt;p&gt;The old stone bridge reopened to traffic on Wednesday after six months of repairs.&lt;/p&gt;</summary>
</entry></feed>"""


def test_rss_entries_become_articles_with_link_date_and_outlet(tmp_path: Path) -> None:
    path = tmp_path / "gazette.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second, empty = items_of(str(path))
    assert isinstance(first, RawItem) and isinstance(second, RawItem) and isinstance(empty, Reject)
    article = first.read()
    assert article.title == "Harbour towns agree to share ferry costs"
    assert article.text.count("\n\n") >= 2  # title, then one paragraph per <p>
    assert "<p>" not in article.text
    assert (article.url, article.published, article.outlet) == ("https://news.invalid/ferry", "2024-03-04",
                                                               "Coast Gazette")
    assert "library will open on Sundays" in second.read().text
    assert empty.reason == "feed entry has no content or summary"


def test_atom_feed_summary_is_read(tmp_path: Path) -> None:
    path = tmp_path / "courier.atom"
    path.write_text(ATOM, encoding="utf-8")
    [item] = items_of(str(path))
    article = item.read()
    assert article.title == "Bridge reopens after repairs" and "stone bridge reopened" in article.text
    assert (article.url, article.published) == ("https://courier.invalid/bridge", "2024-05-01")


def test_a_file_that_is_not_a_feed_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("this is not xml at all", encoding="utf-8")
    [item] = items_of(str(path))
    assert isinstance(item, Reject) and ("feed" in item.reason)


# -- WARC ----------------------------------------------------------------------------------------------
def write_warc(path: Path, gzipped: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        for uri, status, media, body in (
            ("https://news.invalid/ferry", "200 OK", "text/html; charset=utf-8", PAGE.encode()),
            ("https://news.invalid/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n...."),
            ("https://news.invalid/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
        ):
            headers = StatusAndHeaders(status, [("Content-Type", media)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
        writer.write_record(writer.create_warc_record("https://news.invalid/ferry", "request",
                                                      payload=io.BytesIO(b"GET /ferry HTTP/1.1\r\n\r\n")))


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_become_articles_and_the_rest_is_passed_over(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, gzipped)
    [item] = items_of(str(path))
    assert isinstance(item, RawItem) and item.url == "https://news.invalid/ferry" and item.kind == "html"
    article = item.read()
    assert "split the cost of a new ferry" in article.text and article.url == "https://news.invalid/ferry"


def test_a_file_that_is_not_a_warc_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("hello, I am not a web archive\n" * 3, encoding="utf-8")
    [item] = items_of(str(path))
    assert isinstance(item, Reject) and "WARC" in item.reason


# -- URLs ----------------------------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{httpd.server_port}"
    _Handler.routes = {
        "/ferry.html": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode()),
        "/feed": (200, {"Content-Type": "application/rss+xml"}, RSS.encode()),
        "/moved": (301, {"Location": "/ferry.html"}, b""),
        "/to-private": (302, {"Location": "http://10.255.255.1/secret"}, b""),
        "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"word " * 5000 + b"</p>"),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


ALLOW = FetchPolicy(allow_private=True, timeout=5)


def test_loopback_url_is_refused_by_default(server: str) -> None:
    [item] = items_of(f"{server}/ferry.html")
    assert isinstance(item, Reject)
    assert "loopback" in item.reason and "--allow-private" in item.reason


def test_loopback_url_is_fetched_with_allow_private(server: str) -> None:
    [item] = items_of(f"{server}/moved", policy=ALLOW)
    assert isinstance(item, RawItem) and item.url == f"{server}/ferry.html"
    assert "split the cost of a new ferry" in item.read().text


def test_feed_url_yields_its_entries(server: str) -> None:
    items = items_of(f"{server}/feed", policy=ALLOW)
    assert [type(item).__name__ for item in items] == ["RawItem", "RawItem", "Reject"]
    assert items[0].read().url == "https://news.invalid/ferry"


def test_redirect_to_a_private_address_is_refused(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first hop is treated as public (only 127.0.0.1 is let through); the redirect's target is checked
    with the real rules and refused before any connection to it is tried."""
    real = fetch_module.address_refusal
    monkeypatch.setattr(fetch_module, "address_refusal",
                        lambda address, allow: None if str(address) == "127.0.0.1" else real(address, allow))
    assert fetch_url(f"{server}/ferry.html").content == PAGE.encode()  # the stand-in public hop works
    with pytest.raises(FetchError, match="10.255.255.1, a private address"):
        fetch_url(f"{server}/to-private", FetchPolicy(timeout=2))


def test_metadata_address_is_refused_even_with_allow_private(server: str) -> None:
    with pytest.raises(FetchError, match="cloud metadata"):
        fetch_url(f"{server}/to-metadata", ALLOW)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(url, ALLOW)


def test_redirect_to_another_scheme_loops_and_size_are_limited(server: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(f"{server}/to-file", ALLOW)
    with pytest.raises(FetchError, match="redirects"):
        fetch_url(f"{server}/loop", ALLOW)
    with pytest.raises(FetchError, match="limit"):
        fetch_url(f"{server}/big", FetchPolicy(allow_private=True, max_bytes=1000))


def test_every_resolved_address_is_checked() -> None:
    """A host whose DNS answer mixes a public and a private address is refused (no connection is made)."""
    def resolver(_host: str, _port: int) -> list:
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.7")]

    with pytest.raises(FetchError, match="10.0.0.7, a private address"):
        fetch_url("http://mixed.invalid/", resolver=resolver)


@pytest.mark.parametrize(("address", "allow", "expected"), [
    ("8.8.8.8", False, None),
    ("127.0.0.1", False, "a loopback address"),
    ("::ffff:127.0.0.1", False, "a loopback address"),
    ("192.168.1.4", False, "a private address"),
    ("fe80::1", False, "a link-local address"),
    ("100.64.0.1", False, "a non-public address"),
    ("224.0.0.1", True, "a multicast address"),
    ("240.0.0.1", True, "a reserved address"),
    ("0.0.0.0", True, "an unspecified address"),
    ("169.254.169.254", True, "a cloud metadata address"),
    ("fd00:ec2::254", True, "a cloud metadata address"),
    ("192.168.1.4", True, None),
    ("127.0.0.1", True, None),
])
def test_address_rules(address: str, allow: bool, expected: str | None) -> None:
    assert address_refusal(ipaddress.ip_address(address), allow) == expected
