"""Bad input gets one clear message naming the file, the row and the column; nothing half-loads."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compute.engine import analyse, validate_parameters
from helpers.core.errors import DataError
from helpers.present.narrative import build_memo
from helpers.read.loading import load_quarter, read_csv_checked


def rewrite(path, transform):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    result = transform(df)
    (df if result is None else result).to_csv(path, index=False)


def test_loads_with_declared_dtypes(data_copy):
    d = load_quarter(data_copy, 2022, 3)
    assert str(d.tasks["task_id"].dtype) == "string"
    assert str(d.indicator_progress["value"].dtype) == "Float64"
    assert str(d.indicator_progress["rank"].dtype) == "Int64"
    assert len(d.progress) == 131


def _set(row, column, value):
    return lambda df: df.loc.__setitem__((row, column), value)


# One row per kind of bad cell or column: (file under data/2022, change, the message expected).
# Row numbers are as Excel shows them (header = row 1), so data row i is row i + 2.
BAD_INPUT = {
    "missing column": (
        "tasks.csv",
        lambda df: df.drop(columns=["task"]),
        r"tasks.csv，第1行，列“task”：缺少列 task",
    ),
    "renamed column": (
        "Q3/progress.csv",
        lambda df: df.rename(columns={"progress": "进展"}),
        r"缺少列 progress；文件中的列有：task_id",
    ),
    "duplicate id": (
        "tasks.csv",
        _set(5, "task_id", "T001"),
        r"第7行，列“task_id”：编号“T001”重复（首次出现在第2行）",
    ),
    "progress for an unknown task": (
        "Q3/progress.csv",
        _set(0, "task_id", "T999"),
        r"progress.csv，第2行，列“task_id”：任务编号“T999”不在任务台账",
    ),
    "status outside the vocabulary": (
        "Q3/progress.csv",
        _set(3, "reported_status", "基本完成"),
        r"第5行，列“reported_status”：状态“基本完成”不是可用的用语",
    ),
    "text in a number column": (
        "Q3/indicator_progress.csv",
        _set(1, "value", "二点九"),
        r"第3行，列“value”：“二点九”不是数字",
    ),
    "period later than the report": (
        "Q3/indicator_progress.csv",
        _set(0, "period", "1-10月"),
        r"第2行，列“period”：数据期间“1-10月”晚于本期报告的期间 1-9月",
    ),
    "empty required cell": (
        "tasks.csv",
        _set(9, "task", ""),
        r"第11行，列“task”：不能为空，须填写",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_gets_one_message_naming_file_row_and_column(data_copy, case):
    name, change, message = BAD_INPUT[case]
    path = data_copy / "2022" / name
    before = {p: p.read_bytes() for p in (data_copy / "2022").rglob("*.csv")}
    rewrite(path, change)
    with pytest.raises(DataError, match=message) as err:
        load_quarter(data_copy, 2022, 3)
    assert len(err.value.problems) == 1
    # Loading writes nothing: every other file is as it was.
    assert all(p.read_bytes() == b for p, b in before.items() if p != path)


def test_file_in_gbk(data_copy):
    path = data_copy / "2022" / "tasks.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataError, match=r"tasks.csv，第\d+行：不是 UTF-8 文本.*GBK/GB18030"):
        load_quarter(data_copy, 2022, 3)


def test_file_with_a_bom_is_fine(data_copy):
    path = data_copy / "2022" / "tasks.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_quarter(data_copy, 2022, 3).tasks) == 131


def test_empty_file(data_copy):
    (data_copy / "2022" / "Q3" / "progress.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"progress.csv：文件是空的"):
        load_quarter(data_copy, 2022, 3)


def test_header_only(data_copy):
    (data_copy / "2022" / "Q3" / "progress.csv").write_text(
        "task_id,reported_status,progress\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"第2行：文件只有表头，没有数据行"):
        load_quarter(data_copy, 2022, 3)


def test_empty_required_cell(data_copy):
    path = data_copy / "2022" / "tasks.csv"
    rewrite(path, lambda df: df.loc.__setitem__((9, "task"), ""))
    with pytest.raises(DataError, match=r"第11行，列“task”：不能为空，须填写"):
        load_quarter(data_copy, 2022, 3)


def test_all_problems_in_a_file_are_listed_together(data_copy):
    path = data_copy / "2022" / "Q3" / "progress.csv"

    def two_errors(df):
        df.loc[0, "task_id"] = "T998"
        df.loc[1, "reported_status"] = "完成"

    rewrite(path, two_errors)
    with pytest.raises(DataError, match="共 2 个问题") as err:
        load_quarter(data_copy, 2022, 3)
    assert len(err.value.problems) == 2


def test_task_without_a_return_is_not_reported_not_zero(data_copy):
    path = data_copy / "2022" / "Q3" / "progress.csv"
    rewrite(path, lambda df: df.drop(index=[130]))  # T131's unit sent nothing
    a = analyse(2022, 3, data_copy)
    t = a.tasks.set_index("task_id").loc["T131"]
    assert t["reported_status"] == "未报送" and t["computed_status"] == "未报送"
    assert "未报送" in set(a.checks["check"])


def test_memo_lists_missing_returns_by_lead_unit(data_copy):
    path = data_copy / "2022" / "Q3" / "progress.csv"
    # T012 (区科技局…) and T020 (two lead units) returned nothing; T131 neither.
    rewrite(path, lambda df: df[~df["task_id"].isin(["T012", "T020", "T131"])])
    memo = build_memo(analyse(2022, 3, data_copy)).text()
    line = next(x for x in memo.splitlines() if "按未报送列示" in x)
    assert "区人力社保局1项（T020）" in line and "区委组织部（区人才办）1项（T020）" in line
    assert "（T012）" in line and "共3项" in line


def test_missing_quarter_names_what_exists(data_copy):
    with pytest.raises(DataError, match=r"没有2022年第4季度的进展；已有季度：Q3"):
        load_quarter(data_copy, 2022, 4)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"nothing\.csv：找不到文件"):
        read_csv_checked(tmp_path / "nothing.csv", "tasks")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 2022, "quarter": 5}, "quarter 须在 1-4 之间，实为 5"),
        ({"year": 2022, "quarter": "three"}, "quarter 须是 1-4 之间的整数，实为“three”"),
        ({"year": "2022年", "quarter": 3}, "year 须是.*整数"),
        ({"year": 2022, "quarter": True}, "quarter 须是.*整数"),
        (
            {"year": 2022, "quarter": 3, "data_dir": "/no/such/folder"},
            "数据文件夹“/no/such/folder”不是文件夹",
        ),
    ],
)
def test_parameters_of_the_wrong_type(kwargs, message):
    with pytest.raises(DataError, match=message):
        validate_parameters(**kwargs)


def test_curation_with_a_target_that_does_not_exist(data_copy):
    path = data_copy / "2022" / "curation.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("T004,9,3,actual,1,测试\n")
    with pytest.raises(
        DataError, match=r"curation.csv，第\d+行，列“target_no”：T004 没有第 9 个子目标"
    ):
        analyse(2022, 3, data_copy)


def test_curation_without_a_reason(data_copy):
    path = data_copy / "2022" / "curation.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("T004,1,3,actual,1,\n")
    with pytest.raises(DataError, match="每个校订值都须写明理由"):
        analyse(2022, 3, data_copy)


def test_curated_figure_without_its_quarter(data_copy):
    path = data_copy / "2022" / "curation.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("T004,1,,actual,1,测试\n")
    with pytest.raises(DataError, match=r"列“quarter”：字段“actual”是某一季度的数"):
        analyse(2022, 3, data_copy)


def test_curated_target_of_zero(data_copy):
    path = data_copy / "2022" / "curation.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("T004,1,,target,0,测试\n")
    with pytest.raises(DataError, match=r"列“value”：目标值 0 须大于零"):
        analyse(2022, 3, data_copy)


def test_curated_figures_of_another_quarter_are_not_applied(data_copy):
    # A Q3 figure (1972平方米 for 新山路) must not leak into another quarter's report.
    import shutil

    shutil.copytree(data_copy / "2022" / "Q3", data_copy / "2022" / "Q4")
    for name in ("progress.csv", "indicator_progress.csv"):
        p = data_copy / "2022" / "Q4" / name
        p.write_text(p.read_text(encoding="utf-8").replace("1-9月", "1-12月"), encoding="utf-8")
    (data_copy / "2022" / "Q4" / "stated.json").unlink()
    a = analyse(2022, 4, data_copy)
    got = a.subtargets.set_index(["task_id", "target_no"]).loc[("T005", 1)]
    assert got["source"] == "extracted"


def test_absurd_ratio_stops_the_report_with_the_source_text(data_copy):
    # 违法建筑 target 150万平方米; a unit typing 2亿平方米 (13,333%) is a unit error, not progress.
    path = data_copy / "2022" / "Q3" / "progress.csv"
    text = path.read_text(encoding="utf-8").replace(
        "已拆除违法建筑56万平方米", "已拆除违法建筑2亿平方米"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataError, match=r"T004 第 1 个子目标（违法建筑）：完成率 13333%.*超过 10000%"
    ):
        analyse(2022, 3, data_copy)


def test_suspicious_ratio_is_a_warning_not_an_error(data_copy):
    # 数字化车间 40 of 3 (1333%): to check, not to refuse.
    path = data_copy / "2022" / "Q3" / "progress.csv"
    text = path.read_text(encoding="utf-8").replace("新建数字化车间4个", "新建数字化车间40个")
    path.write_text(text, encoding="utf-8")
    checks = analyse(2022, 3, data_copy).checks
    rows = checks[checks["check"] == "完成率异常"]
    assert set(rows["severity"]) == {"警告"}
    assert "T032-2 数字化车间" in set(rows["item"])


def test_figure_for_a_later_month_than_the_report_is_an_error(data_copy):
    path = data_copy / "2022" / "Q3" / "progress.csv"
    text = path.read_text(encoding="utf-8").replace(
        "1-9月，已拆除违法建筑56万平方米", "1-10月，已拆除违法建筑56万平方米"
    )
    path.write_text(text, encoding="utf-8")
    a = analyse(2022, 3, data_copy)
    rows = a.checks[a.checks["check"] == "数据期间晚于报告期"]
    assert rows.iloc[0]["severity"] == "错误" and rows.iloc[0]["item"] == "T004-1 违法建筑"


def test_curation_in_gbk_is_named(data_copy):
    path = data_copy / "2022" / "curation.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataError, match=r"curation\.csv，第\d+行：不是 UTF-8 文本.*GBK"):
        analyse(2022, 3, data_copy)


def test_trajectories_without_a_column(data_copy):
    (data_copy / "2022" / "trajectories.csv").write_text(
        "task_id,target_no,Q1,Q2,Q3\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"trajectories\.csv，第1行，列“Q4”：缺少列"):
        analyse(2022, 3, data_copy)


def test_blank_rows_excel_leaves_at_the_end_are_ignored(data_copy):
    path = data_copy / "2022" / "Q3" / "progress.csv"
    path.write_text(path.read_text(encoding="utf-8") + ",,\n,,\n", encoding="utf-8")
    assert len(load_quarter(data_copy, 2022, 3).progress) == 131


def test_percent_sign_in_a_number_cell_says_what_to_do(data_copy):
    path = data_copy / "2022" / "Q3" / "indicator_progress.csv"
    rewrite(path, lambda df: df.loc.__setitem__((0, "value"), "2.6%"))
    with pytest.raises(DataError, match=r"“2\.6%”不是数字；填数字时不要带 % 号"):
        load_quarter(data_copy, 2022, 3)


def test_missing_indicator_figures_say_how_to_make_them(data_copy):
    import shutil

    (data_copy / "2022" / "Q4").mkdir()
    shutil.copy(
        data_copy / "2022" / "Q3" / "progress.csv", data_copy / "2022" / "Q4" / "progress.csv"
    )
    with pytest.raises(DataError, match=r"indicator_progress\.csv：找不到文件.*须手工填入"):
        load_quarter(data_copy, 2022, 4)
