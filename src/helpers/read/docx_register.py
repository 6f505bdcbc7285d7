"""The tables of an office's Word document (.docx) as grids of text, read with python-docx.

Each Word table becomes one :class:`~helpers.read.importers.Grid`: one list of cell texts per
row, with merged cells as Word shows them (a cell merged across columns or down rows gives its
text to every position it covers). The paragraphs just above a table (附件2, its title) are kept
as the table's context: they may say which of the office's statuses the table lists.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from helpers.core.errors import DataError
from helpers.core.messages import say
from helpers.read.importers import Grid

CONTEXT_PARAGRAPHS = 4  # paragraphs above a table read as its title


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _table_rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        # ``row.cells`` repeats a horizontally merged cell for each grid column it spans and,
        # for a vertical merge, returns the cell where the merge starts: filled down.
        rows.append([_cell_text(c) for c in row.cells])
    return rows


def read_docx_tables(path: str | Path) -> list[Grid]:
    """Every table of a .docx, in document order, as grids (表1, 表2, …).

    Raises
    ------
    DataError
        The file is missing, not a Word .docx (an old .doc must be saved as .docx), or has no
        table.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError.at(path, say("file.not_found"))
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DataError.at(path, say("file.not_docx", detail=type(exc).__name__)) from exc
    grids: list[Grid] = []
    context: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).strip()
            if text:
                context = [*context, text][-CONTEXT_PARAGRAPHS:]
        elif tag == "tbl":
            table = Table(child, doc)
            grids.append(
                Grid(
                    file=path,
                    name=f"表{len(grids) + 1}",
                    rows=_table_rows(table),
                    context=list(context),
                )
            )
            context = []
    if not grids:
        raise DataError.at(path, say("file.no_docx_table"))
    return grids
