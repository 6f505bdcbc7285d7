"""A notebook's code read as Python, without running it or importing nbformat."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path


def code_trees(path: Path) -> Iterator[ast.Module]:
    """Each code cell of the notebook at ``path`` parsed, in order; a cell that does not parse
    (an IPython magic, a shell command) is skipped."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            yield ast.parse("".join(cell.get("source", "")))
        except SyntaxError:
            continue
