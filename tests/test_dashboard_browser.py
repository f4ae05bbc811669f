"""The dashboard in a real browser (Playwright driving Debian's Chromium) over a store of the examples.

One store and one ``tidings serve`` for the module: the eight examples plus one article of our own whose
text holds markup (``<script>``, ``<img onerror>``) and an emoji, to prove text is rendered as text and
offsets survive characters outside the BMP. Every request the page makes must stay on the test server.
"""

from __future__ import annotations

import calendar
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import ingest_examples

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("TIDINGS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARKUP_TITLE = 'Russia says <script>alert("xss")</script> is not a weapon'
MARKUP_ARTICLE = f"""{MARKUP_TITLE}

Moscow, February 2 (Test) - 🚀 Russian Foreign Minister Sergei Lavrov met North Korean Foreign Minister \
Choe Son Hui in Moscow on Friday and praised <img src=x onerror=alert(2)> the growing ties between the two countries.

"We will <b>deepen</b> our cooperation," Lavrov said.
"""


def _chromium() -> Path:
    """Debian's Chromium; installed here only when TIDINGS_INSTALL_CHROMIUM=1 allows it."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("TIDINGS_INSTALL_CHROMIUM") == "1" and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=False, capture_output=True, timeout=600)
        if CHROMIUM.exists():
            return CHROMIUM
    pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: install it with `apt-get install -y chromium` "
                "(or run with TIDINGS_INSTALL_CHROMIUM=1 to let the tests do it, or point TIDINGS_CHROMIUM at one)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_examples(tmp_path_factory.mktemp("dashboard"), {"2024-02-02-markup-in-text.txt": MARKUP_ARTICLE})


@pytest.fixture(scope="module")
def server(store: Path) -> str:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "tidings.cli", "serve", "--db", str(store),
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/articles", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("tidings serve did not start: " + (process.stderr.read() or b"").decode()[-2000:])
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright for Python: pip install playwright "
                    "(no `playwright install`: they drive Debian's Chromium)")
    executable = _chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """What a page did that it must not: dialogs opened, script errors, requests off the test server."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []


@pytest.fixture
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    watch = Watch()
    own = urlsplit(server).netloc

    def only_own_server(route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own or url.startswith("data:"):
            route.continue_()
        else:
            watch.foreign.append(url)
            route.abort()

    tab.route("**/*", only_own_server)
    tab.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: watch.errors.append(str(error)))
    tab.watch = watch
    yield tab
    context.close()
    assert not watch.foreign, f"the dashboard reached outside its server: {watch.foreign}"
    assert not watch.errors, f"script errors: {watch.errors}"


def _month_end(first_day: str) -> str:
    year, month = int(first_day[:4]), int(first_day[5:7])
    return f"{first_day[:8]}{calendar.monthrange(year, month)[1]:02d}"


def _articles(server: str) -> list[dict]:
    return httpx.get(server + "/api/articles", params={"limit": 500}).json()["items"]


def test_dyad_timeline_shows_the_shift_and_a_months_evidence(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_selector("#dyad-a option", state="attached")
    page.select_option("#dyad-a", "RUS")
    page.select_option("#dyad-b", "PRK")
    page.click("#dyad-form button[type=submit]")
    page.wait_for_selector("#series-chart[data-dyad='RUS-PRK'] circle.point")

    markers = page.locator(".shift-marker")
    assert markers.count() >= 1
    assert "rapprochement" in [markers.nth(i).get_attribute("data-label") for i in range(markers.count())]
    assert "rapprochement 2024-06" in page.locator("#series-chart").inner_text()

    points = page.locator("circle.point")
    tones = [float(points.nth(i).get_attribute("data-goldstein")) for i in range(points.count())]
    assert len(tones) >= 4
    half = len(tones) // 2
    assert sum(tones[half:]) / (len(tones) - half) > sum(tones[:half]) / half, tones  # cooperation rises
    assert tones[-1] > tones[0], tones

    last = points.last
    month = last.get_attribute("data-month")
    last.click()
    page.wait_for_selector("#month-events .evidence")
    shown = page.locator("#month-events .evidence").all_inner_texts()
    stored = httpx.get(server + "/api/events", params={
        "dyad": "RUS,PRK", "date_from": month, "date_to": _month_end(month), "modality": "asserted",
        "limit": 500}).json()["items"]
    stored_evidence = {item["event"]["evidence"]["text"] for item in stored}
    assert shown and set(shown) <= stored_evidence and stored_evidence & set(shown)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    # The evidence links to its article, where the event's span is found and flagged.
    page.locator("#month-events a.article-link").first.click()
    page.wait_for_selector("#article-text .flash")
    assert page.locator("#view-article").is_visible()


def test_article_highlights_are_exactly_the_text_at_their_offsets(page, server: str) -> None:
    for summary in _articles(server):
        analysis = httpx.get(f"{server}/api/articles/{summary['id']}").json()
        text = analysis["article"]["text"]
        page.goto(f"{server}/#article/{summary['id']}")
        page.wait_for_function("id => document.getElementById('article-text').dataset.articleId === id",
                               arg=summary["id"])
        rendered = page.evaluate("""() => ({
            text: document.getElementById('article-text').textContent,
            spans: [...document.querySelectorAll('#article-text .hl')].map(node => ({
                kind: node.dataset.kind, record: node.dataset.record, start: Number(node.dataset.start),
                end: Number(node.dataset.end), text: node.textContent}))})""")
        assert rendered["text"] == text  # nothing lost, nothing added
        assert rendered["spans"]
        pieces = defaultdict(list)
        for span in rendered["spans"]:
            assert span["text"] == text[span["start"]:span["end"]], span
            pieces[span["kind"], span["record"]].append(span)
        # A span split around others still adds up to its record's span.
        for event in analysis["events"]:
            for kind, expected in (("trigger", event["trigger"]), ("evidence", event["evidence"])):
                found = sorted(pieces[kind, event["id"]], key=lambda piece: piece["start"])
                assert found and found[0]["start"] == expected["start"] and found[-1]["end"] == expected["end"]
                assert "".join(piece["text"] for piece in found) == expected["text"]
        for quote in analysis["quotes"]:
            assert "".join(piece["text"] for piece in pieces["quote", quote["id"]]) == quote["content"]["text"]

    # The side panel takes the reader to a record's span.
    side = page.locator("#article-side .side-item").first
    record = side.get_attribute("data-record")
    side.click()
    flagged = page.locator(f"#article-text .flash[data-record='{record}']")
    assert flagged.count() >= 1 and flagged.first.is_visible()


def test_markup_in_an_article_is_shown_as_text_and_never_run(page, server: str) -> None:
    markup = next(item for item in _articles(server) if "<script>" in (item["title"] or ""))
    page.goto(f"{server}/#articles")
    page.wait_for_selector("#article-list a")
    assert MARKUP_TITLE in page.locator("#article-list").inner_text()
    page.goto(f"{server}/#article/{markup['id']}")
    page.wait_for_selector("#article-text .hl")
    page.wait_for_timeout(500)  # time for an injected onerror or script to fire, were there one
    body = page.locator("#article-text")
    assert MARKUP_TITLE in body.inner_text()
    assert "<img src=x onerror=alert(2)>" in body.inner_text() and "<b>deepen</b>" in body.inner_text()
    assert page.locator("#article-title").inner_text() == MARKUP_TITLE
    assert page.locator("#view-article script, #view-article img, #view-article b").count() == 0
    assert page.watch.dialogs == []


def test_phone_width_has_no_horizontal_overflow(page, server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    article = max(_articles(server), key=lambda item: item["events"])
    views = {"#timeline": "circle.point", "#network": "#network-chart svg", "#map": "#map-chart svg",
             "#articles": "#article-list a", f"#article/{article['id']}": "#article-text .hl"}
    for view, ready in views.items():
        page.goto(f"{server}/{view}")
        page.wait_for_selector(ready)
        overflow = page.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
                // SVG shapes report their unclipped boxes; the svg element itself is what takes room.
                .filter(node => !node.ownerSVGElement && node.getClientRects().length
                                && node.getBoundingClientRect().right > width + 1)
                .map(node => node.tagName + '.' + node.className);
            return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
        }""")
        assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], (view, overflow)
