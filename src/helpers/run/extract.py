"""``workreport extract``: read targets and actuals from any CSV of task and progress text.

A tool for the analyst checking a new unit's submission before it goes into the register.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.compute.engine import compute_subtargets
from helpers.core import paths
from helpers.core.config import load_settings
from helpers.core.errors import DataError, ProblemList
from helpers.core.writing import free_path, refuse_inside_data, write_csv
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


def write_extract(df: pd.DataFrame, out: str | Path, data_dir: str | Path | None = None) -> Path:
    """Write the result of ``extract_csv`` as CSV: never into the data folder, never over a file.

    An existing file is kept and the result gets the next free name (``name(2).csv`` …).

    Raises
    ------
    DataError
        ``out`` inside the data folder, or a folder.
    """
    out = Path(out)
    refuse_inside_data(out, paths.DATA_DIR if data_dir is None else data_dir, holds=False)
    if out.is_dir():
        raise DataError.at(out, "这是一个文件夹；--out 须是一个 .csv 文件", column="--out")
    return write_csv(df, free_path(out))
