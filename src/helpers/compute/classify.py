"""Classify indicators and tasks, and list where the numbers disagree with the office's filing.

The office's own judgement (``reported_status``) is kept as it was filed. The computed status is
set beside it, from the numbers and from words in the progress text that signal slippage; a
disagreement is shown, never silently resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.compute.slippage import read_slippage
from helpers.core.config import Settings
from helpers.core.distinct import each_once
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
    if not len(tasks):
        return pd.DataFrame([])
    register_cols = ("task_id", "section", "task", "leaders", "lead_units", "partner_units")
    out = {col: tasks[col].tolist() for col in register_cols}
    # Tasks by distinct id (a register repeating an id gives each copy the same row) and each
    # task's row in the progress table (the last of equal ids), or -1: every per-task value
    # below is taken from arrays by these positions.
    task_code, task_ids = pd.factorize(np.array(out["task_id"], dtype=object))
    ids = progress["task_id"].tolist()
    row_of = {t: k for k, t in enumerate(ids)}
    at = np.fromiter((row_of.get(t, -1) for t in task_ids), dtype=np.int64, count=len(task_ids))
    at = at[task_code]
    text = _pick(each_once(_text, progress["progress"].tolist()), at, "")
    reported = _pick(progress["reported_status"].tolist(), at, "").tolist()
    returned = (
        _pick(progress["returned"].tolist(), at, True)
        if "returned" in progress.columns
        else np.full(len(at), True, dtype=object)
    )
    # Slippage is read once per distinct progress text (a register repeats its texts).
    text_code, distinct = pd.factorize(text)
    lagging_kinds = frozenset(settings.cues.lagging_kinds)
    slips = [_slippage_of(t, settings, next_year, lagging_kinds) for t in distinct]

    def slip(field: str) -> np.ndarray:
        return np.array([getattr(s, field) for s in slips] or [""], dtype=object)[text_code]

    per_task = _subtargets_by_task(subtargets, task_ids, progress, settings)
    lagging = per_task.n_lagging[task_code] > 0
    not_reported = ~returned.astype(bool) | slip("blank").astype(bool)
    main, hits = slip("main").astype(bool), slip("flags") != ""
    computed = np.select(
        [not_reported, lagging | main, hits],
        [TaskStatus.NOT_REPORTED.value, TaskStatus.LAGGING.value, TaskStatus.NORMAL.value],
        TaskStatus.NORMAL.value,
    ).tolist()
    scope = np.select(
        [not_reported, lagging | main, hits],
        [Slippage.NONE.value, Slippage.WHOLE.value, Slippage.PART.value],
        Slippage.NONE.value,
    ).tolist()

    def shown(field: str) -> list[str]:
        """What the text says, on a task that has reported."""
        return np.where(not_reported, "", slip(field)).tolist()

    out["reported_status"] = reported
    out["computed_status"] = computed
    out["agrees"] = [r == c for r, c in zip(reported, computed, strict=True)]
    out["slippage"] = scope
    out["slip_kinds"] = shown("kinds")
    out["evidence"] = shown("evidence")
    out["cause"] = shown("cause")
    out["subtask"] = shown("subtask")
    out["lagging_metrics"] = per_task.lagging[task_code].tolist()
    out["behind_metrics"] = per_task.behind[task_code].tolist()
    out["scheduled"] = per_task.scheduled[task_code].tolist()
    out["flags"] = _joined(per_task.flags[task_code], slip("flags")).tolist()
    out["n_subtargets"] = per_task.count[task_code].tolist()
    out["mean_ratio"] = per_task.mean_ratio[task_code].tolist()
    out["progress"] = text.tolist()
    # What the units return on the form beside the progress text (存在问题, 下一步打算).
    for col in ("issues", "next_steps"):
        values = each_once(_text, progress[col].tolist()) if col in progress.columns else []
        out[col] = _pick(values, at if values else np.full(len(at), -1), "").tolist()
    return pd.DataFrame(out)


def _pick(values: list, at: np.ndarray, default) -> np.ndarray:
    """``values[k]`` for each position ``k`` of ``at``; ``default`` where ``k`` is -1."""
    table = np.empty(len(values) + 1, dtype=object)
    table[: len(values)] = values
    table[-1] = default
    return table[at]


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


def _joined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two columns of ``;`` lists as one, element-wise."""
    both = (first != "") & (second != "")
    return np.where(both, first + np.where(both, ";", "") + second, first + second)


@dataclass(frozen=True)
class _Slip:
    """What one progress text says of slippage, as the task table shows it."""

    blank: bool  # no text at all: the task is 未报送
    main: bool  # slippage of a lagging kind in the task's main part
    kinds: str = ""
    evidence: str = ""
    cause: str = ""
    subtask: str = ""
    flags: str = ""  # kind:cue of every hit ("" when none)


def _slippage_of(text: str, settings: Settings, next_year, lagging_kinds) -> _Slip:
    """Read slippage in one progress text (see :func:`classify_tasks`)."""
    hits = read_slippage(text, settings, next_year)
    several_parts = len({h.part.index for h in hits} | {0}) > 1 or (
        hits and hits[0].part.mark != ""
    )
    main = any(h.kind in lagging_kinds and (not several_parts or h.part.index == 0) for h in hits)
    evidence = _unique(h.sentence for h in hits)
    return _Slip(
        blank=not text.strip(),
        main=main,
        kinds=";".join(_unique(h.kind for h in hits)),
        evidence="；".join(_unique(evidence)),
        cause="；".join(_unique(h.cause for h in hits if h.cause)),
        subtask="；".join(
            _unique(_subtask_name(h.part) for h in hits if h.part.mark or h.part.heading)
        ),
        flags=";".join(f"{h.kind}:{h.cue}" for h in hits),
    )


@dataclass
class _PerTask:
    """The sub-targets' contribution to each task's row, by distinct task id (``;`` lists)."""

    count: np.ndarray
    n_lagging: np.ndarray
    lagging: np.ndarray  # metrics at a lagging status and not made up by scheduled work
    behind: np.ndarray  # metrics at 慢序时
    scheduled: np.ndarray  # metrics made up by completions scheduled before year-end
    flags: np.ndarray  # metric:status of the lagging, then the behind ones
    mean_ratio: np.ndarray


def _subtargets_by_task(
    subtargets: pd.DataFrame, task_ids: np.ndarray, progress: pd.DataFrame, settings: Settings
) -> _PerTask:
    """One pass over the sub-targets, as columns, for each task's lists and mean 完成率."""
    lagging_statuses = {str(s) for s in settings.thresholds.lagging_statuses}
    n = len(task_ids)
    if not len(subtargets):
        none = np.full(n, "", dtype=object)
        zero = np.zeros(n, dtype=np.int64)
        return _PerTask(zero, zero, none, none, none, none, np.full(n, np.nan))
    # Each sub-target's task (-1: a task not in the register, which no row shows).
    task = pd.Index(task_ids).get_indexer(subtargets["task_id"].to_numpy(dtype=object))
    status = subtargets["status"].to_numpy(dtype=object)
    kind = subtargets["kind"].to_numpy(dtype=object)
    direction = subtargets["direction"].to_numpy(dtype=object)
    metric = subtargets["metric"].to_numpy(dtype=object)
    actual = subtargets["actual"].to_numpy(dtype="float64", na_value=np.nan)
    target = subtargets["target"].to_numpy(dtype="float64", na_value=np.nan)
    ratio = subtargets["ratio"].to_numpy(dtype="float64", na_value=np.nan)
    in_lagging = subtargets["status"].isin(lagging_statuses).to_numpy(dtype=bool)
    behind = status == SubtargetStatus.BEHIND.value
    cumulative = kind == "cumulative"
    # A lagging or 慢序时 cumulative sub-target that completions scheduled before year-end make
    # up (计划年底完工，预计新增…) is not lagging.
    check = np.flatnonzero(
        (task >= 0)
        & (in_lagging | behind)
        & cumulative
        & (direction == "higher")
        & ~np.isnan(actual)
    )
    made_up = np.zeros(len(task), dtype=bool)
    if len(check):
        texts = dict(zip(progress["task_id"].tolist(), progress["progress"].tolist(), strict=True))
        ids = subtargets["task_id"].to_numpy(dtype=object)[check]
        units = subtargets["unit"].to_numpy(dtype=object)[check]
        keys = [(_text(texts.get(t)), u) for t, u in zip(ids, units, strict=True)]
        extra = np.array(each_once(_scheduled, keys), dtype="float64")
        made_up[check] = (extra != 0) & (actual[check] + extra >= target[check])
    lags = in_lagging & ~made_up
    behind &= ~lags & ~made_up
    by_ratio = cumulative & ~np.isnan(ratio)
    # A level target (占比60%以上) counts in the average as the level reached / target.
    with np.errstate(divide="ignore", invalid="ignore"):
        reached = actual / target
    level = (
        ~by_ratio
        & (kind == "level")
        & (direction == "higher")
        & ~np.isnan(actual)
        & ~np.isnan(target)
        & (target > 0)
    )
    share = np.minimum(np.where(by_ratio, ratio, reached), 1.0)
    flag = np.array([f"{m}:{s}" for m, s in zip(metric, status, strict=True)], dtype=object)
    known = task >= 0
    return _PerTask(
        count=np.bincount(task[known], minlength=n),
        n_lagging=np.bincount(task[known & lags], minlength=n),
        lagging=_join_by_task(n, task, metric, lags),
        behind=_join_by_task(n, task, metric, behind),
        scheduled=_join_by_task(n, task, metric, made_up),
        flags=_joined(_join_by_task(n, task, flag, lags), _join_by_task(n, task, flag, behind)),
        mean_ratio=_mean_by_task(n, task, share, known & (by_ratio | level)),
    )


def _scheduled(key: tuple[str, str]) -> float:
    return scheduled_addition(key[0], key[1])


def _join_by_task(n: int, task: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The ``;``-joined ``values`` of each task's ``rows``, in order ("" for a task with none)."""
    joined: dict[int, list] = {}
    keep = rows & (task >= 0)
    for t, v in zip(task[keep].tolist(), values[keep].tolist(), strict=True):
        joined.setdefault(t, []).append(v)
    out = np.full(n, "", dtype=object)
    for t, v in joined.items():
        out[t] = ";".join(v)
    return out


def _mean_by_task(n: int, task: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The mean of each task's ``values`` over ``rows`` (NaN for none), summed left to right
    as ``sum(...) / len(...)`` does."""
    task, values = task[rows], values[rows]
    order = np.argsort(task, kind="stable")
    task, values = task[order], values[order]
    counts = np.bincount(task, minlength=n)
    rank = np.arange(len(task)) - (np.cumsum(counts) - counts)[task]
    sums = np.zeros(n)
    for k in range(int(counts.max()) if len(task) else 0):
        at = rank == k
        sums[task[at]] += values[at]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


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
