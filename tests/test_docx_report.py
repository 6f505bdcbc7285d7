"""Tests for helpers.present.docx_report: the Word report read back as a reader's program would.

The expected counts and indicator names come from ``builtin`` (the source document's own figures).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest
from builtin import MISSED_INDICATORS_IN_BODY_ORDER, TASKS_NORMAL
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from helpers.compute.engine import Analysis
from helpers.present.docx_report import add_table, write_docx

MISSED_INDICATORS = MISSED_INDICATORS_IN_BODY_ORDER


@pytest.fixture(scope="module")
def docx_file(analysis: Analysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx(analysis, tmp_path_factory.mktemp("docx") / "report.docx")


@pytest.fixture(scope="module")
def document(docx_file: Path) -> DocumentObject:
    return docx.Document(str(docx_file))


def _body_text(document: DocumentObject) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_write_returns_the_target_path(docx_file: Path) -> None:
    assert docx_file.name == "report.docx"
    assert docx_file.is_file()


def test_document_has_exactly_three_tables(document: DocumentObject) -> None:
    assert len(document.tables) == 3


def test_annex1_has_header_and_10_indicator_rows(document: DocumentObject) -> None:
    assert len(document.tables[0].rows) == 1 + 10


def test_annex2_has_header_and_9_lagging_task_rows(document: DocumentObject) -> None:
    assert len(document.tables[1].rows) == 1 + 9


def test_annex3_has_header_and_122_normal_task_rows(document: DocumentObject) -> None:
    assert len(document.tables[2].rows) == 1 + TASKS_NORMAL


def test_annex2_header_has_the_source_columns(document: DocumentObject) -> None:
    header = [c.text for c in document.tables[1].rows[0].cells]
    for name in ("序号", "工作任务", "责任区领导", "责任单位", "配合单位", "任务进展情况"):
        assert name in header


def test_body_has_salutation_and_stated_counts(document: DocumentObject) -> None:
    text = _body_text(document)
    for phrase in (
        "区政府：",
        "1项指标符合预期",
        "7项指标不达预期",
        "2项指标符合时间节点要求",
        "122项任务正常推进",
        "9项任务推进较为滞后",
    ):
        assert phrase in text


def test_body_names_all_seven_missed_indicators(document: DocumentObject) -> None:
    # The source's body says 7 but names 6 (固定资产投资 is left out); ours names all 7.
    missed = next(p.text for p in document.paragraphs if "项指标不达预期" in p.text)
    for name in MISSED_INDICATORS:
        assert name in missed


def test_annexes_have_label_and_title_lines(document: DocumentObject) -> None:
    lines = [p.text for p in document.paragraphs]
    for label, title in (
        ("附件1", "经济社会发展预期目标任务1-9月进展情况表"),
        ("附件2", "推进较为滞后的9项重点工作任务1-9月进展情况表"),
        ("附件3", "正常推进的122项重点工作任务1-9月进展情况表"),
    ):
        assert lines[lines.index(label) + 1] == title


def test_header_rows_repeat_on_each_page(document: DocumentObject) -> None:
    for table in document.tables:
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        assert table.rows[1]._tr.trPr is None or (
            table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
        )


def test_annex_sections_are_landscape_and_body_portrait(document: DocumentObject) -> None:
    sections = document.sections
    assert len(sections) == 4  # the body, then one per annex
    assert sections[0].page_width < sections[0].page_height
    assert all(s.page_width > s.page_height for s in sections[1:])


def test_body_text_names_fangsong_as_east_asian_font(document: DocumentObject) -> None:
    opening = next(p for p in document.paragraphs if p.text.startswith("根据"))
    rfonts = opening.runs[0]._element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == "仿宋"
    assert opening.runs[0].font.size.pt == 16


def test_progress_column_is_the_widest(document: DocumentObject) -> None:
    header = [c.text for c in document.tables[2].rows[0].cells]
    widths = [c.width for c in document.tables[2].rows[0].cells]
    assert widths.index(max(widths)) == header.index("任务进展情况")


def test_missing_values_show_as_dash_in_a_table() -> None:
    df = pd.DataFrame(
        {
            "序号": [1, 2],
            "完成率": [float("nan"), "37.3%"],
            "任务进展情况": [None, "已完成"],
            "配合单位": ["", "区财政局"],
        }
    )
    table = add_table(docx.Document(), df, width_cm=20)
    assert [c.text for c in table.rows[1].cells] == ["1", "—", "—", "—"]
    assert [c.text for c in table.rows[2].cells] == ["2", "37.3%", "已完成", "区财政局"]


def test_several_sub_target_values_go_one_per_line() -> None:
    df = pd.DataFrame(
        {"序号": [1], "完成率": ["违法建筑 37.3%；垃圾回收利用率 40%"], "序时进度": ["75.0%"]}
    )
    table = add_table(docx.Document(), df, width_cm=10)
    lines = [p.text for p in table.rows[1].cells[1].paragraphs]
    assert lines == ["违法建筑 37.3%", "垃圾回收利用率 40%"]
    assert table.rows[1].cells[2].text == "75.0%"


def test_provenance_note_ends_the_document(document: DocumentObject, analysis: Analysis) -> None:
    last = document.paragraphs[-1].text
    assert analysis.provenance["pack_version"] in last
    assert analysis.provenance["generated_at"] in last
    assert "year=2022" in last and "quarter=3" in last


def test_markup_in_task_text_round_trips_as_literal_text(
    analysis: Analysis, tmp_path: Path
) -> None:
    tasks = analysis.tasks.copy()
    normal = tasks.index[tasks["reported_status"] == "正常推进"][0]
    text = "<script>alert(1)</script> & 推进 <w:t>x</w:t> &amp;"
    tasks.loc[normal, "task"] = text
    case = dataclasses.replace(analysis, tasks=tasks)
    document = docx.Document(str(write_docx(case, tmp_path / "markup.docx")))
    table = document.tables[2]
    column = [c.text for c in table.rows[0].cells].index("工作任务")
    assert table.rows[1].cells[column].text == text


def test_failed_save_leaves_no_file_and_no_temp(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self, path) -> None:
        Path(path).write_bytes(b"PK half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(DocumentObject, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_docx(analysis, tmp_path / "report.docx")
    assert list(tmp_path.iterdir()) == []


def test_failed_save_keeps_the_previous_report(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"last good report")

    def broken_save(self, path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(DocumentObject, "save", broken_save)
    with pytest.raises(OSError):
        write_docx(analysis, target)
    assert target.read_bytes() == b"last good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def test_libreoffice_converts_it_to_a_multipage_pdf(docx_file: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; cannot check the PDF conversion")
    # A private profile, so a LibreOffice the user has open does not swallow the conversion.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_file),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.is_file()
    assert _pdf_pages(pdf) > 3


def test_a_long_data_folder_path_fits_the_document_properties(analysis, tmp_path):
    from helpers.present.docx_report import write_docx

    long_dir = "/tmp/" + "很长的文件夹名称/" * 19 + "宁远县督查办数据" * 20
    provenance = {
        **analysis.provenance,
        "parameters": {**analysis.provenance["parameters"], "data_dir": long_dir},
    }
    out = write_docx(dataclasses.replace(analysis, provenance=provenance), tmp_path / "r.docx")
    doc = docx.Document(str(out))
    assert len(doc.core_properties.comments) <= 255
    text = "\n".join(p.text for p in doc.paragraphs)
    # A document that is sent out names the data folder, never the folders above it.
    assert "data_dir=" + "宁远县督查办数据" * 20 in text and "/tmp/" not in text
