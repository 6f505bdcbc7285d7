"""The Excel form the responsible units fill in each quarter, and reading the filled forms back.

``write_form`` writes one workbook (or one per lead unit) with the year's register pre-filled and
locked, and pale-yellow cells for the unit's figures and words. ``intake`` reads the returned
workbooks, checks every cell against the register and the rules in the form's own 填报说明, and
writes the quarter's ``progress.csv`` and ``returned_actuals.csv``: all or nothing by default.

The form lists the same sub-targets, with the same numbers, as the engine judges: it reads them
with ``read_targets`` and the year's ``curation.csv`` (so a curated target such as T008's
全覆盖 = 100% is asked for, and a dropped one is not).

Sheet protection has no password: it guards against slips, not against a determined user.
``intake`` compares every locked cell with the register, so an unprotected-and-edited form is
still caught.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.compute.engine import validate_parameters
from helpers.compute.targets import load_curation, read_targets
from helpers.core import paths
from helpers.core.errors import DataError, Problem
from helpers.core.vocab import TaskStatus
from helpers.core.writing import atomic_path
from helpers.read.loading import read_csv_checked

FORM_MARKER = "workreport-progress 重点任务推进情况填报表"
FORM_VERSION = "1"
FORM_SHEET = "填报"
GUIDE_SHEET = "填报说明"
META_SHEET = "_meta"
NO_SUBTARGET = "无量化子目标"
PROGRESS_FILE = "progress.csv"
ACTUALS_FILE = "returned_actuals.csv"
PROGRESS_COLUMNS = ["task_id", "reported_status", "progress", "issues", "next_steps"]
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
TASK_KEYS = [c.key for c in COLUMNS if c.per_task]
HEADER = {c.key: c.header for c in COLUMNS}

_FILL_YELLOW = PatternFill("solid", fgColor="FFF2CC")
_FILL_GREY = PatternFill("solid", fgColor="EDEDED")
_HEAD_LOCKED = PatternFill("solid", fgColor="D9E1F2")
_HEAD_FILL = PatternFill("solid", fgColor="FFD966")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')
_DASHES = re.compile(r"\s*[-－—–~～至到]\s*")
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
    by_task = {tid: g for tid, g in targets.groupby("task_id", sort=False)}
    rows = []
    for t in tasks.itertuples():
        base = {
            "task_id": t.task_id,
            "section": t.section,
            "task": t.task,
            "leaders": _list_cell(t.leaders),
            "lead_units": _list_cell(t.lead_units),
        }
        subs = by_task.get(t.task_id)
        if subs is None or subs.empty:
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
        for i, s in enumerate(subs.sort_values("target_no").itertuples()):
            # A growth target asks for a rate, not a level: say so where the unit reads it.
            name = str(s.metric or "")
            if s.kind == "growth" and not re.search("增长|增速|增幅", name):
                name += "（增速）"
            target = None if pd.isna(s.target) else _plain_number(float(s.target))
            rows.append(
                {
                    **base,
                    "target_no": int(s.target_no),
                    "subtarget": name,
                    "target": target,
                    "unit": str(s.unit or ""),
                    "kind": s.kind,
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


def load_register(data_dir: str | Path | None, year: int, quarter: int) -> FormRegister:
    """Load the year's register and curated sub-targets and lay them out as the form's rows.

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
    return FormRegister(year, quarter, tasks, rows, register_fingerprint(rows), tasks_file)


# --- writing the form -------------------------------------------------------------------------
def write_form(
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    out: str | Path,
    per_unit: bool = False,
) -> list[Path]:
    """Write the Excel form the units fill in for one quarter.

    Parameters
    ----------
    data_dir : str or Path, optional
        The data folder (default: the pack's ``data/``).
    year, quarter : int
        The reporting year and quarter; the form asks for figures up to 1-(3×quarter)月.
    out : str or Path
        The ``.xlsx`` file to write (an existing folder gets ``填报表_<year>年第<q>季度.xlsx``);
        with ``per_unit`` the folder to write one workbook per lead unit into.
    per_unit : bool, default False
        One workbook per lead unit, named ``<单位>_<year>年第<q>季度.xlsx``, holding only the
        tasks it leads; a task with two lead units is in both.

    Returns
    -------
    list of Path
        The workbooks written, each atomically (temporary file, then rename).

    Raises
    ------
    DataError
        Bad parameters, a bad register, or an ``out`` that is not an ``.xlsx`` path / a folder.
    """
    year, quarter = validate_parameters(year, quarter, data_dir)
    register = load_register(data_dir, year, quarter)
    out = Path(out)
    suffix = f"{year}年第{quarter}季度.xlsx"
    if not per_unit:
        if out.is_dir():
            out = out / f"填报表_{suffix}"
        elif out.suffix.lower() != ".xlsx":
            raise DataError.at(out, "the form must be written to an .xlsx file (or a folder)")
        return [_save(build_workbook(register, register.rows, unit=""), out)]
    if out.exists() and not out.is_dir():
        raise DataError.at(out, "with per_unit, out must be a folder (one workbook per unit)")
    written: list[Path] = []
    used: set[str] = set()
    for unit in lead_units(register.tasks):
        mask = register.tasks["lead_units"].map(lambda cell, u=unit: u in _split(cell))
        ids = set(register.tasks.loc[mask, "task_id"])
        rows = register.rows[register.rows["task_id"].isin(ids)].reset_index(drop=True)
        name = _UNSAFE_NAME.sub("_", unit).strip("_.") or "unit"
        stem, n = name, 2
        while stem in used:  # two units that differ only in unsafe characters
            stem, n = f"{name}_{n}", n + 1
        used.add(stem)
        written.append(_save(build_workbook(register, rows, unit=unit), out / f"{stem}_{suffix}"))
    return written


def lead_units(tasks: pd.DataFrame) -> list[str]:
    """Return every lead unit of the register once, in the order the register first names it."""
    seen: dict[str, None] = {}
    for cell in tasks["lead_units"]:
        for unit in _split(cell):
            seen.setdefault(unit, None)
    return list(seen)


def build_workbook(register: FormRegister, rows: pd.DataFrame, unit: str = "") -> Workbook:
    """Build the form workbook (sheets 填报, 填报说明, hidden _meta) for some rows of the register.

    Parameters
    ----------
    register : FormRegister
        The year, quarter and register fingerprint.
    rows : DataFrame
        The rows to show (all of ``register.rows``, or one unit's).
    unit : str
        The unit the workbook is for ("" for the combined form).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = FORM_SHEET
    _fill_sheet(ws, rows, register.months)
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), register, rows, unit)
    meta = wb.create_sheet(META_SHEET)
    meta_rows = [
        ("key", "value"),
        ("form", FORM_MARKER),
        ("form_version", FORM_VERSION),
        ("year", register.year),
        ("quarter", register.quarter),
        ("period", f"1-{register.months}月"),
        ("unit", unit),
        ("rows", len(rows)),
        ("register_file", register.tasks_file.name),
        ("register_fingerprint", register.fingerprint),
        ("generated_at", datetime.now().astimezone().isoformat(timespec="seconds")),
    ]
    for r in meta_rows:
        meta.append(list(r))
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 70
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.active = 0
    return wb


def _fill_sheet(ws, rows: pd.DataFrame, months: int) -> None:
    for j, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=j, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL if col.fill else _HEAD_LOCKED
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(j)].width = col.width
    notes = {
        "actual": "只填数字，按“单位”列的计量单位填写（如单位为平方米，完成140万平方米填1400000）。"
        "没有进展填0，未统计的留空。",
        "period": "完成值所属期间，如1-12月；留空视为本季度期间。",
        "progress": "同一任务有多个子目标时，只在该任务第一行填写。",
        "status": "下拉选择：" + "或".join(STATUS_WORDS),
    }
    for j, col in enumerate(COLUMNS, start=1):
        if col.key in notes:
            ws.cell(row=1, column=j).comment = Comment(notes[col.key], "督查办")
    ws.row_dimensions[1].height = 32
    letter = {c.key: get_column_letter(j) for j, c in enumerate(COLUMNS, start=1)}
    periods = [f"1-{n}月" for n in range(1, months + 1)]
    dv_nonneg = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="完成值",
        error="请只填数字（不带单位），且不小于0。",
        promptTitle="完成值",
        prompt="只填数字；没有进展填0，未统计的留空。",
    )
    dv_growth = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000",
        formula2="1000000",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="完成值",
        error="请只填增速数字（%），可为负数。",
        promptTitle="完成值（增速）",
        prompt="填同比增速，如 5.2 或 -3.1。",
    )
    dv_period = DataValidation(
        type="list",
        formula1='"' + ",".join(periods) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数据期间",
        error=f"请从下拉中选择 1-N月，最晚 1-{months}月。",
    )
    dv_status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_WORDS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="本单位评估",
        error="请从下拉中选择：" + "或".join(STATUS_WORDS) + "。",
    )
    for dv in (dv_nonneg, dv_growth, dv_period, dv_status):
        ws.add_data_validation(dv)
    for i, r in enumerate(rows.to_dict("records"), start=2):
        has_target = r["target_no"] is not None
        for j, col in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=i, column=j)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col.wrap)
            if not col.fill:
                cell.value = None if r[col.key] == "" else r[col.key]
                if col.key == "target" and isinstance(cell.value, int | float):
                    cell.number_format = "#,##0" if float(cell.value).is_integer() else "#,##0.####"
                continue
            open_cell = r["first"] if col.per_task else has_target
            if open_cell:
                cell.protection = Protection(locked=False)
                cell.fill = _FILL_YELLOW
            else:
                cell.fill = _FILL_GREY
        if has_target:
            (dv_growth if r["kind"] == "growth" else dv_nonneg).add(f"{letter['actual']}{i}")
            dv_period.add(f"{letter['period']}{i}")
        if r["first"]:
            dv_status.add(f"{letter['status']}{i}")
        # Excel does not grow a row to fit wrapped text written by a program: estimate it.
        chars = max(len(str(r["task"])) / 20, len(str(r["section"])) / 6, 1)
        ws.row_dimensions[i].height = min(15 * math.ceil(chars) + 4, 160)
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    prot = ws.protection
    prot.sheet = True
    # Filtering, resizing columns and rows stay allowed under protection; editing locked cells,
    # inserting or deleting rows and columns do not.
    prot.autoFilter = False
    prot.formatColumns = False
    prot.formatRows = False
    prot.selectLockedCells = False
    prot.selectUnlockedCells = False


def _guide_sheet(ws, register: FormRegister, rows: pd.DataFrame, unit: str) -> None:
    months = register.months
    n_tasks = rows["task_id"].nunique()
    lines = [
        (
            f"{register.year}年政府工作报告重点任务推进情况填报表（第{register.quarter}季度，"
            f"1-{months}月）填报说明",
            "title",
        ),
        (f"填报单位：{unit or '各责任单位'}    本表共 {n_tasks} 项任务、{len(rows)} 行", ""),
        (
            "报送截止时间：____年__月__日__时前（由督查办发表前填写）    联系人及电话：__________",
            "",
        ),
        ("一、填写什么", "head"),
        (
            "只填“填报”表中的浅黄色单元格：完成值、数据期间、任务进展情况、本单位评估、存在问题、"
            "下一步打算。蓝色表头的列（任务编号至单位）是督查办的任务清单，已锁定，请勿修改；"
            "灰色单元格不需填写。",
            "",
        ),
        ("二、填写规则", "head"),
        (
            "1. 完成值只填数字，不带单位、不写文字，按“单位”列的计量单位填写：如单位为平方米、"
            "已完成140万平方米，填 1400000；单位为%，填 40.5 而不是 40.5%。",
            "",
        ),
        (
            "2. 没有进展填 0，未统计的留空。留空在报告中显示为“无数据”，不会当作 0。"
            "增速类子目标（标有“增速”）可填负数，其他完成值不得为负。",
            "",
        ),
        (
            f"3. 数据期间从下拉中选择，为年初至今的累计期间，如 1-{months}月；数据滞后的选实际期间"
            f"（如 1-{max(months - 1, 1)}月），不得晚于 1-{months}月。留空视为 1-{months}月。",
            "",
        ),
        ("4. 任务进展情况必须填写，写清已完成的工作量和时间节点；只填数字不算报送。", ""),
        ("5. 本单位评估从下拉中选择：" + " 或 ".join(STATUS_WORDS) + "。", ""),
        (
            "6. 同一任务有多个子目标时，每个子目标一行填完成值；"
            "任务进展情况、本单位评估、存在问题、"
            "下一步打算只在该任务第一行填写。",
            "",
        ),
        (
            "7. 有两个责任单位的任务，请两个单位商定后由一个单位填报，或两家填写完全一致的内容；"
            "内容不一致的将被退回。",
            "",
        ),
        (
            "8. 不要增删行列、不要改工作表名称和表头、不要删除隐藏的 _meta 表；"
            "文件另存为 .xlsx 格式（不要存为 .xls、.csv 或 .et），文件名可以修改。",
            "",
        ),
        ("三、其他", "head"),
        (
            "工作表保护没有密码，只为防止误改；督查办汇总时会逐格核对任务清单，"
            "被改动的行将被退回。",
            "",
        ),
        (f"表格版本 {FORM_VERSION}；任务清单指纹 {register.fingerprint[:12]}。", "small"),
    ]
    ws.column_dimensions["A"].width = 110
    for i, (text, style) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
            ws.row_dimensions[i].height = 24
        elif style == "head":
            cell.font = Font(bold=True)
        elif style == "small":
            cell.font = Font(size=9, color="808080")
        if len(text) > 55:
            ws.row_dimensions[i].height = 15 * math.ceil(len(text) / 55) + 3


def _save(wb: Workbook, path: Path) -> Path:
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


# --- reading filled forms ---------------------------------------------------------------------
@dataclass
class IntakeResult:
    """What ``intake`` read, accepted, rejected and wrote."""

    year: int
    quarter: int
    files_read: list[Path]
    rows_accepted: int
    tasks_returned: list[str]  # accepted and written
    tasks_missing: list[str]  # in the register, returned by nobody: 未报送, never zero
    tasks_rejected: list[str] = field(default_factory=list)  # returned, but with a problem
    rejected: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    tasks_in_register: int = 0

    def __str__(self) -> str:
        lines = [
            f"填报汇总 / intake {self.year} Q{self.quarter} (1-{self.quarter * 3}月)",
            f"  读取文件 / files read: {len(self.files_read)}",
            f"  接收行数 / rows accepted: {self.rows_accepted}",
            f"  已接收任务 / tasks accepted: {len(self.tasks_returned)} of "
            f"{self.tasks_in_register}",
            f"  未报送任务 / tasks not returned: {len(self.tasks_missing)}"
            + (f" ({_short_list(self.tasks_missing)})" if self.tasks_missing else ""),
            f"  退回任务 / tasks rejected: {len(self.tasks_rejected)}"
            + (f" ({_short_list(self.tasks_rejected)})" if self.tasks_rejected else ""),
        ]
        if self.rejected:
            lines.append(f"  问题 / problems: {len(self.rejected)}")
            lines.extend(f"    - {p}" for p in self.rejected)
        if self.written:
            lines.append("  写入 / written:")
            lines.extend(f"    {p}" for p in self.written)
        else:
            lines.append("  写入 / written: nothing (old files, if any, left as they were)")
        return "\n".join(lines)


@dataclass
class _Return:
    """One task as one workbook returned it."""

    task_id: str
    file: Path
    rows: list[int]
    status: str
    progress: str
    issues: str
    next_steps: str
    actuals: tuple[tuple[int, float, str], ...]  # (target_no, actual, period)

    def content(self) -> tuple:
        return (self.status, self.progress, self.issues, self.next_steps, self.actuals)


@dataclass
class _Issue:
    """A problem, with the task it stops (None: the row or the whole file)."""

    problem: Problem
    task_id: str | None = None
    whole_file: bool = False


def intake(
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    files: list[Path],
    partial: bool = False,
) -> IntakeResult:
    """Read filled forms, check them, and write the quarter's progress and returned figures.

    Writes ``<data_dir>/<year>/Q<quarter>/progress.csv`` (``task_id``, ``reported_status`` from
    本单位评估 (may be empty), ``progress``, and the extra columns ``issues`` (存在问题) and
    ``next_steps`` (下一步打算)) and ``returned_actuals.csv`` (``task_id``, ``target_no``,
    ``actual``, ``actual_period``, ``source_file``) for every 完成值 typed. Both files are
    rewritten from the workbooks given, so pass every returned workbook each time. A task nobody
    returned gets no row: the report shows it as 未报送, never as zero.

    Parameters
    ----------
    data_dir : str or Path, optional
        The data folder (default: the pack's ``data/``).
    year, quarter : int
        The quarter the forms were written for.
    files : list of Path
        Filled workbooks: the combined form, per-unit forms, or both. They are only read.
    partial : bool, default False
        False: any problem (including tasks nobody returned) raises and nothing is written.
        True: write the tasks returned without a problem; a task with a problem in any of its
        rows is left out whole, and listed in the result with the problem.

    Returns
    -------
    IntakeResult

    Raises
    ------
    DataError
        Listing every problem, each with file, sheet, row and column (not raised for row
        problems when ``partial``; still raised for bad parameters or a bad register).
    """
    year, quarter = validate_parameters(year, quarter, data_dir)
    data_dir = Path(data_dir or paths.DATA_DIR)
    register = load_register(data_dir, year, quarter)
    files = [Path(f) for f in files]
    if not files:
        raise DataError.at(paths.quarter_dir(data_dir, year, quarter), "no workbooks given to read")
    issues: list[_Issue] = []
    returns: list[_Return] = []
    rows_in: dict[tuple[Path, str], int] = {}
    for path in files:
        file_returns, file_issues = read_workbook(path, register)
        returns.extend(file_returns)
        issues.extend(file_issues)
        for r in file_returns:
            rows_in[(path, r.task_id)] = len(r.rows)
    issues.extend(_conflicts(returns))
    task_ids = list(register.tasks["task_id"])
    returned_ids = {r.task_id for r in returns}
    missing = [t for t in task_ids if t not in returned_ids]
    failed_files = {Path(i.problem.file) for i in issues if i.whole_file}
    # A workbook that could not be read would list every task it holds as missing: noise.
    missing_issues = [] if failed_files else _missing_issues(register, missing)
    if not partial and (issues or missing_issues):
        raise DataError([i.problem for i in issues + missing_issues])
    bad_tasks = {i.task_id for i in issues if i.task_id}
    accepted: dict[str, _Return] = {}
    for r in returns:
        if r.task_id in bad_tasks or r.file in failed_files:
            continue
        accepted.setdefault(r.task_id, r)
    accepted = {t: accepted[t] for t in task_ids if t in accepted}
    rejected_ids = [t for t in task_ids if t in returned_ids and t not in accepted]
    written = _write(register, data_dir, accepted) if accepted else []
    return IntakeResult(
        year=year,
        quarter=quarter,
        files_read=files,
        rows_accepted=sum(rows_in[(r.file, t)] for t, r in accepted.items()),
        tasks_returned=list(accepted),
        tasks_missing=missing,
        tasks_rejected=rejected_ids,
        rejected=[i.problem for i in issues],
        written=written,
        tasks_in_register=len(task_ids),
    )


def read_workbook(path: Path, register: FormRegister) -> tuple[list[_Return], list[_Issue]]:
    """Read one filled workbook: the tasks it returns and every problem in it.

    The file is read into memory once and never written. A task counts as returned when any
    of its fill-in cells holds something.
    """
    path = Path(path)
    issues: list[_Issue] = []

    def whole(message: str, sheet: str | None = None, row=None, column=None):
        issues.append(_Issue(Problem(str(path), message, row, column, sheet), whole_file=True))
        return [], issues

    if not path.is_file():
        return whole("file not found")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            wb = load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        return whole(
            f"cannot be read as an .xlsx workbook ({type(exc).__name__}); "
            "save the form as Excel .xlsx"
        )
    if META_SHEET not in wb.sheetnames or FORM_SHEET not in wb.sheetnames:
        return whole(
            f"not a form written by 'workreport form' (no {META_SHEET!r} or "
            f"{FORM_SHEET!r} sheet); use the form sent for {register.year} "
            f"Q{register.quarter}"
        )
    meta = {
        str(k).strip(): v
        for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True)
        if k is not None
    }
    if meta.get("form") != FORM_MARKER:
        return whole(
            f"not a form written by 'workreport form' (sheet {META_SHEET!r} has no form marker)",
            sheet=META_SHEET,
        )
    if str(meta.get("form_version")) != FORM_VERSION:
        return whole(
            f"form version {meta.get('form_version')!r}; this pack reads version "
            f"{FORM_VERSION}: re-issue the form",
            sheet=META_SHEET,
        )
    form_year, form_quarter = _as_int(meta.get("year")), _as_int(meta.get("quarter"))
    if (form_year, form_quarter) != (register.year, register.quarter):
        return whole(
            f"this form is for {meta.get('year')} Q{meta.get('quarter')}; the intake "
            f"is for {register.year} Q{register.quarter}: use this quarter's form",
            sheet=META_SHEET,
        )
    if meta.get("register_fingerprint") != register.fingerprint:
        # Not fatal on its own: the cell-by-cell comparison below names what differs.
        issues.append(
            _Issue(
                Problem(
                    str(path),
                    f"the register ({register.tasks_file.name}) has changed since this form "
                    "was written, or the form's locked cells were edited; re-issue the form if the "
                    "register changed",
                    sheet=META_SHEET,
                    column="register_fingerprint",
                )
            )
        )
    ws = wb[FORM_SHEET]
    header = [
        None if v is None else str(v).strip()
        for v in next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    ]
    where = {h: j for j, h in enumerate(header) if h}
    absent = [c.header for c in COLUMNS if c.header not in where]
    if absent:
        return whole(
            f"header changed: column(s) {', '.join(absent)} not found in row 1; "
            "do not rename, move or delete columns",
            sheet=FORM_SHEET,
            row=1,
            column=absent[0],
        )
    expected = {(r["task_id"], r["target_no"]): r for r in register.rows.to_dict("records")}
    known = set(register.tasks["task_id"])
    by_task: dict[str, list[tuple[int, dict]]] = {}
    seen: dict[tuple[str, int | None], tuple[int, dict]] = {}

    def add(message, row, key=None, task_id=None):
        issues.append(
            _Issue(Problem(str(path), message, row, HEADER.get(key, key), FORM_SHEET), task_id)
        )

    for i, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = {
            c.key: (values[where[c.header]] if where[c.header] < len(values) else None)
            for c in COLUMNS
        }
        if all(_blank(v) for v in cells.values()):
            continue
        tid = _text(cells["task_id"])
        if not tid:
            add("任务编号 is empty; rows must keep their task id", i, "task_id")
            continue
        if tid not in known:
            add(
                f"task id {tid!r} is not in the register ({register.tasks_file.name})", i, "task_id"
            )
            continue
        tno = _target_no(cells["target_no"])
        if tno is False or (tid, tno) not in expected:
            add(
                f"task {tid} has no sub-target {cells['target_no']!r} in the register",
                i,
                "target_no",
                tid,
            )
            continue
        exp = expected[(tid, tno)]
        for key in LOCKED_KEYS:
            if not _same(cells[key], exp[key]):
                add(
                    f"locked cell changed: the form has {_show(cells[key])}, the register has "
                    f"{_show(exp[key])}",
                    i,
                    key,
                    tid,
                )
        row = {"row": i, "target_no": tno, "kind": exp["kind"]}
        row["actual"] = _read_actual(cells["actual"], exp, i, add, tid)
        row["period"] = _read_period(cells["period"], register.months, i, add, tid)
        if row["period"] and row["actual"] is None and _blank(cells["actual"]):
            add(
                "数据期间 given but 完成值 is empty; give the figure or clear the period",
                i,
                "period",
                tid,
            )
        status = _text(cells["status"])
        if status and status not in STATUS_WORDS:
            add(
                f"status {status!r} is not one of {' / '.join(STATUS_WORDS)} (or empty)",
                i,
                "status",
                tid,
            )
        row.update(
            {k: _text(cells[k], multiline=True) for k in ("progress", "issues", "next_steps")}
        )
        row["status"] = status
        row["filled"] = any(not _blank(cells[c.key]) for c in COLUMNS if c.fill)
        key = (tid, tno)
        if key in seen:
            first_row, first = seen[key]
            if _row_content(first) != _row_content(row):
                add(
                    f"{tid} sub-target {tno if tno is not None else '-'} appears twice in this "
                    f"file with different content (rows {first_row} and {i})",
                    i,
                    "task_id",
                    tid,
                )
            continue
        seen[key] = (i, row)
        by_task.setdefault(tid, []).append((i, row))
    returns = []
    for tid, rows in by_task.items():
        if not any(r["filled"] for _, r in rows):
            continue
        answers = {}
        for key in TASK_KEYS:
            given = {r[key]: n for n, r in rows if r[key]}
            if len(given) > 1:
                add(
                    f"{tid} is returned twice in this file with different {HEADER[key]} "
                    f"(rows {', '.join(map(str, sorted(given.values())))})",
                    max(given.values()),
                    key,
                    tid,
                )
            answers[key] = next(iter(given), "")
        if not answers["progress"]:
            add(
                f"{tid}: 任务进展情况 is empty; a return needs the progress in words "
                "(a number alone is not a return)",
                rows[0][0],
                "progress",
                tid,
            )
        actuals = tuple(
            sorted(
                (r["target_no"], r["actual"], r["period"] or f"1-{register.months}月")
                for _, r in rows
                if r["actual"] is not None
            )
        )
        returns.append(
            _Return(
                tid,
                path,
                [n for n, _ in rows],
                answers["status"],
                answers["progress"],
                answers["issues"],
                answers["next_steps"],
                actuals,
            )
        )
    return returns, issues


def _read_actual(value, exp: dict, row: int, add, tid: str) -> float | None:
    if _blank(value):
        return None
    if exp["target_no"] is None:
        add(
            "this task has no numeric sub-target: leave 完成值 empty and give the progress in "
            "words",
            row,
            "actual",
            tid,
        )
        return None
    number = _number(value)
    if number is None:
        add(
            f"{_show(value)} is not a number; type the figure alone, in the unit of column 单位 "
            f"({exp['unit'] or '-'}), without words or units",
            row,
            "actual",
            tid,
        )
        return None
    if number < 0 and exp["kind"] != "growth":
        add(
            f"{_plain_number(number)} is negative; only a growth rate (增速) may be negative",
            row,
            "actual",
            tid,
        )
        return None
    return number


def _read_period(value, months: int, row: int, add, tid: str) -> str:
    if _blank(value):
        return ""
    if isinstance(value, datetime | date | time):
        add(
            "数据期间 is a date (Excel turned '1-12' into a date); type it as text like "
            f"1-{months}月",
            row,
            "period",
            tid,
        )
        return ""
    period = parse_period(str(value))
    if period is None:
        add(
            f"period {_show(value)} is not like '1-{months}月' (year to date, from 1月)",
            row,
            "period",
            tid,
        )
        return ""
    end = int(_PERIOD.match(period).group(2))
    if end > months:
        add(
            f"period {period!r} ends after the quarter's last month (1-{months}月)",
            row,
            "period",
            tid,
        )
        return ""
    return period


def parse_period(text: str) -> str | None:
    """Return a year-to-date period as ``1-N月``, or None when the text is not one.

    >>> parse_period("1－12 月"), parse_period("1至9月"), parse_period("4-6月"), parse_period("9月")
    ('1-12月', '1-9月', None, None)
    """
    text = _DASHES.sub("-", str(text).strip()).replace(" ", "")
    m = _PERIOD.match(text)
    if not m or int(m.group(1)) != 1 or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"1-{int(m.group(2))}月"


def _conflicts(returns: list[_Return]) -> list[_Issue]:
    """The same task returned by two workbooks with different content."""
    by_task: dict[str, list[_Return]] = {}
    for r in returns:
        by_task.setdefault(r.task_id, []).append(r)
    issues = []
    for tid, rs in by_task.items():
        if len({r.content() for r in rs}) <= 1:
            continue
        where = "; ".join(f"{r.file.name} row {r.rows[0]}" for r in rs)
        for r in rs:
            issues.append(
                _Issue(
                    Problem(
                        str(r.file),
                        f"{tid} is returned in {len(rs)} workbooks with different content "
                        f"({where}); agree one return and send it once",
                        r.rows[0],
                        "任务编号",
                        FORM_SHEET,
                    ),
                    tid,
                )
            )
    return issues


def _missing_issues(register: FormRegister, missing: list[str]) -> list[_Issue]:
    """One problem per lead unit that left tasks unreturned, naming the tasks."""
    by_unit: dict[str, list[str]] = {}
    units = dict(zip(register.tasks["task_id"], register.tasks["lead_units"], strict=True))
    for tid in missing:
        for unit in _split(units[tid]):
            by_unit.setdefault(unit, []).append(tid)
    return [
        _Issue(
            Problem(
                str(register.tasks_file),
                f"no return (未报送) from {unit}: "
                f"{', '.join(ids)}; these tasks show as 未报送 in the report",
                column="task_id",
            )
        )
        for unit, ids in by_unit.items()
    ]


def _write(register: FormRegister, data_dir: Path, accepted: dict[str, _Return]) -> list[Path]:
    """Write progress.csv and returned_actuals.csv together: both or neither replace the old."""
    qdir = paths.quarter_dir(data_dir, register.year, register.quarter)
    progress = pd.DataFrame(
        [[r.task_id, r.status, r.progress, r.issues, r.next_steps] for r in accepted.values()],
        columns=PROGRESS_COLUMNS,
    )
    actuals = pd.DataFrame(
        [
            [r.task_id, tno, _plain_number(value), period, r.file.name]
            for r in accepted.values()
            for tno, value, period in r.actuals
        ],
        columns=ACTUALS_COLUMNS,
        dtype=object,  # 1400000 stays 1400000, 38.5 stays 38.5
    )
    targets = [qdir / PROGRESS_FILE, qdir / ACTUALS_FILE]
    with atomic_path(targets[0]) as tmp_progress, atomic_path(targets[1]) as tmp_actuals:
        tmp_progress.write_text(
            progress.to_csv(index=False, lineterminator="\n"), encoding="utf-8", newline="\n"
        )
        tmp_actuals.write_text(
            actuals.to_csv(index=False, lineterminator="\n"), encoding="utf-8", newline="\n"
        )
    return targets


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
        try:
            number = float(value.strip().replace(",", "").replace("，", ""))
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
        return "(empty)"
    text = str(_plain_number(value) if isinstance(value, float) else value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _row_content(row: dict) -> tuple:
    return tuple(row[k] for k in ("actual", "period", "status", "progress", "issues", "next_steps"))


def _short_list(ids: list[str], limit: int = 12) -> str:
    return ", ".join(ids[:limit]) + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")
