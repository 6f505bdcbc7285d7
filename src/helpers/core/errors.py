"""One error type for bad input, so every message names the file, the row and the column."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.messages import located, say, where


@dataclass
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    table: str | None = None  # a Word document's table (表2), where a workbook has a sheet

    def __str__(self) -> str:
        return located(self.where(), self.message)

    def where(self) -> str:
        """File, sheet (or table), row and column: ``tasks.csv，第7行，列“task_id”``."""
        return where(self.file, self.sheet, self.row, self.column, self.table)


class DataError(ValueError):
    """Bad input data. ``str(err)`` lists every problem, one per line.

    Rows are numbered as a person sees them in Excel or a text editor: the header is
    row 1, the first data row is row 2.
    """

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        head = say("problems.head", count=len(self.problems))
        return "\n".join([head, *(f"  - {line}" for line in capped_lines(self.problems))])

    @classmethod
    def at(
        cls,
        file: str | Path,
        message: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> DataError:
        """Build an error for one problem."""
        return cls(Problem(str(file), message, row, column, sheet))


MAX_OF_A_KIND = 20


def capped_lines(problems: list[Problem], limit: int = MAX_OF_A_KIND) -> list[str]:
    """One line per problem, but at most ``limit`` of one kind (same file, sheet or table, and
    column),
    then one line counting the rest, in the place of the first one left out.

    >>> ps = [Problem("f.xlsx", "bad", row=r, column="完成值") for r in range(2, 30)]
    >>> lines = capped_lines(ps, limit=3)
    >>> len(lines), lines[-1]
    (4, 'f.xlsx，列“完成值”：另有 25 条同类问题未列出（共 28 条）')
    """
    total: dict[tuple, int] = {}
    for p in problems:
        key = (p.file, p.sheet, p.table, p.column)
        total[key] = total.get(key, 0) + 1
    shown: dict[tuple, int] = {}
    lines = []
    for p in problems:
        key = (p.file, p.sheet, p.table, p.column)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= limit:
            lines.append(str(p))
        elif shown[key] == limit + 1:
            place = Problem(p.file, "", sheet=p.sheet, column=p.column, table=p.table).where()
            more = say("problems.more", more=total[key] - limit, total=total[key])
            lines.append(located(place, more))
    return lines


@dataclass
class ProblemList:
    """Collect problems, then raise them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, file, message, row=None, column=None, sheet=None) -> None:
        self.problems.append(Problem(str(file), message, row, column, sheet))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)
