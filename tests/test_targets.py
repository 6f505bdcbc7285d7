"""Sub-targets and actuals against values worked out by hand from the source document.

``fixtures/hand_worked_targets.csv`` was written by reading the 131 tasks by hand (never from a
run of this code): one row per quantitative sub-target, with its target, unit, kind and actual.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.present.wording import subtarget_phrase
from tests.conftest import FIXTURES

HAND = pd.read_csv(FIXTURES / "hand_worked_targets.csv", dtype={"target_no": int})


@pytest.fixture(scope="module")
def subs(analysis):
    return analysis.subtargets.set_index(["task_id", "target_no"])


def test_every_hand_worked_subtarget_is_read(subs):
    hand = set(zip(HAND["task_id"], HAND["target_no"], strict=True))
    assert hand == set(subs.index)
    assert len(hand) == 69


@pytest.mark.parametrize(
    "row", HAND.to_dict("records"), ids=lambda r: f"{r['task_id']}-{r['target_no']}"
)
def test_subtarget_matches_hand_worked_value(subs, row):
    got = subs.loc[(row["task_id"], row["target_no"])]
    assert got["target"] == pytest.approx(row["target"])
    assert got["unit"] == row["unit"]
    assert got["kind"] == row["kind"]
    assert got["direction"] == row["direction"]
    if pd.isna(row["actual"]):
        assert math.isnan(got["actual"]), f"expected no actual, read {got['actual']}"
    else:
        assert got["actual"] == pytest.approx(row["actual"])
    if isinstance(row["actual_period"], str) and row["actual_period"]:
        assert got["actual_period"] == row["actual_period"]


# Worked by hand from the source (docs/method.md): value, target, 完成率 or gap.
@pytest.mark.parametrize(
    ("key", "actual", "target", "ratio"),
    [
        (("T004", 1), 560_000, 1_500_000, 0.3733),  # 拆除违法建筑 56万 of 150万平方米
        (("T005", 1), 1972, 100_000, 0.0197),  # 新山路 1972平方米 of 10万平方米
        (("T041", 1), 4565, 4500, 1.0144),  # 班列 4565列 of 4500班
        (("T083", 1), 221, 306, 0.7222),  # 优良天数 221 of 306 天
        (("T110", 1), 26_100, 20_000, 1.305),  # 新增市场主体 2.61万 of 2万户
        (("T038", 1), 528, 500, 1.056),  # 5G基站 528 of 500
        (("T049", 1), 2181, 5000, 0.4362),  # 公共停车位 2181 of 5000
        (("T088", 1), 1, 3, 0.3333),  # 绿色节能改造 1 of 3
        (("T007", 2), 10, 30, 0.3333),  # 社区健身点 10 of 30
        (("T002", 1), 1688, 5000, 0.3376),  # 进口整车 1688 of 5000辆
    ],
)
def test_cumulative_ratio_by_hand(subs, key, actual, target, ratio):
    got = subs.loc[key]
    assert (got["actual"], got["target"]) == (actual, target)
    assert got["ratio"] == pytest.approx(ratio, abs=5e-5)


def test_illegal_buildings_phrase_as_the_office_writes_it(subs):
    # 56/150 = 37.3%; 75% − 37.3% = 37.7 个百分点 below 序时.
    got = subs.loc[("T004", 1)]
    assert got["expected_ratio"] == 0.75
    assert got["gap_pp"] == pytest.approx(-37.67, abs=0.01)
    assert "完成年度目标的37.3%，低于序时进度37.7个百分点" in subtarget_phrase(got)
    assert got["status"] == "严重滞后"


def test_private_investment_share_is_a_level_not_pro_rated(subs):
    got = subs.loc[("T115", 1)]  # 民间投资占比 43.4% against 60%以上
    assert got["kind"] == "level"
    assert math.isnan(got["ratio"]) and math.isnan(got["expected_ratio"])
    assert got["gap_pp"] == pytest.approx(-16.6)


def test_digital_economy_growth_for_an_earlier_month(subs):
    got = subs.loc[("T040", 1)]  # 数字经济 5.7% for 1-8月 against 7%
    assert (got["kind"], got["actual"], got["actual_period"]) == ("growth", 5.7, "1-8月")
    assert got["gap_pp"] == pytest.approx(-1.3)
    assert got["status"] == "慢序时"  # within growth_amber_pp (2) of the target


def test_figure_for_an_earlier_month_uses_its_own_schedule(subs):
    got = subs.loc[("T037", 1)]  # 智能产业产值 1400亿 of 2000亿, 1-8月
    assert got["expected_ratio"] == pytest.approx(8 / 12)
    assert got["ratio"] == pytest.approx(0.7)
    assert got["status"] == "达序时"


def test_curated_values_say_so_with_a_reason(subs):
    curated = subs[subs["source"] == "curated"]
    assert len(curated) > 0
    assert (curated["curation_reason"].str.len() > 0).all()
    assert subs.loc[("T008", 1), "source"] == "curated"  # 全覆盖 = 100%, stated in words


def test_no_subtarget_of_a_task_without_numbers(subs):
    assert "T001" not in subs.index.get_level_values(0)  # 建设佛罗伦萨小镇二期: no number
    assert "T116" not in subs.index.get_level_values(0)  # “四个意识”: slogans, not targets


def test_subtargets_without_actual_are_listed(analysis):
    missing = analysis.checks[analysis.checks["check"] == "缺少完成值"]
    no_data = analysis.subtargets[analysis.subtargets["status"] == "无数据"]
    assert len(missing) >= len(no_data)
    assert "T048-1 拓展用地落地" in set(missing["item"])
