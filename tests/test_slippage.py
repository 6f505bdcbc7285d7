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
        # One a clause; a clause opened by 因 that a later clause's slippage follows is that
        # slippage's cause, not one of its own (test_slippage_kinds: an open cause before …).
        ("因审批未通过，研究院无法成立。", ["failed"]),
        ("研究院审批未通过，无法成立。", ["failed", "failed"]),
        # Completion context in the same clause cancels the cue …
        ("已完成前期手续办理，正在进行土石方施工。", []),
        ("确保不出现进度滞后。", []),
        # … but not a cue in the next clause.
        ("已完成前期手续办理，拟于近期开工建设。", ["planned"]),
        ("已全部完工。", []),
        # A feasibility study still being written or revised (built-in T043; another wording) …
        ("目前已经根据最新要求完善综保区可行性研究报告及相关汇报材料。", ["drafting"]),
        ("目前正在委托第三方编制项目可行性研究报告。", ["drafting"]),
        # … but not one written already.
        ("项目可行性研究报告已编制完成并通过评审。", []),
        # Growth below a comparator, a run of declines (corpus C10-001, in traditional
        # characters; other wordings).
        ("實現規模工業增加值420.7億元,增長7.1%,增速低于全省平均增速0.7個百分點", ["stalled"]),
        ("全区规上工业增加值增长3.1%，增幅低于全市平均水平1.2个百分点。", ["stalled"]),
        ("工業用電、工業稅收等匹配指標持續負增長。", ["stalled"]),
        ("工业用电量连续5个月负增长。", ["stalled"]),
    ],
)
def test_cue_in_its_clause(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "確保全年投資增長20%目標(biāo)的任務(wù)依然十分艱巨。",  # corpus C09-001
        "确保完成全年招商引资目标难度很大。",
    ],
)
def test_an_intention_does_not_cancel_a_judgement_of_the_aim_itself(text):
    assert kinds(text) == ["at_risk"]
    assert kinds("确保不出现进度滞后，避免停工。") == []  # an intention still cancels the rest


def test_next_year_is_the_year_after_the_report():
    assert kinds("调整至2023年实施。", next_year=2023) == ["deferred"]
    assert kinds("调整至2025年实施。", next_year=2023) == []


def test_traditional_characters_are_read_by_the_same_cues():
    assert kinds("項目暫緩推進。") == ["paused"]
    # 標 and 計畫 (Taiwan's 计划) were beyond a hand-written table; the converter reads them.
    (hit,) = read_slippage("1-9月，出口額僅完成計畫的55%，未達到年度目標。", S)
    assert (hit.kind, hit.cue) == ("stalled", "未达到年度目标")
    assert read_slippage("項目因資金未到位暫緩實施。", S)[0].cause == "因资金未到位"


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


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # A cause stated at length runs to the full stop (corpus C04-001) …
        (
            "未达预期目标原因主要是因为大华丝绸等企业受疫情影响,出口订单大幅减少,销量下跌;"
            "部分非金属加工企业缺乏原料,订单量下滑。",
            "因为大华丝绸等企业受疫情影响,出口订单大幅减少,销量下跌;部分非金属加工企业缺乏原料,"
            "订单量下滑",
        ),
        # … or opens the sentence after the slippage.
        (
            "1-8月完成投资2.1亿元，进度滞后。主要原因是项目用地报批时间较长。",
            "项目用地报批时间较长",
        ),
        # An unmarked cause: the clause before the cue that states a problem (corpus B09-001,
        # B10-025; another wording).
        (
            "水濂小学经现场核查,现有条件不适宜建设风雨连廊,经研究决定取消该校的风雨连廊项目。",
            "现有条件不适宜建设风雨连廊",
        ),
        (
            "前期配合区相关部门对该项目招标质疑、投诉处置,项目于9月28才签订合同,滞后了2个月。",
            "前期配合区相关部门对该项目招标质疑、投诉处置",
        ),
        ("项目周边群众存在较大矛盾纠纷，暂缓实施。", "项目周边群众存在较大矛盾纠纷"),
        ("已完成主体施工，进度滞后于计划。", ""),  # no problem stated, no cause
    ],
)
def test_cause_stated_at_length_or_unmarked(text, cause):
    hit = read_slippage(text, S)[0]
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


@pytest.mark.parametrize("key", ["lagging_kinds", "aim_kinds"])
def test_unknown_kind_is_refused(tmp_path, key):
    f = tmp_path / "s.toml"
    f.write_text(f'[cues]\n{key} = ["late"]\n', encoding="utf-8")
    with pytest.raises(DataError, match=key):
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
