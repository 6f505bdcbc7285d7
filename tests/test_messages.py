"""Every message an analyst reads is Chinese, lives in helpers.core.messages, and names where."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from helpers.compute.engine import analyse, validate_parameters
from helpers.core.errors import DataError, Problem
from helpers.core.messages import MESSAGES, WHERE, say
from helpers.read.loading import load_quarter, read_csv_checked

SRC = Path(__file__).parents[1] / "src" / "helpers"

# Three English words in a row is an English sentence; commands and file names are not.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b")
COMMANDS = re.compile(r"pip install \S+|workreport \w+|CSV UTF-8")


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(COMMANDS.sub("", text))


def test_problem_renders_its_location_in_chinese():
    p = Problem(
        "data/2022/tasks.csv", say("data.duplicate_id", value="T001", first=2), 7, "task_id"
    )
    assert str(p) == "data/2022/tasks.csv，第7行，列“task_id”：编号“T001”重复（首次出现在第2行）"
    p = Problem("填报.xlsx", "x", row=3, column="完成值", sheet="填报")
    assert str(p) == "填报.xlsx，工作表“填报”，第3行，列“完成值”：x"


def test_no_template_is_an_english_sentence():
    for key, template in {**MESSAGES, **WHERE}.items():
        text = re.sub(r"\{[^}]*\}", "", template)
        assert not english_in(text), (key, template)


def test_every_template_is_used_in_src():
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "messages.py"
    )
    unused = [k for k in MESSAGES if f'"{k}"' not in code]
    assert not unused, unused


def test_every_template_formats_with_its_own_fields():
    for key, template in MESSAGES.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        values = {name: 1 for name in fields}
        assert say(key, **values), key


def _rewrite(path, row, column, value):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row, column] = value
    df.to_csv(path, index=False)


# (file under data/2022, row index, column, bad value): each must fail at that row and column.
BAD_CELLS = [
    ("tasks.csv", 5, "task_id", "T001"),
    ("tasks.csv", 9, "task", ""),
    ("tasks.csv", 3, "task_id", "T 4"),
    ("Q3/progress.csv", 0, "task_id", "T999"),
    ("Q3/progress.csv", 3, "reported_status", "基本完成"),
    ("Q3/indicator_progress.csv", 1, "value", "二点九"),
    ("Q3/indicator_progress.csv", 1, "value", "2,6"),
    ("Q3/indicator_progress.csv", 1, "value", "nan"),
    ("Q3/indicator_progress.csv", 1, "value", "2.6%"),
    ("Q3/indicator_progress.csv", 0, "period", "1-10月"),
    ("Q3/indicator_progress.csv", 0, "period", "第三季度"),
    ("Q3/indicator_progress.csv", 0, "indicator_id", "I999"),
]


@pytest.mark.parametrize(("name", "row", "column", "value"), BAD_CELLS)
def test_data_errors_name_file_row_and_column_in_chinese(data_copy, name, row, column, value):
    path = data_copy / "2022" / name
    _rewrite(path, row, column, value)
    with pytest.raises(DataError) as err:
        load_quarter(data_copy, 2022, 3)
    text = str(err.value)
    assert path.name in text
    assert f"第{row + 2}行" in text and f"列“{column}”" in text
    assert not english_in(text), text


def test_file_and_parameter_errors_are_chinese(data_copy, tmp_path):
    cases = []
    for call in (
        lambda: read_csv_checked(tmp_path / "nothing.csv", "tasks"),
        lambda: load_quarter(data_copy, 2022, 4),
        lambda: load_quarter(data_copy, 2019, 3),
        lambda: validate_parameters(2022, 5),
        lambda: validate_parameters(2022, "three"),
        lambda: validate_parameters(2022, 3, data_dir="/no/such/folder"),
        lambda: analyse(2022, 3, data_copy, tmp_path / "none.toml"),
    ):
        with pytest.raises(DataError) as err:
            call()
        cases.append(str(err.value))
    (data_copy / "2022" / "Q3" / "progress.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_quarter(data_copy, 2022, 3)
    cases.append(str(err.value))
    for text in cases:
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not english_in(text), text


def test_no_template_sends_the_analyst_to_a_python_source_file():
    # A message points to what the analyst can act on: an option, a command, the README.
    for key, template in MESSAGES.items():
        assert not re.search(r"\.py\b|helpers/|[A-Z]{2,}_[A-Z]{2,}", template), (key, template)
