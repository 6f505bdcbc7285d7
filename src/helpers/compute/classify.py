"""Classify indicators and tasks, and list where the numbers disagree with the office's filing.

The office's own judgement (``reported_status``) is kept as it was filed. The computed status is
set beside it, from the numbers and from words in the progress text that signal slippage; a
disagreement is shown, never silently resolved.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.compute.slippage import read_slippage
from helpers.core.config import Settings
from helpers.core.fmt import is_missing
from helpers.core.vocab import IndicatorStatus, Slippage, SubtargetStatus, TaskStatus
from helpers.read.quantities import find_quantities

INDICATOR_NAME = re.compile(r"^(.*?)(?:同比)?(?:增长|完成年度目标任务|达到?|下降|控制在)")


def indicator_name(target_text: str) -> str:
    """The short name of an indicator: ``地区生产总值增长5.5%左右`` -> ``地区生产总值``."""
    m = INDICATOR_NAME.match(target_text or "")
    return (m.group(1) if m and m.group(1) else target_text).strip()


def classify_indicators(
    indicators: pd.DataFrame,
    indicator_progress: pd.DataFrame,
    report_months: int,
    settings: Settings,
) -> pd.DataFrame:
    """Judge each expected target (经济社会发展预期目标).

    Growth-rate targets are not pro-rated: the year-to-date growth (2.6%) is compared with the
    annual rate (5.5%) directly. A target with no number (完成年度目标任务) is 符合时间节点要求
    when the unit's words say it will be met (预计能够完成), else 无数据.

    Returns
    -------
    DataFrame
        indicator_id, indicator, target_text, kind, direction, target_value, unit, actual,
        period, earlier_period (the figure is older than the report), rank, notes, status,
        gap_pp, leaders, lead_units, source_text.
    """
    words = settings.words.on_schedule
    merged = indicators.merge(indicator_progress, on="indicator_id", how="left")
    rows = []
    for r in merged.itertuples():
        qs = find_quantities(r.target_text)
        target = qs[0] if qs else None
        progress = "" if is_missing(r.progress) else str(r.progress)
        period = "" if is_missing(r.period) else str(r.period)
        end = int(re.search(r"-(\d+)月", period).group(1)) if period else None
        kind = "qualitative"
        direction = "higher"
        if target is not None:
            kind = "growth" if target.growth else ("level" if target.unit == "%" else "cumulative")
            if any(w in target.before[-4:] + target.approx for w in ("下降", "以下", "控制在")):
                direction = "lower"
        actual = None if is_missing(r.value) else float(r.value)
        gap = None
        if kind in {"growth", "level"} and actual is not None and r.value_unit == target.unit:
            gap = actual - target.value
            met = gap >= 0 if direction == "higher" else gap <= 0
            status = IndicatorStatus.MET if met else IndicatorStatus.MISSED
        elif kind == "qualitative" or actual is None:
            status = (
                IndicatorStatus.ON_SCHEDULE
                if any(w in progress for w in words)
                else IndicatorStatus.NO_DATA
            )
            if kind != "qualitative" and actual is None:
                status = IndicatorStatus.NO_DATA
        else:
            status = IndicatorStatus.NO_DATA
        rows.append(
            {
                "indicator_id": r.indicator_id,
                "indicator": indicator_name(r.target_text),
                "target_text": r.target_text,
                "kind": kind,
                "direction": direction,
                "target_value": target.value if target is not None else float("nan"),
                "unit": target.unit if target is not None else (r.value_unit or ""),
                "actual": actual if actual is not None else float("nan"),
                "period": period,
                "earlier_period": bool(end and end < report_months),
                "rank": r.rank,
                "notes": "" if is_missing(r.notes) else r.notes,
                "status": str(status),
                "gap_pp": gap if gap is not None else float("nan"),
                "leaders": r.leaders,
                "lead_units": r.lead_units,
                "source_text": progress,
            }
        )
    columns = [
        *("indicator_id", "indicator", "target_text", "kind", "direction", "target_value"),
        *("unit", "actual", "period", "earlier_period", "rank", "notes", "status", "gap_pp"),
        *("leaders", "lead_units", "source_text"),
    ]
    df = pd.DataFrame(rows, columns=columns)  # no indicators: the columns, no rows
    df["rank"] = df["rank"].astype("Int64")
    return df


#: A completion the text schedules before year-end: 计划年底完工，预计新增停车位2865个.
SCHEDULED = re.compile(r"(?:年底|年内|年末|今年|本年度?|1[0-2]月)")
PROJECTED = re.compile(r"预计|计划")


def scheduled_addition(text: str, unit: str, metric: str = "") -> float:
    """The amount the text says will be added before year-end, in ``unit`` (0 when none).

    Only sentences that both schedule (年底, 年内, 12月 …) and project (预计, 计划) count, and only
    a quantity in the sub-target's own unit introduced as new (新增, 再, 可) is added.

    >>> scheduled_addition("上述两个项目计划年底完工，预计新增停车位2865个。", "个")
    2865.0
    >>> scheduled_addition("已新增停车位2181个。", "个")
    0.0
    """
    total = 0.0
    for sentence in re.split(r"(?<=[。；;\n])", text or ""):
        if not (SCHEDULED.search(sentence) and PROJECTED.search(sentence)):
            continue
        for q in find_quantities(sentence):
            if q.unit == unit and not q.growth and re.search(r"新增|再|可", q.before[-12:]):
                total += q.value
    return total


def _lagging_subtarget(s, lagging_statuses, text: str) -> tuple[bool, str]:
    """Whether a sub-target lags, and the context that changed its meaning (or "")."""
    if s.status not in lagging_statuses and s.status != SubtargetStatus.BEHIND:
        return False, ""
    if s.kind == "cumulative" and s.direction == "higher" and not is_missing(s.actual):
        extra = scheduled_addition(text, s.unit, s.metric)
        if extra and float(s.actual) + extra >= float(s.target):
            return False, "scheduled"
    return s.status in lagging_statuses, ""


def classify_tasks(
    tasks: pd.DataFrame,
    progress: pd.DataFrame,
    subtargets: pd.DataFrame,
    settings: Settings,
    next_year: int | None = None,
) -> pd.DataFrame:
    """Give every task a computed status beside the office's reported one, with its evidence.

    A task is 推进较为滞后 when a quantitative sub-target is at a lagging status
    (``settings.thresholds.lagging_statuses``, default 严重滞后) and no completion scheduled
    before year-end makes it up, or when its progress text states slippage
    (``helpers.compute.slippage``) in the task's main part; slippage stated only in a secondary
    sub-task is a partial slippage (部分滞后) and leaves the task 正常推进. A sub-target already met
    is never a slippage. 未报送 when the unit returned nothing.

    Returns
    -------
    DataFrame
        The register's columns, ``reported_status``, ``computed_status``, ``agrees``,
        ``slippage`` (整体滞后 / 部分滞后 / 无), ``slip_kinds`` (kinds of slippage read, ``;``),
        ``evidence`` (the sentences that state slippage, ``；``), ``cause`` (as the text states it),
        ``subtask`` (the sub-task the evidence sits in), ``lagging_metrics`` and
        ``behind_metrics`` (sub-targets at a lagging or 慢序时 status, ``;``), ``scheduled``
        (sub-targets made up by completions scheduled before year-end), ``flags``,
        ``n_subtargets``, ``mean_ratio``, ``progress``, ``issues`` and ``next_steps`` (存在问题 and
        下一步打算 as the unit returned them; empty when the progress file has no such column).
    """
    lagging_statuses = set(settings.thresholds.lagging_statuses)
    lagging_kinds = set(settings.cues.lagging_kinds)
    prog = progress.set_index("task_id")
    texts = dict(zip(prog.index, prog["progress"], strict=True))
    reported = dict(zip(prog.index, prog["reported_status"], strict=True))
    returned = dict(zip(prog.index, prog["returned"], strict=True)) if "returned" in prog else {}
    # What the units return on the form beside the progress text (存在问题, 下一步打算).
    extra = {
        col: {k: ("" if is_missing(v) else str(v)) for k, v in prog[col].items()}
        if col in prog
        else {}
        for col in ("issues", "next_steps")
    }
    # One pass over the sub-targets builds each task's lists (filtering the frame once per task
    # would cost O(tasks × sub-targets): 10k tasks took 14 s that way).
    lagging_of: dict[str, list] = {}
    behind_of: dict[str, list] = {}
    scheduled_of: dict[str, list] = {}
    count_of: dict[str, int] = {}
    ratios_of: dict[str, list[float]] = {}
    for s in subtargets.itertuples():
        count_of[s.task_id] = count_of.get(s.task_id, 0) + 1
        text = "" if is_missing(texts.get(s.task_id)) else str(texts.get(s.task_id))
        lags, context = _lagging_subtarget(s, lagging_statuses, text)
        if lags:
            lagging_of.setdefault(s.task_id, []).append(s)
        elif context:
            scheduled_of.setdefault(s.task_id, []).append(s)
        elif s.status == SubtargetStatus.BEHIND:
            behind_of.setdefault(s.task_id, []).append(s)
        if s.kind == "cumulative" and not is_missing(s.ratio):
            ratios_of.setdefault(s.task_id, []).append(min(float(s.ratio), 1.0))
        elif _level_reached(s) is not None:
            # A level target (占比60%以上) counts in the average as the level reached / target.
            ratios_of.setdefault(s.task_id, []).append(min(_level_reached(s), 1.0))
    rows = []
    register_cols = ("task_id", "section", "task", "leaders", "lead_units", "partner_units")
    for task in tasks[list(register_cols)].itertuples(index=False):
        tid = task.task_id
        text = "" if is_missing(texts.get(tid)) else str(texts.get(tid))
        hits = read_slippage(text, settings, next_year)
        several_parts = len({h.part.index for h in hits} | {0}) > 1 or (
            hits and hits[0].part.mark != ""
        )
        main = [
            h for h in hits if h.kind in lagging_kinds and (not several_parts or h.part.index == 0)
        ]
        lagging = lagging_of.get(tid, [])
        if not bool(returned.get(tid, True)) or not text.strip():
            computed, scope = TaskStatus.NOT_REPORTED, Slippage.NONE
        elif lagging or main:
            computed, scope = TaskStatus.LAGGING, Slippage.WHOLE
        elif hits:
            computed, scope = TaskStatus.NORMAL, Slippage.PART
        else:
            computed, scope = TaskStatus.NORMAL, Slippage.NONE
        shown = hits if computed != TaskStatus.NOT_REPORTED else []
        evidence = _unique(h.sentence for h in shown)
        causes = _unique(h.cause for h in shown if h.cause)
        subtasks = _unique(_subtask_name(h.part) for h in shown if h.part.mark or h.part.heading)
        ratios = ratios_of.get(tid, [])
        behind = behind_of.get(tid, [])
        rows.append(
            {
                **task._asdict(),
                "reported_status": reported.get(tid, ""),
                "computed_status": str(computed),
                "agrees": reported.get(tid, "") == computed,
                "slippage": str(scope),
                "slip_kinds": ";".join(_unique(h.kind for h in shown)),
                "evidence": "；".join(_unique(evidence)),
                "cause": "；".join(causes),
                "subtask": "；".join(subtasks),
                "lagging_metrics": ";".join(s.metric for s in lagging),
                "behind_metrics": ";".join(s.metric for s in behind),
                "scheduled": ";".join(s.metric for s in scheduled_of.get(tid, [])),
                "flags": ";".join(
                    [f"{s.metric}:{s.status}" for s in lagging + behind]
                    + [f"{h.kind}:{h.cue}" for h in hits]
                ),
                "n_subtargets": count_of.get(tid, 0),
                "mean_ratio": sum(ratios) / len(ratios) if ratios else float("nan"),
                "progress": text,
                "issues": extra["issues"].get(tid, ""),
                "next_steps": extra["next_steps"].get(tid, ""),
            }
        )
    return pd.DataFrame(rows)


def _level_reached(s) -> float | None:
    """A level target's level reached over the target level (higher is better), or None."""
    if s.kind != "level" or s.direction != "higher" or is_missing(s.actual):
        return None
    if is_missing(s.target) or float(s.target) <= 0:
        return None
    return float(s.actual) / float(s.target)


def _unique(items) -> list[str]:
    out: list[str] = []
    for x in items:
        if x and x not in out:
            out.append(x)
    return out


def _subtask_name(part) -> str:
    return f"{part.mark}{part.heading}".strip()


def disagreements(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks whose computed status differs from the office's filing, with the evidence."""
    cols = [
        "task_id",
        "section",
        "task",
        "lead_units",
        "reported_status",
        "computed_status",
        "slippage",
        "slip_kinds",
        "evidence",
        "cause",
        "subtask",
        "lagging_metrics",
    ]
    # A task the office has not judged yet (未认定) cannot disagree with its judgement.
    judged = tasks["reported_status"] != TaskStatus.UNJUDGED
    return tasks.loc[~tasks["agrees"] & judged, cols].reset_index(drop=True)
