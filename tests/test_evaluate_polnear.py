"""The PolNeAR scorer: reading BRAT standoff, comparing spans, classifying gold kinds, counting, one real run."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SHARED, need_shared
from tidings.evaluate import polnear
from tidings.records import Article

# A made-up article (no PolNeAR text is copied here); offsets are found in it by the helpers below.
TEXT = (
    "Mayor Lena Ortiz said the bridge would reopen in May.\n"
    "\n"
    "“We are confident the repairs will hold,” she told reporters. “The inspectors agree.”\n"
    "\n"
    "The council approved the budget, according to a spokesman.\n"
    "\n"
    "Ortiz called the plan “a serious step forward” for the town.\n"
    "\n"
    "The vote shows broad support.\n"
)


def at(fragment: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def t_line(tid: str, kind: str, *fragments: str | tuple[str, int]) -> str:
    """A span line; a fragment given as (text, n) is the n-th (0-based) occurrence of text."""
    spans = [at(*f) if isinstance(f, tuple) else at(f) for f in fragments]
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{kind} {offsets}\t{' '.join(TEXT[s:e] for s, e in spans)}"


def annotator_a() -> str:
    lines = [
        t_line("T1", "Source", "Mayor Lena Ortiz"),
        t_line("T2", "Cue", "said"),
        t_line("T3", "Content", "the bridge would reopen in May"),
        t_line("T4", "Attribution", "said"),
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        # A discontinuous content: two quoted sentences around the cue.
        t_line("T5", "Content", "“We are confident the repairs will hold,”", "“The inspectors agree.”"),
        t_line("T6", "Cue", "told"),
        t_line("T7", "Source", "she"),
        t_line("T8", "Attribution", "told"),
        "E2\tAttribution:T8 Cue:T6 Source:T7 Content:T5",
        t_line("T9", "Cue", "according to"),
        t_line("T10", "Source", "a spokesman"),
        t_line("T11", "Content", "The council approved the budget"),
        t_line("T12", "Attribution", "according to"),
        "E3\tAttribution:T12 Content:T11 Cue:T9 Source:T10",
        "#1\tAnnotatorNotes T11\tshould the comma be in?",
        t_line("T13", "Source", ("Ortiz", 1)),
        t_line("T14", "Cue", "called"),
        t_line("T15", "Content", "the plan “a serious step forward” for the town"),
        t_line("T16", "Attribution", "called"),
        "E4\tAttribution:T16 Cue:T14 Content:T15 Source:T13",
        # No source ("The vote shows ..."); then a line left over from a span text that held a line break.
        t_line("T18", "Cue", "shows"),
        t_line("T19", "Content", "broad support"),
        t_line("T20", "Attribution-no-source", "shows"),
        "E5\tAttribution-no-source:T20 Cue:T18 Content:T19",
        "a stray continuation line of some span text",
        "E6\tAttribution-no-source:T20",  # no content: ignored
    ]
    return "\n".join(lines) + "\n"


def annotator_b() -> str:
    lines = [
        t_line("T1", "Source", "Mayor Lena Ortiz"),
        t_line("T2", "Cue", "said"),
        t_line("T3", "Content", "the bridge would reopen in May."),
        t_line("T4", "Attribution", "said"),
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    name = "outlet_2016-10-01_bridge-reopens"
    (split / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / f"{name}_aaaa.ann").write_text(annotator_a(), encoding="utf-8")
    (split / "attributions" / f"{name}_bbbb.ann").write_text(annotator_b(), encoding="utf-8")
    # An annotation without its text is skipped, not an error.
    (split / "attributions" / "orphan_2016-10-02_x_aaaa.ann").write_text("", encoding="utf-8")
    return tmp_path


def gold_a() -> list[polnear.Attribution]:
    return polnear.parse_ann(annotator_a(), TEXT)


# --------------------------------------------------------------------------------------------- reading


def test_parse_ann_reads_roles_discontinuous_spans_and_no_source_attributions():
    gold = {a.label: a for a in gold_a()}
    assert set(gold) == {"E1", "E2", "E3", "E4", "E5"}
    assert gold["E1"].source == (at("Mayor Lena Ortiz"),) and gold["E1"].cue == (at("said"),)
    assert gold["E2"].content == (at("“We are confident the repairs will hold,”"), at("“The inspectors agree.”"))
    assert TEXT[slice(*gold["E2"].source[0])] == "she"
    assert TEXT[slice(*gold["E4"].source[0])] == "Ortiz"
    assert gold["E5"].source is None and TEXT[slice(*gold["E5"].cue[0])] == "shows"


def test_gold_kinds_follow_the_quote_marks():
    kinds = {a.label: a.kind for a in gold_a()}
    assert kinds == {"E1": "indirect", "E2": "direct", "E3": "indirect", "E4": "mixed", "E5": "indirect"}


def test_load_split_groups_annotators_and_skips_orphans(data_dir: Path):
    articles = polnear.load_split(data_dir, "dev")
    assert [a.name for a in articles] == ["outlet_2016-10-01_bridge-reopens"]
    article = articles[0]
    assert sorted(article.annotations) == ["aaaa", "bbbb"]
    assert len(article.annotations["aaaa"]) == 5 and len(article.annotations["bbbb"]) == 1
    assert article.published == "2016-10-01"
    assert polnear.load_split(data_dir, "dev", limit=0) == []
    with pytest.raises(ValueError):
        polnear.load_split(data_dir, "test")


def test_default_data_dir_points_beside_the_repository():
    path = polnear.default_data_dir()
    assert path.parts[-3:] == ("shared", "data", "polnear")
    assert path.parents[2] == Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------- comparing spans


def test_normalise_trims_marks_and_punctuation_and_merges_touching_fragments():
    quoted = at("“We are confident the repairs will hold,”")
    assert polnear.normalise(TEXT, [quoted]) == (at("We are confident the repairs will hold"),)
    assert polnear.normalise(TEXT, [at("“The inspectors agree.”")]) == (at("The inspectors agree"),)
    # Two fragments separated only by punctuation become one.
    whole = at("We are confident the repairs will hold")
    assert polnear.normalise(TEXT, [(whole[0], whole[0] + 6), (whole[0] + 7, whole[1])]) == (whole,)
    # Fragments separated by words stay apart; a span of punctuation only vanishes.
    assert len(polnear.normalise(TEXT, [at("We are"), at("repairs")])) == 2
    comma = TEXT.index(",”")
    assert polnear.normalise(TEXT, [(comma, comma + 2)]) is None


def test_shared_characters_counts_letters_not_punctuation():
    a = (at("the repairs will hold,”"),)
    b = (at(",” she told"),)
    assert polnear.shared_characters(TEXT, a, b) == 0
    c = (at("repairs will"),)
    assert polnear.shared_characters(TEXT, a, c) == len("repairswill")
    assert polnear.shared_characters(TEXT, a, None) == 0


def test_greedy_pairs_are_one_to_one_heaviest_first():
    weights = {(0, 0): 5, (0, 1): 9, (1, 1): 7, (1, 0): 1}
    pairs = polnear.greedy_pairs([0, 1], [0, 1], lambda g, p: weights.get((g, p), 0))
    assert sorted(pairs) == [(0, 1), (1, 0)]


def test_quoted_characters_ignores_apostrophes_and_follows_single_marks():
    text = "It’s the voters’ choice, he said ‘without doubt’ and \"again\"."
    mask = polnear.quoted_characters(text)
    quoted = "".join(ch for ch, flag in zip(text, mask, strict=True) if flag)
    assert quoted == "without doubtagain"
    assert polnear.gold_kind(text, ((0, 4),)) == "indirect"
    assert polnear.gold_kind(text, ((text.index("without"), text.index("doubt") + 6),)) == "direct"
    assert polnear.gold_kind(text, ((text.index("he"), text.index("doubt") + 6),)) == "mixed"


# ------------------------------------------------------------------------------------------ counting


def quote(qid: str, kind: str, content: tuple[int, int], cue=None, source=None, follow_on=False):
    span = lambda bounds: None if bounds is None else SimpleNamespace(start=bounds[0], end=bounds[1])  # noqa: E731
    return SimpleNamespace(id=qid, kind=kind, content=span(content), cue=span(cue),
                           speaker=SimpleNamespace(mention=span(source)), follow_on=follow_on)


def perfect_quotes() -> list[SimpleNamespace]:
    return [
        quote("Q1", "indirect", at("the bridge would reopen in May"), at("said"), at("Mayor Lena Ortiz")),
        quote("Q2", "direct", at("We are confident the repairs will hold"), at("told"), at("she")),
        quote("Q3", "direct", at("The inspectors agree."), follow_on=True, source=at("she")),
        quote("Q4", "indirect", at("The council approved the budget"), at("according to"), at("a spokesman")),
        quote("Q5", "mixed", at("the plan “a serious step forward” for the town"), at("called"), at("Ortiz", 1)),
        quote("Q6", "indirect", at("broad support"), at("shows")),
    ]


def test_follow_on_quotes_join_the_attribution_before_them():
    predicted = polnear.predicted_attributions(perfect_quotes())
    assert len(predicted) == 5
    joined = predicted[1]
    assert joined.label == "Q2+Q3" and joined.cue == (at("told"),) and len(joined.content) == 2


def test_a_perfect_prediction_scores_one_everywhere():
    counts = polnear.count_article(TEXT, gold_a(), polnear.predicted_attributions(perfect_quotes()))
    for key in ("source_exact", "cue_exact", "content_exact", "attribution_exact", "attribution_overlap",
                "direct_attribution_exact", "mixed_attribution_exact", "indirect_attribution_exact",
                "pronoun_source_exact"):
        assert counts.tally(key).prf() == (1.0, 1.0, 1.0), key


def test_boundaries_and_missing_roles_fail_exact_but_not_overlap():
    quotes = perfect_quotes()
    quotes[0] = quote("Q1", "indirect", at("the bridge would reopen"), at("said"), at("Lena Ortiz"))
    quotes[3] = quote("Q4", "indirect", at("The council approved the budget"))  # "according to" missed
    del quotes[5]  # the no-source attribution missed
    counts = polnear.count_article(TEXT, gold_a(), polnear.predicted_attributions(quotes))
    assert counts.tally("attribution_exact").prf()[1] == pytest.approx(2 / 5, abs=1e-4)
    assert counts.tally("attribution_overlap").prf()[1] == pytest.approx(3 / 5, abs=1e-4)
    assert counts.tally("content_overlap").prf() == (1.0, 0.8, 0.8889)
    assert counts.tally("content_exact").prf()[1] == pytest.approx(3 / 5, abs=1e-4)
    assert counts.tally("cue_exact").prf() == (1.0, 0.6, 0.75)
    assert counts.error_types["content_boundary"] == 1 and counts.error_types["cue_missing"] == 1
    assert counts.error_types["missed_indirect"] == 1
    assert counts.missed_cues["shows"] == 1


def test_per_kind_precision_counts_predictions_by_their_own_kind():
    quotes = perfect_quotes()
    mixed = at("the plan “a serious step forward” for the town")
    quotes[4] = quote("Q5", "indirect", mixed, at("called"), at("Ortiz", 1))
    quotes.append(quote("Q7", "direct", at("Mayor Lena Ortiz said")))  # overlaps no gold content
    counts = polnear.count_article(TEXT, gold_a(), polnear.predicted_attributions(quotes))
    assert counts.tally("mixed_attribution_exact").prf() == (0.0, 1.0, 0.0)  # found, but labelled indirect
    assert counts.tally("direct_content_overlap").prf()[0] == pytest.approx(0.5)  # Q7 is spurious
    assert counts.counts["kind_agreement_hits"] == 4 and counts.counts["matched"] == 5


def test_several_annotators_are_averaged_per_article(data_dir: Path):
    article = polnear.load_split(data_dir, "dev")[0]
    predicted = polnear.predicted_attributions(perfect_quotes()[:1])
    counts = polnear.count_annotated(article, predicted)
    # Annotator a: 1 of 5 found; annotator b: 1 of 1 (exact after trimming the full stop).
    assert counts.counts["n_gold_attributions"] == pytest.approx(3.0)
    tally = counts.tally("attribution_exact")
    assert (tally.hit_gold, tally.gold, tally.predicted) == (pytest.approx(1.0), pytest.approx(3.0), pytest.approx(1.0))


class FakeAnalyzer:
    def __init__(self, quotes, fail: bool = False) -> None:
        self.quotes, self.fail, self.seen = quotes, fail, []

    def analyze_article(self, article):
        self.seen.append(article)
        if self.fail:
            raise RuntimeError("boom")
        return SimpleNamespace(quotes=self.quotes, warnings=[], error=None)


def test_score_passes_the_raw_text_and_reports_serialisable_figures(data_dir: Path):
    analyzer = FakeAnalyzer(perfect_quotes())
    report = polnear.score(analyzer, data_dir, "dev")
    assert analyzer.seen[0].text == TEXT and analyzer.seen[0].body_start == 0
    figures = json.loads(json.dumps(report.figures))
    for role in ("source", "cue", "content", "attribution"):
        for mode in ("exact", "overlap"):
            for measure in ("p", "r", "f1"):
                assert f"{role}_{mode}_{measure}" in figures
    for kind in ("direct", "mixed", "indirect"):
        assert f"{kind}_attribution_exact_r" in figures and f"{kind}_content_overlap_f1" in figures
    assert "pronoun_source_exact_f1" in figures
    assert figures["n_articles"] == 1 and figures["n_ann_files"] == 2 and figures["n_multi_annotator_articles"] == 1
    assert figures["attribution_exact_p"] == pytest.approx(0.6)  # 3 predictions hit out of 5 on average
    assert "attribution_exact" in report.render()


def test_an_analyzer_failure_is_counted_not_raised(data_dir: Path):
    report = polnear.score(FakeAnalyzer([], fail=True), data_dir, "dev")
    assert report.figures["n_errors"] == 1
    assert report.figures["attribution_overlap_r"] == 0.0 and report.figures["n_predicted_attributions"] == 0


# ------------------------------------------------------------------------------------------- real run


def test_real_run_on_three_dev_articles():
    data = need_shared(SHARED / "data" / "polnear" / "dev")
    from tidings.pipeline import Analyzer

    analyzer = Analyzer()
    articles = polnear.load_split(data.parent, "dev", limit=3)
    assert len(articles) == 3
    for article in articles:  # gold offsets point into the raw text
        for attribution in next(iter(article.annotations.values())):
            assert all(0 <= s < e <= len(article.text) for s, e in attribution.content)
    record = Article(id="x", text=articles[0].text, body_start=0, language="en")
    for found in analyzer.analyze_article(record).quotes:  # and so do tidings' quote spans
        assert articles[0].text[found.content.start:found.content.end] == found.content.text
    report = polnear.score(analyzer, data.parent, "dev", limit=3)
    figures = report.figures
    assert figures["n_articles"] == 3 and figures["n_errors"] == 0
    assert figures["n_gold_attributions"] > 5 and figures["n_predicted_attributions"] > 3
    assert figures["content_overlap_p"] > 0.5
    assert figures["attribution_overlap_r"] > 0.2


def test_a_content_that_differs_only_by_the_complementizer_is_flagged():
    text = "The mayor said that the bridge would reopen."
    gold = [polnear.Attribution(content=((text.index("that"), len(text) - 1),))]
    predicted = [polnear.Attribution(content=((text.index("the bridge"), len(text) - 1),))]
    counts = polnear.count_article(text, gold, predicted)
    assert counts.error_types["content_boundary_only_leading_that"] == 1
    assert counts.tally("content_exact").prf() == (0.0, 0.0, 0.0)  # still not exact: the rule is the rule
