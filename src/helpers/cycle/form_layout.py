"""The form's layout: its columns, the register rows it shows, and small cell readers.

Shared by ``form_write`` (writing the workbook) and ``intake`` (reading it back), so both agree
on every column, every locked value and every fingerprint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.compute.targets import load_curation, read_targets
from helpers.core import paths
from helpers.core.config import ReportNames, load_settings, settings_file_for
from helpers.core.messages import say
from helpers.core.vocab import TaskStatus
from helpers.read.loading import read_csv_checked

FORM_MARKER = "workreport-progress 重点任务推进情况填报表"
FORM_VERSION = "1"
FORM_SHEET = "填报"
GUIDE_SHEET = "填报说明"
META_SHEET = "_meta"
NO_SUBTARGET = "无量化子目标"
PROGRESS_FILE = "progress.csv"
ACTUALS_FILE = "returned_actuals.csv"
# reported_status is the office's judgement; self_assessment is the unit's own (本单位评估).
PROGRESS_COLUMNS = [
    "task_id",
    "reported_status",
    "self_assessment",
    "progress",
    "issues",
    "next_steps",
]
ACTUALS_COLUMNS = ["task_id", "target_no", "actual", "actual_period", "source_file"]
STATUS_WORDS = (TaskStatus.NORMAL.value, TaskStatus.LAGGING.value)


@dataclass(frozen=True)
class Column:
    """One column of the 填报 sheet."""

    header: str
    key: str
    width: float
    fill: bool = False  # the unit fills it in (unlocked, pale yellow)
    wrap: bool = False
    per_task: bool = False  # one answer per task: open on the task's first row only


COLUMNS = [
    Column("任务编号", "task_id", 9),
    Column("工作板块", "section", 14, wrap=True),
    Column("工作任务", "task", 42, wrap=True),
    Column("责任区领导", "leaders", 10, wrap=True),
    Column("责任单位", "lead_units", 16, wrap=True),
    Column("子目标序号", "target_no", 10),
    Column("子目标", "subtarget", 18, wrap=True),
    Column("年度目标", "target", 14),
    Column("单位", "unit", 8),
    Column("完成值", "actual", 14, fill=True),
    Column("数据期间", "period", 10, fill=True),
    Column("任务进展情况", "progress", 50, fill=True, wrap=True, per_task=True),
    Column("本单位评估", "status", 13, fill=True, per_task=True),
    Column("存在问题", "issues", 30, fill=True, wrap=True, per_task=True),
    Column("下一步打算", "next_steps", 30, fill=True, wrap=True, per_task=True),
]
LOCKED_KEYS = [c.key for c in COLUMNS if not c.fill]
# The keys whose header an office names for itself (settings [report]).
NAMED_HEADERS = {"leaders": "leader_label"}
TASK_KEYS = [c.key for c in COLUMNS if c.per_task]
HEADER = {c.key: c.header for c in COLUMNS}


def form_columns(names: ReportNames | None = None) -> list[Column]:
    """The form's columns, with the headers the office names for itself (its ``leader_label``).

    >>> [c.header for c in form_columns()][3]
    '责任区领导'
    """
    if names is None:
        return list(COLUMNS)
    return [
        dataclasses.replace(c, header=getattr(names, NAMED_HEADERS[c.key]))
        if c.key in NAMED_HEADERS
        else c
        for c in COLUMNS
    ]


def columns_from_meta(value: object) -> list[Column] | None:
    """The columns a form was written with, from its ``_meta`` ``columns`` cell (``None`` if the
    cell is absent or not the form's own: forms written before it existed use ``COLUMNS``)."""
    try:
        headers = json.loads(str(value))
    except (TypeError, ValueError):
        return None
    if not isinstance(headers, dict) or set(headers) != {c.key for c in COLUMNS}:
        return None
    if not all(isinstance(h, str) and h.strip() for h in headers.values()):
        return None
    return [dataclasses.replace(c, header=headers[c.key].strip()) for c in COLUMNS]


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')
_DASHES = re.compile(r"\s*[-－—–~～至到]\s*")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PERIOD = re.compile(r"^(\d{1,2})-(\d{1,2})月$")


# --- the register the form is built from ------------------------------------------------------
@dataclass
class FormRegister:
    """The rows of the form for a year and quarter, and the register file they come from."""

    year: int
    quarter: int
    tasks: pd.DataFrame
    # One row per sub-target (or per task without one): LOCKED_KEYS, kind, first.
    rows: pd.DataFrame
    fingerprint: str
    tasks_file: Path
    # The office's names (settings [report]): the form's title, its leaders' column, its signature.
    names: ReportNames

    @property
    def columns(self) -> list[Column]:
        """The 填报 sheet's columns, with this office's headers."""
        return form_columns(self.names)

    @property
    def months(self) -> int:
        """The last month the quarter's report covers (12 for Q4)."""
        return self.quarter * 3


def form_rows(tasks: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Lay out the form: one row per quantitative sub-target, one row per task that has none.

    Parameters
    ----------
    tasks : DataFrame
        The register (``task_id``, ``section``, ``task``, ``leaders``, ``lead_units``).
    targets : DataFrame
        Sub-targets as ``read_targets`` returns them (``task_id``, ``target_no``, ``metric``,
        ``kind``, ``target``, ``unit``).

    Returns
    -------
    DataFrame
        The locked columns (``LOCKED_KEYS``) as the form shows them, plus ``kind`` and ``first``
        (the task's first row, where the per-task answers go). ``target_no`` is ``None`` and
        ``subtarget`` is 无量化子目标 on a task without a sub-target.

    Examples
    --------
    >>> tasks = pd.DataFrame({"task_id": ["T1", "T2"], "section": ["甲", "乙"],
    ...     "task": ["新建3个公园、30个健身点", "推动改革"], "leaders": ["张三", "李四"],
    ...     "lead_units": ["区体育局", "区发展改革委;区财政局"]})
    >>> targets = pd.DataFrame({"task_id": ["T1", "T1"], "target_no": [1, 2],
    ...     "metric": ["公园", "健身点"], "kind": ["cumulative"] * 2, "target": [3.0, 30.0],
    ...     "unit": ["个", "个"]})
    >>> form_rows(tasks, targets)[["task_id", "target_no", "subtarget", "lead_units", "first"]]
      task_id target_no subtarget   lead_units  first
    0      T1         1        公园         区体育局   True
    1      T1         2       健身点         区体育局  False
    2      T2      None    无量化子目标  区发展改革委、区财政局   True
    """
    by_task: dict[str, list[dict]] = {}
    ordered = targets.sort_values(["task_id", "target_no"], kind="stable")
    for rec in ordered[["task_id", "target_no", "metric", "kind", "target", "unit"]].to_dict(
        "records"
    ):
        by_task.setdefault(rec["task_id"], []).append(rec)
    rows = []
    for t in tasks[["task_id", "section", "task", "leaders", "lead_units"]].itertuples():
        base = {
            "task_id": t.task_id,
            "section": t.section,
            "task": t.task,
            "leaders": _list_cell(t.leaders),
            "lead_units": _list_cell(t.lead_units),
        }
        subs = by_task.get(t.task_id)
        if not subs:
            rows.append(
                {
                    **base,
                    "target_no": None,
                    "subtarget": NO_SUBTARGET,
                    "target": None,
                    "unit": "",
                    "kind": "",
                    "first": True,
                }
            )
            continue
        for i, s in enumerate(subs):
            # A growth target asks for a rate, not a level: say so where the unit reads it.
            name = str(s["metric"] or "")
            if s["kind"] == "growth" and not re.search("增长|增速|增幅", name):
                name += "（增速）"
            target = None if pd.isna(s["target"]) else _plain_number(float(s["target"]))
            rows.append(
                {
                    **base,
                    "target_no": int(s["target_no"]),
                    "subtarget": name,
                    "target": target,
                    "unit": str(s["unit"] or ""),
                    "kind": s["kind"],
                    "first": i == 0,
                }
            )
    # object dtype keeps 1500000 an int and a missing sub-target None (not 1500000.0 and NaN).
    return pd.DataFrame(rows, columns=[*LOCKED_KEYS, "kind", "first"], dtype=object)


def register_fingerprint(rows: pd.DataFrame) -> str:
    """Return a SHA-256 of the form's locked cells, so that intake can tell the register changed."""
    payload = [[_canon(r[k]) for k in LOCKED_KEYS] for r in rows.to_dict("records")]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_register(
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    settings_file: str | Path | None = None,
) -> FormRegister:
    """Load the year's register and curated sub-targets and lay them out as the form's rows.

    The office's names come from ``settings_file``, else the data folder's ``settings.toml``,
    else the defaults (as ``analyse`` reads them).

    Raises
    ------
    DataError
        From the register or the curation file.
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    ydir = paths.year_dir(data_dir, year)
    tasks_file = ydir / "tasks.csv"
    tasks = read_csv_checked(tasks_file, "tasks")
    no_progress = pd.DataFrame({"task_id": pd.Series(dtype=str), "progress": pd.Series(dtype=str)})
    targets = read_targets(tasks, no_progress, quarter * 3, load_curation(ydir / "curation.csv"))
    rows = form_rows(tasks, targets)
    names = load_settings(settings_file_for(data_dir, settings_file)).report
    return FormRegister(year, quarter, tasks, rows, register_fingerprint(rows), tasks_file, names)


def lead_units(tasks: pd.DataFrame) -> list[str]:
    """Return every lead unit of the register once, in the order the register first names it."""
    seen: dict[str, None] = {}
    for cell in tasks["lead_units"]:
        for unit in _split(cell):
            seen.setdefault(unit, None)
    return list(seen)


# --- small readers ----------------------------------------------------------------------------
def _split(cell) -> list[str]:
    return [u.strip() for u in str(cell or "").split(";") if u.strip()]


def _list_cell(cell) -> str:
    return "、".join(_split(cell))


def _plain_number(value: float) -> int | float:
    """1500000.0 -> 1500000, so the form and CSVs show what a person would type."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else float(value)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value, multiline: bool = False) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float):
        value = _plain_number(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text if multiline else " ".join(text.split())


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace("，", ",")
        if "," in text and not _THOUSANDS.match(text):
            return None  # "2,6" is a decimal comma, not 26
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _as_int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _target_no(value) -> int | bool | None:
    """The sub-target number of a row: an int, None (task without one), False (unreadable)."""
    if _blank(value):
        return None
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else False


def _canon(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(float(value))
    return " ".join(str(value).split())


def _same(got, want) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool):
        number = _number(got)
        return number is not None and math.isclose(number, float(want), rel_tol=1e-9)
    return _canon(got if not _blank(got) else None) == _canon(want)


def _show(value) -> str:
    if _blank(value):
        return say("intake.empty_cell")
    text = str(_plain_number(value) if isinstance(value, float) else value)
    return say("intake.quoted", text=text if len(text) <= 40 else text[:40] + "…")


def _row_content(row: dict) -> tuple:
    return tuple(row[k] for k in ("actual", "period", "status", "progress", "issues", "next_steps"))


def _short_list(ids: list[str], limit: int = 12) -> str:
    more = say("intake.more_ids", more=len(ids) - limit) if len(ids) > limit else ""
    return "、".join(ids[:limit]) + more
