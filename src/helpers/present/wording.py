"""Every sentence and phrase the report, the internal memo and the Word document show.

An office restyles its report here and nowhere else: the computing modules return numbers,
status words and evidence (clauses, causes, sub-tasks); this module turns them into the office's
sentences. ``helpers.present.narrative`` only decides which facts go where.
"""

from __future__ import annotations

import re

from helpers.core.fmt import fmt_pct, fmt_pp, fmt_value, is_missing
from helpers.core.vocab import FigureSource, Period, SubtargetStatus, months_label

PERIOD_NAME = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# ---------------------------------------------------------------- sub-targets (tables, annex)


def annex_figure(s) -> str:
    """A sub-target in the annex's 完成率 column: a cumulative target's 完成率; a growth or level
    target's figure said as what it is (``增加值增长-3.5%（目标8%）``), never as if a 完成率."""
    if s.kind == "cumulative":
        return f"{s.metric} {fmt_pct(s.ratio)}"
    if is_missing(s.actual):
        return f"{s.metric} —"
    verb = "增长" if s.kind == "growth" else "达"
    return f"{s.metric}{verb}{fmt_value(s.actual, s.unit)}（目标{fmt_value(s.target, s.unit)}）"


#: Where a sub-target's figures came from (the 来源 column beside the 原文).
FIGURE_SOURCE = {
    FigureSource.EXTRACTED: "文本读取",
    FigureSource.RETURNED: "单位填报",
    FigureSource.CURATED: "人工核定",
}


def figure_source(source: str, returned_file: str = "") -> str:
    """The 来源 cell: ``文本读取``, ``人工核定``, or ``单位填报（青溪县住建局.xlsx）`` naming the
    workbook the unit typed the figure into."""
    word = FIGURE_SOURCE[FigureSource(source)]
    if source == FigureSource.RETURNED and not is_missing(returned_file) and returned_file:
        return f"{word}（{returned_file}）"
    return word


def subtarget_phrase(r) -> str:
    """A sub-target's figures as one phrase (``1-9月完成56万平方米，完成年度目标的37.3%…``).

    ``r`` has ``kind``, ``direction``, ``actual``, ``actual_period``, ``unit``, ``target``,
    ``ratio``, ``gap_pp`` and ``status`` (a row of ``Analysis.subtargets``).
    """
    if is_missing(r.actual) and r.kind == "cumulative" and not is_missing(r.ratio):
        # No figure read, but the text states its own 完成率 (完成年度任务的52%).
        return f"文中所述完成率{fmt_pct(r.ratio)}（未读出完成值）"
    if is_missing(r.actual) or is_missing(r.target):
        return "未报送可量化的完成值"
    if r.kind == "cumulative":
        if r.target <= 0:
            return "年度目标为零或负数，完成率无意义"
        ratio, gap = r.actual / r.target, r.gap_pp
        done = f"{r.actual_period}完成{fmt_value(r.actual, r.unit)}"
        if r.direction == "lower":
            where = "低于" if gap <= 0 else "高于"
            return f"{done}，占全年控制指标的{fmt_pct(ratio)}，{where}序时进度{fmt_pp(gap)}"
        if r.status == SubtargetStatus.DONE:
            return f"{done}，已完成年度目标（{fmt_pct(ratio)}）"
        if round(gap, 1) == 0:
            return f"{done}，完成年度目标的{fmt_pct(ratio)}，与序时进度持平"
        where = "高于" if gap > 0 else "低于"
        return f"{done}，完成年度目标的{fmt_pct(ratio)}，{where}序时进度{fmt_pp(gap)}"
    verb = "增长" if r.kind == "growth" else "达"
    now = f"{r.actual_period}{verb}{fmt_value(r.actual, r.unit)}"
    gap = r.gap_pp
    if round(gap, 2) == 0:
        return f"{now}，与年度目标持平"
    where = "高于" if gap > 0 else "低于"
    return f"{now}，{where}年度目标（{fmt_value(r.target, r.unit)}）{fmt_pp(gap)}"


#: The year-end projection's verdict on a sub-target (``history.project_year_end``'s outlook):
#: a finished one is said to be finished, never to be heading past its target.
OUTLOOK = {"done": "已完成", "miss": "可能完不成", "make": "按进度可以完成"}


def projection_phrase(
    projected: float, projected_recent: float | None, finished: bool = False
) -> str:
    """``按当前进度预计全年完成49.8%（按最近一季进度61.3%）``; a finished sub-target is
    ``已完成年度目标（105.6%），不再按进度外推``."""
    if finished:
        return f"已完成年度目标（{fmt_pct(projected)}），不再按进度外推"
    text = f"按当前进度预计全年完成{fmt_pct(projected)}"
    if projected_recent is not None and not is_missing(projected_recent):
        text += f"（按最近一季进度{fmt_pct(projected_recent)}）"
    return text


#: The line shown instead of a chart by section for a register whose tasks have no 工作板块.
NO_SECTIONS_CHART = "台账未分工作板块，不按工作板块作图。"
NO_GROUPING_CHART = "台账未填{name}，不按{name}作图。"


# ------------------------------------------------------------------------------ the letter


def title(year: int, quarter: int, issuer: str, subject: str) -> list[str]:
    """``subject``: the settings' ``title_subject`` (e.g. the work report's key tasks, or 民生实事)."""
    return [issuer, f"关于{year}年{subject}", f"{PERIOD_NAME[quarter]}推进情况的报告"]


def opening(year: int, quarter: int, office: str, recipient: str, subject: str) -> str:
    """``subject``: the settings' ``body_subject`` (the subject as the opening sentence names it)."""
    return (
        f"根据{recipient}工作安排，{office}对{year}年{subject}"
        f"{PERIOD_NAME[quarter]}推进情况进行跟踪督办，有关情况报告如下。"
    )


def indicator_phrase(r, months: int) -> str:
    """``地区生产总值增长2.6%`` (with its own period when older than the report's)."""
    if r.kind == "qualitative" or is_missing(r.actual):
        return r.indicator
    verb = "增长" if r.kind == "growth" else "达"
    when = f"（{r.period}）" if r.period and r.period != months_label(months) else ""
    return f"{r.indicator}{verb}{fmt_value(r.actual, r.unit)}{when}"


def indicator_heading(n: int) -> str:
    return f"一、{f'{n}项' if n else ''}经济社会发展预期目标情况"


def indicator_paragraph(period: Period, met, missed, scheduled, nodata) -> str:
    """The indicators' paragraph: each argument a list of phrases."""
    clauses = []
    groups = [
        (met, "项指标符合预期，", "，"),
        (missed, "项指标不达预期，分别是：", "，"),
        (scheduled, "项指标符合时间节点要求，预计能够完成年度目标任务，分别是：", "和"),
        (nodata, "项指标暂无数据，分别是：", "、"),
    ]
    for items, words, sep in groups:
        if items:
            tail = "任务" if items is scheduled else ""
            clauses.append(f"{CIRCLED[len(clauses)]}{len(items)}{words}{sep.join(items)}{tail}")
    # A figure for an earlier period carries it in brackets beside it (``indicator_phrase``);
    # each period is stated once.
    return f"{period.label}，" + "；".join(clauses) + "（详见附件1）。"


def task_heading(n: int, noun: str, k: int = 1) -> str:
    """``noun``: the settings' ``task_noun`` (重点工作任务, 民生实事项目 …); ``k`` its place."""
    return f"{'一二三'[k]}、{n}项{noun}进展情况"


def task_summary(
    n: int,
    normal: int,
    lagging: int,
    not_reported: int,
    annex: dict,
    noun: str = "重点工作任务",
    unjudged: int = 0,
) -> str:
    """``131项重点工作任务中，122项任务正常推进（详见附件3），9项…``; ``annex`` numbers the
    annexes the letter refers to (a table the report does not contain is never cited)."""

    # Counting the items: 122项任务 for 重点工作任务, 10个项目 for 民生实事项目.
    def count(k: int) -> str:
        return f"{k}个项目" if noun.endswith("项目") else f"{k}项任务"

    parts = []
    if normal or not unjudged:
        parts.append(
            f"{count(normal)}正常推进"
            + (f"（详见附件{annex['normal']}）" if "normal" in annex else "")
        )
    if lagging:
        parts.append(
            f"{count(lagging)}推进较为滞后"
            + (f"（详见附件{annex['lagging']}）" if "lagging" in annex else "")
        )
    if unjudged:
        parts.append(
            f"{count(unjudged)}督查办尚未认定推进状态"
            + (f"（详见附件{annex['unjudged']}）" if "unjudged" in annex else "")
        )
    if not_reported:
        parts.append(f"{count(not_reported)}未报送进展情况")
    text = f"{n}项{noun}中，" + "，".join(parts) + "。"
    if lagging:
        text += f"推进较为滞后的{count(lagging)}分别是："
    return text


#: Plain judgements, chosen by the situation (the kind of slippage read in the text).
KIND_JUDGEMENT = {
    "not_started": "尚未启动，进度滞后",
    "paused": "暂缓推进",
    "deferred": "部分内容调整至下一年度实施",
    "cancelled": "部分内容已取消",
    "failed": "审批未通过，按原计划推进难度较大",
    "restarted": "须重新招标或招商，按原计划推进难度较大",
    "adjusted": "目标任务已作调整，未按原计划推进",
    "stalled": "进展缓慢",
    "at_risk": "完成全年目标难度较大",
    "waiting": "须待审批或前置工作完成后推进，完成时间尚不确定",
    "drafting": "方案仍在编制完善，尚未进入实施阶段",
    "planned": "尚未开工实施，进度较为滞后",
    "preparatory": "仍处于前期阶段，进度较为滞后",
}


def figure_judgement(ratio: float | None, kind: str, gap_pp: float | None) -> str:
    """A plain judgement of a lagging figure: 任务量仍未过半 / 与全年目标有较大差距 …"""
    if kind != "cumulative" or ratio is None:
        return "与全年目标有较大差距"
    if ratio < 0.3:
        return "与全年目标有较大差距"
    if ratio < 0.5:
        return "任务量仍未过半，进度较为滞后"
    return f"低于序时进度{fmt_pp(gap_pp)}，进度较为滞后"


def _verb(s) -> str:
    """The verb of a sub-target's clause in the task (拆除, 新建), unless the metric holds it."""
    target = str(s.target_text or "")
    clauses = [c for c in re.split(r"[，；。,;]", str(getattr(s, "task", "") or "")) if target in c]
    head = (clauses[0] if clauses else target)[:2]
    if len(head) < 2 or re.search(r"[\d\W_]", head) or str(s.metric).startswith(head):
        return ""
    return head


def figure_sentence(s, k: int, period: Period) -> str:
    """What a lagging figure says, units in the sentence: ``拆除违法建筑56万平方米，仅完成年度
    目标的37.3%``. The report's period is stated once, in the letter's opening; a figure for an
    earlier period says so. ``k`` (the place in the list) varies the wording down the list.
    """
    opener = f"{s.actual_period}，" if s.actual_period and s.actual_period != period.label else ""
    if is_missing(s.actual):
        return f"{opener}{s.metric}尚无可量化的完成值"
    verb = _verb(s)
    value = fmt_value(s.actual, s.unit)
    if s.kind == "cumulative" and float(s.actual) == 0:
        return f"{opener}{s.metric}尚未{'建成' if '建' in verb else '完成'}"
    if s.kind == "cumulative" and not is_missing(s.ratio):
        pct = fmt_pct(s.ratio)
        shapes = (
            f"{verb}{s.metric}{value}，仅完成年度目标的{pct}",
            f"目前{'已' if verb else ''}{verb}{s.metric}{value}，占全年目标的{pct}",
            f"{verb}{s.metric}{value}，完成率为{pct}",
        )
        return opener + shapes[k % len(shapes)]
    verb = "增长" if s.kind == "growth" else "为"
    return f"{opener}{s.metric}{verb}{value}，全年目标{fmt_value(s.target, s.unit)}"


#: Kinds whose own words already say the task lags: the judgement then only adds 进度滞后.
SELF_STATED = {"not_started", "paused", "stalled", "failed", "cancelled", "deferred"}


def lagging_item(i: int, part: str, sentences: list[str], judgement: str, units: str) -> str:
    """One lagging task in the letter: the lagging part, the evidence, the judgement, owners."""
    body = "；".join(x.rstrip("。；，") for x in sentences if x)
    text = f"{i}.{part.rstrip('。；，')}。"
    if body:
        text += f"{body}，{judgement}。"
    else:
        text += f"{judgement}。"
    return text + (f"（责任单位：{units}）" if units else "")


def cause_clause(cause: str) -> str:
    return cause.rstrip("，。")


def issues_heading(k: int) -> str:
    """``k``: the section's place in the letter (0 for 一): after the tasks, 三 or 二.

    >>> issues_heading(2), issues_heading(1)
    ('三、存在问题和下一步打算', '二、存在问题和下一步打算')
    """
    return f"{'一二三四五六'[k]}、存在问题和下一步打算"


def issues_item(unit: str, issues: str, next_steps: str) -> str:
    parts = []
    if issues:
        parts.append(f"存在问题：{issues.rstrip('。')}")
    if next_steps:
        parts.append(f"下一步打算：{next_steps.rstrip('。')}")
    return f"{unit}。" + "。".join(parts) + "。"


def annex_title(key: str, n: int, period: Period, noun: str = "重点工作任务") -> str:
    """The title of one annex table: ``key`` is indicators, lagging, normal or unjudged."""
    return {
        "indicators": f"经济社会发展预期目标任务{period.label}进展情况表",
        "lagging": f"推进较为滞后的{n}项{noun}{period.label}进展情况表",
        "normal": f"正常推进的{n}项{noun}{period.label}进展情况表",
        "unjudged": f"督查办尚未认定的{n}项{noun}{period.label}进展情况表",
    }[key]


def annex_titles(annexes: dict[str, int], period: Period, noun: str = "重点工作任务") -> list[str]:
    """``1.经济社会发展预期目标任务1-9月进展情况表`` … for the annexes the report contains, in order."""
    return [
        f"{k}.{annex_title(key, n, period, noun)}"
        for k, (key, n) in enumerate(annexes.items(), start=1)
    ]


def method_note(period: Period) -> str:
    """The footer: how the figures were computed (never in the letter itself)."""
    return (
        f"说明：累计类目标完成率＝完成值÷年度目标，与序时进度（{period.label}为"
        f"{fmt_pct(period.expected_share)}）比较；增长类、比重类目标与年度目标直接比较。"
        "进展文字中的滞后表述按所在分项和分句识别，已完成的环节不计为滞后。"
    )


# -------------------------------------------------------------------- the internal memo

MEMO_TITLE = "内部参考（不随报告报送）"


def memo_intro(office: str, period: Period) -> str:
    return (
        f"本页供{office}内部研究，不改变已报送的推进状态。以下为{period.label}进展情况中"
        "需跟踪核实的事项。"
    )


def memo_heading(k: int, what: str) -> str:
    return f"{'一二三四五六'[k]}、{what}"


def no_indicators() -> str:
    return "本期台账未列经济社会发展预期目标（附件1为空表）。"


def memo_lacking(items: list[str]) -> str:
    return f"本期台账和进展数据未提供{'、'.join(items)}，报告中相应内容从略（详见数据核查表）。"


MEMO_SECTIONS = {
    "lacking": "台账缺少的内容",
    "possible": "进展情况显示可能滞后、建议跟踪核实的任务",
    "partial": "主体任务正常推进、个别事项进展较慢的任务",
    "unsupported": "报为推进较为滞后、进展材料未说明滞后情况的任务",
    "missing": "未报送进展情况的任务",
    "checks": "数据核查",
}


def memo_item(
    i: int, task_id: str, part: str, said: str, figures: str, cause: str, judgement: str, units: str
) -> str:
    """One task in the memo: the unit's own words in quotes, or the figures, and a judgement."""
    text = f"{i}.{part.rstrip('。；，')}（{task_id}）。"
    if said:
        text += f"进展情况称“{said.rstrip('。；')}”"
        text += f"，原因为{cause}" if cause and cause not in said else ""
        text += f"，{judgement}。"
    elif figures:
        text += f"{figures.rstrip('。；')}，{judgement}。"
    else:
        text += f"{judgement}。"
    return text + (f"（责任单位：{units}）" if units else "")


def partial_judgement(judgement: str) -> str:
    """For a secondary part slipping: the same words without calling the task 滞后."""
    return re.sub(r"，?进度(?:较为)?滞后$", "", judgement) or "进展较慢"


def memo_unsupported(task_ids: list[str]) -> str:
    return f"{'、'.join(task_ids)}，建议责任单位补充说明滞后的具体环节和原因。"


def memo_missing(by_unit: dict[str, list[str]], from_ledger: list[str] = ()) -> str:
    """Whom to ask: each lead unit with the tasks it has not returned; ``from_ledger`` are those
    the report still shows with the office's own ledger text.

    >>> memo_missing({"区教委": ["T012", "T045"], "区卫生健康委": ["T020"]})
    '区教委2项（T012、T045），区卫生健康委1项（T020），共3项，按未报送列示，不计为零。'
    >>> memo_missing({"县教育局": ["T002"], "县民政局": ["T003"]}, ["T003"])
    '县教育局1项（T002），县民政局1项（T003），共2项；其中T003报告沿用督查办台账中的进展情况，其余按未报送列示，不计为零。'
    """
    parts = [f"{unit}{len(ids)}项（{'、'.join(ids)}）" for unit, ids in by_unit.items()]
    total = len({i for ids in by_unit.values() for i in ids})
    head = f"{'，'.join(parts)}，共{total}项"
    ledger = "报告沿用督查办台账中的进展情况"
    if not from_ledger:
        return f"{head}，按未报送列示，不计为零。"
    if len(set(from_ledger)) == total:
        return f"{head}，{ledger}。"
    return f"{head}；其中{'、'.join(from_ledger)}{ledger}，其余按未报送列示，不计为零。"


def memo_checks(errors: int, warnings: int) -> str:
    return f"数据核查发现错误{errors}项、警告{warnings}项，详见数据核查表。"


def split_units(lead_units: str) -> str:
    return "、".join(u for u in str(lead_units or "").split(";") if u)


def drop_heading(sentence: str) -> str:
    """Drop an item heading that restates the task (``建设…音乐小镇：佛罗伦萨…``)."""
    head, sep, rest = sentence.partition("：")
    return rest if sep and rest and len(head) > 4 and not re.search(r"[。；]", head) else sentence
