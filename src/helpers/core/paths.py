"""Every path the pack uses hangs off one root, here.

The kernel's working directory differs between JupyterLab (the notebook's folder),
papermill (the caller's) and nbval, so nothing uses a relative path like ``"../data"``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/helpers
PACK_ROOT = PACKAGE_DIR.parent.parent  # src/helpers -> src -> root (editable install)

DATA_DIR = Path(os.environ.get("WORKREPORT_DATA_DIR", PACK_ROOT / "data"))
RAW_DIR = DATA_DIR / "raw"
NOTEBOOKS_DIR = PACK_ROOT / "notebooks"
REPORTS_DIR = Path(os.environ.get("WORKREPORT_REPORTS_DIR", PACK_ROOT / "reports"))
DEFAULT_SETTINGS = PACKAGE_DIR / "core" / "settings.toml"
TEMPLATES_DIR = PACKAGE_DIR / "present" / "templates"

DATA_SETTINGS = "settings.toml"  # an office's own names, beside its data (``workreport init``)
EXAMPLES_DIR = PACK_ROOT / "data" / "examples"  # the example offices shipped with the pack

RAW_SOURCE_2022_Q3 = "2022-Q3-key-tasks-progress-report.txt"


def year_dir(data_dir: Path | str, year: int) -> Path:
    """Return the folder holding one year's register."""
    return Path(data_dir) / str(year)


def quarter_dir(data_dir: Path | str, year: int, quarter: int) -> Path:
    """Return the folder holding one quarter's progress returns."""
    return year_dir(data_dir, year) / f"Q{quarter}"


def report_dir(reports_dir: Path | str, year: int, quarter: int) -> Path:
    """Return the folder a quarter's report is written to."""
    return Path(reports_dir) / f"{year}-Q{quarter}"
