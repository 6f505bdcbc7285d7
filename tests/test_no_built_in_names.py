"""Nothing of the built-in district is written in code or notebooks: its names live in settings
and data only (``src/helpers/core/settings.toml``, ``data/``)."""

from __future__ import annotations

import re

from helpers.core import paths
from helpers.core.config import load_settings

# The built-in district's own names: its settings, then places its documents name.
BUILT_IN = load_settings().report
NAMES = [
    BUILT_IN.issuer,
    BUILT_IN.place,
    BUILT_IN.rank_label,
    BUILT_IN.title_subject,
    BUILT_IN.body_subject,
    "沙坪坝",
    "重庆",
    "主城区",
    "磁器口",
    "三峡广场",
    "区政府督查办",
]
# Real sentences of the built-in source quoted as examples of what the number reader reads (a
# comment and two doctests); no rule depends on the name. Exactly these lines, so that any new
# occurrence fails.
KNOWN = {
    ("src/helpers/read/quantities.py", "主城区第4名, 第一批"),
    ("src/helpers/read/quantities.py", "（主城区第6名）"),
    ("src/helpers/read/quantities.py", "主城区第3名"),
}
SETTINGS = paths.DEFAULT_SETTINGS
SUFFIXES = {".py", ".ipynb", ".j2", ".json", ".toml", ".md"}


def _files():
    for folder in (paths.PACKAGE_DIR, paths.NOTEBOOKS_DIR):
        for path in sorted(folder.rglob("*")):
            text_file = path.is_file() and path.suffix in SUFFIXES
            if text_file and path != SETTINGS and "__pycache__" not in path.parts:
                yield path


def test_no_built_in_place_names_outside_data_and_settings():
    pattern = re.compile("|".join(re.escape(n) for n in sorted(set(NAMES), key=len, reverse=True)))
    found = []
    for path in _files():
        rel = path.relative_to(paths.PACK_ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line) and not any(rel == f and k in line for f, k in KNOWN):
                found.append(f"{rel}:{number}: {line.strip()[:80]}")
    assert not found, "built-in names in code or notebooks:\n" + "\n".join(found)


def test_the_search_covers_code_and_notebooks():
    names = {p.name for p in _files()}
    assert {"narrative.py", "docx_report.py", "tables.py", "00_report.ipynb"} <= names
    assert "settings.toml" not in names
