"""Reading filled forms back: ``intake`` checks every cell and writes the quarter's progress.

``intake`` compares every locked cell with the register, so an unprotected-and-edited form is
still caught; it checks the unit's cells against the rules of the form's own 填报说明.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from helpers.compute.engine import validate_parameters
from helpers.core import paths
from helpers.core.errors import DataError, Problem, capped_lines
from helpers.core.messages import say
from helpers.core.returns import (
    FROM_FORM,
    JUDGED_COLUMN,
    SOURCE_COLUMN,
    ledger_only_ids,
    returned_ids,
    stale_judgements,
    text_fingerprint,
)
from helpers.core.vocab import months_label
from helpers.core.writing import atomic_path, free_path, neutralise_frame, restore, write_bytes
from helpers.cycle.form_layout import (
    _DASHES,
    _PERIOD,
    ACTUALS_COLUMNS,
    ACTUALS_FILE,
    COLUMNS,
    FORM_MARKER,
    FORM_SHEET,
    FORM_VERSION,
    LOCKED_KEYS,
    META_SHEET,
    PROGRESS_COLUMNS,
    PROGRESS_FILE,
    STATUS_WORDS,
    TASK_KEYS,
    FormRegister,
    _as_int,
    _blank,
    _number,
    _plain_number,
    _row_content,
    _same,
    _short_list,
    _show,
    _split,
    _target_no,
    _text,
    columns_from_meta,
    load_register,
)
from helpers.read.loading import read_text_csv

# Progress must be told in words: a cell with no Chinese character (150, 50%) is not a return.
_WORDS = re.compile(r"[\u4e00-\u9fff]")
# Limits on what one returned workbook may hold (a form of 20k tasks is ~3 MB, ~30 MB unpacked).
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 200_000_000
MAX_EXTRA_ROWS = 1_000  # rows beyond the register's (Excel keeps some formatted empty rows)
MAX_CELL_CHARS = 5_000


def _ids(ids: list[str]) -> str:
    """A short list of task ids in brackets, or nothing."""
    return say("intake.summary.ids", ids=_short_list(ids)) if ids else ""


def _unpacked_too_big(data: bytes) -> str:
    """A message when the .xlsx (a zip) would unpack to more than the limit; "" otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError):
        return ""  # not a zip: load_workbook says so in its own words
    if total > MAX_UNPACKED_BYTES:
        return say(
            "intake.unpacked_too_big",
            size_mb=total / 1e6,
            limit_mb=MAX_UNPACKED_BYTES / 1e6,
            file_kb=len(data) / 1e3,
        )
    return ""


def _too_long(values: tuple, j: int) -> bool:
    return j < len(values) and isinstance(values[j], str) and len(values[j]) > MAX_CELL_CHARS


# --- reading filled forms ---------------------------------------------------------------------
@dataclass
class IntakeResult:
    """What ``intake`` read, accepted, rejected and wrote."""

    year: int
    quarter: int
    files_read: list[Path]
    rows_accepted: int
    tasks_returned: list[str]  # accepted and written
    # In the register, returned by no unit, now or in an earlier batch: 未报送, never zero. The
    # office's own ledger text (written by ``import``) is not a unit's return.
    tasks_missing: list[str]
    units_missing: list[str]  # one line per lead unit not heard from yet, naming its tasks
    tasks_rejected: list[str] = field(default_factory=list)  # returned, but with a problem
    rejected: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    tasks_in_register: int = 0
    backups: list[Path] = field(default_factory=list)  # the files replaced, kept as *.bak
    # Tasks whose progress text was replaced after the office filed its status: the status is
    # kept, and the office is to look at it again (review).
    to_rejudge: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            say(
                "intake.summary.head", year=self.year, quarter=self.quarter, months=self.quarter * 3
            ),
            say("intake.summary.files", count=len(self.files_read)),
            say("intake.summary.rows", count=self.rows_accepted),
            say(
                "intake.summary.accepted",
                count=len(self.tasks_returned),
                total=self.tasks_in_register,
            ),
            say(
                "intake.summary.missing",
                count=len(self.tasks_missing),
                ids=_ids(self.tasks_missing),
            ),
            say(
                "intake.summary.rejected",
                count=len(self.tasks_rejected),
                ids=_ids(self.tasks_rejected),
            ),
        ]
        lines.extend(f"    - {line}" for line in self.units_missing)
        if self.rejected:
            lines.append(say("intake.summary.problems", count=len(self.rejected)))
            lines.extend(f"    - {line}" for line in capped_lines(self.rejected))
        if self.written:
            lines.append(say("intake.summary.written"))
            lines.extend(f"    {p}" for p in self.written)
            if self.backups:
                lines.append(say("intake.summary.backups"))
                lines.extend(f"    {p}" for p in self.backups)
            if self.to_rejudge:
                lines.append(
                    say(
                        "intake.summary.rejudge",
                        count=len(self.to_rejudge),
                        ids="、".join(self.to_rejudge),
                    )
                )
        else:
            lines.append(say("intake.summary.nothing"))
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
    replace: bool = False,
    settings_file: str | Path | None = None,
) -> IntakeResult:
    """Read filled forms, check them, and write the quarter's progress and returned figures.

    Writes ``<data_dir>/<year>/Q<quarter>/progress.csv`` (``task_id``, ``reported_status``,
    ``self_assessment`` from 本单位评估 (may be empty), ``progress``, ``issues`` (存在问题) and
    ``next_steps`` (下一步打算)) and ``returned_actuals.csv`` (``task_id``, ``target_no``,
    ``actual``, ``actual_period``, ``source_file``) for every 完成值 typed.

    Returns accumulate: a task returned now replaces only that task's earlier row and figures;
    every other task's row is kept as it was. ``reported_status`` is the office's own judgement:
    intake never writes it (an existing one is kept; a new task's is empty, shown as 未认定).
    A kept status whose task's text changed now sits on words the office has not judged: it is
    listed in the result (``to_rejudge``), and the status's ``judged_fingerprint`` (the text it
    was judged on) stays, so the data checks and the next 认定表 flag it until the office
    files it again. Every row written is marked ``source`` ``form``; a task whose only text is
    the office's ledger (``source`` ``ledger``, from ``import``) is still 未报送 by its unit.
    The previous files are kept beside them as ``progress.csv.<time>.bak``. ``replace=True``
    starts from nothing: only the workbooks given now. A task nobody returned gets no row: the
    report shows it as 未报送, never as zero.

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
    settings_file : str or Path, optional
        The office's settings (default: the data folder's ``settings.toml``, else the pack's).

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
    register = load_register(data_dir, year, quarter, settings_file)
    files = [Path(f) for f in files]
    if not files:
        raise DataError.at(paths.quarter_dir(data_dir, year, quarter), say("intake.no_files"))
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
    returned_now = {r.task_id for r in returns}
    qdir = paths.quarter_dir(data_dir, year, quarter)
    # Returned earlier: by a unit, in an earlier batch (never the office's own ledger text).
    before = _read_earlier(qdir / PROGRESS_FILE)
    earlier = set() if replace else returned_ids(before, forms_collected=True)
    missing = [t for t in task_ids if t not in returned_now and t not in earlier]
    # Of those, the tasks the report still shows with the office's ledger text.
    with_text = set() if replace else ledger_only_ids(before, forms_collected=True)
    failed_files = {Path(i.problem.file) for i in issues if i.whole_file}
    # A workbook that could not be read would list every task it holds as missing: noise.
    # Returns accumulate over calls, so units not heard from yet do not stop this batch: they are
    # listed, per unit, and their tasks show as 未报送 until they return.
    missing_issues = [] if failed_files else _missing_issues(register, missing, with_text)
    if not partial and issues:
        raise DataError([i.problem for i in issues])
    bad_tasks = {i.task_id for i in issues if i.task_id}
    accepted: dict[str, _Return] = {}
    for r in returns:
        if r.task_id in bad_tasks or r.file in failed_files:
            continue
        accepted.setdefault(r.task_id, r)
    accepted = {t: accepted[t] for t in task_ids if t in accepted}
    rejected_ids = [t for t in task_ids if t in returned_now and t not in accepted]
    backups: list[Path] = []
    to_rejudge: list[str] = []
    written = _write(register, data_dir, accepted, replace, backups, to_rejudge) if accepted else []
    return IntakeResult(
        year=year,
        quarter=quarter,
        files_read=files,
        rows_accepted=sum(rows_in[(r.file, t)] for t, r in accepted.items()),
        tasks_returned=list(accepted),
        tasks_missing=missing,
        units_missing=[i.problem.message for i in missing_issues],
        tasks_rejected=rejected_ids,
        rejected=[i.problem for i in issues],
        written=written,
        backups=backups,
        tasks_in_register=len(task_ids),
        to_rejudge=to_rejudge,
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
        return whole(say("file.not_found"))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return whole(say("intake.too_big", size_mb=size / 1e6, limit_mb=MAX_FILE_BYTES / 1e6))
    data = path.read_bytes()
    too_big = _unpacked_too_big(data)
    if too_big:
        return whole(too_big)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            # read_only: rows are streamed, so memory stays small whatever the sheet holds.
            # data_only=False: what the unit typed, never a formula's cached result (a cell
            # holding =SUM(100,50) reads as that text, not as 150; 完成值 then is not a number).
            wb = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        return whole(say("intake.not_xlsx", detail=type(exc).__name__))
    if META_SHEET not in wb.sheetnames or FORM_SHEET not in wb.sheetnames:
        return whole(
            say(
                "intake.not_form",
                meta=META_SHEET,
                form=FORM_SHEET,
                year=register.year,
                quarter=register.quarter,
            )
        )
    meta = {
        str(k).strip(): v
        for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True)
        if k is not None
    }
    if meta.get("form") != FORM_MARKER:
        return whole(
            say("intake.no_marker", meta=META_SHEET),
            sheet=META_SHEET,
        )
    if str(meta.get("form_version")) != FORM_VERSION:
        return whole(
            say("intake.version", version=meta.get("form_version"), expected=FORM_VERSION),
            sheet=META_SHEET,
        )
    form_year, form_quarter = _as_int(meta.get("year")), _as_int(meta.get("quarter"))
    if (form_year, form_quarter) != (register.year, register.quarter):
        return whole(
            say(
                "intake.wrong_quarter",
                form_year=meta.get("year"),
                form_quarter=meta.get("quarter"),
                year=register.year,
                quarter=register.quarter,
            ),
            sheet=META_SHEET,
        )
    if meta.get("register_fingerprint") != register.fingerprint:
        # Not fatal on its own: the cell-by-cell comparison below names what differs.
        issues.append(
            _Issue(
                Problem(
                    str(path),
                    say("intake.register_changed", register=register.tasks_file.name),
                    sheet=META_SHEET,
                    column="register_fingerprint",
                )
            )
        )
    # The headers the form was written with (an office names its leaders' column); forms
    # written before the _meta row existed carry the default headers.
    columns = columns_from_meta(meta.get("columns")) or list(COLUMNS)
    header_of = {c.key: c.header for c in columns}
    ws = wb[FORM_SHEET]
    header = [
        None if v is None else str(v).strip()
        for v in next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    ]
    where = {h: j for j, h in enumerate(header) if h}
    absent = [c.header for c in columns if c.header not in where]
    if absent:
        return whole(
            say("intake.header_changed", absent="、".join(absent)),
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
            _Issue(Problem(str(path), message, row, header_of.get(key, key), FORM_SHEET), task_id)
        )

    max_rows = len(register.rows) + MAX_EXTRA_ROWS
    for i, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if i > max_rows + 1:
            return whole(
                say("intake.too_many_rows", max_rows=max_rows, rows=len(register.rows)),
                sheet=FORM_SHEET,
                row=i,
            )
        long = [c for c in columns if _too_long(values, where[c.header])]
        if long:
            for c in long:
                add(
                    say(
                        "intake.cell_too_long",
                        chars=len(str(values[where[c.header]])),
                        limit=MAX_CELL_CHARS,
                    ),
                    i,
                    c.key,
                )
            continue
        cells = {  # restore: a cell neutralised against formulas ("'=…") reads as typed
            c.key: restore(values[where[c.header]] if where[c.header] < len(values) else None)
            for c in columns
        }
        if all(_blank(v) for v in cells.values()):
            continue
        tid = _text(cells["task_id"])
        if not tid:
            add(say("intake.no_task_id"), i, "task_id")
            continue
        if tid not in known:
            add(
                say("data.unknown_task", value=tid, register=register.tasks_file.name), i, "task_id"
            )
            continue
        tno = _target_no(cells["target_no"])
        if tno is False or (tid, tno) not in expected:
            add(
                say("intake.no_sub_target", task=tid, value=cells["target_no"]),
                i,
                "target_no",
                tid,
            )
            continue
        exp = expected[(tid, tno)]
        for key in LOCKED_KEYS:
            if not _same(cells[key], exp[key]):
                add(
                    say("intake.locked_changed", form=_show(cells[key]), register=_show(exp[key])),
                    i,
                    key,
                    tid,
                )
        row = {"row": i, "target_no": tno, "kind": exp["kind"]}
        row["actual"] = _read_actual(cells["actual"], exp, i, add, tid)
        row["period"] = _read_period(cells["period"], register.months, i, add, tid)
        if row["period"] and row["actual"] is None and _blank(cells["actual"]):
            add(
                say("intake.period_without_actual"),
                i,
                "period",
                tid,
            )
        status = _text(cells["status"])
        if status and status not in STATUS_WORDS:
            add(
                say("data.bad_status", value=status, allowed="、".join(STATUS_WORDS)),
                i,
                "status",
                tid,
            )
        row.update(
            {k: _text(cells[k], multiline=True) for k in ("progress", "issues", "next_steps")}
        )
        row["status"] = status
        row["filled"] = any(not _blank(cells[c.key]) for c in columns if c.fill)
        key = (tid, tno)
        if key in seen:
            first_row, first = seen[key]
            if _row_content(first) != _row_content(row):
                add(
                    say(
                        "intake.row_twice",
                        task=tid,
                        target_no=tno if tno is not None else "-",
                        first=first_row,
                        row=i,
                    ),
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
                    say(
                        "intake.task_twice",
                        task=tid,
                        column=header_of[key],
                        rows="、".join(map(str, sorted(given.values()))),
                    ),
                    max(given.values()),
                    key,
                    tid,
                )
            answers[key] = next(iter(given), "")
        if not answers["progress"]:
            add(
                say("intake.no_progress", task=tid),
                rows[0][0],
                "progress",
                tid,
            )
        elif not _WORDS.search(answers["progress"]):
            add(
                say("intake.progress_no_words", task=tid, value=answers["progress"][:20]),
                rows[0][0],
                "progress",
                tid,
            )
        actuals = tuple(
            sorted(
                (r["target_no"], r["actual"], r["period"] or months_label(register.months))
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
            say("intake.no_numeric_target"),
            row,
            "actual",
            tid,
        )
        return None
    number = _number(value)
    if number is None:
        hint = ""
        if isinstance(value, str) and ("," in value or "，" in value):
            hint = say("intake.hint.comma")
        elif isinstance(value, str) and value.strip().lower() in {"inf", "-inf", "nan", "infinity"}:
            hint = say("intake.hint.nan")
        add(
            say("intake.not_number", value=_show(value), unit=exp["unit"] or "-", hint=hint),
            row,
            "actual",
            tid,
        )
        return None
    if number < 0 and exp["kind"] != "growth":
        add(
            say("intake.negative", value=_plain_number(number)),
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
            say("intake.period_is_date", months=months),
            row,
            "period",
            tid,
        )
        return ""
    period = parse_period(str(value))
    if period is None:
        add(
            say("intake.bad_period", value=_show(value), months=months),
            row,
            "period",
            tid,
        )
        return ""
    end = int(_PERIOD.match(period).group(2))
    if end > months:
        add(
            say("intake.period_too_late", value=period, months=months),
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
        for r in rs:
            # The problem names this workbook; the message names the others, each once.
            others = "；".join(
                say("intake.returned_where", file=o.file.name, row=o.rows[0])
                for o in rs
                if o is not r
            )
            issues.append(
                _Issue(
                    Problem(
                        str(r.file),
                        say("intake.returned_twice", task=tid, count=len(rs), where=others),
                        r.rows[0],
                        "任务编号",
                        FORM_SHEET,
                    ),
                    tid,
                )
            )
    return issues


def _missing_issues(
    register: FormRegister, missing: list[str], from_ledger: set[str] = frozenset()
) -> list[_Issue]:
    """One problem per lead unit that left tasks unreturned, naming the tasks, and saying how
    the report shows them: 未报送, or the office's ledger text (``from_ledger``)."""
    by_unit: dict[str, list[str]] = {}
    units = dict(zip(register.tasks["task_id"], register.tasks["lead_units"], strict=True))
    for tid in missing:
        for unit in _split(units[tid]) or [say("intake.no_lead_unit")]:
            by_unit.setdefault(unit, []).append(tid)

    def shown(ids: list[str]) -> str:
        ledger = [t for t in ids if t in from_ledger]
        if not ledger:
            return say("intake.shown_missing")
        if len(ledger) == len(ids):
            return say("intake.shown_ledger")
        return say("intake.shown_mixed", ids="、".join(ledger))

    return [
        _Issue(
            Problem(
                str(register.tasks_file),
                say("intake.not_returned", unit=unit, tasks="、".join(ids), shown=shown(ids)),
                column="task_id",
            )
        )
        for unit, ids in by_unit.items()
    ]


def _read_earlier(path: Path, columns: tuple[str, ...] = ("task_id",)) -> pd.DataFrame:
    """The rows an earlier intake (or the office) wrote; empty when there is no file."""
    if not path.is_file():
        return pd.DataFrame(columns=list(columns), dtype=object)
    return read_text_csv(path, list(columns))


def _write(
    register: FormRegister,
    data_dir: Path,
    accepted: dict[str, _Return],
    replace: bool = False,
    backups: list[Path] | None = None,
    to_rejudge: list[str] | None = None,
) -> list[Path]:
    """Write progress.csv and returned_actuals.csv together: both or neither replace the old.

    Rows of tasks not returned now are kept (unless ``replace``); the office's
    ``reported_status`` of a returned task is kept, with the fingerprint of the text it was
    judged on (the old text's, when the file did not record one); the old files are backed up
    first. ``to_rejudge`` receives the tasks whose kept status was judged on another text.
    """
    backups = [] if backups is None else backups
    to_rejudge = [] if to_rejudge is None else to_rejudge
    qdir = paths.quarter_dir(data_dir, register.year, register.quarter)
    targets = [qdir / PROGRESS_FILE, qdir / ACTUALS_FILE]
    old_progress = _read_earlier(targets[0])
    old_actuals = _read_earlier(targets[1], ("task_id",))
    office, judged = {}, {}
    if "reported_status" in old_progress.columns:
        n = len(old_progress)
        filed = zip(
            old_progress["task_id"],
            old_progress["reported_status"],
            old_progress.get("progress", pd.Series([""] * n)),
            old_progress.get(JUDGED_COLUMN, pd.Series([""] * n)),
            strict=True,
        )
        for tid, status, text, mark in filed:
            office[tid] = status
            # Filed before fingerprints were kept: it was judged on the text it sat beside.
            judged[tid] = (mark or text_fingerprint(text)) if status else ""
    rows = [
        (t, office.get(t, ""), r.status, r.progress, r.issues, r.next_steps)
        for t, r in accepted.items()
    ]
    progress = pd.DataFrame(
        [(*row, FROM_FORM, judged.get(row[0], "")) for row in rows],
        columns=[*PROGRESS_COLUMNS, SOURCE_COLUMN, JUDGED_COLUMN],
        dtype=object,
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
    progress, actuals = progress.astype(str), actuals.astype(str)  # 1400000 stays 1400000
    if not replace:
        keep = old_progress[~old_progress["task_id"].isin(accepted)]
        progress = pd.concat([keep, progress], ignore_index=True).fillna("")
        order = {t: i for i, t in enumerate(register.tasks["task_id"])}
        progress = progress.sort_values(
            "task_id", key=lambda s: s.map(lambda t: order.get(t, len(order))), kind="stable"
        )
        keep_actuals = old_actuals[~old_actuals["task_id"].isin(accepted)]
        actuals = pd.concat([keep_actuals, actuals], ignore_index=True).fillna("")
        actuals = actuals.sort_values(
            "task_id", key=lambda s: s.map(lambda t: order.get(t, len(order))), kind="stable"
        )
    to_rejudge.extend(stale_judgements(progress, STATUS_WORDS))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for target in targets:
        if target.is_file():
            backup = free_path(target.with_name(f"{target.name}.{stamp}.bak"))
            backups.append(write_bytes(target.read_bytes(), backup))
    with atomic_path(targets[0]) as tmp_progress, atomic_path(targets[1]) as tmp_actuals:
        for frame, tmp in ((progress, tmp_progress), (actuals, tmp_actuals)):
            text = neutralise_frame(frame).to_csv(index=False, lineterminator="\n")
            tmp.write_text(text, encoding="utf-8", newline="\n")
    return targets
