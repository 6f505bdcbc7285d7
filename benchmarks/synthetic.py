"""Synthetic data for the benchmarks: registers of any size and districts of any quarters.

Both are built from the real 2022 rows, so the engine reads text of the real kind: tasks and
their progress cycle through the 131 real ones, with the quantities in each row multiplied by a
per-row factor that repeats every 23 rows (dates, periods, rankings and document numbers are left
alone), so a large register repeats its texts.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
YEAR = 2022
REAL_QUARTER = 3

# Arabic numerals that are quantities, not dates, periods, rankings, ids or document numbers:
# 2022年, 9月30日, 1-9月, 第4名, 〔2022〕25号, PM2.5, 5G and 2号楼 keep their digits, so that the
# synthetic text reads the same way as the real one (same targets, same actuals, other values).
NUMERAL = re.compile(
    r"(?<![\d.,A-Za-z第〔\[/#\-—~至])"
    r"(\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?![\d.,A-Za-z#]|\s*(?:年|月|日|号|时|〕|\]|[\-—~至]\s*\d))"
)


def vary_numbers(text: str, factor: float) -> str:
    """Multiply the quantities written in Arabic numerals in ``text`` by ``factor``.

    Whole numbers stay whole (and a non-zero one stays at least 1); decimals keep their places.
    Dates, periods, rankings and document numbers are left alone (see ``NUMERAL``).

    >>> vary_numbers("新建30个社区健身点，1-9月完成20个（第4名），2022年", 1.1)
    '新建33个社区健身点，1-9月完成22个（第4名），2022年'
    >>> vary_numbers("增长5.5%，完成1,000万元", 2)
    '增长11.0%，完成2000万元'
    """

    def scale(match: re.Match[str]) -> str:
        plain = match.group(1).replace(",", "")
        value = float(plain) * factor
        if "." in plain:
            return f"{value:.{len(plain.split('.')[1])}f}"
        if float(plain) == 0:
            return plain
        return str(max(1, round(value)))

    return NUMERAL.sub(scale, text)


def row_factor(i: int) -> float:
    """A per-row factor between 1.01 and 1.23, the same for a task's target and its progress.

    >>> row_factor(0), row_factor(1)
    (1.01, 1.15)
    """
    return 1 + ((i * 37) % 23 + 1) / 100


def read_real(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Read the real 2022 register, its Q3 progress and its curation, all as strings."""
    ydir = data_dir / str(YEAR)
    qdir = ydir / f"Q{REAL_QUARTER}"

    def read(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")

    real = {
        "tasks": read(ydir / "tasks.csv"),
        "indicators": read(ydir / "indicators.csv"),
        "progress": read(qdir / "progress.csv"),
        "indicator_progress": read(qdir / "indicator_progress.csv"),
    }
    curation = ydir / "curation.csv"
    real["curation"] = read(curation) if curation.is_file() else pd.DataFrame()
    return real


def build_register(
    dest: Path, n_tasks: int, real: dict[str, pd.DataFrame], with_curation: bool = True
) -> dict[str, Path]:
    """Write a synthetic register of ``n_tasks`` tasks with Q3 progress for every one.

    Rows cycle through the real tasks and their progress texts; task ids are ``T000001``…;
    the quantities in each row's task and progress texts are multiplied by ``row_factor``. The
    factor repeats every 23 rows, so copies of a text repeat: 131 real tasks × 23 factors give
    at most 3013 distinct (task, progress) pairs, and fewer distinct texts where a text has no
    quantity to vary (from 10k tasks on: 705 task texts, 1948 progress texts, 2098 pairs). The
    engine reads each distinct text once; ``run.py`` prints these counts beside its figures.
    The 10 real indicators and their Q3 progress are copied as they are. The real curation
    rows are copied for each copy of their task
    (values verbatim: they only need to exist for the engine to apply them), because a real
    register of any size has its curation. No ``stated.json``: its counts are the real report's.

    Parameters
    ----------
    dest : Path
        The data folder to create (``dest/2022/…``).
    n_tasks : int
        Number of tasks.
    real : dict of DataFrame
        The real tables, from ``read_real``.
    with_curation : bool
        Write ``curation.csv`` (default True).

    Returns
    -------
    dict of Path
        The CSV files written, by kind: the files the read floor reads.
    """
    tasks, progress = real["tasks"], real["progress"].set_index("task_id")
    width = max(6, len(str(n_tasks)))
    ids = [f"T{i + 1:0{width}d}" for i in range(n_tasks)]
    source = [tasks.iloc[i % len(tasks)] for i in range(n_tasks)]
    factors = [row_factor(i) for i in range(n_tasks)]
    new_tasks = pd.DataFrame([row for row in (r.to_dict() for r in source)])
    new_tasks["task_id"] = ids
    new_tasks["task"] = [vary_numbers(r["task"], f) for r, f in zip(source, factors, strict=True)]
    new_progress = pd.DataFrame(
        {
            "task_id": ids,
            "reported_status": [
                progress.at[r["task_id"], "reported_status"]
                if r["task_id"] in progress.index
                else ""
                for r in source
            ],
            "progress": [
                vary_numbers(progress.at[r["task_id"], "progress"], f)
                if r["task_id"] in progress.index
                else ""
                for r, f in zip(source, factors, strict=True)
            ],
        }
    )
    ydir = dest / str(YEAR)
    qdir = ydir / f"Q{REAL_QUARTER}"
    qdir.mkdir(parents=True)
    files = {
        "tasks": ydir / "tasks.csv",
        "indicators": ydir / "indicators.csv",
        "progress": qdir / "progress.csv",
        "indicator_progress": qdir / "indicator_progress.csv",
    }
    new_tasks.to_csv(files["tasks"], index=False)
    real["indicators"].to_csv(files["indicators"], index=False)
    new_progress.to_csv(files["progress"], index=False)
    real["indicator_progress"].to_csv(files["indicator_progress"], index=False)
    if with_curation and not real["curation"].empty:
        by_task = {k: g for k, g in real["curation"].groupby("task_id", sort=False)}
        parts = []
        for new_id, row in zip(ids, source, strict=True):
            rows = by_task.get(row["task_id"])
            if rows is not None:
                parts.append(rows.assign(task_id=new_id))
        if parts:
            files["curation"] = ydir / "curation.csv"
            pd.concat(parts, ignore_index=True).to_csv(files["curation"], index=False)
    return files


PERIOD = re.compile(r"(\d{1,2})-(\d{1,2})月")


def shift_periods(text: str, quarter: int) -> str:
    """Write the real Q3 text as if it were ``quarter``'s: ``1-9月`` becomes ``1-{3q}月``.

    A period that would end after the new quarter (``1-8月`` in a Q1 report) is cut to the
    quarter's end too: the loader rightly rejects a figure for months not yet over.

    >>> shift_periods("1-9月增长2.6%，1-8月排名第4，1-6月持平", 1)
    '1-3月增长2.6%，1-3月排名第4，1-3月持平'
    >>> shift_periods("1-9月增长2.6%，1-8月排名第4", 4)
    '1-12月增长2.6%，1-8月排名第4'
    """
    months = 3 * quarter
    text = text.replace("1-9月", f"1-{months}月")

    def cut(match: re.Match[str]) -> str:
        return match.group(0) if int(match.group(2)) <= months else f"1-{months}月"

    return PERIOD.sub(cut, text)


def build_district(dest: Path, quarters: Sequence[int], data_dir: Path = DATA_DIR) -> Path:
    """Copy the real data folder as one district, with progress for each of ``quarters``.

    A quarter other than Q3 gets the real Q3 progress with its periods shifted
    (``shift_periods``) and no ``stated.json`` (those counts are Q3's).

    Returns
    -------
    Path
        The district's data folder (pass it as ``--data-dir``).
    """
    shutil.copytree(data_dir / str(YEAR), dest / str(YEAR), ignore=shutil.ignore_patterns("Q[1-4]"))
    real_q = data_dir / str(YEAR) / f"Q{REAL_QUARTER}"
    for q in quarters:
        qdir = dest / str(YEAR) / f"Q{q}"
        qdir.mkdir(parents=True)
        if q == REAL_QUARTER:
            shutil.copytree(real_q, qdir, dirs_exist_ok=True)
            continue
        for name in ("progress.csv", "indicator_progress.csv"):
            text = (real_q / name).read_text(encoding="utf-8-sig")
            (qdir / name).write_text(shift_periods(text, q), encoding="utf-8")
    return dest
