"""The slippage reading against labels written by hand before the code (issue 11's targets).

The figures must not fall: recall and precision of slippage at least 90% on the built-in quarter,
causes found for at least 80% of the slipping tasks whose text states one. The reading corpus is
scored as well; its floors are today's figures, which the number reader's progress should raise.
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
    assert s.recall >= 0.90, s.missed
    assert s.precision >= 0.90, s.false
    assert s.cause_recall >= 0.80, s.cause_missed


def test_corpus_does_not_fall(scores):
    a, b, c = scores["corpus A"], scores["corpus B"], scores["corpus C"]
    assert a.n >= 60 and b.n >= 60
    total = a + b + c
    # Measured after the number reader learnt the corpus: recall 20/26, precision 29/36. The
    # false flags left are figures judged severely behind where the labeller saw no slippage
    # (a period the text leaves vague: 目前, 截至目前); the floors keep these from falling.
    assert total.precision >= 0.78, a.false + b.false + c.false
    assert total.recall >= 0.75, a.missed + b.missed + c.missed
    assert (a + b).cause_recall >= 0.80, a.cause_missed + b.cause_missed


def test_report_lists_every_miss(scores):
    text = ja.report(list(scores.values()))
    assert "slippage recall" in text
    for s in scores.values():
        for m in s.missed:
            assert m in text


def test_cause_matching():
    assert ja.cause_matches("因疫情", "因疫情")
    assert not ja.cause_matches("", "因疫情")
