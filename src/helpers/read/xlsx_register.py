"""The sheets of an office's Excel 台账 (.xlsx) as grids of text, read with openpyxl.

Each visible sheet becomes one :class:`~helpers.read.importers.Grid`. A merged range gives its
text to every cell it covers (Excel keeps the text only in the top-left cell). Rows keep their
sheet numbers, so a message names the row the analyst sees in Excel.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from helpers.core.errors import DataError
from helpers.core.messages import say
from helpers.read.importers import Grid


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_xlsx_sheets(path: str | Path) -> list[Grid]:
    """Every visible sheet of a workbook, in order, as grids named by the sheet.

    Raises
    ------
    DataError
        The file is missing or not an .xlsx workbook (an old .xls must be saved as .xlsx).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError.at(path, say("file.not_found"))
    try:
        wb = load_workbook(path, data_only=True)
        # A cell Excel took for a formula (a unit typed "=1-9月改造12个") has no computed value:
        # its words are in the formula, read from the second copy, never dropped as empty.
        formulas = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataError.at(path, say("file.not_xlsx", detail=type(exc).__name__)) from exc
    grids = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        typed = formulas[ws.title]
        rows = [
            [
                _text(v)
                if v is not None
                else _text(typed.cell(r, c).value)
                if isinstance(typed.cell(r, c).value, str)
                else ""
                for c, v in enumerate(row, start=1)
            ]
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
        for rng in ws.merged_cells.ranges:
            top = _text(ws.cell(rng.min_row, rng.min_col).value)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = top
        grids.append(Grid(file=path, name=ws.title, rows=rows, context=[ws.title], sheet=True))
    return grids
