"""Every message an analyst reads, in Chinese, in one place.

Data errors, command-line errors and hints, the batch's progress bar and its result lines,
the intake summary: each is a named template here, filled by :func:`say` with named fields.
Report sentences (the letter, the memo, the tables) are not messages; they live in
``helpers.present.wording``.

Keys are ``area.what``; a template's fields are the names in braces. Values a person typed are
quoted with “”, as the office writes them.

>>> say("data.duplicate_id", value="T001", first=2)
'编号“T001”重复（首次出现在第2行）'
"""

from __future__ import annotations

# Where a problem is: file, sheet, row (as Excel numbers it) and column.
WHERE = {
    "sheet": "工作表“{sheet}”",
    "table": "表格“{table}”",
    "row": "第{row}行",
    "column": "列“{column}”",
    "join": "，",
    "then": "：",
}

MESSAGES: dict[str, str] = {
    # --- data checks (the 数据核查 table) and the change since last quarter ---
    "check.no_indicator_file": "数据文件夹中没有 {name}：本期不列经济社会发展预期目标",
    "check.shown_as": "显示为“{word}”",
    "check.shown_empty": "显示为空",
    "check.not_grouped": "从略（不按{label}分组）",
    "check.missing_column_item": "{name} 列 {column}",
    "check.missing_column": "{name} 没有“{label}”列（{column}）：报告中该项{shown}",
    "check.unjudged": "{count}项任务督查办尚未认定推进状态（显示为“{word}”），数据测算状态仅供参考：{ids}",
    "check.count_agrees": "正文称{said}项，与数据一致（{have}项）",
    "check.count_differs": "正文称{said}项，数据为{have}项",
    "check.missed_named": "正文称{said}项不达预期，但只列举{named}项{omitted}",
    "check.missed_omitted": "，漏列：{names}",
    "check.ratio": "“{stated}”：复核 {done} ÷ {whole} = {recomputed:.2f}%，{verdict}",
    "check.ratio_agrees": "一致",
    "check.ratio_differs": "与所述{said}%不一致",
    "check.no_actual": "年度目标{target}，进展情况中没有可对应的数值",
    "check.earlier_subtarget": "数据为{period}，按{months}/12的序时进度衡量",
    "check.later": "数据为{period}，晚于报告期1-{months}月",
    "check.suspicious": "完成率{ratio}，超过{limit}，请核实单位或数据",
    "check.stated_rate_differs": "按读出的数值计算完成率{ratio}，文中写“{stated}”",
    "check.earlier_indicator": "数据为{period}，报告期为1-{months}月",
    "check.value_vs_text": "完成值为{value}，进展文字中为{figures}；请核对后改正其中之一",
    "check.glyph": "“{chars}”在图表字体中没有字形，图中以{replacement}代替；报告其余部分照常生成",
    "check.not_reported": "{units}未报送进展情况",
    "check.rejudge": "督查办认定“{status}”是按此前的进展情况作出的，此后进展情况已更新（单位重新报送）；"
    "认定沿用原认定，请按新的进展情况复核（workreport review）",
    "history.first_quarter": "第一季度为年度首次报告",
    "history.only_quarter": "本年度仅有第{quarter}季度数据",
    "history.none_earlier": "{year}年无更早季度的数据（{have}），本期无法比较变化；年底预计按年初至今的进度测算。",
    "history.compared": "与{year}年第{quarter}季度（1-{months}月）比较。",
    # --- how several problems are listed ---
    "problems.head": "共 {count} 个问题：",
    "problems.more": "另有 {more} 条同类问题未列出（共 {total} 条）",
    # --- files ---
    "file.not_found": "找不到文件",
    "file.table_not_found": "找不到文件（应是{kind}表）{how}",
    "file.hint.indicator_progress": "；本季度指标数据须手工填入，列见 data/2022/Q3/indicator_progress.csv"
    "（说明见 data/README.md）",
    "file.hint.progress": "；`workreport intake` 会根据各单位报回的填报表写出此文件",
    "file.header_only": "文件只有表头，没有数据行",
    "file.empty": "文件是空的；应有一行表头和若干数据行",
    "file.too_big": "文件有 {size_mb:.0f} MB，超过上限 {limit_mb:.0f} MB；请检查是否选错了文件",
    "file.not_utf8_csv": "不是 UTF-8 文本（第一个错误字节在第 {offset} 字节处）。{hint}"
    "请另存为“CSV UTF-8”",
    "file.gbk_hint": "{where}看起来是 GBK/GB18030 编码（中文 Windows 上 Excel 的普通“CSV”）；",
    "file.gbk_hint_from_here": "从这一行起，",
    "file.not_utf8": "不是 UTF-8 文本；请另存为 UTF-8",
    "file.bad_csv": "不是格式正确的 CSV：{detail}",
    "file.missing_columns": "缺少列 {missing}；文件中的列有：{have}",
    "file.not_docx": "不是 Word .docx 文件（{detail}）；.doc 文件请在 Word 中另存为 .docx 后再导入",
    "file.not_xlsx": "不是 Excel .xlsx 文件（{detail}）；.xls 文件请在 Excel 中另存为 .xlsx 后再导入",
    "file.no_docx_table": "文件中没有表格：任务台账须是 Word 表格（序号、工作任务、责任单位……）",
    "file.unreadable_workbook": "无法读取工作簿：{detail}",
    # --- cells of the data tables ---
    "data.required": "不能为空，须填写",
    "data.bad_id": "编号“{value}”只能含字母、数字和“-”“_”“.”",
    "data.duplicate_id": "编号“{value}”重复（首次出现在第{first}行）",
    "data.comma_decimal": "“{value}”中的逗号像是小数点（或分隔位置不对）；小数点请用“.”，如 2.6，"
    "千位分隔只能每三位一个逗号",
    "data.not_number": "“{value}”不是数字{hint}",
    "data.hint.percent": "；填数字时不要带 % 号",
    "data.not_finite": "“{value}”不是一个有限的数（NaN、inf 不能作为数值）；没有数据请留空",
    "data.not_whole": "“{value}”不是整数",
    "data.unknown_task": "任务编号“{value}”不在任务台账（{register}）中",
    "data.unknown_task_plain": "任务编号“{value}”不在任务台账中",
    "data.bad_status": "状态“{value}”不是可用的用语（{allowed}，或留空）",
    "data.unknown_indicator": "指标编号“{value}”不在指标台账（{register}）中",
    "data.bad_period": "数据期间“{value}”应写作“1-9月”这样的格式",
    "data.period_too_late": "数据期间“{value}”晚于本期报告的期间 1-{months}月",
    "data.no_year": "没有{year}年的任务台账；已有年度：{have}",
    "data.no_quarter": "没有{year}年第{quarter}季度的进展；已有季度：{have}",
    "data.none": "无",
    "data.not_share": "“{value}”不是比例（应写作 0.9 或 90%）",
    "data.share_out_of_range": "“{value}”超出 0-100% 的范围",
    "data.trajectory_falls": "序时进度不能一个季度比一个季度低",
    "data.bad_target_no": "子目标序号“{value}”不是整数",
    "data.no_sub_target": "{task} 没有第 {target_no} 个子目标",
    "data.actual_negative": "完成值 {value} 是负数；只有增速可以为负",
    "data.returned_figure": "填报完成值（{file}）",
    "data.ratio_too_high": "{task} 第 {target_no} 个子目标（{metric}）：完成率 {ratio:.0%}（年度目标 "
    "{target:g}{unit}），超过 {limit:.0%}，是单位或数据有误吗？请改正数字，或在 "
    "curation.csv 中校订。原文：“{text}”",
    # --- curation.csv ---
    "curation.bad_field": "字段“{value}”不是 {allowed} 之一",
    "curation.reason_required": "每个校订值都须写明理由",
    "curation.target_not_positive": "目标值 {value} 须大于零",
    "curation.actual_negative": "完成值 {value} 是负数",
    "curation.quarter_required": "字段“{value}”是某一季度的数：请填写季度（1-4）",
    "curation.bad_quarter": "季度“{value}”应是 1-4 或留空",
    # --- the source text of the built-in district ---
    "source.outside_cell": "表格单元格以外有文字：“{text}”",
    "source.not_utf8": "不是 UTF-8 文本（第 {offset} 字节）；请另存为 UTF-8",
    "source.no_annex": "找不到附件标题：{missing}",
    "source.no_table": "{heading}没有表格",
    "source.bad_cells": "{annex}第{k}行：应有 7 格（合并行 5-6 格），实有 {found} 格：{cells}",
    "source.no_section": "第一个任务行没有工作板块",
    "source.bad_cells_annex1": "附件1第{k}行：应有 5 格，实有 {found} 格",
    # --- settings ---
    "settings.not_found": "找不到设置文件",
    "settings.bad_toml": "不是有效的 TOML：{detail}",
    "settings.bad_value": "{where} 应是{expected}，实为“{value}”",
    "settings.expect.number": "数字",
    "settings.expect.text": "非空文字",
    "settings.expect.list": "列表",
    "settings.expect.texts": "非空文字的列表",
    "settings.expect.words": "取自 {allowed} 的词语列表",
    "settings.unknown_key": "[{section}] 中没有“{key}”这一项；可用：{known}",
    "settings.missing_keys": "[{section}] 缺少 {missing}",
    "settings.bad_colour_key": "[colours] “{key}”不是状态用语，也不是 target_line",
    "settings.bad_colour": "[colours] {key} 应是 #D55E00 这样的颜色，实为“{value}”",
    "settings.unknown_section": "没有 [{section}] 这一节；可用：{known}",
    "settings.not_table": "[{section}] 须是一组键值",
    "settings.red_below": "[thresholds] red_below_pp 须不小于 on_track_tolerance_pp",
    "settings.ratios": "[thresholds] suspicious_ratio 须大于 1 且不超过 absurd_ratio",
    "settings.fold": "[cues] fold 须是成对的字（開开啟启……）",
    "settings.bad_kind": "[cues] {key}：“{value}”不是可用的类别；可用：{known}",
    "settings.credit_months": "[thresholds] credit_months_left 须在 0 到 12 之间（月数）",
    # --- parameters (command line and notebook parameters) ---
    "param.not_whole": "{name} 须是整数，实为“{value}”",
    "param.not_whole_in": "{name} 须是 {lo}-{hi} 之间的整数，实为“{value}”",
    "param.out_of_range": "{name} 须在 {lo}-{hi} 之间，实为 {value}",
    "param.no_data_dir": "数据文件夹“{path}”不是文件夹",
    "param.no_settings": "找不到设置文件“{path}”",
    "param.jobs": "--jobs 至少为 1，实为 {value}",
    "param.timeout": "--timeout 至少为 1 秒，实为 {value}",
    "param.out_one_quarter": "--out 只能指定一个文件夹；用 --out 时请一次运行一个季度，"
    "运行多个季度时请不要加 --out",
    "param.quarter": "季度须是 1-4，实为 {value}",
    "param.column_form": "--column {item}：应写作 表头=列，如 备注=工作板块",
    "param.column_target": "--column {header}={target}：“{target}”不是台账的列；可用：{allowed}",
    "param.level": "无法从地名“{place}”看出是区、县还是市，请加 --level 区/县/市",
    "param.kind": "报告类型“{kind}”不是 {allowed} 之一",
    # --- output folders ---
    "out.inside_data": "输出位置在数据文件夹（{data_dir}）之内，会覆盖数据；请另选数据文件夹以外的位置",
    "out.contains_data": "数据文件夹（{data_dir}）在这个输出位置之内，替换输出会牵动数据；请另选位置",
    "out.is_file": "这是一个文件，不是文件夹；请给出输出文件夹",
    "out.foreign_folder": "文件夹不是空的，且不是本工具建立的（没有 {marker} 标记）；为免覆盖或删除"
    "其中的文件，请指定一个新的或空的文件夹",
    "out.foreign_file": "文件已存在，且不是本工具写的；不会覆盖，请先移走它或另选文件夹",
    "out.is_folder_csv": "这是一个文件夹；--out 须是一个 .csv 文件",
    "out.form_xlsx": "填报表须写成 .xlsx 文件（或给出一个文件夹）",
    "out.form_by_unit": "按单位分别生成时，--out 须是文件夹（每个单位一个工作簿）",
    "out.settings_exist": "设置文件已存在，未改动；如要重新生成，请先删除或改名",
    # --- extract ---
    "extract.missing_columns": "缺少列 {missing}；文件中的列有：{have}（任务列可写 工作任务/任务内容，"
    "进展列可写 进展情况/完成情况/任务进展情况）",
    "extract.empty_task": "任务内容为空",
    # --- import of Word and Excel registers ---
    "import.bad_header": "表头“{header}”无法对应到台账的任何一列。请在导入命令中加 --column {header}=列名"
    " 指明它是哪一列（列名可用：{columns}），不需要的列写 --column {header}=不使用；也可在台账中"
    "把表头改为上述列名之一，或删除该列。说明见 README“新的督查办：用自己的 Word / Excel 台账”一节",
    "import.row_without_main": "这一行没有{main}，却有其他内容（{content}）；请补全或删除该行",
    "import.main.tasks": "工作任务",
    "import.main.indicators": "预期目标",
    "import.bad_suffix": "不能导入“{suffix}”文件：请给出 Word（.docx）或 Excel（.xlsx）文件；"
    "内置区的纯文本（.txt）单独导入",
    "import.no_suffix": "无扩展名",
    "import.no_register": "没有找到任务台账表：表头须有“工作任务”（或任务内容、项目内容等）和至少一个其他列"
    "（责任单位、进展情况……）。读到的表格：{seen}",
    "import.register_differs": "{year}年的任务台账已存在，且与导入的任务不同（例如“{example}”不在原台账中；"
    "原台账{old}项，导入{new}项）。若要以导入的文件替换原台账，请加 --replace",
    "import.count_differs": "（任务数不同）",
    "import.summary.mapping": "列映射：",
    "import.summary.counts": "任务 {tasks} 项；预期目标 {indicators} 项",
    "import.summary.written": "已写入：",
    "import.summary.pair": "“{header}”→{field}",
    "import.summary.status_column": "督查办认定状态取自状态列",
    "import.summary.status_title": "督查办认定状态取自表格标题：{status}",
    "import.summary.status_none": "无督查办认定状态（显示为未认定）",
    "import.what.tasks": "任务",
    "import.what.indicators": "预期目标",
    "import.summary.continued": "上一表格的续表，",
    "import.summary.grid": "{place}：表头在第{head}行，{what}{count}项；{pairs}；{status}",
    "import.summary.skipped": "{place}：没有“工作任务”或“预期目标”表头，未读取",
    "import.summary.first_row": "{place}首行：{cells}",
    "import.progress_exists": "{year}年第{quarter}季度的进展已存在；若要替换，请加 --replace",
    # --- intake of the units' filled forms ---
    "intake.no_files": "没有给出要读取的填报表",
    "intake.too_big": "文件有 {size_mb:.1f} MB，超过填报表的上限 {limit_mb:.0f} MB；"
    "请用下发的原表填写，不要粘贴图片或大段内容",
    "intake.unpacked_too_big": "工作簿解压后有 {size_mb:.0f} MB，超过上限 {limit_mb:.0f} MB"
    "（文件本身 {file_kb:.0f} KB）；请用下发的原表填写",
    "intake.not_xlsx": "无法作为 .xlsx 工作簿读取（{detail}）；请将填报表另存为 Excel .xlsx",
    "intake.not_form": "不是“workreport form”生成的填报表（没有“{meta}”或“{form}”工作表）；"
    "请使用{year}年第{quarter}季度下发的填报表",
    "intake.no_marker": "不是“workreport form”生成的填报表（工作表“{meta}”中没有填报表标记）",
    "intake.version": "填报表版本为“{version}”，本工具读取第 {expected} 版：请重新下发填报表",
    "intake.wrong_quarter": "这是{form_year}年第{form_quarter}季度的填报表，本次收取的是{year}年"
    "第{quarter}季度：请使用本季度的填报表",
    "intake.register_changed": "填报表生成后任务台账（{register}）有变动，或表中锁定的单元格被改动；"
    "台账有变动时请重新下发填报表",
    "review.not_review": "不是“workreport review”生成的认定表（没有“{sheet}”工作表或认定表标记）；"
    "请使用本季度生成的认定表",
    "review.unknown_task": "任务 {task} 不在本季度的进展表（progress.csv）中",
    "review.text_changed": "任务 {task} 的进展情况在认定表生成后已更新（重新收取了填报表）；"
    "请重新生成认定表，按新的进展情况认定",
    "review.nothing": "认定表与进展表一致（未变 {unchanged} 项，留空未认定 {blank} 项），未写入任何文件",
    "review.twice": "任务 {task} 出现两次且认定不同",
    "review.out_recheck": "其中 {count} 项任务的进展情况在督查办认定之后已更新（{ids}）："
    "表中“督查办认定”留空，原认定列在“原认定（待复核）”；请按新的进展情况重新选择"
    "（留空则原认定不变，仍列为待复核）",
    "review.rejudged": "按更新后的进展情况重新认定（认定不变）{count} 项：{ids}",
    "review.still_stale": "仍有 {count} 项任务的督查办认定是按此前的进展情况作出的，"
    "尚未按新的进展情况复核：{ids}",
    "review.summary": "{year}年第{quarter}季度督查办认定：写入 {path}；认定有变动 {changed} 项{ids}，"
    "未变 {unchanged} 项，留空未认定 {blank} 项。原文件另存为 {backup}",
    "cli.next_review": "下一步：按测算状态和滞后依据认定各项任务后，"
    "workreport review --data-dir {folder} --year {year} --quarter {quarter} --apply {path}",
    "intake.header_changed": "表头被改动：第1行找不到列 {absent}；请不要改名、移动或删除列",
    "intake.too_many_rows": "表中超过 {max_rows} 行（任务清单共 {rows} 行）；请用下发的原表填写，"
    "不要追加行",
    "intake.cell_too_long": "内容有 {chars} 个字符，超过每格上限 {limit} 字；请精简",
    "intake.no_task_id": "任务编号为空；每行须保留原有的任务编号",
    "intake.no_sub_target": "任务 {task} 在台账中没有子目标“{value}”",
    "intake.locked_changed": "锁定的单元格被改动：表中为{form}，台账中为{register}",
    "intake.period_without_actual": "填了数据期间却没有填完成值；请填写完成值，或清空数据期间",
    "intake.row_twice": "{task} 第 {target_no} 个子目标在本文件中出现两次且内容不同（第{first}行和第{row}行）",
    "intake.task_twice": "{task} 在本文件中报送了两次，{column}不同（第{rows}行）",
    "intake.progress_no_words": "{task}：任务进展情况“{value}”没有文字；报送须用文字写明已完成的工作量和"
    "时间节点（只填数字或公式不算报送）",
    "intake.no_progress": "{task}：任务进展情况为空；报送须用文字写明进展（只填数字不算报送）",
    "intake.no_numeric_target": "此任务没有数值子目标：完成值请留空，用文字填写进展",
    "intake.not_number": "{value}不是数字；请只填数字，单位按“单位”列（{unit}），不要带文字或单位{hint}",
    "intake.hint.comma": "；逗号像是小数点，小数点请用“.”（如 2.6），千位分隔只能每三位一个逗号",
    "intake.hint.nan": "；NaN、inf 不是数值，没有数据请留空",
    "intake.negative": "{value} 是负数；只有增速（增长率）可以为负",
    "intake.period_is_date": "数据期间被 Excel 变成了日期（如把“1-12”当作日期）；请按文字填写，"
    "如 1-{months}月",
    "intake.bad_period": "数据期间{value}应写作“1-{months}月”（自 1 月起累计）",
    "intake.period_too_late": "数据期间“{value}”晚于本季度的最后一个月（1-{months}月）",
    "intake.returned_twice": "{task} 由 {count} 个工作簿报送且内容不同（另见 {where}）；请商定后只报送一次",
    "intake.returned_where": "{file} 第{row}行",
    "intake.not_returned": "{unit} 未报送：{tasks}；{shown}",
    "intake.shown_missing": "这些任务在报告中显示为“未报送”",
    "intake.shown_ledger": "报告中暂沿用督查办台账中的进展情况",
    "intake.shown_mixed": "其中 {ids} 报告中暂沿用督查办台账中的进展情况，其余显示为“未报送”",
    "intake.empty_cell": "（空）",
    "intake.quoted": "“{text}”",
    "intake.more_ids": "……（另有 {more} 项）",
    "intake.summary.head": "填报汇总：{year}年第{quarter}季度（1-{months}月）",
    "intake.summary.files": "  读取文件：{count} 个",
    "intake.summary.rows": "  接收行数：{count}",
    "intake.summary.accepted": "  已接收任务：{count} 项（共 {total} 项）",
    "intake.summary.missing": "  未报送任务：{count} 项{ids}",
    "intake.summary.rejected": "  退回任务：{count} 项{ids}",
    "intake.summary.ids": "（{ids}）",
    "intake.summary.problems": "  问题：{count} 个",
    "intake.summary.written": "  已写入：",
    "intake.summary.backups": "  原文件备份为：",
    "intake.summary.nothing": "  未写入任何文件（原有文件保持原样）",
    "intake.summary.rejudge": "  以下 {count} 项任务进展已更新，督查办认定沿用原认定，请复核"
    "（workreport review --out 生成认定表，按新的进展情况重新认定）：{ids}",
    "intake.no_lead_unit": "未明确牵头单位",
    # --- the command line ---
    "cli.error": "错误：{error}",
    "cli.os_error": "错误：{where}：{reason}（{detail}）。未留下写了一半的文件，原有文件保持原样；"
    "请换一个可写的位置或腾出空间后重试。",
    "cli.intake_nothing_written": "未写入任何文件。请改正填报表后重新收取，或加 --partial "
    "先写入有效的报送并列出其余问题。",
    "cli.next_import": "下一步：workreport import --data-dir {folder} --year {year} --quarter 季度 台账文件",
    "cli.next_run": "下一步：workreport run --data-dir {folder} --year {year} --quarter {quarter}",
    # --- fonts ---
    "fonts.hint": "图中的中文标签需要 PyPI 包 mplfonts 中的字体 {font}。请安装本工具的依赖"
    "（pip install -e . 或 pip install mplfonts）后重试；不要运行 mplfonts init。",
    "fonts.no_package": "没有安装 mplfonts 包。{hint}",
    "fonts.no_font": "在 {roots} 下找不到 {font}。{hint}",
    # --- the batch run of the notebooks ---
    "batch.no_notebooks": "没有找到名为 NN_名称.ipynb 的 notebook",
    "batch.bar": "{year}年第{quarter}季度",
    "batch.bar_unit": "本",
    "batch.failed": "失败：{year}年第{quarter}季度 {name}.ipynb：{error}",
    "batch.failed_cell": "第{cell}个单元格（{first}）：{ename}：{evalue}",
    "batch.failed_at": "第{cell}个单元格：{ename}：{evalue}",
    "batch.failed_kept": "  已执行的 notebook 保存在 {failed}/；{target} 保持原样",
    "batch.done": "{year}年第{quarter}季度：{count} 个 notebook，用时 {seconds:.1f} 秒 -> {index}",
}


def say(key: str, /, **fields) -> str:
    """The message ``key`` with its fields filled in."""
    return MESSAGES[key].format(**fields)


def where(
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    table: str | None = None,
) -> str:
    """The location of a problem: file, sheet (or Word table), row and column, as a person
    looks them up.

    >>> where("data/2022/tasks.csv", row=7, column="task_id")
    'data/2022/tasks.csv，第7行，列“task_id”'
    """
    parts = [file]
    if sheet:
        parts.append(WHERE["sheet"].format(sheet=sheet))
    if table:
        parts.append(WHERE["table"].format(table=table))
    if row is not None:
        parts.append(WHERE["row"].format(row=row))
    if column:
        parts.append(WHERE["column"].format(column=column))
    return WHERE["join"].join(parts)


def located(place: str, message: str) -> str:
    """A message after its location: ``file，第7行：…``."""
    return f"{place}{WHERE['then']}{message}" if message else place
