"""The pack's vocabulary: status words, kinds of target, and the reporting period.

The status words are the office's own Chinese words, and they are also what the CSV files hold,
so each enum's *value* is the word itself. Code compares with the members, never with literals::

    >>> SubtargetStatus.SEVERE == "严重滞后"
    True
    >>> Period(2022, 3).label
    '1-9月'
    >>> Period(2022, 3).expected_share
    0.75
    >>> Period.from_months(2022, 6).quarter
    2
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SubtargetStatus(StrEnum):
    """A quantitative sub-target's standing against 序时进度 (in order, best first)."""

    DONE = "已完成"
    ON_PACE = "达序时"
    BEHIND = "慢序时"
    SEVERE = "严重滞后"
    NO_DATA = "无数据"


class IndicatorStatus(StrEnum):
    """An expected economic and social target's standing (the source's three words)."""

    MET = "符合预期"
    MISSED = "不达预期"
    ON_SCHEDULE = "符合时间节点要求"
    NO_DATA = "无数据"


class TaskStatus(StrEnum):
    """A key task's status, as the office files it or as the pack computes it."""

    NORMAL = "正常推进"
    LAGGING = "推进较为滞后"
    NOT_REPORTED = "未报送"
    UNJUDGED = "未认定"  # the unit reported, the office has not filed its judgement yet


class Slippage(StrEnum):
    """How much of a task its progress text or figures show slipping."""

    WHOLE = "整体滞后"
    PART = "部分滞后"
    NONE = "无"


class TargetKind(StrEnum):
    """The three kinds of quantitative target, each with its own rule."""

    GROWTH = "growth"
    CUMULATIVE = "cumulative"
    LEVEL = "level"


class Direction(StrEnum):
    """Whether a higher or a lower figure is better."""

    HIGHER = "higher"
    LOWER = "lower"


class FigureSource(StrEnum):
    """Where a sub-target's figures came from (the ``source`` column of ``targets.csv``):
    read from the progress text, typed into the return form by the unit (``workreport intake``),
    or set by the office in ``curation.csv``. Precedence: curated > returned > extracted."""

    EXTRACTED = "extracted"
    RETURNED = "returned"
    CURATED = "curated"


#: Every status word in the order charts and legends show them.
STATUS_ORDER: tuple[str, ...] = (
    *SubtargetStatus,
    IndicatorStatus.MET,
    IndicatorStatus.MISSED,
    IndicatorStatus.ON_SCHEDULE,
    TaskStatus.NORMAL,
    TaskStatus.LAGGING,
    TaskStatus.NOT_REPORTED,
    TaskStatus.UNJUDGED,
)


def months_label(months: int) -> str:
    """A year-to-date period as the office writes it: ``months_label(9)`` is ``1-9月``."""
    return f"1-{months}月"


@dataclass(frozen=True, order=True)
class Period:
    """A year-to-date reporting period: ``Period(2022, 3)`` is 1-9月 2022.

    Quarterly reports always run from January: Q1 = 1-3月, Q2 = 1-6月, Q3 = 1-9月, Q4 = 1-12月.
    """

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter must be 1-4, got {self.quarter}")

    @staticmethod
    def quarter_of(months: int) -> int:
        """The quarter a year-to-date period ending at month 3, 6, 9 or 12 reports."""
        if months not in (3, 6, 9, 12):
            raise ValueError(f"a quarterly period ends at month 3, 6, 9 or 12, got {months}")
        return months // 3

    @classmethod
    def from_months(cls, year: int, months: int) -> Period:
        """The period ending with month ``months`` (3, 6, 9 or 12)."""
        return cls(year, cls.quarter_of(months))

    @property
    def months(self) -> int:
        """Months elapsed since January 1."""
        return self.quarter * 3

    @property
    def label(self) -> str:
        """The period as the office writes it: ``1-9月``."""
        return months_label(self.months)

    @property
    def expected_share(self) -> float:
        """序时进度: the share of the year elapsed (0.75 for 1-9月)."""
        return self.months / 12

    @property
    def name(self) -> str:
        """``2022-Q3``: folder and file names."""
        return f"{self.year}-Q{self.quarter}"

    @property
    def previous(self) -> Period | None:
        """The period one quarter earlier in the same year, or None for Q1."""
        return Period(self.year, self.quarter - 1) if self.quarter > 1 else None
