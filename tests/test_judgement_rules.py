"""Context that changes a figure's meaning, each rule on a sentence from the labelled data and on
one written in another government's wording (docs/method.md section 4).

Every text goes through the engine's own path (``compute_subtargets`` then ``classify_tasks``),
with the months the report covers, as a quarter's tasks would.
"""

from __future__ import annotations

import pytest
from judging import judge

from helpers.compute.classify import (
    higher_level_target,
    projected_value,
    scheduled_addition,
    underway_addition,
    work_shares,
)
from helpers.core.config import load_settings
from helpers.core.errors import DataError

S = load_settings()


# -- Work under way makes up a count ---------------------------------------------------------

UNDER_WAY = [
    # 镇安县 2011 (corpus A08-001): 37 of 153 projects finished, the other 116 being built.
    (
        "今年,該縣確定了保障房建設、安全飲水、學前教育等十件實事153個項目,計劃投資2.39億元。",
        "截至目前,已完成投資19042萬元,在建項目116個,竣工項目37個。",
        7,
    ),
    # Another county's wording.
    ("新建农贸市场20个", "截至9月底，已建成农贸市场6个，其余14个在建。", 9),
]


@pytest.mark.parametrize(("task", "text", "months"), UNDER_WAY)
def test_items_under_way_that_make_up_a_count_keep_it_from_lagging(task, text, months):
    t = judge(task, text, months)
    assert t["slippage"] == "无" and t["lagging_metrics"] == ""
    assert t["scheduled"] != ""


def test_work_under_way_is_not_credited_in_the_last_quarter():
    t = judge("新建农贸市场20个", "截至11月底，已建成农贸市场6个，其余14个在建。", 11)
    assert t["slippage"] == "整体滞后" and t["lagging_metrics"] == "农贸市场"


def test_preparatory_work_is_not_work_under_way():
    text = "截至9月底，已建成农贸市场6个，其余14个正在开展前期工作。"
    assert underway_addition(text, "个", S) == 0
    assert judge("新建农贸市场20个", text, 9)["slippage"] == "整体滞后"


# -- The whole work scheduled to finish this year --------------------------------------------

SCHEDULED_WHOLE = [
    # 天津 2018 (corpus C11-001): 3700 of 24000 toilets in July, all due by the end of November.
    (
        "要在农村地区新建2.4万座无害化卫生户厕",
        "目前,全市首批3700多座已经改造完成,提升改造村内公厕100多所,全部工程预计于今年11月底完工。",
        7,
    ),
    ("完成农村改厕3000户", "截至7月底，全县已完成改厕800户，剩余部分预计今年11月底前全部完工。", 7),
]


@pytest.mark.parametrize(("task", "text", "months"), SCHEDULED_WHOLE)
def test_a_completion_of_the_whole_scheduled_this_year_feeds_the_projection(task, text, months):
    t = judge(task, text, months)
    assert t["slippage"] == "无" and t["scheduled"] != ""


def test_a_completion_scheduled_for_next_year_does_not():
    text = "截至7月底，全县已完成改厕800户，剩余部分预计明年6月底前全部完工。"
    assert scheduled_addition(text, "户", words=S.words) == 0
    assert judge("完成农村改厕3000户", text, 7)["slippage"] == "整体滞后"


# -- A stated share of this year's whole work, against the time elapsed -----------------------

WORK_SHARE = [
    # 鹿寨县 2012 (corpus A18-001): two roads at about 60% of the work on 12 November.
    (
        "我县实施自治区为民办实事强基惠民工程中的千村公路通畅项目是,建设板盘至背塘四级通村油路和"
        "拉沟至木龙四级通村油路。",
        "到11月12日,拉沟至木龙公路已完成工程量60.5%,完成投资490万元;板盘至背塘公路已完成工程量"
        "61.1%,完成投资110万元。计划这两条公路到12月底前全部铺成油路,工程全面竣工。",
        11,
    ),
    ("建成城北污水处理厂二期工程", "截至11月底，该工程已完成形象进度55%，计划12月底完工。", 11),
]


@pytest.mark.parametrize(("task", "text", "months"), WORK_SHARE)
def test_a_share_of_this_years_work_far_behind_the_time_lags(task, text, months):
    t = judge(task, text, months)
    assert t["slippage"] == "整体滞后" and t["lagging_metrics"].endswith("%")
    assert "%" in t["evidence"]


def test_work_shares_are_read_in_their_forms():
    text = "甲路已完成工程量60.5%；乙桥已完成50.5%的工程量；丙路完成形象进度至45%。"
    assert [v for v, _ in work_shares(text, S.words)] == [60.5, 50.5, 45.0]


def test_a_work_share_with_time_left_and_a_completion_date_does_not_lag():
    text = "截至6月底，该工程已完成形象进度30%，计划年底完工。"
    assert judge("建成城北污水处理厂二期工程", text, 6)["slippage"] == "无"


def test_a_share_of_a_work_not_due_this_year_is_not_measured_against_the_year():
    # 轨道15号线 (built-in T067): a line built over several years.
    text = "已完成工程总量的6.8%，各站点正在实施基础施工。"
    assert judge("加快建设轨道交通15号线", text, 9)["slippage"] == "无"


# -- A full-year figure the text projects ----------------------------------------------------

PROJECTED = [
    ("確保地區生產總值增長7%左右。", "全年GDP預計增長4.5%左右。", 12),  # in traditional characters
    # 绍兴 2020 (corpus B02-001): GDP projected at 4.5% against a 7% target.
    ("加强季度、月度数据监测,确保地区生产总值增长7%左右。", "全年GDP预计增长4.5%左右。", 12),
    (
        "社会消费品零售总额增长8%",
        "1-10月，全县社会消费品零售总额同比增长6.9%，预计全年增长5%左右。",
        10,
    ),
]


@pytest.mark.parametrize(("task", "text", "months"), PROJECTED)
def test_a_full_year_projection_below_a_growth_target_lags(task, text, months):
    t = judge(task, text, months)
    assert t["slippage"] == "整体滞后" and t["lagging_metrics"] != ""
    assert "预计" in t["evidence"] and ":projected" in t["flags"]


def test_a_full_year_projection_that_meets_the_target_does_not():
    text = "1-10月，全县社会消费品零售总额同比增长6.9%，预计全年增长8.5%左右。"
    assert judge("社会消费品零售总额增长8%", text, 10)["slippage"] == "无"


def test_only_a_projected_figure_is_a_projection():
    from types import SimpleNamespace

    growth = SimpleNamespace(kind="growth", unit="%")
    assert projected_value("1-9月增长5.2%，全年目标增长7%。", growth) is None
    assert projected_value("预计全年增长3%。", growth) == 3.0


# -- The text's own 完成率 of the target ------------------------------------------------------

STATED = [
    # 四川 2011 (corpus A22-001): 46 built and 105 started, 37.8% of a target to start or rebuild.
    (
        "从2011年至2013年,我省每年开工建设、改扩建400所城乡公办幼儿园。",
        "截至6月底,已完成46所,另已开工105所,完成目标任务的37.8%。已到位资金4.11亿元",
        6,
    ),
    (
        "新建、改扩建公办幼儿园60所",
        "截至9月底，已竣工8所，另有30所已开工建设，完成年度目标任务的63%。",
        9,
    ),
]


@pytest.mark.parametrize(("task", "text", "months"), STATED)
def test_a_part_read_as_the_figure_does_not_overrule_the_texts_own_ratio(task, text, months):
    assert judge(task, text, months)["slippage"] == "无"


# -- A higher level's target tracked by a lower level ----------------------------------------

TWO_LEVELS = [
    # 武汉市武昌区 2021 (corpus B13-004): the city's 21万 jobs, the district's 24277.
    (
        "4.城镇新增就业21万人,城镇调查失业率控制在6%左右。(市级牵头单位:市人力资源社会保障局;"
        "区级牵头单位:区人资局)",
        "完成情况:强化就业优先政策,城镇新增就业24277人,城镇登记失业率控制在5.5%以内。",
        9,
    ),
    (
        "全省新增城镇就业100万人。（省级牵头单位：省人力资源社会保障厅；市级牵头单位：市人社局）",
        "1-9月，全市城镇新增就业5.2万人。",
        9,
    ),
]


@pytest.mark.parametrize(("task", "text", "months"), TWO_LEVELS)
def test_a_lower_levels_share_of_a_higher_levels_total_is_not_a_lag(task, text, months):
    assert higher_level_target(task)
    assert judge(task, text, months)["slippage"] == "无"


def test_the_same_figure_against_the_levels_own_target_lags():
    t = judge("全省新增城镇就业100万人。", "1-9月，全市城镇新增就业5.2万人。", 9)
    assert t["slippage"] == "整体滞后"


def test_credit_months_left_is_checked(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("[thresholds]\ncredit_months_left = 13\n", encoding="utf-8")
    with pytest.raises(DataError, match="credit_months_left"):
        load_settings(f)
