"""Tests of the ingest stage: decoding, layout, HTML extraction, furniture removal, the Article record."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import re
from pathlib import Path

import pytest

from conftest import SEED_PUBLISHED, SEED_TEXT, need_shared
from tidings.ingest import IngestError, Paragraph, read_article, read_path, strip_furniture
from tidings.ingest.clean import furniture_patterns
from tidings.ingest.normalise import fold_whitespace
from tidings.records import Article

BODY_1 = ("The regional council voted on Tuesday to extend the night bus network to three outlying towns, "
          "after a two-year campaign by residents who work late shifts at the hospital.")
BODY_2 = ("Officials said the first routes would start in March and that fares would stay at the current level "
          "for at least a year, paid for by a grant from the transport ministry.")
BODY_3 = ("Residents' groups welcomed the decision but said the timetable still left the smallest villages "
          "without a service after eleven o'clock at night.")
PLAIN = "\n".join([
    "Council extends night buses to outlying towns",
    "Residents who work late shifts had campaigned for two years",
    BODY_1,
    BODY_2,
    BODY_3,
])

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour authority approves new ferry link - The Coastal Ledger</title>
<meta property="og:site_name" content="The Coastal Ledger">
<meta property="article:published_time" content="2021-04-12T08:30:00Z">
<meta name="description" content="Councillors back a year-round service between the two islands">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Harbour authority approves new ferry link</h1>
<p>Councillors back a year-round service between the two islands</p>
<p>The harbour authority voted on Monday to approve a year-round ferry service linking the northern and
southern islands, ending decades of seasonal crossings.</p>
<p>The chair of the authority said the new vessel would carry up to 300 passengers and 40 cars on each trip,
and that timetables would be published next month.</p>
<p>Local businesses welcomed the decision. A bakery owner said winter trade had always suffered when the
crossings stopped in October.</p>
<p>Opponents argued that the cost of the subsidy should have been put to a public vote, but the motion passed
by nine votes to two.</p>
</article>
<footer><p>Contact us</p></footer>
</body></html>"""


def body_of(article: Article) -> str:
    return article.text[article.body_start:]


# --- the seed article ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_article(seed_text: str) -> Article:
    return read_article(seed_text, source=str(SEED_TEXT), published=SEED_PUBLISHED)


def test_seed_title_subtitle_and_body_bounds(seed_article: Article, seed_gold: dict) -> None:
    gold = seed_gold["document"]
    assert fold_whitespace(seed_article.title or "") == fold_whitespace(gold["title"])
    assert fold_whitespace(seed_article.subtitle or "") == fold_whitespace(gold["subtitle"])
    body = body_of(seed_article)
    assert body.startswith(gold["body_starts_with"])
    assert body.endswith(gold["body_ends_with"])
    for furniture in gold["body_must_not_contain"]:
        assert furniture not in seed_article.text


def test_seed_removals_are_reported_with_reasons(seed_article: Article, seed_gold: dict) -> None:
    removed_text = " ".join(removal.text for removal in seed_article.removed)
    for furniture in seed_gold["document"]["body_must_not_contain"]:
        assert furniture in removed_text
    assert all(removal.reason and removal.line for removal in seed_article.removed)
    assert "newsletter" in {removal.reason for removal in seed_article.removed}
    lines = need_shared(SEED_TEXT).read_text(encoding="utf-8").split("\n")
    for removal in seed_article.removed:  # line numbers point at the input line the paragraph came from
        assert lines[removal.line - 1].strip() == removal.text


def test_seed_record_fields(seed_article: Article) -> None:
    assert seed_article.language == "en"
    assert seed_article.published == SEED_PUBLISHED and seed_article.published_from == "option"
    assert seed_article.text[seed_article.body_start - 2:seed_article.body_start] == "\n\n"
    expected = hashlib.sha256(fold_whitespace(seed_article.text).encode()).hexdigest()
    assert seed_article.id == expected
    assert "\n\n\n" not in seed_article.text


def test_same_story_pasted_differently_gets_same_id(seed_text: str) -> None:
    windows = "\ufeff" + seed_text.replace("\n", "  \r\n")
    assert read_article(windows.encode("utf-8")).id == read_article(seed_text).id


# --- plain text layout ------------------------------------------------------------------------------------

def test_plain_text_headline_standfirst_body() -> None:
    article = read_article(PLAIN)
    assert article.title == "Council extends night buses to outlying towns"
    assert article.subtitle == "Residents who work late shifts had campaigned for two years"
    assert body_of(article) == "\n\n".join([BODY_1, BODY_2, BODY_3])
    assert article.removed == [] and article.published is None and article.published_from is None


def test_second_line_that_is_a_body_paragraph_is_not_a_standfirst() -> None:
    quoted = "“We waited long enough,” said one nurse, who has walked home after late shifts for years."
    article = read_article("\n".join(["Council extends night buses", quoted, BODY_1]))
    assert article.subtitle is None
    assert body_of(article).startswith(quoted)
    article = read_article("\n".join(["Council extends night buses", BODY_1, BODY_2]))
    assert article.subtitle is None and body_of(article).startswith(BODY_1)


def test_blank_line_separated_and_hard_wrapped_paragraphs() -> None:
    wrapped = "\n".join(re.findall(r".{1,60}(?:\s|$)", BODY_1)).replace(" \n", "\n").strip()
    assert wrapped.count("\n") >= 2
    text = "Council extends night buses\n\n" + wrapped + "\n\n" + BODY_2 + "\n"
    article = read_article(text)
    assert article.title == "Council extends night buses"
    assert body_of(article) == BODY_1 + "\n\n" + BODY_2


def test_first_line_that_is_body_text_gives_no_title() -> None:
    article = read_article(BODY_1 + "\n" + BODY_2)
    assert article.title is None and article.body_start == 0


# --- furniture -------------------------------------------------------------------------------------------

def test_cookie_notice_and_read_more_removed_body_mentioning_subscription_kept() -> None:
    subscription_body = ("The streaming company said its subscription prices would rise next month, blaming higher "
                         "costs for sports rights.")
    text = "\n".join([
        "We use cookies to give you the best experience on our website. Accept all cookies or manage settings.",
        "Council extends night buses to outlying towns",
        BODY_1,
        "Read more: Hospital car park charges to be scrapped",
        BODY_2,
        subscription_body,
    ])
    article = read_article(text)
    reasons = {removal.text.split()[0]: removal.reason for removal in article.removed}
    assert reasons == {"We": "cookies", "Read": "related-links"}
    assert article.title == "Council extends night buses to outlying towns"
    assert body_of(article).endswith(subscription_body)
    assert "Read more" not in article.text and "cookies" not in article.text


def test_long_body_paragraph_inside_article_is_never_dropped_for_a_pattern() -> None:
    long_paragraph = ("Subscribe now, the company urged customers in a letter, promising lower prices for anyone "
                      "who signed a two-year contract before the end of the month, a tactic that consumer groups "
                      "described as aggressive and that regulators said they would examine closely this autumn.")
    paragraphs = [Paragraph(BODY_1, 1), Paragraph(long_paragraph, 2), Paragraph(BODY_2, 3)]
    kept, removed = strip_furniture(paragraphs, "en")
    assert kept == paragraphs and removed == []
    kept, removed = strip_furniture([*paragraphs, Paragraph("Subscribe now for unlimited access", 4)], "en")
    assert kept == paragraphs and [r.reason for r in removed] == ["subscription"]


def test_paragraph_in_another_language_removed_with_language_reason() -> None:
    spanish = "El ayuntamiento ha decidido cerrar la biblioteca municipal durante todo el mes de agosto."
    kept, removed = strip_furniture([Paragraph(BODY_1, 1), Paragraph(BODY_2, 2), Paragraph(spanish, 3)], "en")
    assert [p.line for p in kept] == [1, 2]
    assert [(r.reason, r.line) for r in removed] == [("language:es", 3)]


def test_furniture_table_is_well_formed() -> None:
    patterns = furniture_patterns()
    assert len(patterns) > 20
    allowed = {"newsletter", "subscription", "paywall", "cookies", "related-links", "share", "advertisement",
               "copyright", "photo-credit", "byline", "boilerplate"}
    assert {pattern.reason for pattern in patterns} <= allowed
    assert all(pattern.note for pattern in patterns)


# --- HTML ------------------------------------------------------------------------------------------------

def test_html_page_extraction_and_date() -> None:
    article = read_article(PAGE)
    assert article.title == "Harbour authority approves new ferry link"
    assert article.subtitle == "Councillors back a year-round service between the two islands"
    assert body_of(article).startswith("The harbour authority voted on Monday")
    assert body_of(article).endswith("by nine votes to two.")
    assert "Home" not in article.text and "Contact us" not in article.text
    assert article.published == "2021-04-12" and article.published_from == "html-metadata"
    assert article.outlet == "The Coastal Ledger" and article.language == "en"
    assert "\n\n" in body_of(article)  # paragraphs kept apart


def test_published_option_overrides_html_date() -> None:
    article = read_article(PAGE.encode("utf-8"), published=datetime.date(2021, 4, 13))
    assert article.published == "2021-04-13" and article.published_from == "option"


def test_html_without_article_text() -> None:
    page = "<!doctype html><html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(IngestError, match="no article text found in the HTML page"):
        read_article(page)


# --- bad and unusual input ------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty input"),
    ("", "empty input"),
    (b"  \n\t\r\n  ", "empty input"),
    ("   \n\n  ", "empty input"),
    (b"some text\x00\x01\x02 more", r"binary file \(NUL bytes\)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", r"binary file \(PDF"),
    (bytes(range(1, 9)) * 200, "binary file"),
    (b"\x1f\x8b\x08\x00garbage", "corrupt gzip"),
])
def test_unreadable_input_raises_one_line_error(data: bytes | str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as caught:
        read_article(data)
    assert "\n" not in str(caught.value)


def test_oversize_input() -> None:
    with pytest.raises(IngestError, match=r"^input is 150 kB, over the 100 kB limit$"):
        read_article(b"word " * 30_000, max_bytes=100_000)
    with pytest.raises(IngestError, match="over the"):
        read_article("word " * 30_000, max_bytes=100_000)


def test_bad_published_date() -> None:
    with pytest.raises(IngestError, match="unreadable publication date"):
        read_article(PLAIN, published="last Tuesday")
    assert read_article(PLAIN, published="2023-09-06T10:00:00+02:00").published == "2023-09-06"


def test_windows_1252_bytes_decoded() -> None:
    text = ("Caf\u00e9 owners protest new rent rules\n"
            "The \u201cunfair\u201d charges \u2013 up 30% \u2013 hit small traders hardest, the association's "
            "na\u00efve critics were told at a meeting in the Caf\u00e9 Ren\u00e9 on Friday.\n" + BODY_2)
    article = read_article(text.encode("cp1252"))
    assert article.title == "Caf\u00e9 owners protest new rent rules"
    assert "\u201cunfair\u201d charges \u2013 up 30%" in article.text
    assert "Caf\u00e9 Ren\u00e9" in article.text and "\ufffd" not in article.text


def test_gzip_input(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(PLAIN.encode("utf-8")))
    article = read_path(path, published="2024-01-31")
    assert article.title == "Council extends night buses to outlying towns"
    assert article.source == str(path) and article.published == "2024-01-31"
    assert read_article(gzip.compress(PLAIN.encode("utf-8"))).id == article.id
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    assert read_path(page).title == "Harbour authority approves new ferry link"
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 2_000_000))
    with pytest.raises(IngestError, match="^gzip input expands to over the 1 MB limit$"):
        read_path(bomb, max_bytes=1_000_000)


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        read_path(tmp_path / "nowhere.txt")


def test_non_english_article_is_read_with_its_language() -> None:
    text = "\n".join([
        "El ayuntamiento amplía el servicio de autobuses nocturnos",
        "Los vecinos llevaban dos años reclamando nuevas líneas",
        "El pleno municipal aprobó el martes ampliar la red de autobuses nocturnos a tres localidades cercanas, "
        "después de una campaña de dos años de los vecinos que trabajan en turnos de noche.",
        "Según los responsables, las primeras líneas empezarán a funcionar en marzo y el precio del billete no "
        "cambiará durante al menos un año.",
    ])
    article = read_article(text)
    assert article.language == "es"
    assert article.removed == []
    assert body_of(article).startswith("El pleno municipal")


# --- real pages -----------------------------------------------------------------------------------------

def test_benchmark_pages_do_not_crash(shared_dir: Path) -> None:
    pages = sorted((shared_dir / "data" / "article-extraction-benchmark" / "html").glob("*.html.gz"))[:6]
    if not pages:
        pytest.skip("no benchmark pages")
    for page in pages:
        article = read_path(page)
        assert article.text and article.body_start <= len(article.text)
        assert article.language
