"""Tests for helpers.cycle.forms: the Excel form units fill in, and reading it back (intake).

Each test works on a copy of the real 2022 data folder in tmp_path, so nothing in the repository
is touched. Forms are filled with openpyxl the way a unit fills them in Excel; expected values
are the values typed in, or worked out by hand from tasks.csv (row numbers: header = row 1,
T001 has no sub-target = row 2, T002 = row 3, T003 = rows 4-5, T004 = rows 6-7).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from helpers.core.errors import DataError
from helpers.cycle.forms import FORM_SHEET, intake, write_form

REPO_DATA = Path(__file__).resolve().parents[1] / "data"

# Values a unit types into 完成值 / 数据期间, by (task, sub-target).
KNOWN_ACTUALS = {
    ("T003", 2): (-3.5, "1-11月"),  # a growth rate may be negative; a figure for an earlier month
    ("T004", 1): (1400000, "1-12月"),
    ("T004", 2): (38.5, "1-9月"),
    ("T007", 1): (2, "1-12月"),
    ("T007", 2): (0, "1-12月"),  # no progress is 0, not empty
}
T004_TEXT = "已拆除违法建筑140万平方米。\n城市生活垃圾回收利用率38.5%。"


# --- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    shutil.copytree(REPO_DATA / "2022", tmp_path / "data" / "2022")
    return tmp_path / "data"


@pytest.fixture
def form_q4(data_dir: Path, tmp_path: Path) -> Path:
    return write_form(data_dir, 2022, 4, tmp_path / "form.xlsx")[0]


@pytest.fixture
def filled_q4(form_q4: Path, tmp_path: Path) -> Path:
    return _fill(form_q4, tmp_path / "filled.xlsx")


def _register_ids() -> list[str]:
    return list(pd.read_csv(REPO_DATA / "2022" / "tasks.csv", dtype=str)["task_id"])


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def _row_of(ws, task_id: str, target_no: int | None = None) -> int:
    col = _columns(ws)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, col["任务编号"]).value == task_id and (
            target_no is None or ws.cell(row, col["子目标序号"]).value == target_no
        ):
            return row
    raise AssertionError(f"{task_id} {target_no} not in the form")


def _fill(form: Path, out: Path, actuals=None, skip=(), text=None, status=None) -> Path:
    """Fill a form as a unit would: every task gets progress words and 正常推进."""
    actuals = KNOWN_ACTUALS if actuals is None else actuals
    wb = load_workbook(form)
    ws = wb[FORM_SHEET]
    col = _columns(ws)
    seen = set()
    for row in range(2, ws.max_row + 1):
        tid = ws.cell(row, col["任务编号"]).value
        tno = ws.cell(row, col["子目标序号"]).value
        if tid in skip:
            continue
        if (tid, tno) in actuals:
            value, period = actuals[(tid, tno)]
            ws.cell(row, col["完成值"]).value = value
            ws.cell(row, col["数据期间"]).value = period
        if tid not in seen:
            seen.add(tid)
            ws.cell(row, col["任务进展情况"]).value = (text or {}).get(
                tid, f"{tid}：已按计划推进。"
            )
            ws.cell(row, col["本单位评估"]).value = (status or {}).get(tid, "正常推进")
    wb.save(out)
    return out


def _set(path: Path, task_id: str, target_no: int | None, header: str, value) -> Path:
    """Change one cell of a filled workbook (a test file) in place."""
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    ws.cell(_row_of(ws, task_id, target_no), _columns(ws)[header]).value = value
    wb.save(path)
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _q4(data_dir: Path) -> Path:
    return data_dir / "2022" / "Q4"


# --- the form ---------------------------------------------------------------------------------
def test_form_has_sheets_frozen_header_autofilter_and_protection(form_q4):
    wb = load_workbook(form_q4)
    assert wb.sheetnames == ["填报", "填报说明", "_meta"]
    ws = wb["填报"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:O")
    assert ws.protection.sheet is True
    assert ws["A1"].font.bold


def test_form_meta_sheet_is_hidden_and_names_year_quarter_and_version(form_q4):
    meta = load_workbook(form_q4)["_meta"]
    values = {k: v for k, v in meta.iter_rows(values_only=True)}
    assert meta.sheet_state == "hidden"
    assert (values["year"], values["quarter"], values["form_version"]) == (2022, 4, "1")
    assert re.fullmatch(r"[0-9a-f]{64}", values["register_fingerprint"])


def test_form_locks_register_cells_and_unlocks_fill_cells(form_q4):
    ws = load_workbook(form_q4)["填报"]
    col = _columns(ws)
    row = _row_of(ws, "T004", 1)
    for header in [
        "任务编号",
        "工作板块",
        "工作任务",
        "责任区领导",
        "责任单位",
        "子目标序号",
        "子目标",
        "年度目标",
        "单位",
    ]:
        assert ws.cell(row, col[header]).protection.locked, header
    for header in ["完成值", "数据期间", "任务进展情况", "本单位评估", "存在问题", "下一步打算"]:
        assert not ws.cell(row, col[header]).protection.locked, header


def test_form_second_subtarget_row_opens_only_the_figure_cells(form_q4):
    ws = load_workbook(form_q4)["填报"]
    col = _columns(ws)
    row = _row_of(ws, "T004", 2)
    assert not ws.cell(row, col["完成值"]).protection.locked
    assert not ws.cell(row, col["数据期间"]).protection.locked
    assert ws.cell(row, col["任务进展情况"]).protection.locked  # said once, on the first row


def test_form_task_without_subtarget_has_one_row_with_no_figure_cell(form_q4):
    ws = load_workbook(form_q4)["填报"]
    col = _columns(ws)
    assert _row_of(ws, "T001") == 2
    assert ws.cell(2, col["子目标序号"]).value is None
    assert ws.cell(2, col["完成值"]).protection.locked
    assert not ws.cell(2, col["任务进展情况"]).protection.locked


def test_form_status_validation_offers_exactly_the_two_words(form_q4):
    ws = load_workbook(form_q4)["填报"]
    status_cell = f"M{_row_of(ws, 'T004', 1)}"
    dvs = [dv for dv in ws.data_validations.dataValidation if status_cell in dv.sqref]
    assert len(dvs) == 1
    assert dvs[0].type == "list"
    assert dvs[0].formula1 == '"正常推进,推进较为滞后"'


def test_form_figure_cell_has_decimal_validation(form_q4):
    ws = load_workbook(form_q4)["填报"]
    cell = f"J{_row_of(ws, 'T004', 1)}"
    assert [dv.type for dv in ws.data_validations.dataValidation if cell in dv.sqref] == ["decimal"]


def test_form_has_one_row_per_subtarget(form_q4):
    ws = load_workbook(form_q4)["填报"]
    col = _columns(ws)

    def row_values(tid, tno):
        r = _row_of(ws, tid, tno)
        return tuple(ws.cell(r, col[h]).value for h in ["子目标", "年度目标", "单位"])

    assert row_values("T004", 1) == ("违法建筑", 1500000, "平方米")
    assert row_values("T004", 2) == ("城市生活垃圾回收利用率", 40, "%")
    assert row_values("T007", 1) == ("社区体育公园", 3, "个")
    assert row_values("T007", 2) == ("社区健身点", 30, "个")
    t004_rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "T004"]
    assert t004_rows == [6, 7]


def test_form_covers_every_task_in_the_register(form_q4):
    ws = load_workbook(form_q4)["填报"]
    ids = {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}
    assert ids == set(_register_ids())


def test_form_guide_sheet_states_the_zero_and_empty_rule(form_q4):
    guide = load_workbook(form_q4)["填报说明"]
    text = "\n".join(str(c.value) for c in guide["A"] if c.value)
    assert "没有进展填 0，未统计的留空" in text
    assert "报送截止时间" in text
    assert "正常推进" in text and "推进较为滞后" in text


def test_form_rejects_an_out_path_that_is_not_xlsx(data_dir, tmp_path):
    with pytest.raises(DataError, match=r"须写成 \.xlsx 文件"):
        write_form(data_dir, 2022, 4, tmp_path / "form.csv")


def test_per_unit_writes_one_workbook_per_lead_unit(data_dir, tmp_path):
    tasks = pd.read_csv(data_dir / "2022" / "tasks.csv", dtype=str)
    units = {u.strip() for cell in tasks["lead_units"] for u in cell.split(";")}
    written = write_form(data_dir, 2022, 4, tmp_path / "forms", per_unit=True)
    assert len(written) == len(units)
    assert {p.name.split("_2022")[0] for p in written} == units


def test_per_unit_sports_bureau_workbook_holds_only_its_task_t007(data_dir, tmp_path):
    written = write_form(data_dir, 2022, 4, tmp_path / "forms", per_unit=True)
    [sports] = [p for p in written if p.name.startswith("区体育局_")]
    ws = load_workbook(sports)["填报"]
    ids = {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}
    tasks = pd.read_csv(data_dir / "2022" / "tasks.csv", dtype=str)
    led = set(
        tasks.loc[tasks["lead_units"].str.split(";").map(lambda us: "区体育局" in us), "task_id"]
    )
    assert "T007" in ids
    assert ids == led


def test_per_unit_task_with_two_lead_units_goes_to_both(data_dir, tmp_path):
    written = write_form(data_dir, 2022, 4, tmp_path / "forms", per_unit=True)
    for unit in ["中梁镇", "丰文街道"]:  # T006 is led by both
        [path] = [p for p in written if p.name.startswith(f"{unit}_")]
        ws = load_workbook(path)["填报"]
        assert "T006" in {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}


# --- round trip -------------------------------------------------------------------------------
def test_round_trip_progress_csv_holds_what_was_filled(data_dir, form_q4, tmp_path):
    filled = _fill(
        form_q4, tmp_path / "filled.xlsx", text={"T004": T004_TEXT}, status={"T001": "推进较为滞后"}
    )
    _set(filled, "T004", 1, "存在问题", "资金紧张")
    _set(filled, "T004", 1, "下一步打算", "加快拆违进度")
    intake(data_dir, 2022, 4, [filled], partial=False)
    progress = pd.read_csv(_q4(data_dir) / "progress.csv", dtype=str, keep_default_na=False)
    assert list(progress["task_id"]) == _register_ids()
    t004 = progress.set_index("task_id").loc["T004"]
    assert t004["self_assessment"] == "正常推进"
    assert t004["reported_status"] == ""  # the office's judgement: intake never writes it
    assert t004["progress"] == T004_TEXT
    assert (t004["issues"], t004["next_steps"]) == ("资金紧张", "加快拆违进度")
    assert progress.set_index("task_id").loc["T001", "self_assessment"] == "推进较为滞后"
    assert progress.set_index("task_id").loc["T002", "progress"] == "T002：已按计划推进。"


def test_round_trip_returned_actuals_holds_exactly_the_figures_typed(data_dir, filled_q4):
    intake(data_dir, 2022, 4, [filled_q4], partial=False)
    actuals = pd.read_csv(_q4(data_dir) / "returned_actuals.csv", dtype=str)
    assert actuals.values.tolist() == [
        ["T003", "2", "-3.5", "1-11月", "filled.xlsx"],
        ["T004", "1", "1400000", "1-12月", "filled.xlsx"],
        ["T004", "2", "38.5", "1-9月", "filled.xlsx"],
        ["T007", "1", "2", "1-12月", "filled.xlsx"],
        ["T007", "2", "0", "1-12月", "filled.xlsx"],
    ]


def test_round_trip_empty_period_means_the_reports_period(data_dir, form_q4, tmp_path):
    filled = _fill(form_q4, tmp_path / "filled.xlsx", actuals={("T004", 1): (1400000, None)})
    intake(data_dir, 2022, 4, [filled])
    actuals = pd.read_csv(_q4(data_dir) / "returned_actuals.csv", dtype=str)
    assert actuals["actual_period"].tolist() == ["1-12月"]


def test_round_trip_result_counts_files_rows_and_tasks(data_dir, filled_q4):
    result = intake(data_dir, 2022, 4, [filled_q4])
    n_tasks = len(_register_ids())
    assert result.files_read == [filled_q4]
    assert len(result.tasks_returned) == n_tasks
    assert result.tasks_missing == []
    assert result.rows_accepted == load_workbook(filled_q4)["填报"].max_row - 1
    assert result.written == [
        _q4(data_dir) / "progress.csv",
        _q4(data_dir) / "returned_actuals.csv",
    ]
    assert f"已接收任务：{n_tasks} 项（共 {n_tasks} 项）" in str(result)


def test_round_trip_engine_runs_on_the_intake(data_dir, form_q4, tmp_path):
    from helpers.compute.engine import analyse

    # Test fixture: Q4 has no indicator returns of its own; the engine needs some, so reuse Q3's.
    _q4(data_dir).mkdir()
    shutil.copy(
        data_dir / "2022" / "Q3" / "indicator_progress.csv",
        _q4(data_dir) / "indicator_progress.csv",
    )
    filled = _fill(form_q4, tmp_path / "filled.xlsx", actuals=KNOWN_ACTUALS)
    intake(data_dir, 2022, 4, [filled])
    analysis = analyse(2022, 4, data_dir=data_dir)
    assert len(analysis.tasks) == len(_register_ids())
    # Not yet judged by the office: every task counted and shown as 未认定.
    assert set(analysis.tasks["reported_status"]) == {"未认定"}
    sub = analysis.subtargets.set_index(["task_id", "target_no"])
    # The report's numbers are the numbers filled in, every one of them.
    for (task_id, target_no), (value, period) in KNOWN_ACTUALS.items():
        got = sub.loc[(task_id, int(target_no))]
        assert got["actual"] == value, (task_id, target_no)
        assert got["source"] == "returned"
        if period:
            assert got["actual_period"] == period
    assert sub.loc[("T003", 2), "actual"] == -3.5  # a negative growth rate is data


def test_negative_growth_rate_is_accepted(data_dir, filled_q4):
    intake(data_dir, 2022, 4, [filled_q4])
    actuals = pd.read_csv(_q4(data_dir) / "returned_actuals.csv", dtype=str)
    assert actuals.set_index(["task_id", "target_no"]).loc[("T003", "2"), "actual"] == "-3.5"


def test_round_trip_per_unit_workbooks_together_cover_the_register(data_dir, tmp_path):
    forms = write_form(data_dir, 2022, 4, tmp_path / "forms", per_unit=True)
    filled = [_fill(p, tmp_path / f"filled_{p.name}") for p in forms]
    result = intake(data_dir, 2022, 4, filled)
    assert result.tasks_returned == _register_ids()  # T006 returned twice, identically: one row


def test_intake_does_not_change_the_input_workbooks(data_dir, filled_q4):
    before = _sha(filled_q4)
    intake(data_dir, 2022, 4, [filled_q4])
    assert _sha(filled_q4) == before


def test_intake_does_not_change_input_workbooks_when_it_fails(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "完成值", -5)
    before = _sha(filled_q4)
    with pytest.raises(DataError):
        intake(data_dir, 2022, 4, [filled_q4])
    assert _sha(filled_q4) == before


# --- validation: one failure per test ---------------------------------------------------------
def test_unknown_task_id_is_rejected_with_file_row_and_column(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "任务编号", "T999")
    with pytest.raises(
        DataError,
        match=r"filled\.xlsx，工作表“填报”，第6行，列“任务编号”：任务编号“T999”不在任务台账",
    ):
        intake(data_dir, 2022, 4, [filled_q4])


def test_altered_task_text_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "工作任务", "拆除100万平方米违法建筑")
    with pytest.raises(DataError, match=r"第6行，列“工作任务”：锁定的单元格被改动"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_altered_annual_target_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "年度目标", 1000000)
    with pytest.raises(
        DataError,
        match=r"第6行，列“年度目标”：锁定的单元格被改动：表中为“1000000”，台账中为“1500000”",
    ):
        intake(data_dir, 2022, 4, [filled_q4])


def test_figure_with_words_is_not_a_number(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "完成值", "140万")
    with pytest.raises(DataError, match=r"第6行，列“完成值”：“140万”不是数字"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_figure_typed_as_text_digits_is_read_as_a_number(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "完成值", "1,400,000")
    intake(data_dir, 2022, 4, [filled_q4])
    actuals = pd.read_csv(_q4(data_dir) / "returned_actuals.csv", dtype=str)
    assert actuals.set_index(["task_id", "target_no"]).loc[("T004", "1"), "actual"] == "1400000"


def test_negative_figure_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "完成值", -5)
    with pytest.raises(DataError, match=r"第6行，列“完成值”：-5 是负数"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_figure_for_a_task_without_subtarget_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T001", None, "完成值", 3)
    with pytest.raises(DataError, match=r"第2行，列“完成值”：此任务没有数值子目标"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_period_not_like_1_to_n_months_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "数据期间", "第四季度")
    with pytest.raises(
        DataError,
        match=r"第6行，列“数据期间”：数据期间“第四季度”应写作“1-12月”",
    ):
        intake(data_dir, 2022, 4, [filled_q4])


def test_period_not_from_january_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "数据期间", "10-12月")
    with pytest.raises(DataError, match=r"数据期间“10-12月”应写作“1-12月”（自 1 月起累计）"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_period_after_the_quarter_is_rejected(data_dir, tmp_path):
    form_q3 = write_form(data_dir, 2022, 3, tmp_path / "form_q3.xlsx")[0]
    filled = _fill(form_q3, tmp_path / "filled_q3.xlsx", actuals={("T004", 1): (1400000, "1-12月")})
    with pytest.raises(
        DataError,
        match=r"第6行，列“数据期间”：数据期间“1-12月”晚于本季度的最后一个月（1-9月）",
    ):
        intake(data_dir, 2022, 3, [filled])


def test_status_outside_the_two_words_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "本单位评估", "基本完成")
    with pytest.raises(
        DataError,
        match=r"第6行，列“本单位评估”：状态“基本完成”不是可用的用语（正常推进、推进较为滞后",
    ):
        intake(data_dir, 2022, 4, [filled_q4])


def test_return_without_progress_words_is_rejected(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "任务进展情况", None)
    with pytest.raises(DataError, match=r"第6行，列“任务进展情况”：T004：任务进展情况为空"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_same_task_returned_in_two_files_with_different_content_is_rejected(
    data_dir, form_q4, tmp_path
):
    first = _fill(form_q4, tmp_path / "a.xlsx")
    second = _fill(form_q4, tmp_path / "b.xlsx", text={"T004": "另一个版本"})
    with pytest.raises(DataError) as err:
        intake(data_dir, 2022, 4, [first, second])
    # Each workbook's problem names it once, and the other workbook it conflicts with.
    lines = [line for line in str(err.value).splitlines() if "T004 由 2 个工作簿" in line]
    assert len(lines) == 2
    assert lines[0].count("a.xlsx") == 1 and "（另见 b.xlsx 第6行）" in lines[0]
    assert lines[1].count("b.xlsx") == 1 and "（另见 a.xlsx 第6行）" in lines[1]


def test_same_task_returned_in_two_files_identically_is_accepted_once(data_dir, form_q4, tmp_path):
    first = _fill(form_q4, tmp_path / "a.xlsx")
    second = _fill(form_q4, tmp_path / "b.xlsx")
    intake(data_dir, 2022, 4, [first, second])
    actuals = pd.read_csv(_q4(data_dir) / "returned_actuals.csv", dtype=str)
    assert len(actuals) == len(KNOWN_ACTUALS)
    assert set(actuals["source_file"]) == {"a.xlsx"}


def test_same_task_twice_in_one_file_with_different_content_is_rejected(data_dir, filled_q4):
    wb = load_workbook(filled_q4)
    ws = wb[FORM_SHEET]
    ws.protection.sheet = False  # as a unit would have to, to add a row
    row = ws.max_row + 1
    for col in range(1, 16):
        ws.cell(row, col).value = ws.cell(6, col).value
    ws.cell(row, _columns(ws)["完成值"]).value = 1300000
    wb.save(filled_q4)
    with pytest.raises(
        DataError,
        match=rf"T004 第 1 个子目标在本文件中出现两次且内容不同（第6行和第{row}行）",
    ):
        intake(data_dir, 2022, 4, [filled_q4])


def test_missing_returns_are_listed_by_unit(data_dir, form_q4, tmp_path):
    # Returns come in batches: units not heard from yet are listed, and do not stop the batch.
    filled = _fill(form_q4, tmp_path / "filled.xlsx", skip={"T004", "T007"})
    result = intake(data_dir, 2022, 4, [filled])
    text = str(result)
    assert "区体育局 未报送：T007" in text
    assert "区城管局（区整违办） 未报送：T004" in text
    assert len(result.units_missing) == 2 and result.tasks_missing == ["T004", "T007"]
    progress = pd.read_csv(_q4(data_dir) / "progress.csv", dtype=str)
    assert not {"T004", "T007"} & set(progress["task_id"])


def test_missing_returns_get_no_row_in_partial_mode(data_dir, form_q4, tmp_path):
    filled = _fill(form_q4, tmp_path / "filled.xlsx", skip={"T004", "T007"})
    result = intake(data_dir, 2022, 4, [filled], partial=True)
    assert result.tasks_missing == ["T004", "T007"]
    progress = pd.read_csv(_q4(data_dir) / "progress.csv", dtype=str)
    assert not {"T004", "T007"} & set(progress["task_id"])
    assert len(progress) == len(_register_ids()) - 2


def test_workbook_for_another_quarter_is_rejected(data_dir, tmp_path):
    form_q3 = write_form(data_dir, 2022, 3, tmp_path / "form_q3.xlsx")[0]
    filled = _fill(form_q3, tmp_path / "filled_q3.xlsx", actuals={})
    with pytest.raises(
        DataError,
        match=r"工作表“_meta”.*这是2022年第3季度的填报表，本次收取的是2022年第4季度",
    ):
        intake(data_dir, 2022, 4, [filled])


def test_workbook_that_is_not_a_form_is_rejected(data_dir, tmp_path):
    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.append(["任务编号", "任务进展情况"])
    wb.active.append(["T004", "已拆除"])
    wb.save(other)
    with pytest.raises(DataError, match=r"other\.xlsx：不是“workreport form”生成的填报表"):
        intake(data_dir, 2022, 4, [other])


def test_file_that_is_not_xlsx_is_rejected(data_dir, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("task_id,progress\nT004,已拆除\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"fake\.xlsx：无法作为 \.xlsx 工作簿读取"):
        intake(data_dir, 2022, 4, [fake])


def test_register_changed_after_the_form_was_written_is_reported(data_dir, filled_q4):
    tasks_file = data_dir / "2022" / "tasks.csv"
    tasks = pd.read_csv(tasks_file, dtype=str, keep_default_na=False)
    tasks.loc[tasks["task_id"] == "T007", "task"] = "新建4个社区体育公园、30个社区健身点"
    tasks.to_csv(tasks_file, index=False)
    with pytest.raises(DataError) as err:
        intake(data_dir, 2022, 4, [filled_q4])
    text = str(err.value)
    assert "填报表生成后任务台账" in text
    assert re.search(r"列“工作任务”：锁定的单元格被改动：表中为“新建3个社区体育公园", text)


# --- all or nothing, or partial ---------------------------------------------------------------
def test_one_bad_row_writes_nothing(data_dir, filled_q4):
    q4 = _q4(data_dir)
    q4.mkdir()
    shutil.copy(data_dir / "2022" / "Q3" / "progress.csv", q4 / "progress.csv")
    before = _sha(q4 / "progress.csv")
    _set(filled_q4, "T004", 1, "完成值", -5)
    with pytest.raises(DataError):
        intake(data_dir, 2022, 4, [filled_q4])
    assert _sha(q4 / "progress.csv") == before
    assert not (q4 / "returned_actuals.csv").exists()


def test_partial_writes_valid_tasks_and_lists_the_bad_one(data_dir, filled_q4):
    _set(filled_q4, "T004", 1, "完成值", -5)
    result = intake(data_dir, 2022, 4, [filled_q4], partial=True)
    assert result.tasks_rejected == ["T004"]
    assert [str(p) for p in result.rejected] == [
        f"{filled_q4}，工作表“填报”，第6行，列“完成值”：-5 是负数；只有增速（增长率）可以为负"
    ]
    progress = pd.read_csv(_q4(data_dir) / "progress.csv", dtype=str)
    assert "T004" not in set(progress["task_id"])
    assert len(progress) == len(_register_ids()) - 1
    actuals = pd.read_csv(_q4(data_dir) / "returned_actuals.csv", dtype=str)
    assert "T004" not in set(actuals["task_id"])
    assert "T004" in str(result)


# --- an office's own names --------------------------------------------------------------------
COUNTY_NAMES = """[report]
issuer = "某某县人民政府督查室"
office = "县政府督查室"
recipient = "县政府"
place = "某某县"
title_subject = "县民生实事项目"
body_subject = "县民生实事项目"
task_noun = "民生实事项目"
leader_label = "责任县领导"
rank_label = "全市排名"
"""


def test_form_uses_the_data_folders_names_and_intake_reads_it_back(data_dir, tmp_path):
    (data_dir / "settings.toml").write_text(COUNTY_NAMES, encoding="utf-8")
    form = write_form(data_dir, 2022, 4, tmp_path / "form.xlsx")[0]
    wb = load_workbook(form)
    headers = [c.value for c in wb[FORM_SHEET][1]]
    assert "责任县领导" in headers and "责任区领导" not in headers
    guide = "\n".join(str(r[0]) for r in wb["填报说明"].iter_rows(values_only=True) if r[0])
    assert guide.startswith("某某县2022年民生实事项目推进情况填报表")
    assert "县政府督查室" in guide and "督查办" not in guide
    filled = _fill(form, tmp_path / "filled.xlsx")
    result = intake(data_dir, 2022, 4, [filled])
    assert len(result.tasks_returned) == len(_register_ids())
    progress = pd.read_csv(_q4(data_dir) / "progress.csv", dtype=str, keep_default_na=False)
    assert len(progress) == len(_register_ids())


def test_intake_reads_a_form_by_the_headers_it_was_written_with(data_dir, tmp_path):
    # The form was sent out under the defaults; the office names its column afterwards.
    form = write_form(data_dir, 2022, 4, tmp_path / "form.xlsx")[0]
    filled = _fill(form, tmp_path / "filled.xlsx")
    (data_dir / "settings.toml").write_text(COUNTY_NAMES, encoding="utf-8")
    result = intake(data_dir, 2022, 4, [filled])
    assert len(result.tasks_returned) == len(_register_ids())


def test_a_renamed_leaders_header_is_named_in_the_message(data_dir, tmp_path):
    (data_dir / "settings.toml").write_text(COUNTY_NAMES, encoding="utf-8")
    form = write_form(data_dir, 2022, 4, tmp_path / "form.xlsx")[0]
    filled = _fill(form, tmp_path / "filled.xlsx")
    wb = load_workbook(filled)
    ws = wb[FORM_SHEET]
    ws.cell(1, _columns(ws)["责任县领导"]).value = "领导"
    wb.save(filled)
    with pytest.raises(DataError, match="责任县领导"):
        intake(data_dir, 2022, 4, [filled])


# --- what a unit may not return -----------------------------------------------------------------
def test_a_formula_is_read_as_what_was_typed_never_as_its_result(data_dir, filled_q4):
    # Excel saves a formula with its cached result; intake must not take the result for words.
    _set(filled_q4, "T004", 1, "任务进展情况", "=SUM(100,50)")
    with pytest.raises(DataError, match=r"T004：任务进展情况“=SUM\(100,50\)”没有文字"):
        intake(data_dir, 2022, 4, [filled_q4])
    _set(filled_q4, "T004", 1, "任务进展情况", T004_TEXT)
    _set(filled_q4, "T004", 1, "完成值", "=1000000+400000")
    with pytest.raises(DataError, match="完成值"):
        intake(data_dir, 2022, 4, [filled_q4])


def test_progress_given_only_as_a_number_is_not_a_return(data_dir, filled_q4):
    _set(filled_q4, "T007", 1, "任务进展情况", 150)
    with pytest.raises(DataError, match="T007：任务进展情况“150”没有文字") as err:
        intake(data_dir, 2022, 4, [filled_q4])
    assert "列“任务进展情况”" in str(err.value)


def test_text_cells_of_the_form_are_formatted_as_text(form_q4):
    ws = load_workbook(form_q4)[FORM_SHEET]
    col = _columns(ws)
    row = _row_of(ws, "T004", 1)
    for header in ("任务进展情况", "存在问题", "下一步打算", "本单位评估"):
        assert ws.cell(row, col[header]).number_format == "@", header
    assert ws.cell(row, col["完成值"]).number_format != "@"
