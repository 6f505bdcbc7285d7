"""Data-quality checks a careful office makes, reported as a table rather than hidden.

Each finding has a severity (错误 / 警告 / 提示), the item it concerns, what was found and the
source text. Nothing here changes the data.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from helpers.compute.targets import figure_source_texts
from helpers.core.config import Settings
from helpers.core.distinct import each_once
from helpers.core.fmt import fmt_pct, fmt_value, is_missing
from helpers.core.glyphs import REPLACEMENT, missing_glyphs
from helpers.core.messages import say
from helpers.core.returns import stale_judgements
from helpers.core.vocab import IndicatorStatus, SubtargetStatus, TaskStatus
from helpers.read.quantities import find_quantities

CHECK_COLUMNS = ["severity", "check", "item", "finding", "source_text"]
STATED_RATE = re.compile(r"([\u4e00-\u9fa5]{0,6}率)(?:为|达)?(\d+(?:\.\d+)?)%")
STATED_SHARE = re.compile(
    r"(\d+(?:\.\d+)?)(万|亿)?(元|个|户|人|平方米)?[^。；]{0,12}?完成全年(?:任务|目标)(\d+(?:\.\d+)?)(万|亿)?"
    r"(元|个|户|人|平方米)?的(\d+(?:\.\d+)?)%"
)
MULT = {None: 1, "": 1, "万": 1e4, "亿": 1e8}


def _row(severity, check, item, finding, source=""):
    return {
        "severity": severity,
        "check": check,
        "item": item,
        "finding": finding,
        "source_text": source,
    }


def check_counts(stated: dict, tasks: pd.DataFrame, indicators: pd.DataFrame) -> list[dict]:
    """Counts the report's body states against the rows and the computed statuses."""
    out = []
    if not stated:
        return [_row("提示", "正文数字核对", "正文", "本期数据未附正文所述数字，未核对")]
    rep = tasks["reported_status"].value_counts()
    ind = indicators["status"].value_counts()
    pairs = [
        ("预期目标数", stated.get("indicators"), len(indicators)),
        ("重点任务数", stated.get("tasks"), len(tasks)),
        (
            "正常推进任务数（督查办认定）",
            stated.get("tasks_normal"),
            int(rep.get(TaskStatus.NORMAL, 0)),
        ),
        (
            "推进较为滞后任务数（督查办认定）",
            stated.get("tasks_lagging"),
            int(rep.get(TaskStatus.LAGGING, 0)),
        ),
        ("正文列举的滞后任务数", stated.get("tasks_lagging_named"), stated.get("tasks_lagging")),
        ("符合预期指标数", stated.get("indicators_met"), int(ind.get(IndicatorStatus.MET, 0))),
        (
            "不达预期指标数",
            stated.get("indicators_missed"),
            int(ind.get(IndicatorStatus.MISSED, 0)),
        ),
        (
            "符合时间节点要求指标数",
            stated.get("indicators_on_schedule"),
            int(ind.get(IndicatorStatus.ON_SCHEDULE, 0)),
        ),
    ]
    for name, said, have in pairs:
        if said is None:
            continue
        if said == have:
            out.append(
                _row("提示", "正文数字核对", name, say("check.count_agrees", said=said, have=have))
            )
        else:
            out.append(
                _row("错误", "正文数字核对", name, say("check.count_differs", said=said, have=have))
            )
    named = stated.get("indicators_missed_named") or []
    if stated.get("indicators_missed") is not None and len(named) != stated["indicators_missed"]:
        missed = indicators.loc[
            indicators["status"] == IndicatorStatus.MISSED, "indicator"
        ].tolist()
        omitted = [m for m in missed if not any(m in n for n in named)]
        out.append(
            _row(
                "错误",
                "正文数字核对",
                "不达预期指标列举",
                say(
                    "check.missed_named",
                    said=stated["indicators_missed"],
                    named=len(named),
                    omitted=say("check.missed_omitted", names="、".join(omitted))
                    if omitted
                    else "",
                ),
                "；".join(named),
            )
        )
    return out


def check_stated_ratios(progress: pd.DataFrame) -> list[dict]:
    """Recompute ratios that progress text states itself.

    ``完成全年任务70亿元的66.51%`` is checked as 46.56 / 70. ``安装率19.05%`` is checked against the
    pair of figures in the same sentence whose quotient comes closest (79880 / 419295).
    """
    return _records(_stated_ratio_findings(progress))


def _stated_ratio_findings(progress: pd.DataFrame) -> Findings:
    """``check_stated_ratios`` as columns; each distinct text is read once."""
    found = each_once(_stated_ratios_in, progress["progress"].tolist())
    out = Findings()
    for task_id, rows in zip(progress["task_id"].tolist(), found, strict=True):
        for severity, finding, sentence in rows:
            out.add(severity, "比率复核", task_id, finding, sentence)
    return out


def _stated_ratios_in(text) -> tuple[tuple[str, str, str], ...]:
    """(severity, finding, sentence) of every ratio one progress text states."""
    out = []
    if "%" not in (text or ""):
        return ()  # both patterns end in a percentage
    for sentence in re.split(r"[。；\n]", text or ""):
        for m in STATED_SHARE.finditer(sentence):
            done = float(m.group(1)) * MULT[m.group(2)]
            whole = float(m.group(4)) * MULT[m.group(5)]
            said = float(m.group(7))
            out.append(_ratio_finding(m.group(0), done, whole, said, sentence))
        for m in STATED_RATE.finditer(sentence):
            said = float(m.group(2))
            qs = [q for q in find_quantities(sentence[: m.start()]) if q.unit not in {"%"}]
            best, pairs = None, 0
            for a in qs:
                for b in qs:
                    if a is b or b.value <= 0 or a.unit != b.unit or a.value > b.value:
                        continue
                    pairs += 1
                    diff = abs(a.value / b.value * 100 - said)
                    if best is None or diff < best[0]:
                        best = (diff, a, b)
            # Near match: the pair the rate was computed from. A single candidate pair is
            # checked whatever the difference: it is the only reading of the sentence.
            if best and (best[0] < 2.0 or pairs == 1):
                out.append(_ratio_finding(m.group(0), best[1].value, best[2].value, said, sentence))
    return tuple(out)


def _ratio_finding(stated_text, done, whole, said, sentence) -> tuple[str, str, str]:
    recomputed = done / whole * 100
    ok = abs(recomputed - said) < 0.01 + 1e-9 or round(recomputed, 2) == round(said, 2)
    finding = say(
        "check.ratio",
        stated=stated_text,
        done=fmt_value(done),
        whole=fmt_value(whole),
        recomputed=recomputed,
        verdict=say("check.ratio_agrees") if ok else say("check.ratio_differs", said=said),
    )
    return ("提示" if ok else "警告", finding, sentence.strip())


def check_subtargets(
    subtargets: pd.DataFrame, report_months: int, settings: Settings
) -> list[dict]:
    """Sub-targets with no figure, an earlier period, an absurd 完成率, or a curated value."""
    return _records(_subtarget_findings(subtargets, report_months, settings))


# A stated 完成率 is usually rounded (93% for 650/700 = 92.86%): only a larger gap is listed.
STATED_RATE_TOLERANCE_PP = 1.0


def _subtarget_findings(subtargets: pd.DataFrame, report_months: int, settings: Settings):
    """``check_subtargets`` as columns, each kind of finding selected for all sub-targets at
    once; a sub-target's findings stay together, in the order of the kinds below."""
    suspicious = settings.thresholds.suspicious_ratio
    if not len(subtargets):
        return Findings()
    col = {c: subtargets[c].to_numpy(dtype=object) for c in subtargets.columns}
    # Where each figure came from, in words: the unit's sentence (and the workbook it typed in).
    col["figure_text"] = np.array(figure_source_texts(subtargets), dtype=object)
    ratio, actual, target = (_floats(subtargets, c) for c in ("ratio", "actual", "target"))
    stated = _floats(subtargets, "stated_rate")
    months = col["period_months"]
    no_data = col["status"] == SubtargetStatus.NO_DATA.value
    with np.errstate(invalid="ignore"):
        off = np.abs(ratio * 100 - stated) > STATED_RATE_TOLERANCE_PP
    limit = fmt_pct(suspicious, 0)
    kinds = [
        # (rows, severity, check, finding of each row, source text column)
        (
            no_data,
            "警告",
            "缺少完成值",
            lambda k: each_once(
                _no_actual, zip(target[k].tolist(), col["unit"][k].tolist(), strict=True)
            ),
            "target_text",
        ),
        (
            ~no_data & (months < report_months),
            "提示",
            "数据期间早于报告期",
            lambda k: each_once(
                _earlier, zip(col["actual_period"][k].tolist(), months[k].tolist(), strict=True)
            ),
            "figure_text",
        ),
        (
            months > report_months,
            "错误",
            "数据期间晚于报告期",
            lambda k: each_once(_later, col["actual_period"][k].tolist(), report_months),
            "figure_text",
        ),
        (
            ~np.isnan(ratio) & (ratio > suspicious),
            "警告",
            "完成率异常",
            lambda k: [
                say("check.suspicious", ratio=fmt_pct(r), limit=limit) for r in ratio[k].tolist()
            ],
            "figure_text",
        ),
        (
            col["source"] == "curated",
            "提示",
            "人工核定",
            lambda k: col["curation_reason"][k].tolist(),
            "figure_text",
        ),
        (
            ~np.isnan(stated) & ~np.isnan(actual) & ~np.isnan(ratio) & off,
            "警告",
            "完成率与文中不符",
            lambda k: [
                say("check.stated_rate_differs", ratio=fmt_pct(r), stated=t)
                for r, t in zip(ratio[k].tolist(), col["stated_rate_text"][k].tolist(), strict=True)
            ],
            "figure_text",
        ),
    ]
    at, slot, severity, check, finding, source = [], [], [], [], [], []
    for n, (rows, sev, name, findings, source_col) in enumerate(kinds):
        k = np.flatnonzero(np.asarray(rows, dtype=bool))
        if not len(k):
            continue
        at.append(k)
        slot.append(np.full(len(k), n))
        severity.extend([sev] * len(k))
        check.extend([name] * len(k))
        finding.extend(findings(k))
        source.extend(col[source_col][k].tolist())
    out = Findings()
    if not at:
        return out
    rows = np.concatenate(at)
    order = np.lexsort((np.concatenate(slot), rows))
    rows = rows[order]
    items = [
        f"{t}-{n} {m}"
        for t, n, m in zip(
            col["task_id"][rows],
            subtargets["target_no"].to_numpy()[rows],
            col["metric"][rows],
            strict=True,
        )
    ]
    pick = order.tolist()
    out.extend(
        [severity[j] for j in pick],
        [check[j] for j in pick],
        items,
        [finding[j] for j in pick],
        [source[j] for j in pick],
    )
    return out


def _no_actual(key) -> str:
    target, unit = key
    return say("check.no_actual", target=fmt_value(target, unit))


def _earlier(key) -> str:
    period, months = key
    return say("check.earlier_subtarget", period=period, months=months)


def _later(period, report_months: int) -> str:
    return say("check.later", period=period, months=report_months)


def _floats(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64, missing values as NaN; all NaN when absent."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    return df[column].to_numpy(dtype="float64", na_value=np.nan)


def check_indicators(indicators: pd.DataFrame, report_months: int) -> list[dict]:
    """Indicator figures for an earlier period than the report, or with no figure at all."""
    out = []
    for r in indicators.itertuples():
        if r.earlier_period:
            out.append(
                _row(
                    "提示",
                    "数据期间早于报告期",
                    r.indicator,
                    say("check.earlier_indicator", period=r.period, months=report_months),
                    r.source_text,
                )
            )
        if r.kind != "qualitative" and is_missing(r.actual):
            out.append(_row("警告", "缺少完成值", r.indicator, "进展情况中没有数值", r.source_text))
        if not r.period and r.kind != "qualitative":
            out.append(
                _row("警告", "未注明数据期间", r.indicator, "进展情况未注明数据期间", r.source_text)
            )
    return out


def check_indicator_text(indicators: pd.DataFrame) -> list[dict]:
    """An indicator's value against the figures its own progress text states.

    When the text states figures in the value's unit and none of them is the value (to the
    text's own precision), the two disagree: an error naming both. A text without such a figure
    is not checked (the value may be the only source).
    """
    out = []
    for r in indicators.itertuples():
        text = "" if is_missing(r.source_text) else str(r.source_text)
        if is_missing(r.actual) or not text:
            continue
        said = [q for q in find_quantities(text) if q.unit == r.unit]
        if not said:
            continue
        value = float(r.actual)
        if any(math.isclose(q.value, value, rel_tol=1e-6, abs_tol=0.005) for q in said):
            continue
        figures = "、".join(f"{q.value:g}{q.unit}" for q in said)
        out.append(
            _row(
                "错误",
                "完成值与进展文字不一致",
                r.indicator,
                say("check.value_vs_text", value=f"{value:g}{r.unit}", figures=figures),
                text,
            )
        )
    return out


def check_glyphs(
    indicators: pd.DataFrame, subtargets: pd.DataFrame, tasks: pd.DataFrame
) -> list[dict]:
    """Names drawn on the charts with a character no chart font has: drawn as □, listed here."""
    return _records(_glyph_findings(indicators, subtargets, tasks))


def _glyph_findings(indicators, subtargets, tasks) -> Findings:
    out = Findings()
    sources = [
        (indicators, "indicator_id", ["indicator"]),
        (subtargets, "task_id", ["metric"]),
        (tasks, "task_id", ["section", "lead_units"]),
    ]
    for df, id_col, columns in sources:
        for col in columns:
            if col not in df.columns:
                continue
            texts = df[col].tolist()
            for item, text, chars in zip(
                df[id_col].tolist(), texts, each_once(missing_glyphs, texts), strict=True
            ):
                if chars:
                    finding = say("check.glyph", chars=chars, replacement=REPLACEMENT)
                    out.add("警告", "图表缺字", item, finding, str(text))
    return out


def check_returns(tasks: pd.DataFrame) -> list[dict]:
    """Tasks whose unit returned nothing: shown as 未报送, never as zero.

    Tasks the office has not judged yet (未认定) are listed once, all together, by the engine's
    account of what the data lacks, not once per task.
    """
    return _records(_return_findings(tasks))


def _return_findings(tasks: pd.DataFrame) -> Findings:
    out = Findings()
    if tasks.empty:
        return out
    silent = (tasks["computed_status"] == TaskStatus.NOT_REPORTED.value).to_numpy(dtype=bool)
    ids = tasks["task_id"][silent].tolist()
    units = tasks["lead_units"][silent].tolist()
    n = len(ids)
    out.extend(["错误"] * n, ["未报送"] * n, ids, each_once(_not_reported, units), [""] * n)
    return out


def _not_reported(units) -> str:
    return say("check.not_reported", units=units)


def _rejudge_findings(progress: pd.DataFrame) -> Findings:
    """Statuses the office filed on a progress text a unit has since re-reported: kept, and
    named here until the office files them again (``workreport review``)."""
    out = Findings()
    stale = set(stale_judgements(progress, (TaskStatus.NORMAL.value, TaskStatus.LAGGING.value)))
    if not stale:
        return out
    for tid, status, text in zip(
        progress["task_id"], progress["reported_status"], progress["progress"], strict=True
    ):
        if tid in stale:
            out.add("警告", "认定待复核", tid, say("check.rejudge", status=status), str(text))
    return out


class Findings:
    """Rows of the checks table (``CHECK_COLUMNS``), held as columns."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {c: [] for c in CHECK_COLUMNS}

    def add(self, severity, check, item, finding, source="") -> None:
        for c, v in zip(CHECK_COLUMNS, (severity, check, item, finding, source), strict=True):
            self.columns[c].append(v)

    def extend(self, *columns: list) -> None:
        for c, values in zip(CHECK_COLUMNS, columns, strict=True):
            self.columns[c].extend(values)

    def extend_rows(self, rows: list[dict]) -> None:
        for c in CHECK_COLUMNS:
            self.columns[c].extend(r[c] for r in rows)


def _records(found: Findings) -> list[dict]:
    cols = found.columns
    return [dict(zip(CHECK_COLUMNS, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def run_checks(
    stated: dict,
    tasks: pd.DataFrame,
    indicators: pd.DataFrame,
    subtargets: pd.DataFrame,
    progress: pd.DataFrame,
    report_months: int,
    settings: Settings,
) -> pd.DataFrame:
    """All checks, as one table ordered by severity (错误, 警告, 提示)."""
    found = Findings()
    found.extend_rows(check_counts(stated, tasks, indicators))
    found.extend(*_return_findings(tasks).columns.values())
    found.extend_rows(check_indicators(indicators, report_months))
    found.extend_rows(check_indicator_text(indicators))
    found.extend(*_glyph_findings(indicators, subtargets, tasks).columns.values())
    found.extend(*_subtarget_findings(subtargets, report_months, settings).columns.values())
    found.extend(*_stated_ratio_findings(progress).columns.values())
    found.extend(*_rejudge_findings(progress).columns.values())
    df = pd.DataFrame(found.columns, columns=CHECK_COLUMNS)
    order = {"错误": 0, "警告": 1, "提示": 2}
    return df.sort_values("severity", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
