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
from helpers.core.distinct import each_once
from helpers.core.errors import ProblemList
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
    quarters = ("Q1", "Q2", "Q3", "Q4")
    rows = zip(df.index, df["target_no"].tolist(), *(df[q].tolist() for q in quarters), strict=True)
    for i, target_no, *cells in rows:
        vals = []
        for q, cell in zip(quarters, cells, strict=True):
            text = cell.strip()
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
        if not target_no.strip().isdigit():
            problems.add(
                path,
                say("data.bad_target_no", value=target_no),
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


def _status_cumulative(ratio, expected, direction, th):
    """Status and gap (个百分点) of 完成率 ``ratio`` against 序时 ``expected``, element-wise."""
    gap = (ratio - expected) * 100
    # A control limit (全年控制在37人以内): using less than the pro-rated limit is good.
    lower = np.select(
        [ratio <= expected + th.on_track_tolerance_pp / 100, ratio <= 1],
        [SubtargetStatus.ON_PACE.value, SubtargetStatus.BEHIND.value],
        SubtargetStatus.SEVERE.value,
    )
    higher = np.select(
        [ratio >= 1, gap >= -th.on_track_tolerance_pp, gap >= -th.red_below_pp],
        [SubtargetStatus.DONE.value, SubtargetStatus.ON_PACE.value, SubtargetStatus.BEHIND.value],
        SubtargetStatus.SEVERE.value,
    )
    return np.where(np.asarray(direction) == "lower", lower, higher), gap


def _status_direct(actual, target, direction, amber_pp, met_word):
    """Status and gap of a growth rate or level compared with its target directly, element-wise."""
    gap = actual - target
    shortfall = np.where(np.asarray(direction) == "higher", -gap, gap)
    status = np.select(
        [shortfall <= 0, shortfall <= amber_pp],
        [met_word, SubtargetStatus.BEHIND.value],
        SubtargetStatus.SEVERE.value,
    )
    return status, gap


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
    out = targets.copy()
    if not len(out):
        for col in ("period_months", "ratio", "expected_ratio", "gap_pp", "status"):
            out[col] = []
        return out
    months = np.array(
        each_once(period_end_month, out["actual_period"].tolist(), report_months), dtype=np.int64
    )
    outside = np.flatnonzero((months < 0) | (months > 12))
    if len(outside):
        expected_share(int(months[outside[0]]))  # raises, naming the month
    exp = months / 12
    if trajectories is not None and not trajectories.empty:
        traj = {
            (t, int(n)): (q1, q2, q3, q4)
            for t, n, q1, q2, q3, q4 in zip(
                *(trajectories[c].tolist() for c in TRAJECTORY_COLUMNS), strict=True
            )
        }
        ids, nos = out["task_id"].to_numpy(dtype=object), out["target_no"].to_numpy(dtype=object)
        for k in np.flatnonzero(out["task_id"].isin({t for t, _ in traj}).to_numpy(dtype=bool)):
            path = traj.get((ids[k], int(nos[k])))
            if path is not None:
                exp[k] = expected_share(int(months[k]), path)
    actual, target = _floats(out, "actual"), _floats(out, "target")
    stated = _floats(out, "stated_rate")
    kind = out["kind"].to_numpy(dtype=object)
    direction = out["direction"].to_numpy(dtype=object)
    cumulative = kind == "cumulative"
    # No figure read, but the text states its 完成率 (完成年度任务的52%): use it, said so.
    from_stated = np.isnan(actual) & cumulative & ~np.isnan(target) & ~np.isnan(stated)
    no_data = ~from_stated & (np.isnan(actual) | np.isnan(target))
    measured = ~from_stated & ~no_data & cumulative
    no_data |= measured & (target <= 0)
    measured &= ~(target <= 0)
    direct = ~from_stated & ~no_data & ~cumulative & ~measured
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(from_stated, stated / 100, np.where(measured, actual / target, np.nan))
        status, gap = _status_cumulative(ratio, exp, direction, th)
        growth = kind == "growth"
        met = np.where(growth, SubtargetStatus.ON_PACE.value, SubtargetStatus.DONE.value)
        amber = np.where(growth, th.growth_amber_pp, th.level_amber_pp)
        d_status, d_gap = _status_direct(actual, target, direction, amber, met)
    by_ratio = from_stated | measured
    out["period_months"] = months
    out["ratio"] = ratio
    out["expected_ratio"] = np.where(cumulative, exp, np.nan)
    out["gap_pp"] = np.where(by_ratio, gap, np.where(direct, d_gap, np.nan))
    out["status"] = np.where(
        by_ratio, status, np.where(direct, d_status, SubtargetStatus.NO_DATA.value)
    ).tolist()
    return out


def _floats(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64, missing values (None, NaN, NA) as NaN; all NaN when absent."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    return df[column].to_numpy(dtype="float64", na_value=np.nan)


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
