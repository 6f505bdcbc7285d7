"""The whole computation for one quarter, in one call: load, read targets, compute, classify, check.

Notebooks and the command line both call ``analyse``; nothing is computed twice or differently.
"""

from __future__ import annotations

import hashlib
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

import helpers
from helpers.compute.checks import run_checks
from helpers.compute.classify import classify_indicators, classify_tasks, disagreements
from helpers.compute.progress import compute_progress, load_trajectories
from helpers.compute.targets import (
    figure_source_texts,
    load_curation,
    load_returned,
    read_targets,
)
from helpers.core import paths
from helpers.core.config import Settings, load_settings, settings_file_for
from helpers.core.errors import DataError, Problem
from helpers.core.messages import say
from helpers.core.vocab import Period, TaskStatus
from helpers.read.loading import (
    COLUMN_NAMES,
    GROUPING_COLUMNS,
    MISSING_FILE,
    QuarterData,
    load_quarter,
)


@dataclass
class Analysis:
    """Everything the report shows for one quarter."""

    year: int
    quarter: int
    report_months: int
    data: QuarterData
    settings: Settings
    indicators: pd.DataFrame
    subtargets: pd.DataFrame
    tasks: pd.DataFrame
    disagreements: pd.DataFrame
    checks: pd.DataFrame
    provenance: dict = field(default_factory=dict)
    #: Seconds each step of :func:`analyse` took, in order (``load``, ``read_targets`` …).
    timings: dict[str, float] = field(default_factory=dict)
    #: Every file the result depends on, present or not (data, side files, settings): the key
    #: of a cached analysis (:mod:`helpers.compute.cache`).
    inputs: dict[str, str] = field(default_factory=dict)

    @property
    def reporting_period(self) -> Period:
        """The report's year-to-date period."""
        return Period(self.year, self.quarter)

    @property
    def period(self) -> str:
        """The year-to-date period of the report, as the office writes it (``1-9月``)."""
        return self.reporting_period.label

    def summary(self) -> dict:
        """The counts a report states, for ``summary.json`` and the narrative."""
        ind = self.indicators["status"].value_counts()
        rep = self.tasks["reported_status"].value_counts()
        comp = self.tasks["computed_status"].value_counts()
        sub = self.subtargets["status"].value_counts()
        return {
            "year": self.year,
            "quarter": self.quarter,
            "period": self.period,
            "indicators": len(self.indicators),
            "indicators_by_status": {k: int(v) for k, v in ind.items()},
            "tasks": len(self.tasks),
            "tasks_by_reported_status": {k: int(v) for k, v in rep.items()},
            "tasks_by_computed_status": {k: int(v) for k, v in comp.items()},
            "tasks_with_numeric_targets": int(self.subtargets["task_id"].nunique()),
            "subtargets": len(self.subtargets),
            "subtargets_by_status": {k: int(v) for k, v in sub.items()},
            "subtargets_curated": int((self.subtargets["source"] == "curated").sum()),
            "disagreements": len(self.disagreements),
            "checks_by_severity": {
                k: int(v) for k, v in self.checks["severity"].value_counts().items()
            },
            "provenance": self.provenance,
        }


def validate_parameters(year, quarter, data_dir=None, settings_file=None) -> tuple[int, int]:
    """Check notebook or command-line parameters; return (year, quarter) as ints.

    papermill checks no types (``-p quarter "3"`` arrives as a string), so this does.

    Raises
    ------
    DataError
        With the parameter's name and what was expected.
    """

    def as_int(name, value, lo, hi):
        if isinstance(value, bool):
            raise DataError.at(
                "parameters", say("param.not_whole", name=name, value=value), column=name
            )
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise DataError.at(
                "parameters",
                say("param.not_whole_in", name=name, lo=lo, hi=hi, value=value),
                column=name,
            ) from None
        if not lo <= number <= hi:
            raise DataError.at(
                "parameters",
                say("param.out_of_range", name=name, lo=lo, hi=hi, value=number),
                column=name,
            )
        return number

    y = as_int("year", year, 2000, 2100)
    q = as_int("quarter", quarter, 1, 4)
    if data_dir and not Path(data_dir).is_dir():
        raise DataError.at("parameters", say("param.no_data_dir", path=data_dir), column="data_dir")
    if settings_file and not Path(settings_file).is_file():
        raise DataError.at(
            "parameters", say("param.no_settings", path=settings_file), column="settings_file"
        )
    return y, q


def _refuse_absurd(subtargets: pd.DataFrame, settings: Settings, files: dict) -> None:
    """Stop on a 完成率 so large it can only be a unit or data error (default above 10,000%).

    A report with such a figure would mislead; the analyst corrects the return or curates the
    value (``curation.csv``) and runs again.
    """
    limit = settings.thresholds.absurd_ratio
    bad = subtargets[subtargets["ratio"].fillna(0) > limit]
    if bad.empty:
        return
    texts = dict(zip(bad.index, figure_source_texts(bad), strict=True))
    problems = [
        Problem(
            str(
                files["returned"]
                if r.source == "returned"
                else files["curation"]
                if r.source == "curated"
                else "progress.csv"
            ),
            say(
                "data.ratio_too_high",
                task=r.task_id,
                target_no=r.target_no,
                metric=r.metric,
                ratio=r.ratio,
                target=r.target,
                unit=r.unit,
                limit=limit,
                text=texts[r.Index],
            ),
            column="actual",
        )
        for r in bad.itertuples()
    ]
    raise DataError(problems)


def missing_findings(data: QuarterData) -> pd.DataFrame:
    """提示 rows saying what the register and the returns lack (optional columns, files, status).

    The report runs without them; these rows, in the 数据核查 table, say what is not shown.
    """
    rows = []
    for kind, columns in data.missing.items():
        name = data.files[kind].name
        if MISSING_FILE in columns:
            rows.append(
                (
                    "台账缺项",
                    name,
                    say("check.no_indicator_file", name=name),
                )
            )
            continue
        for col in columns:
            if col == "reported_status":
                shown = say("check.shown_as", word=TaskStatus.UNJUDGED)
            elif col in GROUPING_COLUMNS:  # no task has one: the report is not grouped by it
                shown = say("check.not_grouped", label=COLUMN_NAMES[col])
            else:
                shown = say("check.shown_empty")
            rows.append(
                (
                    "台账缺项",
                    say("check.missing_column_item", name=name, column=col),
                    say(
                        "check.missing_column",
                        name=name,
                        label=COLUMN_NAMES.get(col, col),
                        column=col,
                        shown=shown,
                    ),
                )
            )
    unjudged = data.progress[data.progress["reported_status"] == TaskStatus.UNJUDGED]
    if len(unjudged):
        rows.append(
            (
                "督查办未认定",
                data.files["progress"].name,
                say(
                    "check.unjudged",
                    count=len(unjudged),
                    word=TaskStatus.UNJUDGED,
                    ids="、".join(unjudged["task_id"]),
                ),
            )
        )
    return pd.DataFrame(
        [
            {"severity": "提示", "check": c, "item": i, "finding": f, "source_text": ""}
            for c, i, f in rows
        ],
        columns=["severity", "check", "item", "finding", "source_text"],
    )


def _sha256(path: Path) -> str:
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class StepTimer:
    """Wall-clock seconds per named step, in the order the steps ran.

    The engine times itself, so a benchmark reads ``Analysis.timings`` instead of wrapping
    functions by name (a renamed step would silently stop being timed).

    >>> timer = StepTimer()
    >>> with timer.step("load"):
    ...     pass
    >>> list(timer.seconds)
    ['load']
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def compute_subtargets(
    tasks: pd.DataFrame,
    progress: pd.DataFrame,
    months: int,
    settings: Settings,
    curation: pd.DataFrame | None = None,
    returned: pd.DataFrame | None = None,
    trajectories: pd.DataFrame | None = None,
    timer: StepTimer | None = None,
) -> pd.DataFrame:
    """Read every task's sub-targets and actuals and compute 完成率 against 序时进度.

    ``tasks`` needs ``task_id`` and ``task`` (``section`` optional); ``progress`` needs
    ``task_id`` and ``progress``. This is the engine's one path from text to numbers, used by
    :func:`analyse` and by ``workreport extract``.
    """
    timer = timer or StepTimer()
    with timer.step("read_targets"):
        targets = read_targets(tasks, progress, months, curation, returned)
    with timer.step("progress"):
        subtargets = compute_progress(targets, months, settings, trajectories)
    ids = tasks["task_id"].tolist()
    sections = tasks["section"].tolist() if "section" in tasks.columns else [""] * len(ids)
    section = dict(zip(ids, sections, strict=True))
    task_text = dict(zip(ids, tasks["task"].tolist(), strict=True))
    subtargets.insert(1, "section", subtargets["task_id"].map(section))
    subtargets.insert(2, "task", subtargets["task_id"].map(task_text))
    return subtargets


def analyse(
    year: int = 2022,
    quarter: int = 3,
    data_dir: str | Path | None = None,
    settings_file: str | Path | None = None,
) -> Analysis:
    """Run the whole engine for one quarter.

    Parameters
    ----------
    year, quarter : int
        The reporting year and quarter (1-4); the report covers 1 to 3×quarter months.
    data_dir : str or Path, optional
        The data folder (default: the pack's ``data/``).
    settings_file : str or Path, optional
        A TOML file overriding thresholds, words or labels.

    Returns
    -------
    Analysis
    """
    timer = StepTimer()
    with timer.step("load"):
        year, quarter = validate_parameters(year, quarter, data_dir, settings_file)
        data_dir = Path(data_dir or paths.DATA_DIR)
        # An office's data folder carries its own names (``workreport init`` writes the file).
        settings_file = settings_file_for(data_dir, settings_file)
        settings = load_settings(settings_file)
        months = Period(year, quarter).months
        data = load_quarter(data_dir, year, quarter)
        ydir = paths.year_dir(data_dir, year)
        curation_file = ydir / "curation.csv"
        trajectory_file = ydir / "trajectories.csv"
        curation = load_curation(curation_file)
        trajectories = load_trajectories(trajectory_file)
        returned_file = paths.quarter_dir(data_dir, year, quarter) / "returned_actuals.csv"
        returned = load_returned(returned_file)
    subtargets = compute_subtargets(
        data.tasks, data.progress, months, settings, curation, returned, trajectories, timer
    )
    _refuse_absurd(subtargets, settings, {"curation": curation_file, "returned": returned_file})
    with timer.step("classify_indicators"):
        indicators = classify_indicators(data.indicators, data.indicator_progress, months, settings)
    with timer.step("classify_tasks"):
        tasks = classify_tasks(
            data.tasks,
            data.progress,
            subtargets,
            settings,
            next_year=year + 1,
            report_months=months,
        )
    with timer.step("checks"):
        checks = run_checks(
            data.stated, tasks, indicators, subtargets, data.progress, months, settings
        )
        checks = pd.concat([checks, missing_findings(data)], ignore_index=True)
    used = {
        **data.files,
        "curation": curation_file,
        "trajectories": trajectory_file,
        "returned_actuals": returned_file,
    }
    provenance = {
        "pack_version": helpers.__version__,
        "generated_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "parameters": {
            "year": year,
            "quarter": quarter,
            "data_dir": str(data_dir),
            "settings_file": str(settings_file or ""),
        },
        "thresholds": settings.as_dict()["thresholds"],
        "files": {
            k: {"path": str(p), "sha256": _sha256(p)} for k, p in used.items() if Path(p).is_file()
        },
    }
    return Analysis(
        year,
        quarter,
        months,
        data,
        settings,
        indicators,
        subtargets,
        tasks,
        disagreements(tasks),
        checks,
        provenance,
        timer.seconds,
        {
            **{k: str(p) for k, p in used.items()},
            "settings": str(settings_file or ""),
            "default_settings": str(paths.DEFAULT_SETTINGS),
        },
    )
