"""The office's own judgement after intake: a 认定表 to fill in, and reading it back.

Intake never writes ``reported_status``: a returned task's status is the office's to decide, and
until it does the report shows the task as 未认定. ``write_review`` writes one workbook with
every returned task: the unit's 本单位评估, the pack's 测算状态 with its 滞后依据, and an open
督查办认定 column (a dropdown of the two status words, holding any status already filed).
``apply_review`` reads it back and writes the statuses into ``progress.csv``: every other
column and every other row stays as it was, the old file is kept as ``progress.csv.<time>.bak``,
and any problem in the workbook means nothing is written.

A task's row carries a fingerprint of the progress text the office judged: a status filed
against words that a later intake replaced is refused, not applied to the new words. Applying a
status records that fingerprint in ``progress.csv`` (``judged_fingerprint``), so that a status
carried over onto a text a unit re-reported later is known: the next 认定表 leaves its
督查办认定 cell open and shows the carried status beside it (原认定（待复核）), and the data checks
warn about it until the office files a status again. The carried status itself stays.
"""

from __future__ import annotations

import io
import json
import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from helpers.compute.engine import analyse
from helpers.core import paths
from helpers.core.errors import DataError, Problem
from helpers.core.fmt import evidence_cell, fmt_pct, fmt_value, is_missing
from helpers.core.messages import say
from helpers.core.returns import JUDGED_COLUMN, stale_judgements, text_fingerprint
from helpers.core.vocab import TaskStatus, months_label
from helpers.core.writing import atomic_path, free_path, neutralise_frame, restore, write_bytes
from helpers.cycle.form_layout import META_SHEET, PROGRESS_FILE, STATUS_WORDS, _text
from helpers.cycle.form_write import _save, status_choice, text_cell
from helpers.read.loading import read_text_csv

REVIEW_MARKER = "workreport-progress 督查办认定表"
REVIEW_VERSION = "1"
REVIEW_SHEET = "认定"
# (header, key, width, open for the office)
REVIEW_COLUMNS = [
    ("任务编号", "task_id", 9, False),
    ("工作任务", "task", 40, False),
    ("责任单位", "lead_units", 16, False),
    ("任务进展情况", "progress", 50, False),
    ("本单位评估", "self_assessment", 11, False),
    ("量化子目标", "figures", 30, False),
    ("测算状态", "computed_status", 11, False),
    ("滞后依据", "evidence", 36, False),
    ("原认定（待复核）", "carried", 12, False),
    ("督查办认定", "reported_status", 12, True),
    ("文本指纹", "fingerprint", 14, False),
]
_HEADER = {key: header for header, key, _, _ in REVIEW_COLUMNS}
# Shown for the office, not read back: a 认定表 written before the column existed still applies.
_SHOWN_ONLY = {"carried"}
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def stale_tasks(data_dir: str | Path | None, year: int, quarter: int) -> list[str]:
    """Tasks whose 督查办认定 was judged on a progress text a later return replaced."""
    qdir = paths.quarter_dir(Path(data_dir or paths.DATA_DIR), year, quarter)
    return stale_judgements(read_text_csv(qdir / PROGRESS_FILE, ["task_id"]), STATUS_WORDS)


def review_rows(
    data_dir: str | Path | None, year: int, quarter: int, settings_file=None
) -> pd.DataFrame:
    """One row per task with a return: what the office needs to decide its status.

    A status judged on an earlier text (the unit re-reported since) is not offered as the
    answer: its 督查办认定 is left open and the status is shown as 原认定（待复核）.
    """
    analysis = analyse(year, quarter, data_dir, settings_file)
    tasks = analysis.tasks
    returned = tasks[tasks["computed_status"] != TaskStatus.NOT_REPORTED].copy()
    progress_file = paths.quarter_dir(Path(data_dir or paths.DATA_DIR), year, quarter)
    own = read_text_csv(progress_file / PROGRESS_FILE, ["task_id"])
    if "self_assessment" in own.columns:
        mine = dict(zip(own["task_id"], own["self_assessment"], strict=True))
    else:
        mine = {}
    filed = returned["reported_status"].where(returned["reported_status"].isin(STATUS_WORDS), "")
    stale = returned["task_id"].isin(stale_judgements(own, STATUS_WORDS))
    carried, filed = filed.where(stale, ""), filed.where(~stale, "")
    subs = analysis.subtargets
    figures: dict[str, list[str]] = {}
    for s in subs[subs["kind"] != "qualitative"].itertuples():
        have = "无数据" if is_missing(s.actual) else fmt_value(s.actual, s.unit)
        line = f"{s.metric}：{have}，全年目标{fmt_value(s.target, s.unit)}"
        if s.kind == "cumulative" and not is_missing(s.ratio):
            line += f"，完成{fmt_pct(s.ratio)}（序时{fmt_pct(s.expected_ratio)}）"
        figures.setdefault(s.task_id, []).append(line + f"，{s.status}")
    evidence = [
        evidence_cell(*cells)
        for cells in zip(
            returned["slippage"],
            returned["subtask"],
            returned["evidence"],
            returned["cause"],
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "task_id": returned["task_id"],
            "task": returned["task"],
            "lead_units": returned["lead_units"].map(lambda s: "、".join(str(s).split(";"))),
            "progress": returned["progress"],
            "self_assessment": returned["task_id"].map(lambda t: mine.get(t, "")),
            "figures": returned["task_id"].map(lambda t: "；".join(figures.get(t, [])) or "—"),
            "computed_status": returned["computed_status"].astype(str),
            "evidence": evidence,
            "carried": carried.astype(str),
            "reported_status": filed.astype(str),
            "fingerprint": returned["progress"].map(text_fingerprint),
        }
    ).reset_index(drop=True)


def write_review(
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    out: str | Path,
    settings_file: str | Path | None = None,
) -> Path:
    """Write the 认定表 for a quarter to ``out`` (an ``.xlsx`` path or a folder).

    Never over an existing file: a second one is numbered. Raises ``DataError`` on bad data or
    an ``out`` that is neither.
    """
    rows = review_rows(data_dir, year, quarter, settings_file)
    out = Path(out)
    if out.is_dir():
        out = out / f"认定表_{year}年第{quarter}季度.xlsx"
    elif out.suffix.lower() != ".xlsx":
        raise DataError.at(out, say("out.form_xlsx"), column="--out")
    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW_SHEET
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    open_fill = PatternFill("solid", fgColor="FFF2CC")
    recheck_fill = PatternFill("solid", fgColor="F8CBAD")  # carried over: to be judged again
    for j, (header, _, width, is_open) in enumerate(REVIEW_COLUMNS, start=1):
        cell = ws.cell(row=1, column=j, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFD966") if is_open else head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, rec in enumerate(rows.to_dict("records"), start=2):
        for j, (_, key, _, is_open) in enumerate(REVIEW_COLUMNS, start=1):
            cell = ws.cell(row=i, column=j)
            if rec[key]:
                text_cell(cell, rec[key])
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=key != "fingerprint")
            if is_open:
                cell.protection = Protection(locked=False)
                cell.fill = recheck_fill if rec["carried"] else open_fill
            elif key == "carried" and rec["carried"]:
                cell.fill = recheck_fill
        ws.row_dimensions[i].height = min(15 * (len(rec["progress"]) // 25 + 1) + 4, 160)
    status_col = get_column_letter(
        next(j for j, c in enumerate(REVIEW_COLUMNS, start=1) if c[1] == "reported_status")
    )
    dv = status_choice("督查办认定")
    ws.add_data_validation(dv)
    if len(rows):
        dv.add(f"{status_col}2:{status_col}{len(rows) + 1}")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{max(len(rows) + 1, 2)}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate(
        [
            ("key", "value"),
            ("form", REVIEW_MARKER),
            ("form_version", REVIEW_VERSION),
            ("year", year),
            ("quarter", quarter),
            ("period", months_label(quarter * 3)),
            ("columns", json.dumps(_HEADER, ensure_ascii=False)),
            ("generated_at", datetime.now().astimezone().isoformat(timespec="seconds")),
        ],
        start=1,
    ):
        meta.cell(row=i, column=1, value=key)
        text_cell(meta.cell(row=i, column=2), value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.active = 0
    return _save(wb, free_path(out))


def apply_review(
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    file: str | Path,
) -> dict:
    """Write the statuses of a filled 认定表 into the quarter's ``progress.csv``.

    Returns ``{"changed": [...], "rejudged": [...], "unchanged": n, "blank": n, "stale": [...],
    "written": Path, "backup": Path}``. A blank 督查办认定 cell leaves the task's status as it is.
    A status filed now is recorded with the fingerprint of the text it was judged on
    (``judged_fingerprint``): ``rejudged`` are the tasks whose status was carried over onto a
    re-reported text and is now filed again unchanged; ``stale`` those still carried over.

    Raises
    ------
    DataError
        Naming every problem (file, sheet, row, column): not a 认定表, another quarter, an
        unknown task, a word outside the two statuses, or progress text that changed since the
        form was written. Nothing is written then.
    """
    file = Path(file)
    data_dir = Path(data_dir or paths.DATA_DIR)
    target = paths.quarter_dir(data_dir, year, quarter) / PROGRESS_FILE
    if not file.is_file():
        raise DataError.at(file, say("file.not_found"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(file.read_bytes()), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise DataError.at(file, say("intake.not_xlsx", detail=type(exc).__name__)) from None
    if META_SHEET not in wb.sheetnames or REVIEW_SHEET not in wb.sheetnames:
        raise DataError.at(file, say("review.not_review", sheet=REVIEW_SHEET))
    meta = {str(k).strip(): v for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True) if k}
    if meta.get("form") != REVIEW_MARKER or str(meta.get("form_version")) != REVIEW_VERSION:
        raise DataError.at(file, say("review.not_review", sheet=REVIEW_SHEET), sheet=META_SHEET)
    if (str(meta.get("year")), str(meta.get("quarter"))) != (str(year), str(quarter)):
        raise DataError.at(
            file,
            say(
                "intake.wrong_quarter",
                form_year=meta.get("year"),
                form_quarter=meta.get("quarter"),
                year=year,
                quarter=quarter,
            ),
            sheet=META_SHEET,
        )
    progress = read_text_csv(target, ["task_id", "progress"])
    if "reported_status" not in progress.columns:
        progress.insert(1, "reported_status", "")
    now = {
        t: text_fingerprint(p)
        for t, p in zip(progress["task_id"], progress["progress"], strict=True)
    }
    rows = wb[REVIEW_SHEET].iter_rows(values_only=True)
    header = [None if v is None else str(v).strip() for v in next(rows, ())]
    where = {h: j for j, h in enumerate(header) if h}
    absent = [h for k, h in _HEADER.items() if h not in where and k not in _SHOWN_ONLY]
    if absent:
        raise DataError.at(
            file,
            say("intake.header_changed", absent="、".join(absent)),
            sheet=REVIEW_SHEET,
            row=1,
            column=absent[0],
        )
    problems: list[Problem] = []
    decided: dict[str, str] = {}
    blank: list[str] = []  # left open: the status stays as it is

    def cell(values, key):
        j = where[_HEADER[key]]
        return _text(restore(values[j])) if j < len(values) else ""

    for i, values in enumerate(rows, start=2):
        tid = cell(values, "task_id")
        status = cell(values, "reported_status")
        if not tid and not status:
            continue

        def bad(message, key, row=i):
            problems.append(Problem(str(file), message, row, _HEADER[key], REVIEW_SHEET))

        if tid not in now:
            bad(say("review.unknown_task", task=tid or "（空）"), "task_id")
            continue
        if status and status not in STATUS_WORDS:
            bad(
                say("data.bad_status", value=status, allowed="、".join(STATUS_WORDS)),
                "reported_status",
            )
            continue
        if not status:
            blank.append(tid)
            continue
        if cell(values, "fingerprint") != now[tid]:
            bad(say("review.text_changed", task=tid), "fingerprint")
            continue
        if tid in decided and decided[tid] != status:
            bad(say("review.twice", task=tid), "reported_status")
            continue
        decided[tid] = status
    if problems:
        raise DataError(problems)
    if JUDGED_COLUMN not in progress.columns:
        progress[JUDGED_COLUMN] = ""
    old = dict(zip(progress["task_id"], progress["reported_status"], strict=True))
    marks = dict(zip(progress["task_id"], progress[JUDGED_COLUMN], strict=True))
    changed = [t for t, s in decided.items() if old.get(t, "") != s]
    # The same status filed again on a text a unit re-reported since it was first judged.
    rejudged = [
        t for t, s in decided.items() if old.get(t, "") == s and marks[t] and marks[t] != now[t]
    ]
    stale = stale_judgements(progress, STATUS_WORDS)
    # A blank cell of a carried-over status keeps it: counted as still to re-judge, not as blank.
    n_blank = len([t for t in blank if t not in stale])
    if not changed and not rejudged:  # nothing to write: the file and its time stay as they were
        return {"changed": [], "rejudged": [], "unchanged": len(decided), "blank": n_blank,
                "stale": stale, "written": None, "backup": None}  # fmt: skip
    filed_now = set(changed) | set(rejudged)
    progress["reported_status"] = [
        decided.get(t, s)
        for t, s in zip(progress["task_id"], progress["reported_status"], strict=True)
    ]
    progress[JUDGED_COLUMN] = [
        now[t] if t in filed_now else m
        for t, m in zip(progress["task_id"], progress[JUDGED_COLUMN], strict=True)
    ]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = write_bytes(
        target.read_bytes(), free_path(target.with_name(f"{target.name}.{stamp}.bak"))
    )
    with atomic_path(target) as tmp:
        text = neutralise_frame(progress.astype(str)).to_csv(index=False, lineterminator="\n")
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return {
        "changed": changed,
        "rejudged": rejudged,
        "unchanged": len(decided) - len(changed) - len(rejudged),
        "blank": n_blank,
        "stale": stale_judgements(progress, STATUS_WORDS),
        "written": target,
        "backup": backup,
    }
