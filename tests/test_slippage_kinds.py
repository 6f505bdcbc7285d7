"""Kinds of slippage a 督查办 reader sees, written as general rules after corpus D's first-sight
misses (docs/method.md section 4): each rule on a sentence from corpus D, one written in another
government's wording, and a sentence of the same kind that is not slippage.
"""

from __future__ import annotations

import pytest
from judging import judge

from helpers.compute.classify import names_other_items, year_shares
from helpers.compute.slippage import read_slippage, simplified
from helpers.core.config import load_settings
from helpers.core.errors import DataError
from helpers.run.judgement_accuracy import cause_matches

S = load_settings()


def kinds(text: str) -> list[str]:
    return [h.kind for h in read_slippage(text, S)]


def causes(text: str) -> list[str]:
    return [h.cause for h in read_slippage(text, S) if h.cause]


# kind -> (sentence from corpus D, another government's wording, expected kind), and negatives.
POSITIVE = [
    # Progress words: 偏慢, 较慢, 进度慢 (D10-002, D08-001).
    ("其中,棚户区改造新开工进度较慢的为舒城县、金安区、霍邱县、叶集区。", "stalled"),
    ("截至9月底，全县农村改厕推进较慢，仅完成年度任务的四成。", "stalled"),
    ("老旧小区改造项目进度不理想。", "stalled"),
    # A stop (D01-009).
    ("目前已完成投资2223万元,因资金短缺,8月底后停止施工;", "paused"),
    ("受汛期影响，该段工程已于7月停建。", "paused"),
    # A restart of procurement or investment (D01-002, D03-008).
    ("新建丹凤高级中学项目已完成投资7500万元,因投资主体变动,现正重新对外招商;", "restarted"),
    ("污水处理厂设备采购首次招标流标。", "restarted"),
    # An adjusted target (D05-006).
    ("四、指标项目出现调整的有3项。", "adjusted"),
    ("受用地影响，调减年度建设任务2公里。", "adjusted"),
    # A gap stated in words (D13-001).
    ("其中,地区生产总值与固定资产投资离年度计划目标有一定差距。", "stalled"),
    ("全区新增市场主体与年度目标仍有差距。", "stalled"),
    # Waiting on a meeting's or a body's approval (D16-004, D11-009, D17-003).
    ("④宜春市特教学校扩建项目已调整分期建设方案,待常务会研究同意后进行预算财审。", "waiting"),
    ("已完成人员配置,警用车辆进入控购审批阶段。", "waiting"),
    ("自然资源局目前没有对方案设计文本批复。", "waiting"),
    ("实施方案已报市发改委，尚未批复。", "waiting"),
    ("用地预审已上报省自然资源厅，等待审批。", "waiting"),
    # A design still being revised (D04-003).
    ("石濟客運專線初步設計在修改變更中,", "drafting"),
    ("该项目初步设计正在修改完善。", "drafting"),
    # A start that did not happen (D04-007).
    ("中际海洋石油勘探信号收揽机项目由于合作方出现问题未能开工。", "not_started"),
    ("该项目因征地问题至今未动工。", "not_started"),
    # The office's own below-pace category, in a sentence (D20-004).
    ("二是有一定进度的实事项目 11个,占比达27.5%。", "stalled"),
    ("三是有一定进展的项目6个，占比15%。", "stalled"),
    # A time node missed.
    ("项目建设未按时间节点推进。", "stalled"),
    # A procedure not yet handled (D06-004).
    ("尚未办理供地手续。", "preparatory"),
    ("项目用地手续正在办理中。", "preparatory"),
]

NEGATIVE = [
    "经督导，该项目进度不慢。",
    "前期进度偏慢问题已解决，目前正常推进。",
    "项目进度没有偏慢。",
    "市本级完成进度较快。",
    "项目未停工。",
    "停工项目已复工。",
    "已完成重新招标并签订施工合同。",
    "目标任务未出现调整，按计划推进。",
    "城乡收入差距进一步缩小。",
    "实施方案已获市发改委批复，正在招标。",
    "已完成施工许可审批。",
    "项目已有一定进度。",
    "工程进度不会滞后。",
    "项目并未推迟。",
    "雨季施工措施到位，不影响工程进度。",
    "各项工作均按时间节点推进。",
]


@pytest.mark.parametrize(("text", "kind"), POSITIVE)
def test_a_kind_of_slippage_in_its_words(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_the_same_words_that_deny_or_close_it_are_not_slippage(text):
    assert kinds(text) == []


# -- A step done written without 已 ----------------------------------------------------------


def test_a_step_done_without_yi_cancels_its_clause():
    # Corpus D01-006; another wording.
    assert kinds("县医院医技楼建设项目完成地表清理工作及项目前期手续,正在进行招标。") == []
    assert kinds("现已办结用地前期手续，正在招标。") == []


@pytest.mark.parametrize(
    "text", ["前期手续尚未完成。", "尚未完成前期手续。", "力争10月底前完成前期手续。"]
)
def test_a_step_not_done_or_only_planned_does_not(text):
    assert kinds(text) == ["preparatory"]


# -- The office's category as a heading ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "滞后项目:一是实施近视防控教室照明改造工程(第三项)正在开展编制招标文件;",  # D02-001
        "其中,进度偏慢的3项分别是:改(新)建农村户用厕所、新增直播卫星用户。",  # D08-002
        "进展滞后事项：区人民医院改扩建工程。",
        "停工项目：城西综合市场。",
    ],
)
def test_a_heading_that_is_the_offices_category_states_slippage(text):
    assert kinds(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "取消高速公路省界收费站：已全部完成。",  # a heading naming a task
        "①滞后工程整改：已完成整改12处。",
        "已解决的滞后项目：3个。",
    ],
)
def test_a_heading_that_names_a_task_is_not_a_category(text):
    assert kinds(text) == []


# -- Causes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # Marked: 因…, 受…影响, 待…, 由于… (D01-002, D16-004, D04-007; other wordings).
        (
            "新建丹凤高级中学项目已完成投资7500万元,因投资主体变动,现正重新对外招商;",
            "因投资主体变动",
        ),
        ("待常务会研究同意后进行预算财审。", "待常务会研究同意后"),
        ("该项目由于征地问题一直未能开工。", "由于征地问题"),
        ("受疫情冲击，展会延期举办。", "受疫情冲击"),
        # A cause stated at length, its list's number dropped (D13-001).
        (
            "其中,地区生产总值与固定资产投资离年度计划目标有一定差距,主要原因有:"
            "一是受经济下行压力和统计专项治理“有责修数”等因素影响。",
            "受经济下行压力和统计专项治理“有责修数”等因素影响",
        ),
        ("全年目标仍有差距，原因有：1.重点项目投产延后。", "重点项目投产延后"),
        # A reason clause before the cue (D17-003; another wording).
        (
            "存在问题 项目建成后对东北角住户日照有影响,自然资源局目前没有对方案设计文本批复。",
            "项目建成后对东北角住户日照有影响",
        ),
        # An effect clause after it: 导致, 造成, 影响了 (D17-004, D04-006; another wording).
        (
            "存在问题 1.部分小区业主不同意安装充电设施,导致部分充电设施无法安装;",
            "部分小区业主不同意安装充电设施",
        ),
        (
            "華能四期 “上大壓小”指標(biāo)完成難度大,影響了項目前期進(jìn)度。",
            "华能四期 “上大压小”指标完成难度大",
        ),
        ("征地拆迁未完成，造成工期延后。", "征地拆迁未完成"),
        # The step still pending is why a project has not started (D04-005; another wording).
        (
            "5個項目未開工,……國電生物質發電項目的核準手續等待國家發改委批復,",
            "国电生物质发电项目的核准手续等待国家发改委批复",
        ),
        ("该项目尚未开工，初步设计正在修改完善。", "初步设计正在修改完善"),
        # A cause in the list of the items the sentence before names (D03-004; another wording).
        (
            "有9个项目已到开工时间节点而未开工。9个项目分别是:……丰利能源化工公司固废处理中心,"
            "待农作物收割后方可进地施工。",
            "待农作物收割后",
        ),
        ("全市有3个项目停工。具体为：甲项目，因环保整改要求停工。", "因环保整改要求"),
    ],
)
def test_the_cause_the_text_states(text, cause):
    assert cause in causes(text)


@pytest.mark.parametrize(
    "text",
    [
        "项目尚未开工，计划10月进场。",  # no reason given
        "3个项目未开工。下一步将加快推进，确保年底前开工。",  # the next sentence lists nothing
        "对进度没有影响，项目暂缓至下月招标。",  # a problem denied is none
    ],
)
def test_no_cause_where_the_text_states_none(text):
    assert causes(text) == []


def test_a_cause_keeps_a_pending_step_and_drops_a_dangling_adverb():
    # D03-008: 流标 is part of the cause; D03-003: 暂 belongs to 取消, not to the cause.
    assert causes("停工原因是设备招标第一次流标,正在准备二次招标。")[0].startswith(
        "设备招标第一次流标"
    )
    text = "未开工原因是受市场因素影响,一期投产后资金无法回笼,暂取消二期建设。"
    assert all(not c.endswith("暂") for c in causes(text))


def test_a_converters_pinyin_does_not_split_words_or_sentences():
    assert simplified("項目前期進(jìn)度（GDP）", S.cues) == "项目前期进度（GDP）"
    # 齊河?xùn)|盟: the ? of a lost character is not a full stop.
    hits = read_slippage("5个项目未开工,齐河?xùn)|盟项目土地手续已报省国土厅等待批复,", S)
    assert [h.kind for h in hits] == ["not_started", "waiting"]
    assert "等待批复" in hits[0].cause


def test_a_cause_copied_in_traditional_characters_matches_the_simplified_reading():
    assert cause_matches("土地手续已报省国土厅等待批复", "土地手續(xù)已報省國土廳等待批復(fù)")
    assert not cause_matches("因资金短缺", "土地手續(xù)已報省國土廳等待批復(fù)")


# -- A share of this year's plan, against the time elapsed -----------------------------------


@pytest.mark.parametrize(
    ("task", "text", "months"),
    [
        ("省档案馆", "截至9月底,,……省檔案館完成年度投資計劃的30.02%等,。", 9),  # D19-004
        ("市第二污水处理厂", "1-10月完成投资0.8亿元，占年度投资计划的35%。", 10),
    ],
)
def test_a_share_of_this_years_plan_far_below_the_time_lags(task, text, months):
    t = judge(task, text, months)
    assert t["slippage"] == "整体滞后" and t["lagging_metrics"].endswith("%")


@pytest.mark.parametrize(
    ("task", "text", "months"),
    [
        ("省广电中心", "截至9月底,,省廣電中心完成年度投資計劃的82.01%。", 9),  # D19-002
        ("省立医院心血管病综合大楼", "截至9月底，完成年度投资计划的68.43%。", 9),  # 慢序时 only
        ("地区生产总值", "1—9月完成428.3亿元，全年预计完成600亿元，完成年计划的97%。", 9),
    ],
)
def test_a_share_near_the_time_or_projected_does_not(task, text, months):
    assert judge(task, text, months)["slippage"] == "无"


def test_year_shares_skip_a_projection():
    assert year_shares("全年预计完成600亿元，完成年计划的97%。", S.words) == []
    assert [v for v, _ in year_shares("为年度计划的51.35%。", S.words)] == [51.35]


# -- A sentence listing other items ---------------------------------------------------------

LISTED = (
    "列入本次督查通报的为4项,分别为战略性新兴产业产值、固定资产投资、财政收入、规上工业增加值。"
    "其中,固定资产投资、财政收入、规上工业增加值3项指标未达到序时进度。"
)  # corpus D15


def test_a_list_of_other_items_is_not_the_tasks_slippage():
    assert (
        judge("战略性新兴产业产值(市《政府工作报告》主要经济指标任务)", LISTED, 11)["slippage"]
        == "无"
    )
    assert judge("固定资产投资(市《政府工作报告》主要经济指标任务)", LISTED, 11)["slippage"] != "无"


def test_a_list_of_other_items_in_another_wording():
    text = "全县民生实事共5件，即农村改厕、城区停车场、乡镇卫生院、农贸市场、公办幼儿园。其中城区停车场、农贸市场进展滞后。"
    assert names_other_items("其中城区停车场、农贸市场进展滞后", "农村改厕", text)
    assert not names_other_items("其中城区停车场、农贸市场进展滞后", "城区停车场", text)
    # A task not named among siblings: its parts listed as lagging stay its slippage.
    own = "城区老旧小区改造完成60%。其中甲小区、乙小区进度滞后。"
    assert not names_other_items("其中甲小区、乙小区进度滞后", "城区老旧小区改造", own)


@pytest.mark.parametrize("key", ["outcome_kinds", "step_kinds"])
def test_unknown_kind_is_refused(tmp_path, key):
    f = tmp_path / "s.toml"
    f.write_text(f'[cues]\n{key} = ["late"]\n', encoding="utf-8")
    with pytest.raises(DataError, match=key):
        load_settings(f)


def test_every_kind_has_a_plain_judgement_for_the_letter():
    from helpers.core.config import CUE_KINDS
    from helpers.present.wording import KIND_JUDGEMENT

    assert set(CUE_KINDS) <= set(KIND_JUDGEMENT)


def test_a_cue_inside_a_closed_cause_is_part_of_the_cause():
    # 受…影响 is closed by its own words: the 滞后 inside it is the cause's, not a slippage cue,
    # and the cause is not cut there. Another wording, and a negative (on track despite it).
    s = load_settings()
    hits = read_slippage("受资金拨付滞后影响，项目暂缓实施。", s)
    assert [(h.kind, h.cause) for h in hits] == [("paused", "受资金拨付滞后影响")]
    hits = read_slippage("项目受征地拆迁进度滞后影响，尚未开工。", s)
    assert [(h.kind, h.cause) for h in hits] == [("not_started", "受征地拆迁进度滞后影响")]
    assert read_slippage("受上游工程滞后影响，本项目仍按计划推进。", s) == []


def test_an_open_cause_before_the_slippage_is_its_whole_clause():
    # 因…/由于… is closed by nothing but its clause's end. When the slippage it explains is in a
    # later clause, the whole clause is the cause and its cue (滞后, 缓慢) says what the cause
    # is: it is not cut there (因资金拨付滞后 was read 因资金拨付) nor read as a slippage of its
    # own. Built-in T036's sentence, two other wordings, and the negatives: an open cause holding
    # the only cue is cut before it, and one after the cue is cut as before.
    s = load_settings()

    def read(text):
        return [(h.kind, h.cause) for h in read_slippage(text, s)]

    assert read("因市级主管部门审批未通过，研究院无法成立。") == [
        ("failed", "因市级主管部门审批未通过")
    ]
    assert read("因资金拨付滞后，项目进度缓慢。") == [("stalled", "因资金拨付滞后")]
    assert read("由于拆迁进度缓慢，项目未能按期开工。") == [("failed", "由于拆迁进度缓慢")]
    assert read("项目建设因企业自身原因暂缓推进。") == [("paused", "因企业自身原因")]
    assert read("二期仍未启动，音乐小镇项目因企业自身原因暂缓推进。") == [
        ("not_started", "因企业自身原因"),
        ("paused", "因企业自身原因"),
    ]
