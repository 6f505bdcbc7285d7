"""Tables: the engine's CSV outputs, and the annex tables with the office's Chinese columns."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.compute.engine import Analysis
from helpers.compute.progress import fill_level_ratios
from helpers.core.fmt import evidence_cell, fmt_gap, fmt_pct, fmt_value, is_missing
from helpers.core.vocab import IndicatorStatus, SubtargetStatus, TargetKind, TaskStatus
from helpers.core.writing import claim_dir, write_csv, write_json, write_owned
from helpers.present import wording
from helpers.read.loading import GROUPING_COLUMNS

INDICATOR_CSV = [
    "indicator_id",
    "indicator",
    "target_text",
    "kind",
    "target_value",
    "unit",
    "actual",
    "period",
    "earlier_period",
    "rank",
    "notes",
    "status",
    "gap_pp",
    "leaders",
    "lead_units",
    "source_text",
]
TARGET_CSV = [
    "task_id",
    "target_no",
    "section",
    "task",
    "metric",
    "kind",
    "direction",
    "target",
    "actual",
    "unit",
    "period",
    "ratio",
    "expected_ratio",
    "gap_pp",
    "status",
    "phrase",
    "source",
    "curation_reason",
    "target_text",
    "source_text",
]
TASK_CSV = [
    "task_id",
    "section",
    "task",
    "leaders",
    "lead_units",
    "partner_units",
    "reported_status",
    "computed_status",
    "agrees",
    "n_subtargets",
    "mean_ratio",
    "slippage",
    "slip_kinds",
    "evidence",
    "cause",
    "subtask",
    "lagging_metrics",
    "behind_metrics",
    "scheduled",
    "issues",
    "next_steps",
    "flags",
]


def targets_table(subtargets: pd.DataFrame) -> pd.DataFrame:
    """The engine's sub-target table in the ``targets.csv`` layout."""
    df = subtargets.assign(phrase=[wording.subtarget_phrase(r) for r in subtargets.itertuples()])
    df = df.rename(columns={"actual_period": "period", "actual_text": "source_text"})
    return df[TARGET_CSV]


#: A register's groupings that an office may leave out altogether (a 民生实事 register often has
#: no 工作板块, no 责任领导, no 配合单位): the task column, and its heading in the tables.
GROUPINGS = dict(zip(GROUPING_COLUMNS, ("工作板块", None, "配合单位"), strict=True))


def has_grouping(analysis: Analysis, column: str) -> bool:
    """Whether any task of the register has a value in ``column`` (one of :data:`GROUPINGS`).
    A grouping no task has is left out of the report: no chart, table or column by it."""
    values = analysis.tasks[column].fillna("").astype(str).str.strip()
    return bool((values != "").any())


def has_sections(analysis: Analysis) -> bool:
    """Whether any task of the register has a 工作板块 (:func:`has_grouping`)."""
    return has_grouping(analysis, "section")


def grouping_heading(analysis: Analysis, column: str) -> str:
    return GROUPINGS[column] or analysis.settings.report.leader_label


def _sections_shown(df: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """``df`` without the columns of the groupings no task of the register has (工作板块,
    责任领导, 配合单位)."""
    empty = [grouping_heading(analysis, c) for c in GROUPINGS if not has_grouping(analysis, c)]
    return df.drop(columns=empty, errors="ignore")


def write_tables(
    analysis: Analysis, out_dir: str | Path, data_dir: str | Path | None = None
) -> list[Path]:
    """Write the engine's outputs as UTF-8 CSV with a BOM (Excel on Chinese Windows) and JSON.

    Files: ``indicators.csv``, ``targets.csv``, ``tasks.csv``, ``disagreements.csv``,
    ``checks.csv``, ``summary.json``. Each write is atomic; text cells are neutralised so that
    none is a live formula.

    ``out_dir`` must be new, empty or a folder the pack wrote (``.workreport-output``), and not
    inside ``data_dir``; a file in it that the pack did not write is never overwritten.

    Raises
    ------
    DataError
        A refused ``out_dir``.
    """
    if data_dir is None:  # the folder holding <year>/tasks.csv
        data_dir = Path(analysis.data.files["tasks"]).parent.parent
    out = claim_dir(out_dir, data_dir)
    frames = [
        ("indicators.csv", analysis.indicators[INDICATOR_CSV]),
        ("targets.csv", targets_table(analysis.subtargets)),
        ("tasks.csv", analysis.tasks[TASK_CSV]),
        ("disagreements.csv", analysis.disagreements),
        ("checks.csv", analysis.checks),
    ]
    writers = [(name, lambda path, df=df: write_csv(df, path)) for name, df in frames]
    writers.append(("summary.json", lambda path: write_json(analysis.summary(), path)))
    return write_owned(out, writers)


def _list(value: str) -> str:
    return "" if is_missing(value) else "、".join(x for x in str(value).split(";") if x)


def annex_indicators(analysis: Analysis) -> pd.DataFrame:
    """附件1: the expected targets with the source's columns plus the computed ones."""
    ind = analysis.indicators
    return pd.DataFrame(
        {
            "序号": range(1, len(ind) + 1),
            f"{analysis.year}年预期目标": ind["target_text"],
            analysis.settings.report.leader_label: ind["leaders"].map(_list),
            "责任单位": ind["lead_units"].map(_list),
            "进展情况": ind["source_text"],
            "数据期间": ind["period"].replace("", "—"),
            "完成值": [fmt_value(a, u) for a, u in zip(ind["actual"], ind["unit"], strict=True)],
            "与目标差距": [fmt_gap(g, 2, unit=True) for g in ind["gap_pp"]],
            "状态": ind["status"],
        }
    )


def annex_tasks(analysis: Analysis, reported_status: str) -> pd.DataFrame:
    """附件2 / 附件3: tasks of one reported status, with computed columns beside the source's.

    Computed columns: each sub-target's 完成率 and 序时进度, the gap, the computed status.
    """
    tasks = analysis.tasks[analysis.tasks["reported_status"] == reported_status]
    # Each task's sub-targets, in their table order: one pass over the table, not one filter
    # of it per task.
    by_task: dict[str, list] = {}
    for s in analysis.subtargets.itertuples():
        by_task.setdefault(s.task_id, []).append(s)
    rows = []
    for k, t in enumerate(tasks.itertuples(), start=1):
        mine = by_task.get(t.task_id, [])
        ratio = "；".join(wording.annex_figure(s) for s in mine)
        expected = "；".join(fmt_pct(s.expected_ratio) for s in mine if s.kind == "cumulative")
        gap = "；".join(fmt_gap(s.gap_pp) for s in mine)
        rows.append(
            {
                "序号": k,
                "任务编号": t.task_id,
                "工作板块": t.section,
                "工作任务": t.task,
                analysis.settings.report.leader_label: _list(t.leaders),
                "责任单位": _list(t.lead_units),
                "配合单位": _list(t.partner_units),
                "任务进展情况": t.progress,
                "完成率": ratio or "—",
                "序时进度": expected or "—",
                "差距（个百分点）": gap or "—",
                "测算状态": t.computed_status,
                "滞后依据": evidence_cell(t.slippage, t.subtask, t.evidence, t.cause),
                "存在问题": t.issues or "—",
                "下一步打算": t.next_steps or "—",
            }
        )
    if not rows:  # an empty group keeps its columns: the annex shows an empty table, not none
        names = ["序号", "任务编号", "工作板块", "工作任务", analysis.settings.report.leader_label]
        names += ["责任单位", "配合单位", "任务进展情况", "完成率", "序时进度"]
        empty = pd.DataFrame(columns=[*names, "差距（个百分点）", "测算状态", "滞后依据"])
        return _sections_shown(empty, analysis)
    out = _sections_shown(pd.DataFrame(rows), analysis)
    # The units' 存在问题 and 下一步打算 are shown when the form returned any.
    for col in ("存在问题", "下一步打算"):
        if col in out and (out[col] == "—").all():
            out = out.drop(columns=col)
    return out


ANNEX_STATUS = {
    "lagging": TaskStatus.LAGGING,
    "normal": TaskStatus.NORMAL,
    "unjudged": TaskStatus.UNJUDGED,
}


def annex_table(analysis: Analysis, key: str) -> pd.DataFrame:
    """The annex table the letter cites as ``key`` (indicators, lagging, normal, unjudged)."""
    if key == "indicators":
        return annex_indicators(analysis)
    return annex_tasks(analysis, ANNEX_STATUS[key].value)


def subtarget_table(analysis: Analysis) -> pd.DataFrame:
    """Every quantitative sub-target with its figures, in Chinese, for the key-tasks chapter."""
    s = analysis.subtargets
    table = pd.DataFrame(
        {
            "任务编号": s["task_id"],
            "工作板块": s["section"],
            "指标": s["metric"],
            "年度目标": [fmt_value(v, u) for v, u in zip(s["target"], s["unit"], strict=True)],
            "完成值": [fmt_value(v, u) for v, u in zip(s["actual"], s["unit"], strict=True)],
            "数据期间": s["actual_period"].replace("", "—"),
            "完成率": s["ratio"].map(fmt_pct),
            "序时进度": s["expected_ratio"].map(fmt_pct),
            "差距（个百分点）": s["gap_pp"].map(fmt_gap),
            "状态": s["status"],
            # Where the figure came from, and the unit's own words for it (none for a figure
            # only typed into the form).
            "来源": [
                wording.figure_source(src, f)
                for src, f in zip(s["source"], _returned_files(s), strict=True)
            ],
            "原文": s["actual_text"].replace("", "—"),
        }
    )
    return _sections_shown(table, analysis)


def _returned_files(subtargets: pd.DataFrame) -> list:
    if "returned_file" in subtargets.columns:
        return subtargets["returned_file"].tolist()
    return [""] * len(subtargets)


PARENT = re.compile(r"[（(][^（）()]*[）)]$")


def chart_subtargets(analysis: Analysis) -> pd.DataFrame:
    """The sub-targets that have a 完成率: cumulative ones, and level ones as the level reached
    over the target (growth rates are compared with their target, never divided)."""
    subs = fill_level_ratios(analysis.subtargets)
    return subs[subs["kind"].isin([TargetKind.CUMULATIVE, TargetKind.LEVEL])]


def owner_scorecard(analysis: Analysis, by: str) -> pd.DataFrame:
    """Per leader (``by='leaders'``) or lead unit (``by='lead_units'``): tasks, lagging, 完成率.

    A task with two owners counts for both. ``mean_ratio`` is the mean 完成率 of the owner's
    cumulative sub-targets, each capped at 100% so one over-achiever cannot hide a lag.
    """
    # A unit written with its office in brackets (区城管局（区整违办）) rolls up under its parent.
    owners_of = analysis.tasks[by].map(
        lambda v: list(dict.fromkeys(PARENT.sub("", u) for u in str(v).split(";") if u))
    )
    tasks = analysis.tasks.assign(owner=owners_of).explode("owner")
    tasks = tasks[tasks["owner"].fillna("").str.strip() != ""]  # a register without owners
    # Level targets (占比60%以上) count too: their 完成率 is the level reached over the target.
    subs = chart_subtargets(analysis)
    subs = subs[subs["direction"] == "higher"][["task_id", "ratio"]]
    owners = tasks[["task_id", "owner"]]
    ratios = owners.merge(subs, on="task_id").dropna(subset=["ratio"])
    ratios["ratio"] = ratios["ratio"].clip(upper=1.0)
    g = tasks.groupby("owner", sort=False)
    card = pd.DataFrame(
        {
            "tasks": g.size(),
            "lagging": g["computed_status"].apply(lambda s: int((s == TaskStatus.LAGGING).sum())),
            "reported_lagging": g["reported_status"].apply(
                lambda s: int((s == TaskStatus.LAGGING).sum())
            ),
            "not_reported": g["computed_status"].apply(
                lambda s: int((s == TaskStatus.NOT_REPORTED).sum())
            ),
            "mean_ratio": ratios.groupby("owner")["ratio"].mean(),
        }
    ).reset_index(names="owner")
    card["mean_ratio"] = card["mean_ratio"].astype(float)
    return card.sort_values(["lagging", "tasks"], ascending=False).reset_index(drop=True)


def scorecard_display(card: pd.DataFrame, owner_label: str) -> pd.DataFrame:
    """The scorecard with Chinese column names and formatted ratios."""
    return pd.DataFrame(
        {
            owner_label: card["owner"],
            "牵头任务数": card["tasks"],
            "测算滞后数": card["lagging"],
            "督查办认定滞后数": card["reported_lagging"],
            "未报送数": card["not_reported"],
            "平均完成率（单项封顶100%）": card["mean_ratio"].map(fmt_pct),
        }
    )


def headline(analysis: Analysis) -> pd.DataFrame:
    """The counts a leader reads first: indicators, tasks (filed and computed), sub-targets."""
    s = analysis.summary()
    ind = s["indicators_by_status"]
    rep, comp = s["tasks_by_reported_status"], s["tasks_by_computed_status"]
    sub = s["subtargets_by_status"]
    noun = analysis.settings.report.task_noun
    rows = [
        (
            "经济社会发展预期目标",
            s["indicators"],
            "，".join(
                f"{k}{ind.get(k, 0)}项"
                for k in IndicatorStatus
                if ind.get(k, 0) or k != IndicatorStatus.NO_DATA
            ),
        ),
        (f"{noun}（督查办认定）", s["tasks"], "，".join(f"{k}{v}项" for k, v in rep.items())),
        (f"{noun}（数据测算）", s["tasks"], "，".join(f"{k}{v}项" for k, v in comp.items())),
        ("认定与测算不一致的任务", s["disagreements"], f"详见“{noun}”分册"),
        (
            "量化子目标",
            s["subtargets"],
            "，".join(f"{k}{sub.get(k, 0)}项" for k in SubtargetStatus)
            + f"；共涉及{s['tasks_with_numeric_targets']}项任务，其中{s['subtargets_curated']}项为人工核定",
        ),
    ]
    return pd.DataFrame(rows, columns=["项目", "数量", "构成"])


#: The Chinese header of a grouping column in the tables beside the charts.
GROUP_NAMES = {
    "section": "工作板块",
    "lead_units": "责任单位",
    "leaders": "责任领导",
    "owner": "责任主体",
}


def status_counts(df: pd.DataFrame, by: str, status_col: str, order: list[str]) -> pd.DataFrame:
    """Counts of each status per group, the table beside a status chart (groups in data order)."""
    table = pd.crosstab(df[by], df[status_col])
    cols = [c for c in order if c in table.columns] + [c for c in table.columns if c not in order]
    groups = list(dict.fromkeys(df[by]))
    table = table.reindex(index=groups, columns=cols, fill_value=0)
    table["合计"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().rename(columns={by: GROUP_NAMES.get(by, by)})


def indicator_table(analysis: Analysis) -> pd.DataFrame:
    """The numbers of the indicator chart: target, actual, period, gap, status, rank."""
    ind = analysis.indicators
    return pd.DataFrame(
        {
            "指标": ind["indicator"],
            "全年目标": ind["target_text"],
            "完成值": [fmt_value(a, u) for a, u in zip(ind["actual"], ind["unit"], strict=True)],
            "数据期间": ind["period"].replace("", "—"),
            "与目标差距": ind["gap_pp"].map(lambda g: fmt_gap(g, 2, unit=True)),
            analysis.settings.report.rank_label: ind["rank"].map(
                lambda r: "—" if is_missing(r) else f"第{int(r)}名"
            ),
            "备注": ind["notes"].replace("", "—"),
            "状态": ind["status"],
        }
    )


def disagreement_table(analysis: Analysis) -> pd.DataFrame:
    """Tasks whose computed status differs from the office's filing, with why."""
    d = analysis.disagreements
    table = pd.DataFrame(
        {
            "任务编号": d["task_id"],
            "工作板块": d["section"],
            "工作任务": d["task"],
            "责任单位": d["lead_units"].map(_list),
            "督查办认定": d["reported_status"],
            "数据测算": d["computed_status"],
            "依据": [
                "；".join(x for x in (e, c and f"原因：{c}", m and f"滞后指标：{m}") if x)
                or "进展材料未说明滞后情况"
                for e, c, m in zip(d["evidence"], d["cause"], d["lagging_metrics"], strict=True)
            ],
        }
    )
    return _sections_shown(table, analysis)


def checks_table(analysis: Analysis) -> pd.DataFrame:
    """The data-quality findings with Chinese column names."""
    c = analysis.checks
    return pd.DataFrame(
        {
            "级别": c["severity"],
            "核查项": c["check"],
            "对象": c["item"],
            "结果": c["finding"],
            "原文": c["source_text"],
        }
    )


def projection_table(projection: pd.DataFrame) -> pd.DataFrame:
    """Year-end projections of cumulative sub-targets: those that would miss first, then those
    under way, then those finished (shown at their current 完成率, not extrapolated)."""
    order = {"miss": 0, "make": 1, "done": 2}
    p = projection.assign(_o=projection["outlook"].map(order))
    p = p.sort_values(["_o", "projected"], ascending=[True, True], kind="stable")
    return pd.DataFrame(
        {
            "任务编号": p["task_id"],
            "指标": p["metric"],
            "当前完成率": p["ratio"].map(fmt_pct),
            "数据截至": p["period_months"].map(lambda m: f"{int(m)}月"),
            "按年初至今进度预计全年": p["projected"].map(fmt_pct),
            "按最近一季进度预计全年": p["projected_recent"].map(fmt_pct),
            "预计": p["outlook"].map(wording.OUTLOOK),
        }
    )


def change_table(change) -> pd.DataFrame:
    """Sub-targets whose status changed since the previous quarter (all rows when few)."""
    s = change.subtargets
    if s.empty:
        return pd.DataFrame(
            columns=["任务编号", "指标", "上期完成率", "本期完成率", "上期状态", "本期状态", "变化"]
        )
    s = s[s["change"] != "不变"]
    return pd.DataFrame(
        {
            "任务编号": s["task_id"],
            "指标": s["metric"],
            "上期完成率": s["ratio_prev"].map(fmt_pct),
            "本期完成率": s["ratio_now"].map(fmt_pct),
            "上期状态": s["status_prev"].fillna("—"),
            "本期状态": s["status_now"],
            "变化": s["change"],
        }
    )
