"""``workreport extract``: read targets and actuals from any CSV or Excel sheet of task and progress.

A tool for the analyst checking a new unit's submission (or another government's progress
table) before it goes into the register. The headers may be English or Chinese:

* the task: ``task``, ``工作任务``, ``任务内容``, ``重点任务``, ``目标任务``;
* the progress: ``progress``, ``进展情况``, ``完成情况``, ``任务进展情况``, ``推进情况``;
* an id (optional): ``task_id``, ``序号``, ``编号``.

Every sub-target is written with the text span each of its numbers came from
(``target_span``, ``actual_span``, ``stated_rate_text``), so a figure can be checked against
the words at a glance.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.compute.engine import compute_subtargets
from helpers.core import paths
from helpers.core.config import load_settings
from helpers.core.errors import DataError, ProblemList
from helpers.core.messages import say
from helpers.core.writing import free_path, refuse_inside_data, write_csv
from helpers.present.tables import targets_table
from helpers.read.importers import HEADER_WORDS
from helpers.read.loading import read_text_csv

# The header words `workreport import` knows for these columns (one list for both commands).
HEADER_SYNONYMS = {
    "task": ("task", *HEADER_WORDS["task"]),
    "progress": ("progress", *HEADER_WORDS["progress"]),
    "task_id": ("task_id", *HEADER_WORDS["seq"]),
}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# Columns added to the targets.csv layout: where each number came from.
SPAN_COLUMNS = [
    "target_span",
    "target_approx",
    "actual_span",
    "actual_approx",
    "baseline",
    "target_range",
    "stated_rate",
    "stated_rate_text",
]


def _canonical_headers(df: pd.DataFrame) -> pd.DataFrame:
    """Rename the first column matching each synonym list to its canonical name."""
    clean = {c: "".join(str(c).split()) for c in df.columns}
    renames = {}
    for canonical, names in HEADER_SYNONYMS.items():
        for col, text in clean.items():
            if text.lower() in names and col not in renames:
                renames[col] = canonical
                break
    return df.rename(columns=renames)


def read_submission(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8) or an Excel sheet as text, with canonical ``task``/``progress`` headers.

    Raises
    ------
    DataError
        Missing file, not UTF-8, an unreadable workbook, missing columns.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError.at(path, say("file.not_found"))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=str).fillna("")
        except (ValueError, KeyError, OSError) as exc:
            raise DataError.at(path, say("file.unreadable_workbook", detail=exc)) from exc
        df = df[~(df.apply(lambda col: col.str.strip() == "")).all(axis=1)]
    else:
        df = read_text_csv(path, [])
    df = _canonical_headers(df)
    missing = [c for c in ("task", "progress") if c not in df.columns]
    if missing:
        raise DataError.at(
            path,
            say(
                "extract.missing_columns",
                missing="、".join(missing),
                have="、".join(map(str, df.columns)),
            ),
            row=1,
            column=missing[0],
        )
    return df


def extract_csv(path: str | Path, quarter: int = 3, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV or Excel sheet of task and progress text and return its sub-targets.

    Rows get ids ``R1``, ``R2`` … (or the file's ``task_id``/``序号`` column when it has one).
    The result has the ``targets.csv`` columns followed by ``SPAN_COLUMNS``.

    Raises
    ------
    DataError
        Missing file, not UTF-8, missing columns, empty task text.
    """
    path = Path(path)
    if not 1 <= int(quarter) <= 4:
        raise DataError.at("parameters", say("param.quarter", value=quarter), column="quarter")
    df = read_submission(path, sheet)
    problems = ProblemList()
    for i, text in df["task"].items():
        if not str(text).strip():
            problems.add(path, say("extract.empty_task"), row=i + 2, column="task")
    problems.raise_if_any()
    if "task_id" in df.columns and df["task_id"].str.strip().all() and df["task_id"].is_unique:
        ids = list(df["task_id"].str.strip())
    else:
        ids = [f"R{i + 1}" for i in range(len(df))]
    tasks = pd.DataFrame({"task_id": ids, "task": list(df["task"])})
    progress = pd.DataFrame({"task_id": ids, "progress": list(df["progress"])})
    months = int(quarter) * 3
    subs = compute_subtargets(tasks, progress, months, load_settings())
    table = targets_table(subs)
    for col in SPAN_COLUMNS:
        table[col] = subs[col].to_numpy() if col in subs.columns else ""
    return table


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
        raise DataError.at(out, say("out.is_folder_csv"), column="--out")
    return write_csv(df, free_path(out))
