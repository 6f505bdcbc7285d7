"""The report's body in the office's own style, generated from the computed tables.

Every figure in a sentence comes from the data; nothing is typed by hand. The text is plain; it
is escaped when turned into HTML (``to_html``), so a unit's words can never become markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.compute.engine import Analysis
from helpers.core.fmt import is_missing
from helpers.core.returns import ledger_only_ids
from helpers.core.vocab import IndicatorStatus, Period, Slippage, SubtargetStatus, TaskStatus
from helpers.present import wording
from helpers.read.loading import COLUMN_NAMES, MISSING_FILE


@dataclass
class Body:
    """The report: a title, the salutation, and numbered sections of paragraphs."""

    title: list[str]
    salutation: str
    opening: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    annex_list: list[str] = field(default_factory=list)
    footer: str = ""
    #: The annex tables the letter cites, in order: indicators, lagging, normal, unjudged → rows.
    annexes: dict[str, int] = field(default_factory=dict)

    def paragraphs(self) -> list[str]:
        """All the text of the letter, in order, one paragraph per item (not the footer)."""
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


@dataclass
class Memo:
    """The internal memo (内部参考): what the office checks, never sent with the letter."""

    title: str
    intro: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)

    def text(self) -> str:
        out = [self.title, self.intro]
        for heading, paras in self.sections:
            out.append(heading)
            out.extend(paras)
        return "\n".join(out)


def _lagging_subs(analysis: Analysis, t) -> pd.DataFrame:
    subs = analysis.subtargets[analysis.subtargets["task_id"] == t.task_id]
    names = [m for m in str(t.lagging_metrics or "").split(";") if m]
    if names:
        return subs[subs["metric"].isin(names)]
    lagging = set(analysis.settings.thresholds.lagging_statuses) | {SubtargetStatus.BEHIND}
    return subs[subs["status"].isin(lagging)]


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _lagging_part(t, subs: pd.DataFrame) -> str:
    """The part of the task that lags: the sub-task's heading, the lagging sub-target's own
    words, or the task's clause closest to the evidence; the whole task when none is closer."""
    headings = _headings(t)
    if headings and t.evidence and not t.lagging_metrics:
        return "；".join(headings)
    parts = [str(x) for x in subs["target_text"] if x] if len(subs) else []
    clauses = [c for c in re.split(r"[，；。]", str(t.task)) if c.strip()]
    if t.evidence and len(clauses) > 1:
        ev = _bigrams(str(t.evidence))
        scored = [(len(_bigrams(c) & ev), c) for c in clauses]
        best = max(scored)[0]
        if best >= 2:
            parts = [c for n, c in scored if n == best] + [p for p in parts if p not in str(t.task)]
            parts += [x for x in subs["target_text"] if x and x not in parts]
    if not parts:
        return str(t.task)
    # Keep the task's own clause where it holds the sub-target (建成…等15个项目).
    out = []
    for p in parts:
        clause = next((c for c in clauses if p in c), p)
        if p != clause and "、" in clause and re.match(r"^\d", p):
            # 新建3个社区体育公园、30个社区健身点 -> 新建30个社区健身点 (only the lagging part).
            clause = clause[:2] + p
        if clause not in out:
            out.append(clause)
    return "，".join(out)


def _headings(t) -> list[str]:
    names = [re.sub(r"^[①-⑳]|^[一二三四五六七八九十]是", "", h) for h in str(t.subtask).split("；")]
    return [h for h in names if len(h) > 1]


def _judgement(t, subs: pd.DataFrame, letter: bool = False) -> str:
    kinds = [k for k in str(t.slip_kinds or "").split(";") if k]
    # "Not started" is not said of a task whose figures show work done (12 of 40 公里 with
    # 部分标段未开工): the figures judge it.
    done = len(subs) and bool((pd.to_numeric(subs["actual"], errors="coerce") > 0).any())
    if kinds and t.evidence and not (kinds[0] == "not_started" and done):
        if letter and kinds[0] in wording.SELF_STATED:
            return "进度滞后"
        return wording.KIND_JUDGEMENT.get(kinds[0], "进度较为滞后")
    if len(subs):
        worst = subs.sort_values("gap_pp").iloc[0]
        ratio = None if is_missing(worst["ratio"]) else float(worst["ratio"])
        gap = None if is_missing(worst["gap_pp"]) else float(worst["gap_pp"])
        return wording.figure_judgement(ratio, worst["kind"], gap)
    return "进度较为滞后"


def _evidence_sentences(t, subs: pd.DataFrame, k: int, period: Period) -> list[str]:
    out = [wording.figure_sentence(s, k + n, period) for n, s in enumerate(subs.itertuples())]
    sentences = [wording.drop_heading(x) for x in str(t.evidence or "").split("；") if x]
    headings = _headings(t)
    if sentences and headings and len(subs):
        sentences[0] = f"{'、'.join(headings)}{sentences[0]}"
    out.extend(sentences[:2])
    if t.cause and not any(c in "".join(out) for c in str(t.cause).split("；")):
        out.append(wording.cause_clause(str(t.cause)))
    return out


def build_body(analysis: Analysis, office: str = "", recipient: str = "", issuer: str = "") -> Body:
    """Write the report's body from the analysis, as the office writes it by hand.

    The letter follows the office's filing (its counts are the filed ones); for each task filed
    as lagging it gives the lagging part only, what was done, the unit's own words, the cause
    and a plain judgement. How it was computed goes to the footer; where the pack's reading
    differs from the filing goes to the internal memo (:func:`build_memo`).

    Parameters
    ----------
    analysis : Analysis
        From ``helpers.compute.engine.analyse``.
    office, recipient, issuer : str
        The office's name as it signs, who the report goes to, and the full name on the title
        line; default: the ``[report]`` settings.
    """
    names = analysis.settings.report
    office = office or names.office
    recipient = recipient or names.recipient
    issuer = issuer or names.issuer
    period = analysis.reporting_period
    months = period.months
    ind = analysis.indicators

    def phrases(status):
        return [
            wording.indicator_phrase(r, months) for r in ind[ind["status"] == status].itertuples()
        ]

    sched = ind[ind["status"] == IndicatorStatus.ON_SCHEDULE]["indicator"].tolist()
    nodata = ind[ind["status"] == IndicatorStatus.NO_DATA]["indicator"].tolist()
    sections = []
    if len(ind):
        sections.append(
            (
                wording.indicator_heading(len(ind)),
                [
                    wording.indicator_paragraph(
                        period,
                        phrases(IndicatorStatus.MET),
                        phrases(IndicatorStatus.MISSED),
                        sched,
                        nodata,
                    )
                ],
            )
        )

    tasks = analysis.tasks
    n = len(tasks)
    normal = tasks[tasks["reported_status"] == TaskStatus.NORMAL]
    lag = tasks[tasks["reported_status"] == TaskStatus.LAGGING]
    missing = tasks[tasks["computed_status"] == TaskStatus.NOT_REPORTED]
    unjudged = tasks[tasks["reported_status"] == TaskStatus.UNJUDGED]
    annexes = cited_annexes(analysis)
    annex_no = {key: k for k, key in enumerate(annexes, start=1)}
    paras = [
        wording.task_summary(
            n, len(normal), len(lag), len(missing), annex_no, names.task_noun, len(unjudged)
        )
    ]
    for i, t in enumerate(lag.itertuples(), start=1):
        subs = _lagging_subs(analysis, t)
        paras.append(
            wording.lagging_item(
                i,
                _lagging_part(t, subs),
                _evidence_sentences(t, subs, i - 1, period),
                _judgement(t, subs, letter=True),
                wording.split_units(t.lead_units),
            )
        )
    sections.append((wording.task_heading(n, names.task_noun, len(sections)), paras))

    returned = tasks[(tasks["issues"] != "") | (tasks["next_steps"] != "")]
    if len(returned):
        items = []
        for unit, g in returned.groupby(
            returned["lead_units"].map(wording.split_units), sort=False
        ):
            items.append(
                wording.issues_item(
                    unit,
                    "；".join(x for x in g["issues"] if x),
                    "；".join(x for x in g["next_steps"] if x),
                )
            )
        sections.append((wording.issues_heading(len(sections)), items))

    return Body(
        title=wording.title(analysis.year, analysis.quarter, issuer or office, names.title_subject),
        salutation=f"{recipient}：",
        opening=wording.opening(
            analysis.year, analysis.quarter, office, recipient, names.body_subject
        ),
        sections=sections,
        annex_list=wording.annex_titles(annexes, period, names.task_noun),
        annexes=annexes,
        footer=wording.method_note(period),
    )


def build_memo(analysis: Analysis, office: str = "") -> Memo:
    """The internal memo (内部参考): where the pack's reading differs from the filing.

    Worded so that it does not contradict the filing: the filed status stands; the memo lists
    what the progress text says and asks for it to be checked.
    """
    office = office or analysis.settings.report.office
    period = analysis.reporting_period
    tasks = analysis.tasks
    sections = []

    def item(i, t, partial=False):
        subs = _lagging_subs(analysis, t)
        judgement = _judgement(t, subs)
        if partial:
            judgement = wording.partial_judgement(judgement)
        said = "；".join(
            wording.drop_heading(x) for x in str(t.evidence or "").split("；")[:2] if x
        )
        figures = "；".join(wording.figure_sentence(s, i, period) for s in subs.itertuples())
        return wording.memo_item(
            i,
            t.task_id,
            _lagging_part(t, subs),
            said,
            figures,
            str(t.cause or ""),
            judgement,
            wording.split_units(t.lead_units),
        )

    # Filed as 正常推进, or not judged by the office yet: the reading that they may lag is for
    # the office to check; the letter keeps to the filing.
    possible = tasks[
        (tasks["computed_status"] == TaskStatus.LAGGING)
        & tasks["reported_status"].isin([TaskStatus.NORMAL, TaskStatus.UNJUDGED])
    ]
    partial = tasks[(tasks["slippage"] == Slippage.PART)]
    unsupported = tasks[
        (tasks["reported_status"] == TaskStatus.LAGGING)
        & (tasks["computed_status"] == TaskStatus.NORMAL)
        & (tasks["slippage"] == Slippage.NONE)
    ]
    # Not returned by their units: no text at all (未报送 in the report), or only the office's
    # own ledger text while the units return forms (the report keeps that text). The same
    # tasks ``workreport intake`` counts as 未报送.
    silent = tasks["computed_status"] == TaskStatus.NOT_REPORTED
    from_ledger = ~silent & tasks["task_id"].isin(ledger_only_ids(analysis.data.progress))
    missing = tasks[silent | from_ledger]
    lacking = [
        "经济社会发展预期目标" if col == MISSING_FILE else COLUMN_NAMES.get(col, col)
        for cols in analysis.data.missing.values()
        for col in cols
    ]
    if lacking:
        sections.append(
            (
                wording.memo_heading(len(sections), wording.MEMO_SECTIONS["lacking"]),
                [wording.memo_lacking(list(dict.fromkeys(lacking)))],
            )
        )
    for key, frame in (("possible", possible), ("partial", partial)):
        if len(frame):
            sections.append(
                (
                    wording.memo_heading(len(sections), wording.MEMO_SECTIONS[key]),
                    [
                        item(i, t, partial=key == "partial")
                        for i, t in enumerate(frame.itertuples(), start=1)
                    ],
                )
            )
    if len(unsupported):
        sections.append(
            (
                wording.memo_heading(len(sections), wording.MEMO_SECTIONS["unsupported"]),
                [wording.memo_unsupported(list(unsupported["task_id"]))],
            )
        )
    if len(missing):
        sections.append(
            (
                wording.memo_heading(len(sections), wording.MEMO_SECTIONS["missing"]),
                [wording.memo_missing(_by_lead_unit(missing), list(tasks["task_id"][from_ledger]))],
            )
        )
    checks = analysis.checks
    errors = int((checks["severity"] == "错误").sum())
    warnings = int((checks["severity"] == "警告").sum())
    if errors or warnings:
        sections.append(
            (
                wording.memo_heading(len(sections), wording.MEMO_SECTIONS["checks"]),
                [wording.memo_checks(errors, warnings)],
            )
        )
    return Memo(wording.MEMO_TITLE, wording.memo_intro(office, period), sections)


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
    if body.footer:
        parts.append(f'<p class="wr-note">{e(body.footer)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def memo_to_html(memo: Memo) -> str:
    """Render the internal memo as HTML, set apart from the letter. Every text is escaped."""
    e = html.escape
    parts = ['<div class="wr-report wr-memo">']
    parts.append(f'<div class="wr-memo-title">{e(memo.title)}</div>')
    parts.append(f'<p class="wr-para">{e(memo.intro)}</p>')
    for heading, paras in memo.sections:
        parts.append(f'<h3 class="wr-heading">{e(heading)}</h3>')
        parts.extend(f'<p class="wr-para">{e(p)}</p>' for p in paras)
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
.wr-note { margin-top: 1.5em; font-size: 13px; color: #595959; }
.wr-memo { border: 1px solid #999; padding: 0.5em 1.2em; background: #fafafa; margin-top: 2em; }
.wr-memo-title { font-size: 18px; font-weight: bold; margin: 0.5em 0; }
</style>
"""


def cited_annexes(analysis: Analysis) -> dict[str, int]:
    """The annex tables the letter cites, in their order, with their rows: only tables the report
    contains (indicators, lagging, normal, unjudged)."""
    tasks = analysis.tasks
    reported = tasks["reported_status"]
    annexes = {"indicators": len(analysis.indicators)} if len(analysis.indicators) else {}
    lag = int((reported == TaskStatus.LAGGING).sum())
    normal = int((reported == TaskStatus.NORMAL).sum())
    unjudged = int((reported == TaskStatus.UNJUDGED).sum())
    if lag:
        annexes["lagging"] = lag
    if normal or not unjudged:
        annexes["normal"] = normal
    if unjudged:
        annexes["unjudged"] = unjudged
    return annexes


def _by_lead_unit(tasks: pd.DataFrame) -> dict[str, list[str]]:
    """Task ids by lead unit, units in the order the register first names them (a task with two
    lead units is under both; one with none under 未明确牵头单位)."""
    out: dict[str, list[str]] = {}
    for tid, units in zip(tasks["task_id"], tasks["lead_units"], strict=True):
        for unit in [u for u in str(units or "").split(";") if u.strip()] or ["未明确牵头单位"]:
            out.setdefault(unit.strip(), []).append(tid)
    return out
