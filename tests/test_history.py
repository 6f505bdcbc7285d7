"""Change since the last quarter and the year-end projection.

The Q2 data here is a TEST FIXTURE made from the real Q3 by rewriting a few figures; it is never
shipped as data. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compute.engine import analyse
from helpers.compute.history import compare_with_previous, project_year_end
from helpers.present.wording import projection_phrase

# (task, old text, Q2 fixture text)
Q2_EDITS = [
    ("T004", "已拆除违法建筑56万平方米", "已拆除违法建筑20万平方米"),  # 20/150 = 13.3% at 1-6月
    ("T049", "已完成新增公共停车位2181个", "已完成新增公共停车位2400个"),  # 48% vs 50%: 慢序时
    ("T041", "共开行4565列", "共开行1000列"),  # 22.2% vs 50%: 27.8 below, 慢序时
    ("T038", "已新建开通5G基站528个", "已新建开通5G基站50个"),  # 10% vs 50%: 严重滞后
]


@pytest.fixture
def with_q2(data_copy):
    q3, q2 = data_copy / "2022" / "Q3", data_copy / "2022" / "Q2"
    q2.mkdir()
    prog = pd.read_csv(q3 / "progress.csv", dtype=str, keep_default_na=False)
    for task_id, old, new in Q2_EDITS:
        row = prog["task_id"] == task_id
        assert prog.loc[row, "progress"].str.contains(old).all(), task_id
        prog.loc[row, "progress"] = prog.loc[row, "progress"].str.replace(old, new)
    prog["progress"] = (
        prog["progress"]
        .str.replace("1-9月", "1-6月")
        .str.replace("1-8月", "1-5月")
        .str.replace("截至9月30日", "截至6月30日")
        .str.replace("前三季度", "上半年")
    )
    prog.to_csv(q2 / "progress.csv", index=False)
    ind = pd.read_csv(q3 / "indicator_progress.csv", dtype=str, keep_default_na=False)
    ind["period"] = ind["period"].map(
        {"1-9月": "1-6月", "1-8月": "1-5月", "1-6月": "1-3月", "": ""}
    )
    ind.to_csv(q2 / "indicator_progress.csv", index=False)
    return data_copy


def test_real_q3_says_no_earlier_quarter(analysis):
    change = compare_with_previous(analysis)
    assert not change.available
    assert "本年度仅有第3季度数据" in change.message


def test_status_changes_since_q2(with_q2):
    now = analyse(2022, 3, with_q2)
    change = compare_with_previous(now, with_q2)
    assert change.available and change.previous_quarter == 2
    c = change.subtargets.set_index(["task_id", "target_no"])["change"]
    assert c[("T049", 1)] == "新增滞后"  # 慢序时 (48% vs 50%) → 严重滞后 (43.6% vs 75%)
    assert c[("T038", 1)] == "恢复"  # 严重滞后 (10%) → 已完成 (105.6%)
    assert c[("T041", 1)] == "好转"  # 慢序时 (22.2%) → 已完成 (101.4%)
    assert c[("T004", 1)] == "持续滞后"  # 严重滞后 (13.3% vs 50%) → 严重滞后 (37.3% vs 75%)


def test_projection_at_both_paces(with_q2):
    now = analyse(2022, 3, with_q2)
    proj = project_year_end(now.subtargets, compare_with_previous(now, with_q2))
    p = proj.set_index(["task_id", "target_no"]).loc[("T004", 1)]
    assert p["projected"] == pytest.approx(0.37333 / 9 * 12, abs=1e-4)  # 49.8%
    # Latest quarter: (56 − 20) / 150 over 3 months = 8% a month; 37.3% + 3 × 8% = 61.3%.
    assert p["projected_recent"] == pytest.approx(0.61333, abs=1e-4)
    assert bool(p["will_miss"]) is True
    assert (
        projection_phrase(p["projected"], p["projected_recent"])
        == "按当前进度预计全年完成49.8%（按最近一季进度61.3%）"
    )


def test_projection_without_an_earlier_quarter_uses_the_year_to_date_pace(analysis):
    proj = project_year_end(analysis.subtargets).set_index(["task_id", "target_no"])
    # T004 is under way: 37.3% in 9 months, 49.8% at that pace.
    assert proj.loc[("T004", 1), "projected"] == pytest.approx(0.56 / 1.5 / 9 * 12)
    # T038 is finished (528 of 500 5G基站): its year is what is done, 105.6%, not 140.8%.
    assert proj.loc[("T038", 1), "projected"] == pytest.approx(528 / 500)
    assert proj.loc[("T038", 1), "outlook"] == "done"
    assert not bool(proj.loc[("T038", 1), "will_miss"])
    assert proj["projected_recent"].isna().all()
    # No finished sub-target is projected past what is done.
    finished = proj[proj["ratio"] >= 1]
    assert len(finished) and (finished["projected"] == finished["ratio"]).all()
    assert (finished["outlook"] == "done").all()


def test_a_sub_target_finished_since_last_quarter_is_not_extrapolated_at_its_pace(with_q2):
    # T038 went from 10% (1-6月) to 105.6% (1-9月): at that quarter's pace it would be 201.2%;
    # it is finished, so both projections are its 105.6%, and the phrase says so.
    now = analyse(2022, 3, with_q2)
    proj = project_year_end(now.subtargets, compare_with_previous(now, with_q2))
    p = proj.set_index(["task_id", "target_no"]).loc[("T038", 1)]
    assert p["projected"] == pytest.approx(1.056) and p["projected_recent"] == pytest.approx(1.056)
    assert p["outlook"] == "done"
    assert (
        projection_phrase(p["projected"], p["projected_recent"], finished=True)
        == "已完成年度目标（105.6%），不再按进度外推"
    )
