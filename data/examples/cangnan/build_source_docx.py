"""Rebuild source/苍南县2022年度市县民生实事未完成项目进度表.docx from the public page (see README.md).

The rows are the page's own words, typed into a Word table as the county's office keeps it: the
title above the table, the header row marked to repeat on every page, and a unit (牵头单位) that
leads two consecutive projects merged into one cell down those rows, as is usual in such tables.
Run: .venv/bin/python data/examples/cangnan/build_source_docx.py
"""

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TITLE = "2022年度市县民生实事未完成项目进度表（截至10月31日）"
HEADER = ["序号", "项目内容", "当前进度", "牵头单位", "备注"]
ROWS = [
    ("新（改、扩）建公办园5所，新增公办幼儿学位1000个。", "80%（新区实验幼儿园进度滞后）", "县教育局", "市民生实事"),
    ("建设四好农村路55公里。", "95%", "县交通局", "县民生实事"),
    ("完成农村公路大中修70公里。", "90%", "县交通局", "县民生实事"),
    ("建成投用沿浦、宜山、莒溪、炎亭、望里、赤溪、岱岭、灵溪浦亭等8家卫生院", "98%", "县卫健局", "县民生实事"),
    ("打通县城人民大道（苍南大道至山海大道）等12条断头路。", "88%（灵溪镇园区六路、金乡镇四好农村路推进缓慢）", "县住建局", "县民生实事"),
    ("建成投用桥墩镇、赤溪镇、灵溪镇观美等3家中心敬老院。", "57%（赤溪、灵溪偏慢）", "县民政局", "县民生实事"),
    ("开工建设矾山镇、马站镇等2家中心敬老院。", "50%（马站未开工", "县民政局", "县民生实事"),
    ("推进县职业中专扩容提升。", "22%（严重滞后）", "县教育局", "县民生实事"),
    ("建成投用中小学3所，新增学位3800位。", "95%", "县教育局", "县民生实事"),
    ("完成上横河泵站和萧江水闸主体工程，开工建设萧江塘河控制闸。", "95%", "县水利局", "县民生实事"),
    ("开工建设海塘安澜（南片海塘4.65公里）。", "70%", "县水利局", "县民生实事"),
    (
        "完成县应急广播指挥中心、18个乡镇应急广播分控中心、376个村居广播室和752只可控IP化高音喇叭建设，"
        "实现县级应急广播平台与省、市互联互通。",
        "98%",
        "县文广旅体局",
        "县民生实事",
    ),
    ("新增16个“文化驿站”。", "98.4%", "县文广旅体局", "县民生实事"),
]


def build(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("苍南县人民政府办公室")
    doc.add_paragraph(TITLE)
    table = doc.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = name
    trpr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for k, row in enumerate(ROWS, start=1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(k), *row), strict=True):
            cell.text = text
    # The same 牵头单位 on consecutive rows: one cell merged down, as the office lays it out.
    start = 1
    for k in range(2, len(ROWS) + 2):
        same = k <= len(ROWS) and ROWS[k - 1][2] == ROWS[start - 1][2]
        if not same:
            if k - 1 > start:
                top, bottom = table.cell(start, 3), table.cell(k - 1, 3)
                text = top.text
                merged = top.merge(bottom)
                for p in merged.paragraphs[1:]:
                    p._element.getparent().remove(p._element)
                merged.paragraphs[0].text = text
            start = k
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    print(build(here / "source" / "苍南县2022年度市县民生实事未完成项目进度表.docx"))
