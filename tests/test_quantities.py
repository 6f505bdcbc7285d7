"""Reading numbers from Chinese text: each case worked out by hand from the source's wording."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.read.quantities import (
    find_period,
    find_quantities,
    normalize,
    parse_number,
    read_indicator_progress,
)


def one(text):
    qs = find_quantities(text)
    assert len(qs) == 1, [q.raw for q in qs]
    return qs[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("拆除150万平方米违法建筑", 1_500_000, "平方米"),
        ("面积1972平方米", 1972, "平方米"),  # 0.1972万平方米
        ("入驻企业面积20000㎡", 20000, "平方米"),  # ㎡ = 平方米
        ("2022年预计可交付5万平米", 50000, "平方米"),  # 平米 = 平方米
        ("班列开行4500班以上", 4500, "列"),  # 班 = 列 (train runs)
        ("共开行4565列", 4565, "列"),
        ("新增市场主体2.61万户", 26100, "户"),
        ("确保全年正式签约1000亿元以上", 1e11, "元"),
        ("追赃挽损833.32万元", 8_333_200, "元"),
        ("新增城镇就业3万人", 30000, "人"),
        ("引育10名领军人才", 10, "人"),  # 名 = 人
        ("新改建“四好农村路”50公里", 50, "公里"),
        ("治理修复污染土壤4万立方米", 40000, "立方米"),
        ("推动20平方公里拓展用地落地", 20, "平方公里"),
    ],
)
def test_value_multiplier_and_unit(text, value, unit):
    q = one(text)
    assert q.value == pytest.approx(value)
    assert q.unit == unit


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("前三季度技术交易合同登记约4.3亿元", 4.3e8, "约"),
        ("培训500余人次", 500, "余"),
        ("增长超过11%", 11, "超过"),
        ("民间投资占比60%以上", 60, "以上"),
        ("地区生产总值增长5.5%左右", 5.5, "左右"),
    ],
)
def test_approximations_are_kept(text, value, approx):
    q = one(text)
    assert q.value == pytest.approx(value)
    assert approx in q.approx


@pytest.mark.parametrize(
    ("text", "value"), [("建成三个", 3), ("引进两家企业", 2), ("开展十项工作", 10)]
)
def test_chinese_numerals_before_a_classifier(text, value):
    assert one(text).value == value


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("新建农村公路一百二十公里", 120, "公里"), ("改造老旧管网四十公里", 40, "公里"),
     ("新增绿地十五亩", 15, "亩")],
)  # fmt: skip
def test_composed_chinese_numerals_before_a_measure(text, value, unit):
    q = one(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("text", ["打通服务群众最后一公里", "一米阳光", "增长百分之五"])
def test_a_lone_chinese_digit_before_a_measure_is_a_saying(text):
    assert find_quantities(text) == []


def test_signup_is_not_an_approximation():
    # 签约 holds 约 but is not 约 (about): 签约1000亿元 is exact.
    assert one("确保全年正式签约1000亿元以上").approx == "以上"


def test_growth_rate_versus_level():
    assert one("地区生产总值增长5.5%左右").growth is True
    assert one("城市生活垃圾回收利用率达40%").growth is False


def test_negative_growth_is_data():
    q = one("区级税收增长-29.16%")
    assert q.value == pytest.approx(-29.16)


@pytest.mark.parametrize(
    "text",
    [
        "科学大道（物流园段）已于3月17日通车",  # a date
        "并以区政府名义正式印发（沙府发〔2022〕25号）",  # a document number
        "地区生产总值增长（主城区第4名）",  # a ranking
        "深入开展“十项全面清理”",  # a name in quotes
        "认真落实中央八项规定精神",  # a name
        "已新建开通5G基站",  # 5G is a name, not five of something
        "嘉陵厂二支路完工",  # a road's name
        "打造中国西部1491国际创意谷",  # no unit: a name
    ],
)
def test_numbers_that_are_not_progress_are_skipped(text):
    assert find_quantities(text) == []


def test_several_targets_in_one_task():
    qs = find_quantities("新建3个社区体育公园、30个社区健身点")
    assert [(q.value, q.after) for q in qs] == [(3, "社区体育公园"), (30, "社区健身点")]


def test_every_number_keeps_its_text_span():
    text = "1-9月，已拆除违法建筑56万平方米（已整治违法建筑231.45万平方米）。"
    for q in find_quantities(text):
        assert text[q.start : q.end].endswith(q.raw)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("1-8月，我区智能产业产值1400亿元。", (1, 8)),
        ("截至9月30日，我区既有居民用户419295户", (1, 9)),
        ("前三季度共计新增城市绿地78万平方米", (1, 9)),
        ("1-6月，全体居民人均可支配收入增长2.8%。", (1, 6)),
        ("已完成改厕1157户。", None),
    ],
)
def test_period_of_a_figure(text, months):
    assert find_period(text) == months


def test_indicator_side_notes_and_rank():
    r = read_indicator_progress("1-9月，工业增加值增长3 %（规上工业增加值增长3.6%，主城区第6名）。")
    assert (r["period"], r["value"], r["rank"]) == ("1-9月", 3.0, 6)
    assert r["notes"] == "规上工业增加值增长3.6%"


@pytest.mark.parametrize(
    ("text", "value"), [("二十三", 23), ("一百零五", 105), ("十", 10), ("两", 2)]
)
def test_parse_chinese_numerals(text, value):
    assert parse_number(text) == value


def test_parse_number_rejects_words():
    with pytest.raises(ValueError, match="not a number"):
        parse_number("若干")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_reader_never_crashes_on_arbitrary_text(text):
    for q in find_quantities(text):
        assert q.start < q.end
    find_period(text)
    read_indicator_progress(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet="0123456789.万亿个户平方米%增长约余以上，。、（）-月日第名号〔〕一二三两十",
        max_size=60,
    )
)
def test_reader_never_crashes_on_number_like_text(text):
    find_quantities(text)
    find_period(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_integers_read_back(n):
    q = one(f"完成{n}户")
    assert q.value == n


# ---- Number forms as real pages write them (issue 10); sentences from data/corpus/ --------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("已拆除违法建筑５６．５万平方米", 565_000, "平方米"),  # full-width digits and point
        ("完成1，234平方米", 1234, "平方米"),  # full-width thousands separator
        ("地方一般公共预算收入完成1,211,484万元", 12_114_840_000, "元"),  # B14-002
        ("已拆除违法建筑56\u200b万平方米", 560_000, "平方米"),  # zero-width space inside
        ("完成投资1.17\u00a0亿元", 117_000_000, "元"),  # A10-001, no-break space
        ("已開工10.48萬套", 104_800, "套"),  # A04-001, 萬
        ("享受扶貧小額到戶貸款13.16億元", 1_316_000_000, "元"),  # A05-001, 億
        ("拆除违法建筑五十六万平方米", 560_000, "平方米"),  # Chinese numerals, cn2an
        ("已完成建设淮东路、姚江南路、高峰路、大明道、汾水道五座人行天桥", 5, "座"),  # A03-003
    ],
)
def test_number_forms(text, value, unit):
    q = find_quantities(normalize(text))[-1]
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_approximations_are_flagged_not_exact():
    q = find_quantities("受益群众不足1万人")[0]
    assert (q.value, q.approx) == (10_000, "不足")
    assert find_quantities("近200万户")[0].approx == "近"
    assert find_quantities("约1200个")[0].approx == "约"


def test_five_a_side_pitch_is_not_five_people():
    assert [(q.value, q.unit) for q in find_quantities("建成5人制足球场3个")] == [(3, "个")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("地区生产总值下降3.5%", -3.5),
        ("民间项目投资同比下降26.8%", -26.8),  # B01-002
        ("生态环保投资下降1.3%", -1.3),  # B02-002
        ("同比减少3.5%", -3.5),
        ("负增长3.5%", -3.5),
        ("增速回落2.1%", -2.1),
        ("2020年度地区生产总值初步核算数50610595万元，增幅-1.1%", -1.1),  # A01-001
        ("一般公共预算收入增长-6.8%", -6.8),
        ("交通投资增长6.5%", 6.5),
        ("工业投资同比持平", 0.0),
    ],
)
def test_declines_are_negative_growth(text, value):
    q = [q for q in find_quantities(normalize(text)) if q.growth][-1]
    assert q.value == pytest.approx(value)


def test_normalize_keeps_positions_of_visible_characters():
    text = "截至9月底，累计完成维修改造锅炉118台"
    assert normalize(text) == text
    assert normalize("開工10.48萬套,建成7.43萬套") == "开工10.48万套，建成7.43万套"


def test_people_counted_by_the_noun():
    # A07-001: 180万农村人口 has no classifier; it counts people.
    q = find_quantities("解决180万农村人口饮水安全问题")[0]
    assert (q.value, q.unit) == (1_800_000, "人")
