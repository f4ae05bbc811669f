"""The seed scorer, checked rule by rule on a tiny hand-made article and gold (not the seed article)."""

from __future__ import annotations

import copy

import pytest

from tidings.evaluate.seed import SeedReport, default_gold_path, find_occurrences, render, score
from tidings.records import (
    Actor,
    Analysis,
    Article,
    Attribution,
    Claim,
    Event,
    EventDate,
    EventPlace,
    Mention,
    Place,
    Quote,
    Removal,
    Speaker,
    Span,
    Timex,
)

TITLE = "Lisbon and Madrid agree on water sharing"
SUBTITLE = "The two governments met after a summer of drought"
BODY = (
    "Portuguese Prime Minister Ana Costa met the Spanish envoy in Lisbon on Friday.\n\n"
    "Costa said the deal was “a good day for both countries.”\n\n"
    "A Spanish government source told reporters: “Madrid will not send troops to the border.”\n\n"
    "Lisbon did not threaten Madrid, the source added.\n\n"
    "Spain accused Morocco of smuggling last week.\n\n"
    "Last year Costa visited Seville."
)
TEXT = f"{TITLE}\n\n{SUBTITLE}\n\n{BODY}"
BODY_START = TEXT.index(BODY)


def at(needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` in the text."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return Span(start=start, end=start + len(needle), text=needle)


def sentence(needle: str) -> Span:
    """The paragraph (here: the sentence) holding ``needle``."""
    hit = TEXT.index(needle)
    start = TEXT.rfind("\n", 0, hit) + 1
    end = TEXT.find("\n", hit)
    end = len(TEXT) if end < 0 else end
    return Span(start=start, end=end, text=TEXT[start:end])


def mention(mid: str, needle: str, actor_id: str | None, nth: int = 0) -> Mention:
    span = at(needle, nth)
    return Mention(id=mid, start=span.start, end=span.end, text=span.text, actor_id=actor_id, kind="name", rule="test")


def event(eid: str, evidence: str, trigger: str, source: list[str], target: list[str], root: str, goldstein: float,
          *, plover: str | None = None, modality: str = "asserted", date: str = "2023-09-04",
          place: str | None = None, attributed: Attribution | None = None, status: str | None = None) -> Event:
    return Event(
        id=eid, sentence=0, evidence=sentence(evidence), trigger=at(trigger), source_actor_ids=[],
        target_actor_ids=[], source_countries=source, target_countries=target, cameo=root + "0", cameo_root=root,
        cameo_name="test", goldstein=goldstein, quad_class=1 if goldstein >= 0 else 3, plover=plover,
        modality=modality, attributed_to=attributed, status=status,
        date=EventDate(value=date, precision="day", date_from="sentence"),
        place=EventPlace(place_id="P1", name=place, country="PRT", lat=38.72, lon=-9.14, place_from="clause")
        if place else None,
        confidence=0.9, rule="test",
    )


def perfect_analysis() -> Analysis:
    """Everything the gold below asks for, right."""
    actors = [
        Actor(id="A1", name="Ana Costa", kind="person", country="PRT", sector="GOV", sectors=["GOV"], source="test"),
        Actor(id="A2", name="Spain", kind="state", country="ESP", sector="GOV", sectors=["GOV"], source="test"),
        Actor(id="A3", name="a Spanish government source", kind="anonymous", country="ESP", sector="GOV",
              source="test"),
    ]
    mentions = [
        mention("M1", "Portuguese Prime Minister Ana Costa", "A1"),
        mention("M2", "Costa", "A1", nth=1),
        mention("M3", "Costa", "A1", nth=2),
        mention("M4", "Madrid", "A2", nth=1),
        mention("M5", "Madrid", "A2", nth=2),
        mention("M6", "A Spanish government source", "A3"),
    ]
    quotes = [
        Quote(id="Q1", kind="direct", content=at("a good day for both countries."),
              speaker=Speaker(mention=at("Costa", 1), actor_ids=["A1"], countries=["PRT"]), rule="test"),
        Quote(id="Q2", kind="direct", content=at("Madrid will not send troops to the border."),
              speaker=Speaker(mention=at("A Spanish government source"), actor_ids=["A3"], countries=["ESP"],
                              descriptor="A Spanish government source", anonymous=True), rule="test"),
    ]
    events = [
        event("E1", "met the Spanish envoy", "met", ["PRT"], ["ESP"], "04", 1.0, plover="CONSULT",
              date="2023-09-01", place="Lisbon"),
        event("E2", "did not threaten", "threaten", ["PRT"], ["ESP"], "13", -4.4, modality="negated",
              attributed=Attribution(quote_id="Q2", actor_ids=["A3"], countries=["ESP"], anonymous=True)),
        event("E3", "accused Morocco", "accused", ["ESP"], ["MAR"], "11", -2.0, plover="ACCUSE", date="2023-08-28"),
    ]
    claims = [
        Claim(id="C1", span=at("Madrid will not send troops to the border."), quote_id="Q2", source_actor_ids=["A3"],
              source_countries=["ESP"], anonymous=True, status="unconfirmed", rule="test"),
    ]
    timexes = [
        Timex(id="T1", type="DATE", value="2023-09-01", rule="test", **at("Friday").model_dump()),
        Timex(id="T2", type="DATE", value="2023-W35", rule="test", **at("last week").model_dump()),
    ]
    places = [
        Place(id="P1", name="Lisbon", country="PRT", lat=38.72, lon=-9.14, rule="test", **at("Lisbon", 1).model_dump()),
        Place(id="P2", name="Seville", country="ESP", lat=37.39, lon=-5.98, rule="test", **at("Seville").model_dump()),
    ]
    article = Article(id="x", title=TITLE, subtitle=SUBTITLE, text=TEXT, body_start=BODY_START,
                      removed=[Removal(text="Subscribe now", reason="subscription", line=12)])
    return Analysis(article=article, actors=actors, mentions=mentions, quotes=quotes, events=events, claims=claims,
                    timexes=timexes, places=places)


GOLD = {
    "document": {"title": TITLE, "subtitle": "The two governments  met after a summer of drought",
                 "body_starts_with": "Portuguese Prime Minister", "body_ends_with": "visited Seville.",
                 "body_must_not_contain": ["Subscribe now"], "removed_must_be_reported": True},
    "actors": [
        {"mention": "Madrid", "country": "ESP", "sector": "GOV", "required": True},
        {"name": "Ana Costa", "aliases": ["Costa", "Portuguese Prime Minister Ana Costa"], "country": "PRT",
         "sector": "GOV", "required": True},
    ],
    "quotes": [
        {"id": "Q1", "speaker": "Ana Costa", "kind": ["direct", "mixed"], "content_contains": "a good day for both",
         "required": True},
        {"id": "Q2", "speaker": "a Spanish government source", "speaker_countries": ["ESP"], "anonymous": True,
         "kind": "direct", "content_contains": "Madrid will not send troops", "required": True},
    ],
    "events": [
        {"id": "E1", "source": ["PRT"], "target": ["ESP"], "cameo_root": ["04", "03"], "plover": ["CONSULT"],
         "modality": ["asserted"], "date": "2023-09-01", "location": "Lisbon",
         "evidence_contains": "met the Spanish envoy in Lisbon", "required": True},
        {"id": "E3", "source": ["ESP"], "target": ["MAR"], "cameo_root": ["11"], "plover": ["ACCUSE"],
         "date": "2023-08", "evidence_contains": "Spain accused Morocco", "required": False},
    ],
    "must_not_assert": [
        {"id": "N1", "source": ["PRT"], "target": ["ESP"], "cameo_root": ["13"],
         "evidence_contains": "Lisbon did not threaten Madrid", "allowed_modality": ["negated"]},
    ],
    "claims": [
        {"id": "C1", "claim_contains": "Madrid will not send troops", "source_country": "ESP",
         "status": ["unconfirmed", "asserted"], "required": True},
    ],
    "timexes": [
        {"text": "Friday", "value": "2023-09-01", "required": True},
        {"text": "last week", "value": "2023-W34", "also_ok": ["2023-W35"], "required": True},
    ],
    "places": [
        {"text": "Lisbon", "country": "PRT", "lat": 38.7223, "lon": -9.1393, "required": True},
        {"text": "Seville", "country": "ESP", "lat": 37.3891, "lon": -5.9845, "required": False},
    ],
    "dyads": [
        {"pair": ["ESP", "PRT"], "tone": "cooperative", "required": True},
        {"pair": ["ESP", "MAR"], "tone": "conflictual", "required": True},
    ],
}


def scored(analysis: Analysis, gold: dict | None = None) -> SeedReport:
    return score(analysis, copy.deepcopy(gold or GOLD))


def miss_ids(report: SeedReport, section: str) -> set[str]:
    return {miss["id"] for miss in report.misses if miss["section"] == section}


def test_perfect_answer_scores_full_marks():
    report = scored(perfect_analysis())
    figures = report.figures
    assert report.misses == []
    assert figures["document_ok"] is True
    for section in ("actors", "quotes", "events", "claims", "timexes", "places"):
        assert figures[f"{section}_required_recall"] == 1.0
        assert figures[f"{section}_recall"] == 1.0
    for name in ("quotes_precision", "events_precision", "timexes_precision", "quotes_speaker_acc",
                 "events_modality_acc", "events_date_acc", "events_location_acc"):
        assert figures[name] == 1.0, name
    assert figures["events_matched"] == 2
    assert figures["must_not_assert_violations"] == 0
    assert figures["dyads_ok"] is True


def test_document_checks_title_body_furniture_and_removals():
    analysis = perfect_analysis()
    analysis.article.removed = []
    analysis.article.title = "Another title"
    analysis.article.text = TEXT + "\n\nSubscribe now"
    report = scored(analysis)
    assert report.figures["document_ok"] is False
    assert miss_ids(report, "document") == {"title", "body_ends_with", "body_must_not_contain",
                                            "removed_must_be_reported"}


def test_missing_alias_occurrence_fails_the_actor():
    analysis = perfect_analysis()
    analysis.mentions = [m for m in analysis.mentions if m.id != "M3"]  # the last "Costa" is left unlinked
    report = scored(analysis)
    assert report.figures["actors_required_recall"] == 0.5
    assert miss_ids(report, "actors") == {"Ana Costa"}


def test_alias_covered_by_another_actor_fails():
    analysis = perfect_analysis()
    analysis.mentions[1] = analysis.mentions[1].model_copy(update={"actor_id": "A2"})
    assert miss_ids(scored(analysis), "actors") == {"Ana Costa"}


def test_wrong_sector_fails_and_a_sector_list_accepts_any_of_its_members():
    analysis = perfect_analysis()
    analysis.actors[1] = analysis.actors[1].model_copy(update={"sector": "MIL", "sectors": ["MIL", "GOV"]})
    assert miss_ids(scored(analysis), "actors") == {"Madrid"}

    gold = copy.deepcopy(GOLD)
    gold["actors"][0]["sector"] = ["MIL", "GOV"]
    assert miss_ids(scored(analysis, gold), "actors") == set()
    gold["actors"][0]["sector"] = None  # not checked
    assert miss_ids(scored(analysis, gold), "actors") == set()


def test_mention_resolved_to_wrong_country_fails():
    analysis = perfect_analysis()
    analysis.actors[1] = analysis.actors[1].model_copy(update={"country": "PRT"})
    report = scored(analysis)
    assert "Madrid" in miss_ids(report, "actors")


def test_anonymous_quote_without_the_flag_fails():
    analysis = perfect_analysis()
    quote = analysis.quotes[1]
    analysis.quotes[1] = quote.model_copy(update={"speaker": quote.speaker.model_copy(update={"anonymous": False})})
    report = scored(analysis)
    assert miss_ids(report, "quotes") == {"Q2"}
    assert report.figures["quotes_required_recall"] == 0.5
    assert report.figures["quotes_precision"] == 0.5
    assert report.figures["quotes_speaker_acc"] == 0.5


def test_anonymous_speaker_matches_by_countries_when_the_descriptor_differs():
    analysis = perfect_analysis()
    quote = analysis.quotes[1]
    speaker = quote.speaker.model_copy(update={"descriptor": "The official", "actor_ids": []})
    analysis.quotes[1] = quote.model_copy(update={"speaker": speaker})
    assert miss_ids(scored(analysis), "quotes") == set()
    speaker = speaker.model_copy(update={"countries": ["ESP", "PRT"]})  # not exactly the gold set
    analysis.quotes[1] = quote.model_copy(update={"speaker": speaker})
    assert miss_ids(scored(analysis), "quotes") == {"Q2"}


def test_quote_with_wrong_speaker_or_kind_fails():
    analysis = perfect_analysis()
    quote = analysis.quotes[0]
    analysis.quotes[0] = quote.model_copy(update={"speaker": Speaker(actor_ids=["A2"], countries=["ESP"])})
    assert miss_ids(scored(analysis), "quotes") == {"Q1"}
    analysis.quotes[0] = quote.model_copy(update={"kind": "indirect"})
    assert miss_ids(scored(analysis), "quotes") == {"Q1"}


def test_negated_event_asserted_is_a_violation_and_not_when_negated():
    analysis = perfect_analysis()
    assert scored(analysis).figures["must_not_assert_violations"] == 0
    analysis.events[1] = analysis.events[1].model_copy(update={"modality": "asserted"})
    report = scored(analysis)
    assert report.figures["must_not_assert_violations"] == 1
    assert miss_ids(report, "must_not_assert") == {"N1"}
    assert report.figures["events_precision"] == pytest.approx(2 / 3, abs=1e-3)


def test_event_needs_its_root_and_source_and_scores_attributes_separately():
    analysis = perfect_analysis()
    analysis.events[0] = analysis.events[0].model_copy(update={"cameo_root": "19"})
    report = scored(analysis)
    assert report.figures["events_required_recall"] == 0.0
    assert "E1" in miss_ids(report, "events")

    analysis = perfect_analysis()
    analysis.events[0] = analysis.events[0].model_copy(update={"modality": "future", "date": EventDate(
        value="2023-09-02", precision="day", date_from="sentence")})
    report = scored(analysis)
    assert report.figures["events_required_recall"] == 1.0
    assert report.figures["events_modality_acc"] == 0.0
    assert report.figures["events_date_acc"] == 0.5  # E3's "2023-08" accepts 2023-08-28; E1's date is wrong
    assert report.figures["events_location_acc"] == 1.0


def test_one_output_event_matches_only_one_gold_event():
    analysis = perfect_analysis()
    gold = copy.deepcopy(GOLD)
    gold["events"].append(dict(gold["events"][0], id="E1bis"))
    report = scored(analysis, gold)
    assert report.figures["events_matched"] == 2
    assert miss_ids(report, "events") == {"E1bis"}


def test_unannotated_events_are_not_judged_for_precision():
    analysis = perfect_analysis()
    analysis.events.append(event("E9", "visited Seville", "visited", ["PRT"], ["ESP"], "04", 1.0))
    assert scored(analysis).figures["events_precision"] == 1.0
    analysis.events.append(event("E10", "met the Spanish envoy", "met", ["MAR"], ["ESP"], "04", 1.0))
    assert scored(analysis).figures["events_precision"] == pytest.approx(3 / 4, abs=1e-3)


def test_dyad_tone_is_the_mean_goldstein_of_asserted_events_in_either_direction():
    analysis = perfect_analysis()
    analysis.events.append(event("E4", "visited Seville", "visited", ["ESP"], ["PRT"], "05", 3.0))
    report = scored(analysis)
    assert report.figures["dyad_ESP_PRT_mean_goldstein"] == 2.0  # (1.0 + 3.0) / 2; the negated -4.4 is left out
    assert report.figures["dyad_ESP_PRT_events"] == 2
    assert report.figures["dyad_ESP_MAR_mean_goldstein"] == -2.0
    assert report.figures["dyads_ok"] is True

    analysis.events.append(event("E5", "visited Seville", "visited", ["PRT"], ["ESP"], "17", -10.0))
    report = scored(analysis)
    assert report.figures["dyad_ESP_PRT_mean_goldstein"] == -2.0
    assert report.figures["dyads_ok"] is False
    assert miss_ids(report, "dyads") == {"ESP-PRT"}


def test_dyad_without_events_is_not_ok():
    analysis = perfect_analysis()
    analysis.events = [e for e in analysis.events if e.id != "E3"]
    report = scored(analysis)
    assert report.figures["dyads_ok"] is False
    assert report.figures["dyad_ESP_MAR_events"] == 0


def test_claim_status_and_source_are_checked():
    analysis = perfect_analysis()
    analysis.claims[0] = analysis.claims[0].model_copy(update={"status": "confirmed"})
    assert miss_ids(scored(analysis), "claims") == {"C1"}
    analysis = perfect_analysis()
    analysis.claims[0] = analysis.claims[0].model_copy(update={"source_countries": ["PRT"]})
    assert miss_ids(scored(analysis), "claims") == {"C1"}


def test_timex_also_ok_is_accepted_and_a_wrong_value_is_not():
    analysis = perfect_analysis()
    assert analysis.timexes[1].value == "2023-W35"  # the gold's also_ok, not its value
    assert miss_ids(scored(analysis), "timexes") == set()
    analysis.timexes[1] = analysis.timexes[1].model_copy(update={"value": "2023-W30"})
    report = scored(analysis)
    assert miss_ids(report, "timexes") == {"last week"}
    assert report.figures["timexes_precision"] == 0.5


def test_timex_shorter_than_the_gold_text_counts_when_inside_it():
    analysis = perfect_analysis()
    span = at("last week")
    analysis.timexes[1] = analysis.timexes[1].model_copy(update={"start": span.start, "end": span.start + 4,
                                                                 "text": "last"})
    assert miss_ids(scored(analysis), "timexes") == set()
    far = at("Last year")  # the same word elsewhere is not this time expression
    analysis.timexes[1] = analysis.timexes[1].model_copy(update={"start": far.start, "end": far.start + 4,
                                                                 "text": "Last"})
    assert miss_ids(scored(analysis), "timexes") == {"last week"}


def test_place_200_km_away_fails():
    analysis = perfect_analysis()
    analysis.places[0] = analysis.places[0].model_copy(update={"lat": 38.72 + 1.8})  # about 200 km north
    report = scored(analysis)
    assert miss_ids(report, "places") == {"Lisbon"}
    assert "km" in next(m["why"] for m in report.misses if m["section"] == "places")
    analysis.places[0] = analysis.places[0].model_copy(update={"lat": 38.72 + 1.2})  # about 133 km: close enough
    assert miss_ids(scored(analysis), "places") == set()


def test_place_in_the_wrong_country_fails():
    analysis = perfect_analysis()
    analysis.places[1] = analysis.places[1].model_copy(update={"country": "PRT"})
    assert miss_ids(scored(analysis), "places") == {"Seville"}


def test_render_lists_every_figure_and_every_miss():
    analysis = perfect_analysis()
    analysis.places = []
    report = scored(analysis)
    text = render(report)
    for key in report.figures:
        assert key in text
    assert "[places] Lisbon (required)" in text and "[places] Seville (optional)" in text


def test_occurrences_are_whole_words_and_fold_quote_marks():
    assert find_occurrences("Kimberly met Kim.", "Kim", whole_words=True) == [(13, 16)]
    assert find_occurrences("Russia’s  war", "Russia's war") == [(0, 13)]


def test_malformed_gold_does_not_crash():
    gold = {"actors": ["oops", {"country": "ESP"}], "events": [{"id": "X", "cameo_root": None}],
            "timexes": [{}], "places": [{"text": "Lisbon", "lat": "north"}], "dyads": [{"pair": ["ESP"]}],
            "quotes": "nope", "document": {"title": None}}
    report = score(perfect_analysis(), gold)
    assert isinstance(render(report), str)
    with pytest.raises(ValueError):
        score(perfect_analysis(), ["not", "a", "dict"])  # type: ignore[arg-type]


def test_default_gold_path_points_at_the_seed_gold():
    path = default_gold_path()
    assert path.is_absolute()
    assert path.parts[-4:] == ("shared", "fixtures", "seed", "elpais-2023-09-russia-north-korea.gold.json")


def test_empty_analysis_against_the_real_gold_misses_every_required_item(seed_gold):
    report = score(Analysis(article=Article(id="empty", text="")), seed_gold)
    figures = report.figures
    assert figures["document_ok"] is False
    for section in ("actors", "quotes", "events", "claims", "timexes", "places"):
        assert figures[f"{section}_required_recall"] == 0.0
        assert figures[f"{section}_recall"] == 0.0
    assert figures["dyads_ok"] is False
    missed = {(m["section"], m["id"]) for m in report.misses if m["required"]}
    for section, keys in (("actors", ("mention", "name")), ("quotes", ("id",)), ("events", ("id",)),
                          ("claims", ("id",)), ("timexes", ("text",)), ("places", ("text",))):
        for item in seed_gold[section]:
            if item.get("required"):
                assert (section, next(str(item[k]) for k in keys if item.get(k))) in missed
    for dyad in seed_gold["dyads"]:
        assert ("dyads", "-".join(dyad["pair"])) in missed
    assert "Misses" in render(report)
