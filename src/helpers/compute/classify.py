"""Classify indicators and tasks, and list where the numbers disagree with the office's filing.

The office's own judgement (``reported_status``) is kept as it was filed. The computed status is
set beside it, from the numbers and from words in the progress text that signal slippage; a
disagreement is shown, never silently resolved.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from helpers.compute.progress import _status_cumulative, _status_direct, expected_share
from helpers.compute.slippage import read_slippage, simplified
from helpers.compute.targets import unit_family
from helpers.core.config import Settings
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


def _sentences(text: str) -> list[str]:
    return [x for x in re.split(r"(?<=[。；;\n])", text or "") if x.strip()]


def _clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"[，,。；;：:\n]", sentence) if c.strip()]


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
    """Shares of this year's plan the text states to date (``words.year_share``), in percent, with
    their sentence; a share the sentence projects (全年预计完成600亿元，完成年计划的97%) is not
    one to date.

    >>> from helpers.core.config import load_settings
    >>> w = load_settings().words
    >>> [v for v, _ in year_shares("省档案馆完成年度投资计划的30.02%；乙为年度计划的51.35%。", w)]
    [30.02, 51.35]
    >>> year_shares("全年预计完成600亿元，完成年计划的97%。", w)
    []
    """
    if not words.year_share:
        return []
    rx = _year_share_pattern(words.year_share)
    out = []
    for sentence in _sentences(text):
        for m in rx.finditer(sentence):
            if "预计" in sentence[: m.start()]:
                continue
            out.append((float(m.group(1)), sentence.strip().rstrip("。；;")))
    return out


@lru_cache(maxsize=8)
def _year_share_pattern(names: tuple[str, ...]) -> re.Pattern:
    name = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:{name})的(\d+(?:\.\d+)?)%")


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
    lagging_statuses = set(settings.thresholds.lagging_statuses)
    lagging_kinds = set(settings.cues.lagging_kinds)
    # Work scheduled or under way is credited only while enough of the year is left.
    credit = report_months is None or 12 - report_months >= settings.thresholds.credit_months_left
    prog = progress.set_index("task_id")
    texts = dict(zip(prog.index, prog["progress"], strict=True))
    reported = dict(zip(prog.index, prog["reported_status"], strict=True))
    returned = dict(zip(prog.index, prog["returned"], strict=True)) if "returned" in prog else {}
    # What the units return on the form beside the progress text (存在问题, 下一步打算).
    extra = {
        col: {k: ("" if is_missing(v) else str(v)) for k, v in prog[col].items()}
        if col in prog
        else {}
        for col in ("issues", "next_steps")
    }
    # One pass over the sub-targets builds each task's lists (filtering the frame once per task
    # would cost O(tasks × sub-targets): 10k tasks took 14 s that way).
    lagging_of: dict[str, list] = {}
    behind_of: dict[str, list] = {}
    scheduled_of: dict[str, list] = {}
    count_of: dict[str, int] = {}
    ratios_of: dict[str, list[float]] = {}
    has_ratio: dict[str, bool] = {}
    projected_of: dict[str, list[tuple[str, str]]] = {}  # metric, the sentence projecting it
    for s in subtargets.itertuples():
        count_of[s.task_id] = count_of.get(s.task_id, 0) + 1
        if s.kind == "cumulative" and not is_missing(s.ratio):
            has_ratio[s.task_id] = True
        text = "" if is_missing(texts.get(s.task_id)) else str(texts.get(s.task_id))
        text = simplified(text, settings.cues)
        lags, context = _lagging_subtarget(s, lagging_statuses, text, settings, credit, next_year)
        if lags:
            lagging_of.setdefault(s.task_id, []).append(s)
            if context == "projected":
                projected_of.setdefault(s.task_id, []).append((s.metric, projection(text, s)[1]))
        elif context in {"scheduled", "under_way"}:
            scheduled_of.setdefault(s.task_id, []).append(s)
        elif s.status == SubtargetStatus.BEHIND:
            behind_of.setdefault(s.task_id, []).append(s)
        if s.kind == "cumulative" and not is_missing(s.ratio):
            ratios_of.setdefault(s.task_id, []).append(min(float(s.ratio), 1.0))
        elif _level_reached(s) is not None:
            # A level target (占比60%以上) counts in the average as the level reached / target.
            ratios_of.setdefault(s.task_id, []).append(min(_level_reached(s), 1.0))
    rows = []
    register_cols = ("task_id", "section", "task", "leaders", "lead_units", "partner_units")
    for task in tasks[list(register_cols)].itertuples(index=False):
        tid = task.task_id
        text = "" if is_missing(texts.get(tid)) else str(texts.get(tid))
        hits = read_slippage(text, settings, next_year)
        # A sentence listing other items than the task (a 督查通报's list) is not its slippage.
        plain = simplified(text, settings.cues)
        task_name = simplified(str(task.task), settings.cues)
        hits = [h for h in hits if not names_other_items(h.sentence, task_name, plain)]
        several_parts = len({h.part.index for h in hits} | {0}) > 1 or (
            hits and hits[0].part.mark != ""
        )
        main = [
            h for h in hits if h.kind in lagging_kinds and (not several_parts or h.part.index == 0)
        ]
        lagging = lagging_of.get(tid, [])
        # A stated share of the whole work, for a task whose figures give no 完成率.
        shares = (
            _work_share_lags(
                task.task,
                simplified(text, settings.cues),
                report_months,
                settings,
                credit,
                next_year,
            )
            if not has_ratio.get(tid)
            else []
        )
        if not bool(returned.get(tid, True)) or not text.strip():
            computed, scope = TaskStatus.NOT_REPORTED, Slippage.NONE
        elif lagging or main or shares:
            computed, scope = TaskStatus.LAGGING, Slippage.WHOLE
        elif hits:
            computed, scope = TaskStatus.NORMAL, Slippage.PART
        else:
            computed, scope = TaskStatus.NORMAL, Slippage.NONE
        shown = hits if computed != TaskStatus.NOT_REPORTED else []
        projected = projected_of.get(tid, [])
        figures = (
            [sentence for _, sentence in shares + projected]
            if computed != TaskStatus.NOT_REPORTED
            else []
        )
        evidence = _unique([*figures, *(h.sentence for h in shown)])
        causes = _unique(h.cause for h in shown if h.cause)
        subtasks = _unique(_subtask_name(h.part) for h in shown if h.part.mark or h.part.heading)
        ratios = ratios_of.get(tid, [])
        behind = behind_of.get(tid, [])
        rows.append(
            {
                **task._asdict(),
                "reported_status": reported.get(tid, ""),
                "computed_status": str(computed),
                "agrees": reported.get(tid, "") == computed,
                "slippage": str(scope),
                "slip_kinds": ";".join(_unique(h.kind for h in shown)),
                "evidence": "；".join(_unique(evidence)),
                "cause": "；".join(causes),
                "subtask": "；".join(subtasks),
                "lagging_metrics": ";".join(
                    [s.metric for s in lagging] + [f"{v:g}%" for v, _ in shares]
                ),
                "behind_metrics": ";".join(s.metric for s in behind),
                "scheduled": ";".join(s.metric for s in scheduled_of.get(tid, [])),
                "flags": ";".join(
                    [f"{s.metric}:{s.status}" for s in lagging + behind]
                    + [f"{m}:projected" for m, _ in projected]
                    + [f"work_share:{v:g}%" for v, _ in shares]
                    + [f"{h.kind}:{h.cue}" for h in hits]
                ),
                "n_subtargets": count_of.get(tid, 0),
                "mean_ratio": sum(ratios) / len(ratios) if ratios else float("nan"),
                "progress": text,
                "issues": extra["issues"].get(tid, ""),
                "next_steps": extra["next_steps"].get(tid, ""),
            }
        )
    return pd.DataFrame(rows)


def _level_reached(s) -> float | None:
    """A level target's level reached over the target level (higher is better), or None."""
    if s.kind != "level" or s.direction != "higher" or is_missing(s.actual):
        return None
    if is_missing(s.target) or float(s.target) <= 0:
        return None
    return float(s.actual) / float(s.target)


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
