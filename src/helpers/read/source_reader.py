"""Read the office's report, a Word document flattened to text, into register and progress tables.

The format (see ``data/raw/README.md``): every table cell starts on a new line with a tab; a cell
spanning several lines continues on lines without a leading tab; a row whose first cells are merged
with the row above starts with a space and a tab; other rows are separated by a blank line.

This module only parses. ``helpers.read.build_data`` turns the parsed rows into the CSV files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import DataError
from helpers.core.messages import say

ANNEX_HEADINGS = {"附件1": "indicators", "附件2": "lagging", "附件3": "normal"}
# Artefacts Word leaves in the text when a document is converted.
ARTEFACTS = re.compile(r"\[bookmark: [^\]]*\]")


@dataclass
class Row:
    """One table row: its cells and the line number (1-based) where it starts."""

    line: int
    merged: bool  # the row's first cells are merged with the row above
    cells: list[str] = field(default_factory=list)


@dataclass
class ParsedReport:
    """Everything read from one report: the body and the three annex tables."""

    path: str
    body: str
    indicators: list[Row]
    lagging: list[Row]
    normal: list[Row]


def clean_cell(text: str) -> str:
    """Strip conversion artefacts and surrounding white space from a cell."""
    return ARTEFACTS.sub("", text).strip()


def normalise_name(name: str) -> str:
    """Remove the spaces Word used to pad two-character names: ``陈  英`` -> ``陈英``."""
    return re.sub(r"\s+", "", name)


def split_people(cell: str) -> list[str]:
    """Split a leaders cell (one name per line) into normalised names."""
    return [normalise_name(x) for x in cell.split("\n") if normalise_name(x)]


def split_units(cell: str) -> list[str]:
    """Split a units cell into unit names.

    A line that is wholly bracketed, such as ``（区整违办）``, is the other name of the unit on the
    line above it (区城管局（区整违办）), not a unit of its own. A unit name broken over two lines
    by the cell width (``生活垃圾分类工作`` / ``领导小组成员单位``) is joined back.
    """
    units: list[str] = []
    for raw in cell.split("\n"):
        line = normalise_name(raw)
        if not line:
            continue
        if (units and (line.startswith("（") and line.endswith("）"))) or (
            units and _is_wrapped_tail(units[-1], line)
        ):
            units[-1] += line
        else:
            units.append(line)
    return units


def _is_wrapped_tail(previous: str, line: str) -> bool:
    # Word wraps long names inside narrow cells: "科学城建设" / "领导小组成员单位",
    # "招商领导小组" / "成员单位", "干部教育培训工作" / "联席会议成员单位". A line that starts
    # with the generic tail of a body's name cannot stand alone as a unit.
    return line.startswith(("领导小组", "联席会议", "成员单位", "协调小组"))


def _rows(lines: list[tuple[int, str]]) -> list[Row]:
    """Group the lines of one annex table into rows of cells."""
    rows: list[Row] = []
    current: Row | None = None
    for lineno, line in lines:
        if line.strip() == "" and not line.startswith("\t"):
            current = None  # a blank line ends a row
            continue
        if line.startswith(" \t"):
            current = Row(lineno, merged=True, cells=[line[2:]])
            rows.append(current)
        elif line.startswith("\t"):
            if current is None:
                current = Row(lineno, merged=False)
                rows.append(current)
            current.cells.append(line[1:])
        else:
            if current is None or not current.cells:
                raise DataError.at(
                    "report text", say("source.outside_cell", text=line[:40]), row=lineno
                )
            current.cells[-1] += "\n" + line
    for row in rows:
        row.cells = [clean_cell(c) for c in row.cells]
    return [r for r in rows if any(r.cells)]


def parse_report(path: str | Path) -> ParsedReport:
    """Parse a flattened progress report into its body and annex rows.

    Parameters
    ----------
    path : str or Path
        The UTF-8 text file.

    Returns
    -------
    ParsedReport
        The body text and the data rows of 附件1-3 (header rows removed).

    Raises
    ------
    DataError
        If the file is not UTF-8, or an annex is missing.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError.at(path, say("source.not_utf8", offset=exc.start)) from exc
    lines = text.split("\n")
    starts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if line.strip() in ANNEX_HEADINGS and line.strip() not in starts:
            starts[line.strip()] = i
    missing = [h for h in ANNEX_HEADINGS if h not in starts]
    if missing:
        raise DataError.at(path, say("source.no_annex", missing="、".join(missing)))
    order = sorted(starts.items(), key=lambda kv: kv[1])
    tables: dict[str, list[Row]] = {}
    for k, (heading, begin) in enumerate(order):
        end = order[k + 1][1] if k + 1 < len(order) else len(lines)
        # begin: heading line, begin + 1: table title; rows follow.
        block = [(n + 1, lines[n]) for n in range(begin + 2, end)]
        rows = _rows(block)
        if not rows:
            raise DataError.at(path, say("source.no_table", heading=heading), row=begin + 1)
        tables[ANNEX_HEADINGS[heading]] = rows[1:]  # drop the header row
    body = "\n".join(lines[: order[0][1]])
    return ParsedReport(str(path), body, tables["indicators"], tables["lagging"], tables["normal"])
