"""Progress against annual targets and against the time elapsed (序时进度), and its status.

Three kinds of target, three rules (docs/method.md, section 2):

- cumulative (拆除150万平方米违法建筑): 完成率 = actual / target, compared with 序时进度 for the
  figure's own period (1-8月 is judged against 8/12, not the report's 9/12);
- growth (增长7%): the year-to-date growth is compared with the annual rate directly;
- level (占比60%以上): the current level is compared with the target level directly.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.config import Settings
from helpers.core.errors import ProblemList
from helpers.core.fmt import is_missing
from helpers.core.messages import say
from helpers.core.vocab import SubtargetStatus
from helpers.read.loading import read_optional_csv

PERIOD_END = re.compile(r"(\d{1,2})-(\d{1,2})月")
TRAJECTORY_COLUMNS = ["task_id", "target_no", "Q1", "Q2", "Q3", "Q4"]


def period_end_month(period: str, default: int) -> int:
    """The last month of a period such as ``1-8月``; ``default`` when none is stated."""
    m = PERIOD_END.search(period or "")
    return int(m.group(2)) if m else default


def load_trajectories(path: str | Path | None) -> pd.DataFrame:
    """Load per-task trajectories: the expected share of the target at each quarter's end.

    The file is optional. Values are fractions (0.9) or percentages (90%); each row must rise
    (Q1 ≤ Q2 ≤ Q3 ≤ Q4) and stay between 0 and 1.
    """
    df = read_optional_csv(path, TRAJECTORY_COLUMNS)
    if df.empty:
        return df
    path = Path(path)
    problems = ProblemList()
    parsed = {q: [] for q in ("Q1", "Q2", "Q3", "Q4")}
    for i, r in df.iterrows():
        vals = []
        for q in ("Q1", "Q2", "Q3", "Q4"):
            text = r[q].strip()
            try:
                v = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
            except ValueError:
                problems.add(path, say("data.not_share", value=text), row=i + 2, column=q)
                v = float("nan")
            if v == v and not 0 <= v <= 1:  # v == v: not NaN
                problems.add(path, say("data.share_out_of_range", value=text), row=i + 2, column=q)
            vals.append(v)
            parsed[q].append(v)
        if vals != sorted(vals):
            problems.add(path, say("data.trajectory_falls"), row=i + 2)
        if not r["target_no"].strip().isdigit():
            problems.add(
                path,
                say("data.bad_target_no", value=r["target_no"]),
                row=i + 2,
                column="target_no",
            )
    problems.raise_if_any()
    out = pd.DataFrame({"task_id": df["task_id"], "target_no": df["target_no"].astype(int)})
    for q in ("Q1", "Q2", "Q3", "Q4"):
        out[q] = parsed[q]
    return out


def expected_share(
    month: int, trajectory: tuple[float, float, float, float] | None = None
) -> float:
    """序时进度 at the end of ``month``: month/12, or interpolated along a task's trajectory.

    >>> expected_share(9)
    0.75
    >>> round(expected_share(8), 4)
    0.6667
    >>> expected_share(9, (0.2, 0.5, 0.9, 1.0))
    0.9
    """
    if not 0 <= month <= 12:
        raise ValueError(f"month {month} is not 0-12")
    if trajectory is None:
        return month / 12
    xs = [0, 3, 6, 9, 12]
    ys = [0.0, *trajectory]
    return float(np.interp(month, xs, ys))


def _status_cumulative(ratio, expected, direction, th) -> tuple[str, float]:
    gap = (ratio - expected) * 100
    if direction == "lower":
        # A control limit (全年控制在37人以内): using less than the pro-rated limit is good.
        if ratio <= expected + th.on_track_tolerance_pp / 100:
            return SubtargetStatus.ON_PACE, gap
        return (SubtargetStatus.BEHIND if ratio <= 1 else SubtargetStatus.SEVERE), gap
    if ratio >= 1:
        return SubtargetStatus.DONE, gap
    if gap >= -th.on_track_tolerance_pp:
        return SubtargetStatus.ON_PACE, gap
    if gap >= -th.red_below_pp:
        return SubtargetStatus.BEHIND, gap
    return SubtargetStatus.SEVERE, gap


def _status_direct(actual, target, direction, amber_pp, met_word) -> tuple[str, float]:
    gap = actual - target
    shortfall = -gap if direction == "higher" else gap
    if shortfall <= 0:
        return met_word, gap
    return (SubtargetStatus.BEHIND if shortfall <= amber_pp else SubtargetStatus.SEVERE), gap


def compute_progress(
    targets: pd.DataFrame,
    report_months: int,
    settings: Settings,
    trajectories: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add 完成率, 序时进度, the gap and a status to every sub-target.

    Parameters
    ----------
    targets : DataFrame
        From ``helpers.compute.targets.read_targets``.
    report_months : int
        Months the report covers (9 for 1-9月).
    settings : Settings
        From ``helpers.core.config.load_settings``; uses ``thresholds``.
    trajectories : DataFrame, optional
        From ``load_trajectories``.

    Returns
    -------
    DataFrame
        ``targets`` with ``period_months``, ``ratio`` (fraction; cumulative targets only),
        ``expected_ratio``, ``gap_pp`` (个百分点: 完成率 − 序时 for cumulative targets, actual −
        target for growth and level) and ``status``. The sentence a reader sees is written by
        ``helpers.present.wording.subtarget_phrase``.
    """
    th = settings.thresholds
    traj = {}
    if trajectories is not None and not trajectories.empty:
        for r in trajectories.itertuples():
            traj[(r.task_id, int(r.target_no))] = (r.Q1, r.Q2, r.Q3, r.Q4)
    out = targets.copy()
    months, ratios, expected, gaps, statuses = [], [], [], [], []
    for r in out.itertuples():
        month = period_end_month(r.actual_period, report_months)
        months.append(month)
        exp = expected_share(month, traj.get((r.task_id, int(r.target_no))))
        stated = getattr(r, "stated_rate", np.nan)
        if (
            is_missing(r.actual)
            and r.kind == "cumulative"
            and not is_missing(r.target)
            and not is_missing(stated)
        ):
            # No figure read, but the text states its 完成率 (完成年度任务的52%): use it, said so.
            ratio = stated / 100
            status, gap = _status_cumulative(ratio, exp, r.direction, th)
            ratios.append(ratio)
            expected.append(exp)
            gaps.append(gap)
            statuses.append(status)
            continue
        if is_missing(r.actual) or is_missing(r.target):
            ratios.append(np.nan)
            expected.append(exp if r.kind == "cumulative" else np.nan)
            gaps.append(np.nan)
            statuses.append(SubtargetStatus.NO_DATA)
            continue
        if r.kind == "cumulative":
            if r.target <= 0:
                ratios.append(np.nan)
                expected.append(exp)
                gaps.append(np.nan)
                statuses.append(SubtargetStatus.NO_DATA)
                continue
            ratio = r.actual / r.target
            status, gap = _status_cumulative(ratio, exp, r.direction, th)
            ratios.append(ratio)
            expected.append(exp)
            gaps.append(gap)
            statuses.append(status)
        else:
            amber = th.growth_amber_pp if r.kind == "growth" else th.level_amber_pp
            met = SubtargetStatus.ON_PACE if r.kind == "growth" else SubtargetStatus.DONE
            status, gap = _status_direct(r.actual, r.target, r.direction, amber, met)
            ratios.append(np.nan)
            expected.append(np.nan)
            gaps.append(gap)
            statuses.append(status)
    out["period_months"] = months
    out["ratio"] = ratios
    out["expected_ratio"] = expected
    out["gap_pp"] = gaps
    out["status"] = [str(s) for s in statuses]
    return out


def fill_level_ratios(subtargets: pd.DataFrame) -> pd.DataFrame:
    """A copy where each higher-is-better level target (占比60%以上) without a 完成率 gets the level
    reached over the target level, so that it can sit beside cumulative targets in averages and
    charts. Growth targets keep no ratio: a growth rate is compared, never divided.

    >>> df = pd.DataFrame({"kind": ["level", "growth"], "direction": ["higher", "higher"],
    ...                    "ratio": [float("nan")] * 2, "actual": [43.4, 2.6], "target": [60, 5.5]})
    >>> fill_level_ratios(df)["ratio"].round(3).tolist()
    [0.723, nan]
    """
    df = subtargets.copy()
    if not {"kind", "direction", "actual", "target", "ratio"} <= set(df.columns):
        return df
    level = (df["kind"] == "level") & (df["direction"] == "higher") & df["ratio"].isna()
    target = pd.to_numeric(df["target"], errors="coerce")
    reached = pd.to_numeric(df["actual"], errors="coerce") / target.where(target > 0)
    df.loc[level, "ratio"] = reached[level]
    return df
