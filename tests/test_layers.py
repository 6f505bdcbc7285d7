"""The package is layered by stage: a module may import only from its own stage or a lower one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"
# Lower number = lower stage. cycle and present are siblings: neither imports the other.
STAGE_RANK = {"core": 0, "read": 1, "compute": 2, "present": 3, "cycle": 3, "run": 4}


def imported_stages(path: Path) -> set[tuple[str, int]]:
    """Return (stage, line) for every ``helpers.<stage>`` the module imports, lazily or not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "helpers" and len(parts) > 1 and parts[1] in STAGE_RANK:
                found.add((parts[1], node.lineno))
    return found


def violations(package: Path) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if len(rel.parts) < 2 or rel.parts[0] not in STAGE_RANK:
            continue
        own = rel.parts[0]
        for stage, line in imported_stages(path):
            if stage == own:
                continue
            if STAGE_RANK[stage] >= STAGE_RANK[own]:
                out.append(f"{rel}:{line} ({own}) imports helpers.{stage}")
    return out


def test_no_lower_stage_imports_a_higher_one():
    assert violations(PACKAGE) == []


def test_every_module_lives_in_a_stage():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert loose == []


def test_the_check_catches_an_upward_import(tmp_path):
    pkg = tmp_path / "helpers"
    (pkg / "read").mkdir(parents=True)
    (pkg / "read" / "bad.py").write_text("def f():\n    from helpers.present import charts\n")
    (pkg / "compute").mkdir()
    (pkg / "compute" / "ok.py").write_text("from helpers.read import loading\n")
    assert violations(pkg) == ["read/bad.py:2 (read) imports helpers.present"]


@pytest.mark.parametrize("stage", sorted(STAGE_RANK))
def test_stage_folders_exist(stage):
    assert (PACKAGE / stage / "__init__.py").is_file()
