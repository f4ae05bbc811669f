"""The CASE 2021 Task 2 scorer: the hand-made map, the prediction rule, the figures, and one real run."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SHARED, need_shared
from tidings.datafiles import read_tsv
from tidings.evaluate import case2021

CASE_TYPES = {
    "ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK", "ATTACK", "ATTRIB",
    "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DIPLO", "DISR_WEAP", "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT",
    "GRENADE", "HQ_ESTABLISHED", "MAN_MADE_DISASTER", "MOB_VIOL", "NATURAL_DISASTER",
    "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "ORG_CRIME", "OTHER", "PEACE_PROTEST",
    "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB", "VIOL_DEMONSTR",
}
DATA = SHARED / "data" / "case2021-task2" / "test_set_final_release_with_labels.tsv"


# --------------------------------------------------------------------------------------------- the map


def test_map_parses_and_names_every_case_type_once_with_a_note():
    case_map = case2021.load_map()
    assert set(case_map.types) == CASE_TYPES
    assert set(case_map.mapped_types) < CASE_TYPES
    assert {"NATURAL_DISASTER", "MAN_MADE_DISASTER", "OTHER"}.isdisjoint(case_map.mapped_types)
    for row in read_tsv(case2021.MAP_FILE):
        assert row["note"], f"row {row['_line']} has no note"


def test_every_cameo_code_in_the_map_exists_in_the_codebook():
    known = {row["code"] for row in read_tsv("cameo_codes.tsv")}
    for row in case2021.load_map().rows:
        for code in (*row.cameo, *row.with_codes):
            assert code in known, f"{case2021.MAP_FILE}:{row.line}: unknown CAMEO code {code}"


def test_default_data_path_points_beside_the_repository():
    path = case2021.default_data_path()
    assert path.name == "test_set_final_release_with_labels.tsv"
    assert path.parents[3] == Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------------ a fake analyzer


def _event(cameo: str, *, confidence: float = 0.9, modality: str = "asserted", start: int = 0,
           sources: tuple[str, ...] = ()) -> SimpleNamespace:
    return SimpleNamespace(cameo=cameo, confidence=confidence, modality=modality, source_actor_ids=list(sources),
                           trigger=SimpleNamespace(start=start, text=f"t{cameo}"))


def _actor(actor_id: str, *, kind: str = "organisation", sector: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(id=actor_id, kind=kind, sector=sector, sectors=[sector] if sector else [])


class FakeAnalyzer:
    """Returns canned events per snippet text; raises for the text "boom"."""

    def __init__(self, answers: dict[str, tuple[list, list]]) -> None:
        self.answers = answers

    def analyze(self, text: str, *, published: str):
        if text == "boom":
            raise RuntimeError("cannot analyse")
        events, actors = self.answers.get(text, ([], []))
        return SimpleNamespace(events=events, actors=actors)


def _predict(events: list, actors: list | None = None) -> str:
    return case2021.predict(case2021.load_map(), SimpleNamespace(events=events, actors=actors or []))[0]


def test_prediction_rule_specific_codes_conditions_and_ranking():
    assert _predict([]) == "none"
    assert _predict([_event("010")]) == "none"                               # a bare statement answers nothing
    assert _predict([_event("010", confidence=1.0), _event("195", confidence=0.5)]) == "AIR_STRIKE"
    assert _predict([_event("1831")]) == "SUIC_BOMB"                         # longer code beats root 18
    assert _predict([_event("1823")]) == "ATTACK"
    assert _predict([_event("057")]) == "AGREEMENT"                          # not DIPLO (05)
    assert _predict([_event("173")]) == "ARREST"
    assert _predict([_event("173"), _event("141", confidence=0.5)]) == "PROTEST_WITH_INTER"
    assert _predict([_event("141"), _event("193")]) == "FORCE_AGAINST_PROTEST"
    assert _predict([_event("141")]) == "PEACE_PROTEST"
    assert _predict([_event("195", modality="negated")]) == "none"
    assert _predict([_event("195", modality="hypothetical"), _event("173", confidence=0.5)]) == "ARREST"
    assert _predict([_event("183", start=0), _event("1831", start=9)]) == "SUIC_BOMB"  # tie: more specific
    rebels, army = _actor("a1", sector="REB"), _actor("a2", sector="MIL")
    assert _predict([_event("192", sources=("a1",))], [rebels]) == "NON_STATE_ACTOR_OVERTAKES_TER"
    assert _predict([_event("192", sources=("a2",))], [army]) == "GOV_REGAINS_TERIT"
    assert _predict([_event("192", sources=("a3",))], [_actor("a3", kind="state")]) == "GOV_REGAINS_TERIT"
    assert _predict([_event("192")]) == "none"                               # no known source: no territory type


def test_score_counts_confusions_and_unmapped_gold(tmp_path):
    data = tmp_path / "case.tsv"
    rows = [("1", "jets bombed the town", "AIR_STRIKE"),
            ("2", "jets bombed the village", "AIR_STRIKE"),
            ("3", "rebels fired rifles", "AIR_STRIKE"),            # confusion: AIR_STRIKE -> ARMED_CLASH
            ("4", "police detained him", "ARREST"),
            ("5", "nothing coded here", "ARREST"),                  # no event: ARREST -> none
            ("6", "a storm hit the coast", "NATURAL_DISASTER"),     # unmapped gold, wrongly called ARREST
            ("7", "boom", "ARMED_CLASH")]                           # analyzer error: counted as none
    data.write_text("id\tEventSnippet\tSubType\n" + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    analyzer = FakeAnalyzer({
        "jets bombed the town": ([_event("195")], []),
        "jets bombed the village": ([_event("010"), _event("195", confidence=0.6)], []),
        "rebels fired rifles": ([_event("193")], []),
        "police detained him": ([_event("173")], []),
        "a storm hit the coast": ([_event("173")], []),
    })
    report = case2021.score(analyzer, data)
    figures = report.figures
    assert figures["n_snippets"] == 7
    assert figures["n_mappable"] == 6
    assert figures["n_errors"] == 1
    assert figures["accuracy_mappable"] == round(3 / 6, 4)
    assert figures["coverage"] == round(4 / 6, 4)
    assert figures["per_type"]["AIR_STRIKE"] == {"precision": 1.0, "recall": round(2 / 3, 4), "f1": 0.8,
                                                 "support": 3, "predicted": 2}
    assert figures["per_type"]["ARREST"]["precision"] == 0.5               # the storm snippet counts against it
    assert figures["per_type"]["ARREST"]["recall"] == 0.5
    assert figures["per_type"]["ARMED_CLASH"]["f1"] == 0.0
    assert figures["confusion"]["AIR_STRIKE"] == {"AIR_STRIKE": 2, "ARMED_CLASH": 1}
    assert figures["confusion"]["NATURAL_DISASTER"] == {"ARREST": 1}
    assert ["AIR_STRIKE", "ARMED_CLASH", 1] in figures["top_confusions"]
    assert all(gold != "NATURAL_DISASTER" for gold, _, _ in figures["top_confusions"])
    # Macro F1 over the mapped types with gold or predictions: AIR_STRIKE 0.8, ARMED_CLASH 0, ARREST 0.5.
    assert figures["macro_f1"] == round((0.8 + 0.0 + 0.5) / 3, 4)
    json.dumps(figures)
    text = report.render()
    assert "AIR_STRIKE -> ARMED_CLASH" in text and "NATURAL_DISASTER*: ARREST=1" in text
    assert case2021.score(analyzer, data, limit=2).figures["n_snippets"] == 2


def test_bad_data_file_raises_a_readable_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        case2021.load_snippets(tmp_path / "absent.tsv")
    wrong = tmp_path / "wrong.tsv"
    wrong.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        case2021.load_snippets(wrong)


# ---------------------------------------------------------------------------------------------- real run


def test_real_run_on_the_first_40_snippets():
    from tidings import Analyzer

    report = case2021.score(Analyzer(), need_shared(DATA), limit=40)
    figures = report.figures
    assert figures["n_snippets"] == 40
    assert 0 < figures["n_mappable"] <= 40
    for key in ("accuracy_mappable", "coverage", "macro_f1"):
        assert 0.0 <= figures[key] <= 1.0
    for values in figures["per_type"].values():
        assert all(0.0 <= values[key] <= 1.0 for key in ("precision", "recall", "f1"))
    assert figures["n_errors"] == 0
    json.dumps(figures)
    assert "most common confusions" in report.render()
