"""The slippage reading against labels written by hand before the code (issue 11's targets).

The figures must not fall. Issue 11 asks for recall and precision of slippage of at least 90% and
causes found for at least 80% of the slipping tasks whose text states one; the floors below sit
just under what the reading reaches (``make accuracy-judgement``):
built-in 25/25 recall, 35/35 precision, causes 6/6; corpora A+B+C recall 24/26, precision 34/36,
causes 6/8 (2 of the 3 labelled causes of corpus C are in the source beyond the excerpt,
marked 原文后段); corpus D recall 45/45, precision 58/58, causes 22/22; all five sets recall
94/96, precision 127/129, causes 34/36.

Corpus D was scored first at sight, before any rule was written on it: recall 56% (25/45),
precision 94% (30/32), causes 45% (10/22). Its rules were then written on its misses, so its
figures now measure development, not how the reading does on text it has not seen.
"""

from __future__ import annotations

import pytest

from helpers.run import judgement_accuracy as ja


@pytest.fixture(scope="module")
def scores():
    return {s.name: s for s in ja.run()}


def test_builtin_slippage_recall_and_precision(scores):
    s = scores["built-in 2022-Q3"]
    assert s.n == 131
    assert s.recall >= 0.99, s.missed
    assert s.precision >= 0.99, s.false
    assert s.cause_recall >= 0.99, s.cause_missed


def test_corpus_does_not_fall(scores):
    a, b, c = scores["corpus A"], scores["corpus B"], scores["corpus C"]
    assert a.n >= 60 and b.n >= 60
    total = a + b + c
    # Left: A18-002 (a bridge's 50.5% of its work with nothing saying it is due this year),
    # B14-004 (growth "高于经济增长", the economy's growth stated in another item); false flags
    # A07-001 (the number reader pairs 26.83万 of a list, not 180万) and B10-024 (60% done, the
    # table's 是 column, which the text cannot say is 序时, is what the label follows).
    assert total.recall >= 0.92, a.missed + b.missed + c.missed
    assert total.precision >= 0.94, a.false + b.false + c.false
    assert (a + b).cause_recall >= 0.99, a.cause_missed + b.cause_missed


def test_corpus_d_does_not_fall(scores):
    d = scores["corpus D"]
    assert d.n == 110
    assert d.recall >= 0.97, d.missed
    assert d.precision >= 0.98, d.false
    assert d.cause_recall >= 0.95, d.cause_missed
    assert d.cause_precision >= 0.95, d.cause_missed


def test_all_sets_meet_issue_11s_targets(scores):
    total = None
    for s in scores.values():
        total = s if total is None else total + s
    assert total.recall >= 0.97
    assert total.precision >= 0.98
    assert total.cause_recall >= 0.93
    assert total.cause_precision >= 0.99


def test_report_lists_every_miss(scores):
    text = ja.report(list(scores.values()))
    assert "slippage recall" in text
    for s in scores.values():
        for m in s.missed:
            assert m in text


def test_cause_matching():
    assert ja.cause_matches("因疫情", "因疫情")
    assert not ja.cause_matches("", "因疫情")


def test_a_vague_period_runs_to_the_period_the_sources_title_names():
    assert ja._months("目前", "", "西安市上半年重点民生工作进展") == 6
    assert ja._months("截至目前", "2011-07-27", "镇安县民生工程") == 7
    assert ja._months("2024年末(2025-01-02发布)", "2025-01-02") == 12
    assert ja._months("1-9月", "2021-11-23", "上半年") == 9  # the item's own period first
