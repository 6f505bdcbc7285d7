"""Kinds of slippage written as general rules after corpus E's first-sight misses (docs/method.md
section 4): each rule on a sentence from corpus E, one written in another government's wording,
and a sentence of the same kind that is not slippage.
"""

from __future__ import annotations

import pytest
from judging import judge

from helpers.compute.classify import year_shares
from helpers.compute.slippage import read_slippage
from helpers.core.config import load_settings

S = load_settings()


def kinds(text: str) -> list[str]:
    return [h.kind for h in read_slippage(text, S)]


# -- A share of this year's plan in any of its wordings ----------------------------------------


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("3个市区共同投资项目完成8000万元,占年度投资计划25%", 25.0),  # E02-002: no 的
        ("修建文体活动广场11.38万平米,完成计划的23.9%", 23.9),  # E06-003: no year word
        ("固定资产投资完成28.1亿元,占年计划的38.9%,同比下降24%。", 38.9),  # E07-003
        ("本年计划投资8158万元,完成2266万元,完成本年计划投资的28%", 28.0),  # E08-001
        ("全旗重点项目完成投资123.095亿元,完成投资目标的54.3%;", 54.3),  # E18-001
        ("完成投资44.1亿元,完成年度计划的31.2%。", 31.2),  # E19-002
        ("累计完成投资202.71亿元,完成年度计划41.1%。", 41.1),  # E19-005
        # Other governments' wordings.
        ("全县农房改造完成全年任务的36%。", 36.0),
        ("1-8月完成建设目标任务的42.5%。", 42.5),
        ("新建校舍已达到年度建设计划的70%。", 70.0),
    ],
)
def test_a_share_of_this_years_plan_is_read_in_its_wordings(text, share):
    assert [v for v, _ in year_shares(text, S.words)] == [share]


@pytest.mark.parametrize(
    "text",
    [
        "预计全年完成计划的100%。",  # a projection
        "城区生活垃圾处理量占全市总量的30%。",  # a share of another whole
        "项目累计完成总投资计划的45%。",  # the whole project's plan, not this year's
        "已完成五年计划的60%。",  # a plan of several years
        "计划完成投资的30%用于设备采购。",  # 计划 as a verb
    ],
)
def test_other_shares_are_not_a_share_of_this_years_plan(text):
    assert year_shares(text, S.words) == []


@pytest.mark.parametrize(
    ("task", "text", "months"),
    [
        ("美丽乡村重点项目:文体活动广场", "修建文体活动广场11.38万平米,完成计划的23.9%", 7),  # E06
        ("重点项目", "本年度截至目前完成投资12.777亿元,完成投资目标的19.17%。", 9),  # E18-003
        ("农村公路建设", "截至10月底，完成全年任务的41%。", 10),
    ],
)
def test_a_share_more_than_red_below_pp_behind_the_time_lags(task, text, months):
    t = judge(task, text, months)
    assert t["slippage"] == "整体滞后"


@pytest.mark.parametrize(
    ("task", "text", "months"),
    [
        ("重点项目", "完成年度计划的85%。", 9),  # ahead of 序时 (75%)
        ("重点项目", "预计全年完成计划的100%。", 9),
        # 27 points behind at 7 months: 慢序时 by the pack's rule (red_below_pp = 30), not lagging.
        ("重点项目", "完成投资44.1亿元,完成年度计划的31.2%。", 7),  # E19-002
    ],
)
def test_a_share_near_the_time_or_projected_does_not_lag(task, text, months):
    assert judge(task, text, months)["slippage"] == "无"


# -- Progress words with a degree adverb, and a gap in words -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "外资、基础设施、社会事业进展不够理想,分别低于总体进度4.0、8.3、15.4个百分点。",  # E15-003
        "但从目前情况来看,部分项目进展并不顺利。",  # E05-002 (simplified)
        "部分項目進展並不順利。",  # the same in traditional characters
        "全市棚改项目推进不太顺利。",
        "老旧小区加装电梯工作进度不尽理想。",
        "一是部分主要指标欠账较大。",  # E07-003's own 问题 paragraph
        "固定资产投资等个别指标差欠较大。",
    ],
)
def test_progress_words_with_a_degree_adverb_and_a_gap_in_words(text):
    assert "stalled" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "54个项目进展顺利。",  # E20-001's on-track part
        "各项目均不存在进展不够理想的问题。",
        "补齐基础设施历史欠账。",
    ],
)
def test_the_same_words_on_track_or_denied_are_not_slippage(text):
    assert kinds(text) == []
