"""Load a year's register and a quarter's progress, checked, into DataFrames.

Every check names the file, the row (as a spreadsheet shows it: header = row 1) and the column.
All problems in a file are collected and raised together, and nothing is returned half-loaded.
"""

from __future__ import annotations

import csv
import io
import json
import math
import mmap
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core import paths
from helpers.core.errors import DataError, ProblemList
from helpers.core.messages import say
from helpers.core.vocab import TaskStatus
from helpers.core.writing import restore

# column -> (dtype, required non-empty)
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "tasks": {
        "task_id": ("str", True),
        "section": ("str", False),
        "task": ("str", True),
        "leaders": ("str", False),
        "lead_units": ("str", False),
        "partner_units": ("str", False),
    },
    "indicators": {
        "indicator_id": ("str", True),
        "target_text": ("str", True),
        "leaders": ("str", False),
        "lead_units": ("str", False),
    },
    "progress": {
        "task_id": ("str", True),
        "reported_status": ("str", False),
        "progress": ("str", False),
    },
    "indicator_progress": {
        "indicator_id": ("str", True),
        "progress": ("str", False),
        "period": ("str", False),
        "value": ("float", False),
        "value_unit": ("str", False),
        "rank": ("int", False),
        "notes": ("str", False),
    },
}
# Columns a real register or return may lack: a missing one is filled with empty text and named
# in ``QuarterData.missing`` (the report says what it lacks). Every other column is required.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "tasks": ("section", "leaders", "lead_units", "partner_units"),
    "indicators": ("leaders", "lead_units"),
    "progress": ("reported_status",),
    "indicator_progress": (),
}
# What each optional column is called in the office's own words (for messages and the report).
COLUMN_NAMES = {
    "section": "工作板块",
    "leaders": "责任领导",
    "lead_units": "责任单位",
    "partner_units": "配合单位",
    "reported_status": "督查办认定状态",
}
#: Task columns an office may leave out of its register altogether (a 民生实事 register often has
#: no 工作板块, 责任领导 or 配合单位): the report is then not grouped by them at all.
GROUPING_COLUMNS = ("section", "leaders", "partner_units")
NO_SECTION = "（未分板块）"
ID_COLUMN = {
    "tasks": "task_id",
    "indicators": "indicator_id",
    "progress": "task_id",
    "indicator_progress": "indicator_id",
}
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]+$")
REPORTED_STATUSES = (*(str(s) for s in TaskStatus), "")
MAX_CSV_BYTES = 200_000_000  # a register of 100k tasks with its progress is ~60 MB
# A returned row without the office's status: counted and shown as such, never dropped.
NOT_ASSESSED = TaskStatus.UNJUDGED.value
# A thousands separator is a comma before exactly three digits; "2,6" is a decimal comma.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
PERIOD_PATTERN = re.compile(r"^(\d{1,2})-(\d{1,2})月$")


def read_csv_checked(path: str | Path, kind: str) -> pd.DataFrame:
    """Read one CSV of a known kind and check its columns, types and ids.

    Parameters
    ----------
    path : str or Path
        The file. UTF-8, with or without a byte-order mark.
    kind : {"tasks", "indicators", "progress", "indicator_progress"}
        Which schema to check against (``SCHEMAS``).

    Returns
    -------
    DataFrame
        Columns of the schema with declared dtypes (``string``, ``Float64``, ``Int64``), in
        file order; extra columns are kept as strings.

    Raises
    ------
    DataError
        Missing file, empty file, wrong encoding, missing columns, empty required cells, values
        of the wrong type, malformed or duplicate ids.
    """
    path = Path(path)
    schema = SCHEMAS[kind]
    if not path.is_file():
        how = {
            "indicator_progress": say("file.hint.indicator_progress"),
            "progress": say("file.hint.progress"),
        }.get(kind, "")
        raise DataError.at(path, say("file.table_not_found", kind=kind, how=how))
    optional = OPTIONAL_COLUMNS[kind]
    df = read_text_csv(path, [c for c in schema if c not in optional])
    absent = [c for c in optional if c not in df.columns]
    for col in absent:
        df[col] = ""
    problems = ProblemList()
    if df.empty:
        raise DataError.at(path, say("file.header_only"), row=2)
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        cells = df[col].tolist()
        try:
            values = list(map(str.strip, cells))
        except TypeError:  # a cell missing from a short row
            values = [v.strip() if isinstance(v, str) else v for v in cells]
        dtype, required = schema.get(col, ("str", False))
        if required:
            for k in np.flatnonzero(np.array(values, dtype=object) == ""):
                problems.add(path, say("data.required"), row=df.index[k] + 2, column=col)
        if dtype == "float":
            out[col] = _to_numbers(pd.Series(values, index=df.index), path, col, problems, False)
        elif dtype == "int":
            out[col] = _to_numbers(pd.Series(values, index=df.index), path, col, problems, True)
        else:
            out[col] = pd.array(values, dtype="string")
    id_col = ID_COLUMN[kind]
    ids = out[id_col]
    values = ids.tolist()
    bad = [k for k, v in enumerate(values) if v and not ID_PATTERN.match(str(v))]
    for i, value in zip(ids.index[bad], ids.iloc[bad], strict=True):
        problems.add(
            path,
            say("data.bad_id", value=value),
            row=i + 2,
            column=id_col,
        )
    dup = ids[(ids.duplicated(keep="first") & (ids != "")).to_numpy(dtype=bool, na_value=False)]
    if len(dup):
        firsts = ids[ids.isin(set(dup)).to_numpy(dtype=bool)]
        firsts = firsts[~firsts.duplicated().to_numpy(dtype=bool)]
        first = dict(zip(firsts.tolist(), firsts.index, strict=True))
        for i, value in dup.items():
            problems.add(
                path,
                say("data.duplicate_id", value=value, first=first[value] + 2),
                row=i + 2,
                column=id_col,
            )
    problems.raise_if_any()
    out.attrs["source_file"] = str(path)
    out.attrs["missing_columns"] = absent
    return out


def _to_numbers(values, path, col, problems, integer: bool):
    result = []
    for i, v in values.items():
        if v == "" or v is None:
            result.append(pd.NA)
            continue
        text = str(v).strip()
        if "," in text and not _THOUSANDS.match(text):
            problems.add(
                path,
                say("data.comma_decimal", value=v),
                row=i + 2,
                column=col,
            )
            result.append(pd.NA)
            continue
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            hint = say("data.hint.percent") if text.endswith("%") else ""
            problems.add(path, say("data.not_number", value=v, hint=hint), row=i + 2, column=col)
            result.append(pd.NA)
            continue
        if not math.isfinite(number):
            problems.add(
                path,
                say("data.not_finite", value=v),
                row=i + 2,
                column=col,
            )
            result.append(pd.NA)
            continue
        if integer and not number.is_integer():
            problems.add(path, say("data.not_whole", value=v), row=i + 2, column=col)
            result.append(pd.NA)
            continue
        result.append(int(number) if integer else number)
    return pd.array(result, dtype="Int64" if integer else "Float64")


@dataclass
class QuarterData:
    """A year's register and one quarter's progress, loaded and cross-checked."""

    year: int
    quarter: int
    tasks: pd.DataFrame
    indicators: pd.DataFrame
    progress: pd.DataFrame  # one row per task in the register; 未报送 where no return
    indicator_progress: pd.DataFrame
    stated: dict
    files: dict[str, Path]
    # What the data lacks, for the report to say: file kind -> optional columns absent from it
    # (``"indicators": ["(file)"]`` when there is no indicators.csv).
    missing: dict[str, list[str]] = field(default_factory=dict)


def load_quarter(data_dir: str | Path | None, year: int, quarter: int) -> QuarterData:
    """Load and cross-check the register of ``year`` and the progress of ``quarter``.

    Progress rows must name tasks in the register; a task with no progress row is kept, with
    ``reported_status`` 未报送 and no text, so that missing reports show as such, never as zero.
    A progress row without the office's status (an id and nothing else, or a return not yet
    judged) gets ``reported_status`` 未认定: counted and shown, never dropped.

    Raises
    ------
    DataError
        For any problem in any of the files, or a missing year or quarter folder.
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    ydir = paths.year_dir(data_dir, year)
    qdir = paths.quarter_dir(data_dir, year, quarter)
    if not ydir.is_dir():
        have = sorted(p.name for p in data_dir.glob("[0-9][0-9][0-9][0-9]") if p.is_dir())
        raise DataError.at(
            ydir, say("data.no_year", year=year, have="、".join(have) or say("data.none"))
        )
    if not qdir.is_dir():
        have = sorted(p.name for p in ydir.glob("Q[1-4]") if p.is_dir())
        raise DataError.at(
            qdir,
            say(
                "data.no_quarter",
                year=year,
                quarter=quarter,
                have="、".join(have) or say("data.none"),
            ),
        )
    files = {
        "tasks": ydir / "tasks.csv",
        "indicators": ydir / "indicators.csv",
        "progress": qdir / "progress.csv",
        "indicator_progress": qdir / "indicator_progress.csv",
    }
    missing: dict[str, list[str]] = {}
    tables = {}
    for kind, path in files.items():
        if kind in ("indicators", "indicator_progress") and not files["indicators"].is_file():
            # A register of tasks alone (民生实事, 重点项目) has no expected targets.
            tables[kind] = _empty_table(kind)
            missing["indicators"] = [MISSING_FILE]
            continue
        tables[kind] = read_csv_checked(path, kind)
        if tables[kind].attrs.get("missing_columns"):
            missing[kind] = list(tables[kind].attrs["missing_columns"])
    # A task without a section, among tasks that have one, is shown under （未分板块）; a register
    # none of whose tasks has a section keeps them empty: the report is not grouped by section.
    sections = tables["tasks"]["section"]
    if (sections != "").any():
        tables["tasks"]["section"] = sections.mask(sections == "", NO_SECTION)
    problems = ProblemList()
    prog = tables["progress"]
    unknown = ~prog["task_id"].isin(tables["tasks"]["task_id"]).to_numpy(dtype=bool)
    for i, tid in prog["task_id"][unknown].items():
        problems.add(
            files["progress"],
            say("data.unknown_task", value=tid, register=files["tasks"].name),
            row=i + 2,
            column="task_id",
        )
    odd = ~prog["reported_status"].isin(REPORTED_STATUSES).to_numpy(dtype=bool)
    for i, status in prog["reported_status"][odd].items():
        if status not in REPORTED_STATUSES:
            problems.add(
                files["progress"],
                say(
                    "data.bad_status",
                    value=status,
                    allowed="、".join(s for s in REPORTED_STATUSES if s),
                ),
                row=i + 2,
                column="reported_status",
            )
    known_ind = set(tables["indicators"]["indicator_id"])
    ip = tables["indicator_progress"]
    for i, iid in ip["indicator_id"].items():
        if iid not in known_ind:
            problems.add(
                files["indicator_progress"],
                say("data.unknown_indicator", value=iid, register=files["indicators"].name),
                row=i + 2,
                column="indicator_id",
            )
    for i, period in ip["period"].items():
        if not period:
            continue
        m = PERIOD_PATTERN.match(str(period))
        if not m or not (1 <= int(m.group(1)) <= int(m.group(2)) <= 12):
            problems.add(
                files["indicator_progress"],
                say("data.bad_period", value=period),
                row=i + 2,
                column="period",
            )
        elif int(m.group(2)) > quarter * 3:
            problems.add(
                files["indicator_progress"],
                say("data.period_too_late", value=period, months=quarter * 3),
                row=i + 2,
                column="period",
            )
    problems.raise_if_any()
    progress = tables["tasks"][["task_id"]].merge(prog, on="task_id", how="left")
    progress["progress"] = progress["progress"].fillna("").astype("string")
    no_return = progress["reported_status"].isna()
    progress["reported_status"] = (
        progress["reported_status"].fillna(TaskStatus.NOT_REPORTED.value).astype("string")
    )
    progress.loc[no_return, "reported_status"] = TaskStatus.NOT_REPORTED.value
    # A unit reported but the office has filed no judgement (yet): 未认定, never a guess.
    progress.loc[~no_return & (progress["reported_status"] == ""), "reported_status"] = (
        TaskStatus.UNJUDGED.value
    )
    progress["returned"] = ~no_return
    stated_path = qdir / "stated.json"
    stated = json.loads(stated_path.read_text(encoding="utf-8")) if stated_path.is_file() else {}
    files["stated"] = stated_path
    return QuarterData(
        year,
        quarter,
        tables["tasks"],
        tables["indicators"],
        progress,
        tables["indicators"][["indicator_id"]].merge(ip, on="indicator_id", how="left"),
        stated,
        files,
        missing,
    )


MISSING_FILE = "(file)"
"""In ``QuarterData.missing``: the whole file is absent, not one of its columns."""


def _empty_table(kind: str) -> pd.DataFrame:
    """A table of ``kind`` with its columns and dtypes and no rows."""
    dtypes = {"str": "string", "float": "Float64", "int": "Int64"}
    df = pd.DataFrame(
        {col: pd.Series([], dtype=dtypes[t]) for col, (t, _) in SCHEMAS[kind].items()}
    )
    df.attrs["missing_columns"] = []
    return df


def read_optional_csv(path: str | Path | None, columns: list[str]) -> pd.DataFrame:
    """Read an optional side file (curation, trajectories, returned figures) as strings.

    An absent file gives an empty frame with ``columns``. A present one must be UTF-8 (a BOM is
    fine) and hold every column of ``columns``; ``attrs['source_file']`` names it for messages.

    Raises
    ------
    DataError
        Not UTF-8, or a missing column.
    """
    if path is None or not Path(path).is_file():
        return pd.DataFrame(columns=columns)
    return read_text_csv(Path(path), columns)


def read_text_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a UTF-8 CSV (a BOM is fine) as strings and check that it has ``columns``.

    The one reader behind every CSV input: the register, the quarter's progress, the optional
    side files and ``workreport extract``. Rows of empty cells that Excel leaves at the end of a
    sheet are dropped; the index keeps the file's row order, so row numbers stay right.

    Raises
    ------
    DataError
        An empty file, text that is not UTF-8 (GBK is named as such), a malformed CSV, or a
        missing column.
    """
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise DataError.at(
            path,
            say("file.too_big", size_mb=size / 1e6, limit_mb=MAX_CSV_BYTES / 1e6),
        )
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if _BLANK.fullmatch(head) and (size <= _HEAD_BYTES or _BLANK.fullmatch(path.read_bytes())):
        raise DataError.at(path, say("file.empty"))
    try:
        # Blank lines are kept (and dropped below) so that the index counts rows as Excel does.
        # The parser decodes strictly: text that is not UTF-8 stops it (and is located below).
        df = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False
        )
    except UnicodeDecodeError:
        _check_utf8(path, path.read_bytes())
        raise
    except pd.errors.ParserError as exc:
        _check_utf8(path, path.read_bytes())  # an encoding problem is named first, wherever
        raise DataError.at(path, say("file.bad_csv", detail=exc)) from exc
    # The pack's own CSVs neutralise text that a spreadsheet would run ("'=…"): read it back as
    # it was typed. Only a cell starting with ' can need it, and a file without ' has none.
    if _holds(path, b"'"):
        for col in df.columns:
            values = df[col].tolist()
            quoted = [k for k, v in enumerate(values) if isinstance(v, str) and v[:1] == "'"]
            if quoted:
                df.loc[df.index[quoted], col] = [restore(values[k]) for k in quoted]
    # Excel leaves rows of empty cells (",,,") at the end of a sheet saved as CSV: not data.
    empty = _empty_rows(df)
    if len(empty):
        df = df.drop(index=df.index[empty])
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError.at(
            path,
            say(
                "file.missing_columns",
                missing="、".join(missing),
                have="、".join(map(str, df.columns)),
            ),
            row=1,
            column=missing[0],
        )
    df.attrs["source_file"] = str(path)
    return df


_BLANK = re.compile(rb"[\xef\xbb\xbf \r\n\t]*")
_HEAD_BYTES = 4096


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file holds ``data`` anywhere (searched in place, not read into memory)."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return view.find(data) >= 0


def _check_utf8(path: Path, raw: bytes) -> None:
    """Raise the error naming where ``raw`` stops being UTF-8 (and whether it is GBK), if it does."""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        for part, where in ((raw, ""), (raw[exc.start :], say("file.gbk_hint_from_here"))):
            try:
                part.decode("gb18030")
            except UnicodeDecodeError:
                continue
            hint = say("file.gbk_hint", where=where)
            break
        line = _excel_row(raw[: exc.start].decode("utf-8-sig"))
        raise DataError.at(
            path,
            say("file.not_utf8_csv", offset=exc.start, hint=hint),
            row=line,
        ) from exc


def _empty_rows(df: pd.DataFrame) -> np.ndarray:
    """Positions of the rows whose every cell is empty or blank, column by column over the rows
    still in question (after the first column, hardly any)."""
    rows = np.arange(len(df))
    for col in df.columns:
        values = df[col].to_numpy(dtype=object)[rows]
        blank = [isinstance(v, str) and (not v or v.isspace()) for v in values]
        rows = rows[np.array(blank, dtype=bool)]
        if not len(rows):
            break
    return rows


def _excel_row(text: str) -> int:
    """The row (header = 1) Excel shows for the end of ``text``, the start of a CSV file.

    Counts CSV records, not lines: a line break inside a quoted cell does not start a row, and a
    lone CR ends one as Excel reads it.

    >>> _excel_row("a,b\\n1,2\\n"), _excel_row('a,b\\n"x\\ny",'), _excel_row("a\\r\\nb\\rc")
    (3, 2, 3)
    """
    rows = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    ends_row = text.endswith(("\n", "\r")) and text.count('"') % 2 == 0
    return max(rows + (1 if ends_row else 0), 1)
