"""The TempEval-3 scorer: TimeML parsing, one-to-one matching, the figures, and a floor on real documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import SHARED, need_shared
from tidings.evaluate.tempeval import (GoldTimex, SystemTimex, evaluate_tempeval, load_corpus, parse_tml,
                                       score_document, timeml_units)

CORPUS = SHARED / "data" / "tempeval3" / "TBAQ-cleaned"

TINY = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TINY</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-06" functionInDocument="CREATION_TIME">19980206</TIMEX3></DCT>
<TITLE>Not scored: 1999</TITLE>
<TEXT>
Profits <EVENT eid="e1">rose</EVENT> in <TIMEX3 tid="t1" type="DATE" value="1997">1997</TIMEX3>, the company
said <TIMEX3 tid="t2" type="DATE" value="1998-02-05">Thursday</TIMEX3>.<TIMEX3 tid="t3" type="DATE" value="1998"/>

It has 40 stores.
</TEXT>
</TimeML>
"""


def test_parse_tml_gives_offsets_into_the_plain_text():
    document = parse_tml(TINY, "tiny.tml", "Tiny")
    assert document.published == dt.date(1998, 2, 6)
    assert "<" not in document.text and "Not scored" not in document.text
    assert [document.text[g.start:g.end] for g in document.timexes] == ["1997", "Thursday"]  # empty tag skipped
    assert [g.value for g in document.timexes] == ["1997", "1998-02-05"]
    assert "company said" in document.text  # a line break inside a paragraph becomes a space
    assert "\n\nIt has" in document.text  # paragraphs stay apart


def test_parse_tml_rejects_bad_input():
    with pytest.raises(ValueError):
        parse_tml("<TimeML><TEXT>unclosed", "bad.tml")
    with pytest.raises(ValueError):
        parse_tml("<TimeML><DOCID>x</DOCID></TimeML>", "notext.tml")


def test_score_document_counts_exactly():
    gold = [GoldTimex(0, 4, "DATE", "1997"), GoldTimex(10, 18, "DATE", "1998-02-05"),
            GoldTimex(30, 34, "DURATION", "P1W")]
    system = [SystemTimex(0, 4, "DATE", "1997"),  # exact, right value
              SystemTimex(10, 14, "TIME", "1998-02-12"),  # overlaps only, wrong type and value
              SystemTimex(40, 44, "DATE", "2000")]  # spurious
    counts = score_document("x" * 50, gold, system)
    assert (counts.gold, counts.system, counts.strict, counts.relaxed, counts.type_ok, counts.value_ok) == (
        3, 3, 1, 2, 1, 1)
    figures = counts.figures()
    assert figures["span_strict_f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert figures["span_relaxed_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["value_f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert figures["type_accuracy"] == 0.5 and figures["value_accuracy"] == 0.5


def test_matching_is_one_to_one():
    gold = [GoldTimex(0, 6, "DATE", "1997"), GoldTimex(7, 12, "DATE", "1998")]
    system = [SystemTimex(0, 12, "DATE", "1997")]  # one span over both golds scores once
    counts = score_document("x" * 12, gold, system)
    assert (counts.relaxed, counts.value_ok) == (1, 1)


def test_an_interval_is_scored_as_its_two_ends():
    units = timeml_units(100, "1985 and 1987", "DATE", "1985/1987")
    assert [(u.start, u.end, u.value) for u in units] == [(100, 104, "1985"), (109, 113, "1987")]
    units = timeml_units(0, "September 10-13", "DATE", "2023-09-10/2023-09-13")
    assert [(u.start, u.end, u.value) for u in units] == [(0, 12, "2023-09-10"), (13, 15, "2023-09-13")]
    assert len(timeml_units(0, "1990s", "DATE", "199")) == 1


def test_evaluate_a_tiny_corpus_end_to_end(tmp_path: Path, nlp):
    (tmp_path / "Tiny").mkdir()
    (tmp_path / "Tiny" / "tiny.tml").write_text(TINY, encoding="utf-8")
    figures = evaluate_tempeval(tmp_path, nlp=nlp)
    assert (figures["documents"], figures["gold"], figures["system"]) == (1, 2, 2)
    assert figures["span_strict_f1"] == 1.0 and figures["value_f1"] == 1.0
    assert set(figures["subcorpora"]) == {"Tiny"}
    assert figures["misses"] == {"missed": [], "spurious": [], "wrong_value": []}


def test_missing_corpus_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ValueError, match="not found"):
        load_corpus(tmp_path / "absent")
    with pytest.raises(ValueError, match="no .tml"):
        load_corpus(tmp_path)


def test_real_documents_reach_a_floor(nlp):
    corpus = need_shared(CORPUS)
    figures = evaluate_tempeval(corpus, limit=10, nlp=nlp)
    assert figures["documents"] == 10 and figures["gold"] > 20
    assert figures["span_relaxed_f1"] >= 0.85
    assert figures["value_f1"] >= 0.7
