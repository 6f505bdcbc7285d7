"""Format numbers the way the office writes them. All rounding happens here, at the end.

>>> fmt_pct(0.37333)
'37.3%'
>>> fmt_value(1500000, "平方米")
'150万平方米'
>>> fmt_value(1.4e11, "元")
'1400亿元'
>>> fmt_value(-29.16, "%")
'-29.16%'
>>> fmt_pp(-37.7)
'37.7个百分点'
"""

from __future__ import annotations

import math


def is_missing(value) -> bool:
    """True for None, NaN and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pd.NA
        return True


def _trim(number: float, digits: int) -> str:
    text = f"{number:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_pct(fraction, digits: int = 1) -> str:
    """A fraction as a percentage with one decimal: 0.373 -> '37.3%'. Missing -> '—'."""
    if is_missing(fraction):
        return "—"
    return f"{fraction * 100:.{digits}f}%"


def fmt_pp(pp, digits: int = 1) -> str:
    """The size of a gap in 个百分点, without its sign (the sentence says 高于 / 低于)."""
    if is_missing(pp):
        return "—"
    return f"{abs(pp):.{digits}f}个百分点"


def fmt_value(value, unit: str = "") -> str:
    """A value in its unit, with 万 / 亿 for large amounts, as the office writes them."""
    if is_missing(value):
        return "—"
    value = float(value)
    if unit == "%":
        return f"{_trim(value, 2)}%"
    if unit == "个百分点":
        return f"{_trim(value, 2)}个百分点"
    big = abs(value)
    if unit in {"元", "平方米", "立方米", "户", "人", "人次"} and big >= 1e8 and unit == "元":
        return f"{_trim(value / 1e8, 2)}亿{unit}"
    if unit in {"元", "平方米", "立方米", "户", "人", "人次"} and big >= 1e4:
        return f"{_trim(value / 1e4, 4)}万{unit}"
    return f"{_trim(value, 2)}{unit}"


def fmt_gap(pp, digits: int = 1, unit: bool = False) -> str:
    """A gap in 个百分点 with its sign, for tables: -37.67 -> '-37.7'; missing -> '—'.

    >>> fmt_gap(-37.666)
    '-37.7'
    >>> fmt_gap(2.59, digits=2, unit=True)
    '+2.59个百分点'
    """
    if is_missing(pp):
        return "—"
    return f"{pp:+.{digits}f}" + ("个百分点" if unit else "")


def evidence_cell(slippage: str, subtask: str, evidence: str, cause: str) -> str:
    """The 滞后依据 cell of the annex and of the office's 认定表: 部分滞后/整体滞后, the
    sub-task, the clause and the cause (both show it alike).

    >>> evidence_cell("整体滞后", "②", "该项工作暂缓实施", "")
    '整体滞后：②；“该项工作暂缓实施”'
    >>> evidence_cell("无", "", "", "")
    '—'
    """
    if not evidence:
        return "—"
    text = f"{slippage}：" + (f"{subtask}；" if subtask else "") + f"“{evidence}”"
    return text + (f"；原因：{cause}" if cause else "")
