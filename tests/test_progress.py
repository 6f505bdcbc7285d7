"""完成率, 序时进度 and status on tiny hand-built sub-targets, one rule per test."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.compute.progress import compute_progress, expected_share, load_trajectories
from helpers.core.config import load_settings
from helpers.core.errors import DataError
from helpers.present.wording import subtarget_phrase

SETTINGS = load_settings()


def one(
    target,
    actual,
    kind="cumulative",
    direction="higher",
    period="1-9月",
    months=9,
    trajectories=None,
):
    df = pd.DataFrame(
        [
            {
                "task_id": "X1",
                "target_no": 1,
                "metric": "m",
                "kind": kind,
                "direction": direction,
                "target": target,
                "unit": "个",
                "actual": actual,
                "actual_period": period,
            }
        ]
    )
    return compute_progress(df, months, SETTINGS, trajectories).iloc[0]


def test_on_schedule_exactly():
    r = one(100, 75)  # 75% done after 9 of 12 months
    assert (r["ratio"], r["expected_ratio"], r["gap_pp"], r["status"]) == (
        0.75,
        0.75,
        0.0,
        "达序时",
    )
    assert "与序时进度持平" in subtarget_phrase(r)


def test_actual_over_target_is_done():
    r = one(500, 528)
    assert r["ratio"] == pytest.approx(1.056)
    assert r["status"] == "已完成"


def test_amber_between_zero_and_thirty_points_below():
    r = one(3, 2)  # 66.7% vs 75%: 8.3 points below
    assert r["status"] == "慢序时"
    assert r["gap_pp"] == pytest.approx(-8.333, abs=1e-3)


def test_red_more_than_thirty_points_below():
    assert one(150, 56)["status"] == "严重滞后"  # 37.3% vs 75%


def test_target_of_zero_gives_no_ratio():
    r = one(0, 5)
    assert math.isnan(r["ratio"])
    assert r["status"] == "无数据"
    assert "目标为零" in subtarget_phrase(r)


def test_missing_report_is_not_zero():
    r = one(10, float("nan"))
    assert r["status"] == "无数据"
    assert math.isnan(r["ratio"])


def test_lower_is_better_control_limit():
    # 全年控制在37人以内, 13 so far by 1-9月: 35.1% of the limit against 75% elapsed: good.
    r = one(37, 13, direction="lower")
    assert r["status"] == "达序时"
    assert "占全年控制指标的35.1%" in subtarget_phrase(r)
    assert one(37, 40, direction="lower")["status"] == "严重滞后"  # limit exceeded


def test_figure_for_an_earlier_month():
    r = one(2000, 1400, period="1-8月")
    assert r["expected_ratio"] == pytest.approx(8 / 12)
    assert r["period_months"] == 8


def test_growth_is_not_pro_rated():
    r = one(5.5, 2.6, kind="growth")
    assert math.isnan(r["ratio"])
    assert r["gap_pp"] == pytest.approx(-2.9)
    assert r["status"] == "严重滞后"  # more than growth_amber_pp (2) below
    assert one(5, 7.59, kind="growth")["status"] == "达序时"


def test_level_met_is_done():
    assert one(40, 40, kind="level")["status"] == "已完成"
    assert one(60, 43.4, kind="level")["status"] == "严重滞后"  # 16.6 points below


def test_expected_share_linear_and_trajectory():
    assert expected_share(3) == 0.25
    assert expected_share(6) == 0.5
    assert expected_share(9, (0.2, 0.5, 0.9, 1.0)) == 0.9
    assert expected_share(8, (0.2, 0.5, 0.9, 1.0)) == pytest.approx(0.5 + 0.4 * 2 / 3)


def test_task_trajectory_changes_the_judgement(tmp_path):
    path = tmp_path / "trajectories.csv"
    path.write_text("task_id,target_no,Q1,Q2,Q3,Q4\nX1,1,20%,50%,90%,100%\n", encoding="utf-8")
    traj = load_trajectories(path)
    r = one(100, 80, trajectories=traj)  # 80% vs a 90% trajectory (not 75%)
    assert r["expected_ratio"] == pytest.approx(0.9)
    assert r["status"] == "慢序时"


def test_trajectory_that_falls_is_rejected(tmp_path):
    path = tmp_path / "trajectories.csv"
    path.write_text("task_id,target_no,Q1,Q2,Q3,Q4\nX1,1,0.5,0.4,0.9,1\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"trajectories.csv，第2行：序时进度不能一个季度比一个季度低"
    ):
        load_trajectories(path)


def test_custom_thresholds_change_the_status(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[thresholds]\nred_below_pp = 50.0\n", encoding="utf-8")
    df = pd.DataFrame(
        [
            {
                "task_id": "X1",
                "target_no": 1,
                "metric": "m",
                "kind": "cumulative",
                "direction": "higher",
                "target": 150,
                "unit": "个",
                "actual": 56,
                "actual_period": "1-9月",
            }
        ]
    )
    assert compute_progress(df, 9, load_settings(path)).iloc[0]["status"] == "慢序时"


def test_settings_with_a_wrong_type_are_rejected(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[thresholds]\nred_below_pp = "thirty"\n', encoding="utf-8")
    with pytest.raises(DataError, match="red_below_pp 应是数字"):
        load_settings(path)


def test_settings_with_an_unknown_key_are_rejected(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[thresholds]\nred_below = 30\n", encoding="utf-8")
    with pytest.raises(DataError, match="没有“red_below”这一项"):
        load_settings(path)
