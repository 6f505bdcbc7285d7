"""The report's body in the office's own style, generated from the computed tables.

Every figure in a sentence comes from the data; nothing is typed by hand. The text is plain; it
is escaped when turned into HTML (``to_html``), so a unit's words can never become markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from helpers.compute.classify import slippage_words
from helpers.compute.engine import Analysis
from helpers.core.fmt import fmt_value, is_missing

PERIOD_NAME = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
CN_NUM = "一二三四五六七八九十"


@dataclass
class Body:
    """The report: a title, the salutation, and numbered sections of paragraphs."""

    title: list[str]
    salutation: str
    opening: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    annex_list: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[str]:
        """All the text, in order, one paragraph per item."""
        out = [*self.title, self.salutation, self.opening]
        for heading, paras in self.sections:
            out.append(heading)
            out.extend(paras)
        if self.annex_list:
            out.append("附件：" + "\n".join(self.annex_list))
        return out

    def text(self) -> str:
        """The body as plain text."""
        return "\n".join(self.paragraphs())


def _indicator_phrase(r, months: int) -> str:
    if r.kind == "qualitative" or is_missing(r.actual):
        return r.indicator
    verb = "增长" if r.kind == "growth" else "达"
    when = f"（{r.period}）" if r.period and r.period != f"1-{months}月" else ""
    return f"{r.indicator}{verb}{fmt_value(r.actual, r.unit)}{when}"


def _names(items: list[str]) -> str:
    return "，".join(items)


def _drop_heading(sentence: str) -> str:
    """Drop an item heading that restates the task (``建设…音乐小镇：佛罗伦萨…``)."""
    head, sep, rest = sentence.partition("：")
    return rest if sep and rest and len(head) > 4 and not re.search(r"[。；]", head) else sentence


def _why(analysis: Analysis, task_id: str) -> str:
    """One or two sentences on why a task lags: its lagging figures, then its own words."""
    t = analysis.tasks.set_index("task_id").loc[task_id]
    subs = analysis.subtargets[analysis.subtargets["task_id"] == task_id]
    lagging = set(analysis.settings["thresholds"]["lagging_statuses"]) | {"慢序时"}
    parts = [
        f"{s.metric}{s.phrase}" if not s.phrase.startswith(s.metric) else s.phrase
        for s in subs.itertuples()
        if s.status in lagging
    ]
    parts = [re.sub(r"^(.+?)(\d+-\d+月)", r"\2，\1", p, count=1) for p in parts]
    words = slippage_words(t["progress"] or "", analysis.settings)
    if words:
        sentences = re.split(r"(?<=[。；])|\n", t["progress"])
        hits = [
            _drop_heading(s.strip().lstrip("①②③④⑤⑥⑦⑧⑨").strip())
            for s in sentences
            if any(w in s for w in words)
        ]
        parts.extend(h.rstrip("。；") for h in hits[:2])
    if not parts:
        early = [w for w in analysis.settings["words"]["early_stage"] if w in (t["progress"] or "")]
        if early:
            parts.append(f"进展情况显示仍处于{early[0]}阶段")
        else:
            parts.append("督查办认定推进较为滞后，数据和进展文字未显示具体滞后原因，请核实")
    return "；".join(parts) + "。"


def build_body(analysis: Analysis, office: str = "", recipient: str = "", issuer: str = "") -> Body:
    """Write the report's body from the analysis, as the office writes it by hand.

    Parameters
    ----------
    analysis : Analysis
        From ``helpers.compute.engine.analyse``.
    office, recipient, issuer : str
        The office's name as it signs (区政府督查办), who the report goes to (区政府), and the
        full name on the title line; default: the ``[report]`` settings.

    Returns
    -------
    Body
    """
    st = analysis.settings["status"]
    names = analysis.settings.get("report", {})
    office = office or names.get("office", "督查办")
    recipient = recipient or names.get("recipient", "区政府")
    issuer = issuer or names.get("issuer", office)
    months = analysis.report_months
    period_name = PERIOD_NAME[analysis.quarter]
    ind = analysis.indicators
    met = ind[ind["status"] == st["indicator_met"]]
    missed = ind[ind["status"] == st["indicator_missed"]]
    sched = ind[ind["status"] == st["indicator_on_schedule"]]
    nodata = ind[ind["status"] == st["indicator_no_data"]]
    clauses = []
    k = 0
    circled = "①②③④⑤⑥"
    if len(met):
        clauses.append(
            f"{circled[k]}{len(met)}项指标符合预期，"
            f"{_names([_indicator_phrase(r, months) for r in met.itertuples()])}"
        )
        k += 1
    if len(missed):
        clauses.append(
            f"{circled[k]}{len(missed)}项指标不达预期，分别是："
            f"{_names([_indicator_phrase(r, months) for r in missed.itertuples()])}"
        )
        k += 1
    if len(sched):
        clauses.append(
            f"{circled[k]}{len(sched)}项指标符合时间节点要求，预计能够完成年度目标任务，"
            f"分别是：{'和'.join(sched['indicator'])}任务"
        )
        k += 1
    if len(nodata):
        clauses.append(
            f"{circled[k]}{len(nodata)}项指标暂无数据，分别是：{'、'.join(nodata['indicator'])}"
        )
    ind_para = f"1-{months}月，" + "；".join(clauses) + "（详见附件1）。"
    if ind["earlier_period"].any():
        lagged = [f"{r.indicator}为{r.period}数据" for r in ind.itertuples() if r.earlier_period]
        ind_para += f"其中，{'，'.join(lagged)}。"

    tasks = analysis.tasks
    n = len(tasks)
    normal = tasks[tasks["reported_status"] == st["task_normal"]]
    lag = tasks[tasks["reported_status"] == st["task_lagging"]]
    missing = tasks[tasks["reported_status"] == st["not_reported"]]
    task_para = f"{n}项重点工作任务中，{len(normal)}项任务正常推进（详见附件3），{len(lag)}项任务推进较为滞后（详见附件2）"
    if len(missing):
        task_para += f"，{len(missing)}项任务未报送进展情况"
    unjudged = tasks[tasks["reported_status"] == st.get("not_assessed", "未认定")]
    if len(unjudged):
        task_para += f"，{len(unjudged)}项任务督查办尚未认定推进状态"
    task_para += "。"
    paras = [task_para]
    if len(lag):
        paras[0] += f"推进较为滞后的{len(lag)}项任务分别是："
        for i, t in enumerate(lag.itertuples(), start=1):
            unit = "、".join(u for u in t.lead_units.split(";") if u)
            paras.append(
                f"{i}.{t.task.rstrip('。')}。{_why(analysis, t.task_id)}（责任单位：{unit}）"
            )

    sections = [
        (f"一、{len(ind)}项经济社会发展预期目标情况", [ind_para]),
        (f"二、{n}项重点工作任务进展情况", paras),
    ]
    dis = analysis.disagreements
    attention = []
    if len(dis):
        filed_normal = dis[dis["reported_status"] == st["task_normal"]]
        filed_lag = dis[dis["reported_status"] == st["task_lagging"]]
        if len(filed_normal):
            attention.append(
                f"经数据测算，{len(filed_normal)}项报为正常推进的任务，其数据或进展文字显示可能滞后，建议核实："
            )
            for i, r in enumerate(filed_normal.itertuples(), start=1):
                unit = "、".join(u for u in r.lead_units.split(";") if u)
                attention.append(f"{i}.{r.task.rstrip('。')}。{r.reasons}。（责任单位：{unit}）")
        if len(filed_lag):
            attention.append(
                f"另有{len(filed_lag)}项报为推进较为滞后的任务，数据和进展文字未显示滞后原因："
                f"{'、'.join(filed_lag['task_id'])}，建议责任单位补充说明。"
            )
    if len(missing):
        attention.append(
            f"{len(missing)}项任务未报送进展情况（按未报送列示，不计为零）："
            f"{'、'.join(missing['task_id'])}。"
        )
    errors = analysis.checks[analysis.checks["severity"].isin(["错误", "警告"])]
    if len(errors):
        attention.append(
            f"数据核查发现{len(errors)}项需关注的问题（错误{int((errors['severity'] == '错误').sum())}项、"
            f"警告{int((errors['severity'] == '警告').sum())}项），详见数据核查表。"
        )
    if attention:
        sections.append(("三、需关注的事项", attention))
    first_line = issuer or office
    return Body(
        title=[
            first_line,
            f"关于{analysis.year}年区政府工作报告重点任务",
            f"{period_name}推进情况的报告",
        ],
        salutation=f"{recipient}：",
        opening=(
            f"根据{recipient}工作安排，{office}对{analysis.year}年区政府工作报告重点工作任务"
            f"{period_name}推进情况进行跟踪督办，有关情况报告如下。"
        ),
        sections=sections,
        annex_list=[
            f"1.经济社会发展预期目标任务1-{months}月进展情况表",
            f"2.推进较为滞后的{len(lag)}项重点工作任务1-{months}月进展情况表",
            f"3.正常推进的{len(normal)}项重点工作任务1-{months}月进展情况表",
        ],
    )


def to_html(body: Body) -> str:
    """Render the body as HTML. Every piece of text is escaped."""
    e = html.escape
    parts = ['<div class="wr-report">']
    parts.append('<div class="wr-title">' + "<br>".join(e(x) for x in body.title) + "</div>")
    parts.append(f'<p class="wr-salutation">{e(body.salutation)}</p>')
    parts.append(f'<p class="wr-para">{e(body.opening)}</p>')
    for heading, paras in body.sections:
        parts.append(f'<h3 class="wr-heading">{e(heading)}</h3>')
        parts.extend(f'<p class="wr-para">{e(p)}</p>' for p in paras)
    if body.annex_list:
        parts.append(
            '<p class="wr-annex">附件：' + "<br>".join(e(a) for a in body.annex_list) + "</p>"
        )
    parts.append("</div>")
    return "\n".join(parts)


REPORT_CSS = """
<style>
.wr-report, .wr-report p, .wr-report h3 { font-family: "Microsoft YaHei", "PingFang SC",
  "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
.wr-report { max-width: 48em; line-height: 1.9; font-size: 16px; }
.wr-title { text-align: center; font-size: 22px; font-weight: bold; margin: 1em 0; }
.wr-para { text-indent: 2em; margin: 0.3em 0; }
.wr-heading { font-size: 17px; margin: 1em 0 0.3em 0; }
.wr-annex { margin-top: 1.2em; }
</style>
"""
