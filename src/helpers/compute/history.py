"""Change since the last quarter, and where each cumulative target is heading by year end.

The projection is simple and said plainly: at the year-to-date pace (完成率 ÷ months × 12), and,
when the previous quarter exists, at the pace of the latest quarter. It flags the sub-targets that
would miss at that pace; it does not forecast. A sub-target already finished is not extrapolated:
its year is its current 完成率 (100% done in nine months is 100%, not 133%). Only cumulative
targets are projected: a growth rate or a level is compared with its target as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.compute.engine import Analysis, analyse
from helpers.core import paths
from helpers.core.fmt import is_missing
from helpers.core.messages import say
from helpers.core.vocab import SubtargetStatus

RANK = {s: i for i, s in enumerate(SubtargetStatus) if s != SubtargetStatus.NO_DATA}


@dataclass
class Change:
    """The comparison with the previous quarter of the same year (if there is one)."""

    available: bool
    message: str
    previous_quarter: int | None
    subtargets: pd.DataFrame  # task_id, target_no, metric, ratio_prev, ratio_now, status_prev, …
    tasks: pd.DataFrame  # task_id, task, computed_prev, computed_now, change


def earlier_quarters(data_dir: str | Path | None, year: int, quarter: int) -> list[int]:
    """Quarters of ``year`` before ``quarter`` that have progress data."""
    ydir = paths.year_dir(Path(data_dir or paths.DATA_DIR), year)
    return [q for q in range(1, quarter) if (ydir / f"Q{q}" / "progress.csv").is_file()]


def _status_change(before: str, now: str, lagging: frozenset[str]) -> str:
    """How a sub-target's status moved; ``lagging`` is the settings' lagging statuses."""
    if before == now:
        return "持续滞后" if now in lagging else "不变"
    if now in lagging:
        return "新增滞后"
    if before in lagging:
        return "恢复"
    if before in RANK and now in RANK:
        return "好转" if RANK[now] < RANK[before] else "变差"
    return "有变化"


def compare_with_previous(
    current: Analysis, data_dir: str | Path | None = None, settings_file: str | Path | None = None
) -> Change:
    """Compare a quarter's sub-targets and tasks with the latest earlier quarter of the year."""
    earlier = earlier_quarters(data_dir, current.year, current.quarter)
    if not earlier:
        have = (
            say("history.first_quarter")
            if current.quarter == 1
            else say("history.only_quarter", quarter=current.quarter)
        )
        return Change(
            False,
            say("history.none_earlier", year=current.year, have=have),
            None,
            pd.DataFrame(),
            pd.DataFrame(),
        )
    q = earlier[-1]
    lagging = frozenset(str(s) for s in current.settings.thresholds.lagging_statuses)
    prev = analyse(current.year, q, data_dir, settings_file)
    key = ["task_id", "target_no"]
    cols = ["ratio", "status", "actual", "actual_period", "period_months"]
    merged = current.subtargets[[*key, "metric", "kind", "target", "unit", *cols]].merge(
        prev.subtargets[[*key, *cols]], on=key, how="left", suffixes=("_now", "_prev")
    )
    merged["change"] = [
        "上期无此子目标" if is_missing(b) else _status_change(b, n, lagging)
        for b, n in zip(merged["status_prev"], merged["status_now"], strict=True)
    ]
    tasks = current.tasks[["task_id", "task", "lead_units", "computed_status"]].merge(
        prev.tasks[["task_id", "computed_status"]],
        on="task_id",
        how="left",
        suffixes=("_now", "_prev"),
    )
    tasks["change"] = [
        "上期无此任务" if is_missing(b) else ("不变" if b == n else f"{b}→{n}")
        for b, n in zip(tasks["computed_status_prev"], tasks["computed_status_now"], strict=True)
    ]
    return Change(
        True, say("history.compared", year=current.year, quarter=q, months=q * 3), q, merged, tasks
    )


#: What the projection says of a sub-target (the table words them: ``wording.OUTLOOK``).
DONE, MISS, MAKE = "done", "miss", "make"


def project_year_end(subtargets: pd.DataFrame, change: Change | None = None) -> pd.DataFrame:
    """Project each cumulative sub-target's 完成率 at year end at the current pace.

    Only cumulative, higher-is-better sub-targets with a 完成率 are projected (a growth rate or
    a level is compared with its target directly, never extrapolated). A finished one (status
    已完成, or 完成率 at or above 100%) is finished: its projection is its current 完成率 at
    either pace, never an extrapolation of it; only the sub-targets still under way are
    extrapolated.

    Returns
    -------
    DataFrame
        task_id, target_no, metric, ratio, months, projected (YTD pace), projected_recent (the
        latest quarter's pace, when the previous quarter exists), finished, will_miss, and
        outlook (:data:`DONE` finished, :data:`MISS` would miss at the slower pace, :data:`MAKE`
        would make it). The sentence is ``helpers.present.wording.projection_phrase``.
    """
    s = subtargets[(subtargets["kind"] == "cumulative") & (subtargets["direction"] == "higher")]
    s = s.dropna(subset=["ratio"])
    out = s[["task_id", "target_no", "metric", "ratio", "period_months", "status"]].copy()
    finished = (out["status"] == SubtargetStatus.DONE.value) | (out["ratio"] >= 1)
    out["projected"] = out["ratio"].where(finished, out["ratio"] / out["period_months"] * 12)
    out["projected_recent"] = np.nan
    if change is not None and change.available:
        prev = change.subtargets.set_index(["task_id", "target_no"])
        recent = []
        for r, done in zip(out.itertuples(), finished, strict=True):
            key = (r.task_id, r.target_no)
            if done:
                recent.append(r.ratio)
            elif key in prev.index and not is_missing(prev.loc[key, "ratio_prev"]):
                months = r.period_months - prev.loc[key, "period_months_prev"]
                pace = (r.ratio - prev.loc[key, "ratio_prev"]) / months if months > 0 else np.nan
                recent.append(r.ratio + pace * (12 - r.period_months))
            else:
                recent.append(np.nan)
        out["projected_recent"] = recent
    worst = out[["projected", "projected_recent"]].min(axis=1)
    out["finished"] = finished
    out["will_miss"] = ~finished & (worst < 1)
    out["outlook"] = np.select([finished, out["will_miss"]], [DONE, MISS], MAKE)
    return out.reset_index(drop=True)
