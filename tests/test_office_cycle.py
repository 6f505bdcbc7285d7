"""A new office's quarter, as the README's section runs it: import → form → intake → review.

The office is a small invented county (青溪县, 民生实事, 8 tasks) whose Excel ledger holds the
quarter's progress and its own statuses. What is checked: which tasks count as returned by their
units (the ledger's text is the office's, not a return), that intake's count and the memo's list
agree, and that a status carried over onto a re-reported text is named, never cleared.
"""

from __future__ import annotations

import pandas as pd
import pytest
from filling import fill_form
from openpyxl import Workbook, load_workbook

from helpers.compute.engine import analyse
from helpers.core.returns import text_fingerprint
from helpers.cycle.forms import intake, write_form
from helpers.cycle.review import REVIEW_SHEET, apply_review, write_review
from helpers.present.narrative import build_memo
from helpers.read.importers import import_files

LEDGER = [
    (1, "新建幼儿园3所", "县教育局", "已建成2所，第3所主体完工。", "正常推进"),
    (2, "改造农村薄弱学校12所", "县教育局", "已完成改造5所。", "推进较为滞后"),
    (3, "新增养老床位200张", "县民政局", "已新增养老床位120张。", "正常推进"),
    (4, "建设社区卫生服务站6个", "县卫健局", "已建成4个，其余2个正在施工。", "正常推进"),
    (5, "改造农村公路40公里", "县交通局", "已完成改造18公里。", "推进较为滞后"),
    (6, "新建公共停车位800个", "县交通局", "已新增停车位610个。", "正常推进"),
    (7, "改造老旧小区8个", "县住建局", "已完成改造6个。", "正常推进"),
    (8, "新建城市公园2个", "县城管局", "1个已建成，1个完成主体工程。", "正常推进"),
]
ALL = [f"T00{k}" for k in range(1, 9)]
# What 县教育局 returns: T001 as the ledger has it, T002 re-reported with new words.
EDUCATION = {"T001": "已建成2所，第3所主体完工。", "T002": "已完成改造7所，其余5所正在施工。"}
TRANSPORT = {"T005": "已完成改造26公里。", "T006": "已新增停车位650个。"}


def _ledger(path, with_progress=True):
    wb = Workbook()
    ws = wb.active
    ws.title = "民生实事"
    ws.append(
        ["序号", "项目名称", "责任单位"] + (["推进情况", "推进状态"] if with_progress else [])
    )
    for seq, task, unit, progress, status in LEDGER:
        ws.append([seq, task, unit] + ([progress, status] if with_progress else []))
    wb.save(path)
    return path


@pytest.fixture
def office(tmp_path):
    """The office's folder after ``import`` of its ledger, with the quarter's progress."""
    data = tmp_path / "青溪"
    import_files([_ledger(tmp_path / "台账.xlsx")], data, 2023, 3)
    return data


@pytest.fixture
def form(office, tmp_path):
    return write_form(office, 2023, 3, tmp_path / "填报表.xlsx")[0]


def _return(form, out, texts):
    """A unit's filled form: progress words for its tasks, nothing for the others."""
    return fill_form(form, out, texts, only_given=True)


def _progress(data) -> pd.DataFrame:
    path = data / "2023" / "Q3" / "progress.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("task_id")


def _memo_missing(data) -> str:
    memo = build_memo(analyse(2023, 3, data))
    found = [paras for heading, paras in memo.sections if "未报送" in heading]
    return "".join(found[0]) if found else ""


# --- 1. what counts as returned ---------------------------------------------------------------
def test_import_records_that_its_progress_is_the_offices_ledger(office):
    progress = _progress(office)
    assert set(progress["source"]) == {"ledger"}
    # The ledger's statuses were judged on the ledger's words.
    assert progress.loc["T002", "judged_fingerprint"] == text_fingerprint("已完成改造5所。")


def test_after_import_intake_counts_the_tasks_no_unit_has_returned(office, form, tmp_path):
    result = intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    assert result.tasks_returned == ["T001", "T002"]
    assert result.tasks_missing == ALL[2:]  # the ledger's text is not a unit's return
    assert "未报送任务：6 项（T003、T004、T005、T006、T007、T008）" in str(result)
    assert "县交通局 未报送：T005、T006；报告中暂沿用督查办台账中的进展情况" in str(result)
    progress = _progress(office)
    assert list(progress["source"]) == ["form"] * 2 + ["ledger"] * 6


def test_intake_only_and_intake_twice_count_the_same_way(tmp_path):
    data = tmp_path / "青溪"
    import_files([_ledger(tmp_path / "台账.xlsx", with_progress=False)], data, 2023, 3)
    form = write_form(data, 2023, 3, tmp_path / "填报表.xlsx")[0]
    education = _return(form, tmp_path / "教育局.xlsx", EDUCATION)
    transport = _return(form, tmp_path / "交通局.xlsx", TRANSPORT)
    assert intake(data, 2023, 3, [education]).tasks_missing == ALL[2:]
    second = intake(data, 2023, 3, [transport])
    assert second.tasks_missing == ["T003", "T004", "T007", "T008"]
    assert "县民政局 未报送：T003；这些任务在报告中显示为“未报送”" in str(second)
    assert intake(data, 2023, 3, [transport]).tasks_missing == second.tasks_missing


def test_the_memo_lists_the_same_missing_returns_as_intake(office, form, tmp_path):
    # The ledger alone is the quarter's progress: nobody is asked for a return.
    assert _memo_missing(office) == ""
    intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    result = intake(office, 2023, 3, [_return(form, tmp_path / "交通局.xlsx", TRANSPORT)])
    assert result.tasks_missing == ["T003", "T004", "T007", "T008"]
    assert _memo_missing(office) == (
        "县民政局1项（T003），县卫健局1项（T004），县住建局1项（T007），县城管局1项（T008），"
        "共4项，报告沿用督查办台账中的进展情况。"
    )


def test_a_progress_file_without_the_source_column_counts_its_rows_as_returned(
    office, form, tmp_path
):
    # Written before rows recorded where they came from: read as it always was.
    path = office / "2023" / "Q3" / "progress.csv"
    old = pd.read_csv(path, dtype=str, keep_default_na=False)
    old.drop(columns=["source", "judged_fingerprint"]).to_csv(path, index=False)
    result = intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    assert result.tasks_missing == []
    assert _memo_missing(office) == ""


# --- 2. a status carried over onto a re-reported text ------------------------------------------
def test_a_re_reported_task_keeps_its_status_and_intake_names_it(office, form, tmp_path):
    result = intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    # T002's words changed; T001 came back as the ledger had it.
    assert result.to_rejudge == ["T002"]
    assert "以下 1 项任务进展已更新，督查办认定沿用原认定，请复核" in str(result)
    progress = _progress(office)
    assert progress.loc["T002", "reported_status"] == "推进较为滞后"  # never cleared
    checks = analyse(2023, 3, office).checks
    flagged = checks[checks["check"] == "认定待复核"]
    assert list(flagged["item"]) == ["T002"] and set(flagged["severity"]) == {"警告"}
    assert "“推进较为滞后”是按此前的进展情况作出的" in flagged["finding"].iloc[0]


def test_a_status_filed_before_fingerprints_were_kept_is_named_too(office, form, tmp_path):
    path = office / "2023" / "Q3" / "progress.csv"
    old = pd.read_csv(path, dtype=str, keep_default_na=False)
    old.drop(columns=["judged_fingerprint"]).to_csv(path, index=False)
    result = intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    assert result.to_rejudge == ["T002"]


def _review_rows(path):
    ws = load_workbook(path)[REVIEW_SHEET]
    col = {c.value: c.column for c in ws[1]}
    return ws, col, {ws.cell(r, col["任务编号"]).value: r for r in range(2, ws.max_row + 1)}


def test_the_next_review_form_leaves_a_carried_status_open_and_shows_it(office, form, tmp_path):
    intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    ws, col, rows = _review_rows(write_review(office, 2023, 3, tmp_path / "认定表.xlsx"))
    assert ws.cell(rows["T002"], col["督查办认定"]).value is None
    assert ws.cell(rows["T002"], col["原认定（待复核）"]).value == "推进较为滞后"
    assert ws.cell(rows["T001"], col["督查办认定"]).value == "正常推进"
    assert ws.cell(rows["T001"], col["原认定（待复核）"]).value is None


def test_applying_the_review_keeps_an_open_carried_status_and_refiles_a_chosen_one(
    office, form, tmp_path
):
    intake(office, 2023, 3, [_return(form, tmp_path / "教育局.xlsx", EDUCATION)])
    sheet = write_review(office, 2023, 3, tmp_path / "认定表.xlsx")
    done = apply_review(office, 2023, 3, sheet)  # left open: the carried status stays
    assert done["written"] is None and done["stale"] == ["T002"]
    assert _progress(office).loc["T002", "reported_status"] == "推进较为滞后"
    ws, col, rows = _review_rows(sheet)
    ws.cell(rows["T002"], col["督查办认定"]).value = "推进较为滞后"
    ws.parent.save(tmp_path / "认定表-填.xlsx")
    done = apply_review(office, 2023, 3, tmp_path / "认定表-填.xlsx")
    assert done["rejudged"] == ["T002"] and done["changed"] == [] and done["stale"] == []
    checks = analyse(2023, 3, office).checks
    assert "认定待复核" not in set(checks["check"])
