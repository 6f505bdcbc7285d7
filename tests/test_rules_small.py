"""The rule modules (classify, checks, history) on tiny hand-made frames, one rule per test.

The real quarter is tested elsewhere; these pin each rule down on data small enough to check by
eye, so a rule change shows up as a failing sentence here rather than as a shifted count there.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.compute.checks import check_counts, check_returns, check_subtargets
from helpers.compute.classify import classify_indicators, classify_tasks, disagreements
from helpers.compute.history import _status_change, project_year_end
from helpers.core.config import load_settings
from helpers.core.vocab import IndicatorStatus, SubtargetStatus, TaskStatus

SETTINGS = load_settings()
NAN = float("nan")


def indicator(target_text, value=None, unit="%", progress="", period="1-9月"):
    ind = pd.DataFrame(
        [{"indicator_id": "I1", "target_text": target_text, "leaders": "", "lead_units": "U"}]
    )
    prog = pd.DataFrame(
        [
            {
                "indicator_id": "I1",
                "progress": progress,
                "period": period if value is not None else "",
                "value": value,
                "value_unit": unit if value is not None else "",
                "rank": pd.NA,
                "notes": "",
            }
        ]
    )
    return classify_indicators(ind, prog, 9, SETTINGS).iloc[0]


@pytest.mark.parametrize(
    ("target", "value", "status", "gap"),
    [
        ("地区生产总值增长5.5%左右", 2.6, IndicatorStatus.MISSED, 2.6 - 5.5),
        ("地区生产总值增长5.5%左右", 5.5, IndicatorStatus.MET, 0.0),
        ("区级税收增长6%", -29.16, IndicatorStatus.MISSED, -35.16),  # a decline is data
        ("城市生活垃圾回收利用率达40%", 41.0, IndicatorStatus.MET, 1.0),
    ],
)
def test_growth_and_level_indicators_compare_directly(target, value, status, gap):
    row = indicator(target, value)
    assert row["status"] == status
    assert row["gap_pp"] == pytest.approx(gap)


def test_indicator_without_a_figure_is_no_data_not_zero():
    row = indicator("地区生产总值增长5.5%左右")
    assert row["status"] == IndicatorStatus.NO_DATA and math.isnan(row["actual"])


def test_qualitative_indicator_on_schedule_by_the_units_words():
    assert indicator("完成节能减排降碳年度目标任务", progress="预计能够完成年度目标任务")[
        "status"
    ] == (IndicatorStatus.ON_SCHEDULE)
    assert indicator("完成节能减排降碳年度目标任务", progress="正在推进")["status"] == (
        IndicatorStatus.NO_DATA
    )


def test_indicator_for_an_earlier_period_is_marked():
    assert bool(indicator("进出口总额增长5%以上", 7.59, period="1-8月")["earlier_period"])


def tasks_frame(progress: dict[str, str], reported: dict[str, str] | None = None):
    ids = list(progress)
    tasks = pd.DataFrame(
        {
            "task_id": ids,
            "section": "S",
            "task": [f"任务{i}" for i in ids],
            "leaders": "",
            "lead_units": "U",
            "partner_units": "",
        }
    )
    prog = pd.DataFrame(
        {
            "task_id": ids,
            "progress": [progress[i] for i in ids],
            "reported_status": [(reported or {}).get(i, TaskStatus.NORMAL.value) for i in ids],
        }
    )
    return tasks, prog


def subtarget(task_id, status, kind="cumulative", ratio=NAN):
    return {
        "task_id": task_id,
        "target_no": 1,
        "metric": "新建学校",
        "phrase": "1-9月完成1个",
        "status": str(status),
        "kind": kind,
        "ratio": ratio,
        "target": 4.0,
        "actual": 4.0 * ratio if ratio == ratio else NAN,
        "unit": "所",
        "direction": "higher",
    }


def test_a_severely_lagging_subtarget_makes_the_task_lag():
    tasks, prog = tasks_frame({"A": "已建成1所", "B": "已建成3所"})
    subs = pd.DataFrame(
        [subtarget("A", SubtargetStatus.SEVERE, ratio=0.25), subtarget("B", "达序时", ratio=0.75)]
    )
    out = classify_tasks(tasks, prog, subs, SETTINGS).set_index("task_id")
    assert out.loc["A", "computed_status"] == TaskStatus.LAGGING
    assert out.loc["B", "computed_status"] == TaskStatus.NORMAL
    assert out.loc["A", "mean_ratio"] == pytest.approx(0.25)


def test_behind_pace_alone_is_a_flag_not_a_lag():
    tasks, prog = tasks_frame({"A": "已建成2所"})
    subs = pd.DataFrame([subtarget("A", SubtargetStatus.BEHIND, ratio=0.5)])
    out = classify_tasks(tasks, prog, subs, SETTINGS).iloc[0]
    assert out["computed_status"] == TaskStatus.NORMAL and out["flags"]


def test_slippage_words_make_a_task_lag_and_become_a_disagreement():
    tasks, prog = tasks_frame({"A": "项目仍未启动。", "B": "按计划推进。"})
    out = classify_tasks(tasks, prog, pd.DataFrame(columns=list(subtarget("A", "x"))), SETTINGS)
    assert out.set_index("task_id").loc["A", "computed_status"] == TaskStatus.LAGGING
    d = disagreements(out)
    assert d["task_id"].tolist() == ["A"] and "仍未启动" in d.loc[0, "evidence"]


def test_no_text_is_not_reported_never_normal():
    tasks, prog = tasks_frame({"A": ""})
    out = classify_tasks(tasks, prog, pd.DataFrame(columns=list(subtarget("A", "x"))), SETTINGS)
    assert out.iloc[0]["computed_status"] == TaskStatus.NOT_REPORTED
    assert check_returns(out)[0]["severity"] == "错误"


def test_stated_counts_agree_or_are_errors():
    tasks, prog = tasks_frame({"A": "x", "B": "y"}, {"B": TaskStatus.LAGGING.value})
    tasks["reported_status"] = prog["reported_status"]
    ind = pd.DataFrame({"status": [IndicatorStatus.MET.value], "indicator": ["地区生产总值"]})
    rows = check_counts({"tasks": 2, "tasks_lagging": 2, "indicators": 1}, tasks, ind)
    by_item = {r["item"]: r for r in rows}
    assert by_item["重点任务数"]["severity"] == "提示"
    assert by_item["推进较为滞后任务数（督查办认定）"]["severity"] == "错误"
    assert "正文称2项，数据为1项" in by_item["推进较为滞后任务数（督查办认定）"]["finding"]


def test_absurd_and_missing_figures_are_listed():
    subs = pd.DataFrame(
        [
            {**subtarget("A", SubtargetStatus.DONE, ratio=9.0), "actual": 36.0, "target": 4.0},
            {**subtarget("B", SubtargetStatus.NO_DATA), "actual": NAN},
        ]
    )
    subs["period_months"] = 9
    subs["actual_period"] = "1-9月"
    subs["source"] = "text"
    subs["actual_text"] = ""
    subs["target_text"] = "新建4所学校"
    kinds = {r["check"] for r in check_subtargets(subs, 9, SETTINGS)}
    assert "缺少完成值" in kinds
    assert any("完成率" in k for k in kinds)


@pytest.mark.parametrize(
    ("before", "now", "change"),
    [
        ("达序时", "严重滞后", "新增滞后"),
        ("严重滞后", "严重滞后", "持续滞后"),
        ("严重滞后", "慢序时", "恢复"),
        ("慢序时", "达序时", "好转"),
        ("达序时", "慢序时", "变差"),
        ("达序时", "达序时", "不变"),
    ],
)
def test_status_change_between_quarters(before, now, change):
    assert _status_change(before, now, frozenset({"严重滞后"})) == change


def test_status_change_follows_the_lagging_setting():
    assert _status_change("达序时", "慢序时", frozenset({"慢序时", "严重滞后"})) == "新增滞后"


def test_year_end_projection_at_the_year_to_date_pace():
    subs = pd.DataFrame(
        [
            {
                **subtarget("A", SubtargetStatus.SEVERE, ratio=0.3),
                "direction": "higher",
                "period_months": 9,
            }
        ]
    )
    out = project_year_end(subs).iloc[0]
    assert out["projected"] == pytest.approx(0.4)


def _cumulative(task_id, status, ratio, months=9, kind="cumulative", direction="higher"):
    return {
        **subtarget(task_id, status, kind=kind, ratio=ratio),
        "direction": direction,
        "period_months": months,
    }


def test_a_finished_subtarget_is_projected_at_what_is_done_not_extrapolated():
    # 100% done in 9 months is finished: 100%, not 100% × 12/9 = 133.3%; 110% stays 110%.
    subs = pd.DataFrame(
        [
            _cumulative("A", SubtargetStatus.DONE, 1.0),
            _cumulative("B", SubtargetStatus.DONE, 1.1, months=6),
            _cumulative("C", SubtargetStatus.ON_PACE, 0.9),  # under way: 120%, extrapolated
            _cumulative("D", SubtargetStatus.SEVERE, 0.3),  # under way: 40%, would miss
        ]
    )
    out = project_year_end(subs).set_index("task_id")
    assert out["projected"].to_dict() == pytest.approx({"A": 1.0, "B": 1.1, "C": 1.2, "D": 0.4})
    assert out["outlook"].to_dict() == {"A": "done", "B": "done", "C": "make", "D": "miss"}
    assert out["will_miss"].to_dict() == {"A": False, "B": False, "C": False, "D": True}
    assert out["finished"].to_dict() == {"A": True, "B": True, "C": False, "D": False}


def test_only_cumulative_higher_targets_are_projected():
    # A growth rate or a level is compared with its target as it stands, a control limit is not
    # a quantity to reach: none is extrapolated by months.
    subs = pd.DataFrame(
        [
            _cumulative("A", SubtargetStatus.BEHIND, 0.6),
            _cumulative("G", SubtargetStatus.ON_PACE, 1.2, kind="growth"),
            _cumulative("L", SubtargetStatus.DONE, 1.05, kind="level"),
            _cumulative("X", SubtargetStatus.ON_PACE, 0.5, direction="lower"),
        ]
    )
    assert list(project_year_end(subs)["task_id"]) == ["A"]


def test_the_projection_table_lists_a_finished_subtarget_as_finished_last():
    from helpers.present.tables import projection_table

    subs = pd.DataFrame(
        [
            _cumulative("A", SubtargetStatus.DONE, 1.0),
            _cumulative("C", SubtargetStatus.ON_PACE, 0.9),
            _cumulative("D", SubtargetStatus.SEVERE, 0.3),
        ]
    )
    table = projection_table(project_year_end(subs))
    assert list(table["任务编号"]) == ["D", "C", "A"]
    row = table.set_index("任务编号").loc["A"]
    assert row["按年初至今进度预计全年"] == "100.0%" and row["预计"] == "已完成"
    assert table.set_index("任务编号").loc["C", "预计"] == "按进度可以完成"
    assert table.set_index("任务编号").loc["D", "预计"] == "可能完不成"
    assert "133.3%" not in table.to_string()


def test_the_engine_times_its_own_steps(analysis):
    assert list(analysis.timings) == [
        "load",
        "read_targets",
        "progress",
        "classify_indicators",
        "classify_tasks",
        "checks",
    ]
    assert all(seconds >= 0 for seconds in analysis.timings.values())
