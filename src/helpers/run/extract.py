"""``workreport extract``: read targets and actuals from any CSV of task and progress text.

A tool for the analyst checking a new unit's submission before it goes into the register.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.compute.engine import compute_subtargets
from helpers.core.config import load_settings
from helpers.core.errors import DataError, ProblemList
from helpers.present.tables import targets_table
from helpers.read.loading import read_text_csv


def extract_csv(path: str | Path, quarter: int = 3) -> pd.DataFrame:
    """Read a CSV with columns ``task`` and ``progress`` and return its sub-targets.

    Rows get ids ``R1``, ``R2`` … (or the file's ``task_id`` column when it has one). The result
    has the ``targets.csv`` columns.

    Raises
    ------
    DataError
        Missing file, not UTF-8, missing columns, empty task text.
    """
    path = Path(path)
    if not 1 <= int(quarter) <= 4:
        raise DataError.at("parameters", f"quarter must be 1-4, got {quarter}", column="quarter")
    if not path.is_file():
        raise DataError.at(path, "file not found")
    df = read_text_csv(path, ["task", "progress"])
    problems = ProblemList()
    for i, text in df["task"].items():
        if not text.strip():
            problems.add(path, "empty task text", row=i + 2, column="task")
    problems.raise_if_any()
    ids = df["task_id"] if "task_id" in df.columns else [f"R{i + 1}" for i in range(len(df))]
    tasks = pd.DataFrame({"task_id": list(ids), "task": df["task"]})
    progress = pd.DataFrame({"task_id": list(ids), "progress": df["progress"]})
    months = int(quarter) * 3
    return targets_table(compute_subtargets(tasks, progress, months, load_settings()))
