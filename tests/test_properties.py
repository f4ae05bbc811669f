"""Properties of the whole ``analyze`` path over generated news text, arbitrary Unicode and random HTML.

For every input: no exception other than a clear IngestError; every span in the analysis (mentions,
quotes' content/cue/addressee/speaker mention, events' evidence/trigger/modality cue, claims and their
status evidence, timexes, places) lies inside the clean text and quotes it exactly; the JSON output
validates against ``tidings.json_schema()``.

Budget: the spaCy path costs a tenth of a second or more per example, so it runs a few hundred examples;
the HTML layout property runs a thousand through ingest only. ``TIDINGS_FUZZ_SCALE=N`` multiplies all.
"""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import tidings
from tidings import Analysis, Analyzer, IngestError
from tidings.ingest import read_article
from tidings.records import Span

SCALE = max(1, int(os.environ.get("TIDINGS_FUZZ_SCALE", "1")))


def budget(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# -- checks shared with the hostile-input suite ---------------------------------------------------------
def spans_in(record: object, path: str = "analysis") -> list[tuple[str, Span]]:
    """Every Span inside a record, with where it sits ("events[3].trigger"), found by walking the model so
    that a span field added later is checked too."""
    found: list[tuple[str, Span]] = []
    if isinstance(record, Span):
        found.append((path, record))
    if isinstance(record, BaseModel):
        for name in type(record).model_fields:
            if path == "analysis" and name == "article":
                continue  # the article is the text itself, not a span of it
            found += spans_in(getattr(record, name), f"{path}.{name}")
    elif isinstance(record, list):
        for index, item in enumerate(record):
            found += spans_in(item, f"{path}[{index}]")
    return found


def assert_spans_valid(analysis: Analysis) -> None:
    text = analysis.article.text
    for where, span in spans_in(analysis):
        assert 0 <= span.start <= span.end <= len(text), f"{where} [{span.start}:{span.end}] outside the text"
        assert span.text == text[span.start:span.end], f"{where} text {span.text!r} != {text[span.start:span.end]!r}"
    assert 0 <= analysis.article.body_start <= len(text)
    for removal in analysis.article.removed:
        assert removal.line is None or removal.line >= 0


_VALIDATOR = jsonschema.Draft202012Validator(tidings.json_schema())


def assert_valid_json(analysis: Analysis) -> None:
    document = json.loads(analysis.model_dump_json())
    errors = sorted(_VALIDATOR.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, f"{list(errors[0].path)}: {errors[0].message}"


def assert_sound(analysis: Analysis) -> None:
    assert isinstance(analysis, Analysis)
    if analysis.error is not None:
        assert analysis.error.strip() and "Traceback" not in analysis.error
    assert_spans_valid(analysis)
    assert_valid_json(analysis)


# -- strategies -----------------------------------------------------------------------------------------
ACTORS = ["Vladimir Putin", "Emmanuel Macron", "Kim Jong Un", "Olaf Scholz", "Joe Biden", "Xi Jinping",
          "President Lula", "the foreign minister", "a government spokesman", "the rebels", "the United Nations",
          "NATO", "police", "Hamas", "the Kremlin", "Israeli troops", "an official who asked not to be named",
          "Prime Minister Narendra Modi", "the European Union", "protesters", "he", "they", "it"]
COUNTRIES = ["France", "Russia", "North Korea", "Germany", "China", "Ukraine", "Israel", "Iran", "Brazil",
             "Kenya", "the United States", "Gaza", "Sudan", "Venezuela", "Côte d'Ivoire", "São Paulo"]
ACTS = ["met", "criticized", "accused", "visited", "threatened", "signed an agreement with", "called for talks with",
        "attacked", "praised", "denied reports about", "imposed sanctions on", "invited", "will meet",
        "may attack", "refused to negotiate with", "promised aid to", "condemned", "arrested leaders of"]
WHEN = ["on Tuesday", "last week", "on 12 March 2024", "in May", "yesterday", "next year", "on Sept. 6",
        "two days ago", "this morning", "between September 10 and 13", "in 2019", ""]
WHERE = ["in Paris", "in Moscow", "at the border", "in Vladivostok", "in Kharkiv", "near Khartoum", ""]
SAY = ["said", "told reporters", "warned", "added", "claimed", "denied", "insisted", "according to sources"]
ODD = ["\u201c", "\u201d", '"', "'", "\u00ab", "(", ")", "--", ":", ";", "...", "\u05e9\u05dc\u05d5\u05dd",
       "\u0627\u0644\u0633\u0644\u0627\u0645", "\u202e", "\u200f", "e\u0301", "\U0001f600", "\t", "US$5bn", "€3",
       "50%", "#", "@", "http://example.com/a?b=c", "", "\n"]

_clause = st.builds(lambda actor, act, country, where, when: " ".join(
    part for part in (actor, act, country, where, when) if part),
    st.sampled_from(ACTORS), st.sampled_from(ACTS), st.sampled_from(COUNTRIES), st.sampled_from(WHERE),
    st.sampled_from(WHEN))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_sentence = st.one_of(
    _clause.map(lambda clause: _cap(clause) + "."),
    st.builds(lambda clause, actor, say: f"\"{_cap(clause)},\" {actor} {say}.", _clause, st.sampled_from(ACTORS),
              st.sampled_from(SAY)),
    st.builds(lambda actor, say, clause: f"{_cap(actor)} {say} that {clause}.", st.sampled_from(ACTORS),
              st.sampled_from(SAY), _clause),
    st.builds(lambda actor, clause: f"According to {actor}, {clause}.", st.sampled_from(ACTORS), _clause),
    st.builds(lambda clause, actor: f"\u201c{_cap(clause)} {actor} said.", _clause, st.sampled_from(ACTORS)),  # unbalanced
    st.builds(lambda clause, odd: f"{_cap(clause)} {odd}", _clause, st.sampled_from(ODD)),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
news_text = st.builds(lambda title, paragraphs: "\n\n".join([title, *paragraphs]),
                      _clause.map(_cap), st.lists(_paragraph, min_size=1, max_size=5))
any_text = st.one_of(
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=600),
    st.lists(st.one_of(_sentence, st.text(max_size=15), st.sampled_from(ODD)), min_size=1, max_size=20).map(" ".join),
)
published = st.one_of(st.none(), st.dates().map(lambda day: day.isoformat()))

_TAGS = ["p", "div", "span", "b", "i", "a", "article", "section", "main", "h1", "h2", "ul", "li", "blockquote",
         "table", "tr", "td", "nav", "footer", "header", "aside", "script", "style", "figure", "figcaption", "em"]
_ATTRIBUTES = ["", ' class="article-body"', ' id="content"', ' class="nav menu"', ' style="display:none"',
               ' href="/x"', ' class="related"', ' data-x="<p>"']


def _element(tag: str, attributes: str, children: list[str]) -> str:
    return f"<{tag}{attributes}>{''.join(children)}</{tag}>"


_html_text = st.one_of(_paragraph, st.text(max_size=30), st.sampled_from(["<br>", "<hr/>", "&amp;", "&nbsp;",
                                                                         "&#x1F600;", "&bogus;", "<", ">", "</p>"]))
html_tree = st.recursive(
    _html_text,
    lambda children: st.builds(_element, st.sampled_from(_TAGS), st.sampled_from(_ATTRIBUTES),
                               st.lists(children, max_size=5)),
    max_leaves=30,
)
html_page = st.builds(
    lambda title, body, head_extra: (f"<!DOCTYPE html><html><head><title>{title}</title>{head_extra}</head>"
                                     f"<body>{body}</body></html>"),
    _clause.map(_cap), html_tree,
    st.sampled_from(["", '<meta charset="utf-8">', '<meta name="description" content="A story.">',
                     '<meta property="article:published_time" content="2024-03-12">', "<script>var a = '<p>';</script>"]),
)


# -- properties -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def analyze_or_reject(analyzer: Analyzer, data: str | bytes, day: str | None) -> Analysis | None:
    try:
        analysis = analyzer.analyze(data, published=day)
    except IngestError as error:
        assert str(error).strip() and "\n" not in str(error)
        return None
    assert_sound(analysis)
    return analysis


@budget(400)
@given(news_text, published)
def test_news_text_analysis_is_sound(analyzer: Analyzer, text: str, day: str | None) -> None:
    analysis = analyze_or_reject(analyzer, text, day)
    assert analysis is not None, "generated news text is an article"
    assert analysis.error is None
    assert not [warning for warning in analysis.warnings if "failed" in warning], analysis.warnings


@budget(300)
@given(any_text, published)
def test_arbitrary_text_analysis_is_sound(analyzer: Analyzer, text: str, day: str | None) -> None:
    analysis = analyze_or_reject(analyzer, text, day)
    if analysis is not None:
        assert not [warning for warning in analysis.warnings if "failed" in warning], analysis.warnings


@budget(300)
@given(html_page, published, st.booleans())
def test_html_analysis_is_sound(analyzer: Analyzer, page: str, day: str | None, as_bytes: bool) -> None:
    analysis = analyze_or_reject(analyzer, page.encode("utf-8") if as_bytes else page, day)
    if analysis is not None:
        assert not [warning for warning in analysis.warnings if "failed" in warning], analysis.warnings


@budget(1_500)
@given(html_page)
def test_html_ingest_gives_a_consistent_layout(page: str) -> None:
    """Ingest only (no spaCy), so many more pages: title and body sit where the record says they do."""
    try:
        article = read_article(page)
    except IngestError:
        return
    text = article.text
    assert 0 <= article.body_start <= len(text)
    if article.title:
        assert text.startswith(article.title)
    if 0 < article.body_start < len(text):
        assert text[article.body_start - 2:article.body_start] == "\n\n"
