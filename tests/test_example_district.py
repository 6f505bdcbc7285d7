"""The second, real district shipped as an example (data/examples/cangnan), end to end:
``workreport init`` → ``workreport import`` (its Word table) → ``workreport run``."""

from __future__ import annotations

import json
import re

import pytest
from docx import Document

from helpers.core import paths
from helpers.core.config import load_settings
from helpers.run.cli import main

EXAMPLE = paths.EXAMPLES_DIR / "cangnan"
SOURCE = EXAMPLE / "source" / "苍南县2022年度市县民生实事未完成项目进度表.docx"


def test_example_ships_its_source_settings_and_readme():
    assert SOURCE.is_file()
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "http://www.cncn.gov.cn/art/2022/12/14/art_1229664772_59047997.html" in readme
    assert "2022-12-14" in readme
    names = load_settings(EXAMPLE / "settings.toml").report
    assert names.place == "苍南县" and names.task_noun == "民生实事项目"


@pytest.mark.notebook
def test_init_import_run_makes_the_example_report(tmp_path, capsys):
    folder = tmp_path / "苍南"
    assert (
        main(["init", str(folder), "--place", "苍南县", "--kind", "民生实事", "--year", "2022"])
        == 0
    )
    code = main(
        [
            "import",
            "--data-dir",
            str(folder),
            "--year",
            "2022",
            "--quarter",
            "3",
            "--column",
            "备注=工作板块",
            str(SOURCE),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "“项目内容”→工作任务（task）" in out and "任务13项" in out
    reports = tmp_path / "reports"
    code = main(
        [
            "run",
            "--data-dir",
            str(folder),
            "--year",
            "2022",
            "--quarter",
            "3",
            "--out",
            str(reports),
            "--no-progress",
        ]
    )
    assert code == 0, capsys.readouterr().err
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "苍南县人民政府督查办" in index
    assert "关于2022年县民生实事项目" in index
    assert "13项民生实事项目中，13个项目督查办尚未认定推进状态" in index
    # The navigation speaks of the office's projects and cites the one annex; no indicators page.
    nav = index[index.index('<nav class="wr-nav"') : index.index("</nav>")]
    assert "2022年第3季度 县民生实事项目推进情况" in nav
    assert ">民生实事项目<" in nav and ">附件1<" in nav
    assert "重点工作任务" not in nav and "附件1-3" not in nav
    assert not (reports / "01_indicators.html").exists() and "01_indicators" not in nav
    for page in reports.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "沙坪坝" not in text and "主城区" not in text, page.name
    summary = json.loads((reports / "data" / "summary.json").read_text(encoding="utf-8"))
    assert summary["tasks"] == 13 and summary["indicators"] == 0
    assert summary["tasks_by_reported_status"] == {"未认定": 13}
    doc = Document(str(reports / "report.docx"))
    assert doc.paragraphs[0].text == "苍南县人民政府督查办"
    # The letter cites only tables with rows: no indicators and nothing judged yet, so the one
    # annex is the 13 unjudged projects (header + 13 rows).
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 14


def test_a_register_without_leaders_or_partners_leaves_those_groupings_out(tmp_path, capsys):
    # The example's Word register names no 责任领导 and no 配合单位 (nor, imported without
    # --column 备注=工作板块, any 工作板块): the report leaves every part by them out, as it
    # does for sections, rather than showing empty columns and a 无数据 chart.
    from helpers.compute.engine import analyse
    from helpers.present import figures, tables

    folder = tmp_path / "苍南"
    main(["init", str(folder), "--place", "苍南县", "--kind", "民生实事", "--year", "2022"])
    assert main(["import", "--data-dir", str(folder), "--year", "2022", "--quarter", "3",
                 str(SOURCE)]) == 0  # fmt: skip
    a = analyse(2022, 3, folder)
    assert [tables.has_grouping(a, c) for c in ("section", "leaders", "partner_units")] == [
        False,
        False,
        False,
    ]
    assert not figures.applies(a, "leaders") and figures.applies(a, "lead_units")
    reports = tmp_path / "reports"
    capsys.readouterr()
    args = ["run", "--data-dir", str(folder), "--year", "2022", "--quarter", "3"]
    assert main([*args, "--out", str(reports), "--no-progress"]) == 0, capsys.readouterr().err
    owners = (reports / "03_owners.html").read_text(encoding="utf-8")
    assert "无数据" not in owners and "各牵头单位任务推进情况" in owners
    assert a.settings.report.leader_label not in owners
    for page in ("04_annexes.html", "report.html"):
        text = (reports / page).read_text(encoding="utf-8")
        headers = re.findall(r"<th[^>]*>([^<]*)</th>", text)
        assert "配合单位" not in headers and a.settings.report.leader_label not in headers, page
        assert "工作板块" not in headers and "（未分板块）" not in text, page
