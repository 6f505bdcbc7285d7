"""Tests for helpers.cycle.review: the office files its own status after intake (认定表).

Each test works on a copy of the real 2022 data in tmp_path. The "intake" state is made by
blanking ``reported_status`` for some tasks, as intake leaves a newly returned task.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.compute.engine import analyse
from helpers.core.errors import DataError
from helpers.core.returns import text_fingerprint
from helpers.cycle.review import REVIEW_SHEET, apply_review, write_review

REPO_DATA = Path(__file__).resolve().parents[1] / "data"
UNJUDGED = ["T010", "T050", "T088"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    shutil.copytree(REPO_DATA / "2022", tmp_path / "data" / "2022")
    path = tmp_path / "data" / "2022" / "Q3" / "progress.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.loc[df["task_id"].isin(UNJUDGED), "reported_status"] = ""
    df.to_csv(path, index=False, encoding="utf-8")
    return tmp_path / "data"


def _progress(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(
        data_dir / "2022" / "Q3" / "progress.csv", dtype=str, keep_default_na=False
    ).set_index("task_id")


def _fill(form: Path, statuses: dict[str, str], out: Path) -> Path:
    wb = load_workbook(form)
    ws = wb[REVIEW_SHEET]
    col = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        tid = ws.cell(row, col["任务编号"]).value
        if tid in statuses:
            ws.cell(row, col["督查办认定"]).value = statuses[tid]
    wb.save(out)
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_review_form_lists_each_returned_task_with_the_evidence(data_dir, tmp_path):
    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    ws = load_workbook(form)[REVIEW_SHEET]
    col = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, col["任务编号"]).value: r for r in range(2, ws.max_row + 1)}
    assert len(rows) == 131
    t050 = rows["T050"]
    assert ws.cell(t050, col["督查办认定"]).value is None  # not judged yet
    assert ws.cell(rows["T071"], col["测算状态"]).value == "推进较为滞后"
    assert ws.cell(rows["T007"], col["量化子目标"]).value == (
        "社区体育公园：2个，全年目标3个，完成66.7%（序时75.0%），慢序时；"
        "社区健身点：10个，全年目标30个，完成33.3%（序时75.0%），严重滞后"
    )
    assert "该项工作暂缓实施”" in ws.cell(rows["T071"], col["滞后依据"]).value
    filed = _progress(data_dir)["reported_status"]
    shown = {t: ws.cell(r, col["督查办认定"]).value or "" for t, r in rows.items()}
    assert shown == filed.to_dict()  # what is filed is shown; the three blanks stay blank
    assert set(shown.values()) == {"正常推进", "推进较为滞后", ""}
    assert ws.cell(t050, col["督查办认定"]).protection.locked is False
    assert ws.cell(t050, col["任务编号"]).protection.locked is True
    assert ws.protection.sheet


def test_applied_statuses_reach_progress_csv_and_nothing_else_changes(data_dir, tmp_path):
    before = _progress(data_dir)
    assert set(
        analyse(2022, 3, data_dir).tasks.query("reported_status == '未认定'")["task_id"]
    ) == set(UNJUDGED)
    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    filled = _fill(form, {"T010": "推进较为滞后", "T050": "推进较为滞后"}, tmp_path / "f.xlsx")
    done = apply_review(data_dir, 2022, 3, filled)
    after = _progress(data_dir)
    assert done["changed"] == ["T010", "T050"] and done["blank"] == 1
    assert after.loc["T010", "reported_status"] == "推进较为滞后"
    assert after.loc["T088", "reported_status"] == ""  # left blank: still 未认定
    assert after["progress"].equals(before["progress"])
    # Each status filed now is recorded with the text it was judged on; nothing else changes.
    judged = after.pop("judged_fingerprint")
    assert judged["T010"] == text_fingerprint(before.loc["T010", "progress"])
    assert set(judged.drop(index=["T010", "T050"])) == {""}
    assert after.drop(index=["T010", "T050"]).equals(before.drop(index=["T010", "T050"]))
    assert done["backup"].is_file()
    statuses = analyse(2022, 3, data_dir).tasks.set_index("task_id")["reported_status"]
    assert statuses["T050"] == "推进较为滞后" and statuses["T088"] == "未认定"


def test_a_word_outside_the_two_statuses_is_refused_and_nothing_is_written(data_dir, tmp_path):
    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    filled = _fill(form, {"T010": "推进较为滞后", "T050": "基本正常"}, tmp_path / "f.xlsx")
    target = data_dir / "2022" / "Q3" / "progress.csv"
    sha = _sha(target)
    with pytest.raises(DataError) as err:
        apply_review(data_dir, 2022, 3, filled)
    text = str(err.value)
    assert "f.xlsx" in text and "督查办认定" in text and "基本正常" in text
    assert _sha(target) == sha
    assert not list(target.parent.glob("progress.csv.*.bak"))


def test_a_status_for_progress_text_replaced_since_is_refused(data_dir, tmp_path):
    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    filled = _fill(form, {"T050": "正常推进"}, tmp_path / "f.xlsx")
    path = data_dir / "2022" / "Q3" / "progress.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[df["task_id"] == "T050", "progress"] = "已打通未贯通道路8条。"  # a later intake
    df.to_csv(path, index=False)
    with pytest.raises(DataError, match="T050 的进展情况在认定表生成后已更新"):
        apply_review(data_dir, 2022, 3, filled)


def test_a_review_form_of_another_quarter_or_a_fill_in_form_is_refused(data_dir, tmp_path):
    from helpers.cycle.forms import write_form

    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    with pytest.raises(DataError, match="第3季度的填报表，本次收取的是2022年第4季度"):
        apply_review(data_dir, 2022, 4, form)
    fill_in = write_form(data_dir, 2022, 3, tmp_path / "form.xlsx")[0]
    with pytest.raises(DataError, match="不是“workreport review”生成的认定表"):
        apply_review(data_dir, 2022, 3, fill_in)


def test_review_never_writes_over_an_existing_file(data_dir, tmp_path):
    first = write_review(data_dir, 2022, 3, tmp_path)
    second = write_review(data_dir, 2022, 3, tmp_path)
    assert first != second and first.is_file() and second.is_file()


def test_a_review_that_changes_nothing_writes_nothing(data_dir, tmp_path):
    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    target = data_dir / "2022" / "Q3" / "progress.csv"
    sha = _sha(target)
    done = apply_review(data_dir, 2022, 3, form)  # returned as written: nothing decided anew
    assert done["changed"] == [] and done["written"] is None and done["backup"] is None
    assert _sha(target) == sha and not list(target.parent.glob("progress.csv.*.bak"))


def test_a_review_form_written_before_the_carried_status_column_still_applies(data_dir, tmp_path):
    form = write_review(data_dir, 2022, 3, tmp_path / "review.xlsx")
    wb = load_workbook(form)
    ws = wb[REVIEW_SHEET]
    col = {c.value: c.column for c in ws[1]}
    ws.delete_cols(col["原认定（待复核）"])
    wb.save(tmp_path / "old.xlsx")
    filled = _fill(tmp_path / "old.xlsx", {"T010": "推进较为滞后"}, tmp_path / "f.xlsx")
    assert apply_review(data_dir, 2022, 3, filled)["changed"] == ["T010"]
