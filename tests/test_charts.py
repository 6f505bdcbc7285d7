"""Tests for helpers.present.fonts and helpers.present.charts, on tiny hand-built tables.

Expected numbers are the inputs themselves (a bar is as long as the number it shows) or worked
out by hand (counts of statuses), never copied from a run.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from helpers.core.config import load_settings
from helpers.present.charts import (
    indicator_chart,
    scorecard_chart,
    status_count_chart,
    subtarget_chart,
    wrap_label,
)
from helpers.present.fonts import setup_fonts

SETTINGS = load_settings()
COLOURS = SETTINGS.colours
NAN = float("nan")


# --- tiny inputs ------------------------------------------------------------------------------
def _indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["地区生产总值", "进出口总额", "空气质量"],
            "target_text": ["增长5.5%左右", "增长6%", "优良天数比例达到省下达的年度目标要求"],
            "kind": ["growth", "growth", "qualitative"],
            "target_value": [5.5, 6.0, NAN],
            "actual": [2.6, -29.16, NAN],
            "unit": ["%", "%", ""],
            "period": ["1-9月", "1-8月", ""],
            "status": ["不达预期", "不达预期", "符合时间节点要求"],
            "rank": pd.array([3, pd.NA, pd.NA], dtype="Int64"),
        }
    )


def _subtargets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["T001", "T002", "T003", "T004"],
            "section": ["城市建设与管理"] * 4,
            "metric": [
                "拆除违法建筑",
                "新建改造城市道路和绿道长度合计（含慢行系统）",
                "新增公共停车泊位",
                "新增普惠性托育机构托位",
            ],
            "ratio": [0.373, 1.3, 1.8, NAN],
            "expected_ratio": [0.75, 0.75, 0.6667, 0.75],
            "status": ["严重滞后", "已完成", "已完成", "无数据"],
            "kind": ["cumulative"] * 4,
        }
    )


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "section": ["经济高质量发展", "经济高质量发展", "经济高质量发展", "民生福祉保障"],
            "status": ["严重滞后", "达序时", "严重滞后", "已完成"],
        }
    )


def _scorecard() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "owner": ["市发展和改革委员会", "市住房和城乡建设局", "市生态环境局"],
            "tasks": [5, 8, 3],
            "lagging": [2, 1, 2],
            "mean_ratio": [0.621, NAN, 0.9],
        }
    )


BUILDERS: dict[str, Callable[[pd.DataFrame | None], Figure]] = {
    "indicator": lambda df: indicator_chart(_indicators() if df is None else df, SETTINGS),
    "subtarget": lambda df: subtarget_chart(_subtargets() if df is None else df, SETTINGS),
    "status_count": lambda df: status_count_chart(
        _tasks() if df is None else df, "section", "status", SETTINGS, "各工作板块任务状态"
    ),
    "scorecard": lambda df: scorecard_chart(_scorecard() if df is None else df, SETTINGS),
}


# --- helpers ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def _bars(ax) -> list[Rectangle]:
    """Bars of an Axes, top row first (the y axis is inverted, so top is smallest y)."""
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    return sorted(bars, key=lambda p: p.get_y())


def _row_bars(ax, label_start: str) -> list[Rectangle]:
    """Bars drawn on the row whose tick label starts with ``label_start``."""
    ticks = [t for t in ax.get_yticklabels() if t.get_text().startswith(label_start)]
    assert len(ticks) == 1, [t.get_text() for t in ax.get_yticklabels()]
    y = ticks[0].get_position()[1]
    return [p for p in _bars(ax) if abs(p.get_y() + p.get_height() / 2 - y) < 0.5]


def _draw_strictly(fig: Figure) -> None:
    """Draw the figure with every warning (a missing glyph above all) turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


# --- fonts ------------------------------------------------------------------------------------
def test_setup_fonts_puts_noto_sans_cjk_first():
    family = setup_fonts()
    assert family == "Noto Sans CJK SC"
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["font.family"] == ["sans-serif"]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_setup_fonts_twice_does_not_repeat_the_family():
    setup_fonts()
    family = setup_fonts()
    assert mpl.rcParams["font.sans-serif"].count(family) == 1


def test_glyph_check_fails_with_a_latin_only_font():
    # Guards the strict-draw tests below: they would pass vacuously if no warning could fire.
    setup_fonts()
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        fig = plt.figure()
        fig.text(0.5, 0.5, "地区生产总值")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()


# --- every chart ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", BUILDERS)
def test_chart_returns_a_figure(name):
    assert isinstance(BUILDERS[name](None), Figure)


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_draws_chinese_without_missing_glyphs(name):
    _draw_strictly(BUILDERS[name](None))


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_of_empty_frame_says_no_data(name):
    empty = {
        "indicator": _indicators().iloc[:0],
        "subtarget": _subtargets().iloc[:0],
        "status_count": _tasks().iloc[:0],
        "scorecard": _scorecard().iloc[:0],
    }[name]
    fig = BUILDERS[name](empty)
    _draw_strictly(fig)
    assert "无数据" in _texts(fig)


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_of_frame_without_columns_says_no_data(name):
    assert "无数据" in _texts(BUILDERS[name](pd.DataFrame()))


def test_chart_with_missing_column_names_it():
    with pytest.raises(ValueError, match="expected_ratio"):
        subtarget_chart(_subtargets().drop(columns="expected_ratio"), SETTINGS)


def test_figure_height_grows_with_rows():
    few = subtarget_chart(_subtargets().iloc[:2], SETTINGS).get_size_inches()[1]
    many = subtarget_chart(_subtargets(), SETTINGS).get_size_inches()[1]
    assert many > few


# --- indicator_chart --------------------------------------------------------------------------
def test_indicator_bars_carry_target_and_actual():
    ax = indicator_chart(_indicators(), SETTINGS).axes[0]
    target, actual = _row_bars(ax, "地区生产总值")
    assert target.get_width() == pytest.approx(5.5)
    assert actual.get_width() == pytest.approx(2.6)


def test_indicator_negative_growth_is_a_negative_bar():
    ax = indicator_chart(_indicators(), SETTINGS).axes[0]
    _, actual = _row_bars(ax, "进出口总额")
    assert actual.get_width() == pytest.approx(-29.16)
    assert actual.get_x() == 0


def test_indicator_actual_bar_has_its_status_colour():
    ind = _indicators()
    ind.loc[0, "status"] = "符合预期"
    ax = indicator_chart(ind, SETTINGS).axes[0]
    assert to_hex(_row_bars(ax, "地区生产总值")[1].get_facecolor()) == to_hex(COLOURS["符合预期"])
    assert to_hex(_row_bars(ax, "进出口总额")[1].get_facecolor()) == to_hex(COLOURS["不达预期"])


def test_indicator_row_label_shows_the_period():
    ax = indicator_chart(_indicators(), SETTINGS).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(label.startswith("进出口总额（1-8月）") for label in labels)


def test_indicator_value_labels_show_unit_and_sign():
    texts = _texts(indicator_chart(_indicators(), SETTINGS))
    assert {"2.6%", "-29.16%", "5.5%"} <= set(texts)


def test_indicator_qualitative_row_is_listed_not_drawn_as_a_bar():
    fig = indicator_chart(_indicators(), SETTINGS)
    bar_axes = fig.axes[0]
    assert len(_bars(bar_axes)) == 4  # two numeric indicators × (target, actual)
    assert "空气质量" in _texts(fig)
    assert "符合时间节点要求" in _texts(fig)


# --- subtarget_chart --------------------------------------------------------------------------
def test_subtarget_bar_width_is_the_ratio():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    assert _row_bars(ax, "T001")[0].get_width() == pytest.approx(0.373)
    assert "37.3%" in _texts(ax.figure)


def test_subtarget_level_target_is_drawn_as_level_over_target():
    df = _subtargets().assign(direction="higher", actual=NAN, target=NAN)
    df.loc[3, ["kind", "actual", "target", "status"]] = ["level", 43.4, 60.0, "严重滞后"]
    ax = subtarget_chart(df, SETTINGS).axes[0]
    assert _row_bars(ax, "T004")[0].get_width() == pytest.approx(43.4 / 60)


def test_subtarget_ratio_over_one_is_not_capped_below_150_percent():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    assert _row_bars(ax, "T002")[0].get_width() == pytest.approx(1.3)
    assert "130.0%" in _texts(ax.figure)


def test_subtarget_ratio_over_150_percent_is_capped_with_true_label():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    assert _row_bars(ax, "T003")[0].get_width() == pytest.approx(1.5)
    assert "180.0%" in _texts(ax.figure)


def test_subtarget_missing_ratio_draws_no_bar_and_says_no_data():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    assert _row_bars(ax, "T004")[0].get_width() == 0
    assert "无数据" in _texts(ax.figure)


def test_subtarget_bars_have_their_status_colour():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    for task, status in [("T001", "严重滞后"), ("T002", "已完成"), ("T004", "无数据")]:
        assert to_hex(_row_bars(ax, task)[0].get_facecolor()) == to_hex(COLOURS[status])


def test_subtarget_unknown_status_gets_the_no_data_grey():
    targets = _subtargets()
    targets.loc[0, "status"] = "待核实"
    ax = subtarget_chart(targets, SETTINGS).axes[0]
    assert to_hex(_row_bars(ax, "T001")[0].get_facecolor()) == to_hex(COLOURS["无数据"])


def test_subtarget_marks_each_rows_expected_ratio():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    (ticks,) = ax.collections  # one LineCollection of 序时进度 ticks
    xs = sorted({round(seg[0][0], 4) for seg in ticks.get_segments()})
    assert xs == [0.6667, 0.75]


def test_subtarget_legend_has_statuses_and_expected_marker():
    fig = subtarget_chart(_subtargets(), SETTINGS)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["已完成", "严重滞后", "无数据", "序时进度"]


def test_subtarget_long_metric_is_wrapped_with_task_id():
    ax = subtarget_chart(_subtargets(), SETTINGS).axes[0]
    (label,) = [t.get_text() for t in ax.get_yticklabels() if t.get_text().startswith("T002")]
    assert "\n" in label
    assert label.startswith("T002 新建")


def _row_labels(df: pd.DataFrame) -> list[str]:
    return [t.get_text() for t in subtarget_chart(df, SETTINGS).axes[0].get_yticklabels()]


def test_subtargets_of_a_register_without_sections_are_one_list_without_headings():
    labels = _row_labels
    assert labels(_subtargets())[0] == "【城市建设与管理】"
    flat = labels(_subtargets().assign(section=""))
    assert len(flat) == 4 and not any("【" in t or "未分板块" in t for t in flat)
    # One task without a section among others: its group is named, not dropped.
    mixed = labels(_subtargets().assign(section=["城市建设与管理", "", "", "城市建设与管理"]))
    assert "【未分板块】" in mixed and len(mixed) == 6


# --- status_count_chart -----------------------------------------------------------------------
def test_status_count_segments_are_hand_counted():
    # 经济高质量发展: 达序时 1, 严重滞后 2; 民生福祉保障: 已完成 1.
    ax = status_count_chart(_tasks(), "section", "status", SETTINGS, "状态").axes[0]
    top = [(to_hex(p.get_facecolor()), p.get_width()) for p in _row_bars(ax, "经济高质量发展")]
    nonzero = [(c, w) for c, w in top if w > 0]
    # Statuses are stacked in the configured order: 达序时 before 严重滞后.
    assert nonzero == [(to_hex(COLOURS["达序时"]), 1), (to_hex(COLOURS["严重滞后"]), 2)]
    bottom = [p.get_width() for p in _row_bars(ax, "民生福祉保障") if p.get_width() > 0]
    assert bottom == [1]


def test_status_count_legend_follows_settings_order_then_others():
    tasks = _tasks()
    tasks.loc[3, "status"] = "另行说明"
    fig = status_count_chart(tasks, "section", "status", SETTINGS, "状态")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["达序时", "严重滞后", "另行说明"]


# --- scorecard_chart --------------------------------------------------------------------------
def test_scorecard_sorted_by_lagging_then_tasks():
    ax = scorecard_chart(_scorecard(), SETTINGS).axes[0]
    labels = [t.get_text().replace("\n", "") for t in ax.get_yticklabels()]
    assert labels == ["市发展和改革委员会", "市生态环境局", "市住房和城乡建设局"]


def test_scorecard_lagging_part_in_lagging_colour():
    ax = scorecard_chart(_scorecard(), SETTINGS).axes[0]
    lagging, normal = sorted(_row_bars(ax, "市发展和改革委员会"), key=lambda p: p.get_x())
    assert (lagging.get_width(), normal.get_x(), normal.get_width()) == (2, 2, 3)
    assert to_hex(lagging.get_facecolor()) == to_hex(COLOURS["推进较为滞后"])
    assert to_hex(normal.get_facecolor()) == to_hex(COLOURS["正常推进"])


def test_scorecard_mean_ratio_label_or_dash_when_missing():
    texts = _texts(scorecard_chart(_scorecard(), SETTINGS))
    assert "平均完成率 62.1%" in texts
    assert "平均完成率 —" in texts


def test_scorecard_rejects_more_lagging_than_tasks():
    card = _scorecard()
    card.loc[0, "lagging"] = 6
    with pytest.raises(ValueError, match="市发展和改革委员会"):
        scorecard_chart(card, SETTINGS)


# --- wrap_label -------------------------------------------------------------------------------
def test_wrap_label_keeps_short_label_on_one_line():
    assert wrap_label("T004 拆除违法建筑") == "T004 拆除违法建筑"


def test_wrap_label_breaks_long_label_every_13_characters():
    text = "新建改造城市道路和绿道长度合计含慢行系统及配套设施"  # 25 characters
    assert wrap_label(text) == "新建改造城市道路和绿道长度\n合计含慢行系统及配套设施"


def test_wrap_label_never_splits_a_task_id():
    lines = wrap_label("一二三四五六七八九十一二T004", width=13).split("\n")
    assert lines == ["一二三四五六七八九十一二", "T004"]


def test_wrap_label_does_not_start_a_line_with_closing_punctuation():
    lines = wrap_label("一二三四五六七八九十一二三，四五", width=13).split("\n")
    assert lines[1] == "四五"


def test_wrap_label_cuts_extra_lines_with_ellipsis():
    assert wrap_label("一二三四五六七八九十", width=4, max_lines=2) == "一二三四\n五六七…"


def test_wrap_label_of_missing_value_is_empty():
    assert wrap_label(None) == ""
    assert wrap_label(math.nan) == ""
    assert wrap_label(np.float64("nan")) == ""
