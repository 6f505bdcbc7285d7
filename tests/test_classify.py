"""Indicator and task statuses for 2022 Q3 against the source document's own judgements."""

from __future__ import annotations

import pytest

# The source's body: 1 indicator 符合预期 (进出口总额), 7 不达预期, 2 符合时间节点要求.
EXPECTED_INDICATORS = {
    "地区生产总值": "不达预期",  # 2.6% vs 5.5%
    "固定资产投资": "不达预期",  # 2.9% vs 6% (the body counts it but forgets to name it)
    "工业增加值": "不达预期",  # 3% vs 7%
    "社会消费品零售总额": "不达预期",  # 0.1% vs 8%
    "进出口总额": "符合预期",  # 7.59% (1-8月) vs 5%以上
    "一般公共预算收入": "不达预期",  # -6.8% vs 5%
    "区级税收": "不达预期",  # -29.16% vs 6%
    "全体居民人均可支配收入": "不达预期",  # 2.8% (1-6月) vs 6%
    "空气质量": "符合时间节点要求",  # 预计能够完成年度目标任务
    "节能减排降碳": "符合时间节点要求",
}


def test_each_indicator_status(analysis):
    got = dict(zip(analysis.indicators["indicator"], analysis.indicators["status"], strict=True))
    assert got == EXPECTED_INDICATORS


def test_indicator_counts_one_seven_two(analysis):
    counts = analysis.indicators["status"].value_counts().to_dict()
    assert counts == {"不达预期": 7, "符合预期": 1, "符合时间节点要求": 2}


def test_indicator_gaps_by_hand(analysis):
    ind = analysis.indicators.set_index("indicator")
    assert ind.loc["地区生产总值", "gap_pp"] == pytest.approx(2.6 - 5.5)
    assert ind.loc["区级税收", "gap_pp"] == pytest.approx(-29.16 - 6)
    assert bool(ind.loc["进出口总额", "earlier_period"]) is True  # 1-8月 in a 1-9月 report


def test_reported_statuses_are_kept(analysis):
    counts = analysis.tasks["reported_status"].value_counts().to_dict()
    assert counts == {"正常推进": 122, "推进较为滞后": 9}


def test_computed_status_flags_the_lagging_tasks(analysis):
    lagging = analysis.tasks[analysis.tasks["reported_status"] == "推进较为滞后"]
    flagged = (lagging["computed_status"] == "推进较为滞后").sum()
    assert flagged == 9, lagging[["task_id", "computed_status", "evidence"]]


def test_disagreements_include_the_tasks_filed_normal_despite_their_words(analysis):
    d = analysis.disagreements.set_index("task_id")
    assert "近期无进展" in d.loc["T017", "evidence"]  # 四川外国语大学新校区
    assert "暂缓" in d.loc["T071", "evidence"]  # 农房风貌整治提升: 暂缓实施
    assert d.loc["T071", "cause"] == "根据区政府工作安排"
    assert "T088" in d.index  # 1 of 3 green retrofits
    assert d.loc["T088", "lagging_metrics"] != ""
    assert (d["reported_status"] == "正常推进").all()


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
