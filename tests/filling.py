"""Filling the office's form as a unit would, for the tests of intake, review and safety."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from helpers.cycle.form_write import text_cell
from helpers.cycle.forms import FORM_SHEET


def fill_form(
    form: Path,
    out: Path,
    texts: dict[str, str] | None = None,
    status: str = "正常推进",
    only_given: bool = False,
) -> Path:
    """Write progress words and a self-assessment for each task of ``form`` into ``out``: the
    words in ``texts``, else a plain 已按计划推进 (or nothing, with ``only_given``: a unit that
    returns only its own tasks). Typed in Excel, text starting with "=" stays text."""
    wb = load_workbook(form)
    ws = wb[FORM_SHEET]
    col = {c.value: c.column for c in ws[1]}
    seen = set()
    for row in range(2, ws.max_row + 1):
        tid = ws.cell(row, col["任务编号"]).value
        if not tid or tid in seen or (only_given and tid not in (texts or {})):
            continue
        seen.add(tid)
        words = (texts or {}).get(tid, f"{tid}：已按计划推进。")
        text_cell(ws.cell(row, col["任务进展情况"]), words)
        ws.cell(row, col["本单位评估"]).value = status
    wb.save(out)
    return out
