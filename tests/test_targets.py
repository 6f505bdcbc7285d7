"""Sub-targets and actuals against values worked out by hand from the source document.

``fixtures/hand_worked_targets.csv`` was written by reading the 131 tasks by hand (never from a
run of this code): one row per quantitative sub-target, with its target, unit, kind and actual.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.compute.targets import extract_targets
from helpers.present.wording import subtarget_phrase
from tests.conftest import FIXTURES

HAND = pd.read_csv(FIXTURES / "hand_worked_targets.csv", dtype={"target_no": int})


@pytest.fixture(scope="module")
def subs(analysis):
    return analysis.subtargets.set_index(["task_id", "target_no"])


def test_every_hand_worked_subtarget_is_read(subs):
    hand = set(zip(HAND["task_id"], HAND["target_no"], strict=True))
    assert hand == set(subs.index)
    assert len(hand) == 69


@pytest.mark.parametrize(
    "row", HAND.to_dict("records"), ids=lambda r: f"{r['task_id']}-{r['target_no']}"
)
def test_subtarget_matches_hand_worked_value(subs, row):
    got = subs.loc[(row["task_id"], row["target_no"])]
    assert got["target"] == pytest.approx(row["target"])
    assert got["unit"] == row["unit"]
    assert got["kind"] == row["kind"]
    assert got["direction"] == row["direction"]
    if pd.isna(row["actual"]):
        assert math.isnan(got["actual"]), f"expected no actual, read {got['actual']}"
    else:
        assert got["actual"] == pytest.approx(row["actual"])
    if isinstance(row["actual_period"], str) and row["actual_period"]:
        assert got["actual_period"] == row["actual_period"]


# Worked by hand from the source (docs/method.md): value, target, 完成率 or gap.
@pytest.mark.parametrize(
    ("key", "actual", "target", "ratio"),
    [
        (("T004", 1), 560_000, 1_500_000, 0.3733),  # 拆除违法建筑 56万 of 150万平方米
        (("T005", 1), 1972, 100_000, 0.0197),  # 新山路 1972平方米 of 10万平方米
        (("T041", 1), 4565, 4500, 1.0144),  # 班列 4565列 of 4500班
        (("T083", 1), 221, 306, 0.7222),  # 优良天数 221 of 306 天
        (("T110", 1), 26_100, 20_000, 1.305),  # 新增市场主体 2.61万 of 2万户
        (("T038", 1), 528, 500, 1.056),  # 5G基站 528 of 500
        (("T049", 1), 2181, 5000, 0.4362),  # 公共停车位 2181 of 5000
        (("T088", 1), 1, 3, 0.3333),  # 绿色节能改造 1 of 3
        (("T007", 2), 10, 30, 0.3333),  # 社区健身点 10 of 30
        (("T002", 1), 1688, 5000, 0.3376),  # 进口整车 1688 of 5000辆
    ],
)
def test_cumulative_ratio_by_hand(subs, key, actual, target, ratio):
    got = subs.loc[key]
    assert (got["actual"], got["target"]) == (actual, target)
    assert got["ratio"] == pytest.approx(ratio, abs=5e-5)


def test_illegal_buildings_phrase_as_the_office_writes_it(subs):
    # 56/150 = 37.3%; 75% − 37.3% = 37.7 个百分点 below 序时.
    got = subs.loc[("T004", 1)]
    assert got["expected_ratio"] == 0.75
    assert got["gap_pp"] == pytest.approx(-37.67, abs=0.01)
    assert "完成年度目标的37.3%，低于序时进度37.7个百分点" in subtarget_phrase(got)
    assert got["status"] == "严重滞后"


def test_private_investment_share_is_a_level_not_pro_rated(subs):
    got = subs.loc[("T115", 1)]  # 民间投资占比 43.4% against 60%以上
    assert got["kind"] == "level"
    assert math.isnan(got["ratio"]) and math.isnan(got["expected_ratio"])
    assert got["gap_pp"] == pytest.approx(-16.6)


def test_digital_economy_growth_for_an_earlier_month(subs):
    got = subs.loc[("T040", 1)]  # 数字经济 5.7% for 1-8月 against 7%
    assert (got["kind"], got["actual"], got["actual_period"]) == ("growth", 5.7, "1-8月")
    assert got["gap_pp"] == pytest.approx(-1.3)
    assert got["status"] == "慢序时"  # within growth_amber_pp (2) of the target


def test_figure_for_an_earlier_month_uses_its_own_schedule(subs):
    got = subs.loc[("T037", 1)]  # 智能产业产值 1400亿 of 2000亿, 1-8月
    assert got["expected_ratio"] == pytest.approx(8 / 12)
    assert got["ratio"] == pytest.approx(0.7)
    assert got["status"] == "达序时"


def test_curated_values_say_so_with_a_reason(subs):
    curated = subs[subs["source"] == "curated"]
    assert len(curated) > 0
    assert (curated["curation_reason"].str.len() > 0).all()
    assert subs.loc[("T008", 1), "source"] == "curated"  # 全覆盖 = 100%, stated in words


def test_no_subtarget_of_a_task_without_numbers(subs):
    assert "T001" not in subs.index.get_level_values(0)  # 建设佛罗伦萨小镇二期: no number
    assert "T116" not in subs.index.get_level_values(0)  # “四个意识”: slogans, not targets


def test_subtargets_without_actual_are_listed(analysis):
    missing = analysis.checks[analysis.checks["check"] == "缺少完成值"]
    no_data = analysis.subtargets[analysis.subtargets["status"] == "无数据"]
    assert len(missing) >= len(no_data)
    assert "T048-1 拓展用地落地" in set(missing["item"])


# ---- Kinds of sentence seen in other governments' reports (issue 10) ----------------------
# Each case is a real sentence of data/corpus/ (its item id in the comment) or of the issue.


def read_one(task: str, progress: str, months: int = 12) -> pd.DataFrame:
    from helpers.compute.engine import compute_subtargets
    from helpers.core.config import load_settings

    tasks = pd.DataFrame({"task_id": ["X"], "task": [task]})
    prog = pd.DataFrame({"task_id": ["X"], "progress": [progress]})
    return compute_subtargets(tasks, prog, months, load_settings())


def test_restated_target_is_not_the_actual():
    # A03-005: the progress restates the plan before the figure.
    r = read_one("计划新增16条公交线", "计划新增16条公交线，到目前实际新增17条。").iloc[0]
    assert (r["target"], r["actual"]) == (16, 17)
    # B23-002: the target as the subject of its own progress.
    r = read_one("加固改造危桥120座", "120座危桥改造项目已完成87座，完成计划的72.5%。").iloc[0]
    assert r["actual"] == 87
    # The issue: 20个社区食堂建设已完成12个（60%）.
    r = read_one("建设20个社区食堂", "20个社区食堂建设已完成12个（60%）").iloc[0]
    assert r["actual"] == 12


def test_actual_without_the_metric_repeated():
    # A12-001: 已完成1处 names nothing; it is the one done figure of the unit.
    r = read_one(
        "今年我市计划修建人行天桥及地下通道10处。",
        "今年我市计划修建人行天桥及地下通道10处。截至6月底，已完成1处，正在建设3处，其余6处正在进行前期工作。",
    ).iloc[0]
    assert r["actual"] == 1
    # The bare actuals: 已新建18.4公里, 现已完成7条, 达5120例.
    assert read_one("新建城市道路25公里", "已新建18.4公里。").iloc[0]["actual"] == 18.4
    assert read_one("改造背街小巷10条", "现已完成7条。").iloc[0]["actual"] == 7
    assert read_one("完成白内障复明手术6000例", "截至9月底，达5120例。").iloc[0]["actual"] == 5120
    # A03-004: 全部完成 is the whole target, said in words.
    r = read_one(
        "计划今年在新建居住区补建公交首末站6个",
        "计划今年在新建居住区补建公交首末站6个,日前全部完成。",
    )
    assert r.iloc[0]["actual"] == 6 and "全部完成" in r.iloc[0]["actual_text"]


def test_projection_is_never_an_actual():
    # A06-004
    r = read_one(
        "金融业增加值增长6%。", "因全国统一调低了换算系数，金融业增加值预计增长2%，未达到年度目标。"
    )
    assert math.isnan(r.iloc[0]["actual"])
    # A16-002
    r = read_one(
        "今年底全省省级以上开发区将达53个左右", "按规划，今年底全省省级以上开发区将达53个左右。"
    )
    assert math.isnan(r.iloc[0]["actual"])


def test_decline_is_a_negative_growth_actual():
    # A01-001
    r = read_one(
        "地区生产总值增长6%左右。",
        "2020年度地区生产总值初步核算数50610595万元,增幅-1.1%。",
    ).iloc[0]
    assert (r["kind"], r["actual"]) == ("growth", -1.1)
    r = read_one("地区生产总值增长6%", "1-9月，地区生产总值下降3.5%。").iloc[0]
    assert r["actual"] == -3.5


def test_figures_listed_in_order_pair_in_order():
    # A04-001: two targets of one unit, two figures in the same order, traditional characters.
    r = read_one(
        "河北今年的目標是開工棚改安置房12萬套以上、建成8萬套以上。",
        "上半年已開工10.48萬套、建成7.43萬套,分別完成年度任務的87.3%、92.9%。",
    )
    assert list(r["target"]) == [120_000, 80_000]
    assert list(r["actual"]) == [104_800, 74_300]
    assert list(r["stated_rate"]) == [87.3, 92.9]


def test_the_number_whose_qualifier_matches():
    # A05-003: 一级高完中2所, not 幼儿园5所; 運動場9.51萬, not 校舍10.24萬.
    r = read_one(
        "目標任務:新增省一級示範幼儿園2所、一級高完中2所,建成校舍7萬平方米、運動場7萬平方米。",
        "完成情况:新增省一級示範幼儿園5所、一級高完中2所,建成校舍10.24萬平方米、運動場9.51萬平方米。",
    )
    assert list(r["actual"]) == [5, 2, 102_400, 95_100]


def test_one_figure_shared_by_several_metrics():
    t = extract_targets("固定资产投资和工业投资均增长10%以上")
    assert [(x.metric, x.quantity.value, x.kind) for x in t] == [
        ("固定资产投资", 10, "growth"),
        ("工业投资", 10, "growth"),
    ]
    # B01-002: 4个结构性指标均…: four sub-targets, the count is not one.
    t = extract_targets("4个结构性指标均实现10%以上增长")
    assert [x.quantity.value for x in t] == [10, 10, 10, 10]


def test_from_to_keeps_the_baseline_and_pairs_lists():
    # A13-001: 由A、B分别提高到C、D
    t = extract_targets("将城市低保标准由上年的324元、282元分别提高到356元、310元")
    assert [(x.metric, x.quantity.value, x.baseline, x.kind) for x in t] == [
        ("城市低保标准", 356, 324, "level"),
        ("城市低保标准", 310, 282, "level"),
    ]
    t = extract_targets("将低保标准从300元提高到320元")
    assert [(x.quantity.value, x.baseline) for x in t] == [(320, 300)]


def test_range_is_one_target_with_the_range_kept():
    t = extract_targets("地区生产总值增长5%-6%")
    assert [(x.quantity.value, x.target_range) for x in t] == [(5, "5-6%")]


def test_project_list_context_is_not_a_target():
    assert extract_targets("总投资120亿元的项目加快建设") == []
    # A18-002: 计划投资70万元建设的福龙桥 describes a bridge, it sets no target.
    assert extract_targets("计划投资70万元建设的福龙桥") == []
    # A15-001: the year's planned investment is a target.
    assert [x.quantity.value for x in extract_targets("年度计划投资295.16亿元")] == [
        pytest.approx(29_516_000_000)
    ]


def test_breakdown_in_brackets_is_not_a_target():
    # B07-001
    t = extract_targets(
        "学前教育第三期行动计划23所公办幼儿园新建、扩建(其中,区属3所、石碁镇6所、大石街1所)等"
    )
    assert [x.quantity.value for x in t] == [23]


def test_stated_rate_is_the_ratio_when_no_figure_is_read():
    # B08-001: the progress cell is only a rate.
    r = read_one("新(改、扩)建公办园5所,新增公办幼儿学位1000个。", "80%(新区实验幼儿园进度滞后)")
    assert list(r["ratio"]) == [0.8, 0.8]
    assert r["actual"].isna().all()
    assert "文中所述完成率" in subtarget_phrase(r.iloc[0])


def test_stated_rate_disagreeing_with_the_figures_is_listed():
    from helpers.compute.checks import check_subtargets
    from helpers.core.config import load_settings

    r = read_one(
        "新建300个社区蔬菜直销点", "目前已累计新建社区蔬菜直销点153个，占全年任务的61%。", 9
    )
    rows = check_subtargets(r, 9, load_settings())
    assert any(x["check"] == "完成率与文中不符" for x in rows)
    r = read_one(
        "新建300个社区蔬菜直销点", "目前已累计新建社区蔬菜直销点153个，占全年任务的51%。", 9
    )
    assert not any(
        x["check"] == "完成率与文中不符" for x in check_subtargets(r, 9, load_settings())
    )


def test_shared_figure_metrics_take_the_listed_figures_in_order():
    # B02-002
    r = read_one(
        "确保固定投资增速高于经济增速、4个结构性指标均实现10%以上增长",
        "4个结构性指标中,民间项目投资同比下降4.7%,交通投资增长6.5%,生态环保投资下降1.3%,"
        "高新技术产业投资增长8.0%,均居全省中上位次。",
    )
    assert list(r["actual"]) == [-4.7, 6.5, -1.3, 8.0]
    assert list(r["metric"]) == ["民间项目投资", "交通投资", "生态环保投资", "高新技术产业投资"]


def test_a_qualifying_floor_is_not_a_target():
    # B15-009: 200人以上 says which villages; the target is 97%.
    t = extract_targets("实现200人以上较大自然村公交通达率97%以上")
    assert [(x.quantity.value, x.quantity.unit) for x in t] == [(97, "%")]
    # The issue: 5亿元以上项目 qualifies the projects counted.
    t = extract_targets("新开工5亿元以上项目8个")
    assert [(x.quantity.value, x.quantity.unit) for x in t] == [(8, "个")]


def test_project_list_count_and_allocation_are_not_targets():
    # A20-001: 93项 counts the list, 总投资 is its size; 计划完成投资484亿元 is the target.
    t = extract_targets("自治区民生类重点项目共安排93项，总投资2921亿元，计划完成投资484亿元")
    assert [x.quantity.value for x in t] == [pytest.approx(48_400_000_000)]
    # A04-003: 每个县1个 is an allocation; the province's total is the target.
    t = extract_targets("每个县（市、区）建成1个高品质口袋公园，全省共建成166个")
    assert [x.quantity.value for x in t] == [166]


def test_a_results_sentence_yields_only_its_named_targets():
    # B17-001: the task cell reports results against control figures.
    t = extract_targets(
        "道路交通事故死亡85人，占全年控制指标（177人）的48%；火灾死亡人数3人，"
        "占全年控制指标（9人）的33.3%"
    )
    assert [x.quantity.value for x in t] == [177, 9]


def test_a_floor_on_a_part_is_a_target_a_breakdown_is_not():
    # C06-001
    t = extract_targets("全市新（扩）建幼儿园80所（其中公办30所以上）")
    assert [x.quantity.value for x in t] == [80, 30]


def test_share_of_a_control_figure():
    # B17-001: the figure before 占…控制指标（177人） is the actual; the rate is stated.
    text = "道路交通事故死亡85人，占全年控制指标（177人）的48%；火灾死亡人数3人，占全年控制指标（9人）的33.3%"
    r = read_one(text, text)
    assert list(r["actual"]) == [85, 3]


def test_standards_raised_in_the_progress_pair_in_order():
    # A13-001
    r = read_one(
        "将城市低保标准由上年的324元、282元分别提高到356元、310元",
        "截至6月底，庆阳市将城市低保标准由上年的324元、282元分别提高到356元、310元，"
        "全市月人均补助水平达到272元。",
    )
    assert list(r["actual"]) == [356, 310]
    assert list(r["kind"]) == ["level", "level"]


def test_target_of_a_results_sentence_is_signed_like_its_result():
    # B26-001: 下降3.59%，超过3%的年度约束性目标 — the target is a decline of 3%.
    t = extract_targets("全省单位GDP能耗同比下降3.59%，超过3%的年度约束性目标要求")
    assert [(x.quantity.value, x.kind) for x in t] == [(-3, "growth")]


def test_figure_compared_with_its_target_is_the_actual():
    # B26-001: 下降3.59%，超过3%的年度约束性目标 — the target is a decline, the actual before it.
    text = (
        "今年前三季度，全省单位GDP能耗同比下降3.59%，超过3%的年度约束性目标要求；"
        "规上工业单位增加值能耗下降5%，超过3.2%的年度约束性目标要求。"
    )
    r = read_one(text, text)
    assert list(r["target"]) == [-3, -3.2]
    assert list(r["actual"]) == [-3.59, -5]
    # C01-001: 增长7.4%，处于7%—7.5%年度预期目标区间
    r = read_one(
        "处于7%—7.5%年度预期目标区间",
        "前三季度全省生产总值39055.64亿元，同比增长7.4%，处于7%—7.5%年度预期目标区间范围之内。",
    )
    assert (r.iloc[0]["actual"], r.iloc[0]["kind"], r.iloc[0]["target_range"]) == (
        7.4,
        "growth",
        "7-7.5%",
    )


def test_rate_in_a_table_column_of_its_own():
    # B15-006: the progress cell ends with the 完成率 column.
    r = read_one(
        "逐步打通跨乡镇虞南断头路2条",
        "太平山-雪花谷项目：开展路基开挖等工作，累计形象进度30%；大岙-象田：完成形象进度至45% | 100.0%",
    )
    assert r.iloc[0]["ratio"] == 1.0 and r.iloc[0]["stated_rate_text"].startswith("|")


def test_a_level_reached_as_written_and_a_stated_rate_is_not_a_level():
    # B04-001: the standards reached are written as the targets were.
    r = read_one(
        "将城镇、农村低保人均最低补差水平从每人每月574元、271元分别提高到每人每月609元、300元。",
        "已完成。从2020年1月1日起，已将我市城乡低保标准提高到835元/人月；山区县补差水平提高到"
        "城镇609元/人月、农村300元/人月。",
    )
    assert list(r["actual"]) == [609, 300]
    # A22-002: 控制在4.5%以内 restates the target; 完成目标任务的66.5% is a stated rate.
    r = read_one(
        "控制在4.5%以内",
        "1-6月，全省城镇新增就业42.56万人，完成目标任务的66.5%。6月末，全省城镇登记失业率4.23%，"
        "控制在4.5%以内。",
    )
    assert r.iloc[0]["actual"] == 4.23


def test_cancelled_is_not_done():
    # B09-001
    r = read_one(
        "推进67所中小学风雨连廊建设。",
        "完成63所学校风雨连廊建设。另4所学校经现场核查不适宜建设，经研究决定取消上述4所学校的风雨连廊项目。",
    )
    assert r.iloc[0]["actual"] == 63


def test_successive_reports_in_one_cell_the_latest_counts():
    # B10-026 and B10-024: a table cell holding the earlier and the later report.
    r = read_one(
        "新建建筑垃圾中转站8个、建筑垃圾分类池20个。",
        "已建成建筑垃圾中转站3个、分类池10个；其余点位已启动建设流程。 |\n"
        "已建成建筑垃圾中转站7个、分类池17个。 |\n是",
    )
    assert list(r["actual"]) == [7, 17]
    r = read_one(
        "优化提升50条背街后巷交通组织。", "已进场施工，完成30%。 |\n已进场施工，完成60%。 |\n是"
    )
    assert r.iloc[0]["ratio"] == 0.6


def test_a_flow_given_as_a_bare_percentage_is_its_growth():
    # C03-001: a table row 指标名称 | 预期目标(增速)
    r = read_one("地区生产总值(简称“GDP”) | 7%", "截至三季度，GDP完成1202.39亿元、增长4.5%。")
    assert (r.iloc[0]["kind"], r.iloc[0]["actual"]) == ("growth", 4.5)
    assert extract_targets("民间投资占比60%以上")[0].kind == "level"


def test_the_one_progress_rate_for_a_level_target():
    # B15-004: 完成工程量50%以上; the text's one rate of its own is 进度至53%.
    r = read_one(
        "南北中心大道全线高架完成工程量50%以上",
        "年度任务目标12亿元，累计完成投资12.26亿元，进度至53% | 100.0%",
    )
    assert r.iloc[0]["actual"] == 53


def test_year_to_date_over_a_period_figure():
    # A15-001: the year-to-date total, not a part's.
    r = read_one(
        "2017年我州重点项目170个，年度计划投资295.16亿元",
        "1-9月累计完成投资229.68亿元，完成年度计划的77.82%。\n续建项目完成投资144.77亿元，"
        "完成年度计划的77.7%；新开工项目完成投资84.9亿元，完成年度计划的78.01%。",
    )
    assert r.iloc[0]["actual"] == pytest.approx(22_968_000_000)
    # 上半年 and 1-9月 both named: the longer period; 三季度's own figure gives way.
    r = read_one(
        "新增城镇就业2万人", "上半年，新增城镇就业1.2万人；1-9月，新增城镇就业1.8万人。", 9
    )
    assert (r.iloc[0]["actual"], r.iloc[0]["actual_period"]) == (18_000, "1-9月")
    r = read_one("新增城镇就业2万人", "三季度新增城镇就业0.6万人；1-9月，新增城镇就业1.8万人。", 9)
    assert r.iloc[0]["actual"] == 18_000


def test_rates_in_brackets_and_named_rates():
    # The issue: 正在施工中（85%） and 完成率120%.
    r = read_one("建设社区体育中心1个", "正在施工中（85%）")
    assert (r.iloc[0]["ratio"], r.iloc[0]["stated_rate"]) == (0.85, 85)
    r = read_one("建设20个社区食堂", "20个社区食堂建设已完成12个（60%）")
    assert (r.iloc[0]["actual"], r.iloc[0]["stated_rate"]) == (12, 60)
    r = read_one("新增就业岗位1000个", "完成率120%")
    assert r.iloc[0]["ratio"] == 1.2


def test_a_projection_reaches_over_its_sentence():
    # B25-002: 超3000个 is done; 6400多个 and 约1200个 are what is expected by 2025.
    r = read_one(
        "“十四五”期间，全省规划改造老旧小区5215个，",
        "已完成改造老旧小区超3000个，约占规划总数的60%。“十四五”期末全省预计可改造老旧小区"
        "6400多个，比规划数增加约1200个，惠及居民近200万户。",
    )
    assert r.iloc[0]["actual"] == 3000


def test_another_targets_floor_is_not_this_targets_figure():
    # B01-002: 实现10%以上增长 restates the shared target, not 落地率's figure.
    r = read_one(
        "4个结构性指标均实现10%以上增长，市县长项目落地率50%以上。",
        "4个结构性指标中，生态环保投资增长12.5%，为全省唯一个该指标实现10%以上增长的地市；"
        "民间项目投资同比下降26.8%、交通投资同比下降4.8%、高新技术产业投资同比下降2.0%。",
    )
    assert math.isnan(r.iloc[-1]["actual"])
    assert list(r["actual"])[:4] == [12.5, -26.8, -4.8, -2.0]


def test_target_given_as_a_gap_to_the_result():
    # A23-001: the target is worked from the two stated figures, and says so.
    text = "1.地区生产总值1519.9亿元，同比增长8.2%、高于计划目标0.7个百分点。"
    r = read_one(text, text)
    assert len(r) == 1
    assert (r.iloc[0]["target"], r.iloc[0]["actual"], r.iloc[0]["kind"]) == (7.5, 8.2, "growth")
    assert "推得" in r.iloc[0]["metric"]
    assert r.iloc[0]["target_span"] == "8.2%、高于计划目标0.7个百分点"


def test_a_plan_figure_in_the_clause_after_the_plan():
    # A03-010: 总面积251.5万平方米 is the plans' size; 已完成66.6万平方米 is done.
    r = read_one(
        "计划今年完成200万平方米既有建筑节能改造",
        "计划今年完成200万平方米既有建筑节能改造，已下发三批改造计划，总面积251.5万平方米；"
        "已完成66.6万平方米，在建65.7万平方米，其余项目月底开工。",
    )
    assert r.iloc[0]["actual"] == 666_000


def test_a_multiple_is_a_level_and_a_project_phase_investment_is_not_a_target():
    # B04-002, B21-003
    assert extract_targets("不低于当地最低生活保障标准的1.6倍")[0].kind == "level"
    t = extract_targets("二期计划投资1.65亿元，实施村内主次干道硬化工程359公里")
    assert [x.quantity.value for x in t] == [359]


def test_a_plan_said_with_yao_and_the_done_figure_in_the_targets_unit():
    # C11-001: 要在…新建2.4万座 restates the plan; 首批3700多座已经改造完成 is done.
    r = read_one(
        "要在农村地区新建2.4万座无害化卫生户厕",
        "其中包括，要在农村地区新建2.4万座无害化卫生户厕。目前，全市首批3700多座已经改造完成，"
        "提升改造村内公厕100多所，全部工程预计于今年11月底完工。",
    )
    assert (r.iloc[0]["actual"], r.iloc[0]["actual_approx"]) == (3700, "多")


def test_the_noun_after_a_classifier_names_the_metric_and_pairs_the_actual():
    # Found by a new office's trial: "3所学校" once read 学校 into the unit, leaving the metric
    # "所", which shares no words with "已建成学校2所"; any classifier + noun is the same kind.
    r = read_one("新建3所学校，新增学位4000个", "已建成学校2所，新增学位2400个", 9)
    assert list(r["metric"]) == ["学校", "学位"]
    assert list(r["actual"]) == [2, 2400]
    assert list(r["unit"]) == ["所", "个"]
