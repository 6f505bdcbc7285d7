"""The engine reads each distinct text once and copies what it read to every task that has it.

On a register repeating some texts and not others, the result must be exactly what reading every
task on its own gives (a one-task register repeats nothing). The judgement's context rules read
a sub-target with its task's progress text (a projection, work under way, the text's own 完成率,
a higher level's target) or a task's text with its progress text (a share of the work, a sentence
listing other items than the task): the register holds such texts, the same progress text under
tasks it is judged differently for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.compute.checks import check_stated_ratios
from helpers.compute.classify import _lagging_subtarget, _may_change, classify_tasks
from helpers.compute.engine import compute_subtargets
from helpers.compute.slippage import simplified
from helpers.compute.targets import load_curation, read_targets
from helpers.core import paths
from helpers.core.config import load_settings
from helpers.read.loading import load_quarter

SETTINGS = load_settings()
MONTHS = 9
# A figure four metrics share: a progress listing the four figures renames the sub-targets after
# them (pairing changes what was read from the task text), one that does not leaves them.
SHARED = "确保固定投资增速高于经济增速、4个结构性指标均实现10%以上增长"
LISTED = (
    "4个结构性指标中,民间项目投资同比下降4.7%,交通投资增长6.5%,生态环保投资下降1.3%,"
    "高新技术产业投资增长8.0%,均居全省中上位次。"
)
UNLISTED = "固定资产投资增长8%，项目仍未启动。"
#: (task text, progress text): each progress text twice, under tasks it is judged differently
#: for (in the order: made up / lagging, or lagging / not).
CONTEXT = [
    # Items under way make up 20 (while 3 months are left), not 30.
    ("新建农贸市场20个", "截至9月底，已建成农贸市场6个，其余14个在建。"),
    ("新建农贸市场30个", "截至9月底，已建成农贸市场6个，其余14个在建。"),
    # A share of the work: this year's whole work (建成) lags, a line built over years does not.
    ("建成城北污水处理厂二期工程", "已完成工程总量的30%，各站点正在实施基础施工。"),
    ("加快建设轨道交通15号线", "已完成工程总量的30%，各站点正在实施基础施工。"),
    # A projection below 7% lags, one above 4% does not (in traditional characters once).
    ("地区生产总值增长7%左右", "全年GDP预计增长4.5%左右。"),
    ("地区生产总值增长4%左右", "全年GDP预计增长4.5%左右。"),
    ("確保地區生產總值增長7%左右。", "全年GDP預計增長4.5%左右。"),
    # A higher level's total is not this level's to reach; its own target is.
    (
        "全省新增城镇就业100万人。（省级牵头单位：省人力资源社会保障厅；市级牵头单位：市人社局）",
        "1-9月，全市城镇新增就业5.2万人。",
    ),
    ("全省新增城镇就业100万人。", "1-9月，全市城镇新增就业5.2万人。"),
    # The text's own 完成率 keeps a part read as the figure from lagging.
    (
        "新建、改扩建公办幼儿园60所",
        "截至9月底，已竣工8所，另有30所已开工建设，完成年度目标任务的63%。",
    ),
    # A sentence listing other items is not the slippage of a task the list leaves out.
    (
        "农贸市场",
        "全县民生实事共3件，即农村改厕、城区停车场、农贸市场。其中城区停车场、农贸市场进展滞后。",
    ),
    (
        "农村改厕",
        "全县民生实事共3件，即农村改厕、城区停车场、农贸市场。其中城区停车场、农贸市场进展滞后。",
    ),
]


@pytest.fixture(scope="module")
def register():
    """The built-in register and Q3 progress, with copies: the same task and progress under a
    new id, a task's text with another task's progress, and one task text with three progress
    texts (two of them the same); a curated value on one copy only."""
    data = load_quarter(paths.DATA_DIR, 2022, 3)
    tasks = data.tasks[["task_id", "section", "task", "leaders", "lead_units", "partner_units"]]
    progress = data.progress
    real = tasks.merge(progress, on="task_id")
    same = real.iloc[::3].assign(task_id=lambda d: d["task_id"] + "-same")
    other = real.iloc[1::4].assign(
        task_id=lambda d: d["task_id"] + "-other",
        progress=real["progress"].iloc[2::4].to_numpy()[: len(real.iloc[1::4])],
    )
    shared = real.iloc[:3].assign(
        task_id=["S1", "S2", "S3"], task=SHARED, progress=[LISTED, UNLISTED, LISTED]
    )
    # Each context pair twice, under new ids.
    n = len(CONTEXT)
    context = real.iloc[np.arange(2 * n) % len(real)].assign(
        task_id=[f"C{k}" for k in range(2 * n)],
        task=[t for t, _ in CONTEXT] * 2,
        progress=[x for _, x in CONTEXT] * 2,
    )
    whole = pd.concat([real, same, other, shared, context], ignore_index=True)
    tasks = whole[tasks.columns].reset_index(drop=True)
    progress = whole[progress.columns].reset_index(drop=True)
    curation = load_curation(paths.DATA_DIR / "2022" / "curation.csv")
    copied = (curation["task_id"] + "-same").isin(tasks["task_id"])
    copy = curation[copied & (curation["field"] == "actual")].iloc[[0]]
    copy = copy.assign(task_id=copy["task_id"] + "-same", value="7", reason="只核定这一份")
    curation = pd.concat([curation, copy], ignore_index=True)
    assert tasks["task"].duplicated().sum() > 50 and progress["progress"].duplicated().any()
    return tasks, progress, curation


def one_by_one(tasks: pd.DataFrame, read) -> pd.DataFrame:
    """``read`` on each task alone, the results stacked."""
    parts = [read(tasks.iloc[[k]].reset_index(drop=True)) for k in range(len(tasks))]
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def test_targets_read_once_are_those_read_task_by_task(register):
    tasks, progress, curation = register

    def read(one: pd.DataFrame) -> pd.DataFrame:
        mine = progress[progress["task_id"].isin(one["task_id"])]
        cur = curation[curation["task_id"].isin(one["task_id"])]
        cur.attrs = curation.attrs
        return read_targets(one, mine, MONTHS, cur)

    together = read_targets(tasks, progress, MONTHS, curation)
    alone = one_by_one(tasks, read)
    alone = alone.sort_values(["task_id", "target_no"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(together, alone, check_dtype=False, check_exact=True)
    shared = together[together["task_id"].isin(["S1", "S2", "S3"])]
    assert set(shared.loc[shared["task_id"] == "S1", "metric"]) >= {"民间项目投资", "交通投资"}
    assert shared.loc[shared["task_id"] == "S2", "metric"].str.contains("（第").all()
    assert (together["curation_reason"] == "只核定这一份").sum() == 1


@pytest.mark.parametrize("months", [9, 11, None])
def test_tasks_classified_once_per_text_are_those_classified_one_by_one(register, months):
    """9: work under way is credited (3 months left); 11: it is not; None: no time is known."""
    tasks, progress, _ = register
    subs = compute_subtargets(tasks, progress, months or MONTHS, SETTINGS)

    def classify(one: pd.DataFrame) -> pd.DataFrame:
        mine = progress[progress["task_id"].isin(one["task_id"])]
        return classify_tasks(
            one, mine, subs[subs["task_id"].isin(one["task_id"])], SETTINGS, 2023, months
        )

    together = classify_tasks(tasks, progress, subs, SETTINGS, next_year=2023, report_months=months)
    pd.testing.assert_frame_equal(
        together, one_by_one(tasks, classify), check_dtype=False, check_exact=True
    )
    t = together.set_index("task_id")
    assert t.loc["S2", "slippage"] == "整体滞后"
    # Each context pair, and its copy, is judged as it is alone: the same progress text differently
    # under each of its tasks.
    lags = [t.loc[f"C{k}", "slippage"] == "整体滞后" for k in range(2 * len(CONTEXT))]
    assert lags[: len(CONTEXT)] == lags[len(CONTEXT) :]
    made_up, share_measured = months != 11, months is not None
    expected = [not made_up, True, share_measured, False, True, False, True, False, True, False]
    expected += [True, False]
    assert lags[: len(CONTEXT)] == expected
    assert t.loc["C4", "flags"].endswith(":projected") and "预计" in t.loc["C4", "evidence"]
    assert (t.loc["C0", "scheduled"] != "") == (months != 11)


def test_subtargets_left_unjudged_are_those_no_context_rule_changes(register):
    """classify_tasks judges the context of the sub-targets ``_may_change`` selects only: every
    other one is neither lagging nor made up whatever its text says (a rule that changes such a
    sub-target has to be selected there too)."""
    tasks, progress, _ = register
    texts = dict(zip(progress["task_id"], progress["progress"], strict=True))
    lagging = set(SETTINGS.thresholds.lagging_statuses)
    for months in (9, 11):
        subs = compute_subtargets(tasks, progress, months, SETTINGS)
        cols = [subs[c].to_numpy(dtype=object) for c in ("kind", "direction", "status")]
        left = subs[~_may_change(*cols, SETTINGS)]
        assert len(left) > 50
        for s in left.itertuples():
            text = simplified(texts[s.task_id], SETTINGS.cues)
            for credit in (True, False):
                judged = _lagging_subtarget(s, lagging, text, SETTINGS, credit, 2023)
                assert judged == (False, ""), (s.task_id, s.metric)


def test_stated_ratios_read_once_are_those_read_row_by_row(register):
    _, progress, _ = register
    together = check_stated_ratios(progress)
    alone = [row for k in range(len(progress)) for row in check_stated_ratios(progress.iloc[[k]])]
    assert together == alone
    assert any(r["item"].endswith("-other") for r in together)  # a text on two tasks
