"""Write the quarterly report as a Word document laid out like the office's own report.

The body follows the layout of the source document (and of GB/T 9704 official documents): a
three-line title, the salutation, numbered sections, the 附件 list; then each annex on its own
landscape page with its label, its title and a real Word table whose header row repeats on
every page. Every piece of text goes in as a plain run, so python-docx escapes it: a unit's
words can never become markup. Only constant attributes (fonts, sizes, flags) are set on the
XML directly.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from helpers.compute.engine import Analysis
from helpers.core.fmt import is_missing
from helpers.core.writing import atomic_path
from helpers.present import tables
from helpers.present.narrative import Body, build_body

MISSING = "—"
"""What a missing value (None, NaN) shows as in the document."""

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 10.5  # 五号
FOOTER_PT = 9  # 小五, the provenance note
PAGE_NUMBER_PT = 14  # 四号
BODY_LINE_PT = 28  # GB/T 9704: 22 lines of 三号 text on the A4 type area


# Column widths of the annex tables in cm on a landscape page; the progress text is the widest
# column. A table's widths are scaled to fill the page between its margins. Short columns are
# sized to hold their content at 五号 on one line (``75.0%``, ``-55.0；—``, ``不达预期``).
COLUMN_WEIGHTS = {
    "序号": 1.2,
    "任务编号": 1.6,
    "工作板块": 1.7,
    "工作任务": 3.6,
    "领导": 1.5,  # 责任区领导, 责任县领导, 责任领导: matched by its ending
    "责任单位": 1.8,
    "配合单位": 2.0,
    "任务进展情况": 6.2,
    "完成率": 2.1,
    "序时进度": 1.6,
    "差距（个百分点）": 1.7,
    "测算状态": 1.6,
    "滞后依据": 4.0,
    "存在问题": 3.0,
    "下一步打算": 3.0,
    "预期目标": 3.6,  # 附件1's "2022年预期目标": matched by its ending, the year changes
    "进展情况": 9.0,
    "数据期间": 1.6,
    "完成值": 1.8,
    "与目标差距": 3.0,
    "状态": 2.0,
}
DEFAULT_WEIGHT = 2.0
# Short columns read better centred; text columns stay left-aligned.
CENTRED_COLUMNS = {
    "序号",
    "任务编号",
    "领导",
    "数据期间",
    "完成值",
    "序时进度",
    "差距（个百分点）",
    "测算状态",
    "状态",
}
# Computed columns list one value per sub-target, joined by "；". In a narrow column the line
# would break inside a number ("75.0/%"), so each value goes on its own line instead.
STACKED_COLUMNS = {"完成率", "序时进度", "差距（个百分点）"}

# XML 1.0 forbids most control characters; lxml refuses them, so they are dropped from data.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class DocxFonts:
    """The fonts the document names, in the roles of an official document.

    A .docx only names fonts; a reader without one gets Word's substitute. The defaults are the
    fonts an office uses. ``alternates`` go into the document's font table (``w:altName``,
    with the GB2312 character set declared) so that a reader without, say, 方正小标宋简体
    is pointed to a Chinese font that ships with Windows rather than a Latin one.
    """

    body: str = "仿宋"  # FangSong ships with every Chinese Windows; 仿宋_GB2312 often does not
    heading: str = "黑体"  # SimHei, for 一、二、三、 and the 附件 labels
    title: str = "方正小标宋简体"  # the official-document title face
    latin: str = "Times New Roman"  # digits and Latin letters
    alternates: tuple[tuple[str, str], ...] = (
        ("仿宋", "FangSong"),
        ("仿宋_GB2312", "仿宋,FangSong"),
        ("黑体", "SimHei"),
        ("方正小标宋简体", "黑体,SimHei"),
    )


FONTS = DocxFonts()


# --- text ---------------------------------------------------------------------------------------
def cell_text(value) -> str:
    """Turn a table value into the text of a cell: missing values become ``—``.

    Parameters
    ----------
    value : object
        A cell of a DataFrame.

    Returns
    -------
    str

    Examples
    --------
    >>> cell_text(float("nan")), cell_text(None), cell_text(""), cell_text(3), cell_text("a&b")
    ('—', '—', '—', '3', 'a&b')
    """
    if is_missing(value):
        return MISSING
    text = _ILLEGAL_XML.sub("", str(value)).strip()
    return text or MISSING


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


# --- runs and paragraphs -----------------------------------------------------------------------
def _set_font(
    run_or_style, east_asia: str, size: float, bold: bool | None = None, latin: str = FONTS.latin
) -> None:
    """Name the Latin and the East Asian font of a run or style, and its size."""
    font = run_or_style.font
    font.name = latin  # w:ascii and w:hAnsi
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    # python-docx has no API for the East Asian font: without this, Chinese text falls back to
    # the theme's East Asian font whatever ``font.name`` says.
    rfonts.set(qn("w:eastAsia"), east_asia)


def _add_text(
    paragraph: Paragraph,
    text: str,
    east_asia: str,
    size: float,
    bold: bool | None = None,
    fonts: DocxFonts = FONTS,
) -> None:
    run = paragraph.add_run(_clean(text))
    _set_font(run, east_asia, size, bold, fonts.latin)


def _paragraph(
    doc: DocumentObject,
    text: str,
    east_asia: str,
    size: float,
    *,
    bold: bool | None = None,
    centred: bool = False,
    indent_chars: float = 0,
    line_pt: float | None = BODY_LINE_PT,
    fonts: DocxFonts = FONTS,
) -> Paragraph:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if centred:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    if line_pt:
        fmt.line_spacing = Pt(line_pt)  # a Length means "exactly"
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if text:
        _add_text(p, text, east_asia, size, bold, fonts)
    return p


# --- document set-up ---------------------------------------------------------------------------
def _setup_styles(doc: DocumentObject, fonts: DocxFonts) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, fonts.body, BODY_PT, latin=fonts.latin)
    normal.paragraph_format.space_after = Pt(0)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese line breaking and CJK font choice
    rpr.append(lang)


def _add_font_alternates(doc: DocumentObject, fonts: DocxFonts) -> None:
    """Declare the fonts in the font table with alternates and the GB2312 character set.

    The font table is not a part python-docx models, so its XML is parsed, extended with
    constant font names and written back. If the template has no font table this is skipped:
    the fonts are still named on every run.
    """
    part = next(
        (p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None
    )
    if part is None or not hasattr(part, "_blob"):  # a future python-docx may model the part
        return
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    names = dict(fonts.alternates)
    for name in dict.fromkeys([fonts.body, fonts.heading, fonts.title, *names]):
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if names.get(name):
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), names[name])
            font.append(alt)
        for tag, val in (("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            font.append(el)
        root.append(font)
    # A plain Part has no setter for its bytes; python-docx writes ``_blob`` back on save.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _portrait(section) -> None:
    """A4 portrait with the GB/T 9704 margins (top 37 mm, bottom 35, left 28, right 26)."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.0)


def _landscape(section) -> None:
    """A4 landscape with narrower margins: the annex tables are wide."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(1.8), Cm(1.8)
    section.footer_distance = Cm(1.0)


def _field_run(paragraph: Paragraph, instruction: str, fonts: DocxFonts = FONTS) -> None:
    """Add a field (``PAGE``) to a paragraph; the instruction is a constant, never data."""
    runs = [paragraph.add_run() for _ in range(3)]
    for run in runs:
        _set_font(run, fonts.body, PAGE_NUMBER_PT, latin=fonts.latin)
    begin, end = OxmlElement("w:fldChar"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    end.set(qn("w:fldCharType"), "end")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    for run, element in zip(runs, (begin, instr, end), strict=True):
        run._element.append(element)


def _page_numbers(section, fonts: DocxFonts = FONTS) -> None:
    """Page numbers centred in the footer, as the office prints them: ``— 3 —``."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_text(p, "— ", fonts.body, PAGE_NUMBER_PT, fonts=fonts)
    _field_run(p, " PAGE ", fonts)
    _add_text(p, " —", fonts.body, PAGE_NUMBER_PT, fonts=fonts)


# --- tables ------------------------------------------------------------------------------------
def _weight(column: str) -> float:
    """A column's weight: its own, else that of the longest name it ends with."""
    if column in COLUMN_WEIGHTS:
        return COLUMN_WEIGHTS[column]
    endings = [k for k in COLUMN_WEIGHTS if column.endswith(k)]
    return COLUMN_WEIGHTS[max(endings, key=len)] if endings else DEFAULT_WEIGHT


def column_widths(columns: list[str], total_cm: float) -> list[float]:
    """Share ``total_cm`` among columns by their weights in ``COLUMN_WEIGHTS``.

    Parameters
    ----------
    columns : list of str
        The table's column names.
    total_cm : float
        The width between the page margins.

    Returns
    -------
    list of float
        Widths in cm, summing to ``total_cm``.

    Examples
    --------
    >>> column_widths(["序号", "任务进展情况"], 7.4)
    [1.2, 6.2]
    >>> column_widths(["2022年预期目标", "进展情况"], 12.6)
    [3.6, 9.0]
    """
    weights = [_weight(c) for c in columns]
    if not weights:
        return []
    scale = total_cm / sum(weights)
    return [round(w * scale, 3) for w in weights]


def _mark_header(row) -> None:
    """Repeat the row at the top of every page and keep it on one page."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _format_cell_paragraph(p: Paragraph, centred: bool) -> None:
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Pt(0)
    if centred:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


@functools.cache
def _cell_properties(centred: bool, east_asia: str, bold: bool | None, latin: str):
    """A table cell's paragraph and run properties (``w:pPr``, ``w:rPr``), made once through the
    same calls as ever, to be copied into each of the annexes' thousands of cells: setting them
    one property at a time on every cell took most of the Word report's time."""
    p = Paragraph(OxmlElement("w:p"), None)
    _format_cell_paragraph(p, centred)
    run = p.add_run()
    _set_font(run, east_asia, TABLE_PT, bold, latin)
    return p._p.pPr, run._r.rPr


def _fill_cell(
    cell,
    text: str,
    east_asia: str,
    *,
    bold: bool = False,
    centred: bool = False,
    fonts: DocxFonts = FONTS,
) -> None:
    """Write text into a cell, one paragraph per line of the text."""
    lines = text.split("\n")
    first = cell.paragraphs[0]
    ppr, rpr = _cell_properties(centred, east_asia, bold or None, fonts.latin)
    for k, line in enumerate(lines):
        p = first if k == 0 else cell.add_paragraph()
        if p._p.pPr is None:
            p._p.insert(0, copy.deepcopy(ppr))
        else:  # pragma: no cover - a paragraph that came with properties of its own
            _format_cell_paragraph(p, centred)
        if line:
            run = p.add_run(_clean(line))
            run._r.insert(0, copy.deepcopy(rpr))
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_table(
    doc: DocumentObject, df: pd.DataFrame, width_cm: float, fonts: DocxFonts = FONTS
) -> Table:
    """Add a DataFrame as a Word table: a bold, repeated header row, then one row per record.

    Parameters
    ----------
    doc : docx.document.Document
        The document to add to.
    df : DataFrame
        The annex table; every value is written as text, missing ones as ``—``.
    width_cm : float
        The width between the page margins.
    fonts : DocxFonts
        The fonts to name.

    Returns
    -------
    docx.table.Table
    """
    columns = [str(c) for c in df.columns]
    widths = [Cm(w) for w in column_widths(columns, width_cm)]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    # LibreOffice reads the grid, Word the cell widths: set both.
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    header = table.rows[0]
    _mark_header(header)
    for cell, name, width in zip(header.cells, columns, widths, strict=True):
        cell.width = width
        _shade(cell, "D9D9D9")  # before the fill: w:shd must precede w:vAlign
        _fill_cell(cell, name, fonts.heading, bold=True, centred=True, fonts=fonts)
    centred = [c in CENTRED_COLUMNS or c.endswith("领导") for c in columns]
    stacked = [c in STACKED_COLUMNS for c in columns]
    for record in df.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value, width, mid, stack in zip(
            cells, record, widths, centred, stacked, strict=True
        ):
            cell.width = width
            text = cell_text(value)
            if stack:
                text = "\n".join(v.strip() for v in text.split("；") if v.strip()) or MISSING
            _fill_cell(cell, text, fonts.body, centred=mid, fonts=fonts)
    if df.empty and columns:  # an empty group: one row that says so, across the table
        row = table.add_row()
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        merged = row.cells[0].merge(row.cells[-1]) if len(columns) > 1 else row.cells[0]
        _fill_cell(merged, "无", fonts.body, centred=True, fonts=fonts)
    return table


# --- the document ------------------------------------------------------------------------------
PATH_PARAMETERS = {"data_dir", "settings_file"}


def provenance_text(provenance: dict) -> str:
    """One line saying what made the document: pack version, time, parameters.

    Parameters
    ----------
    provenance : dict
        ``Analysis.provenance``.

    Returns
    -------
    str

    Examples
    --------
    >>> text = provenance_text({"pack_version": "0.1.0", "generated_at": "2022-10-10T09:00",
    ...                         "parameters": {"year": 2022, "quarter": 3, "settings_file": ""}})
    >>> for part in text.split("；"):
    ...     print(part)
    本文件由 workreport-progress 0.1.0 生成
    生成时间：2022-10-10T09:00
    参数：year=2022，quarter=3，settings_file=（默认）
    >>> provenance_text({"parameters": {"data_dir": "/home/ana/宁远数据"}}).split("；")[-1]
    '参数：data_dir=宁远数据'
    """
    params = provenance.get("parameters", {}) or {}
    # A document that is sent out names files, never the folders of the machine that made it.
    shown = "，".join(
        f"{k}={Path(str(v)).name if k in PATH_PARAMETERS and v else v if v not in ('', None) else '（默认）'}"
        for k, v in params.items()
    )
    return (
        f"本文件由 workreport-progress {provenance.get('pack_version', MISSING)} 生成；"
        f"生成时间：{provenance.get('generated_at', MISSING)}；参数：{shown or MISSING}"
    )


def _annex_title(item: str) -> str:
    """``1.经济社会…情况表`` -> ``经济社会…情况表``."""
    return re.sub(r"^\s*\d+\s*[.．、]\s*", "", item)


def build_docx(
    analysis: Analysis, body: Body | None = None, fonts: DocxFonts = FONTS
) -> DocumentObject:
    """Build the report as a python-docx Document, without writing it.

    Parameters
    ----------
    analysis : Analysis
        From ``helpers.compute.engine.analyse``.
    body : Body, optional
        The narrative; default ``build_body(analysis)``.
    fonts : DocxFonts
        The fonts to name.

    Returns
    -------
    docx.document.Document

    See Also
    --------
    write_docx : build and save atomically.
    """
    body = body or build_body(analysis)
    # The tables are the ones the letter cites (Body.annexes), in its order.
    annexes = [tables.annex_table(analysis, key) for key in body.annexes]
    if len(body.annex_list) != len(annexes):
        raise ValueError(
            f"the body lists {len(body.annex_list)} annexes; the report has "
            f"{len(annexes)} annex tables"
        )

    doc = Document()
    _setup_styles(doc, fonts)
    _add_font_alternates(doc, fonts)
    props = doc.core_properties
    props.title = _clean("".join(body.title))
    props.author = "workreport-progress"
    # Word's document properties hold at most 255 characters (python-docx refuses more): a long
    # data folder path is cut there; the full provenance is in the document itself.
    comments = _clean(provenance_text(analysis.provenance))
    props.comments = comments if len(comments) <= 255 else comments[:254] + "…"

    section = doc.sections[0]
    _portrait(section)
    _page_numbers(section, fonts)

    for line in body.title:
        _paragraph(
            doc, line, fonts.title, TITLE_PT, bold=True, centred=True, line_pt=None, fonts=fonts
        )
    _paragraph(doc, "", fonts.body, BODY_PT)
    _paragraph(doc, body.salutation, fonts.body, BODY_PT, fonts=fonts)
    _paragraph(doc, body.opening, fonts.body, BODY_PT, indent_chars=2, fonts=fonts)
    for heading, paras in body.sections:
        head = _paragraph(doc, heading, fonts.heading, BODY_PT, indent_chars=2, fonts=fonts)
        head.paragraph_format.keep_with_next = True  # never a heading alone at a page's foot
        for text in paras:
            _paragraph(doc, text, fonts.body, BODY_PT, indent_chars=2, fonts=fonts)

    # 附件：1.… with 2., 3. aligned under 1. (GB/T 9704: two characters in, then 附件：).
    _paragraph(doc, "", fonts.body, BODY_PT)
    for k, item in enumerate(body.annex_list):
        p = _paragraph(doc, ("附件：" if k == 0 else "") + item, fonts.body, BODY_PT, fonts=fonts)
        p.paragraph_format.left_indent = Pt(BODY_PT * 5)
        if k == 0:
            p.paragraph_format.first_line_indent = Pt(-BODY_PT * 3)

    for k, (item, df) in enumerate(zip(body.annex_list, annexes, strict=True), start=1):
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _landscape(section)
        label = _paragraph(doc, f"附件{k}", fonts.heading, BODY_PT, fonts=fonts)
        label.paragraph_format.keep_with_next = True
        title = _paragraph(
            doc,
            _annex_title(item),
            fonts.title,
            TITLE_PT,
            bold=True,
            centred=True,
            line_pt=None,
            fonts=fonts,
        )
        title.paragraph_format.space_before = Pt(6)
        title.paragraph_format.space_after = Pt(12)
        title.paragraph_format.keep_with_next = True
        width_cm = Length(section.page_width - section.left_margin - section.right_margin).cm
        add_table(doc, df, width_cm, fonts)

    if body.footer:
        method = _paragraph(doc, "", fonts.body, FOOTER_PT, line_pt=None)
        method.paragraph_format.space_before = Pt(12)
        _add_text(method, body.footer, fonts.body, FOOTER_PT, fonts=fonts)
        method.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    note = _paragraph(doc, "", fonts.body, FOOTER_PT, line_pt=None)
    note.paragraph_format.space_before = Pt(12)
    _add_text(note, provenance_text(analysis.provenance), fonts.body, FOOTER_PT, fonts=fonts)
    note.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    return doc


def write_docx(
    analysis: Analysis, path: str | Path, body: Body | None = None, fonts: DocxFonts = FONTS
) -> Path:
    """Write the report as a .docx file, atomically.

    Parameters
    ----------
    analysis : Analysis
        From ``helpers.compute.engine.analyse``.
    path : str or Path
        The target file. Written through a temporary file beside it, so a failed write leaves
        no file (or the previous one) at ``path``.
    body : Body, optional
        The narrative; default ``build_body(analysis)``.
    fonts : DocxFonts
        The fonts to name; the defaults are those of an official document.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> from helpers.compute.engine import analyse
    >>> write_docx(analyse(2022, 3), "reports/2022-Q3.docx")  # doctest: +SKIP
    PosixPath('reports/2022-Q3.docx')
    """
    doc = build_docx(analysis, body, fonts)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return Path(path)
