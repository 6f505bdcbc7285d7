"""The engine reads each distinct text once and copies what it read to every task that has it.

On a register repeating some texts and not others, the result must be exactly what reading every
task on its own gives (a one-task register repeats nothing).
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compute.checks import check_stated_ratios
from helpers.compute.classify import classify_tasks
from helpers.compute.engine import compute_subtargets
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
    whole = pd.concat([real, same, other, shared], ignore_index=True)
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


def test_tasks_classified_once_per_text_are_those_classified_one_by_one(register):
    tasks, progress, _ = register
    subs = compute_subtargets(tasks, progress, MONTHS, SETTINGS)

    def classify(one: pd.DataFrame) -> pd.DataFrame:
        mine = progress[progress["task_id"].isin(one["task_id"])]
        return classify_tasks(one, mine, subs[subs["task_id"].isin(one["task_id"])], SETTINGS, 2023)

    together = classify_tasks(tasks, progress, subs, SETTINGS, next_year=2023)
    pd.testing.assert_frame_equal(
        together, one_by_one(tasks, classify), check_dtype=False, check_exact=True
    )
    assert together.set_index("task_id").loc["S2", "slippage"] == "整体滞后"


def test_stated_ratios_read_once_are_those_read_row_by_row(register):
    _, progress, _ = register
    together = check_stated_ratios(progress)
    alone = [row for k in range(len(progress)) for row in check_stated_ratios(progress.iloc[[k]])]
    assert together == alone
    assert any(r["item"].endswith("-other") for r in together)  # a text on two tasks
