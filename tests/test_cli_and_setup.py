"""The command line, atomic writes, and the set-up files (pyproject, environment.yml, Makefile)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from helpers.core import paths
from helpers.core.writing import staged_dir, write_csv
from helpers.run.cli import main

ROOT = paths.PACK_ROOT


def test_tables_command_writes_every_output_with_a_bom(tmp_path, capsys):
    assert main(["tables", "--year", "2022", "--quarter", "3", "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {
        ".workreport-output",
        "indicators.csv",
        "targets.csv",
        "tasks.csv",
        "disagreements.csv",
        "checks.csv",
        "summary.json",
    }
    targets = pd.read_csv(tmp_path / "targets.csv", encoding="utf-8-sig")
    assert list(targets.columns[:4]) == ["task_id", "target_no", "section", "task"]
    for col in (
        "metric",
        "target",
        "actual",
        "unit",
        "ratio",
        "expected_ratio",
        "gap_pp",
        "status",
        "source",
        "source_text",
    ):
        assert col in targets.columns
    row = targets[(targets["task_id"] == "T004") & (targets["target_no"] == 1)].iloc[0]
    assert round(row["ratio"], 3) == 0.373 and row["status"] == "严重滞后"
    tasks = pd.read_csv(tmp_path / "tasks.csv", encoding="utf-8-sig")
    for col in (
        "task_id",
        "section",
        "task",
        "leaders",
        "lead_units",
        "partner_units",
        "reported_status",
        "computed_status",
        "flags",
    ):
        assert col in tasks.columns


def test_data_error_exits_2_with_one_message_and_no_traceback(tmp_path, capsys):
    assert main(["tables", "--year", "2022", "--quarter", "4", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "没有2022年第4季度的进展" in err and "Traceback" not in err
    assert err.startswith("错误：")  # the command line speaks Chinese: no "error:"
    assert "error" not in err.lower()
    assert not (tmp_path / "o").exists()  # nothing half-written


def test_extract_command_reads_a_new_submission(tmp_path, capsys):
    src = tmp_path / "new.csv"
    pd.DataFrame(
        {
            "task": ["新建30个社区健身点", "拆除150万平方米违法建筑", "推动重点项目建设"],
            "progress": ["1-9月，已建成社区健身点12个。", "1-6月，已拆除违法建筑80万平方米。", ""],
        }
    ).to_csv(src, index=False)
    assert main(["extract", str(src), "--quarter", "3"]) == 0
    out = capsys.readouterr().out
    df = pd.read_csv(pd.io.common.StringIO(out))
    assert list(df["task_id"]) == ["R1", "R2"]
    assert list(df["actual"]) == [12, 800000]
    assert list(df["period"]) == ["1-9月", "1-6月"]
    assert df.iloc[1]["expected_ratio"] == 0.5  # 1-6月 is judged against 6/12


def test_extract_command_rejects_a_file_without_the_columns(tmp_path, capsys):
    src = tmp_path / "bad.csv"
    src.write_text("名称,说明\n新建3个,已建成1个\n", encoding="utf-8")
    assert main(["extract", str(src)]) == 2
    assert "缺少列 task、progress" in capsys.readouterr().err


def test_extract_knows_the_header_words_import_knows(tmp_path, capsys):
    src = tmp_path / "ok.csv"
    src.write_text("任务,进展\n新建3个公园,已建成1个公园\n", encoding="utf-8")
    assert main(["extract", str(src), "--out", str(tmp_path / "out.csv")]) == 0


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "--help"], capture_output=True, text=True, check=True
    )
    assert "build-data" in result.stdout and "run" in result.stdout


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"a": [1]}), target)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_csv(pd.DataFrame({"a": [2]}), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no temp file left


def test_staged_folder_is_swapped_only_on_success(tmp_path):
    target = tmp_path / "report"
    with staged_dir(target) as stage:
        (stage / "index.html").write_text("good", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_dir(target) as stage:
        (stage / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError("notebook failed")
    assert (target / "index.html").read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_raw_data_is_read_only_and_unchanged():
    raw = paths.RAW_DIR / paths.RAW_SOURCE_2022_Q3
    import hashlib

    assert hashlib.sha256(raw.read_bytes()).hexdigest() == (
        "ecebb748ad2ef3b3fd2f239c81ff5c84590f6b3e4f8b9d733360c5d74cbe5c1e"
    )


def test_environment_yml_installs_what_pyproject_declares():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert conda == ["python=3.11", "pip"]  # conda installs nothing else
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert pip == ["-c constraints.txt", "-e .[dev]"]  # the same set as the venv route


def test_constraints_pin_every_declared_dependency():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = (
        pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    )
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    for req in declared:
        name = re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower().replace("_", "-")
        assert name in pinned, name


def test_makefile_targets_are_documented():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("report", "test", "lab", "kernel", "bench", "data"):
        assert re.search(rf"^{target}:.*## ", text, flags=re.M), target


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci
    assert "make report" in readme


def test_notebook_parameters_are_read_by_papermill():
    import papermill as pm

    params = pm.inspect_notebook(str(paths.NOTEBOOKS_DIR / "00_report.ipynb"))
    assert set(params) == {"year", "quarter", "data_dir", "settings_file", "analysis_file"}
    assert params["quarter"]["inferred_type_name"] == "int"
    assert params["quarter"]["help"]


def test_data_readme_documents_every_column():
    doc = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for csv in Path(paths.DATA_DIR / "2022").rglob("*.csv"):
        for col in pd.read_csv(csv, nrows=0).columns:
            assert f"`{col}`" in doc, f"{csv.name}: {col}"


def test_extract_reads_excel_with_chinese_headers_and_shows_each_span(tmp_path, capsys):
    src = tmp_path / "其他区县.xlsx"
    pd.DataFrame(
        {
            "序号": ["1", "2"],
            "工作任务": ["新建30个社区健身点", "地区生产总值增长6%"],
            "完成情况": ["1-9月，已建成社区健身点12个。", "1-9月，地区生产总值下降3.5%。"],
        }
    ).to_excel(src, index=False)
    assert main(["extract", str(src), "--quarter", "3"]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(df["task_id"]) == [1, 2]
    assert list(df["actual"]) == [12, -3.5]
    assert list(df["target_span"]) == ["30个", "6%"]
    assert list(df["actual_span"]) == ["12个", "3.5%"]


def test_extract_accepts_progress_header_synonyms(tmp_path, capsys):
    src = tmp_path / "new.csv"
    src.write_text("任务内容,任务进展情况\n受益群众1万人以上,受益群众不足1万人\n", encoding="utf-8")
    assert main(["extract", str(src)]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    row = df.iloc[0]
    assert (row["target"], row["actual"]) == (10_000, 10_000)
    assert (row["target_approx"], row["actual_approx"]) == ("以上", "不足")  # flagged, not exact
