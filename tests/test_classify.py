"""Indicator and task statuses for 2022 Q3 against the source document's own judgements."""

from __future__ import annotations

import pytest
from builtin import INDICATOR_COUNTS, INDICATOR_STATUS, LAGGING_TASK_IDS, REPORTED_COUNTS


def test_each_indicator_status(analysis):
    got = dict(zip(analysis.indicators["indicator"], analysis.indicators["status"], strict=True))
    assert got == INDICATOR_STATUS


def test_indicator_counts_one_seven_two(analysis):
    counts = analysis.indicators["status"].value_counts().to_dict()
    assert counts == INDICATOR_COUNTS


def test_indicator_gaps_by_hand(analysis):
    ind = analysis.indicators.set_index("indicator")
    assert ind.loc["地区生产总值", "gap_pp"] == pytest.approx(2.6 - 5.5)
    assert ind.loc["区级税收", "gap_pp"] == pytest.approx(-29.16 - 6)
    assert bool(ind.loc["进出口总额", "earlier_period"]) is True  # 1-8月 in a 1-9月 report


def test_reported_statuses_are_kept(analysis):
    counts = analysis.tasks["reported_status"].value_counts().to_dict()
    assert counts == REPORTED_COUNTS


def test_computed_status_flags_the_lagging_tasks(analysis):
    lagging = analysis.tasks[analysis.tasks["reported_status"] == "推进较为滞后"]
    assert lagging["task_id"].tolist() == LAGGING_TASK_IDS
    missed = lagging.loc[lagging["computed_status"] != "推进较为滞后", ["task_id", "evidence"]]
    assert missed.empty, missed


def test_disagreements_include_the_tasks_filed_normal_despite_their_words(analysis):
    d = analysis.disagreements.set_index("task_id")
    assert "近期无进展" in d.loc["T017", "evidence"]  # 四川外国语大学新校区
    assert "暂缓" in d.loc["T071", "evidence"]  # 农房风貌整治提升: 暂缓实施
    assert d.loc["T071", "cause"] == "根据区政府工作安排"
    assert "T115" in d.index  # 民间投资占比 43.4% of 60%
    assert d.loc["T115", "lagging_metrics"] != ""
    assert "可行性研究" in d.loc["T043", "evidence"]  # 综保区: still revising its feasibility study
    assert (d["reported_status"] == "正常推进").all()


def test_work_under_way_that_makes_up_a_count_is_not_a_lag(analysis):
    # T088: 1 of 3 retrofits done and 4 more 正在开展; T050: 3 of 10 roads done, 7 正在主体施工.
    t = analysis.tasks.set_index("task_id")
    for tid in ("T088", "T050"):
        assert t.loc[tid, "computed_status"] == "正常推进" and t.loc[tid, "scheduled"] != ""


def test_every_disagreement_has_evidence(analysis):
    d = analysis.disagreements
    assert ((d["evidence"].str.len() > 0) | (d["lagging_metrics"].str.len() > 0)).all()


def test_completions_scheduled_before_year_end_feed_the_projection(analysis):
    # 停车位 2181 of 5000, but 上述两个项目计划年底完工，预计新增停车位2865个: not lagging.
    t = analysis.tasks.set_index("task_id").loc["T049"]
    assert t["computed_status"] == "正常推进" and t["scheduled"] == "公共停车位"


def test_completion_context_cancels_a_cue(analysis):
    t = analysis.tasks.set_index("task_id")
    assert t.loc["T028", "slippage"] == "无"  # 已完成前期手续办理
    assert t.loc["T011", "slippage"] == "部分滞后"  # ③ 暂未开展, main parts on track
    assert t.loc["T011", "cause"] == "因高铁站规模未定"
