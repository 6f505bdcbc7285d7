"""Where each sub-target's figure came from (来源) and the unit's words for it (原文).

A small register with a sub-target of each source kind: read from the progress text, typed into
the return form by the unit (with and without a sentence saying the same figure), and set by the
office in curation.csv. Expected cells are written out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.compute.engine import analyse
from helpers.core.vocab import FigureSource
from helpers.present import tables, wording

TASKS = {
    "task_id": ["T1", "T2", "T3", "T4"],
    "task": [
        "新建公交候车亭40个",
        "改造农村危房120户",
        "新建社区养老服务站5个",
        "新建幼儿园学位600个",
    ],
    "lead_units": ["县交通局", "县住建局", "县民政局", "县教育局"],
}
PROGRESS = {
    "task_id": ["T1", "T2", "T3", "T4"],
    "reported_status": ["正常推进"] * 4,
    "progress": [
        "1-9月，已新建公交候车亭36个。",  # read from the text
        "1-9月，已完成农村危房改造90户。",  # the unit also typed 90 into the form
        "养老服务站建设有序推进。",  # no figure in the words: only the form's
        "1-9月，新建幼儿园学位300个。",  # the office curates 330
    ],
}
RETURNED = {
    "task_id": ["T2", "T3"],
    "target_no": ["1", "1"],
    "actual": ["90", "3"],
    "actual_period": ["1-9月", "1-8月"],
    "source_file": ["县住建局.xlsx", "县民政局.xlsx"],
}
CURATION = {
    "task_id": ["T4"],
    "target_no": ["1"],
    "quarter": ["3"],
    "field": ["actual"],
    "value": ["330"],
    "reason": ["含民办园新增学位30个"],
}


@pytest.fixture
def office(tmp_path) -> Path:
    q3 = tmp_path / "d" / "2023" / "Q3"
    q3.mkdir(parents=True)
    pd.DataFrame(TASKS).to_csv(q3.parent / "tasks.csv", index=False)
    pd.DataFrame(CURATION).to_csv(q3.parent / "curation.csv", index=False)
    pd.DataFrame(PROGRESS).to_csv(q3 / "progress.csv", index=False)
    pd.DataFrame(RETURNED).to_csv(q3 / "returned_actuals.csv", index=False)
    return tmp_path / "d"


def test_each_source_kind_has_its_own_source_cell_and_the_units_words(office):
    a = analyse(2023, 3, office)
    table = tables.subtarget_table(a).set_index("任务编号")
    assert table.loc["T1", "来源"] == "文本读取"
    assert table.loc["T1", "原文"] == "1-9月，已新建公交候车亭36个。"
    # Typed into the form: the source names the workbook; the text is the unit's own sentence.
    assert table.loc["T2", "来源"] == "单位填报（县住建局.xlsx）"
    assert table.loc["T2", "原文"] == "1-9月，已完成农村危房改造90户。"
    # Only in the form: no words to quote.
    assert table.loc["T3", "来源"] == "单位填报（县民政局.xlsx）"
    assert table.loc["T3", "原文"] == "—"
    assert table.loc["T3", "完成值"] == "3个" and table.loc["T3", "数据期间"] == "1-8月"
    assert table.loc["T4", "来源"] == "人工核定"
    assert table.loc["T4", "完成值"] == "330个"
    assert table.loc["T4", "原文"] == "1-9月，新建幼儿园学位300个。"
    # No cell of 原文 says where a figure came from; no cell of 来源 quotes a text.
    assert not table["原文"].str.contains("填报").any()
    assert set(table["来源"].str.replace(r"（.*）$", "", regex=True)) == {
        "文本读取",
        "单位填报",
        "人工核定",
    }


def test_the_checks_still_say_a_figure_came_from_the_form(office):
    a = analyse(2023, 3, office)
    earlier = a.checks[a.checks["check"] == "数据期间早于报告期"]
    assert list(earlier["item"]) == ["T3-1 社区养老服务站"]
    assert earlier.iloc[0]["source_text"] == "填报完成值（县民政局.xlsx）"
    curated = a.checks[a.checks["check"] == "人工核定"]
    assert curated.iloc[0]["source_text"] == "1-9月，新建幼儿园学位300个。"


def test_the_targets_csv_keeps_the_kind_and_the_units_words(office):
    a = analyse(2023, 3, office)
    csv = tables.targets_table(a.subtargets).set_index("task_id")
    assert csv.loc["T2", "source"] == "returned"
    assert csv.loc["T2", "source_text"] == "1-9月，已完成农村危房改造90户。"
    assert csv.loc["T3", "source_text"] == ""


def test_every_source_kind_is_worded():
    assert set(wording.FIGURE_SOURCE) == set(FigureSource)
    with pytest.raises(ValueError):
        wording.figure_source("typed_by_hand")


def test_an_absurd_figure_from_the_form_is_refused_naming_the_workbook(office):
    from helpers.core.errors import DataError

    path = office / "2023" / "Q3" / "returned_actuals.csv"
    df = pd.read_csv(path, dtype=str)
    df.loc[0, "actual"] = "90000"  # 90000户 of 120: 75000%
    df.to_csv(path, index=False)
    with pytest.raises(
        DataError, match=r"returned_actuals\.csv.*原文：“填报完成值（县住建局\.xlsx）："
    ):
        analyse(2023, 3, office)
