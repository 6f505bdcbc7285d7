"""The reader of the flattened Word report, checked against counts the document states."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.read.build_data import build, stated_counts
from helpers.read.source_reader import parse_report, split_people, split_units

RAW = paths.RAW_DIR / paths.RAW_SOURCE_2022_Q3


@pytest.fixture(scope="module")
def tasks():
    return pd.read_csv(paths.DATA_DIR / "2022" / "tasks.csv", dtype=str, keep_default_na=False)


def test_document_counts_ten_indicators_and_131_tasks():
    parsed = parse_report(RAW)
    assert len(parsed.indicators) == 10
    assert len(parsed.lagging) == 9
    assert len(parsed.normal) == 122


def test_register_has_131_tasks_in_28_sections(tasks):
    assert len(tasks) == 131
    assert tasks["section"].nunique() == 28
    assert tasks["task_id"].tolist()[:2] == ["T001", "T002"]


def test_merged_section_is_filled_down(tasks):
    # 附件2 row 9 has an empty 工作板块 cell merged with row 8 (加强社会治理创新).
    assert tasks.set_index("task_id").loc["T009", "section"] == "加强社会治理创新"
    # A merged row in 附件3 directly under 建好环大学创新生态圈 (四川外国语大学新校区).
    t = tasks.set_index("task_id")
    assert t.loc["T017", "task"] == "推动四川外国语大学新校区建设"
    assert t.loc["T017", "section"] == "建好环大学创新生态圈"


def test_eight_distinct_leaders_with_padding_removed(tasks):
    leaders = {x for v in tasks["leaders"] for x in v.split(";")}
    assert leaders == {"陈英", "田盈", "凌健", "户邑", "赵祺", "钟文", "林易乾", "黄可欣"}


def test_tasks_with_two_leaders(tasks):
    t = tasks.set_index("task_id")
    # 附件3 row 2: 户  邑 / 凌  健; 引进3支创投基金: 陈  英 / 田  盈.
    assert t.loc["T011", "leaders"] == "户邑;凌健"
    assert t.loc["T019", "leaders"] == "陈英;田盈"


def test_bracketed_line_belongs_to_the_unit_above(tasks):
    t = tasks.set_index("task_id")
    assert t.loc["T004", "lead_units"] == "区城管局（区整违办）"
    assert "区商务委（区招商中心）" in t.loc["T010", "partner_units"].split(";")
    units = {x for c in ("lead_units", "partner_units") for v in tasks[c] for x in v.split(";")}
    assert not any(u.startswith("（") for u in units)


def test_wrapped_unit_names_are_joined(tasks):
    t = tasks.set_index("task_id")
    assert "生活垃圾分类工作领导小组成员单位" in t.loc["T004", "partner_units"].split(";")


def test_indicator_periods_and_values():
    ip = pd.read_csv(paths.DATA_DIR / "2022" / "Q3" / "indicator_progress.csv").set_index(
        "indicator_id"
    )
    assert (ip.loc["I05", "period"], ip.loc["I05", "value"]) == ("1-8月", 7.59)  # 进出口总额
    assert (ip.loc["I08", "period"], ip.loc["I08", "value"]) == ("1-6月", 2.8)  # 居民收入
    assert ip.loc["I01", "rank"] == 4  # 主城区第4名
    assert ip.loc["I06", "notes"] == "扣除留抵退税因素后增长-3.6%"


def test_conversion_artefacts_are_cleaned():
    text = (paths.DATA_DIR / "2022" / "Q3" / "progress.csv").read_text(encoding="utf-8")
    assert "[bookmark:" not in text
    assert "[bookmark: _GoBack]" in RAW.read_text(encoding="utf-8")  # it was there to clean


def test_rebuild_gives_byte_identical_files(tmp_path):
    written = build(RAW, tmp_path, 2022, 3)
    assert len(written) == 5
    for path in written:
        committed = paths.DATA_DIR / path.relative_to(tmp_path)
        assert filecmp.cmp(path, committed, shallow=False), path.name


def test_body_counts_are_read_as_stated():
    stated = stated_counts(parse_report(RAW).body)
    assert (
        stated["indicators_met"],
        stated["indicators_missed"],
        stated["indicators_on_schedule"],
    ) == (1, 7, 2)
    assert (stated["tasks"], stated["tasks_normal"], stated["tasks_lagging"]) == (131, 122, 9)
    assert len(stated["indicators_missed_named"]) == 6  # the document's own inconsistency


def test_people_and_units_splitting():
    assert split_people("陈  英\n田  盈") == ["陈英", "田盈"]
    assert split_units("区财政局\n（区金融办）\n区商务委") == ["区财政局（区金融办）", "区商务委"]


def test_report_without_annexes_is_an_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("区政府：\n只有正文。\n", encoding="utf-8")
    with pytest.raises(DataError, match="找不到附件标题"):
        parse_report(bad)


def test_report_in_gbk_is_an_error(tmp_path):
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("附件1\n标题\n".encode("gbk"))
    with pytest.raises(DataError, match="不是 UTF-8 文本"):
        parse_report(bad)
