"""Shared fixtures: the real 2022 Q3 analysis, and a throw-away copy of the data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.compute.engine import analyse
from helpers.core import paths

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def analysis():
    """The engine run on the pack's built-in 2022 Q3 data (read-only: do not modify)."""
    return analyse(2022, 3)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the pack's data folder that a test may break."""
    dest = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR / "2022", dest / "2022")
    return dest
