"""Classify indicators and tasks, and list where the numbers disagree with the office's filing.

The office's own judgement (``reported_status``) is kept as it was filed. The computed status is
set beside it, from the numbers and from words in the progress text that signal slippage; a
disagreement is shown, never silently resolved.
"""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.compute import progress as _progress
from helpers.compute.progress import expected_share
from helpers.compute.slippage import CLAUSE_END, SENTENCE_END, read_slippage, simplified
from helpers.compute.targets import unit_family
from helpers.core.config import Settings
from helpers.core.distinct import each_once
from helpers.core.fmt import is_missing
from helpers.core.vocab import IndicatorStatus, Slippage, SubtargetStatus, TaskStatus
from helpers.read.quantities import find_quantities

INDICATOR_NAME = re.compile(r"^(.*?)(?:同比)?(?:增长|完成年度目标任务|达到?|下降|控制在)")


def indicator_name(target_text: str) -> str:
    """The short name of an indicator: ``地区生产总值增长5.5%左右`` -> ``地区生产总值``."""
    m = INDICATOR_NAME.match(target_text or "")
    return (m.group(1) if m and m.group(1) else target_text).strip()


def classify_indicators(
    indicators: pd.DataFrame,
    indicator_progress: pd.DataFrame,
    report_months: int,
    settings: Settings,
) -> pd.DataFrame:
    """Judge each expected target (经济社会发展预期目标).

    Growth-rate targets are not pro-rated: the year-to-date growth (2.6%) is compared with the
    annual rate (5.5%) directly. A target with no number (完成年度目标任务) is 符合时间节点要求
    when the unit's words say it will be met (预计能够完成), else 无数据.

    Returns
    -------
    DataFrame
        indicator_id, indicator, target_text, kind, direction, target_value, unit, actual,
        period, earlier_period (the figure is older than the report), rank, notes, status,
        gap_pp, leaders, lead_units, source_text.
    """
    words = settings.words.on_schedule
    merged = indicators.merge(indicator_progress, on="indicator_id", how="left")
    rows = []
    for r in merged.itertuples():
        qs = find_quantities(r.target_text)
        target = qs[0] if qs else None
        progress = "" if is_missing(r.progress) else str(r.progress)
        period = "" if is_missing(r.period) else str(r.period)
        end = int(re.search(r"-(\d+)月", period).group(1)) if period else None
        kind = "qualitative"
        direction = "higher"
        if target is not None:
            kind = "growth" if target.growth else ("level" if target.unit == "%" else "cumulative")
            if any(w in target.before[-4:] + target.approx for w in ("下降", "以下", "控制在")):
                direction = "lower"
        actual = None if is_missing(r.value) else float(r.value)
        gap = None
        if kind in {"growth", "level"} and actual is not None and r.value_unit == target.unit:
            gap = actual - target.value
            met = gap >= 0 if direction == "higher" else gap <= 0
            status = IndicatorStatus.MET if met else IndicatorStatus.MISSED
        elif kind == "qualitative" or actual is None:
            status = (
                IndicatorStatus.ON_SCHEDULE
                if any(w in progress for w in words)
                else IndicatorStatus.NO_DATA
            )
            if kind != "qualitative" and actual is None:
                status = IndicatorStatus.NO_DATA
        else:
            status = IndicatorStatus.NO_DATA
        rows.append(
            {
                "indicator_id": r.indicator_id,
                "indicator": indicator_name(r.target_text),
                "target_text": r.target_text,
                "kind": kind,
                "direction": direction,
                "target_value": target.value if target is not None else float("nan"),
                "unit": target.unit if target is not None else (r.value_unit or ""),
                "actual": actual if actual is not None else float("nan"),
                "period": period,
                "earlier_period": bool(end and end < report_months),
                "rank": r.rank,
                "notes": "" if is_missing(r.notes) else r.notes,
                "status": str(status),
                "gap_pp": gap if gap is not None else float("nan"),
                "leaders": r.leaders,
                "lead_units": r.lead_units,
                "source_text": progress,
            }
        )
    columns = [
        *("indicator_id", "indicator", "target_text", "kind", "direction", "target_value"),
        *("unit", "actual", "period", "earlier_period", "rank", "notes", "status", "gap_pp"),
        *("leaders", "lead_units", "source_text"),
    ]
    df = pd.DataFrame(rows, columns=columns)  # no indicators: the columns, no rows
    df["rank"] = df["rank"].astype("Int64")
    return df


#: A completion the text schedules before year-end: 计划年底完工，预计新增停车位2865个.
SCHEDULED = re.compile(r"(?:年底|年内|年末|今年|本年度?|1[0-2]月)")
PROJECTED = re.compile(r"预计|计划")
#: A schedule that is not this year's: 明年年底, 次年, 2023年预计全部交付 (in a 2022 report).
LATER_YEAR = re.compile(r"明年|次年|下一?年度?")
#: The whole of the work, in words: 全部工程预计于今年11月底完工.
WHOLE = re.compile(r"全部|全面|整体|所有|均")
#: A year's full figure, projected: 全年GDP预计增长4.5%左右, 预计全年增长3%.
FULL_YEAR = re.compile(r"全年|年底|年末|年度")
#: Words that say a figure is done, which no clause of work under way holds.
DONE = re.compile(r"已完成|已建成|完工|竣工|建成|投用|完成")
#: Plan words: a clause restating the plan (今年计划建设10座) is not work under way.
PLAN = re.compile(r"计划|目标|任务|预计|拟|力争")


def _status_cumulative(ratio, expected, direction, th) -> tuple[str, float]:
    """One figure's status and gap against 序时 (``progress``'s rule, which is element-wise)."""
    status, gap = _progress._status_cumulative(ratio, expected, direction, th)
    return np.asarray(status).item(), float(gap)


def _status_direct(actual, target, direction, amber_pp, met_word) -> tuple[str, float]:
    """One figure's status and gap against its target (``progress``'s rule, element-wise)."""
    status, gap = _progress._status_direct(actual, target, direction, amber_pp, met_word)
    return np.asarray(status).item(), float(gap)


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` as the slippage reading splits them (one rule for both; the
    context rules ask for the same text's sentences several times, so they are kept)."""
    return tuple(x for x in SENTENCE_END.split(text or "") if x.strip())


def _clauses(sentence: str) -> list[str]:
    return [c for c in CLAUSE_END.split(sentence) if c.strip()]


def _this_year(sentence: str, next_year: int | None) -> bool:
    """Whether a schedule in ``sentence`` falls in the report's year (not 明年, not 2023年 …)."""
    if LATER_YEAR.search(sentence):
        return False
    if next_year is None:
        return True
    return not any(int(y) >= next_year for y in re.findall(r"(20\d\d)年", sentence))


def scheduled_addition(
    text: str, unit: str, metric: str = "", words=None, next_year: int | None = None
) -> float:
    """The amount the text says will be added before year-end, in ``unit`` (0 when none).

    Only sentences that both schedule (年底, 年内, 12月 …) and project (预计, 计划) count, and only
    a quantity in the sub-target's own unit introduced as new (新增, 再, 可) is added. A sentence
    that schedules the whole work to finish (全部工程预计于今年11月底完工; ``words.finished``)
    adds all that is missing: the result is ``inf``.

    >>> scheduled_addition("上述两个项目计划年底完工，预计新增停车位2865个。", "个")
    2865.0
    >>> scheduled_addition("已新增停车位2181个。", "个")
    0.0
    """
    total = 0.0
    finished = _any_of(words.finished) if words is not None else None
    for sentence in _sentences(text):
        if not (SCHEDULED.search(sentence) and PROJECTED.search(sentence)):
            continue
        if not _this_year(sentence, next_year):
            continue
        for clause in _clauses(sentence):
            # 全部工程预计于今年11月底完工 (not 已全部完工: what is done is read as the actual).
            whole = finished is not None and WHOLE.search(clause) and finished.search(clause)
            if whole and "已" not in clause:
                return float("inf")
        for q in find_quantities(sentence):
            if q.unit == unit and not q.growth and re.search(r"新增|再|可", q.before[-12:]):
                total += q.value
    return total


def underway_addition(text: str, unit: str, settings: Settings) -> float:
    """Items of ``unit``'s family the text says are under way (``words.under_way``), not done.

    A clause counts when it holds an under-way word and no word of things done, no plan's words
    and no slippage cue (正在进行前期工作 is not work under way): 7条未贯通道路正在主体施工,
    在建项目116个, 正在开展…等4个改造项目.

    >>> from helpers.core.config import load_settings
    >>> s = load_settings()
    >>> underway_addition("已建成3条，另有7条道路正在主体施工。", "条", s)
    7.0
    >>> underway_addition("今年计划建设10条，正在施工；其余6条正在进行前期工作。", "条", s)
    0.0
    """
    under_way = _any_of(settings.words.under_way)
    if under_way is None:
        return 0.0
    family = unit_family(unit)
    total = 0.0
    for sentence in _sentences(text):
        for clause in _clauses(sentence):
            if not under_way.search(clause) or DONE.search(clause) or PLAN.search(clause):
                continue
            if read_slippage(clause, settings):
                continue
            for q in find_quantities(clause):
                if unit_family(q.unit) == family and not q.growth:
                    total += q.value
    return total


def projected_value(text: str, s) -> float | None:
    """The full-year figure the text projects for a growth or level sub-target, or None.

    The one figure of the sub-target's unit and kind introduced by 预计 in sentences about the
    year (全年, 年底): 全年GDP预计增长4.5%左右 gives 4.5 for 地区生产总值增长7%.

    >>> from types import SimpleNamespace as N
    >>> projected_value("1-9月增长5.2%。全年GDP预计增长4.5%左右。", N(kind="growth", unit="%"))
    4.5
    """
    found = projection(text, s)
    return found[0] if found else None


def projection(text: str, s) -> tuple[float, str] | None:
    """:func:`projected_value` with the sentence that states it."""
    found = []
    for sentence in _sentences(text):
        if "预计" not in sentence or not FULL_YEAR.search(sentence):
            continue
        qs = [
            q
            for q in find_quantities(sentence)
            if q.unit == s.unit and q.growth == (s.kind == "growth")
        ]
        # 预计, not 计划: 全年计划增长8% restates a plan, it does not project the year.
        found.extend((q.value, sentence.strip().rstrip("。；;")) for q in qs if "预计" in q.before)
    return found[0] if len(found) == 1 else None


def work_shares(text: str, words) -> list[tuple[float, str]]:
    """Shares of a whole piece of work the text states, in percent, with their sentence.

    >>> from helpers.core.config import load_settings
    >>> w = load_settings().words
    >>> [v for v, _ in work_shares("甲路已完成工程量60.5%；乙桥已完成50.5%的工程量，形象进度至45%。", w)]
    [60.5, 50.5, 45.0]
    """
    if not words.work_share:
        return []
    rx = _share_pattern(words.work_share)
    out = []
    for sentence in _sentences(text):
        for m in rx.finditer(sentence):
            out.append((float(m.group(1) or m.group(2)), sentence.strip().rstrip("。；;")))
    return out


@lru_cache(maxsize=8)
def _share_pattern(names: tuple[str, ...]) -> re.Pattern:
    name = "|".join(re.escape(w) for w in names)
    return re.compile(
        rf"(?:{name})[^，,。；;\d%]{{0,6}}?(\d+(?:\.\d+)?)%|(\d+(?:\.\d+)?)%的(?:{name})"
    )


def year_shares(text: str, words) -> list[tuple[float, str]]:
    """Shares of this year's plan the text states to date, in percent, with their sentence; a
    share the sentence projects (全年预计完成600亿元，完成年计划的97%) is not one to date.

    The plan is named by its noun (``words.year_share``: 计划, 目标, 任务), with what is planned
    (``words.plan_of``: 投资) before or after it, after a word for this year (``words.year_words``)
    or, with none, straight after a word of completion (``words.share_verbs``); 的 may be left out.
    A plan of several years (五年计划, 总投资计划) is not this year's.

    >>> from helpers.core.config import load_settings
    >>> w = load_settings().words
    >>> [v for v, _ in year_shares("省档案馆完成年度投资计划的30.02%；乙为年度计划的51.35%。", w)]
    [30.02, 51.35]
    >>> [v for v, _ in year_shares("占年度投资计划25%，完成本年计划投资的28%，完成计划的23.9%。", w)]
    [25.0, 28.0, 23.9]
    >>> year_shares("全年预计完成600亿元，完成年计划的97%。", w)
    []
    >>> year_shares("完成总投资计划的45%，完成三年计划的60%，占全市总量的30%。", w)
    []
    """
    if not words.year_share:
        return []
    rx = _year_share_pattern(words.year_share, words.plan_of, words.year_words, words.share_verbs)
    out = []
    for sentence in _sentences(text):
        for m in rx.finditer(sentence):
            if "预计" in sentence[: m.start()]:
                continue
            out.append((float(m.group(1)), sentence.strip().rstrip("。；;")))
    return out


#: Numerals before 年 that make it a span of years (五年计划), not this year.
_YEARS_SPAN = "一二两三四五六七八九十几多"


@lru_cache(maxsize=8)
def _year_share_pattern(
    nouns: tuple[str, ...],
    plan_of: tuple[str, ...] = (),
    year_words: tuple[str, ...] = (),
    verbs: tuple[str, ...] = (),
) -> re.Pattern:
    def alt(items) -> str:
        return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))

    what = f"(?:{alt(plan_of)})?" if plan_of else ""
    plan = f"{what}(?:{alt(nouns)}){what}"
    heads = []
    if year_words:
        heads.append(f"(?<![{_YEARS_SPAN}])(?:{alt(year_words)})")
    if verbs:
        heads.append(f"(?:{alt(verbs)})")
    head = f"(?:{'|'.join(heads)})" if heads else ""
    return re.compile(rf"{head}{plan}的?(\d+(?:\.\d+)?)%")


def _due_this_year(task: str, text: str, words, next_year: int | None) -> bool:
    """Whether the whole work is to be finished this year: the task says so (建成, 竣工 …) or the
    text schedules its completion before year-end."""
    finished = _any_of(words.finished)
    if finished is None:
        return False
    if finished.search(task or ""):
        return True
    return any(
        SCHEDULED.search(x) and finished.search(x) and _this_year(x, next_year)
        for x in _sentences(text)
    )


#: A task that names its lead units at two levels (市级牵头单位：…；区级牵头单位：…) is the higher
#: level's, tracked by the lower one: its count and amount targets are the higher level's totals.
TWO_LEVELS = re.compile(
    r"(?P<high>省|市)级(?:牵头|责任|主责)单位[^。]{0,60}?(?P<low>市|区|县)级(?:牵头|责任|主责|配合)单位"
)


def higher_level_target(task: str) -> bool:
    """Whether ``task`` is a higher level's target tracked by a lower level (see ``TWO_LEVELS``).

    >>> higher_level_target("城镇新增就业21万人。（市级牵头单位：市人社局；区级牵头单位：区人资局）")
    True
    >>> higher_level_target("新建3个社区体育公园。（牵头单位：区体育局）")
    False
    """
    m = TWO_LEVELS.search(task or "")
    return bool(m) and m.group("high") != m.group("low")


#: A note in brackets after a task's name: 固定资产投资(市《政府工作报告》主要经济指标任务).
BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


def names_other_items(sentence: str, task: str, text: str) -> bool:
    """Whether a slippage ``sentence`` lists other items than the task: the text names the task
    as one of a list (分别为战略性新兴产业产值、固定资产投资…) and the sentence lists others
    (其中，固定资产投资、财政收入…3项指标未达到序时进度) without it.

    >>> text = "列入通报的为3项，分别为甲产值、乙投资、丙收入。其中，乙投资、丙收入未达到序时进度。"
    >>> names_other_items("其中，乙投资、丙收入未达到序时进度", "甲产值（主要指标）", text)
    True
    >>> names_other_items("其中，乙投资、丙收入未达到序时进度", "乙投资", text)
    False
    """
    name = BRACKETED.sub("", task or "").strip()
    if len(name) < 2 or "、" not in sentence or name in sentence:
        return False
    return f"{name}、" in text or f"、{name}" in text


@lru_cache(maxsize=64)
def _any_of(items: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(re.escape(w) for w in items)) if items else None


def _lagging_subtarget(
    s,
    lagging_statuses,
    text: str,
    settings: Settings | None = None,
    credit: bool = True,
    next_year: int | None = None,
) -> tuple[bool, str]:
    """Whether a sub-target lags, and the context that changed its meaning (or "").

    Contexts: ``projected`` (a full-year figure the text projects misses a growth or level
    target); ``higher_level`` (the task is a higher level's, tracked by this one: its totals are
    not this level's to reach); ``stated`` (the text's own 完成率 of the target is not behind:
    the figure read is only a part, 已完成46所，另已开工105所，完成目标任务的37.8%);
    ``scheduled`` (completions scheduled before year-end make up the shortfall) and
    ``under_way`` (the items under way make up a count), these two only while ``credit``
    (enough of the year is left).
    """
    th = settings.thresholds if settings is not None else None
    if th is not None and s.kind in {"growth", "level"} and s.direction in {"higher", "lower"}:
        projected = projected_value(text, s)
        if projected is not None and not is_missing(s.target):
            # The evidence is the projecting sentence (see ``projection``).
            amber = th.growth_amber_pp if s.kind == "growth" else th.level_amber_pp
            status, _ = _status_direct(projected, float(s.target), s.direction, amber, "")
            if status in lagging_statuses:
                return True, "projected"
    if s.status not in lagging_statuses and s.status != SubtargetStatus.BEHIND:
        return False, ""
    if s.kind == "cumulative" and s.status in lagging_statuses:
        if higher_level_target(str(getattr(s, "task", "") or "")):
            return False, "higher_level"
        stated = getattr(s, "stated_rate", None)
        expected = getattr(s, "expected_ratio", None)
        if th is not None and not is_missing(stated) and not is_missing(expected):
            status, _ = _status_cumulative(float(stated) / 100, float(expected), s.direction, th)
            if status not in lagging_statuses:
                return False, "stated"
    if credit and s.kind == "cumulative" and s.direction == "higher" and not is_missing(s.actual):
        words = settings.words if settings is not None else None
        extra = scheduled_addition(text, s.unit, s.metric, words, next_year)
        if extra and float(s.actual) + extra >= float(s.target):
            return False, "scheduled"
        if settings is not None:
            extra = underway_addition(text, s.unit, settings)
            if extra and float(s.actual) + extra >= float(s.target):
                return False, "under_way"
    return s.status in lagging_statuses, ""


def _work_share_lags(
    task: str,
    text: str,
    months: int | None,
    settings: Settings,
    credit: bool,
    next_year: int | None,
) -> list[tuple[float, str]]:
    """The stated shares of this year's whole work that are at a lagging status by the time
    elapsed (已完成工程量60.5% on 11月12日 for a road to finish this year), and of this year's
    plan whatever the task (完成年度投资计划的30.02% at the end of September), with their
    sentence."""
    if not months:
        return []
    if credit and scheduled_addition(text, "", "", settings.words, next_year) == float("inf"):
        return []
    shares = year_shares(text, settings.words)
    if _due_this_year(task, text, settings.words, next_year):
        shares = work_shares(text, settings.words) + shares
    th = settings.thresholds
    out = []
    for share, sentence in shares:
        status, _ = _status_cumulative(share / 100, expected_share(months), "higher", th)
        if status in th.lagging_statuses:
            out.append((share, sentence))
    return out


def classify_tasks(
    tasks: pd.DataFrame,
    progress: pd.DataFrame,
    subtargets: pd.DataFrame,
    settings: Settings,
    next_year: int | None = None,
    report_months: int | None = None,
) -> pd.DataFrame:
    """Give every task a computed status beside the office's reported one, with its evidence.

    A task is 推进较为滞后 when a quantitative sub-target is at a lagging status
    (``settings.thresholds.lagging_statuses``, default 严重滞后) and no completion scheduled
    before year-end makes it up, or when its progress text states slippage
    (``helpers.compute.slippage``) in the task's main part; slippage stated only in a secondary
    sub-task is a partial slippage (部分滞后) and leaves the task 正常推进. A sub-target already met
    is never a slippage. 未报送 when the unit returned nothing.

    Context changes a number's meaning: a full-year figure the text projects below a growth or
    level target lags it; completions scheduled before year-end and items under way that make up
    a count target's shortfall keep it from lagging while ``thresholds.credit_months_left`` or
    more months remain after ``report_months`` (always, when ``report_months`` is None); a stated
    share of this year's whole work (已完成工程量60.5%) is measured against the time elapsed
    (only when ``report_months`` is given).

    Each distinct progress text is read once, each sub-target's context once per distinct
    (sub-target, progress text) and each stated work share once per distinct (task text, progress
    text): a register repeats its texts, and every rule depends on these alone.

    Returns
    -------
    DataFrame
        The register's columns, ``reported_status``, ``computed_status``, ``agrees``,
        ``slippage`` (整体滞后 / 部分滞后 / 无), ``slip_kinds`` (kinds of slippage read, ``;``),
        ``evidence`` (the sentences that state slippage, ``；``), ``cause`` (as the text states it),
        ``subtask`` (the sub-task the evidence sits in), ``lagging_metrics`` and
        ``behind_metrics`` (sub-targets at a lagging or 慢序时 status, ``;``), ``scheduled``
        (sub-targets made up by completions scheduled before year-end), ``flags``,
        ``n_subtargets``, ``mean_ratio``, ``progress``, ``issues`` and ``next_steps`` (存在问题 and
        下一步打算 as the unit returned them; empty when the progress file has no such column).
    """
    if not len(tasks):
        return pd.DataFrame([])
    # Work scheduled or under way is credited only while enough of the year is left.
    credit = report_months is None or 12 - report_months >= settings.thresholds.credit_months_left
    register_cols = ("task_id", "section", "task", "leaders", "lead_units", "partner_units")
    out = {col: tasks[col].tolist() for col in register_cols}
    # Tasks by distinct id (a register repeating an id gives each copy the same row) and each
    # task's row in the progress table (the last of equal ids), or -1: every per-task value
    # below is taken from arrays by these positions.
    task_code, task_ids = pd.factorize(np.array(out["task_id"], dtype=object))
    ids = progress["task_id"].tolist()
    row_of = {t: k for k, t in enumerate(ids)}
    at_id = np.fromiter((row_of.get(t, -1) for t in task_ids), dtype=np.int64, count=len(task_ids))
    at = at_id[task_code]
    texts = each_once(_text, progress["progress"].tolist())
    text = _pick(texts, at, "")
    reported = _pick(progress["reported_status"].tolist(), at, "").tolist()
    returned = (
        _pick(progress["returned"].tolist(), at, True)
        if "returned" in progress.columns
        else np.full(len(at), True, dtype=object)
    )
    # Slippage is read once per distinct progress text (a register repeats its texts), and
    # what a task shows of it once per distinct (task text, progress text).
    text_code, distinct = pd.factorize(text)
    hits_of = [read_slippage(t, settings, next_year) for t in distinct]
    plain = [simplified(t, settings.cues) for t in distinct]
    task_text_code, task_texts = pd.factorize(
        np.array(out["task"], dtype=object), use_na_sentinel=False
    )
    pair = task_text_code.astype(np.int64) * len(distinct) + text_code
    slip_code, slip_pairs = pd.factorize(pair)
    lagging_kinds = frozenset(settings.cues.lagging_kinds)
    slips = [
        _slippage_of(
            distinct[p % len(distinct)],
            plain[p % len(distinct)],
            task_texts[p // len(distinct)],
            hits_of[p % len(distinct)],
            settings,
            lagging_kinds,
        )
        for p in slip_pairs.tolist()
    ]

    def slip(field: str) -> np.ndarray:
        return np.array([getattr(s, field) for s in slips], dtype=object)[slip_code]

    per_task = _subtargets_by_task(
        subtargets, task_ids, _pick(texts, at_id, ""), settings, credit, next_year
    )
    # A stated share of the whole work, for a task whose figures give no 完成率: read once per
    # distinct (task text, progress text).
    no_ratio = ~per_task.has_ratio[task_code]
    pair_code, pairs = pd.factorize(pair[no_ratio])
    shares = [
        _shares_of(
            (task_texts[p // len(distinct)], plain[p % len(distinct)]),
            settings,
            report_months,
            credit,
            next_year,
        )
        for p in pairs.tolist()
    ]
    shares.append(_NO_SHARES)  # a task with a 完成率
    share_code = np.full(len(at), len(shares) - 1, dtype=np.int64)
    share_code[no_ratio] = pair_code

    def share(field: str) -> np.ndarray:
        return np.array([getattr(s, field) for s in shares], dtype=object)[share_code]

    lagging = (per_task.n_lagging[task_code] > 0) | share("lags").astype(bool)
    not_reported = ~returned.astype(bool) | slip("blank").astype(bool)
    main, hits = slip("main").astype(bool), slip("flags") != ""
    computed = np.select(
        [not_reported, lagging | main, hits],
        [TaskStatus.NOT_REPORTED.value, TaskStatus.LAGGING.value, TaskStatus.NORMAL.value],
        TaskStatus.NORMAL.value,
    ).tolist()
    scope = np.select(
        [not_reported, lagging | main, hits],
        [Slippage.NONE.value, Slippage.WHOLE.value, Slippage.PART.value],
        Slippage.NONE.value,
    ).tolist()

    def shown(field: str) -> np.ndarray:
        """What the text says, on a task that has reported."""
        return np.where(not_reported, "", slip(field))

    # The figures' sentences (stated shares, then projections) come before the slippage ones.
    evidence = shown("evidence")
    figured = (per_task.n_projected[task_code] > 0) | share("lags").astype(bool)
    for k in np.flatnonzero(figured & ~not_reported).tolist():
        projected = per_task.projected.get(task_code[k], [])
        figures = [*shares[share_code[k]].sentences, *projected]
        evidence[k] = "；".join(_unique([*figures, *slips[slip_code[k]].sentences]))

    out["reported_status"] = reported
    out["computed_status"] = computed
    out["agrees"] = [r == c for r, c in zip(reported, computed, strict=True)]
    out["slippage"] = scope
    out["slip_kinds"] = shown("kinds").tolist()
    out["evidence"] = evidence.tolist()
    out["cause"] = shown("cause").tolist()
    out["subtask"] = shown("subtask").tolist()
    out["lagging_metrics"] = _joined(per_task.lagging[task_code], share("metrics")).tolist()
    out["behind_metrics"] = per_task.behind[task_code].tolist()
    out["scheduled"] = per_task.scheduled[task_code].tolist()
    flags = _joined(per_task.flags[task_code], per_task.projected_flags[task_code])
    flags = _joined(_joined(flags, share("flags")), slip("flags"))
    out["flags"] = flags.tolist()
    out["n_subtargets"] = per_task.count[task_code].tolist()
    out["mean_ratio"] = per_task.mean_ratio[task_code].tolist()
    out["progress"] = text.tolist()
    # What the units return on the form beside the progress text (存在问题, 下一步打算).
    for col in ("issues", "next_steps"):
        values = each_once(_text, progress[col].tolist()) if col in progress.columns else []
        out[col] = _pick(values, at if values else np.full(len(at), -1), "").tolist()
    return pd.DataFrame(out)


def _pick(values: list, at: np.ndarray, default) -> np.ndarray:
    """``values[k]`` for each position ``k`` of ``at``; ``default`` where ``k`` is -1."""
    table = np.empty(len(values) + 1, dtype=object)
    table[: len(values)] = values
    table[-1] = default
    return table[at]


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


def _joined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two columns of ``;`` lists as one, element-wise (a new array)."""
    out = first.copy()
    more = second != ""
    both = more & (first != "")
    out[both] = first[both] + ";" + second[both]
    only = more & ~both
    out[only] = second[only]
    return out


@dataclass(frozen=True)
class _Slip:
    """What one progress text says of slippage, as the task table shows it."""

    blank: bool  # no text at all: the task is 未报送
    main: bool  # slippage of a lagging kind in the task's main part
    kinds: str = ""
    evidence: str = ""
    sentences: tuple[str, ...] = ()  # the evidence's sentences
    cause: str = ""
    subtask: str = ""
    flags: str = ""  # kind:cue of every hit ("" when none)


def _slippage_of(
    text: str, plain: str, task, hits: list, settings: Settings, lagging_kinds
) -> _Slip:
    """What a task shows of the slippage ``hits`` read in its progress ``text`` (``plain``: in
    simplified characters; see :func:`classify_tasks`)."""
    if hits:
        # A sentence listing other items than the task (a 督查通报's list) is not its slippage.
        task_name = simplified(str(task), settings.cues)
        hits = [h for h in hits if not names_other_items(h.sentence, task_name, plain)]
    several_parts = len({h.part.index for h in hits} | {0}) > 1 or (
        hits and hits[0].part.mark != ""
    )
    main = any(h.kind in lagging_kinds and (not several_parts or h.part.index == 0) for h in hits)
    evidence = _unique(h.sentence for h in hits)
    return _Slip(
        blank=not text.strip(),
        main=main,
        kinds=";".join(_unique(h.kind for h in hits)),
        evidence="；".join(_unique(evidence)),
        sentences=tuple(evidence),
        cause="；".join(_unique(h.cause for h in hits if h.cause)),
        subtask="；".join(
            _unique(_subtask_name(h.part) for h in hits if h.part.mark or h.part.heading)
        ),
        flags=";".join(f"{h.kind}:{h.cue}" for h in hits),
    )


@dataclass(frozen=True)
class _Shares:
    """The stated shares of this year's work that lag (:func:`_work_share_lags`), as shown."""

    lags: bool = False
    metrics: str = ""  # 60.5%;45%
    flags: str = ""  # work_share:60.5%;…
    sentences: tuple[str, ...] = ()


_NO_SHARES = _Shares()


def _shares_of(pair: tuple[str, str], settings, report_months, credit, next_year) -> _Shares:
    """:func:`_work_share_lags` for one (task text, progress text in simplified characters)."""
    task, plain = pair
    shares = _work_share_lags(task, plain, report_months, settings, credit, next_year)
    if not shares:
        return _NO_SHARES
    return _Shares(
        lags=True,
        metrics=";".join(f"{v:g}%" for v, _ in shares),
        flags=";".join(f"work_share:{v:g}%" for v, _ in shares),
        sentences=tuple(sentence for _, sentence in shares),
    )


@dataclass
class _PerTask:
    """The sub-targets' contribution to each task's row, by distinct task id (``;`` lists)."""

    count: np.ndarray
    n_lagging: np.ndarray
    lagging: np.ndarray  # metrics at a lagging status and not made up by scheduled work
    behind: np.ndarray  # metrics at 慢序时
    scheduled: np.ndarray  # metrics made up by completions scheduled or work under way
    flags: np.ndarray  # metric:status of the lagging, then the behind ones
    mean_ratio: np.ndarray
    has_ratio: np.ndarray  # a cumulative sub-target with a 完成率
    n_projected: np.ndarray  # lagging by a full-year figure the text projects
    projected_flags: np.ndarray  # metric:projected of these
    projected: dict[int, list[str]]  # their projecting sentences, by task


#: The sub-target fields :func:`_lagging_subtarget` reads, with their value when the table has
#: no such column. A sub-target's context is judged once per distinct (these, progress text):
#: a rule that reads another field adds it here.
_JUDGED_FIELDS = {
    "kind": "",
    "direction": "",
    "status": "",
    "metric": "",
    "unit": "",
    "actual": np.nan,
    "target": np.nan,
    "stated_rate": np.nan,
    "expected_ratio": np.nan,
    "task": "",
}


class _Judged(namedtuple("_Judged", list(_JUDGED_FIELDS))):
    """A sub-target as :func:`_lagging_subtarget` sees it: a field it reads and the key does
    not hold is an error, not a default (``getattr(s, "x", None)`` would hide it)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        raise LookupError(f"_lagging_subtarget reads {name!r}: add it to _JUDGED_FIELDS")


#: One NaN for every missing figure, so that equal keys are equal (NaN != NaN).
_NAN = float("nan")


def _may_change(
    kind: np.ndarray, direction: np.ndarray, status: np.ndarray, settings
) -> np.ndarray:
    """The sub-targets :func:`_lagging_subtarget` may judge other than "neither lagging nor
    made up": a lagging or 慢序时 status, or a growth or level target a projection can lag."""
    statuses = [str(s) for s in settings.thresholds.lagging_statuses]
    return _isin(status, [*statuses, SubtargetStatus.BEHIND.value]) | (
        _isin(kind, ["growth", "level"]) & _isin(direction, ["higher", "lower"])
    )


def _isin(values: np.ndarray, options: list) -> np.ndarray:
    """Whether each of ``values`` (any objects, NaN among them) is one of ``options``."""
    return pd.Index(values, dtype=object).isin(options)


def _judge(key: tuple, settings: Settings, credit: bool, next_year) -> tuple[bool, str, str]:
    """:func:`_lagging_subtarget` on one (progress text, *fields): whether the sub-target lags,
    the context, and the projecting sentence when a projection lags it."""
    text, s = key[0], _Judged(*key[1:])
    lagging_statuses = set(settings.thresholds.lagging_statuses)
    lags, context = _lagging_subtarget(s, lagging_statuses, text, settings, credit, next_year)
    sentence = projection(text, s)[1] if lags and context == "projected" else ""
    return lags, context, sentence


def _subtargets_by_task(
    subtargets: pd.DataFrame,
    task_ids: np.ndarray,
    task_texts: np.ndarray,
    settings: Settings,
    credit: bool,
    next_year: int | None,
) -> _PerTask:
    """One pass over the sub-targets, as columns, for each task's lists and mean 完成率.

    ``task_texts`` is the progress text of each of ``task_ids``.
    """
    n = len(task_ids)
    if not len(subtargets):
        none = np.full(n, "", dtype=object)
        zero = np.zeros(n, dtype=np.int64)
        no = np.zeros(n, dtype=bool)
        return _PerTask(zero, zero, none, none, none, none, np.full(n, np.nan), no, zero, none, {})
    # Each sub-target's task (-1: a task not in the register, which no row shows).
    task = pd.Index(task_ids).get_indexer(subtargets["task_id"].to_numpy(dtype=object))
    known = task >= 0
    status = subtargets["status"].to_numpy(dtype=object)
    kind = subtargets["kind"].to_numpy(dtype=object)
    direction = subtargets["direction"].to_numpy(dtype=object)
    metric = subtargets["metric"].to_numpy(dtype=object)
    actual = subtargets["actual"].to_numpy(dtype="float64", na_value=np.nan)
    target = subtargets["target"].to_numpy(dtype="float64", na_value=np.nan)
    ratio = subtargets["ratio"].to_numpy(dtype="float64", na_value=np.nan)
    cumulative = kind == "cumulative"
    # Each sub-target's context (_lagging_subtarget), judged once per distinct (fields, text),
    # on the sub-targets it may change; the others neither lag nor are made up.
    check = np.flatnonzero(known & _may_change(kind, direction, status, settings))
    lags = np.zeros(len(task), dtype=bool)
    made_up = np.zeros(len(task), dtype=bool)
    projected = np.zeros(len(task), dtype=bool)
    sentence = np.full(len(task), "", dtype=object)
    if len(check):
        cues = settings.cues
        text = each_once(lambda t: simplified(t, cues), task_texts[task[check]].tolist())
        fields = [_judged_column(subtargets, f, d, check) for f, d in _JUDGED_FIELDS.items()]
        judged = each_once(_judge, zip(text, *fields, strict=True), settings, credit, next_year)
        lag, context, said = (np.array(x, dtype=object) for x in zip(*judged, strict=True))
        lags[check] = lag.astype(bool)
        made_up[check] = ~lags[check] & _isin(context, ["scheduled", "under_way"])
        projected[check] = lags[check] & (context == "projected")
        sentence[check] = said
    behind = (status == SubtargetStatus.BEHIND.value) & ~lags & ~made_up
    by_ratio = cumulative & ~np.isnan(ratio)
    # A level target (占比60%以上) counts in the average as the level reached / target.
    with np.errstate(divide="ignore", invalid="ignore"):
        reached = actual / target
    level = (
        ~by_ratio
        & (kind == "level")
        & (direction == "higher")
        & ~np.isnan(actual)
        & ~np.isnan(target)
        & (target > 0)
    )
    share = np.minimum(np.where(by_ratio, ratio, reached), 1.0)
    flag = _labelled(metric, status, lags | behind)
    projected_flag = _labelled(metric, np.full(len(metric), "projected", dtype=object), projected)
    return _PerTask(
        count=np.bincount(task[known], minlength=n),
        n_lagging=np.bincount(task[known & lags], minlength=n),
        lagging=_join_by_task(n, task, metric, lags),
        behind=_join_by_task(n, task, metric, behind),
        scheduled=_join_by_task(n, task, metric, made_up),
        flags=_joined(_join_by_task(n, task, flag, lags), _join_by_task(n, task, flag, behind)),
        mean_ratio=_mean_by_task(n, task, share, known & (by_ratio | level)),
        has_ratio=np.bincount(task[known & by_ratio], minlength=n) > 0,
        n_projected=np.bincount(task[known & projected], minlength=n),
        projected_flags=_join_by_task(n, task, projected_flag, projected),
        projected=_group_by_task(task, sentence, projected),
    )


def _labelled(metric: np.ndarray, label: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``metric:label`` at ``rows`` ("" elsewhere)."""
    out = np.full(len(metric), "", dtype=object)
    pairs = zip(metric[rows].tolist(), label[rows].tolist(), strict=True)
    out[rows] = [f"{m}:{x}" for m, x in pairs]
    return out


def _judged_column(subtargets: pd.DataFrame, field: str, default, rows: np.ndarray) -> list:
    """``field`` of the sub-targets at ``rows`` (``default`` when no such column), every
    missing figure the one ``_NAN``."""
    if field not in subtargets.columns:
        return [default] * len(rows)
    if isinstance(default, float):
        values = subtargets[field].to_numpy(dtype="float64", na_value=np.nan)[rows].tolist()
        return [_NAN if v != v else v for v in values]
    values = subtargets[field].to_numpy(dtype=object)[rows]
    values[pd.isna(values)] = _NAN
    return values.tolist()


def _group_by_task(task: np.ndarray, values: np.ndarray, rows: np.ndarray) -> dict[int, list]:
    """The ``values`` of each task's ``rows``, in order, by task (none for a task with none)."""
    grouped: dict[int, list] = {}
    keep = rows & (task >= 0)
    for t, v in zip(task[keep].tolist(), values[keep].tolist(), strict=True):
        grouped.setdefault(t, []).append(v)
    return grouped


def _join_by_task(n: int, task: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The ``;``-joined ``values`` of each task's ``rows``, in order ("" for a task with none)."""
    out = np.full(n, "", dtype=object)
    for t, v in _group_by_task(task, values, rows).items():
        out[t] = ";".join(v)
    return out


def _mean_by_task(n: int, task: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The mean of each task's ``values`` over ``rows`` (NaN for none), summed left to right
    as ``sum(...) / len(...)`` does."""
    task, values = task[rows], values[rows]
    order = np.argsort(task, kind="stable")
    task, values = task[order], values[order]
    counts = np.bincount(task, minlength=n)
    rank = np.arange(len(task)) - (np.cumsum(counts) - counts)[task]
    sums = np.zeros(n)
    for k in range(int(counts.max()) if len(task) else 0):
        at = rank == k
        sums[task[at]] += values[at]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def _unique(items) -> list[str]:
    out: list[str] = []
    for x in items:
        if x and x not in out:
            out.append(x)
    return out


def _subtask_name(part) -> str:
    return f"{part.mark}{part.heading}".strip()


def disagreements(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks whose computed status differs from the office's filing, with the evidence."""
    cols = [
        "task_id",
        "section",
        "task",
        "lead_units",
        "reported_status",
        "computed_status",
        "slippage",
        "slip_kinds",
        "evidence",
        "cause",
        "subtask",
        "lagging_metrics",
    ]
    # A task the office has not judged yet (未认定) cannot disagree with its judgement.
    judged = tasks["reported_status"] != TaskStatus.UNJUDGED
    return tasks.loc[~tasks["agrees"] & judged, cols].reset_index(drop=True)
