"""Issue 13, "nothing lost, nothing unsafe": one test per case, named after it.

Each test asserts on the message the analyst reads AND on the files afterwards. Every test works
on a copy of the data folder (``data_copy``) or in ``tmp_path``; nothing in the repository is
touched.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from filling import fill_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from helpers.core import writing
from helpers.core.errors import DataError, Problem
from helpers.core.writing import (
    OUTPUT_MARKER,
    claim_dir,
    neutralise,
    restore,
    staged_dir,
    write_csv,
)
from helpers.cycle import intake as intake_module
from helpers.cycle.form_write import text_cell
from helpers.cycle.forms import FORM_SHEET, intake, write_form
from helpers.read.loading import read_text_csv
from helpers.run.cli import main

FORMULAS = ['=HYPERLINK("http://x.example","点此")', "=cmd|' /C calc'!A0", "+1+2", "@SUM(A1)"]


# --- helpers ----------------------------------------------------------------------------------
def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256: to show that nothing changed."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _csv_cells(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _fill(form: Path, out: Path, text: dict[str, str] | None = None, status="正常推进") -> Path:
    """Fill every task of a form as a unit would: progress words and a self-assessment."""
    return fill_form(form, out, text, status)


def _q4(data_copy: Path) -> Path:
    return data_copy / "2022" / "Q4"


def _progress(data_copy: Path) -> pd.DataFrame:
    return read_text_csv(_q4(data_copy) / "progress.csv", ["task_id"]).set_index("task_id")


# === 1. Outputs own their folders ==============================================================
def test_run_out_refuses_a_non_empty_folder_it_did_not_create(data_copy, tmp_path, capsys):
    out = tmp_path / "someone"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    before = _tree(out)
    status = main(["run", "--data-dir", str(data_copy), "--out", str(out), "--no-progress"])
    assert status == 2
    err = capsys.readouterr().err
    assert "不是本工具建立的" in err and str(out) in err and "Traceback" not in err
    assert _tree(out) == before
    assert not [p for p in tmp_path.iterdir() if ".staging." in p.name]


def test_run_out_inside_the_data_folder_is_refused(data_copy, capsys):
    before = _tree(data_copy)
    out = data_copy / "2022" / "Q3"
    status = main(["run", "--data-dir", str(data_copy), "--out", str(out), "--no-progress"])
    assert status == 2
    assert "数据文件夹" in capsys.readouterr().err
    assert _tree(data_copy) == before


def test_tables_out_into_the_data_folder_is_refused(data_copy, capsys):
    before = _tree(data_copy)
    status = main(["tables", "--data-dir", str(data_copy), "--out", str(data_copy / "2022")])
    assert status == 2
    err = capsys.readouterr().err
    assert "数据文件夹" in err and "--out" in err
    assert _tree(data_copy) == before  # tasks.csv not overwritten
    assert main(["tables", "--data-dir", str(data_copy), "--out", str(data_copy.parent / "t")]) == 0


def test_tables_out_refuses_a_non_empty_folder_it_did_not_create(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["tables", "--out", str(tmp_path)]) == 2
    assert "不是本工具建立的" in capsys.readouterr().err
    assert _tree(tmp_path) == {"notes.txt": hashlib.sha256(b"mine").hexdigest()}


def test_tables_rerun_replaces_its_own_files_and_keeps_the_users(tmp_path):
    out = tmp_path / "tables"
    assert main(["tables", "--out", str(out)]) == 0
    marker = json.loads((out / OUTPUT_MARKER).read_text(encoding="utf-8"))
    assert "tasks.csv" in marker["files"]
    (out / "my-notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["tables", "--out", str(out)]) == 0
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "keep me"


def test_tables_never_overwrites_a_file_the_marker_does_not_list(tmp_path, capsys):
    out = claim_dir(tmp_path / "t")  # the pack's folder, but it wrote nothing yet
    (out / "tasks.csv").write_text("the user's own tasks.csv", encoding="utf-8")
    assert main(["tables", "--out", str(out)]) == 2
    assert "不会覆盖" in capsys.readouterr().err
    assert (out / "tasks.csv").read_text(encoding="utf-8") == "the user's own tasks.csv"


def test_staged_dir_replacing_a_report_keeps_files_the_pack_did_not_write(tmp_path):
    target = tmp_path / "report"
    with staged_dir(target) as stage:
        (stage / "index.html").write_text("v1", encoding="utf-8")
        claim_dir(stage / "data")  # a sub-folder with its own marker, as run's data/ has
    (target / "office-notes.docx").write_bytes(b"notes")
    (target / "drafts").mkdir()
    (target / "drafts" / "a.txt").write_text("draft", encoding="utf-8")
    with staged_dir(target) as stage:
        (stage / "index.html").write_text("v2", encoding="utf-8")
        claim_dir(stage / "data")
    assert (target / "index.html").read_text(encoding="utf-8") == "v2"
    assert sorted(p.name for p in (target / "data").iterdir()) == [OUTPUT_MARKER]
    assert (target / "office-notes.docx").read_bytes() == b"notes"
    assert (target / "drafts" / "a.txt").read_text(encoding="utf-8") == "draft"
    files = json.loads((target / OUTPUT_MARKER).read_text(encoding="utf-8"))["files"]
    assert files == ["index.html"]


def test_report_folder_from_before_the_marker_is_recognised(tmp_path):
    target = tmp_path / "2022-Q3"
    (target / "data").mkdir(parents=True)
    (target / "index.html").write_text("old", encoding="utf-8")
    (target / "data" / "tasks.csv").write_text("old", encoding="utf-8")
    with staged_dir(target) as stage:
        (stage / "index.html").write_text("new", encoding="utf-8")
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert not (target / "data" / "tasks.csv").exists()  # the pack's own old output


def test_form_never_overwrites_a_filled_return(data_copy, tmp_path, capsys):
    out = tmp_path / "form.xlsx"
    out.write_bytes(b"a filled return")
    assert (
        main(
            [
                "form",
                "--data-dir",
                str(data_copy),
                "--year",
                "2022",
                "--quarter",
                "4",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out.strip()
    assert printed.endswith("form(2).xlsx")
    assert out.read_bytes() == b"a filled return"
    assert load_workbook(tmp_path / "form(2).xlsx")[FORM_SHEET]["A1"].value == "任务编号"


def test_form_per_unit_never_overwrites_a_filled_return(data_copy, tmp_path):
    out = tmp_path / "forms"
    first = write_form(data_copy, 2022, 4, out, per_unit=True)
    filled = _fill(first[0], first[0])  # a unit's return saved under the form's own name
    before = filled.read_bytes()
    second = write_form(data_copy, 2022, 4, out, per_unit=True)
    assert filled.read_bytes() == before
    assert second[0].name == first[0].name.replace(".xlsx", "(2).xlsx")


def test_form_per_unit_refuses_a_non_empty_folder_it_did_not_create(data_copy, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "returns.xlsx").write_bytes(b"x")
    with pytest.raises(DataError, match="不是本工具建立的"):
        write_form(data_copy, 2022, 4, folder, per_unit=True)
    assert [p.name for p in folder.iterdir()] == ["returns.xlsx"]


def test_extract_out_never_overwrites_and_refuses_the_data_folder(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("task,progress\n新建3个公园,已建成2个公园\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("mine", encoding="utf-8")
    assert main(["extract", str(src), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("out(2).csv")
    assert out.read_text(encoding="utf-8") == "mine"
    from helpers.core import paths

    assert main(["extract", str(src), "--out", str(paths.DATA_DIR / "x.csv")]) == 2
    assert "数据文件夹" in capsys.readouterr().err
    assert not (paths.DATA_DIR / "x.csv").exists()


# === 2. Intake accumulates =====================================================================
def test_intake_for_one_late_unit_keeps_the_returns_taken_in_before(data_copy, tmp_path):
    everyone = _fill(write_form(data_copy, 2022, 4, tmp_path / "all.xlsx")[0], tmp_path / "a.xlsx")
    intake(data_copy, 2022, 4, [everyone])
    before = _progress(data_copy)
    units = write_form(data_copy, 2022, 4, tmp_path / "units", per_unit=True)
    sports = next(p for p in units if p.name.startswith("区体育局"))
    late = _fill(sports, tmp_path / "late.xlsx", text={"T007": "T007：补报，已建成2个公园。"})
    result = intake(data_copy, 2022, 4, [late], partial=True)
    after = _progress(data_copy)
    assert list(after.index) == list(before.index)  # 131 tasks, not 1
    assert after.loc["T007", "progress"] == "T007：补报，已建成2个公园。"
    assert result.tasks_returned == ["T007", "T054"]  # the tasks 区体育局 leads
    others = [t for t in before.index if t not in result.tasks_returned]
    assert len(others) == 129
    assert after.loc[others, "progress"].equals(before.loc[others, "progress"])
    backups = list(_q4(data_copy).glob("progress.csv.*.bak"))
    assert len(backups) == 1
    assert backups[0] in result.backups and str(backups[0]) in str(result)
    assert (
        read_text_csv(backups[0], ["task_id"])["progress"].tolist() == before["progress"].tolist()
    )


def test_intake_replace_starts_from_the_workbooks_given(data_copy, tmp_path):
    everyone = _fill(write_form(data_copy, 2022, 4, tmp_path / "all.xlsx")[0], tmp_path / "a.xlsx")
    intake(data_copy, 2022, 4, [everyone])
    units = write_form(data_copy, 2022, 4, tmp_path / "units", per_unit=True)
    sports = _fill(next(p for p in units if p.name.startswith("区体育局")), tmp_path / "s.xlsx")
    intake(data_copy, 2022, 4, [sports], partial=True, replace=True)
    assert list(_progress(data_copy).index) == ["T007", "T054"]


def test_intake_keeps_the_units_self_assessment_apart_from_the_office_status(data_copy, tmp_path):
    office = read_text_csv(data_copy / "2022" / "Q3" / "progress.csv", ["task_id"])
    t001_office = office.set_index("task_id").loc["T001", "reported_status"]
    assert t001_office == "推进较为滞后"
    form = write_form(data_copy, 2022, 3, tmp_path / "q3.xlsx")[0]
    filled = _fill(form, tmp_path / "f.xlsx", status="正常推进")
    intake(data_copy, 2022, 3, [filled])
    after = read_text_csv(data_copy / "2022" / "Q3" / "progress.csv", ["task_id"])
    row = after.set_index("task_id").loc["T001"]
    assert row["reported_status"] == "推进较为滞后"  # the office's judgement, untouched
    assert row["self_assessment"] == "正常推进"  # the unit's, in its own column


# === 3. No live formulas =======================================================================
def _poison_register(data_copy: Path) -> None:
    tasks_file = data_copy / "2022" / "tasks.csv"
    tasks = read_text_csv(tasks_file, ["task_id"])
    tasks.loc[0, "task"] = FORMULAS[0]
    tasks.loc[1, "section"] = FORMULAS[3]
    tasks.loc[2, "leaders"] = FORMULAS[2]
    tasks.to_csv(tasks_file, index=False)


def test_unit_text_starting_with_formula_characters_is_neutralised_in_every_csv(
    data_copy, tmp_path
):
    _poison_register(data_copy)
    prog = data_copy / "2022" / "Q3" / "progress.csv"
    p = read_text_csv(prog, ["task_id"])
    p.loc[3, "progress"] = FORMULAS[1] + "，已完成。"
    p.to_csv(prog, index=False)
    out = tmp_path / "tables"
    assert main(["tables", "--data-dir", str(data_copy), "--out", str(out)]) == 0
    for path in out.glob("*.csv"):
        for row in _csv_cells(path):
            for cell in row:
                assert not (cell[:1] in "=+-@\t\r" and neutralise(cell) != cell), (path.name, cell)
    tasks = _csv_cells(out / "tasks.csv")
    assert ["'" + FORMULAS[0]] == [c for row in tasks for c in row if FORMULAS[0] in c]
    # The pack reads its own file back as it was typed.
    back = read_text_csv(out / "tasks.csv", ["task_id"])
    assert back.loc[0, "task"] == FORMULAS[0]
    # Numbers stay numbers: the negative gaps are not quoted.
    indicators = _csv_cells(out / "indicators.csv")
    gaps = [r[indicators[0].index("gap_pp")] for r in indicators[1:]]
    assert any(g.startswith("-") for g in gaps) and not any(g.startswith("'") for g in gaps)


def test_form_cells_are_written_as_text_never_as_formulas(data_copy, tmp_path):
    _poison_register(data_copy)
    form = write_form(data_copy, 2022, 4, tmp_path / "form.xlsx")[0]
    with zipfile.ZipFile(form) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet  # no formula anywhere in the sheet
    ws = load_workbook(form)[FORM_SHEET]
    cell = ws["C2"]
    assert (cell.value, cell.data_type) == (FORMULAS[0], "s")


def test_untouched_return_with_formula_like_text_is_accepted(data_copy, tmp_path):
    _poison_register(data_copy)
    form = write_form(data_copy, 2022, 4, tmp_path / "form.xlsx")[0]
    filled = _fill(form, tmp_path / "filled.xlsx", text={"T002": "=1+1 是单位写的文字"})
    result = intake(data_copy, 2022, 4, [filled])
    assert result.rejected == []
    progress = _csv_cells(_q4(data_copy) / "progress.csv")
    assert ["T002", "", "正常推进", "'=1+1 是单位写的文字", "", "", "form", ""] in progress
    assert _progress(data_copy).loc["T002", "progress"] == "=1+1 是单位写的文字"


def test_return_whose_cells_were_neutralised_is_not_refused(data_copy, tmp_path):
    _poison_register(data_copy)
    form = write_form(data_copy, 2022, 4, tmp_path / "form.xlsx")[0]
    filled = _fill(form, tmp_path / "filled.xlsx")
    wb = load_workbook(filled)
    wb[FORM_SHEET]["C2"].value = "'" + FORMULAS[0]  # a tool put the OWASP quote in front
    wb.save(filled)
    result = intake(data_copy, 2022, 4, [filled])
    assert result.rejected == []
    assert len(result.tasks_returned) == result.tasks_in_register


# A unit can type any character but the XML control characters Excel itself refuses.
UNIT_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"],
    ),
    max_size=40,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(UNIT_TEXT, st.sampled_from([*FORMULAS, "-3.5", "-", "'=x", "\t1"])),
        min_size=1,
        max_size=4,
    )
)
def test_any_text_a_unit_may_type_survives_every_csv_and_xlsx_output_as_text(tmp_path, texts):
    df = pd.DataFrame(
        {
            "task_id": [f"R{i}" for i in range(len(texts))],
            "text": texts,
            "value": [-1.5] * len(texts),
        }
    )
    out = tmp_path / "p.csv"
    out.unlink(missing_ok=True)
    write_csv(df, out)
    rows = _csv_cells(out)
    # Line breaks are written as LF (a CR would split the row in Excel): compare on that.
    typed_lf = [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    for row, typed in zip(rows[1:], typed_lf, strict=True):
        cell = row[1]
        # Never a formula: a text that would run starts with the quote.
        assert not (cell[:1] in "=+-@\t\r" and neutralise(cell) != cell)
        assert row[2] == "-1.5"  # numbers stay numbers, negative ones included
        assert restore(cell) == typed
    # The pack's own reader gives back what was typed.
    assert read_text_csv(out, ["task_id", "text"])["text"].tolist() == typed_lf
    # XLSX: stored as text (never a formula), read back as typed (XML turns CR into LF).
    wb = Workbook()
    for i, typed in enumerate(texts, start=1):
        text_cell(wb.active.cell(row=i, column=1), typed)
    xlsx = tmp_path / "p.xlsx"
    wb.save(xlsx)
    ws = load_workbook(xlsx).active
    for i, typed in enumerate(texts, start=1):
        cell = ws.cell(row=i, column=1)
        want = typed.replace("\r\n", "\n").replace("\r", "\n")
        if typed == "":
            assert cell.value is None
            continue
        assert cell.data_type == "s"
        assert cell.value.replace("\r\n", "\n").replace("\r", "\n") == want


# === 4. Limits with clear messages =============================================================
@pytest.fixture
def filled_q4(data_copy, tmp_path) -> Path:
    return _fill(write_form(data_copy, 2022, 4, tmp_path / "form.xlsx")[0], tmp_path / "f.xlsx")


def test_workbook_that_unpacks_too_big_is_refused(data_copy, filled_q4, monkeypatch):
    monkeypatch.setattr(intake_module, "MAX_UNPACKED_BYTES", 10_000)
    with pytest.raises(DataError, match="解压后有") as err:
        intake(data_copy, 2022, 4, [filled_q4])
    assert "f.xlsx" in str(err.value)
    assert not _q4(data_copy).exists()


def test_workbook_file_too_large_is_refused(data_copy, filled_q4, monkeypatch):
    monkeypatch.setattr(intake_module, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(DataError, match="超过填报表的上限"):
        intake(data_copy, 2022, 4, [filled_q4])
    assert not _q4(data_copy).exists()


def test_workbook_with_too_many_rows_is_refused(data_copy, filled_q4):
    wb = load_workbook(filled_q4)
    ws = wb[FORM_SHEET]
    for i in range(ws.max_row + 1, ws.max_row + 1200):
        ws.cell(row=i, column=1, value="T001")
    wb.save(filled_q4)
    with pytest.raises(DataError, match="不要追加行") as err:
        intake(data_copy, 2022, 4, [filled_q4])
    assert "工作表“填报”" in str(err.value)
    assert not _q4(data_copy).exists()


def test_cell_longer_than_the_limit_is_refused(data_copy, filled_q4):
    wb = load_workbook(filled_q4)
    ws = wb[FORM_SHEET]
    ws["L2"] = "很长" * 3000
    wb.save(filled_q4)
    with pytest.raises(DataError, match="超过每格上限") as err:
        intake(data_copy, 2022, 4, [filled_q4])
    assert "第2行" in str(err.value) and "任务进展情况" in str(err.value)
    assert not _q4(data_copy).exists()


def test_many_problems_of_one_kind_are_capped_at_20_then_counted(data_copy, filled_q4):
    wb = load_workbook(filled_q4)
    ws = wb[FORM_SHEET]
    for i in range(2, ws.max_row + 1):
        ws.cell(row=i, column=3, value="改过的任务")
    wb.save(filled_q4)
    with pytest.raises(DataError) as err:
        intake(data_copy, 2022, 4, [filled_q4])
    text = str(err.value)
    assert text.count("列“工作任务”：锁定的单元格被改动") == 20
    assert "另有" in text and "条同类问题未列出" in text
    assert len(text.splitlines()) < 40
    assert not _q4(data_copy).exists()


# === 5. OS errors ==============================================================================
def test_out_under_a_file_exits_2_with_one_message(tmp_path, capsys):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    status = main(["tables", "--out", str(tmp_path / "a-file" / "tables")])
    assert status == 2
    err = capsys.readouterr().err
    assert "路径中有一段是文件" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert _tree(tmp_path) == {"a-file": hashlib.sha256(b"x").hexdigest()}


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "磁盘已满"), (errno.EACCES, "没有写入")]
)
def test_disk_full_or_permission_denied_exits_2_and_leaves_nothing_half_written(
    tmp_path, capsys, monkeypatch, code, words
):
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith(".csv"):
            raise OSError(code, os.strerror(code), str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(writing.os, "replace", failing_replace)
    out = tmp_path / "tables"
    assert main(["tables", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "未留下写了一半的文件" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == [OUTPUT_MARKER]  # no CSV, no temporary file
    monkeypatch.setattr(writing.os, "replace", real_replace)  # space freed: the rerun works
    assert main(["tables", "--out", str(out)]) == 0
    assert (out / "tasks.csv").is_file()


def test_failed_notebook_that_is_empty_is_not_kept_in_failed(tmp_path):
    from helpers.run.batch import NotebookResult, _keep_failed

    empty = tmp_path / "stage" / "00_report.ipynb"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    good = tmp_path / "stage" / "01_indicators.ipynb"
    good.write_text("{}", encoding="utf-8")
    failed = tmp_path / "_failed" / "run-1"
    _keep_failed(
        [
            NotebookResult("00_report", False, empty, 1.0, "disk full"),
            NotebookResult("01_indicators", False, good, 1.0, "x"),
        ],
        failed,
    )
    assert sorted(p.name for p in failed.iterdir()) == [OUTPUT_MARKER, "01_indicators.ipynb"]


def test_worker_processes_end_with_their_parent(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from helpers.run.batch import end_with_parent

        def pid():
            return os.getpid()

        def sleep():
            time.sleep(120)

        if __name__ == "__main__":
            pool = ProcessPoolExecutor(2, initializer=end_with_parent, initargs=(os.getpid(),))
            pids = {pool.submit(pid).result() for _ in range(8)}
            pool.submit(sleep)
            print(" ".join(map(str, pids)), flush=True)
            time.sleep(120)
        """
    )
    (tmp_path / "parent.py").write_text(script, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(tmp_path / "parent.py")], stdout=subprocess.PIPE, text=True
    )
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers
    parent.send_signal(signal.SIGKILL)  # kill -9: no clean-up code runs in the parent
    parent.wait()
    deadline = time.time() + 10
    alive = workers
    while alive and time.time() < deadline:
        alive = [p for p in workers if _alive(p)]
        time.sleep(0.2)
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def test_stale_staging_folder_is_cleared_on_the_next_run(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".report.staging.{dead.pid}.abc"
    stale.mkdir()
    (stale / OUTPUT_MARKER).write_text("{}", encoding="utf-8")
    (stale / "index.html").write_text("half", encoding="utf-8")
    not_ours = tmp_path / f".report.staging.{dead.pid}.xyz"  # no marker: never deleted
    not_ours.mkdir()
    with staged_dir(tmp_path / "report") as stage:
        (stage / "index.html").write_text("ok", encoding="utf-8")
    assert not stale.exists()
    assert not_ours.exists()
    assert (tmp_path / "report" / "index.html").read_text(encoding="utf-8") == "ok"


# === 6. Numbers checked ========================================================================
def _set_indicator(data_copy: Path, column: str, value: str, row: int = 0) -> Path:
    path = data_copy / "2022" / "Q3" / "indicator_progress.csv"
    df = read_text_csv(path, ["indicator_id"])
    df.loc[row, column] = value
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("value", ["2,6", "1,23", "12,3456"])
def test_indicator_value_with_a_decimal_comma_is_refused(data_copy, value):
    from helpers.compute.engine import analyse

    path = _set_indicator(data_copy, "value", value)
    with pytest.raises(DataError, match="小数点请用") as err:
        analyse(2022, 3, data_dir=data_copy)
    assert f"{path}，第2行，列“value”" in str(err.value)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "infinity"])
def test_indicator_value_nan_or_inf_is_refused(data_copy, value):
    from helpers.compute.engine import analyse

    _set_indicator(data_copy, "value", value)
    with pytest.raises(DataError, match="不是一个有限的数") as err:
        analyse(2022, 3, data_dir=data_copy)
    assert "第2行，列“value”" in str(err.value)


def test_thousands_separators_are_still_read(data_copy):
    from helpers.compute.engine import analyse

    _set_indicator(data_copy, "value", "1,221", row=8)
    _set_indicator(data_copy, "progress", "1-9月，空气质量优良天数1221天。", row=8)
    analysis = analyse(2022, 3, data_dir=data_copy)
    assert analysis.indicators.set_index("indicator_id").loc["I09", "actual"] == 1221


def test_indicator_value_disagreeing_with_its_progress_text_is_an_error(data_copy):
    from helpers.compute.engine import analyse

    _set_indicator(data_copy, "value", "26")  # the text says 2.6%
    checks = analyse(2022, 3, data_dir=data_copy).checks
    row = checks[checks["check"] == "完成值与进展文字不一致"]
    assert len(row) == 1
    assert row.iloc[0]["severity"] == "错误"
    assert "完成值为26%" in row.iloc[0]["finding"] and "进展文字中为2.6%" in row.iloc[0]["finding"]


def test_built_in_indicators_agree_with_their_progress_text(analysis):
    assert not (analysis.checks["check"] == "完成值与进展文字不一致").any()


def test_row_with_an_id_and_nothing_else_is_counted_as_not_assessed(data_copy):
    from helpers.compute.engine import analyse
    from helpers.present.narrative import build_body, to_html

    prog = data_copy / "2022" / "Q3" / "progress.csv"
    df = read_text_csv(prog, ["task_id"])
    df.loc[df["task_id"] == "T005", ["reported_status", "progress"]] = ""
    df.to_csv(prog, index=False)
    analysis = analyse(2022, 3, data_dir=data_copy)
    counts = analysis.summary()["tasks_by_reported_status"]
    assert counts["未认定"] == 1
    assert sum(counts.values()) == 131  # nothing vanished
    body = to_html(build_body(analysis))
    assert "1项任务督查办尚未认定推进状态" in body
    checks = analysis.checks
    assert "T005" in set(checks.loc[checks["check"].isin(["未认定", "未报送"]), "item"])


def test_row_number_in_a_half_utf8_half_gbk_file_matches_excel(tmp_path):
    path = tmp_path / "mixed.csv"
    utf8 = 'task_id,task,progress\nT1,"两行的\n任务",已完成\n\nT2,任务二,已完成\n'.encode()
    path.write_bytes(utf8 + "T3,任务三,已完成\n".encode("gbk"))
    with pytest.raises(DataError) as err:
        read_text_csv(path, ["task_id"])
    # Excel: header row 1, T1 row 2 (one row, two lines), blank row 3, T2 row 4, T3 row 5.
    assert f"{path}，第5行：" in str(err.value)
    assert "GBK" in str(err.value)


def test_blank_line_keeps_row_numbers_as_excel_shows_them(tmp_path):
    path = tmp_path / "tasks.csv"
    path.write_text("task,progress\n新建3个公园,已建成2个\n\n,已完成\n", encoding="utf-8")
    from helpers.run.extract import extract_csv

    with pytest.raises(DataError) as err:
        extract_csv(path)
    assert "第4行，列“task”" in str(err.value)


# === 7. Labels safe in charts ==================================================================
def test_emoji_in_a_unit_name_does_not_stop_the_report(data_copy):
    from helpers.compute.engine import analyse
    from helpers.present.charts import scorecard_chart
    from helpers.present.tables import owner_scorecard

    tasks_file = data_copy / "2022" / "tasks.csv"
    tasks = read_text_csv(tasks_file, ["task_id"])
    tasks.loc[tasks["task_id"] == "T007", "lead_units"] = "区体育局🎉"
    tasks.to_csv(tasks_file, index=False)
    analysis = analyse(2022, 3, data_dir=data_copy)
    fig = scorecard_chart(owner_scorecard(analysis, "lead_units"), analysis.settings)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from font")
        fig.canvas.draw()  # would raise on a missing glyph
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("区体育局□" in label for label in labels)
    checks = analysis.checks
    row = checks[checks["check"] == "图表缺字"]
    assert row["item"].tolist() == ["T007"] and "🎉" in row.iloc[0]["finding"]


def test_dollar_signs_in_a_unit_name_are_not_drawn_as_maths():
    from helpers.core.config import load_settings
    from helpers.present.charts import scorecard_chart

    card = pd.DataFrame(
        {"owner": ["$x^2$委员会"], "tasks": [3], "lagging": [1], "mean_ratio": [0.5]}
    )
    fig = scorecard_chart(card, load_settings())
    fig.canvas.draw()
    label = fig.axes[0].get_yticklabels()[0]
    shown, is_math = label._preprocess_math(label.get_text())
    assert (shown, is_math) == ("$x^2$委员会", False)


def test_91_character_unit_name_does_not_stop_form_per_unit(data_copy, tmp_path):
    tasks_file = data_copy / "2022" / "tasks.csv"
    tasks = read_text_csv(tasks_file, ["task_id"])
    long_name = "很长的单位名称" * 13
    assert len(long_name) == 91
    tasks.loc[tasks["task_id"] == "T007", "lead_units"] = long_name
    tasks.to_csv(tasks_file, index=False)
    written = write_form(data_copy, 2022, 4, tmp_path / "units", per_unit=True)
    mine = [p for p in written if p.name.startswith("很长的单位名称")]
    assert len(mine) == 1 and len(mine[0].name.encode()) < 255
    assert load_workbook(mine[0])["_meta"]["B7"].value == long_name


def test_problem_text_keeps_the_file_row_and_column():
    p = Problem("a.csv", "bad", row=3, column="value")
    assert str(p) == "a.csv，第3行，列“value”：bad"


@pytest.mark.parametrize("typed", ["2,6", "inf", "nan"])
def test_returned_figure_with_a_decimal_comma_or_inf_is_refused(data_copy, tmp_path, typed):
    form = write_form(data_copy, 2022, 4, tmp_path / "form.xlsx")[0]
    filled = _fill(form, tmp_path / "f.xlsx")
    wb = load_workbook(filled)
    ws = wb[FORM_SHEET]
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["任务编号"]).value == "T007")
    ws.cell(row, col["完成值"]).value = typed
    wb.save(filled)
    with pytest.raises(DataError, match="不是数字") as err:
        intake(data_copy, 2022, 4, [filled])
    assert f"第{row}行，列“完成值”" in str(err.value)
    assert ("小数点请用" in str(err.value)) == (typed == "2,6")
    assert not _q4(data_copy).exists()


def test_extract_out_neutralises_unit_text_starting_with_formula_characters(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "task": ["=cmd|' /C calc'!A0 新建3个公园", "@SUM(1) 建成5个"],
            "progress": ["已建成2个公园", ""],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    cells = [c for row in _csv_cells(out) for c in row]
    assert not [c for c in cells if c[:1] in "=+-@\t\r" and neutralise(c) != c]
    assert "'=cmd|' /C calc'!A0 新建3个公园" in cells
    capsys.readouterr()
    assert main(["extract", str(src)]) == 0  # printed, the same rule
    assert "'=cmd" in capsys.readouterr().out


def test_out_that_holds_the_data_folder_is_refused(data_copy, capsys):
    before = _tree(data_copy)
    status = main(["tables", "--data-dir", str(data_copy), "--out", str(data_copy.parent)])
    assert status == 2
    assert "数据文件夹" in capsys.readouterr().err
    assert _tree(data_copy) == before


@pytest.fixture(scope="module")
def register_and_form(tmp_path_factory):
    """A data folder and its Q4 form, written once for the property test below."""
    import shutil

    from helpers.core import paths

    root = tmp_path_factory.mktemp("prop")
    shutil.copytree(paths.DATA_DIR / "2022", root / "data" / "2022")
    return root / "data", write_form(root / "data", 2022, 4, root / "form.xlsx")[0]


@settings(max_examples=10, deadline=None)
@given(st.one_of(UNIT_TEXT.filter(lambda t: t.strip()), st.sampled_from(FORMULAS)))
def test_any_text_a_unit_may_type_survives_the_form_intake_round_trip(register_and_form, typed):
    import shutil
    import tempfile

    from helpers.cycle.form_layout import _text

    data, form = register_and_form
    # Progress is told in words (a cell with none is refused); the typed text starts the cell,
    # where a formula would start.
    typed = typed + "（已完成）"
    with tempfile.TemporaryDirectory() as tmp:
        filled = _fill(form, Path(tmp) / "f.xlsx", text={"T002": typed})
        q4 = data / "2022" / "Q4"
        shutil.rmtree(q4, ignore_errors=True)
        result = intake(data, 2022, 4, [filled])
        assert "T002" in result.tasks_returned
        cell = next(r for r in _csv_cells(q4 / "progress.csv") if r[0] == "T002")[3]
        assert not (cell[:1] in "=+-@\t\r" and neutralise(cell) != cell)  # never a formula
        # Read back as the unit typed it (intake trims the ends and writes line breaks as LF).
        back = read_text_csv(q4 / "progress.csv", ["task_id"]).set_index("task_id")
        assert back.loc["T002", "progress"] == _text(typed, multiline=True)


def test_a_report_file_edited_after_the_run_is_kept_when_the_report_is_made_again(tmp_path):
    from helpers.core.writing import staged_dir

    out = tmp_path / "报告"
    with staged_dir(out) as stage:
        (stage / "report.docx").write_bytes(b"pack v1")
        (stage / "index.html").write_text("v1", encoding="utf-8")
    (out / "report.docx").write_bytes(b"pack v1 + the office's own paragraph")
    with staged_dir(out) as stage:
        (stage / "report.docx").write_bytes(b"pack v2")
        (stage / "index.html").write_text("v2", encoding="utf-8")
    assert (out / "report.docx").read_bytes() == b"pack v2"
    kept = out / "report（修改稿）.docx"
    assert kept.read_bytes() == b"pack v1 + the office's own paragraph"
    # A file nobody touched is simply replaced; the kept copy is the office's from now on.
    assert not (out / "index（修改稿）.html").exists()
    with staged_dir(out) as stage:
        (stage / "report.docx").write_bytes(b"pack v3")
    assert kept.read_bytes() == b"pack v1 + the office's own paragraph"
    assert not (out / "report（修改稿）(2).docx").exists()
