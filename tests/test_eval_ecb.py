"""Coreference metrics on hand-made clusterings (values worked out by hand), and a quick ECB+ run."""

from __future__ import annotations

import pytest

from tidings.evaluate.coref_metrics import b_cubed, ceaf_e, conll, muc

from conftest import SHARED, need_shared

KEY = [["a", "b", "c"], ["d", "e"]]
RESPONSE = [["a", "b"], ["c", "d", "e"]]


def test_muc_by_hand():
    # key: {a,b,c} split in 2 → 1 link of 2 kept; {d,e} whole → 1 of 1: recall 2/3; precision likewise 2/3.
    assert muc(KEY, RESPONSE) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_b_cubed_by_hand():
    # recall per mention: a,b 2/3, c 1/3, d,e 1 → 11/15; precision: a,b 1, c 1/3, d,e 2/3 → 11/15.
    assert b_cubed(KEY, RESPONSE) == pytest.approx((11 / 15, 11 / 15, 11 / 15))


def test_ceaf_e_by_hand():
    # best alignment {a,b,c}~{a,b} (φ 4/5) and {d,e}~{c,d,e} (φ 4/5): 8/5 over 2 clusters each side.
    assert ceaf_e(KEY, RESPONSE) == pytest.approx((0.8, 0.8, 0.8))


def test_conll_is_the_mean():
    assert conll(KEY, RESPONSE)["conll_f1"] == pytest.approx((2 / 3 + 11 / 15 + 0.8) / 3)


def test_all_singletons_against_a_pair():
    key, response = [["a", "b"]], [["a"], ["b"]]
    assert muc(key, response) == (0.0, 0.0, 0.0)
    assert b_cubed(key, response) == pytest.approx((0.5, 1.0, 2 / 3))
    # φ({a,b},{a}) = 2/3: recall 2/3 over 1 key cluster, precision 2/3 over 2 response clusters.
    assert ceaf_e(key, response) == pytest.approx((2 / 3, 1 / 3, 4 / 9))


def test_perfect_and_empty():
    assert conll(KEY, KEY)["conll_f1"] == pytest.approx(1.0)
    assert conll([], [])["conll_f1"] == 0.0


def test_mentions_missing_from_the_response_count_as_singletons():
    assert b_cubed([["a", "b"]], []) == pytest.approx((0.5, 1.0, 2 / 3))
    assert b_cubed([["a", "b"]], [["a"]]) == pytest.approx((0.5, 1.0, 2 / 3))


def test_quick_run_on_one_topic():
    from tidings.evaluate.ecb import evaluate_ecb, render

    data = need_shared(SHARED / "data" / "ecbplus")
    figures = evaluate_ecb(data, limit_topics=1, use_coder=False)
    assert figures["topics"] == [1]
    assert figures["mentions"] > 50
    for name in ("conll_f1", "baseline_conll_f1", "b3_f1", "muc_f1", "ceafe_f1", "all_conll_f1"):
        assert 0.0 <= figures[name] <= 1.0
    assert figures["conll_f1"] > 0.4 and figures["b3_f1"] > 0.4
    assert "conll_f1" in render(figures)


def test_missing_data_is_a_value_error(tmp_path):
    from tidings.evaluate.ecb import evaluate_ecb

    with pytest.raises(ValueError):
        evaluate_ecb(tmp_path, limit_topics=1, use_coder=False)
