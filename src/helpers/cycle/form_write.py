"""Writing the Excel form the units fill in: one workbook, or one per lead unit.

The sheet 填报 holds the register, locked, and pale-yellow cells for the unit's figures and
words; 填报说明 explains the rules; the hidden _meta sheet lets ``intake`` recognise the form.
Sheet protection has no password: it guards against slips, not against a determined user.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import math
from copy import copy
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.compute.engine import validate_parameters
from helpers.core import paths
from helpers.core.errors import DataError
from helpers.core.messages import say
from helpers.core.vocab import months_label
from helpers.core.writing import (
    atomic_path,
    claim_dir,
    free_path,
    neutralise,
    record_written,
    refuse_inside_data,
)
from helpers.cycle.form_layout import (
    _UNSAFE_NAME,
    FORM_MARKER,
    FORM_SHEET,
    FORM_VERSION,
    GUIDE_SHEET,
    META_SHEET,
    STATUS_WORDS,
    FormRegister,
    _split,
    lead_units,
    load_register,
)

_FILL_YELLOW = PatternFill("solid", fgColor="FFF2CC")
_TEXT_KEYS = {"progress", "issues", "next_steps", "status"}
_FILL_GREY = PatternFill("solid", fgColor="EDEDED")
_HEAD_LOCKED = PatternFill("solid", fgColor="D9E1F2")
_HEAD_FILL = PatternFill("solid", fgColor="FFD966")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_form(
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    out: str | Path,
    per_unit: bool = False,
    settings_file: str | Path | None = None,
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
    settings_file : str or Path, optional
        The office's names (title, leaders' column, signature); default: the data folder's
        ``settings.toml``, else the pack's defaults.

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
    register = load_register(data_dir, year, quarter, settings_file)
    out = Path(out)
    refuse_inside_data(out, paths.DATA_DIR if data_dir is None else data_dir, holds=False)
    suffix = f"{year}年第{quarter}季度.xlsx"
    if not per_unit:
        if out.is_dir():
            out = out / f"填报表_{suffix}"
        elif out.suffix.lower() != ".xlsx":
            raise DataError.at(out, say("out.form_xlsx"), column="--out")
        # Never over an existing file (it may be a filled return): number the new one.
        with _gc_paused():
            return [_save(build_workbook(register, register.rows, unit=""), free_path(out))]
    if out.exists() and not out.is_dir():
        raise DataError.at(out, say("out.form_by_unit"))
    out = claim_dir(out, paths.DATA_DIR if data_dir is None else data_dir)
    by_unit: dict[str, set[str]] = {}
    for tid, cell in zip(register.tasks["task_id"], register.tasks["lead_units"], strict=True):
        for unit in _split(cell):
            by_unit.setdefault(unit, set()).add(tid)
    written: list[Path] = []
    used: set[str] = set()
    for unit in lead_units(register.tasks):
        ids = by_unit[unit]
        rows = register.rows[register.rows["task_id"].isin(ids)].reset_index(drop=True)
        name = file_stem(unit)
        stem, n = name, 2
        while stem in used:  # two units that differ only in unsafe characters
            stem, n = f"{name}_{n}", n + 1
        used.add(stem)
        target = free_path(out / f"{stem}_{suffix}")
        record_written(out, [target.name])  # before the write: see writing.write_owned
        with _gc_paused():
            written.append(_save(build_workbook(register, rows, unit=unit), target))
    return written


def file_stem(unit: str, max_bytes: int = 120) -> str:
    """A file name stem for a unit: no characters a file system refuses, at most ``max_bytes``.

    A long name is cut and given a short hash, so two long names that share a start differ.

    >>> file_stem("区发展改革委"), file_stem("a/b:c"), len(file_stem("很" * 91).encode()) <= 120
    ('区发展改革委', 'a_b_c', True)
    """
    name = _UNSAFE_NAME.sub("_", unit).strip("_.") or "unit"
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    tag = hashlib.sha256(unit.encode("utf-8")).hexdigest()[:8]
    cut = name.encode("utf-8")[: max_bytes - 9].decode("utf-8", errors="ignore")
    return f"{cut}_{tag}"


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
    columns = register.columns
    _fill_sheet(ws, rows, register.months, columns, register.names.office)
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), register, rows, unit)
    meta = wb.create_sheet(META_SHEET)
    meta_rows = [
        ("key", "value"),
        ("form", FORM_MARKER),
        ("form_version", FORM_VERSION),
        ("year", register.year),
        ("quarter", register.quarter),
        ("period", months_label(register.months)),
        ("unit", unit),
        ("rows", len(rows)),
        ("register_file", register.tasks_file.name),
        ("register_fingerprint", register.fingerprint),
        ("columns", json.dumps({c.key: c.header for c in columns}, ensure_ascii=False)),
        ("generated_at", datetime.now().astimezone().isoformat(timespec="seconds")),
    ]
    for i, (key, value) in enumerate(meta_rows, start=1):
        meta.cell(row=i, column=1, value=key)
        text_cell(meta.cell(row=i, column=2), value)
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 70
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.active = 0
    return wb


def _fill_sheet(ws, rows: pd.DataFrame, months: int, columns: list, office: str) -> None:
    for j, col in enumerate(columns, start=1):
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
    for j, col in enumerate(columns, start=1):
        if col.key in notes:
            ws.cell(row=1, column=j).comment = Comment(notes[col.key], office)
    ws.row_dimensions[1].height = 32
    letter = {c.key: get_column_letter(j) for j, c in enumerate(columns, start=1)}
    periods = [months_label(n) for n in range(1, months + 1)]
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
    dv_status = status_choice("本单位评估")
    for dv in (dv_nonneg, dv_growth, dv_period, dv_status):
        ws.add_data_validation(dv)
    # Linear in the rows: each cell's style is copied from the first cell styled alike (openpyxl
    # would otherwise hash every style object per cell), and each validation gets its ranges in
    # one go (adding cells one by one compares each with all before it).
    styles: dict[tuple, object] = {}
    cells_of: dict[str, list[int]] = {"nonneg": [], "growth": [], "period": [], "status": []}
    for i, r in enumerate(rows.to_dict("records"), start=2):
        has_target = r["target_no"] is not None
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(row=i, column=j)
            value = None
            if not col.fill:
                value = None if r[col.key] == "" else r[col.key]
                fmt = ""
                if col.key == "target" and isinstance(value, int | float):
                    fmt = "#,##0" if float(value).is_integer() else "#,##0.####"
                key = (j, "locked", fmt)
            else:
                key = (j, "open" if (r["first"] if col.per_task else has_target) else "grey")
            if key in styles:
                cell._style = copy(styles[key])
            else:
                cell.border = _BORDER
                cell.alignment = Alignment(vertical="top", wrap_text=col.wrap)
                if key[1] == "locked" and key[2]:
                    cell.number_format = key[2]
                elif key[1] == "open":
                    cell.protection = Protection(locked=False)
                    cell.fill = _FILL_YELLOW
                    if col.key in _TEXT_KEYS:  # typed =… or +… stays text, never a formula
                        cell.number_format = "@"
                elif key[1] == "grey":
                    cell.fill = _FILL_GREY
                styles[key] = copy(cell._style)
            if value is not None:
                text_cell(cell, value)
        if has_target:
            cells_of["growth" if r["kind"] == "growth" else "nonneg"].append(i)
            cells_of["period"].append(i)
        if r["first"]:
            cells_of["status"].append(i)
        # Excel does not grow a row to fit wrapped text written by a program: estimate it.
        chars = max(len(str(r["task"])) / 20, len(str(r["section"])) / 6, 1)
        ws.row_dimensions[i].height = min(15 * math.ceil(chars) + 4, 160)
    for dv, name, column in (
        (dv_nonneg, "nonneg", "actual"),
        (dv_growth, "growth", "actual"),
        (dv_period, "period", "period"),
        (dv_status, "status", "status"),
    ):
        if cells_of[name]:
            dv.sqref = MultiCellRange(_ranges(letter[column], cells_of[name]))
    last = get_column_letter(len(columns))
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


def status_choice(title: str) -> DataValidation:
    """A drop-down of the two status words (正常推进, 推进较为滞后) for the column ``title``."""
    return DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_WORDS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error="请从下拉中选择：" + "或".join(STATUS_WORDS) + "。",
    )


def _guide_sheet(ws, register: FormRegister, rows: pd.DataFrame, unit: str) -> None:
    months = register.months
    names = register.names
    n_tasks = rows["task_id"].nunique()
    lines = [
        (
            f"{names.place}{register.year}年{_after_place(names.place, names.title_subject)}"
            "推进情况填报表"
            f"（第{register.quarter}季度，"
            f"1-{months}月）填报说明",
            "title",
        ),
        (f"填报单位：{unit or '各责任单位'}    本表共 {n_tasks} 项任务、{len(rows)} 行", ""),
        (
            f"报送截止时间：____年__月__日__时前（由{names.office}发表前填写）    联系人及电话：__________",
            "",
        ),
        ("一、填写什么", "head"),
        (
            "只填“填报”表中的浅黄色单元格：完成值、数据期间、任务进展情况、本单位评估、存在问题、"
            f"下一步打算。蓝色表头的列（任务编号至单位）是{names.office}的任务清单，已锁定，请勿修改；"
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
            f"工作表保护没有密码，只为防止误改；{names.office}汇总时会逐格核对任务清单，"
            "被改动的行将被退回。",
            "",
        ),
        (f"表格版本 {FORM_VERSION}；任务清单指纹 {register.fingerprint[:12]}。", "small"),
    ]
    ws.column_dimensions["A"].width = 110
    for i, (text, style) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1)
        text_cell(cell, text)
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


def _after_place(place: str, subject: str) -> str:
    """The subject after the place's name, without repeating its level (县, 区, 市).

    >>> _after_place("青溪县", "县民生实事项目"), _after_place("某某区", "区重点项目")
    ('民生实事项目', '重点项目')
    >>> _after_place("某市", "重点项目")
    '重点项目'
    """
    return subject[1:] if place and subject[:1] == place[-1:] else subject


def _ranges(letter: str, rows: list[int]) -> str:
    """Rows of one column as Excel ranges: [2, 3, 4, 7] -> 'J2:J4 J7'.

    >>> _ranges("J", [2, 3, 4, 7])
    'J2:J4 J7'
    """
    parts = []
    start = prev = rows[0]
    for n in [*rows[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{letter}{start}" if start == prev else f"{letter}{start}:{letter}{prev}")
        if n is not None:
            start = prev = n
    return " ".join(parts)


def text_cell(cell, value) -> None:
    """Put ``value`` in ``cell``; text is always stored as text, never as a formula.

    Text that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    is kept as it is but marked as text (Excel's quote prefix), so it shows and reads back
    unchanged and is never run.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if neutralise(value) != value:
            cell.quotePrefix = True


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a workbook's many small objects are made and
    written: they hold no cycles worth collecting, and 20k rows make ~300k cells."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _save(wb: Workbook, path: Path) -> Path:
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
