"""The real notebooks, run through papermill into a temp folder, and the batch that renders them."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from builtin import (
    MISSED_INDICATORS_IN_BODY_ORDER,
    REPORTED_COUNTS,
    TASKS_LAGGING,
    TASKS_NORMAL,
)

from helpers.compute.engine import analyse
from helpers.core import paths
from helpers.run import batch
from helpers.run.batch import run_many

pytestmark = pytest.mark.notebook

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>[点我](javascript:alert(3)){{ 7*7 }}"


def execute(name: str, out_dir: Path, **parameters) -> nbformat.NotebookNode:
    out = out_dir / name
    pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / name),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=300,
        cwd=str(out_dir),
    )
    return nbformat.read(out, as_version=4)


def all_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for key in ("text/html", "text/plain"):
                parts.append(out.get("data", {}).get(key, ""))
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def stderr_text(nb) -> str:
    return "\n".join(
        out.get("text", "")
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("name") == "stderr"
    )


def test_every_notebook_has_one_parameters_cell_and_no_definitions():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "def " not in code and "class " not in code, path.name


def test_committed_notebooks_carry_no_outputs_but_the_checked_cell():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and not cell.metadata.get("keep_output"):
                assert cell.outputs == [], (path.name, cell.source[:40])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_defaults_and_draws_chinese(path, tmp_path):
    nb = execute(path.name, tmp_path)
    assert nb.metadata.papermill.parameters == {}  # defaults, as an analyst opens it
    errors = stderr_text(nb)
    assert "missing from font" not in errors and "Glyph" not in errors
    assert "findfont" not in errors  # no warning text ever reaches a page
    assert "重点任务推进情况（1-9月）" in all_text(nb)


def test_report_notebook_states_the_counts(tmp_path):
    text = all_text(execute("00_report.ipynb", tmp_path))
    assert "①1项指标符合预期" in text
    assert "②7项指标不达预期" in text
    assert "③2项指标符合时间节点要求" in text
    assert f"{TASKS_NORMAL}项任务正常推进" in text and f"{TASKS_LAGGING}项任务推进较为滞后" in text


def test_parameters_are_recorded_and_used(tmp_path, data_copy):
    # A figure changed only in the copy must reach the page: the notebook read data_dir.
    path = data_copy / "2022" / "Q3" / "indicator_progress.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("7.59") == 2  # the figure in the unit's words and in the value column
    path.write_text(text.replace("7.59", "8.88"), encoding="utf-8")
    nb = execute("01_indicators.ipynb", tmp_path, year=2022, quarter=3, data_dir=str(data_copy))
    assert nb.metadata.papermill.parameters["data_dir"] == str(data_copy)
    page = all_text(nb)
    assert "8.88%" in page and "7.59%" not in page


def test_parameter_of_the_wrong_type_fails_with_a_clear_message(tmp_path):
    with pytest.raises(
        pm.PapermillExecutionError, match="quarter 须是 1-4 之间的整数，实为“three”"
    ):
        execute("00_report.ipynb", tmp_path, quarter="three")


def test_change_notebook_says_no_earlier_quarter(tmp_path):
    text = all_text(execute("05_change.ipynb", tmp_path))
    assert "2022年无更早季度的数据（本年度仅有第3季度数据），本期无法比较变化" in text


def test_unit_text_is_escaped_in_every_page(tmp_path, data_copy):
    progress = data_copy / "2022" / "Q3" / "progress.csv"
    import pandas as pd

    df = pd.read_csv(progress, dtype=str, keep_default_na=False)
    df.loc[df["task_id"] == "T001", "progress"] = EVIL + "仍未启动"
    df.loc[df["task_id"] == "T050", "progress"] = EVIL
    df.to_csv(progress, index=False)
    out = tmp_path / "report"
    assert (
        run_many(
            [2022],
            [3],
            data_copy,
            out,
            jobs=2,
            timeout=300,
            settings_file="",
            notebooks_dir=paths.NOTEBOOKS_DIR,
            progress=False,
        )
        == 0
    )
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page.name
        assert "<img src=x" not in html, page.name
        assert 'href="javascript:' not in html, page.name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "04_annexes.html").read_text(
        encoding="utf-8"
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "2022-Q3"
    status = run_many(
        [2022],
        [3],
        paths.DATA_DIR,
        out,
        jobs=2,
        timeout=300,
        settings_file="",
        notebooks_dir=paths.NOTEBOOKS_DIR,
        progress=False,
    )
    assert status == 0
    return out


def test_batch_writes_the_shareable_report(report):
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "①1项指标符合预期" in index and "9项任务推进较为滞后" in index
    for name in MISSED_INDICATORS_IN_BODY_ORDER:
        assert name in index
    for unit in [
        "区商务委",
        "国际物流枢纽公司",
        "区城管局（区整违办）",
        "中梁镇",
        "区体育局",
        "区经济信息委",
        "区公安分局",
    ]:
        assert f"（责任单位：{unit}" in index
    for nb in NOTEBOOKS:
        assert (report / f"{nb.stem}.html").is_file()
        assert f'href="{nb.stem}.html"' in index
    assert (report / "report.docx").is_file()


def test_html_loads_nothing_from_the_internet(report):
    for page in report.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<script src="http' not in html, page.name
        assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "unpkg.com" not in html
        assert "Noto Sans CJK SC" in html  # names CJK fonts for the reader's system


def test_html_has_no_code_and_embeds_its_figures(report):
    html = (report / "02_key_tasks.html").read_text(encoding="utf-8")
    assert "nb.show_figure" not in html and "analysis = nb.setup" not in html
    assert html.count('src="data:image/png;base64,') >= 2


def test_batch_writes_tables_with_a_bom_and_the_summary(report):
    raw = (report / "data" / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    summary = json.loads((report / "data" / "summary.json").read_text(encoding="utf-8"))
    assert summary["indicators_by_status"] == {"不达预期": 7, "符合时间节点要求": 2, "符合预期": 1}
    assert summary["tasks_by_reported_status"] == REPORTED_COUNTS
    assert set(summary["provenance"]["files"]) >= {"tasks", "progress", "curation"}
    assert len(summary["provenance"]["files"]["tasks"]["sha256"]) == 64


def test_failed_notebook_fails_the_run_and_keeps_the_last_good_report(report, tmp_path, capsys):
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nb_dir)
    bad = nbformat.read(nb_dir / "01_indicators.ipynb", as_version=4)
    bad.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('故意失败')"))
    nbformat.write(bad, nb_dir / "01_indicators.ipynb")
    before = (report / "index.html").read_bytes()
    status = run_many(
        [2022],
        [3],
        paths.DATA_DIR,
        report,
        jobs=2,
        timeout=300,
        settings_file="",
        notebooks_dir=nb_dir,
        progress=False,
    )
    assert status == 1
    err = capsys.readouterr().err
    assert "失败：2022年第3季度 01_indicators.ipynb" in err and "RuntimeError：故意失败" in err
    assert (report / "index.html").read_bytes() == before  # the last good report is untouched
    kept = list((report.parent / "_failed").glob("2022-Q3-*/01_indicators.ipynb"))
    assert kept, "the failed executed notebook is kept for inspection"
    assert not list(report.parent.glob(".2022-Q3.staging.*"))  # nothing half-written left
    # Kernels started ahead for notebooks that never ran ended with the run's workers.
    assert not _kernels_in(nb_dir)


def _kernels_in(folder, wait: float = 20.0) -> list:
    """Kernel processes still running in ``folder`` after ``wait`` seconds."""
    import psutil

    deadline = time.monotonic() + wait
    while True:
        found = []
        for proc in psutil.process_iter(["cmdline", "cwd", "status"]):
            cmd = " ".join(proc.info["cmdline"] or [])
            here = "ipykernel" in cmd and proc.info["cwd"] == str(folder)
            if here and proc.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(proc.pid)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_single_file_report_stands_alone(report):
    single = (report / "report.html").read_text(encoding="utf-8")
    index = (report / "index.html").read_text(encoding="utf-8")
    assert 'href="report.html"' in index
    assert "①1项指标符合预期" in single and "9项任务推进较为滞后" in single  # the letter
    assert single.count('src="data:image/png;base64,') >= 5  # every part's charts
    for annex in ("附件1", "附件2", "附件3"):
        assert annex in single
    assert 'class="wr-table wr-sortable"' in single  # the annex still searchable and sortable
    assert 'href="index.html"' not in single and 'src="http' not in single  # nothing beside it
    assert 'class="wr-report wr-memo"' not in single  # the internal memo is not forwarded
    assert single.count("生成信息") == 1
    assert "同目录其它页面" not in single and "同目录其它页面" in index  # a cell tagged pages-only


def test_single_file_report_is_nbconverts_page_of_all_parts_in_one_notebook(report):
    # report.html is joined from parts rendered as each notebook finished; it must be the very
    # page nbconvert makes of one notebook holding the contents, every part and one footer.
    executed = [nbformat.read(report / "notebooks" / nb.name, as_version=4) for nb in NOTEBOOKS]
    merged = nbformat.v4.new_notebook(metadata=executed[0].metadata)
    merged.metadata["wr_single_file"] = True
    analysis = analyse(2022, 3)
    about, titles = batch.subject(analysis), batch.page_titles(analysis)
    merged.cells.append(batch.single_file_contents([nb.stem for nb in NOTEBOOKS], about, titles))
    footers = []
    for number, nb in enumerate(executed, 1):
        cells, footer = batch.single_file_part(number, nb)
        merged.cells.extend(cells)
        footers += [footer] if footer is not None else []
    merged.cells.append(footers[-1])
    one_pass = batch._html(merged, batch.single_file_title(about))
    assert (report / "report.html").read_text(encoding="utf-8") == one_pass
    assert len(footers) == len(NOTEBOOKS)  # every part has a footer; the page shows the last


def test_pages_are_lean(report):
    sizes = {p.name: p.stat().st_size for p in report.glob("*.html")}
    for name, size in sizes.items():
        if name not in ("04_annexes.html", "report.html"):
            assert size <= 300 * 1024, (name, size)
    assert sum(sizes.values()) <= 2 * 1024 * 1024, sizes


def test_the_charts_the_run_handed_over_are_the_charts_drawn_afresh(report, analysis):
    # The run draws each chart once, in its own process, and the notebook shows it: each
    # chart on the pages is byte for byte the one drawn from a fresh analysis here.
    import base64
    import re

    from helpers.present import figures

    for path in NOTEBOOKS:
        names = figures.notebook_charts(path)
        page = (report / f"{path.stem}.html").read_text(encoding="utf-8")
        shown = re.findall(
            r'<img alt="([^"]*)" class="wr-figure" src="data:image/png;base64,([^"]+)"', page
        )
        assert len(shown) == len(names), path.stem
        for name, (alt, data) in zip(names, shown, strict=True):
            png, drawn_alt = figures.draw(analysis, name)
            assert base64.b64decode(data) == png and alt == drawn_alt, (path.stem, name)
