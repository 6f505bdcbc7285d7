"""Build a year's register and a quarter's progress from the office's own Word and Excel files.

``workreport import`` runs this. A .docx is read table by table (python-docx), an .xlsx sheet by
sheet (openpyxl); either becomes grids of cell text (:class:`Grid`). In each grid the header row
is found by its words, each header is mapped to a column of ``tasks.csv`` / ``progress.csv``
(synonyms: 工作任务 = 任务内容 = 项目内容 …), and the rows below become tasks:

* merged cells (a 工作板块 merged down, a unit merged over two rows) give their text to each row;
* a row merged across the whole table (``一、民生保障``) is a section heading;
* blank rows, note rows (``注：…``) and headers repeated on later pages are skipped;
* the words above a table (``推进较为滞后的9项重点工作任务…``) give the office's status to its
  rows when no column does; without either the status is left empty (shown as 未认定).

A header that cannot be mapped is refused with the file, the table or sheet, and the header. The
flattened text of the built-in district is still read by ``build_data`` (a .txt file here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core import paths
from helpers.core.errors import DataError, Problem
from helpers.core.messages import WHERE, say, where
from helpers.core.returns import FROM_LEDGER, JUDGED_COLUMN, SOURCE_COLUMN, text_fingerprint
from helpers.core.vocab import TaskStatus
from helpers.core.writing import write_csv
from helpers.read.quantities import read_indicator_progress
from helpers.read.source_reader import split_people, split_units

LIST_SEP = ";"
IGNORE = "(不使用)"

# Column -> the header words offices use for it, compared without spaces and brackets' width.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序列"),
    "task": (
        *("工作任务", "重点工作任务", "重点任务", "主要任务", "具体任务", "任务", "任务内容"),
        *("目标任务", "年度目标任务", "工作内容", "工作目标", "项目内容", "项目名称", "项目"),
        *("实事项目", "民生实事", "民生实事项目", "事项", "重点项目", "建设内容", "任务名称"),
    ),
    "target": ("预期目标", "主要预期目标", "主要指标", "指标", "指标名称", "经济社会发展预期目标"),
    "section": ("工作板块", "板块", "类别", "领域", "工作类别", "重点领域", "项目类别", "分类"),
    "leaders": (
        *("责任区领导", "责任县领导", "责任市领导", "牵头领导", "责任领导", "分管领导"),
        *("区领导", "县领导", "市领导", "牵头区领导", "牵头县领导", "牵头市领导", "联系领导"),
    ),
    "lead_units": (
        *("责任单位", "牵头单位", "主责单位", "承办单位", "责任部门", "牵头部门", "主办单位"),
        *("牵头责任单位", "实施单位", "责任主体"),
    ),
    "partner_units": ("配合单位", "协办单位", "参与单位", "配合部门", "协同单位", "协助单位"),
    "progress": (
        *("任务进展情况", "进展情况", "推进情况", "完成情况", "落实情况", "当前进度"),
        *("工作进展", "进展", "进度情况", "目前实施情况", "实施情况", "年度完成情况"),
        *("工作推进情况", "目标任务完成情况", "进度"),
    ),
    "reported_status": ("推进状态", "状态", "认定状态", "督查认定", "督查办认定", "进度评价"),
    IGNORE: (
        *("备注", "责任人", "完成时限", "时限", "时间节点", "进度安排", "工作进度安排"),
        *("联系人", "联系电话", "说明", "完成成效"),
    ),
}
# What each column is, in the office's words, for the printed mapping.
FIELD_NAMES = {
    "seq": "序号（记为 source_row）",
    "task": "工作任务（task）",
    "target": "预期目标（target_text）",
    "section": "工作板块（section）",
    "leaders": "责任领导（leaders）",
    "lead_units": "责任单位（lead_units）",
    "partner_units": "配合单位（partner_units）",
    "progress": "进展情况（progress）",
    "reported_status": "督查办认定状态（reported_status）",
    IGNORE: "不使用",
}
STATUS_WORDS = {
    "正常推进": TaskStatus.NORMAL,
    "正常": TaskStatus.NORMAL,
    "按序时推进": TaskStatus.NORMAL,
    "序时推进": TaskStatus.NORMAL,
    "达序时": TaskStatus.NORMAL,
    "推进较为滞后": TaskStatus.LAGGING,
    "较为滞后": TaskStatus.LAGGING,
    "滞后": TaskStatus.LAGGING,
    "进度滞后": TaskStatus.LAGGING,
    "慢序时": TaskStatus.LAGGING,
    "未认定": TaskStatus.UNJUDGED,
}
# Words in a table's title that give its rows the office's status (the annex of lagging tasks).
CONTEXT_STATUS = (
    (("推进较为滞后", "进度滞后", "慢序时", "滞后"), TaskStatus.LAGGING),
    (("正常推进", "按序时"), TaskStatus.NORMAL),
)
NOTE_PREFIXES = ("注", "备注", "说明", "附注", "数据来源", "填报", "制表", "填表")
SECTION_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*"
)
HEADER_SEARCH_ROWS = 12


def _norm(text: str) -> str:
    text = re.sub(r"\s+", "", text or "").replace("(", "（").replace(")", "）")
    return text.strip("*★☆:：")


_LOOKUP = {_norm(w): f for f, words in HEADER_WORDS.items() for w in words}
# The columns ``--column 表头=列`` may name, in the office's words (``parse_columns``), besides
# 不使用 (a column to leave out).
_COLUMN_NAMES = [words[0] for f, words in HEADER_WORDS.items() if f != IGNORE]


def map_header(text: str, overrides: dict[str, str] | None = None) -> str | None:
    """The column a header names, ``IGNORE`` for known columns the pack does not use, or None.

    >>> map_header("任 务 进 展 情 况"), map_header("2023年预期目标"), map_header("牵头单位")
    ('progress', 'target', 'lead_units')
    >>> map_header("备注"), map_header("奇怪的列") is None, map_header("备注", {"备注": "section"})
    ('(不使用)', True, 'section')
    """
    key = _norm(text)
    if not key:
        return None
    if overrides and key in overrides:
        return overrides[key]
    if key in _LOOKUP:
        return _LOOKUP[key]
    key = re.sub(r"^\d{4}年(?:度)?", "", key)  # 2023年预期目标, 2023年度工作任务
    key = re.sub(r"（[^）]*）$", "", key)  # 责任单位（牵头）
    return _LOOKUP.get(key)


@dataclass
class Grid:
    """One Word table or Excel sheet as rows of cell text (merged cells filled)."""

    file: Path
    name: str  # 表2 or the sheet's name
    rows: list[list[str]]
    context: list[str] = field(default_factory=list)  # the words above it: its title
    sheet: bool = False

    def where(self, row: int | None = None, header: str | None = None) -> str:
        """Where something is, in Chinese: ``台账.xlsx，工作表“附件2”，第5行，“责任单位”列``."""
        if self.sheet:
            return where(self.file.name, sheet=self.name, row=row, column=header)
        return where(self.file.name, table=self.name, row=row, column=header)


def _problem(grid: Grid, message: str, row: int | None = None, header: str | None = None):
    """A problem in a grid: its file named once, then the sheet or table, row and header."""
    place = {"sheet": grid.name} if grid.sheet else {"table": grid.name}
    return Problem(str(grid.file), message, row, header, **place)


@dataclass
class Mapping:
    """A grid's header: where it is and which column each position feeds."""

    header_rows: list[int]  # 0-based
    names: list[str]  # the header text of each position
    fields: list[str | None]

    def columns(self, name: str) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f == name]


def find_header(grid: Grid, overrides: dict[str, str] | None = None) -> Mapping | None:
    """The header of a grid: the first row naming a task (or target) column and one other.

    A second header row below it (责任单位 over 牵头单位 | 配合单位) refines the names.
    Returns None when the grid has no such row (a layout table, a cover sheet).
    """
    for i, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        fields = [map_header(c, overrides) for c in row]
        known = [f for f in fields if f and f != IGNORE]
        if not ({"task", "target"} & set(known)) or len(set(known)) < 2:
            continue
        names = list(row)
        header_rows = [i]
        if i + 1 < len(grid.rows):
            sub = grid.rows[i + 1]
            sub_fields = [map_header(c, overrides) for c in sub]
            looks_like_data = any(re.fullmatch(r"\d+", c.strip()) for c in sub if c)
            if not looks_like_data and any(
                f and s != t for f, s, t in zip(sub_fields, sub, row, strict=False)
            ):
                for k, (s, f) in enumerate(zip(sub, sub_fields, strict=False)):
                    if f and k < len(names) and s != names[k]:
                        names[k], fields[k] = s, f
                header_rows.append(i + 1)
        # 牵头单位 beside 责任单位: the first leads, the second shares the work.
        normed = [_norm(n) for n in names]
        if "牵头单位" in normed and "责任单位" in normed:
            fields[normed.index("责任单位")] = "partner_units"
        return Mapping(header_rows, names, fields)
    return None


def _context_status(grid: Grid, mapping: Mapping) -> str:
    words = " ".join(
        [*grid.context, *(" ".join(grid.rows[r]) for r in range(mapping.header_rows[0]))]
    )
    for cues, status in CONTEXT_STATUS:
        if any(c in words for c in cues):
            return status.value
    return ""


def _value(row: list[str], cols: list[int]) -> str:
    values = [row[c].strip() for c in cols if c < len(row) and row[c].strip()]
    return "\n".join(dict.fromkeys(values))


@dataclass
class GridRecords:
    """The rows one grid gave, and how its header was read."""

    grid: Grid
    mapping: Mapping
    kind: str  # "tasks" or "indicators"
    records: list[dict]
    status_from: str  # "column", "title" or ""
    title_status: str = ""
    continued: bool = False  # the previous table continued on a new page


def read_grid(
    grid: Grid,
    problems: list[Problem],
    overrides: dict[str, str] | None = None,
    previous: GridRecords | None = None,
) -> GridRecords | None:
    """Map a grid's header and read its rows; None for a grid with no register header.

    A Word table straight after another with the same header and no title of its own is the
    same annex continued on the next page (a document converted from PDF): it keeps the
    previous table's status and section.
    """
    mapping = find_header(grid, overrides)
    if mapping is None:
        return None
    continued = (
        previous is not None
        and not grid.sheet
        and not grid.context
        and previous.grid.file == grid.file
        and [_norm(n) for n in previous.mapping.names] == [_norm(n) for n in mapping.names]
    )
    header_row = mapping.header_rows[0] + 1  # 1-based number of the header row
    for name, f in zip(mapping.names, mapping.fields, strict=True):
        if f is None and name.strip():
            problems.append(
                _problem(
                    grid,
                    say(
                        "import.bad_header",
                        header=name.strip(),
                        columns="、".join(_COLUMN_NAMES),
                    ),
                    row=header_row,
                    header=name.strip(),
                )
            )
    kind = "tasks" if mapping.columns("task") else "indicators"
    main = mapping.columns("task" if kind == "tasks" else "target")
    header_norm = [_norm(n) for n in mapping.names]
    title_status = _context_status(grid, mapping)
    section = ""
    if continued:
        title_status = title_status or previous.title_status
        section = previous.records[-1]["section"] if previous.records else ""
    status_cols = mapping.columns("reported_status")
    records: list[dict] = []
    for i in range(mapping.header_rows[-1] + 1, len(grid.rows)):
        row = grid.rows[i]
        number = i + 1
        cells = [c.strip() for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue  # a blank row
        if (
            sum(
                1
                for a, b in zip((_norm(c) for c in cells), header_norm, strict=False)
                if a and a == b
            )
            >= 2
        ):
            continue  # the header repeated on a later page
        distinct = list(dict.fromkeys(filled))
        main_text = _value(row, main)
        across = len(distinct) == 1 and len(filled) == len(cells) > 1  # merged across the table
        if across or (not main_text and len(distinct) == 1):
            text = distinct[0]
            if _norm(text).startswith(NOTE_PREFIXES):
                continue  # a note under the table
            if not re.fullmatch(r"\d+", text):
                section = SECTION_NUMBER.sub("", text).strip()  # a section heading
                continue
        if not main_text:
            problems.append(
                _problem(
                    grid,
                    say(
                        "import.row_without_main",
                        main=say(
                            "import.main.tasks" if kind == "tasks" else "import.main.indicators"
                        ),
                        content="、".join(distinct)[:40],
                    ),
                    row=number,
                    header=mapping.names[main[0]],
                )
            )
            continue
        record = {
            "text": main_text.replace("\n", ""),
            "seq": _value(row, mapping.columns("seq")),
            "section": _value(row, mapping.columns("section")) or section,
            "leaders": LIST_SEP.join(split_people(_value(row, mapping.columns("leaders")))),
            "lead_units": LIST_SEP.join(split_units(_value(row, mapping.columns("lead_units")))),
            "partner_units": LIST_SEP.join(
                split_units(_value(row, mapping.columns("partner_units")))
            ),
            "progress": _value(row, mapping.columns("progress")),
            "reported_status": title_status,
            "source_row": number,
        }
        if status_cols:
            word = _norm(_value(row, status_cols))
            if word and word not in STATUS_WORDS:
                problems.append(
                    _problem(
                        grid,
                        say("data.bad_status", value=word, allowed="、".join(STATUS_WORDS)),
                        row=number,
                        header=mapping.names[status_cols[0]],
                    )
                )
            record["reported_status"] = STATUS_WORDS[word].value if word in STATUS_WORDS else ""
        previous = records[-1] if records else None
        if previous and previous["text"] == record["text"] and previous["seq"] == record["seq"]:
            # One task over several rows (its cell merged down): join the rows' other cells.
            for col in ("leaders", "lead_units", "partner_units"):
                names = [*previous[col].split(LIST_SEP), *record[col].split(LIST_SEP)]
                previous[col] = LIST_SEP.join(dict.fromkeys(n for n in names if n))
            if record["progress"] and record["progress"] not in previous["progress"]:
                previous["progress"] = "\n".join(
                    p for p in (previous["progress"], record["progress"]) if p
                )
            continue
        records.append(record)
    status_from = "column" if status_cols else ("title" if title_status else "")
    return GridRecords(grid, mapping, kind, records, status_from, title_status, continued)


def read_grids(files: list[Path]) -> list[Grid]:
    """The grids of every file, by its kind (.docx tables, .xlsx sheets)."""
    from helpers.read.docx_register import read_docx_tables
    from helpers.read.xlsx_register import read_xlsx_sheets

    grids: list[Grid] = []
    for path in files:
        suffix = Path(path).suffix.lower()
        if suffix == ".docx":
            grids.extend(read_docx_tables(path))
        elif suffix in (".xlsx", ".xlsm"):
            grids.extend(read_xlsx_sheets(path))
        else:
            raise DataError.at(
                path,
                say("import.bad_suffix", suffix=suffix or say("import.no_suffix")),
            )
    return grids


@dataclass
class ImportResult:
    """What ``import_files`` read and wrote."""

    mapping: list[str]  # one line per grid: how its header was mapped
    tasks: pd.DataFrame
    progress: pd.DataFrame | None
    indicators: pd.DataFrame | None
    indicator_progress: pd.DataFrame | None
    written: list[Path]

    def __str__(self) -> str:
        lines = [say("import.summary.mapping"), *(f"  {m}" for m in self.mapping)]
        lines.append(
            say(
                "import.summary.counts",
                tasks=len(self.tasks),
                indicators=0 if self.indicators is None else len(self.indicators),
            )
        )
        lines.append(say("import.summary.written"))
        lines.extend(f"  {p}" for p in self.written)
        return "\n".join(lines)


def _mapping_line(gr: GridRecords) -> str:
    pairs = [
        say("import.summary.pair", header=n.strip(), field=FIELD_NAMES[f])
        for n, f in zip(gr.mapping.names, gr.mapping.fields, strict=True)
        if f and n.strip()
    ]
    pairs = list(dict.fromkeys(pairs))  # a header merged over two columns is named once
    status = {
        "column": say("import.summary.status_column"),
        "title": say(
            "import.summary.status_title",
            status=gr.records[0]["reported_status"] if gr.records else "",
        ),
        "": say("import.summary.status_none"),
    }[gr.status_from]
    head = "、".join(str(r + 1) for r in gr.mapping.header_rows)
    what = say("import.what.tasks" if gr.kind == "tasks" else "import.what.indicators")
    if gr.continued:
        what = say("import.summary.continued") + what
    return say(
        "import.summary.grid",
        place=gr.grid.where(),
        head=head,
        what=what,
        count=len(gr.records),
        pairs="，".join(pairs),
        status=status,
    )


def parse_columns(columns: dict[str, str]) -> dict[str, str]:
    """An office's own header words: ``{"备注": "section"}`` (or ``"工作板块"``) -> normalised.

    >>> parse_columns({"备 注": "工作板块", "进度情况说明": "进展情况"})
    {'备注': 'section', '进度情况说明': 'progress'}
    """
    fields = {f: f for f in HEADER_WORDS if f != IGNORE} | {"ignore": IGNORE}
    # Any header word the pack knows for a column names that column (进展情况 as well as
    # 任务进展情况); the message lists each column's first word.
    fields |= {_norm(w): f for f, words in HEADER_WORDS.items() if f != IGNORE for w in words}
    fields |= {"不使用": IGNORE}
    shown = [*_COLUMN_NAMES, "不使用"]
    out = {}
    for header, target in columns.items():
        field_name = fields.get(_norm(target)) or fields.get(target)
        if field_name is None:
            raise DataError.at(
                "parameters",
                say(
                    "param.column_target",
                    header=header,
                    target=target,
                    allowed="、".join(shown),
                ),
                column="column",
            )
        out[_norm(header)] = field_name
    return out


def _id_width(n: int) -> int:
    return max(3, len(str(n)))


def import_files(
    files: list[str | Path],
    data_dir: str | Path | None,
    year: int,
    quarter: int,
    replace: bool = False,
    columns: dict[str, str] | None = None,
) -> ImportResult:
    """Read the office's .docx/.xlsx files and write the year's register and the quarter's progress.

    Writes ``<year>/tasks.csv`` (the register; optional columns only when some table has them),
    ``<year>/Q<q>/progress.csv`` when a table has a progress column, and, when a table lists the
    expected targets, ``<year>/indicators.csv`` and ``<year>/Q<q>/indicator_progress.csv``.
    When the year's register exists and holds the same tasks, its ids are kept and only the
    quarter is written (a later quarter of the same register).

    Raises
    ------
    DataError
        A file that cannot be read, a header that cannot be mapped, a row without a task, a
        status word outside the vocabulary, no register table at all, or files that would be
        overwritten by a different register (give ``replace=True``).
    """
    files = [Path(f) for f in files]
    data_dir = Path(data_dir or paths.DATA_DIR)
    overrides = parse_columns(columns or {})
    grids = read_grids(files)
    problems: list[Problem] = []
    read: list[GridRecords] = []
    lines = []
    for g in grids:
        gr = read_grid(g, problems, overrides, read[-1] if read else None)
        if gr is not None:
            read.append(gr)
            lines.append(_mapping_line(gr))
        else:
            lines.append(say("import.summary.skipped", place=g.where()))
    if problems:
        raise DataError(problems)
    task_grids = [gr for gr in read if gr.kind == "tasks"]
    if not task_grids:
        # One problem per file, naming it once: its tables or sheets by name and first row.
        raise DataError(
            [
                Problem(
                    str(path),
                    say(
                        "import.no_register",
                        seen="；".join(
                            say(
                                "import.summary.first_row",
                                place=(
                                    WHERE["sheet"].format(sheet=g.name)
                                    if g.sheet
                                    else WHERE["table"].format(table=g.name)
                                ),
                                cells="、".join(c for c in g.rows[0] if c)[:60],
                            )
                            for g in grids
                            if g.file == path and g.rows
                        )
                        or say("data.none"),
                    ),
                )
                for path in files
            ]
        )
    records = [(gr, r) for gr in task_grids for r in gr.records]
    has = {
        col: any(gr.mapping.columns(col) for gr in task_grids)
        for col in ("section", "leaders", "lead_units", "partner_units", "progress")
    }
    has["section"] = has["section"] or any(r["section"] for _, r in records)
    has_status = any(gr.status_from for gr in task_grids)
    width = _id_width(len(records))
    tasks = pd.DataFrame(
        [
            {
                "task_id": f"T{k:0{width}d}",
                "section": r["section"],
                "task": r["text"],
                "leaders": r["leaders"],
                "lead_units": r["lead_units"],
                "partner_units": r["partner_units"],
                "source_file": gr.grid.file.name,
                "source_table": gr.grid.name,
                "source_row": r["source_row"],
            }
            for k, (gr, r) in enumerate(records, start=1)
        ]
    )
    tasks = tasks[[c for c in tasks.columns if has.get(c, True)]]
    progress = None
    if has["progress"]:
        # The office's own ledger, not the units' returns (``source``); a status it gives was
        # judged on the text beside it (``judged_fingerprint``), so a unit re-reporting later
        # is seen to leave that status on words it was not judged on.
        judged = (TaskStatus.NORMAL.value, TaskStatus.LAGGING.value)
        progress = pd.DataFrame(
            {
                "task_id": tasks["task_id"],
                **(
                    {"reported_status": [r["reported_status"] for _, r in records]}
                    if has_status
                    else {}
                ),
                "progress": [r["progress"] for _, r in records],
                SOURCE_COLUMN: FROM_LEDGER,
                **(
                    {
                        JUDGED_COLUMN: [
                            text_fingerprint(r["progress"])
                            if r["reported_status"] in judged
                            else ""
                            for _, r in records
                        ]
                    }
                    if has_status
                    else {}
                ),
            }
        )
    ydir, qdir = paths.year_dir(data_dir, year), paths.quarter_dir(data_dir, year, quarter)
    tasks_file = ydir / "tasks.csv"
    write_register = True
    if tasks_file.is_file() and not replace:
        old = pd.read_csv(tasks_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        ids = dict(zip(old["task"].map(_norm), old["task_id"], strict=False))
        new_keys = tasks["task"].map(_norm)
        unknown = [t for t, k in zip(tasks["task"], new_keys, strict=True) if k not in ids]
        if unknown or len(old) != len(tasks):
            raise DataError.at(
                tasks_file,
                say(
                    "import.register_differs",
                    year=year,
                    example=(unknown or [say("import.count_differs")])[0][:30],
                    old=len(old),
                    new=len(tasks),
                ),
            )
        write_register = False  # same register: keep its ids, write only the quarter
        mapped = new_keys.map(ids)
        if progress is not None:
            progress["task_id"] = mapped.to_numpy()
    out_progress = qdir / "progress.csv"
    if progress is not None and out_progress.is_file() and not replace:
        raise DataError.at(out_progress, say("import.progress_exists", year=year, quarter=quarter))

    indicators = indicator_progress = None
    ind_records = [(gr, r) for gr in read if gr.kind == "indicators" for r in gr.records]
    if ind_records:
        iw = max(2, len(str(len(ind_records))))
        indicators = pd.DataFrame(
            [
                {
                    "indicator_id": f"I{k:0{iw}d}",
                    "target_text": r["text"],
                    "leaders": r["leaders"],
                    "lead_units": r["lead_units"],
                }
                for k, (_, r) in enumerate(ind_records, start=1)
            ]
        )
        rows = []
        for iid, (_, r) in zip(indicators["indicator_id"], ind_records, strict=True):
            figures = read_indicator_progress(r["progress"])
            rows.append(
                {
                    "indicator_id": iid,
                    "progress": r["progress"],
                    "period": figures["period"],
                    "value": figures["value"],
                    "value_unit": figures["value_unit"],
                    "rank": figures["rank"],
                    "notes": figures["notes"],
                }
            )
        indicator_progress = pd.DataFrame(rows).astype({"rank": "Int64"})

    written = []
    if write_register:
        written.append(write_csv(tasks, tasks_file, bom=False))
        if indicators is not None:
            written.append(write_csv(indicators, ydir / "indicators.csv", bom=False))
    if progress is not None:
        written.append(write_csv(progress, out_progress, bom=False))
    if indicator_progress is not None:
        written.append(write_csv(indicator_progress, qdir / "indicator_progress.csv", bom=False))
    if progress is None:
        qdir.mkdir(parents=True, exist_ok=True)
    return ImportResult(
        lines,
        tasks,
        progress,
        indicators,
        indicator_progress,
        written,
    )
