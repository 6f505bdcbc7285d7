"""Data-quality checks and the generated body, against the source document's own words."""

from __future__ import annotations

import re

import pandas as pd

from helpers.compute.checks import check_stated_ratios
from helpers.present.narrative import build_body, build_memo, to_html


def test_stated_ratio_is_recomputed(analysis):
    rows = analysis.checks[
        (analysis.checks["check"] == "比率复核") & (analysis.checks["item"] == "T008")
    ]
    # 安装率19.05% = 79880 / 419295 (worked by hand: 0.190510...)
    assert any("79880 ÷ 419295 = 19.05%，一致" in f for f in rows["finding"])


def test_stated_share_of_annual_task_is_recomputed(analysis):
    rows = analysis.checks[analysis.checks["item"] == "T039"]
    # 46.56亿元 of 70亿元 = 66.51%
    assert any("= 66.51%，一致" in f for f in rows["finding"])


def test_wrong_stated_ratio_is_flagged():
    progress = pd.DataFrame(
        {"task_id": ["X1"], "progress": ["既有居民用户1000户，已安装250户，安装率30%。"]}
    )
    (row,) = check_stated_ratios(progress)
    assert row["severity"] == "警告"
    assert "25.00%，与所述30.0%不一致" in row["finding"]


def test_body_omission_of_an_indicator_is_found(analysis):
    rows = analysis.checks[analysis.checks["item"] == "不达预期指标列举"]
    assert rows.iloc[0]["severity"] == "错误"
    assert "正文称7项不达预期，但只列举6项，漏列：固定资产投资" in rows.iloc[0]["finding"]


def test_stated_counts_match_rows(analysis):
    ok = analysis.checks[analysis.checks["check"] == "正文数字核对"]
    assert "正文称131项，与数据一致（131项）" in set(ok["finding"])


def test_earlier_period_figures_are_noted(analysis):
    rows = analysis.checks[analysis.checks["check"] == "数据期间早于报告期"]
    assert {"进出口总额", "全体居民人均可支配收入"} <= set(rows["item"])


def test_body_names_every_indicator_with_its_figure(analysis):
    text = build_body(analysis).text()
    assert "①1项指标符合预期，进出口总额增长7.59%（1-8月）" in text
    assert "②7项指标不达预期，分别是：" in text
    for phrase in [
        "地区生产总值增长2.6%",
        "固定资产投资增长2.9%",
        "工业增加值增长3%",
        "社会消费品零售总额增长0.1%",
        "一般公共预算收入增长-6.8%",
        "区级税收增长-29.16%",
        "全体居民人均可支配收入增长2.8%（1-6月）",
    ]:
        assert phrase in text
    assert "③2项指标符合时间节点要求" in text


def _lagging_items(body):
    return [p for p in body.paragraphs() if re.match(r"^\d+\.", p)]


def test_body_states_tasks_and_names_each_lagging_one_with_its_unit(analysis):
    body = build_body(analysis)
    text = body.text()
    assert (
        "131项重点工作任务中，122项任务正常推进（详见附件3），9项任务推进较为滞后（详见附件2）"
        in text
    )
    lagging = analysis.tasks[analysis.tasks["reported_status"] == "推进较为滞后"]
    items = _lagging_items(body)
    assert len(items) == len(lagging)
    for i, (t, line) in enumerate(zip(lagging.itertuples(), items, strict=True), start=1):
        unit = "、".join(t.lead_units.split(";"))
        assert line.startswith(f"{i}.") and line.endswith(f"（责任单位：{unit}）")


def test_body_gives_the_lagging_part_the_figure_and_a_plain_judgement(analysis):
    items = _lagging_items(build_body(analysis))
    # 违法建筑: the lagging part only, units in the sentence, a judgement by the situation.
    assert items[3].startswith("4.拆除150万平方米违法建筑。")
    assert "拆除违法建筑56万平方米" in items[3] and "任务量仍未过半" in items[3]
    # 音乐小镇: the cause the unit states, not the parts already on track (夜间经济).
    assert "因企业自身原因暂缓推进" in items[0] and "夜间经济" not in items[0]
    # 派出所: the lagging part only (全民反诈 is on track), with what it waits on.
    assert items[8].startswith("9.新建2个标准化派出所。") and "全民反诈" not in items[8]
    assert "待上市规委会通过后" in items[8]
    assert "与全年目标有较大差距" in items[4]  # 1972 of 10万 m²


def test_body_repeats_no_sentence_pattern_down_the_list(analysis):
    items = _lagging_items(build_body(analysis))
    shapes = [
        re.sub(r"[\d.%]+", "N", re.sub(r"（责任单位.*", "", p.split("。", 1)[1])) for p in items
    ]
    openings = [s[:6] for s in shapes]
    assert len(set(openings)) >= 3
    assert len(set(shapes)) == len(shapes)


def test_letter_carries_no_machine_notes_and_memo_does_not_contradict(analysis):
    letter = build_body(analysis).text()
    for note in ("正文由数据生成", "错误1项", "警告", "建议核实", "测算", "进展情况称"):
        assert note not in letter
    memo = build_memo(analysis).text()
    assert "不改变已报送的推进状态" in memo
    assert "近期无进展" in memo and "暂缓实施" in memo  # T017, T071 filed 正常推进
    assert "122" not in memo and "推进较为滞后的" not in memo


def test_body_title_and_salutation_as_the_office_writes(analysis):
    body = build_body(analysis)
    assert body.title == [
        "重庆市沙坪坝区人民政府督查办",
        "关于2022年区政府工作报告重点任务",
        "前三季度推进情况的报告",
    ]
    assert body.salutation == "区政府："


def test_unit_text_cannot_inject_markup(analysis):
    import copy

    a = copy.copy(analysis)
    a.tasks = analysis.tasks.copy()
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">[点我](javascript:alert(3)){{ 7*7 }}'
    first_lagging = a.tasks.index[a.tasks["reported_status"] == "推进较为滞后"][0]
    a.tasks.loc[first_lagging, "task"] = evil
    a.tasks.loc[first_lagging, "evidence"] = evil
    page = to_html(build_body(a))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page  # shown as written, never evaluated


def test_not_started_is_not_said_of_a_task_whose_figures_show_work_done():
    from types import SimpleNamespace

    import pandas as pd

    from helpers.present.narrative import _judgement

    t = SimpleNamespace(slip_kinds="not_started", evidence="已完成管网铺设12公里，部分标段未开工")
    done = pd.DataFrame(
        {"actual": [12.0], "ratio": [0.3], "gap_pp": [-45.0], "kind": ["cumulative"]}
    )
    assert "尚未启动" not in _judgement(t, done)
    assert "未过半" in _judgement(t, done)
    nothing = done.assign(actual=[0.0], ratio=[0.0], gap_pp=[-75.0])
    assert _judgement(t, nothing).startswith("尚未启动")
