"""What a real register may lack is optional, and empty groups still give a whole report.

Each case builds a small data folder, runs the engine, the narrative, the Word report and every
committed notebook's code in this process (no kernel), so whatever a notebook shows must cope.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from helpers.compute.engine import analyse
from helpers.core import paths
from helpers.core.vocab import TaskStatus
from helpers.present.docx_report import build_docx, column_widths
from helpers.present.narrative import build_body, build_memo
from helpers.run.init_office import init_office, report_names

matplotlib.use("Agg")


def _write(folder: Path, tasks: dict, progress: dict, indicators=None, ind_progress=None):
    (folder / "2023" / "Q3").mkdir(parents=True, exist_ok=True)
    pd.DataFrame(tasks).to_csv(folder / "2023" / "tasks.csv", index=False)
    pd.DataFrame(progress).to_csv(folder / "2023" / "Q3" / "progress.csv", index=False)
    if indicators is not None:
        pd.DataFrame(indicators).to_csv(folder / "2023" / "indicators.csv", index=False)
        pd.DataFrame(ind_progress).to_csv(
            folder / "2023" / "Q3" / "indicator_progress.csv", index=False
        )
    return folder


FULL_TASKS = {
    "task_id": ["T1", "T2", "T3"],
    "section": ["城市建设", "城市建设", "民生"],  # 民生: a section with one task
    "task": ["拆除违法建筑150万平方米", "建成公园10个", "办好民生实事"],
    "leaders": ["张三", "张三", "李四"],
    "lead_units": ["县城管局", "县住建局", "县民政局"],
    "partner_units": ["各镇街", "", ""],
}
FULL_PROGRESS = {
    "task_id": ["T1", "T2", "T3"],
    "reported_status": ["推进较为滞后", "正常推进", "正常推进"],
    "progress": ["1-9月完成拆除30万平方米。", "已建成公园8个。", "有序推进。"],
}
INDICATORS = {
    "indicator_id": ["I01"],
    "target_text": ["地区生产总值增长6%左右"],
    "leaders": ["张三"],
    "lead_units": ["县发展改革局"],
}
IND_PROGRESS = {
    "indicator_id": ["I01"],
    "progress": ["1-9月，地区生产总值增长5.1%。"],
    "period": ["1-9月"],
    "value": ["5.1"],
    "value_unit": ["%"],
    "rank": [""],
    "notes": [""],
}


def _run_notebooks(data_dir: Path, year: int = 2023, quarter: int = 3) -> None:
    """Execute every committed notebook's code cells here, with the parameters replaced."""
    import matplotlib.pyplot as plt

    for nb_path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        namespace: dict = {}
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                source = (
                    f"year={year}\nquarter={quarter}\ndata_dir={str(data_dir)!r}\nsettings_file=''"
                    "\nanalysis_file=''"
                )
            exec(compile(source, str(nb_path), "exec"), namespace)
        plt.close("all")


def _whole_report(data_dir: Path):
    a = analyse(2023, 3, data_dir)
    body = build_body(a)
    doc = build_docx(a, body)
    _run_notebooks(data_dir)
    return a, body, doc


@pytest.mark.parametrize(
    ("kind", "column", "word"),
    [
        ("tasks", "section", "工作板块"),
        ("tasks", "leaders", "责任领导"),
        ("tasks", "lead_units", "责任单位"),
        ("tasks", "partner_units", "配合单位"),
        ("progress", "reported_status", "督查办认定状态"),
    ],
)
def test_each_optional_column_may_be_absent(tmp_path, kind, column, word):
    tasks, progress = dict(FULL_TASKS), dict(FULL_PROGRESS)
    (tasks if kind == "tasks" else progress).pop(column)
    data = _write(tmp_path / "d", tasks, progress, INDICATORS, IND_PROGRESS)
    a, body, _ = _whole_report(data)
    assert a.data.missing == {kind: [column]}
    found = a.checks[a.checks["check"] == "台账缺项"]
    assert len(found) == 1 and word in found.iloc[0]["finding"]
    # What the register lacks is the office's business: the internal memo says it, not the letter.
    assert f"未提供{word}" in build_memo(a).text() and "未提供" not in body.text()
    if column == "section":
        assert set(a.tasks["section"]) == {""}  # not grouped by section: see below
    if column == "reported_status":
        assert set(a.tasks["reported_status"]) == {TaskStatus.UNJUDGED}
        assert a.disagreements.empty  # nothing judged, nothing to disagree with
        # 附件1 indicators, 附件2 the unjudged tasks; no empty 正常推进 annex when none is judged.
        assert "3项任务督查办尚未认定推进状态（详见附件2）" in body.text()
        assert list(body.annexes) == ["indicators", "unjudged"]


def test_indicators_may_be_absent(tmp_path):
    data = _write(tmp_path / "d", FULL_TASKS, FULL_PROGRESS)
    a, body, doc = _whole_report(data)
    assert a.indicators.empty
    # No indicators: no section on them and no annex for them; the tasks come first.
    assert "经济社会发展预期目标" not in body.text()
    assert "一、3项重点工作任务进展情况" in body.text()
    assert list(body.annexes) == ["lagging", "normal"] and len(doc.tables) == 2


def test_an_empty_status_in_progress_is_unjudged_and_a_missing_row_is_not_reported(tmp_path):
    progress = {
        "task_id": ["T1", "T2"],
        "reported_status": ["", "正常推进"],
        "progress": ["a", "b"],
    }
    data = _write(tmp_path / "d", FULL_TASKS, progress, INDICATORS, IND_PROGRESS)
    a = analyse(2023, 3, data)
    assert list(a.tasks["reported_status"]) == ["未认定", "正常推进", "未报送"]


def test_no_lagging_task(tmp_path):
    progress = dict(FULL_PROGRESS, reported_status=["正常推进"] * 3)
    data = _write(tmp_path / "d", FULL_TASKS, progress, INDICATORS, IND_PROGRESS)
    _a, body, doc = _whole_report(data)
    # No task filed as lagging: the letter says so once and cites no empty lagging annex.
    assert "3项任务正常推进（详见附件2）" in body.text() and "推进较为滞后的" not in body.text()
    assert list(body.annexes) == ["indicators", "normal"] and len(doc.tables) == 2


def test_one_task_no_subtarget_no_indicator_no_optional_column(tmp_path):
    data = _write(
        tmp_path / "d",
        {"task_id": ["T1"], "task": ["优化营商环境"]},
        {"task_id": ["T1"], "progress": ["有序推进。"]},
    )
    a, body, doc = _whole_report(data)
    assert len(a.tasks) == 1 and a.subtargets.empty
    assert "1项重点工作任务中，1项任务督查办尚未认定推进状态（详见附件1）" in body.text()
    assert list(body.annexes) == ["unjudged"] and len(doc.tables) == 1


def test_column_widths_of_no_columns():
    assert column_widths([], 25.0) == []


def test_names_come_from_the_data_folder_settings(tmp_path):
    data = _write(tmp_path / "d", FULL_TASKS, FULL_PROGRESS)
    init_office(data, "某某县", "重点项目", year=2023)
    a = analyse(2023, 3, data)
    text = build_body(a).text()
    assert text.startswith("某某县人民政府督查办\n关于2023年县重点项目\n")
    assert "县政府：" in text and "3项重点项目中" in text
    assert "沙坪坝" not in text and "区政府" not in text


def test_init_refuses_to_overwrite_and_needs_a_level(tmp_path):
    init_office(tmp_path / "x", "某某区")
    with pytest.raises(Exception, match="设置文件已存在"):
        init_office(tmp_path / "x", "某某区")
    with pytest.raises(Exception, match="请加 --level"):
        report_names("某某新区管委会")
    assert report_names("某某市", level="市").rank_label == "全省排名"


def test_the_built_in_district_keeps_its_names(analysis):
    text = build_body(analysis).text()
    assert text.startswith("重庆市沙坪坝区人民政府督查办\n关于2022年区政府工作报告重点任务\n")


def test_unjudged_tasks_annex_in_word(tmp_path):
    progress = {k: v for k, v in FULL_PROGRESS.items() if k != "reported_status"}
    data = _write(tmp_path / "d", FULL_TASKS, progress)
    a = analyse(2023, 3, data)
    doc = build_docx(a)
    # The status column is gone, so all 3 tasks are unjudged: the Word file has their one annex.
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 4  # header + 3 tasks


def _shown(data_dir: Path, monkeypatch) -> str:
    """Everything the notebooks show (the HTML of each displayed output), run in this process."""
    from helpers.present import notebook as nb

    shown: list[str] = []
    monkeypatch.setattr(nb, "display", lambda obj: shown.append(getattr(obj, "data", str(obj))))
    _run_notebooks(data_dir)
    return "\n".join(shown)


def _docx_text(doc) -> str:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("how", ["no column", "empty column"])
def test_a_register_without_sections_is_not_grouped_by_section(tmp_path, monkeypatch, how):
    from helpers.present import figures, tables

    tasks = dict(FULL_TASKS)
    if how == "no column":
        tasks.pop("section")
    else:
        tasks["section"] = ["", "", ""]
    data = _write(tmp_path / "d", tasks, FULL_PROGRESS, INDICATORS, IND_PROGRESS)
    a, body, doc = _whole_report(data)
    assert not tables.has_sections(a)
    pages = _shown(data, monkeypatch)
    # No placeholder, no by-section part anywhere: letter, memo, pages, Word file, annexes.
    for text in (body.text(), build_memo(a).text(), pages, _docx_text(doc)):
        assert "未分板块" not in text and "（按工作板块）" not in text and "各工作板块" not in text
    if how == "no column":
        assert "tasks.csv 没有“工作板块”列（section）：报告中该项从略（不按工作板块分组）" in pages
    assert "工作板块" not in _docx_text(doc)
    for key in body.annexes:
        assert "工作板块" not in tables.annex_table(a, key).columns
    assert "工作板块" not in tables.subtarget_table(a).columns
    assert "工作板块" not in tables.disagreement_table(a).columns
    # The other parts are still there: the sub-target chart and table, the annexes.
    assert "量化子目标完成率与序时进度" in pages and "全部量化子目标" in pages
    # The batch draws no chart by section; one shown by hand is a line saying why.
    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    drawn = figures.run_charts(notebooks, a)
    assert "tasks_by_section" not in drawn and "subtargets_by_section" not in drawn
    assert "subtargets" in drawn and "lead_units" in drawn
    from helpers.present import notebook as nb

    shown = []
    monkeypatch.setattr(nb, "display", lambda obj: shown.append(obj.data))
    nb.show_chart(a, "tasks_by_section")
    assert shown == ['<p class="wr-note">台账未分工作板块，不按工作板块作图。</p>']


def test_tasks_without_a_section_among_others_are_under_the_placeholder(tmp_path, monkeypatch):
    from helpers.present import figures, tables

    tasks = dict(FULL_TASKS, section=["城市建设", "", "民生"])
    data = _write(tmp_path / "d", tasks, FULL_PROGRESS, INDICATORS, IND_PROGRESS)
    a, _body, doc = _whole_report(data)
    assert tables.has_sections(a)
    assert list(a.tasks["section"]) == ["城市建设", "（未分板块）", "民生"]
    pages = _shown(data, monkeypatch)
    assert "任务推进状态（按工作板块）" in pages and "（未分板块）" in pages
    drawn = figures.run_charts(sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), a)
    assert "tasks_by_section" in drawn and "subtargets_by_section" in drawn
    assert "（未分板块）" in _docx_text(doc)
