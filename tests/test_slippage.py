"""Reading slippage with scope, on tiny hand-made texts and frames (no real data needed)."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from helpers.compute.classify import classify_tasks, scheduled_addition
from helpers.compute.slippage import read_slippage, split_parts
from helpers.core.config import load_settings
from helpers.core.errors import DataError
from helpers.present.narrative import build_body, build_memo
from helpers.present.tables import owner_scorecard

S = load_settings()


def kinds(text, next_year=None):
    return [h.kind for h in read_slippage(text, S, next_year)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲项目仍未启动。", ["not_started"]),
        ("甲项目因疫情暂停约2个月。", ["paused"]),
        ("部分内容调整至2023年实施。", ["deferred"]),
        ("需待规划编制完成后再行启动。", ["waiting"]),
        ("正在编制实施方案。", ["drafting"]),
        ("拟在本年度启动评选。", ["planned"]),
        ("近期无进展。", ["stalled"]),
        ("因审批未通过，研究院无法成立。", ["failed", "failed"]),  # one a clause
        # Completion context in the same clause cancels the cue …
        ("已完成前期手续办理，正在进行土石方施工。", []),
        ("确保不出现进度滞后。", []),
        # … but not a cue in the next clause.
        ("已完成前期手续办理，拟于近期开工建设。", ["planned"]),
        ("已全部完工。", []),
    ],
)
def test_cue_in_its_clause(text, expected):
    assert kinds(text) == expected


def test_next_year_is_the_year_after_the_report():
    assert kinds("调整至2023年实施。", next_year=2023) == ["deferred"]
    assert kinds("调整至2025年实施。", next_year=2023) == []


def test_traditional_characters_are_read_by_the_same_cues():
    assert kinds("項目暫緩推進。") == ["paused"]


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("项目建设因企业自身原因暂缓推进。", "因企业自身原因"),
        ("受疫情影响，工程暂停。", "受疫情影响"),
        ("根据区政府工作安排，该项工作暂缓实施。", "根据区政府工作安排"),
        ("另9个村需待生态画廊规划编制完成后再行启动。", "待生态画廊规划编制完成后"),
        ("项目暂缓推进。", ""),
        ("因此暂缓推进。", ""),  # 因此 is not a cause
    ],
)
def test_cause_as_the_text_states_it(text, cause):
    (hit,) = read_slippage(text, S)
    assert hit.cause == cause


def test_hits_are_bound_to_their_sub_task():
    text = "①甲项目：已建成投用。②乙项目：尚未启动。③丙项目：一是已完成设计；二是暂缓招标。"
    parts = split_parts(text)
    assert [p.mark for p in parts] == ["①", "②", "③"]  # 一是/二是 stay inside ③
    hits = read_slippage(text, S)
    assert [(h.part.mark, h.part.heading, h.kind) for h in hits] == [
        ("②", "乙项目", "not_started"),
        ("③", "丙项目", "paused"),
    ]


def _frames(texts: dict[str, str], extra: dict | None = None):
    tasks = pd.DataFrame(
        {
            "task_id": list(texts),
            "section": "板块",
            "task": [f"任务{k}" for k in texts],
            "leaders": "",
            "lead_units": "区城管局（区整违办）",
            "partner_units": "",
        }
    )
    progress = pd.DataFrame(
        {"task_id": list(texts), "reported_status": "正常推进", "progress": list(texts.values())}
    )
    for col, values in (extra or {}).items():
        progress[col] = values
    subtargets = pd.DataFrame(
        columns=["task_id", "metric", "kind", "direction", "status", "ratio", "actual", "target"]
    )
    return tasks, progress, subtargets


def test_main_part_lags_the_task_a_secondary_part_is_partial():
    tasks, progress, subs = _frames(
        {
            "A": "①主体工程：尚未启动。②配套工程：已完工。",
            "B": "①主体工程：已建成投用。②配套工程：因资金未到位暂缓实施。",
            "C": "已完成前期手续办理，正在进行基础施工。",
        }
    )
    t = classify_tasks(tasks, progress, subs, S).set_index("task_id")
    assert (t.loc["A", "computed_status"], t.loc["A", "slippage"]) == ("推进较为滞后", "整体滞后")
    assert (t.loc["B", "computed_status"], t.loc["B", "slippage"]) == ("正常推进", "部分滞后")
    assert t.loc["B", "cause"] == "因资金未到位" and t.loc["B", "subtask"] == "②配套工程"
    assert (t.loc["C", "computed_status"], t.loc["C", "slippage"]) == ("正常推进", "无")


def test_units_issues_and_next_steps_are_carried():
    tasks, progress, subs = _frames(
        {"A": "正在推进。"}, {"issues": ["资金缺口较大"], "next_steps": ["争取专项债"]}
    )
    t = classify_tasks(tasks, progress, subs, S).iloc[0]
    assert (t["issues"], t["next_steps"]) == ("资金缺口较大", "争取专项债")


def test_scheduled_completions_count_only_when_new_and_before_year_end():
    assert scheduled_addition("两个项目计划年底完工，预计新增停车位2865个。", "个") == 2865
    assert scheduled_addition("预计新增停车位2865个。", "个") == 0  # no time stated
    assert scheduled_addition("计划年底完工，预计新增绿地3万平方米。", "个") == 0  # other unit


def test_unknown_lagging_kind_is_refused(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[cues]\nlagging_kinds = ["late"]\n', encoding="utf-8")
    with pytest.raises(DataError, match="lagging_kinds"):
        load_settings(f)


def test_body_and_memo_work_with_no_lagging_task_and_no_indicator(analysis):
    a = copy.copy(analysis)
    a.tasks = analysis.tasks.assign(reported_status="正常推进")
    a.indicators = analysis.indicators.iloc[0:0]
    body = build_body(a)
    text = body.text()
    # The letter cites only tables it has: no indicator annex, no empty lagging annex.
    assert "131项任务正常推进（详见附件1）" in text and "推进较为滞后" not in text
    assert body.annexes == {"normal": 131} and "经济社会发展预期目标" not in text
    assert "不改变已报送的推进状态" in build_memo(a).text()


def test_issues_and_next_steps_appear_in_the_body_and_annex(analysis):
    from helpers.present.tables import annex_tasks

    a = copy.copy(analysis)
    a.tasks = analysis.tasks.copy()
    a.tasks.loc[a.tasks["task_id"] == "T004", "issues"] = "拆违资金不足"
    a.tasks.loc[a.tasks["task_id"] == "T004", "next_steps"] = "加快推进集中拆除"
    text = build_body(a).text()
    assert "存在问题和下一步打算" in text
    assert "存在问题：拆违资金不足" in text and "下一步打算：加快推进集中拆除" in text
    annex = annex_tasks(a, "推进较为滞后").set_index("任务编号")
    assert annex.loc["T004", "存在问题"] == "拆违资金不足"


def test_bracketed_office_rolls_up_under_its_parent(analysis):
    card = owner_scorecard(analysis, "lead_units").set_index("owner")
    assert "区城管局（区整违办）" not in card.index
    assert card.loc["区城管局", "reported_lagging"] >= 2  # T004, T005


def test_word_document_with_no_lagging_task_cites_only_its_tables(analysis):
    from helpers.present.docx_report import build_docx

    a = copy.copy(analysis)
    a.tasks = analysis.tasks.assign(reported_status="正常推进")
    doc = build_docx(a)
    assert len(doc.tables) == 2
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "附件2" in text and "附件3" not in text
