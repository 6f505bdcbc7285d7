"""`workreport import`: registers from Word tables and Excel sheets, as offices keep them."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document
from openpyxl import Workbook

from helpers.compute.engine import analyse
from helpers.core.errors import DataError
from helpers.read.importers import import_files, map_header
from helpers.run.cli import main

HEADER = ["序号", "工作板块", "工作任务", "责任区领导", "责任单位", "配合单位", "任务进展情况"]


def _docx(path, tables):
    """A .docx with, per table, its title paragraphs and rows; ``merge`` lists cell ranges."""
    doc = Document()
    for titles, rows, merges in tables:
        for t in titles:
            doc.add_paragraph(t)
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text is not None:
                    table.cell(r, c).text = text
        for (r1, c1), (r2, c2) in merges:
            text = table.cell(r1, c1).text
            merged = table.cell(r1, c1).merge(table.cell(r2, c2))
            for p in merged.paragraphs[1:]:
                p._element.getparent().remove(p._element)
            merged.paragraphs[0].text = text
    doc.save(str(path))
    return path


@pytest.fixture
def register_docx(tmp_path):
    """附件2 (lagging) and 附件3 (normal) as two Word tables, as the source document has them.

    附件2: a section merged down two rows, a header repeated mid-table (a new page), a blank
    row, a note row merged across. 附件3: a section row merged across the table.
    """
    lagging = [
        HEADER,
        [
            "1",
            "城市建设",
            "拆除违法建筑150万平方米",
            "钟文",
            "区城管局",
            "各镇街",
            "完成30万平方米。",
        ],
        ["2", None, "建成口袋公园10个", "钟文\n户邑", "区住房城乡建委", "", "仍未启动。"],
        HEADER,  # repeated on the next page
        ["", "", "", "", "", "", ""],
        ["3", "产业发展", "引进项目20个", "户邑", "区商务委", "区招商中心", "进度滞后，引进5个。"],
        ["注：进展截至9月底。"] * 7,
    ]
    normal = [
        HEADER,
        ["民生保障"] * 7,  # a section row merged across the table
        ["1", "", "新增学位3000个", "黄可欣", "区教委", "", "新增学位2600个。"],
        ["2", "", "改造老旧小区20个", "黄可欣", "区住房城乡建委", "各街道", "已完成改造15个。"],
    ]
    return _docx(
        tmp_path / "台账.docx",
        [
            (
                ["附件2", "推进较为滞后的3项重点工作任务1-9月进展情况表"],
                lagging,
                [((1, 1), (2, 1))],
            ),
            (
                ["附件3", "正常推进的2项重点工作任务1-9月进展情况表"],
                normal,
                [((1, 0), (1, 6))],
            ),
        ],
    )


def test_docx_register_with_merged_cells_repeated_headers_and_annex_status(
    register_docx, tmp_path, capsys
):
    data = tmp_path / "data"
    result = import_files([register_docx], data, 2023, 3)
    tasks = pd.read_csv(data / "2023" / "tasks.csv", dtype=str, keep_default_na=False)
    progress = pd.read_csv(data / "2023" / "Q3" / "progress.csv", dtype=str, keep_default_na=False)
    assert list(tasks["task"]) == [
        "拆除违法建筑150万平方米",
        "建成口袋公园10个",
        "引进项目20个",
        "新增学位3000个",
        "改造老旧小区20个",
    ]
    # the section merged down fills row 2; the row across 附件3 is the section of what follows
    assert list(tasks["section"]) == ["城市建设", "城市建设", "产业发展", "民生保障", "民生保障"]
    assert tasks.loc[1, "leaders"] == "钟文;户邑"
    assert list(progress["reported_status"]) == ["推进较为滞后"] * 3 + ["正常推进"] * 2
    assert list(tasks["source_table"]) == ["表1"] * 3 + ["表2"] * 2
    assert list(tasks["source_row"]) == ["2", "3", "6", "3", "4"]
    text = str(result)
    assert "“工作任务”→工作任务（task）" in text and "表格“表1”" in text
    assert "督查办认定状态取自表格标题：推进较为滞后" in text
    a = analyse(2023, 3, data)
    assert len(a.tasks) == 5


def test_unmapped_docx_header_is_refused_naming_file_table_and_header(tmp_path):
    path = _docx(
        tmp_path / "r.docx",
        [([], [["序号", "工作任务", "责任单位", "牵头科室"], ["1", "任务", "区教委", "x"]], [])],
    )
    with pytest.raises(DataError) as err:
        import_files([path], tmp_path / "d", 2023, 3)
    message = str(err.value)
    assert "r.docx" in message and "表格“表1”" in message and "第1行" in message
    assert "表头“牵头科室”无法对应" in message
    assert not (tmp_path / "d" / "2023" / "tasks.csv").exists()  # nothing written


def _xlsx(path, rows, merges=(), title="台账"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


@pytest.fixture
def register_xlsx(tmp_path):
    """An Excel 台账: title row merged across, synonyms, a section merged down, a repeated
    header, blank rows, a note row, a status column."""
    header = ["序号", "类别", "任务内容", "牵头领导", "牵头单位", "责任单位", "推进情况", "状态"]
    rows = [
        ["2023年重点工作任务推进情况台账"] + [None] * 7,
        header,
        [
            1,
            "交通",
            "新建道路12公里",
            "王某",
            "县交通局",
            "县自然资源局",
            "完成8公里。",
            "正常推进",
        ],
        [2, None, "改造桥梁3座", "王某", "县交通局", None, "已开工2座。", "正常"],
        [None] * 8,
        header,
        [3, "教育", "新建学校2所", "李某", "县教育局", None, "项目暂缓。", "滞后"],
        [None] * 8,
        ["注：状态由督查办填写。"] + [None] * 7,
    ]
    return _xlsx(tmp_path / "台账.xlsx", rows, merges=["A1:H1", "B3:B4", "A9:H9"])


def test_xlsx_register_with_synonyms_merged_cells_blank_and_note_rows(register_xlsx, tmp_path):
    data = tmp_path / "data"
    result = import_files([register_xlsx], data, 2023, 2)
    tasks = pd.read_csv(data / "2023" / "tasks.csv", dtype=str, keep_default_na=False)
    progress = pd.read_csv(data / "2023" / "Q2" / "progress.csv", dtype=str, keep_default_na=False)
    assert list(tasks["task"]) == ["新建道路12公里", "改造桥梁3座", "新建学校2所"]
    assert list(tasks["section"]) == ["交通", "交通", "教育"]
    # 牵头单位 beside 责任单位: the first leads, the second is the partner
    assert list(tasks["lead_units"]) == ["县交通局", "县交通局", "县教育局"]
    assert tasks.loc[0, "partner_units"] == "县自然资源局"
    assert list(progress["reported_status"]) == ["正常推进", "正常推进", "推进较为滞后"]
    assert list(tasks["source_row"]) == ["3", "4", "7"]  # the rows Excel shows
    assert "工作表“台账”：表头在第2行" in str(result)
    assert "工作表“Sheet”" not in str(result)  # one sheet only
    assert "“责任单位”→配合单位（partner_units）" in str(result)
    analyse(2023, 2, data)


def test_xlsx_status_outside_the_vocabulary_names_sheet_row_and_column(tmp_path):
    path = _xlsx(
        tmp_path / "t.xlsx",
        [["序号", "工作任务", "责任单位", "状态"], [1, "任务甲", "县教育局", "基本完成"]],
        title="附件2",
    )
    with pytest.raises(DataError) as err:
        import_files([path], tmp_path / "d", 2023, 3)
    message = str(err.value)
    assert "t.xlsx，工作表“附件2”，第2行，列“状态”" in message
    assert "状态“基本完成”不是可用的用语" in message


def test_a_table_without_a_register_header_is_listed_as_not_read(register_docx, tmp_path):
    doc = Document(str(register_docx))
    doc.add_paragraph("联系人")
    layout = doc.add_table(rows=1, cols=2)
    layout.cell(0, 0).text, layout.cell(0, 1).text = "联系人", "张三"
    doc.save(str(tmp_path / "r2.docx"))
    result = import_files([tmp_path / "r2.docx"], tmp_path / "d", 2023, 3)
    assert "表格“表3”：没有“工作任务”或“预期目标”表头，未读取" in str(result)
    assert len(result.tasks) == 5


def test_a_file_without_any_register_table_is_refused(tmp_path):
    path = _xlsx(tmp_path / "x.xlsx", [["姓名", "电话"], ["张三", "123"]])
    with pytest.raises(DataError, match="没有找到任务台账表"):
        import_files([path], tmp_path / "d", 2023, 3)


def test_other_file_kinds_are_refused(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(DataError, match=r"a\.pdf.*不能导入“\.pdf”文件"):
        import_files([tmp_path / "a.pdf"], tmp_path / "d", 2023, 3)


def test_a_later_quarter_keeps_the_register_and_its_ids(register_xlsx, tmp_path):
    data = tmp_path / "data"
    import_files([register_xlsx], data, 2023, 2)
    before = (data / "2023" / "tasks.csv").read_bytes()
    result = import_files([register_xlsx], data, 2023, 3)
    assert (data / "2023" / "tasks.csv").read_bytes() == before
    assert [p.name for p in result.written] == ["progress.csv"]
    with pytest.raises(DataError, match="进展已存在；若要替换，请加 --replace"):
        import_files([register_xlsx], data, 2023, 3)


def test_a_different_register_is_not_overwritten_without_replace(
    register_xlsx, register_docx, tmp_path
):
    data = tmp_path / "data"
    import_files([register_xlsx], data, 2023, 3)
    with pytest.raises(DataError, match="任务台账已存在，且与导入的任务不同"):
        import_files([register_docx], data, 2023, 3)
    import_files([register_docx], data, 2023, 3, replace=True)
    assert len(pd.read_csv(data / "2023" / "tasks.csv")) == 5


def test_register_without_optional_columns_writes_only_what_it_has(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["序号", "项目内容", "当前进度"], [1, "建设公园1个", "80%"]])
    data = tmp_path / "d"
    import_files([path], data, 2023, 3)
    assert list(pd.read_csv(data / "2023" / "tasks.csv").columns[:2]) == ["task_id", "task"]
    a = analyse(2023, 3, data)
    assert a.tasks.loc[0, "reported_status"] == "未认定"


def test_cli_import_prints_the_mapping_and_a_header_override(register_xlsx, tmp_path, capsys):
    data = tmp_path / "data"
    code = main(
        [
            "import",
            "--data-dir",
            str(data),
            "--year",
            "2023",
            "--quarter",
            "3",
            "--column",
            "类别=工作板块",
            str(register_xlsx),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "列映射" in out and "“类别”→工作板块（section）" in out and "下一步：workreport run" in out
    )
    code = main(["import", "--data-dir", str(data), "--column", "类别", str(register_xlsx)])
    assert code == 2
    assert "应写作 表头=列" in capsys.readouterr().err


def test_header_words():
    assert map_header("项目内容") == "task"
    assert map_header("2023年度工作任务") == "task"
    assert map_header("责任单位（牵头）") == "lead_units"
    assert map_header("") is None


def test_docx_indicator_table_gives_indicators_and_their_figures(tmp_path):
    indicators = [
        ["序号", "2023年预期目标", "责任县领导", "责任单位", "进展情况"],
        ["1", "地区生产总值增长6%左右", "张三", "县发展改革局", "1-9月，地区生产总值增长5.2%。"],
        ["2", "城镇新增就业3000人", "李四", "县人力社保局", "1-9月，城镇新增就业2500人。"],
    ]
    tasks = [HEADER, ["1", "城市建设", "建成公园10个", "张三", "县住建局", "", "已建成8个。"]]
    path = _docx(tmp_path / "r.docx", [(["附件1"], indicators, []), (["附件3"], tasks, [])])
    data = tmp_path / "d"
    result = import_files([path], data, 2023, 3)
    ind = pd.read_csv(data / "2023" / "indicators.csv", dtype=str, keep_default_na=False)
    figures = pd.read_csv(data / "2023" / "Q3" / "indicator_progress.csv", dtype=str)
    assert list(ind["target_text"]) == ["地区生产总值增长6%左右", "城镇新增就业3000人"]
    assert list(ind["leaders"]) == ["张三", "李四"]
    assert list(figures["period"]) == ["1-9月", "1-9月"]
    assert figures.loc[0, "value"] == "5.2"
    assert "预期目标2项" in str(result)
    a = analyse(2023, 3, data)
    assert len(a.indicators) == 2 and len(a.tasks) == 1


def test_a_two_row_header_takes_the_lower_names(tmp_path):
    rows = [
        ["序号", "工作任务", "责任单位", "责任单位", "进展情况"],
        ["", "", "牵头单位", "配合单位", ""],
        [1, "任务甲", "县教育局", "县财政局", "推进中。"],
    ]
    path = _xlsx(tmp_path / "t.xlsx", rows, merges=["C1:D1"])
    data = tmp_path / "d"
    result = import_files([path], data, 2023, 3)
    tasks = pd.read_csv(data / "2023" / "tasks.csv", dtype=str, keep_default_na=False)
    assert tasks.loc[0, "lead_units"] == "县教育局" and tasks.loc[0, "partner_units"] == "县财政局"
    assert "表头在第1、2行" in str(result)


def test_cli_import_of_the_flattened_text_builds_as_before(tmp_path, capsys):
    from helpers.core import paths

    raw = paths.RAW_DIR / paths.RAW_SOURCE_2022_Q3
    assert main(["import", "--data-dir", str(tmp_path), str(raw)]) == 0
    assert (tmp_path / "2022" / "tasks.csv").read_bytes() == (
        paths.DATA_DIR / "2022" / "tasks.csv"
    ).read_bytes()


def test_a_table_continued_on_the_next_page_keeps_its_annex_status_and_section(tmp_path):
    first = [HEADER, ["1", "城市建设", "任务甲", "张三", "县住建局", "", "仍未启动。"]]
    second = [HEADER, ["2", "", "任务乙", "张三", "县住建局", "", "暂缓。"]]
    path = _docx(
        tmp_path / "r.docx",
        [(["附件2", "推进较为滞后的2项重点工作任务"], first, []), ([], second, [])],
    )
    data = tmp_path / "d"
    result = import_files([path], data, 2023, 3)
    tasks = pd.read_csv(data / "2023" / "tasks.csv", dtype=str, keep_default_na=False)
    progress = pd.read_csv(data / "2023" / "Q3" / "progress.csv", dtype=str)
    assert list(progress["reported_status"]) == ["推进较为滞后"] * 2
    assert list(tasks["section"]) == ["城市建设"] * 2
    assert "上一表格的续表" in str(result)


def test_a_progress_cell_excel_took_for_a_formula_keeps_the_units_words(tmp_path):
    # A unit typed "=1-9月改造12个": Excel stores a formula with no value. The words are kept
    # (neutralised when written), never dropped so that the unit looks as if it sent nothing.
    path = _xlsx(
        tmp_path / "t.xlsx",
        [["序号", "工作任务", "进展情况"], [1, "改造老旧小区20个", "=1-9月改造12个"]],
    )
    data = tmp_path / "d"
    import_files([path], data, 2023, 3)
    a = analyse(2023, 3, data)
    assert a.tasks.loc[0, "progress"] == "=1-9月改造12个"
    assert a.tasks.loc[0, "computed_status"] != "未报送"
    assert "'=1-9月改造12个" in (data / "2023" / "Q3" / "progress.csv").read_text(
        encoding="utf-8-sig"
    )


def test_an_unmapped_header_names_the_file_once_and_the_option_that_maps_it(tmp_path):
    path = _xlsx(
        tmp_path / "青溪台账.xlsx",
        [["序号", "项目名称", "责任单位", "资金来源"], [1, "新建幼儿园3所", "县教育局", "县财政"]],
        title="民生实事",
    )
    with pytest.raises(DataError) as err:
        import_files([path], tmp_path / "d", 2023, 3)
    message = str(err.value)
    assert message.count("青溪台账.xlsx") == 1
    assert "青溪台账.xlsx，工作表“民生实事”，第1行，列“资金来源”：表头“资金来源”无法对应" in message
    assert "--column 资金来源=不使用" in message and "README“新的督查办" in message
    assert ".py" not in message and "HEADER_WORDS" not in message
    # The option the message names does what it says.
    result = import_files([path], tmp_path / "d", 2023, 3, columns={"资金来源": "不使用"})
    assert len(result.tasks) == 1


def test_a_word_table_problem_names_the_file_once(tmp_path):
    path = _docx(
        tmp_path / "r.docx",
        [([], [["序号", "工作任务", "责任单位", "牵头科室"], ["1", "任务", "区教委", "x"]], [])],
    )
    with pytest.raises(DataError) as err:
        import_files([path], tmp_path / "d", 2023, 3)
    assert str(err.value).count("r.docx") == 1
    assert "r.docx，表格“表1”，第1行，列“牵头科室”：" in str(err.value)


def test_a_file_without_a_register_or_not_a_docx_is_named_once(tmp_path):
    path = _xlsx(tmp_path / "通讯录.xlsx", [["姓名", "电话"], ["张三", "123"]], title="名单")
    with pytest.raises(DataError) as err:
        import_files([path], tmp_path / "d", 2023, 3)
    assert str(err.value).count("通讯录.xlsx") == 1
    assert "读到的表格：工作表“名单”首行：姓名、电话" in str(err.value)
    (tmp_path / "坏.docx").write_text("hello")
    with pytest.raises(DataError) as err:
        import_files([tmp_path / "坏.docx"], tmp_path / "d", 2023, 3)
    assert str(err.value).count("坏.docx") == 1 and "不是 Word .docx 文件" in str(err.value)
