"""Draw the report's charts: each function takes DataFrames and the settings and returns a Figure.

Figures are built with :class:`matplotlib.figure.Figure` and an Agg canvas rather than through
``pyplot``: nothing is shown or written here, a batch run does not pile up open pyplot figures,
and a notebook shows a figure once, when the cell returns it (or on ``display(fig)``).
Every colour comes from ``settings.colours`` (Okabe–Ito, safe for colour-blind readers), every
status word and its order from the vocabulary (``helpers.core.vocab``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from helpers.compute.progress import fill_level_ratios
from helpers.core.config import Settings
from helpers.core.glyphs import safe_label
from helpers.core.vocab import STATUS_ORDER, SubtargetStatus, TaskStatus
from helpers.present.fonts import setup_fonts

__all__ = [
    "indicator_chart",
    "scorecard_chart",
    "status_count_chart",
    "subtarget_chart",
    "wrap_label",
]

NO_DATA = str(SubtargetStatus.NO_DATA)
FALLBACK_GREY = "#999999"
FIG_WIDTH = 10.0  # inches; the report's HTML column is about this wide at 100 dpi
RATIO_CAP = 1.5  # 完成率 bars stop at 150%; the label keeps the true value

# Characters that must not start a line (closing punctuation) or end one (opening brackets).
_NO_LINE_START = set("，。、；：！？）》」』】〕”’…%％,.;:!?)]")
_NO_LINE_END = set("（《「『【〔“‘([")
# A run of ASCII letters/digits (e.g. "T004", "2022", "5.5%") is kept together on one line.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+\-_/]*|\s+|.", re.DOTALL)


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------
def _char_width(token: str) -> float:
    """Return a token's width in CJK-character units (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in token)


def wrap_label(text: Any, width: int = 13, max_lines: int | None = None) -> str:
    """Break a label into lines (``_wrap_label``), safe to draw (``safe_label``)."""
    return safe_label(_wrap_label(text, width, max_lines))


def _wrap_label(text: Any, width: int = 13, max_lines: int | None = None) -> str:
    """Break a (Chinese) label into lines of about ``width`` CJK characters.

    ASCII runs such as task ids (``T004``) or numbers (``5.5%``) are never split unless
    they alone are longer than a line; ASCII characters count as half a CJK character;
    closing punctuation (``，。）`` …) never starts a line.

    Parameters
    ----------
    text : str
        The label. ``None`` and missing values give ``""``.
    width : int, default 13
        Line length in CJK characters.
    max_lines : int, optional
        Keep at most this many lines; a cut label ends with ``…``.

    Returns
    -------
    str
        The label with ``\\n`` between lines.

    Examples
    --------
    >>> wrap_label("地区生产总值")
    '地区生产总值'
    >>> print(wrap_label("T004 新建改造城市道路和绿道长度合计", width=10))
    T004 新建改造城市道
    路和绿道长度合计
    >>> wrap_label("一二三四五六七八九十甲乙丙丁", width=5, max_lines=2)
    '一二三四五\\n六七八九…'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = " ".join(str(text).split())
    if width < 1:
        raise ValueError(f"wrap_label: width must be at least 1, got {width}")
    lines: list[str] = []
    line, used = "", 0.0
    for token in _TOKEN.findall(text):
        w = _char_width(token)
        if token.isspace():
            if line:
                line, used = line + " ", used + w
            continue
        if line and used + w > width and token[0] not in _NO_LINE_START:
            # An opening bracket moves down with what follows it.
            carry = ""
            while line and line[-1] in _NO_LINE_END:
                line, carry = line[:-1], line[-1] + carry
            if line.strip():
                lines.append(line.rstrip())
            line, used = carry, _char_width(carry)
        if not line and w > width:
            # A single ASCII run longer than a line: hard-split it.
            step = max(1, int(width * 2))
            pieces = [token[i : i + step] for i in range(0, len(token), step)]
            lines.extend(pieces[:-1])
            token, w = pieces[-1], _char_width(pieces[-1])
        line, used = line + token, used + w
    if line.strip():
        lines.append(line.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and _char_width(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return "\n".join(lines)


def _truncate(text: Any, width: int) -> str:
    """Cut ``text`` to about ``width`` CJK characters, ending with ``…`` when cut; safe to draw."""
    return safe_label(_cut(text, width))


def _cut(text: Any, width: int) -> str:
    """Cut ``text`` to about ``width`` CJK characters, ending with ``…`` when cut."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = " ".join(str(text).split())
    if _char_width(text) <= width:
        return text
    out, used = "", 0.0
    for ch in text:
        if used + _char_width(ch) > width - 1:
            break
        out, used = out + ch, used + _char_width(ch)
    return out.rstrip() + "…"


def _fmt_number(value: float) -> str:
    """Format a number with at most two decimals and no trailing zeros (``-29.16``, ``6``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _fmt_ratio(value: float) -> str:
    """Format a fraction as a percentage with one decimal (``0.373`` → ``37.3%``)."""
    return f"{value * 100:.1f}%"


def _blank(value: Any) -> bool:
    """Return True for None, NaN, pd.NA and empty strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# Colours and status order
# --------------------------------------------------------------------------------------------
def _no_data_word(settings: Settings) -> str:
    return NO_DATA


def _colour(settings: Settings, status: Any) -> str:
    """Return the colour of a status word; unknown or missing words get the 无数据 grey."""
    colours = settings.colours
    grey = colours.get(_no_data_word(settings), FALLBACK_GREY)
    if _blank(status):
        return grey
    return colours.get(str(status), grey)


def _status_order(settings: Settings, present: Iterable[str]) -> list[str]:
    """Order status words: the vocabulary's order (sub-target words first), then any others."""
    present = list(dict.fromkeys(present))
    known = [s for s in STATUS_ORDER if s in present]
    return known + [s for s in present if s not in known]


def _status_patches(settings: Settings, statuses: Iterable[str]) -> list[Patch]:
    """Return one legend patch per status word; words with no colour share the grey's entry."""
    colours = settings.colours
    no_data = _no_data_word(settings)
    order = _status_order(settings, statuses)
    greys = [s for s in order if s == no_data or s not in colours]
    patches: list[Patch] = []
    for status in order:
        if status in greys:
            if status == greys[0]:
                patches.append(Patch(color=_colour(settings, no_data), label="、".join(greys)))
        else:
            patches.append(Patch(color=_colour(settings, status), label=status))
    return patches


def _text_colour(background: str) -> str:
    """Return black or white, whichever reads better on ``background`` (a hex colour)."""
    hex_ = background.lstrip("#")
    if len(hex_) != 6:
        return "black"
    r, g, b = (int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.45 else "white"


# --------------------------------------------------------------------------------------------
# Figure plumbing
# --------------------------------------------------------------------------------------------
def _label_segment(ax, y: float, start: float, width: float, colour: str, xmax: float) -> None:
    """Write a stacked bar segment's count inside it, when it is wide enough to hold it."""
    if width > 0 and width >= 0.045 * xmax:
        ax.text(
            start + width / 2,
            y,
            f"{int(width)}",
            ha="center",
            va="center",
            fontsize=9,
            color=_text_colour(colour),
            zorder=3,
        )


def _new_figure(height: float, width: float = FIG_WIDTH) -> Figure:
    fig = Figure(figsize=(width, max(height, 2.0)), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _empty_figure(title: str) -> Figure:
    """Return a small figure that says 无数据 under ``title``."""
    fig = _new_figure(2.4)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=16, color=FALLBACK_GREY)
    fig.suptitle(title, fontsize=14)
    return fig


def _is_empty(df: pd.DataFrame | None) -> bool:
    return df is None or len(df) == 0


def _require(df: pd.DataFrame, columns: Iterable[str], function: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{function}: the table has no column(s) {missing}; "
            f"expected {list(columns)}, got {list(df.columns)}"
        )


def _legend_below(fig: Figure, handles: list[Any]) -> None:
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(len(handles), 8),
            frameon=False,
            fontsize=10,
        )


# --------------------------------------------------------------------------------------------
# Indicators (主要指标)
# --------------------------------------------------------------------------------------------
_BAR_KINDS = {"growth", "level"}


def _indicator_row_label(row: pd.Series, rank_label: str = "排名") -> str:
    name = "" if _blank(row["indicator"]) else str(row["indicator"])
    period = "" if _blank(row["period"]) else f"（{row['period']}）"
    if _char_width(name + period) <= 15:
        label = name + period
    else:
        # Keep the period whole on its own line rather than split it.
        label = wrap_label(name, 13, max_lines=2) + (f"\n{period}" if period else "")
    if "rank" in row.index and not _blank(row["rank"]):
        label += f"\n{rank_label}第{int(row['rank'])}"
    return safe_label(label)


def indicator_chart(
    ind: pd.DataFrame, settings: Settings, title: str = "主要指标完成情况"
) -> Figure:
    """Draw annual targets against year-to-date actuals for the report's main indicators.

    Indicators with a number (``kind`` ``growth`` or ``level``) get a pair of horizontal bars:
    the annual target (outlined) and the actual (filled in its status colour), with value
    labels and a zero line, so negative growth extends to the left. Other indicators
    (qualitative, or cumulative ones in their own units) are listed below with their status.

    Parameters
    ----------
    ind : DataFrame
        One row per indicator with columns ``indicator``, ``target_text``, ``kind``,
        ``target_value``, ``actual``, ``unit``, ``period``, ``status`` and optionally ``rank``.
    settings : Settings
        From :func:`helpers.core.config.load_settings`.
    title : str, default "主要指标完成情况"
        The figure title.

    Returns
    -------
    Figure
        A figure that says 无数据 when ``ind`` is empty.

    Raises
    ------
    ValueError
        If a required column is missing.
    """
    setup_fonts()
    if _is_empty(ind):
        return _empty_figure(title)
    _require(
        ind,
        ["indicator", "target_text", "kind", "target_value", "actual", "unit", "period", "status"],
        "indicator_chart",
    )
    ind = ind.reset_index(drop=True).copy()
    if "rank" not in ind.columns:
        ind["rank"] = pd.NA
    target = pd.to_numeric(ind["target_value"], errors="coerce").astype(float)
    actual = pd.to_numeric(ind["actual"], errors="coerce").astype(float)
    has_number = target.notna() | actual.notna()
    is_bar = ind["kind"].astype("string").isin(_BAR_KINDS).fillna(False) & has_number
    bars = ind[is_bar.to_numpy(dtype=bool)]
    listed = ind[~is_bar.to_numpy(dtype=bool)]

    # Rows grow with the number of lines in their label (name, period, rank).
    max_lines = max(
        (
            _indicator_row_label(r, settings.report.rank_label).count("\n") + 1
            for _, r in bars.iterrows()
        ),
        default=1,
    )
    bar_height = 0.9 + max(0.62, 0.2 * max_lines + 0.1) * len(bars) if len(bars) else 0.0
    list_height = 0.45 + 0.32 * len(listed) if len(listed) else 0.0
    fig = _new_figure(0.6 + bar_height + list_height)
    fig.suptitle(title, fontsize=14)
    if len(bars) and len(listed):
        top, bottom = fig.subfigures(2, 1, height_ratios=[bar_height, list_height])
    else:
        top = bottom = fig

    if len(bars):
        _indicator_bars(top, bars, target[bars.index], actual[bars.index], settings)
    if len(listed):
        _indicator_list(bottom, listed, actual[listed.index], settings, heading=len(bars) > 0)
    return fig


def _indicator_bars(
    fig: Any,
    rows: pd.DataFrame,
    target: pd.Series,
    actual: pd.Series,
    settings: Settings,
) -> None:
    colours = settings.colours
    line_colour = colours.get("target_line", "#333333")
    ax = fig.add_subplot()
    n = len(rows)
    y = np.arange(n, dtype=float)
    half = 0.36
    t_vals, a_vals = target.to_numpy(), actual.to_numpy()
    actual_colours = [_colour(settings, s) for s in rows["status"]]

    ax.barh(
        y - half / 2 - 0.02,
        np.nan_to_num(t_vals),
        height=half,
        facecolor="white",
        edgecolor=line_colour,
        linewidth=1.0,
        zorder=2,
    )
    ax.barh(y + half / 2 + 0.02, np.nan_to_num(a_vals), height=half, color=actual_colours, zorder=2)
    ax.axvline(0, color=line_colour, linewidth=1.0, zorder=3)

    values = np.concatenate([t_vals[~np.isnan(t_vals)], a_vals[~np.isnan(a_vals)], [0.0]])
    lo, hi = float(values.min()), float(values.max())
    span = (hi - lo) or 1.0
    pad = 0.012 * span
    units = rows["unit"].fillna("").astype(str).to_numpy()
    for i in range(n):
        for value, offset, colour in (
            (t_vals[i], -half / 2 - 0.02, line_colour),
            (a_vals[i], half / 2 + 0.02, "black"),
        ):
            if math.isnan(value):
                text = NO_DATA if offset > 0 else "无目标"
                x, ha, colour = pad, "left", FALLBACK_GREY
            else:
                text = f"{_fmt_number(value)}{units[i]}"
                x, ha = (value + pad, "left") if value >= 0 else (value - pad, "right")
            ax.text(x, y[i] + offset, text, va="center", ha=ha, fontsize=9, color=colour, zorder=4)
    # Leave room for the value labels on both sides of the bars.
    room = 0.18 * span
    ax.set_xlim(lo - (room if lo < 0 else 0.03 * span), hi + room)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(
        y,
        [_indicator_row_label(r, settings.report.rank_label) for _, r in rows.iterrows()],
        fontsize=10,
    )
    ax.grid(axis="y", visible=False)
    unit_set = {u for u in units if u}
    unit_text = f"（{unit_set.pop()}）" if len(unit_set) == 1 else ""
    ax.set_xlabel(f"年度目标与累计完成值{unit_text}；增速目标不按序时折算", fontsize=10)

    present = [str(s) for s in rows["status"] if not _blank(s)]
    if any(_blank(s) for s in rows["status"]):
        present.append(_no_data_word(settings))
    handles: list[Any] = [Patch(facecolor="white", edgecolor=line_colour, label="年度目标")]
    for patch in _status_patches(settings, present):
        patch.set_label(f"完成值：{patch.get_label()}")
        handles.append(patch)
    _legend_below(fig, handles)


def _indicator_list(
    fig: Any,
    rows: pd.DataFrame,
    actual: pd.Series,
    settings: Settings,
    heading: bool,
) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    n = len(rows)
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.5, -0.5)
    if heading:
        ax.set_title("其他指标（定性或非增速指标）", loc="left", fontsize=11)
    trans = ax.get_yaxis_transform()
    for i, (_, row) in enumerate(rows.iterrows()):
        status = NO_DATA if _blank(row["status"]) else str(row["status"])
        ax.scatter([0.012], [i], marker="s", s=90, color=_colour(settings, status), transform=trans)
        ax.text(0.035, i, _truncate(row["indicator"], 14), va="center", fontsize=10)
        ax.text(0.27, i, status, va="center", fontsize=10, fontweight="bold")
        detail = "" if _blank(row["target_text"]) else f"目标：{row['target_text']}"
        value = actual[row.name]
        if not math.isnan(value):
            unit = "" if _blank(row["unit"]) else str(row["unit"])
            period = "" if _blank(row["period"]) else f"（{row['period']}）"
            detail = f"完成 {_fmt_number(value)}{unit}{period}；{detail}"
        ax.text(0.47, i, _truncate(detail, 36), va="center", fontsize=9, color="#444444")


# --------------------------------------------------------------------------------------------
# Sub-targets (量化子目标)
# --------------------------------------------------------------------------------------------
def subtarget_chart(
    targets: pd.DataFrame,
    settings: Settings,
    title: str = "量化子目标完成率与序时进度",
) -> Figure:
    """Draw each sub-target's 完成率 against its own 序时进度, grouped by section (one list
    without section headings when no row has a section).

    Bars show ``ratio`` (actual / annual target) coloured by status; a dark tick on each bar
    marks that row's ``expected_ratio``. Bars above 150% stop at 150% and their label keeps
    the true value (``180.0%``); rows without a ratio say 无数据.

    Parameters
    ----------
    targets : DataFrame
        One row per sub-target with columns ``task_id``, ``section``, ``metric``, ``ratio``
        (a fraction, may be NaN or above 1), ``expected_ratio`` (a fraction, may be NaN)
        and ``status``. With ``kind``, ``direction``, ``actual`` and ``target`` columns, a
        level target (占比60%以上) is drawn as the level reached over the target level.
    settings : Settings
        From :func:`helpers.core.config.load_settings`.
    title : str, default "量化子目标完成率与序时进度"
        The figure title.

    Returns
    -------
    Figure
        A figure that says 无数据 when ``targets`` is empty.

    Raises
    ------
    ValueError
        If a required column is missing.
    """
    setup_fonts()
    if _is_empty(targets):
        return _empty_figure(title)
    _require(
        targets,
        ["task_id", "section", "metric", "ratio", "expected_ratio", "status"],
        "subtarget_chart",
    )
    df = fill_level_ratios(targets.reset_index(drop=True))
    df["_section"] = [("未分板块" if _blank(s) else str(s)) for s in df["section"]]
    # A register without sections is one list: no 【section】 heading rows.
    by_section = not all(_blank(s) for s in df["section"])
    # Sections keep the report's order (first appearance); tasks sort by id inside a section.
    section_order = {s: i for i, s in enumerate(dict.fromkeys(df["_section"]))}
    df["_s"] = df["_section"].map(section_order)
    df["_t"] = ["" if _blank(t) else str(t) for t in df["task_id"]]
    df = df.sort_values(["_s", "_t"], kind="stable")
    ratio = pd.to_numeric(df["ratio"], errors="coerce").astype(float).to_numpy()
    expected = pd.to_numeric(df["expected_ratio"], errors="coerce").astype(float).to_numpy()

    colours = settings.colours
    line_colour = colours.get("target_line", "#333333")
    labels: list[str] = []
    header_rows: list[int] = []
    bar_y: list[int] = []
    position = 0
    for _, group in df.groupby("_s", sort=True):
        if by_section:
            header_rows.append(position)
            labels.append(wrap_label(f"【{group['_section'].iloc[0]}】", 14, max_lines=2))
            position += 1
        for _, row in group.iterrows():
            labels.append(wrap_label(f"{row['_t']} {row['metric']}".strip(), 14, max_lines=2))
            bar_y.append(position)
            position += 1
    n_rows = position

    fig = _new_figure(1.6 + 0.42 * n_rows)
    fig.suptitle(title, fontsize=14)
    ax = fig.add_subplot()
    y = np.array(bar_y, dtype=float)
    width = np.where(np.isnan(ratio), 0.0, np.minimum(ratio, RATIO_CAP))
    bar_colours = [_colour(settings, s) for s in df["status"]]
    ax.barh(y, width, height=0.62, color=bar_colours, zorder=2)
    has_expected = ~np.isnan(expected)
    ax.vlines(
        expected[has_expected],
        y[has_expected] - 0.4,
        y[has_expected] + 0.4,
        colors=line_colour,
        linewidth=2.2,
        zorder=3,
    )
    # About how wide a "100.0%" label is, in data units, so it can jump over the 序时 tick.
    label_width = 0.16
    for yi, r, e in zip(y, ratio, expected, strict=True):
        if math.isnan(r):
            ax.text(0.01, yi, NO_DATA, va="center", ha="left", fontsize=9, color=FALLBACK_GREY)
            continue
        end = min(r, RATIO_CAP)
        x = end + 0.012
        if not math.isnan(e) and end - 0.01 <= e <= x + label_width:
            x = max(x, e + 0.015)
        ax.text(x, yi, _fmt_ratio(r), va="center", ha="left", fontsize=9, zorder=4)

    ax.set_xlim(0, RATIO_CAP + 0.22)
    ax.xaxis.set_major_locator(MultipleLocator(0.25))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: f"{v * 100:.0f}%" if v <= RATIO_CAP + 1e-9 else "")
    )
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_yticks(np.arange(n_rows, dtype=float), labels, fontsize=9)
    for i, tick in enumerate(ax.get_yticklabels()):
        if i in header_rows:
            tick.set_fontweight("bold")
            tick.set_fontsize(10)
    ax.grid(axis="y", visible=False)
    note = "完成率（累计完成值÷年度目标）；竖线为该项序时进度"
    if np.nanmax(np.append(ratio, 0.0)) > RATIO_CAP:
        note += f"；超过{RATIO_CAP:.0%}的条形截断显示，标签为实际值"
    ax.set_xlabel(note, fontsize=10)

    present = [s for s in df["status"] if not _blank(s)]
    if any(_blank(s) for s in df["status"]):
        present.append(_no_data_word(settings))
    handles: list[Any] = _status_patches(settings, present)
    if has_expected.any():
        handles.append(
            Line2D(
                [],
                [],
                color=line_colour,
                marker="|",
                linestyle="None",
                markersize=14,
                markeredgewidth=2.2,
                label="序时进度",
            )
        )
    _legend_below(fig, handles)
    return fig


# --------------------------------------------------------------------------------------------
# Counts of statuses (状态分布)
# --------------------------------------------------------------------------------------------
def status_count_chart(
    df: pd.DataFrame,
    by: str,
    status_col: str,
    settings: Settings,
    title: str,
    *,
    sort_by_total: bool = False,
) -> Figure:
    """Draw stacked horizontal bars counting ``status_col`` values for each value of ``by``.

    Parameters
    ----------
    df : DataFrame
        Any table with the columns ``by`` and ``status_col`` (one row per task or sub-target).
    by : str
        The grouping column, e.g. ``"section"`` or ``"lead_unit"``. Missing values count as
        ``（未填）``.
    status_col : str
        The column of status words. Missing values count as 无数据.
    settings : Settings
        From :func:`helpers.core.config.load_settings`; statuses are stacked in the configured
        order (the sub-target order, then the other status words), then any others.
    title : str
        The figure title.
    sort_by_total : bool, default False
        Put the group with the most rows on top; by default groups keep their first-appearance
        order (the report's order of sections).

    Returns
    -------
    Figure
        A figure that says 无数据 when ``df`` is empty.

    Raises
    ------
    ValueError
        If ``by`` or ``status_col`` is not a column of ``df``.
    """
    setup_fonts()
    if _is_empty(df):
        return _empty_figure(title)
    _require(df, [by, status_col], "status_count_chart")
    groups = pd.Series(
        ["（未填）" if _blank(v) else str(v) for v in df[by]], index=df.index, dtype=object
    )
    statuses = pd.Series(
        [_no_data_word(settings) if _blank(v) else str(v) for v in df[status_col]],
        index=df.index,
        dtype=object,
    )
    order = _status_order(settings, statuses)
    counts = pd.crosstab(groups, statuses).reindex(
        index=list(dict.fromkeys(groups)), columns=order, fill_value=0
    )
    if sort_by_total:
        counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    totals = counts.sum(axis=1).to_numpy()
    n = len(counts)
    xmax = float(totals.max())

    fig = _new_figure(1.7 + 0.42 * n)
    fig.suptitle(title, fontsize=14)
    ax = fig.add_subplot()
    y = np.arange(n, dtype=float)
    left = np.zeros(n)
    for status in order:
        seg = counts[status].to_numpy(dtype=float)
        colour = _colour(settings, status)
        ax.barh(y, seg, left=left, height=0.65, color=colour, edgecolor="white", zorder=2)
        for yi, s, l0 in zip(y, seg, left, strict=True):
            _label_segment(ax, yi, l0, s, colour, xmax)
        left += seg
    for yi, total in zip(y, totals, strict=True):
        ax.text(total + 0.012 * xmax, yi, f"{int(total)}", va="center", fontsize=9)
    ax.set_xlim(0, xmax * 1.08 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(y, [wrap_label(g, 13, max_lines=2) for g in counts.index], fontsize=10)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("数量（项）", fontsize=10)
    _legend_below(fig, _status_patches(settings, order))
    return fig


# --------------------------------------------------------------------------------------------
# Scorecard by owner (责任单位/责任区领导)
# --------------------------------------------------------------------------------------------
def scorecard_chart(
    scorecard: pd.DataFrame,
    settings: Settings,
    title: str = "各责任主体任务推进情况",
) -> Figure:
    """Draw each owner's number of tasks, with the lagging ones highlighted.

    Each bar is one owner: the lagging tasks (left, in the 推进较为滞后 colour) then the others
    (in the 正常推进 colour). Owners are sorted by lagging tasks, then by tasks, most on top;
    the mean 完成率 of the owner's sub-targets is written at the end of the bar.

    Parameters
    ----------
    scorecard : DataFrame
        One row per owner with columns ``owner`` (name), ``tasks`` (int), ``lagging`` (int,
        at most ``tasks``) and ``mean_ratio`` (a fraction, NaN when no sub-target has data).
    settings : Settings
        From :func:`helpers.core.config.load_settings`.
    title : str, default "各责任主体任务推进情况"
        The figure title.

    Returns
    -------
    Figure
        A figure that says 无数据 when ``scorecard`` is empty.

    Raises
    ------
    ValueError
        If a required column is missing, or an owner has more lagging tasks than tasks.
    """
    setup_fonts()
    if _is_empty(scorecard):
        return _empty_figure(title)
    _require(scorecard, ["owner", "tasks", "lagging", "mean_ratio"], "scorecard_chart")
    df = scorecard.reset_index(drop=True).copy()
    df["tasks"] = pd.to_numeric(df["tasks"], errors="coerce").fillna(0).astype(int)
    df["lagging"] = pd.to_numeric(df["lagging"], errors="coerce").fillna(0).astype(int)
    bad = df[df["lagging"] > df["tasks"]]
    if len(bad):
        row = bad.iloc[0]
        raise ValueError(
            f"scorecard_chart: owner {row['owner']!r} has lagging={row['lagging']} "
            f"> tasks={row['tasks']}; lagging tasks are a subset of the owner's tasks"
        )
    df["_owner"] = ["（未填）" if _blank(o) else str(o) for o in df["owner"]]
    df = df.sort_values(
        ["lagging", "tasks", "_owner"], ascending=[False, False, True], kind="stable"
    )
    n = len(df)
    y = np.arange(n, dtype=float)
    lagging = df["lagging"].to_numpy(dtype=float)
    normal = (df["tasks"] - df["lagging"]).to_numpy(dtype=float)
    mean_ratio = pd.to_numeric(df["mean_ratio"], errors="coerce").astype(float).to_numpy()
    lag_word, ok_word = TaskStatus.LAGGING, TaskStatus.NORMAL
    lag_colour, ok_colour = _colour(settings, lag_word), _colour(settings, ok_word)
    xmax = float(max(df["tasks"].max(), 1))

    fig = _new_figure(1.7 + 0.42 * n)
    fig.suptitle(title, fontsize=14)
    ax = fig.add_subplot()
    ax.barh(y, lagging, height=0.65, color=lag_colour, edgecolor="white", zorder=2)
    ax.barh(y, normal, left=lagging, height=0.65, color=ok_colour, edgecolor="white", zorder=2)
    for yi, lag, ok, ratio in zip(y, lagging, normal, mean_ratio, strict=True):
        for start, seg, colour in ((0.0, lag, lag_colour), (lag, ok, ok_colour)):
            _label_segment(ax, yi, start, seg, colour, xmax)
        text = "平均完成率 —" if math.isnan(ratio) else f"平均完成率 {_fmt_ratio(ratio)}"
        ax.text(lag + ok + 0.015 * xmax, yi, text, va="center", fontsize=9)
    # The end labels need about a quarter of the axis width.
    ax.set_xlim(0, xmax * 1.38)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(y, [wrap_label(o, 13, max_lines=2) for o in df["_owner"]], fontsize=10)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("任务数（项）", fontsize=10)
    _legend_below(
        fig,
        [
            Patch(color=lag_colour, label=f"测算为{lag_word}的任务"),
            Patch(color=ok_colour, label="其余任务"),
        ],
    )
    return fig
