"""``workreport init DIR``: a data folder and a settings file with a new office's own names.

Nothing of the built-in district is used: the issuer, the recipient, the report's subject, the
leaders' column and the rank label are derived from the place and the kind of report, written
to ``DIR/settings.toml`` (which ``analyse`` reads when it runs on ``DIR``) for the office to edit.
"""

from __future__ import annotations

from pathlib import Path

from helpers.core import paths
from helpers.core.config import ReportNames, load_settings
from helpers.core.errors import DataError
from helpers.core.messages import say
from helpers.core.writing import write_text

KINDS = ("政府工作报告", "民生实事", "重点项目")
LEVELS = ("区", "县", "市")


def report_names(place: str, kind: str = "政府工作报告", level: str = "") -> ReportNames:
    """The report's names for a place: ``report_names("苍南县", "民生实事")``.

    >>> n = report_names("苍南县", "民生实事")
    >>> n.issuer, n.office, n.title_subject, n.task_noun, n.leader_label
    ('苍南县人民政府督查办', '县政府督查办', '县民生实事项目', '民生实事项目', '责任县领导')
    """
    place = place.strip()
    level = level or place[-1:]
    if level not in LEVELS:
        raise DataError.at(
            "parameters",
            say("param.level", place=place),
            column="level",
        )
    if kind not in KINDS:
        raise DataError.at(
            "parameters", say("param.kind", kind=kind, allowed="、".join(KINDS)), column="kind"
        )
    subject = {
        "政府工作报告": (f"{level}政府工作报告重点任务", f"{level}政府工作报告重点工作任务"),
        "民生实事": (f"{level}民生实事项目", f"{level}民生实事项目"),
        "重点项目": (f"{level}重点项目", f"{level}重点项目"),
    }[kind]
    noun = {"政府工作报告": "重点工作任务", "民生实事": "民生实事项目", "重点项目": "重点项目"}[
        kind
    ]
    return ReportNames(
        issuer=f"{place}人民政府督查办",
        office=f"{level}政府督查办",
        recipient=f"{level}政府",
        place=place,
        title_subject=subject[0],
        body_subject=subject[1],
        task_noun=noun,
        leader_label=f"责任{level}领导",
        rank_label="全省排名" if level == "市" else "全市排名",
    )


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


SETTINGS_HEAD = """\
# {place}的设置：报告中的名称。由 `workreport init` 生成，可直接修改。
# 阈值、用语、颜色等其余设置沿用默认值；要改，把 src/helpers/core/settings.toml 中相应的节
# 复制到本文件后修改。`workreport run --data-dir {folder}` 会自动读取本文件。

[report]
"""
FIELD_NOTES = {
    "issuer": "标题行上的发文机关全称",
    "office": "正文中督查办的自称",
    "recipient": "报告的主送机关",
    "place": "地名",
    "title_subject": "标题：关于××年＿＿推进情况的报告",
    "body_subject": "开头一句：对××年＿＿推进情况进行跟踪督办",
    "task_noun": "一项任务的叫法（××项＿＿中）",
    "leader_label": "领导一列的列名",
    "rank_label": "预期目标排名一列的列名",
}

README = """\
{place} · 数据文件夹（由 workreport init 生成）

1. 导入任务台账和本季度进展（Word 表格或 Excel 台账，可一次给多个文件）：
   workreport import --data-dir {folder} --year {year} --quarter 3 台账.docx
   列按表头文字对应（工作任务、责任单位、配合单位、进展情况……），对应结果会逐列打印；
   对应不上的表头会被拒绝，并指出文件、表格（工作表）和表头。
2. 生成报告：
   workreport run --data-dir {folder} --year {year} --quarter 3
3. 报告中的名称在 settings.toml 中修改；缺少的列（责任领导、配合单位、预期目标、督查办认定状态）
   不影响生成报告，报告的“数据核查”表会列出缺了什么。
"""


def init_office(
    folder: str | Path, place: str, kind: str = "政府工作报告", level: str = "", year: int = 2023
) -> list[Path]:
    """Create ``folder`` with ``settings.toml`` (the office's names) and a short README.

    Raises
    ------
    DataError
        The folder already has a settings file, or the place or kind cannot be used.
    """
    folder = Path(folder)
    target = folder / paths.DATA_SETTINGS
    if target.exists():
        raise DataError.at(target, say("out.settings_exist"))
    names = report_names(place, kind, level)
    lines = [SETTINGS_HEAD.format(place=names.place, folder=folder)]
    for key, value in vars(names).items():
        lines.append(f"{key} = {_toml_string(value)}  # {FIELD_NOTES[key]}\n")
    text = "".join(lines)
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_text(text, target)]
    load_settings(target)  # what was written must load
    written.append(
        write_text(
            README.format(place=names.place, folder=folder, year=year), folder / "README.txt"
        )
    )
    (folder / str(year)).mkdir(exist_ok=True)
    return written
