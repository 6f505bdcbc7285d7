"""Classify indicators and tasks, and list where the numbers disagree with the office's filing.

The office's own judgement (``reported_status``) is kept as it was filed. The computed status is
set beside it, from the numbers and from words in the progress text that signal slippage; a
disagreement is shown, never silently resolved.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.core.config import Settings
from helpers.core.fmt import fmt_value, is_missing
from helpers.core.vocab import IndicatorStatus, SubtargetStatus, TaskStatus
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


def slippage_words(text: str, settings: Settings) -> list[str]:
    """The slippage words (仍未启动, 暂缓, 近期无进展 …) that occur in ``text``, in list order."""
    text = text or ""
    found = [w for w in settings.words.slippage if w in text]
    # Keep the longest: 进度滞后 already says 滞后.
    return [w for w in found if not any(w != o and w in o for o in found)]


def classify_tasks(
    tasks: pd.DataFrame, progress: pd.DataFrame, subtargets: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Give every task a computed status beside the office's reported one.

    A task is 推进较为滞后 when any of its quantitative sub-targets is at a lagging status
    (``settings.thresholds.lagging_statuses``, default 严重滞后) or its progress text uses
    a slippage word; 未报送 when its unit returned nothing; otherwise 正常推进.

    Returns
    -------
    DataFrame
        The register's columns, ``reported_status``, ``computed_status``, ``agrees``,
        ``reasons`` (why the computed status is what it is), ``flags`` (all warnings, joined),
        ``n_subtargets``, ``mean_ratio``, ``progress``.
    """
    lagging_statuses = set(settings.thresholds.lagging_statuses)
    early = settings.words.early_stage
    # One pass over the sub-targets builds each task's lists (filtering the frame once per task
    # would cost O(tasks × sub-targets): 10k tasks took 14 s that way).
    reasons_of: dict[str, list[str]] = {}
    flags_of: dict[str, list[str]] = {}
    count_of: dict[str, int] = {}
    ratios_of: dict[str, list[float]] = {}
    for s in subtargets.itertuples():
        count_of[s.task_id] = count_of.get(s.task_id, 0) + 1
        if s.status in lagging_statuses:
            reasons_of.setdefault(s.task_id, []).append(f"{s.metric}：{s.phrase}")
        elif s.status == SubtargetStatus.BEHIND:
            flags_of.setdefault(s.task_id, []).append(f"{s.metric}：{s.phrase}")
        elif s.status == SubtargetStatus.NO_DATA:
            flags_of.setdefault(s.task_id, []).append(
                f"{s.metric}：年度目标{fmt_value(s.target, s.unit)}，未报送可量化的完成值"
            )
        if s.kind == "cumulative" and not is_missing(s.ratio):
            ratios_of.setdefault(s.task_id, []).append(min(float(s.ratio), 1.0))
    prog = progress.set_index("task_id")
    texts = dict(zip(prog.index, prog["progress"], strict=True))
    reported = dict(zip(prog.index, prog["reported_status"], strict=True))
    returned = dict(zip(prog.index, prog["returned"], strict=True)) if "returned" in prog else {}
    rows = []
    register_cols = ("task_id", "section", "task", "leaders", "lead_units", "partner_units")
    for task in tasks[list(register_cols)].itertuples(index=False):
        tid = task.task_id
        text = "" if is_missing(texts[tid]) else str(texts[tid])
        reasons = list(reasons_of.get(tid, []))
        flags = list(flags_of.get(tid, []))
        reasons.extend(f"进展情况称“{w}”" for w in slippage_words(text, settings))
        flags.extend(f"进展情况称“{w}”（前期阶段）" for w in early if w in text)
        if not bool(returned.get(tid, True)) or not text.strip():
            computed = TaskStatus.NOT_REPORTED
            reasons = ["未报送进展情况"]
        elif reasons:
            computed = TaskStatus.LAGGING
        else:
            computed = TaskStatus.NORMAL
        ratios = ratios_of.get(tid, [])
        rows.append(
            {
                **task._asdict(),
                "reported_status": reported[tid],
                "computed_status": str(computed),
                "agrees": reported[tid] == computed,
                "reasons": "；".join(reasons),
                "flags": "；".join(reasons + flags),
                "n_subtargets": count_of.get(tid, 0),
                "mean_ratio": sum(ratios) / len(ratios) if ratios else float("nan"),
                "progress": text,
            }
        )
    return pd.DataFrame(rows)


def disagreements(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks whose computed status differs from the office's filing, with the reason."""
    cols = [
        "task_id",
        "section",
        "task",
        "lead_units",
        "reported_status",
        "computed_status",
        "reasons",
    ]
    # A task the office has not judged yet (未认定) cannot disagree with its judgement.
    judged = tasks["reported_status"] != TaskStatus.UNJUDGED
    out = tasks.loc[~tasks["agrees"] & judged, cols].copy()
    out["reasons"] = out.apply(lambda r: r["reasons"] or "数值与进展文字均未显示滞后", axis=1)
    return out.reset_index(drop=True)
