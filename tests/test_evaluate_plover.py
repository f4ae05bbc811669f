"""The PLOVER scorer: gold parsing, label mapping, prediction choice and figures."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED, need_shared
from tidings import Analyzer
from tidings.evaluate import plover

PLOVER_FILE = SHARED / "data" / "plover-gsr" / "PLOVER_GSR_CAMEO.dev.json"


def _record(event: str, text: str, markup: str, source: str, target: str | None) -> dict:
    record = {"id": f"T-{event}", "event": event, "text": text, "date": "2000-01-01",
              "textInfo": {"markup": markup}, "source": [{"actorText": "x", "code": source}]}
    if target:
        record["target"] = [{"actorText": "y", "code": target}]
    return record


@pytest.fixture(scope="module")
def gold_file(tmp_path_factory):
    records = [
        {"id": "DOC", "event": "DOCUMENT", "eventText": "documentation"},
        _record("DEMAND", "Italy demanded that Japan lift its ban.",
                "(SRC: Italy) (EVT: demanded) that (TAR: Japan) lift its ban.", "ITL", "JAP"),
        _record("AGREE", "Norway offered to send aid to Chile.",
                "(SRC: Norway) (EVT: offered) to send aid to (TAR: Chile).", "NOR", "CHL"),
    ]
    path = tmp_path_factory.mktemp("plover") / "gold.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_gold_is_read_with_current_labels_iso_codes_and_spans(gold_file):
    gold = plover.load_gold(gold_file)
    assert [g.category for g in gold] == ["REQUEST", "AGREE"]  # DOCUMENT skipped, DEMAND renamed
    assert gold[0].sources == ["ITA"] and gold[0].targets == ["JPN"]  # JAP/ITL aligned to ISO-3
    start, end = gold[0].event_spans[0]
    assert gold[0].text[start:end] == "demanded"


def test_bad_gold_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the PLOVER gold file"):
        plover.load_gold(path)


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def test_scoring_a_small_set(analyzer, gold_file):
    report = plover.score(analyzer, gold_file)
    figures = report.figures
    assert figures["sentences"] == 2
    for key in ("category_f1", "source_f1", "target_f1", "triple_f1"):
        assert 0.0 <= figures[key] <= 1.0
    # Both sentences are plain enough to be coded right.
    assert figures["category_recall"] == 1.0, report.render(misses=5)
    assert figures["source_recall"] == 1.0
    assert "Confusion" in report.render()


def test_real_gold_standard_runs(analyzer):
    path = need_shared(PLOVER_FILE)
    report = plover.score(analyzer, path, limit=25)
    assert report.figures["sentences"] == 25
    assert report.figures["predicted"] > 0


def test_a_reciprocal_event_is_scored_with_joint_sources_and_no_target(analyzer, tmp_path):
    records = [_record("AGREE", "Peru and Chile signed an agreement on fishing rights.",
                       "(SRC: Peru and Chile) (EVT: signed an agreement) on fishing rights.", "PER", None)]
    records[0]["source"].append({"actorText": "Chile", "code": "CHL"})
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    report = plover.score(analyzer, path)
    event = report.outcomes[0].predicted
    assert event is not None and event.reciprocal
    assert sorted(plover.source_countries(event)) == ["CHL", "PER"] and plover.target_countries(event) == []
    assert report.figures["source_recall"] == 1.0 and report.figures["target_precision"] == 0.0  # none predicted
