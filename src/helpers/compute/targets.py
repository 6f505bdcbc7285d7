"""Read each task's quantitative sub-targets from its text and pair each with its actual.

A target is paired with the actual that measures the same thing (same unit family, most shared
words). Position decides only where the sentence form says so: targets and figures listed in the
same order when words cannot tell them apart, the figure before ``占…目标（X）``, the figures a
shared target lists. Restated targets, baselines, projections, work under way and stated 完成率
are never actuals. Where the text cannot settle it, ``data/<year>/curation.csv`` gives the value
with a reason, and the output says the value is curated.

Every rule here serves a kind of sentence seen in real reports; ``data/corpus/`` holds them with
a hand gold, and ``make accuracy`` shows what each change does to the reading.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.distinct import each_once
from helpers.core.errors import ProblemList
from helpers.core.messages import say
from helpers.core.vocab import FigureSource, Period, months_label
from helpers.read.loading import read_optional_csv
from helpers.read.quantities import (
    COUNT_UNITS,
    PEOPLE_UNITS,
    Quantity,
    find_period,
    find_quantities,
    format_period,
    normalize,
    parse_number,
)

LOWER_WORDS = ("控制在", "以下", "不超过", "以内", "下降", "减少", "降低", "压减")
# Verbs and fillers that say nothing about *what* is measured; dropped before matching words.
FILLER = re.compile(
    r"确保|全年|实现|完成|新建|建成|建设|打造|引进|培育|新增|已|累计|共|目前|截至|开通|达到|达|年度|计划|"
    r"共计|其中|我区|全区|今年|以来|等|约|超|突破|增长|同比|提高|新培育|新改建|已建成|已完成"
)
# 计划新开工项目, 计划投资, 计划任务 name things (the planned projects), they do not project.
PROJECTION = re.compile(
    r"预计|计划(?!新?开工项目|投产项目|竣工项目|投资|任务|目标|的)|拟|将于|争取|力争|有望|将达|可望"
)
# Work under way or proposed is not an actual: 正在开展…4个项目, 推荐73家企业申报.
NOT_DONE = re.compile(r"正在|在建|待评审|推荐|申报|即将|取消|暂缓|停建")
MATCH_THRESHOLD = 0.34
# When the progress text holds exactly one figure of the target's unit family, fewer shared
# words are needed (已完成改厕1157户 for 农村改厕1220户).
SOLE_CANDIDATE_THRESHOLD = 0.2

TARGET_COLUMNS = [
    "task_id",
    "target_no",
    "metric",
    "kind",
    "direction",
    "target",
    "unit",
    "target_text",
    "actual",
    "actual_period",
    "actual_text",
    "match_score",
    "source",
    "curation_reason",
    "baseline",
    "target_range",
    "stated_rate",
    "stated_rate_text",
    "target_span",
    "actual_span",
    "target_approx",
    "actual_approx",
    # The workbook a unit typed the 完成值 into (source ``returned``), else empty.
    "returned_file",
]
#: The columns read from the texts (``returned_file`` is set only by the returned figures).
READ_COLUMNS = [c for c in TARGET_COLUMNS if c != "returned_file"]


@dataclass
class Target:
    """A sub-target read from a task's text."""

    target_no: int
    metric: str
    kind: str  # cumulative | growth | level
    direction: str  # higher | lower
    quantity: Quantity
    baseline: float | None = None  # 从300元提高到320元: 300
    target_range: str = ""  # 增长5%-6%: one target (the low end, the floor), the range kept


def unit_family(unit: str) -> str:
    """Units that may stand for one another when the words match (个 / 家 / 座 …; 人 / 人次)."""
    if unit in COUNT_UNITS:
        return "count"
    if unit in PEOPLE_UNITS:
        return "people"
    return unit


LEADING_VERBS = re.compile(
    r"^(?:确保全年|确保|全年|实现|完成|新建|建成|打造|引进|培育|新增|建设|新改建|治理修复|集约|"
    r"形成|打通|加密|累计)+"
)


def _metric(q: Quantity) -> str:
    """A short name for what a target measures: the noun after a classifier, else before it."""
    after = q.after.replace("“", "").replace("”", "").strip()
    # A growth rate's subject comes before it (PM2.5平均浓度同比下降4%、…的改善目标).
    if len(after) >= 2 and not q.growth and not after.startswith("的"):
        return after[:14]
    before = LEADING_VERBS.sub("", q.before.replace("“", "").replace("”", "")).strip()
    if q.growth:
        before = re.sub(
            r"(?:力争|确保|实现)?(?:同比)?(?:增长|增速|下降|减少|降低|回落|提高)$", "", before
        )
    # 分散供养孤儿养育标准提高到每人每月1400元: the standard, not the verb and the rate basis.
    before = re.sub(
        r"(?:(?:提高|增加|提升|调整|达)(?:到|至))?(?:每人每[月年]|每人年|每[月年])$|"
        r"(?:提高|增加|提升|调整)(?:到|至)$",
        "",
        before,
    )
    return before[-12:] or q.unit


# A flow measured in a year (生产总值, 投资, 收入 …) given as a bare percentage is its growth
# (地区生产总值（简称“GDP”） | 7%); a rate, share or ratio (率, 占比, 比重) is a level.
FLOW_WORDS = re.compile(r"生产总值|GDP|增加值|投资|收入|零售总额|进出口|产值|营业收入|营收|消费")
LEVEL_WORDS = re.compile(r"率|占比|比重|比例|占")


def _kind(q: Quantity) -> str:
    if q.growth:
        return "growth"
    if q.unit in {"%", "个百分点", "倍"}:
        return "level"  # a share or a multiple (标准的1.6倍) is a level, never summed
    return "cumulative"


def _direction(q: Quantity) -> str:
    context = q.before[-6:] + q.approx + q.after[:2]
    return "lower" if any(w in context for w in LOWER_WORDS) else "higher"


# 从/由 A (、B) (分别) 提高到 C (、D): the A, B are baselines, never targets or actuals.
FROM_TO = re.compile(
    r"(?:从|由)(?P<base>[^，。；：]{0,40}?)(?:分别)?(?:提高|增加|提升|降低|下降|上调|下调|调整|增长|扩大|"
    r"缩小|减少)(?:到|至|为)"
)
# A project's size, not a task's target: 总投资120亿元, 计划投资70万元建设的…
PROJECT_CONTEXT = re.compile(r"(?:总投资|概算|[一二三四五]期(?:工程)?计划投资)(?:约|达|为)?$")
ATTRIBUTE_AFTER = re.compile(r"^(?:的|建设的|用于|实施)")
# A breakdown of a target by place or part: （其中，区属3所、石碁镇6所…）.
BREAKDOWN = re.compile(r"（其中[^）]*）")
# Standards paid per person are levels (低保标准, 养老金, 补助): 每人每月609元 is not summed.
STANDARD_WORDS = re.compile(
    r"标准|补助|补贴|养老金|低保|水平|每人每月|每人每年|每人年|每月|每年|元/"
)
# Stocks read as levels: 参保人数达390万人, 开发区达53个.
STOCK_WORDS = re.compile(r"参保人数|覆盖率|人数达|总数达|保有量")


def baselines_in(text: str) -> list[tuple[int, int]]:
    """Spans of the ``from`` values of from-to phrases (``由上年的324元、282元分别提高到…``)."""
    return [m.span("base") for m in FROM_TO.finditer(text)]


def _in_spans(q: Quantity, spans: list[tuple[int, int]]) -> bool:
    return any(a <= q.start and q.end <= b for a, b in spans)


def extract_targets(task_text: str) -> list[Target]:
    """Read the quantitative sub-targets from one task's text.

    ``从A提高到B``: B is the target, A its baseline (kept on the target, never a target itself).
    A project's size (总投资) and a breakdown in brackets (其中…) are not targets.

    >>> [(t.metric, t.quantity.value, t.kind) for t in extract_targets("新建3个社区体育公园、30个社区健身点")]
    [('社区体育公园', 3.0, 'cumulative'), ('社区健身点', 30.0, 'cumulative')]
    >>> [(t.quantity.value, t.baseline, t.kind) for t in extract_targets("将低保标准从574元提高到609元")]
    [(609.0, 574.0, 'level')]
    """
    task_text = normalize(task_text)
    qs = find_quantities(task_text)
    base_spans = baselines_in(task_text)
    skip_spans = [m.span() for m in BREAKDOWN.finditer(task_text)]
    bases = [q for q in qs if _in_spans(q, base_spans)]
    ranges = list(RANGE_RE.finditer(task_text))
    used_ranges: set[int] = set()
    out = []
    derived = _targets_from_gaps(task_text, qs)
    if derived:
        return derived
    marked = [q for q in qs if _names_a_target(task_text, q)]
    results_text = bool(marked) and bool(RESULT_WORDS.search(task_text))
    for q in qs:
        if q in bases or (_in_spans(q, skip_spans) and not q.approx.endswith(FLOOR_WORDS)):
            continue  # a breakdown (其中，区属3所…) is not a target; a floor on a part (其中公办30所以上) is
        if results_text and q not in marked:
            continue  # a results sentence (…下降3.59%，超过3%的年度约束性目标): only the target is one
        if q.unit == "元" and (PROJECT_CONTEXT.search(q.before) or ATTRIBUTE_AFTER.match(q.after)):
            continue
        if _qualifies_another(task_text, q, qs):
            continue  # 200人以上较大自然村…97%, 5亿元以上项目8个: the first figure only qualifies
        if unit_family(q.unit) == "count" and PROJECT_LIST_COUNT.match(
            task_text[q.end : q.end + 16]
        ):
            continue  # 重点项目170个，年度计划投资…: the count of a project list, not a target
        if PER_UNIT.search(task_text[max(0, q.start - 14) : q.start]) and any(
            o is not q and unit_family(o.unit) == unit_family(q.unit) for o in qs
        ):
            continue  # 每个县建成1个…，全省共建成166个: an allocation; the total is the target
        if q.unit in {"个", "项"} and SHARED_COUNT_AFTER.match(q.after):
            continue  # 4个结构性指标均…: the count of metrics sharing a figure, not a target
        rng = next((m for m in ranges if m.start() <= q.start < m.end()), None)
        if rng is not None and rng.start() in used_ranges:
            continue  # the high end of 增长5%-6%, already read with its low end
        kind = _kind(q)
        lead = task_text[max(0, q.start - 20) : q.start]
        flow = FLOW_WORDS.search(lead) and not LEVEL_WORDS.search(lead)
        if kind == "level" and q.unit == "%" and flow:
            kind = "growth"
        around = task_text[max(0, q.start - 30) : q.end + 4]
        if kind == "cumulative" and (
            (q.unit == "元" and STANDARD_WORDS.search(around)) or STOCK_WORDS.search(q.before[-10:])
        ):
            kind = "level"
        if results_text and q.unit == "%" and not q.growth:
            q = _signed_like_its_result(task_text, q, qs)
            kind = "growth" if q.growth else kind
        metric = _from_to_metric(task_text, q, base_spans) or _metric(q)
        t = Target(len(out) + 1, metric, kind, _direction(q), q)
        if rng is not None:
            used_ranges.add(rng.start())
            t.target_range = f"{rng.group('low')}-{rng.group('high')}{q.unit}"
            before = task_text[: rng.start()]
            before = re.split(r"[，。；：、]", before)[-1]
            t.quantity = Quantity(
                **{**q.__dict__, "value": float(rng.group("low")), "before": before}
            )
            t.metric = _metric(Quantity(**{**t.quantity.__dict__, "after": ""}))
        out.append(t)
    # 由A、B分别提高到C、D: the k-th baseline belongs to the k-th target after it.
    for a, b in base_spans:
        mine = [q for q in bases if a <= q.start and q.end <= b]
        after = [t for t in out if t.quantity.start >= b][: len(mine)]
        for t, q in zip(after, mine, strict=False):
            if t.quantity.unit == q.unit:
                t.baseline = q.value
    return _split_shared(task_text, out)


# A task text that is itself a results sentence names its targets: 占全年控制指标(177人),
# 超过3%的年度约束性目标, 控制在3.5%左右的物价调控目标.
RESULT_WORDS = re.compile(r"同比|完成|实现|已|占")
TARGET_NAME = re.compile(r"目标|控制指标|指标任务|任务数")
FLOOR_WORDS = ("以上", "不少于", "不低于")
QUALIFIER_AFTER = re.compile(
    r"^的?(?:较大|规模)?[^，。；\d]{0,6}?(?:项目|企业|自然村|村|社区|工业企业)"
)
PROJECT_LIST_COUNT = re.compile(r"^[^，。；\d]{0,3}[，,]?(?:总投资|年度计划投资)")
PER_UNIT = re.compile(r"每个|每[县乡镇村区街]")


# 同比增长8.2%、高于计划目标0.7个百分点: the target is the result less the gap.
GAP_TO_TARGET = re.compile(
    r"(?P<side>高于|超过|超出|快于|低于|慢于)(?:年度|全年|计划|预期)*目标(?P<gap>\d+(?:\.\d+)?)个百分点"
)


def _targets_from_gaps(text: str, qs: list[Quantity]) -> list[Target]:
    """Targets a results sentence gives only as a gap to its result (高于计划目标0.7个百分点).

    The target is worked from the two figures the sentence states (8.2 − 0.7 = 7.5), nothing
    guessed; the metric says so and the target keeps the words it came from.
    """
    out = []
    for m in GAP_TO_TARGET.finditer(text):
        start = max(text.rfind(p, 0, m.start()) for p in "。；\n")
        results = [q for q in qs if q.growth and start < q.start < m.start()]
        if not results:
            continue
        result = results[-1]
        gap = float(m.group("gap"))
        value = (
            result.value - gap
            if m.group("side") in {"高于", "超过", "超出", "快于"}
            else result.value + gap
        )
        value = round(value, 6)
        words = text[result.start : m.end()]
        q = Quantity(value, "%", words, result.start, m.end(), "", result.before, "", growth=True)
        metric = (_metric(result) or "增速") + "（由完成值与差距推得）"
        out.append(Target(len(out) + 1, metric, "growth", "higher", q))
    return out


def _signed_like_its_result(text: str, q: Quantity, qs: list[Quantity]) -> Quantity:
    """``能耗同比下降3.59%，超过3%的年度约束性目标``: the target is a decline of 3%, a growth
    rate signed like the result it is compared with in the same sentence."""
    start = max(text.rfind(p, 0, q.start) for p in "。；\n")
    results = [o for o in qs if o.growth and start < o.start < q.start]
    if not results:
        return q
    sign = -1.0 if results[-1].value < 0 else 1.0
    return Quantity(**{**q.__dict__, "value": sign * abs(q.value), "growth": True})


def _names_a_target(text: str, q: Quantity) -> bool:
    before = text[max(0, q.start - 8) : q.start]
    after = re.split(r"[，。；]", text[q.end : q.end + 28])[0]
    return bool(TARGET_NAME.search(before + "|" + after))


def _qualifies_another(text: str, q: Quantity, qs: list[Quantity]) -> bool:
    """``200人以上较大自然村…97%``: a floor that qualifies a noun followed by the real figure."""
    if not q.approx.endswith(("以上", "以下")) or not QUALIFIER_AFTER.match(q.after):
        return False
    clause_end = re.search(r"[，。；]", text[q.end :])
    end = q.end + clause_end.start() if clause_end else len(text)
    return any(q.end < o.start < end for o in qs)


# 增长5%-6%, 5-6%, 5%至6%: a range, one target.
RANGE_RE = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)%?\s*[-—~～至到]\s*(?P<high>\d+(?:\.\d+)?)(?=%|个百分点)"
)
SHARED_COUNT_AFTER = re.compile(r"^[^，。；]{0,12}?指标[^，。；]{0,4}?均")


def _from_to_metric(text: str, q: Quantity, base_spans: list[tuple[int, int]]) -> str:
    """What a from-to target measures: the words before 从/由 (``城市低保标准``)."""
    for a, b in base_spans:
        tail = text[b : q.start]
        if 0 <= q.start - b <= 20 and not re.search(r"[，。；]", tail):
            head = text[: a - 1]
            head = re.split(r"[，。；：]", head)[-1]
            head = re.sub(r"^(?:将|把|全市|全省|全区|全县)+", "", head).strip()
            if len(head) >= 2:
                return head[-14:]
    return ""


# N个指标均增长10%, A和B均增长10%: one figure, several sub-targets.
SHARED_COUNT = re.compile(
    r"(\d+|[一二三四五六七八九十两])(?:个|大|项)([^，。；]{0,12}?指标)[^，。；]{0,6}?均?"
)
SHARED_NAMES = re.compile(r"([^，。；：]{2,40}?)均(?:实现|保持|达到)?(?:增长)?$")


def _split_shared(text: str, targets: list[Target]) -> list[Target]:
    """Expand a figure shared by several metrics into one sub-target per metric."""
    out: list[Target] = []
    for t in targets:
        q = t.quantity
        names: list[str] = []
        count_m = SHARED_COUNT.search(q.before)
        names_m = SHARED_NAMES.search(q.before)
        if q.unit == "%" and count_m and ("均" in q.before or "指标增长" in q.before):
            try:
                n = int(parse_number(count_m.group(1)))
            except ValueError:
                n = 0
            names = (
                [f"{count_m.group(2)}（第{k}项）" for k in range(1, n + 1)] if 1 < n <= 10 else []
            )
        elif q.unit == "%" and names_m:
            parts = [p for p in re.split(r"[、和与及]", names_m.group(1)) if len(p) >= 2]
            names = parts if len(parts) > 1 else []
        if not names:
            out.append(t)
            continue
        kind = "growth" if "增长" in q.before[-12:] + q.after[:6] else t.kind
        for name in names:
            out.append(Target(0, name, kind, t.direction, q, t.baseline))
    for k, t in enumerate(out, start=1):
        t.target_no = k
    return out


# Names written two ways in reports: the progress may use either.
SYNONYMS = (
    ("GDP", "地区生产总值"),
    ("GDP", "生产总值"),
    ("GDP增长", "经济增长"),
    ("规上", "规模以上"),
)


def _bigrams(text: str) -> set[str]:
    for short, full in SYNONYMS:
        text = text.replace(full, short)
    text = FILLER.sub("", re.sub(r"[\s“”\"，。、；：（）()《》]", "", text))
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _context_before(text: str, q: Quantity, width: int = 24) -> str:
    """The words of ``q``'s sentence before it (a clause alone can miss the subject)."""
    start = max(text.rfind(p, 0, q.start) for p in "。；\n①②③④⑤⑥⑦⑧⑨")
    return text[start + 1 : q.start][-width:]


def _context_after(text: str, q: Quantity, width: int = 14) -> str:
    """The words after ``q`` up to the end of its clause or list item, looking through brackets."""
    m = re.search(r"[，。；,;、]", text[q.end :])
    end = q.end + m.start() if m else len(text)
    return text[q.end : end][:width]


def match_score(target: Target, candidate: Quantity, progress: str = "") -> float:
    """Share of the target's metric words (character pairs) found around a candidate actual."""
    # A generic metric (项目) needs the words before it (冷链产业园等15个项目) to say what it is.
    metric = (
        target.metric if len(target.metric) >= 4 else target.metric + target.quantity.before[-8:]
    )
    want = _bigrams(metric)
    if not want:
        return 0.0
    if progress:
        # A growth rate often ends its sentence, far from its subject (收入完成91.75亿元，同比增收
        # 35.56亿元，增长69.3%): look further back for it.
        before = _context_before(progress, candidate, width=48 if candidate.growth else 24)
        after = "" if candidate.growth else _context_after(progress, candidate)
    else:
        before, after = candidate.before[-16:], candidate.after[:12]
    have = _bigrams(before + after)
    # Words before a figure name it more surely than words after (67所（其中公办36所）): a
    # thousandth breaks the tie.
    return len(want & have) / len(want) + 0.001 * len(want & _bigrams(before))


def _is_stated_rate(text: str, cand: Quantity, target: Target) -> bool:
    """True when ``cand`` is a stated 完成率, unless the target is that very rate (开工率达70%)."""
    own = target.quantity.before + target.metric
    for r in stated_rates(text):
        if r[0] <= cand.end - len(cand.raw) < r[0] + len(r[2]):
            name = re.search(r"(?:完成|开工|建成|完工|竣工|执行)率", r[2])
            return not (name and name.group(0) in own)
    return False


def _another_targets_floor(
    target: Target, cand: Quantity, target_values: set[tuple[str, float]]
) -> bool:
    """``该指标实现10%以上增长``: another target of the task restated as a floor, not this one's figure."""
    if not cand.approx.endswith(("以上", "以下")):
        return False
    family = unit_family(cand.unit)
    same = abs(cand.value - target.quantity.value) <= 1e-9 * max(abs(cand.value), 1.0)
    return not same and any(
        f == family and abs(cand.value - v) <= 1e-9 * max(abs(v), 1.0) for f, v in target_values
    )


def admissible(
    target: Target,
    progress: str,
    cand: Quantity,
    target_values: set[tuple[str, float]],
    base_spans: list[tuple[int, int]],
) -> bool:
    """Whether ``cand`` may be ``target``'s actual at all (see :func:`pair_actual`)."""
    if unit_family(cand.unit) != unit_family(target.quantity.unit):
        return False
    if (target.kind == "growth") != cand.growth:
        return False
    if cand.unit == "%" and _is_stated_rate(progress, cand, target):
        return False  # 完成年度任务的52%: a 完成率, never a figure of the target's own
    if _is_heading(progress, cand) or _in_spans(cand, base_spans):
        return False
    sentence_start = max(progress.rfind(p, 0, cand.start) for p in "。；\n")
    clause_start = max(progress.rfind(p, 0, cand.start) for p in "。；\n，,")
    clause = progress[clause_start + 1 : cand.start]
    if PROJECTION.search(clause):
        return False
    if _another_targets_floor(target, cand, target_values):
        return False
    # …预计可改造6400多个，比规划数增加约1200个: a projection reaches over its sentence until
    # something is said done; a plan over the clause before (下发三批改造计划，总面积251.5万平方米).
    since_done = re.split(DONE_WORDS, progress[sentence_start + 1 : cand.start])[-1]
    recent = "，".join(since_done.split("，")[-2:])
    if re.search(r"预计|有望|可望", since_done) or PROJECTION.search(recent):
        return False
    if NOT_DONE.search(clause + _context_after(progress, cand)):
        return False
    if _restates_target(progress, cand, sentence_start, target_values, target.kind == "level"):
        return False
    said = _context_before(progress, cand, width=200)
    if "建成" in target.quantity.before and "开工" in said and "建成" not in said:
        return False  # started is not built
    # 已开工建设公办幼儿园63所 is not 新建70所 done.
    return not (
        BUILD_WORDS.search(target.quantity.before)
        and "开工" not in target.quantity.before
        and STARTED.search(clause.split("、")[-1] + cand.after[:4])
    )


def pair_actual(
    target: Target,
    progress: str,
    candidates: list[Quantity] | None = None,
    target_values: set[tuple[str, float]] | None = None,
    sole_target: bool = False,
) -> tuple[Quantity | None, float]:
    """Return the actual in ``progress`` that measures ``target``, and its match score.

    Candidates must be in the same unit family and of the same kind (a growth rate for a growth
    target). Projections (预计, 计划, 力争) and work under way (正在, 推荐…申报) are not actuals,
    nor is a figure in an item heading, a target restated (``今年计划建设10座…`` or
    ``完成年度目标（146台）``; ``target_values`` holds the task's (unit family, target value)
    pairs) or the baseline of
    a from-to phrase. The best-scoring candidate wins if it scores at least ``MATCH_THRESHOLD``
    (``SOLE_CANDIDATE_THRESHOLD`` when it is the only candidate). When the progress text does not
    repeat the metric (``已完成1处``, ``实际新增17条``), the one candidate of the target's unit
    that says it is done is the actual, if the task has one target of that unit
    (``sole_target``). Otherwise there is no actual.
    """
    target_values = target_values or set()
    base_spans = baselines_in(progress)
    scored = []
    for cand in find_quantities(progress) if candidates is None else candidates:
        if not admissible(target, progress, cand, target_values, base_spans):
            continue
        scored.append((match_score(target, cand, progress), cand))
    if not scored:
        return None, 0.0
    # A month's own figure (10月单月…3个) gives way to the year-to-date one when both are there.
    year_to_date = [sc for sc in scored if not _single_period(progress, sc[1])]
    if year_to_date and len(year_to_date) < len(scored):
        scored = year_to_date
    # 上半年X …，1-9月Y: of figures that both name the target, the longer period's is the actual.
    named = [sc for sc in scored if sc[0] >= MATCH_THRESHOLD]
    ends = {id(c): (find_period(progress, c.start) or (0, 0))[1] for _, c in named}
    if len(named) > 1 and len(set(ends.values())) > 1 and 0 not in ends.values():
        scored = [max(named, key=lambda sc: (ends[id(sc[1])], sc[0]))]
    # Equal words in successive reports of one cell (…3个 |\n…7个): the later line is the latest.
    best_score, best = max(scored, key=lambda sc: (round(sc[0], 6), _report_line(progress, sc[1])))
    # A lone figure needs fewer shared words, if it is counted in the target's own unit.
    sole = len(scored) == 1 and scored[0][1].unit == target.quantity.unit
    threshold = SOLE_CANDIDATE_THRESHOLD if sole else MATCH_THRESHOLD
    if target.kind == "level":
        # A level reached is written as the target was (提高到城镇609元/人月): the same value.
        exact = [
            (sc, c)
            for sc, c in scored
            if abs(c.value - target.quantity.value) <= 1e-9 * max(abs(c.value), 1.0)
        ]
        if len(exact) == 1 and best_score < threshold:
            return exact[0][1], exact[0][0]
    if best_score < threshold:
        if sole_target and len(scored) == 1 and _says_done(progress, best):
            return best, best_score
        # The one done figure in the target's own specific unit (首批3700多座已经改造完成 for
        # 2.4万座); 个 and 项 say nothing of what is counted.
        own_unit = [c for _, c in scored if c.unit == target.quantity.unit]
        specific = target.quantity.unit not in {"个", "项"}
        if specific and sole_target and len(own_unit) == 1 and _says_done(progress, own_unit[0]):
            return own_unit[0], best_score
        if (
            target.kind == "level"
            and len(scored) == 1
            and best.unit == "%"
            and re.search(r"率|进度", _context_before(progress, best, width=12))
        ):
            return best, best_score  # 失业率4.23%, 进度至53%: the one rate read in the text
        # The target reached exactly and said done (已完成搬迁入住18695人 for 搬迁18695人).
        exact = [
            c
            for _, c in scored
            if abs(c.value - target.quantity.value) <= 1e-9 * max(abs(c.value), 1.0)
            and not c.growth
            and _says_done(progress, c)
        ]
        if len(exact) == 1:
            return exact[0], best_score
        return None, best_score
    return best, best_score


# 全部完成, 更新完毕, 已全部建成: the whole target done, said in words.
ALL_DONE = re.compile(
    r"(?:已|日前|均已|现已)?(?:全部|全面)(?:完成|建成|竣工|完工|投用)|(?:更新|建设|安装)完毕"
)


def pair_all(
    targets: list[Target], progress: str, candidates: list[Quantity]
) -> list[tuple[Quantity | None, float]]:
    """The actual of each of a task's targets (see :func:`pair_actual`).

    Two more readings, both of real report sentences: targets of one unit listed in the task
    and their figures listed in the same order in the progress (``开工…12万套、建成8万套`` /
    ``已开工10.48万套、建成7.43万套``) pair by order when the words cannot; and a target the
    progress says is wholly done in words (``日前全部完成``, ``更新完毕``) has its own value as
    actual, with the words shown. A figure several metrics share (``4个指标均增长10%``) is not
    paired: the text does not say which figure is whose.
    """
    if not progress:
        return [(None, 0.0)] * len(targets)
    values = {(unit_family(t.quantity.unit), t.quantity.value) for t in targets}
    out = []
    for t in targets:
        if "（第" in t.metric:
            out.append((None, 0.0))
            continue
        sole = (
            sum(
                unit_family(o.quantity.unit) == unit_family(t.quantity.unit)
                and (o.kind == "growth") == (t.kind == "growth")
                for o in targets
            )
            == 1
        )
        out.append(pair_actual(t, progress, candidates, values, sole))
    _pair_shared(targets, progress, candidates, out)
    _pair_share_of_target(targets, progress, candidates, out)
    _pair_from_to(targets, progress, candidates, out)
    # Pair by order: every target of a family unpaired, as many done figures as targets.
    families: dict[str, list[int]] = {}
    for k, t in enumerate(targets):
        if t.kind == "cumulative" and "（第" not in t.metric:
            families.setdefault(unit_family(t.quantity.unit), []).append(k)
    for family, ks in families.items():
        if len(ks) < 2 or any(out[k][0] is not None for k in ks):
            continue
        base_spans = baselines_in(progress)
        done = [
            c
            for c in candidates
            if unit_family(c.unit) == family
            and _says_done(progress, c)
            and admissible(targets[ks[0]], progress, c, values, base_spans)
        ]
        if len(done) == len(ks) and all(
            admissible(targets[k], progress, c, values, base_spans)
            for k, c in zip(ks, done, strict=True)
        ):
            for k, c in zip(ks, done, strict=True):
                out[k] = (c, 0.0)
    # Wholly done in words.
    m = ALL_DONE.search(progress)
    if m and len(targets) == 1 and out[0][0] is None and targets[0].kind == "cumulative":
        sentence = progress[max(progress.rfind(p, 0, m.start()) for p in "。；\n") + 1 : m.end()]
        if not re.search(r"开工|启动|前期", sentence):
            q = targets[0].quantity
            words = Quantity(q.value, q.unit, m.group(0), m.start(), m.end())
            out[0] = (words, 0.0)
    return out


COMPARED_WITH = re.compile(r"(?:超过|超出|低于|高于|完成|达到|实现|优于|处于)[^，。；\d]{0,10}$")
SHARE_OF = re.compile(r"占(?:全年|年度)?(?:控制指标|目标任务|目标|任务|计划)[（(]?$")


def _pair_share_of_target(
    targets: list[Target],
    progress: str,
    candidates: list[Quantity],
    out: list[tuple[Quantity | None, float]],
) -> None:
    """``死亡85人，占全年控制指标（177人）的48%``, ``下降3.59%，超过3%的年度约束性目标``: a
    target restated as what a figure is measured against; the figure before it is its actual
    (this sentence form says so more surely than shared words)."""
    for k, t in enumerate(targets):
        for c in candidates:
            if c.unit != t.quantity.unit or abs(abs(c.value) - abs(t.quantity.value)) > 1e-9 * max(
                abs(c.value), 1.0
            ):
                continue
            num_start = c.end - len(c.raw)  # 超过3%: the number's own start, after 超过
            lead = progress[max(0, num_start - 14) : num_start]
            if SHARE_OF.search(lead):
                at = progress.rfind("占", 0, c.start)
            elif COMPARED_WITH.search(lead) and _names_a_target(progress, c):
                at = c.start  # 下降3.59%，超过3%的年度约束性目标; 增长7.4%，处于7%—7.5%预期目标区间
            else:
                continue
            start = max(progress.rfind(p, 0, at) for p in "。；\n")
            before = [
                o
                for o in candidates
                if o.unit == c.unit
                and start < o.start < at
                and (o.growth == (t.kind == "growth") or (c.unit == "%" and o.growth))
                and not _names_a_target(progress, o)
            ]
            if before:
                out[k] = (before[-1], 0.0)
                if before[-1].growth and t.kind != "growth":
                    t.kind = "growth"  # a rate compared with a growth result is a growth target
                break


def _pair_from_to(
    targets: list[Target],
    progress: str,
    candidates: list[Quantity],
    out: list[tuple[Quantity | None, float]],
) -> None:
    """Standards raised in the progress as in the task (由324元、282元分别提高到356元、310元): the
    raised values pair with the from-to targets in order."""
    ft = [k for k, t in enumerate(targets) if t.baseline is not None]
    if len(ft) < 2:
        return
    for m in FROM_TO.finditer(progress):
        end = re.search(r"[，。；]", progress[m.end() :])
        stop = m.end() + end.start() if end else len(progress)
        to = [c for c in candidates if m.end() <= c.start < stop]
        if len(to) == len(ft) and all(
            c.unit == targets[k].quantity.unit for k, c in zip(ft, to, strict=True)
        ):
            for k, c in zip(ft, to, strict=True):
                out[k] = (c, 0.0)
            return


def _report_line(text: str, q: Quantity) -> int:
    """Which of a cell's ``|``-separated reports ``q`` is in (0 when the cell has one)."""
    return text.count("|", 0, q.start)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[。；\n]", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _pair_shared(
    targets: list[Target],
    progress: str,
    candidates: list[Quantity],
    out: list[tuple[Quantity | None, float]],
) -> None:
    """Metrics sharing one figure (``4个结构性指标均增长10%``) take the figures the progress lists
    after naming them (``4个结构性指标中，民间项目投资同比下降4.7%，交通投资增长6.5%…``), in order,
    when it lists exactly as many; each sub-target is then named after its figure's subject."""
    groups: dict[str, list[int]] = {}
    for k, t in enumerate(targets):
        m = re.match(r"(.+)（第\d+项）$", t.metric)
        if m:
            groups.setdefault(m.group(1), []).append(k)
    used = {id(a) for a, _ in out if a is not None}
    for head, ks in groups.items():
        at = progress.find(head)
        if at >= 0:
            end = progress.find("。", at)
            end = len(progress) if end < 0 else end
            figures = [c for c in candidates if c.growth and at < c.start < end]
        else:
            # The progress does not name the group: one sentence listing exactly as many growth
            # figures as the group has metrics, none of them another target's, is the list.
            figures = []
            for sentence in _sentences(progress):
                inside = [
                    c
                    for c in candidates
                    if c.growth and sentence[0] <= c.start < sentence[1] and id(c) not in used
                ]
                if len(inside) == len(ks):
                    figures = inside
                    break
        if len(figures) != len(ks):
            continue
        for k, c in zip(ks, figures, strict=True):
            name = re.split(r"[，,；;、：:]", c.before)[-1]
            name = re.sub(r"(?:同比)?(?:增长|下降|减少|增速|增幅|回落)$", "", name).strip()
            if len(name) >= 2:
                targets[k].metric = name[-16:]
            out[k] = (c, 0.0)


# Words that restate a plan or target before its figure (今年计划…, 任务目标是…, 年度目标（…）).
PLAN_WORDS = re.compile(
    r"计划|目标|任务|今年(?!以来|新增|已|累计|共)|全年共?(?:安排|下达)|力争|确保|控制在|要在|将要"
)
# Words that say a figure is done (已完成1处, 实际新增17条, 累计…, 全部完成).
DONE_WORDS = re.compile(
    r"已|完成|实际|累计|建成|竣工|完工|达|共计|解决|新增|开通|投用|目前|截至|惠及|实现"
)


def _restates_target(
    text: str,
    cand: Quantity,
    sentence_start: int,
    target_values: set[tuple[str, float]],
    level: bool = False,
) -> bool:
    """True when ``cand`` repeats one of the task's targets in a plan's words.

    A level reached is written like the target (标准提高到356元): for a level target only plan
    words mark a restatement.
    """
    family = unit_family(cand.unit)
    if not any(
        f == family and abs(cand.value - v) <= 1e-9 * max(abs(v), 1.0) for f, v in target_values
    ):
        return False
    num_start = cand.end - len(cand.raw)  # after 控制在, 约 …, which the match includes
    before = text[max(sentence_start + 1, num_start - 20) : num_start]
    if PLAN_WORDS.search(before) or PLAN_WORDS.match(cand.after[:4]):
        return True
    # 计划搬迁贫困群众4801户22051人，新建安置点106个: the plan's words reach over its list.
    sentence = text[sentence_start + 1 : cand.start]
    since_done = re.split(DONE_WORDS, sentence)[-1]
    if PLAN_WORDS.search(since_done):
        return True
    # …下降4%、重污染天数同比减少6%的改善目标, 处于7%—7.5%年度预期目标区间: the target named after it.
    if cand.unit == "%" and TARGET_AFTER.match(text[cand.end : cand.end + 30]):
        return True
    # The target as the subject of its own progress: 120座危桥改造项目已完成87座, 38条，目前完工24条.
    return not level and bool(SUBJECT_THEN_DONE.match(text[cand.end : cand.end + 24]))


TARGET_AFTER = re.compile(r"[^，。；]{0,24}?(?:目标|调控目标|预期目标|控制目标)")
SUBJECT_THEN_DONE = re.compile(
    r"[^。；\d]{0,14}?(?:已|目前|其中|中|共有)[^。；\d]{0,8}?(?:完成|完工|建成|开工|竣工)?[^。；\d]{0,4}?\d"
)


SINGLE_PERIOD = re.compile(r"单月|当月|本月|当季|本季度|(?<![前1-9])[一二三四]季度(?!末)")


def _single_period(text: str, cand: Quantity) -> bool:
    sentence_start = max(text.rfind(p, 0, cand.start) for p in "。；\n")
    return bool(SINGLE_PERIOD.search(text[sentence_start + 1 : cand.start]))


BUILD_WORDS = re.compile(r"新建(?!任务)|建成|改扩建|建设")
STARTED = re.compile(r"(?:已|全面|全部)?开工(?!.{0,6}(?:建成|完成|完工|竣工))")


def _says_done(text: str, cand: Quantity) -> bool:
    """Whether ``cand``'s clause says it is done (已, 完成, 达 …; a growth rate reported is)."""
    if cand.growth:
        return True  # projections were refused before
    num_start = cand.end - len(cand.raw)  # 达5120例: 达 is part of the match
    clause_start = max(text.rfind(p, 0, num_start) for p in "。；\n，,")
    return bool(DONE_WORDS.search(text[clause_start + 1 : num_start] + cand.after[:4]))


def _is_heading(text: str, q: Quantity) -> bool:
    """True when ``q`` sits in an item heading that restates the target (``①新建30个社区健身点：``)."""
    colon = min((i for i in (text.find("：", q.end), text.find(":", q.end)) if i >= 0), default=-1)
    if colon < 0 or re.search(r"[，。；,;]", text[q.end : colon]):
        return False
    item_start = max(text.rfind(p, 0, q.start) for p in "。；\n①②③④⑤⑥⑦⑧⑨")
    return not re.search(r"[，。；,;：]", text[item_start + 1 : q.start])


# A 完成率 the text states itself: 完成年度任务的52%, 占年度投资目标的16.22%, 实际完成104%,
# 完成工程总量的85.6%, 开工率86%, 建成率90.9%, 分别完成年度任务的87.3%、92.9%, 正在施工中（85%）.
_RATE_NUM = r"\d+(?:\.\d+)?%"
STATED_RATE = re.compile(
    r"(?:(?:完成|占|为|达到?)(?:了)?(?:年度|全年|年)?(?:投资)?(?:目标任务|目标|任务|计划|工程总量|总工程量|工程量|总量)"
    r"[^，。；%]{0,16}?的?|实际完成|(?:完成|开工|建成|完工|竣工|执行)率(?:分别)?(?:为|达到?)?|^\s*|"
    r"\|\s*(?=\d+(?:\.\d+)?%\s*(?:\||$))|（(?=\d+(?:\.\d+)?%）)|"
    r"(?:已|累计)?完成(?:了)?(?=\d+(?:\.\d+)?%(?:$|[，。；）|\s])))"
    r"(?:分别为)?(?P<rates>" + _RATE_NUM + r"(?:(?:、|和|与)" + _RATE_NUM + r")*)"
)


def stated_rates(text: str) -> list[tuple[int, list[float], str]]:
    """Every 完成率 the text states: (position, the rates in order, the words).

    >>> [(r[1]) for r in stated_rates("分别完成年度任务的87.3%、92.9%，开工率86%")]
    [[87.3, 92.9], [86.0]]
    """
    out = []
    for m in STATED_RATE.finditer(text):
        values = [float(v) for v in re.findall(r"\d+(?:\.\d+)?(?=%)", m.group("rates"))]
        out.append((m.start(), values, m.group(0)))
    return out


# A rate of the whole task's work (完成总工程量82%) holds for each of its targets.
WHOLE_TASK = re.compile(r"总工程量|工程总量|总体进度|形象进度")


RATE_VERB = re.compile(r"(开工|建成|完工|竣工)率")


def _rate_fits(target: Target, rate: tuple[int, list[float], str]) -> bool:
    """开工率 is a rate of starts: it belongs to a target about starting (开工), and so on."""
    m = RATE_VERB.search(rate[2])
    return m is None or m.group(1) in target.quantity.before + target.metric


def _successive_reports(rates: list[tuple[int, list[float], str]], text: str) -> bool:
    """Several rates written alike, each on its own line of the cell (a table's later updates)."""
    if len(rates) < 2 or any(len(r[1]) != 1 for r in rates):
        return False
    words = {re.sub(r"[\d.%]", "", r[2]) for r in rates}
    lines = {len(re.findall(r"[|\n]", text[: r[0]])) for r in rates}
    return len(words) == 1 and len(lines) == len(rates)


def _whole_cell(rate: tuple[int, list[float], str]) -> bool:
    """A rate that is a whole cell of its own: the progress cell (80%) or a 完成率 column (| 100.0%)."""
    return rate[0] == 0 or rate[2].startswith("|")


def _one_sentence(text: str) -> bool:
    return len([p for p in re.split(r"[。；\n]", text) if p.strip()]) <= 1


def _rate_names(target: Target, rate: tuple[int, list[float], str], text: str) -> bool:
    start = max(text.rfind(p, 0, rate[0]) for p in "。；\n")
    want = _bigrams(target.metric)
    have = _bigrams(text[start + 1 : rate[0] + len(rate[2])])
    return bool(want) and len(want & have) / len(want) >= MATCH_THRESHOLD


def _assign_stated(
    targets: list[Target], actuals: list[Quantity | None], text: str
) -> list[tuple[float, str] | None]:
    """The stated 完成率 of each cumulative target, in percent, with its words, or None.

    A list (分别…87.3%、92.9%) goes to the targets in order; otherwise a target takes the first
    rate after its actual in the same sentence, or the one rate of a text with one target.
    """
    rates = stated_rates(text)
    out: list[tuple[float, str] | None] = [None] * len(targets)
    cumul = [k for k, t in enumerate(targets) if t.kind == "cumulative"]
    if not rates or not cumul:
        return out
    lists = [r for r in rates if len(r[1]) == len(cumul) > 1]
    if lists:
        for k, v in zip(cumul, lists[0][1], strict=True):
            out[k] = (v, lists[0][2])
        return out
    # Successive reports in one cell (完成30%。| 完成60%。): the last is the latest.
    successive = _successive_reports(rates, text)
    if successive:
        rates = rates[-1:]
    for k in cumul:
        a = actuals[k]
        mine = [r for r in rates if _rate_fits(targets[k], r)]
        if a is not None:
            end = min(
                (i for i in (text.find(p, a.end) for p in "。；\n") if i >= 0), default=len(text)
            )
            after = [r for r in mine if a.end <= r[0] < end and len(r[1]) == 1]
            if after:
                out[k] = (after[0][1][0], after[0][2])
        elif (
            len(rates) == 1
            and mine
            and len(rates[0][1]) == 1
            and (len(cumul) == 1 or _whole_cell(rates[0]) or WHOLE_TASK.search(rates[0][2]))
            and (
                _whole_cell(rates[0])
                or successive
                or _one_sentence(text)
                or _rate_names(targets[k], rates[0], text)
            )
        ):
            # The one rate of a one-target text, or a progress cell that is only a rate (80%);
            # in a longer text, only where the rate's sentence names the target.
            out[k] = (rates[0][1][0], rates[0][2])
    return out


CURATION_COLUMNS = ["task_id", "target_no", "quarter", "field", "value", "reason"]
# A quarter's figures change every quarter: curating them needs the quarter they belong to.
QUARTER_FIELDS = {"actual", "actual_period", "actual_text"}
CURATION_FIELDS = {
    "metric",
    "kind",
    "direction",
    "target",
    "unit",
    "actual",
    "actual_period",
    "actual_text",
    "drop",
    "add",
}


def load_curation(path: str | Path | None) -> pd.DataFrame:
    """Load the curated overrides: one row per (task, sub-target, field) with a reason.

    Fields: ``metric``, ``kind``, ``direction``, ``target``, ``unit`` (for the whole year, leave
    ``quarter`` empty); ``actual``, ``actual_period``, ``actual_text`` (for one quarter: ``quarter``
    is required); ``drop`` removes a number wrongly read as a target; ``add`` declares a target
    the text states in words (``全覆盖``), value = its target text. Every row needs a reason.
    A target of zero or below is rejected: a 完成率 against it would mean nothing.
    """
    df = read_optional_csv(path, CURATION_COLUMNS)
    path = df.attrs.get("source_file", "curation.csv")
    problems = ProblemList()
    field, value, quarter = df["field"], df["value"], df["quarter"]
    # Every check on whole columns; a row that fails one is then described as before, in order.
    numeric = (field.isin({"target", "actual"}) & (value != "")).to_numpy(dtype=bool)
    number_ok = np.ones(len(df), dtype=bool)
    number_ok[numeric] = each_once(
        _curated_number_ok, zip(field[numeric].tolist(), value[numeric].tolist(), strict=True)
    )
    quarterly = field.isin(QUARTER_FIELDS)
    suspect = (
        ~field.isin(CURATION_FIELDS)
        | (df["reason"].str.strip() == "")
        | ~df["target_no"].str.isdigit().astype(bool)
        | ~number_ok
        | (quarterly & ~quarter.isin({"1", "2", "3", "4"}))
        | (~quarterly & ~quarter.isin({"", "1", "2", "3", "4"}))
    ).to_numpy(dtype=bool)
    columns = [
        df[c][suspect].tolist() for c in ("field", "value", "quarter", "reason", "target_no")
    ]
    for i, *row in zip(df.index[suspect], *columns, strict=True):
        for message, column in _curation_row_problems(*row):
            problems.add(path, message, row=i + 2, column=column)
    problems.raise_if_any()
    df.attrs["source_file"] = str(path)
    return df


def _curated_number_ok(key: tuple[str, str]) -> bool:
    """Whether a curated target or actual is a number of the right sign."""
    field, value = key
    try:
        number = float(value)
    except ValueError:
        return False
    return not ((field == "target" and number <= 0) or (field == "actual" and number < 0))


def _curation_row_problems(field, value, quarter, reason, target_no) -> list[tuple[str, str]]:
    """(message, column) of every problem of one curation row."""
    out = []
    if field not in CURATION_FIELDS:
        allowed = "、".join(sorted(CURATION_FIELDS))
        out.append((say("curation.bad_field", value=field, allowed=allowed), "field"))
    if not reason.strip():
        out.append((say("curation.reason_required"), "reason"))
    if not target_no.isdigit():
        out.append((say("data.bad_target_no", value=target_no), "target_no"))
    if field in {"target", "actual"} and value != "":
        try:
            number = float(value)
        except ValueError:
            out.append((say("data.not_number", value=value, hint=""), "value"))
        else:
            if field == "target" and number <= 0:
                out.append((say("curation.target_not_positive", value=value), "value"))
            if field == "actual" and number < 0:
                out.append((say("curation.actual_negative", value=value), "value"))
    if field in QUARTER_FIELDS and quarter not in {"1", "2", "3", "4"}:
        out.append((say("curation.quarter_required", value=field), "quarter"))
    if field not in QUARTER_FIELDS and quarter not in {"", "1", "2", "3", "4"}:
        out.append((say("curation.bad_quarter", value=quarter), "quarter"))
    return out


RETURNED_COLUMNS = ["task_id", "target_no", "actual", "actual_period"]


def load_returned(path: str | Path | None) -> pd.DataFrame:
    """Load the figures units typed into the return form (written by ``workreport intake``)."""
    df = read_optional_csv(path, RETURNED_COLUMNS)
    problems = ProblemList()
    actual = df["actual"].tolist()
    # The sign is checked against the sub-target's kind later.
    ok = each_once(_number_or_blank, actual)
    for k in (k for k, good in enumerate(ok) if not good):
        problems.add(
            path,
            say("data.not_number", value=actual[k], hint=""),
            row=df.index[k] + 2,
            column="actual",
        )
    problems.raise_if_any()
    df.attrs["source_file"] = str(path)
    return df


def _number_or_blank(text: str) -> bool:
    if not text.strip():
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_targets(
    tasks: pd.DataFrame,
    progress: pd.DataFrame,
    report_months: int,
    curation: pd.DataFrame | None = None,
    returned: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read every task's sub-targets and their actuals into one table (``TARGET_COLUMNS``).

    Precedence for an actual: the figure a unit typed into the return form (``returned``) over
    the figure read from its progress text; the office's curated value for the quarter over both.

    Identical texts are read once: what is read from a task's text and its progress depends on
    those two texts only (and the report's months), so each distinct progress text is
    normalised once, each distinct (task text, progress text) pair is read once, and its rows
    are copied to every task that has it, as whole columns.

    Parameters
    ----------
    tasks : DataFrame
        The register (``task_id``, ``task``).
    progress : DataFrame
        The quarter's progress (``task_id``, ``progress``).
    report_months : int
        Months the report covers (9 for 1-9月); the period of an actual that states none.
    curation : DataFrame, optional
        Curated overrides from ``load_curation``; rows for other quarters are ignored.
    returned : DataFrame, optional
        Figures units typed into the form (task_id, target_no, actual, actual_period).

    Returns
    -------
    DataFrame
        One row per sub-target. ``source`` is ``extracted`` or ``curated``; ``actual`` is NaN
        where no figure was reported or none could be read.
    """
    normalised = each_once(normalize, progress["progress"].fillna("").tolist())
    text_by_task = dict(zip(progress["task_id"].tolist(), normalised, strict=False))
    curation = curation if curation is not None else pd.DataFrame(columns=CURATION_COLUMNS)
    # A quarter's curated figures apply to that quarter's report; text read for another period
    # (a month-end check of a unit's text) takes only the year's curation.
    quarter = str(Period.quarter_of(report_months)) if report_months % 3 == 0 else ""
    cfile_attrs = curation.attrs
    curation = curation[(curation["quarter"] == "") | (curation["quarter"] == quarter)]
    curation.attrs = cfile_attrs
    task_ids = tasks["task_id"].tolist()
    problems = ProblemList()
    cfile = curation.attrs.get("source_file", "curation.csv")
    unknown = ~curation["task_id"].isin(set(task_ids)).to_numpy(dtype=bool)
    for i, tid in zip(curation.index[unknown], curation["task_id"][unknown], strict=True):
        problems.add(cfile, say("data.unknown_task_plain", value=tid), row=i + 2, column="task_id")
    problems.raise_if_any()
    table = _read_register(tasks["task"].tolist(), task_ids, text_by_task, report_months)
    table = _with_additions(table, task_ids, curation[curation["field"] == "add"])
    if returned is not None and not returned.empty:
        _apply_returned(table, returned, report_months)
    table = _apply_curation(table, curation, report_months)
    if not len(table["task_id"]):
        return pd.DataFrame([], columns=TARGET_COLUMNS)
    # Sorted by (task_id, target_no), stable: the order sort_values(kind="stable") gives.
    task_rank = pd.factorize(table["task_id"], sort=True)[0]
    order = np.lexsort((table["target_no"].astype(np.int64), task_rank))
    # Built from lists, so that each column's type is inferred as from the rows themselves.
    return pd.DataFrame(
        {c: table[c][order].tolist() for c in TARGET_COLUMNS}, columns=TARGET_COLUMNS
    )


Table = dict[str, np.ndarray]
"""Sub-target rows as columns (object arrays): cheap to copy whole and to change in place."""


def _read_register(
    task_texts: list, task_ids: list, text_by_task: dict, report_months: int
) -> Table:
    """The rows read from every task's text and progress, in register order, as columns.

    Each distinct (task text, progress text) pair is read once (``_read_task``); the rows of a
    task are its pair's rows, taken by index.
    """
    progs = [text_by_task.get(t, "") for t in task_ids]
    pair_of: dict[tuple, int] = {}
    codes = np.fromiter(
        (pair_of.setdefault(k, len(pair_of)) for k in zip(task_texts, progs, strict=True)),
        dtype=np.int64,
        count=len(task_ids),
    )
    # A task text with several progress texts (one task for many units) is read once too.
    targets = {task: extract_targets(normalize(task)) for task in dict.fromkeys(task_texts)}
    read = [
        _read_task(task, prog, report_months, [copy.copy(t) for t in targets[task]])
        for task, prog in pair_of
    ]
    sizes = np.array([len(rows) for rows in read], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if len(read) else sizes
    counts = sizes[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    # Row j of task k is row starts[code k] + j of the pairs' rows.
    first = np.cumsum(counts) - counts
    take = np.repeat(starts[codes] - first, counts) + np.arange(int(counts.sum()))
    table = {"task_id": np.repeat(np.array(task_ids, dtype=object), counts)}
    for col in READ_COLUMNS[1:]:
        values = np.empty(int(sizes.sum()), dtype=object)
        values[:] = [r[col] for rows in read for r in rows]
        table[col] = values[take]
    table["returned_file"] = np.full(len(take), "", dtype=object)
    table["_task"] = np.repeat(np.arange(len(task_ids)), counts)
    return table


# Columns a curated addition (``add``) leaves empty: NaN, as a DataFrame row without them has.
_ADD_VALUES = {
    "metric": "",
    "kind": "cumulative",
    "direction": "higher",
    "target": float("nan"),
    "unit": "",
    "actual": float("nan"),
    "actual_period": "",
    "actual_text": "",
    "match_score": float("nan"),
    "source": FigureSource.CURATED.value,
    "returned_file": "",
}


def _with_additions(table: Table, task_ids: list, adds: pd.DataFrame) -> Table:
    """The table with the curated additions (targets stated in words, ``全覆盖``, or numbers the
    reader cannot see), each after the rows of its task, in the curation file's order."""
    if adds.empty:
        return {c: v for c, v in table.items() if c != "_task"}
    add_task = adds["task_id"].tolist()
    by_task: dict[str, list[int]] = {}
    for k, t in enumerate(add_task):
        by_task.setdefault(t, []).append(k)
    # Every occurrence of a task in the register gets its additions (as reading it row by row
    # would), placed after that occurrence's own rows.
    occ = [(k, j) for k, t in enumerate(task_ids) for j in by_task.get(t, ())] if by_task else []
    n_extracted = len(table["task_id"])
    per_task_adds = np.bincount([k for k, _ in occ], minlength=len(task_ids))
    per_task_rows = np.bincount(table["_task"], minlength=len(task_ids))
    end_of_task = np.cumsum(per_task_rows + per_task_adds)
    # An extracted row moves down by the additions of the tasks before it.
    before = np.cumsum(per_task_adds) - per_task_adds
    at_extracted = np.arange(n_extracted) + before[table["_task"]]
    at_added = []
    seen: dict[int, int] = {}
    for k, _ in occ:
        seen[k] = seen.get(k, 0) + 1
        at_added.append(end_of_task[k] - per_task_adds[k] + seen[k] - 1)
    n = n_extracted + len(occ)
    rows = [j for _, j in occ]
    added = {
        "task_id": [task_ids[k] for k, _ in occ],
        "target_no": [int(v) for v in adds["target_no"].to_numpy(dtype=object)[rows]],
        "target_text": adds["value"].to_numpy(dtype=object)[rows].tolist(),
        "curation_reason": adds["reason"].to_numpy(dtype=object)[rows].tolist(),
    }
    out = {}
    for col in TARGET_COLUMNS:
        values = np.empty(n, dtype=object)
        values[at_extracted] = table[col]
        if col in added:
            values[at_added] = added[col]
        else:
            values[at_added] = _ADD_VALUES.get(col, float("nan"))
        out[col] = values
    return out


def _read_task(
    task_text: str, prog: str, report_months: int, targets: list[Target] | None = None
) -> list[dict]:
    """The sub-target rows read from one task's text and its (normalised) progress text,
    without the task's id: everything here depends on the two texts only.

    ``targets``: the task text's targets when already read (``extract_targets``), as copies
    that pairing may change (a metric named after its figure, a kind made growth).
    """
    rows = []
    if targets is None:
        targets = extract_targets(normalize(task_text))
    candidates = find_quantities(prog) if targets and prog else []  # once per task
    pairs = pair_all(targets, prog, candidates)
    stated = _assign_stated(targets, [a for a, _ in pairs], prog) if prog else []
    for k, t in enumerate(targets):
        actual, score = pairs[k]
        period = None
        if actual is not None:
            period = find_period(prog, actual.start)
        rate = stated[k] if stated else None
        rows.append(
            {
                "target_no": t.target_no,
                "metric": t.metric,
                "kind": t.kind,
                "direction": t.direction,
                "target": t.quantity.value,
                "unit": t.quantity.unit,
                "target_text": t.quantity.before[-12:] + t.quantity.raw + t.quantity.after[:10],
                "actual": actual.value if actual is not None else float("nan"),
                "actual_period": format_period(period or (1, report_months))
                if actual is not None
                else "",
                "actual_text": _sentence(prog, actual) if actual is not None else "",
                "match_score": round(score, 2),
                "source": FigureSource.EXTRACTED.value,
                "curation_reason": "",
                "baseline": t.baseline if t.baseline is not None else float("nan"),
                "target_range": t.target_range,
                "stated_rate": rate[0] if rate else float("nan"),
                "stated_rate_text": rate[1] if rate else "",
                "target_span": t.quantity.raw,
                "actual_span": actual.raw if actual is not None else "",
                # 约, 近, 不足, 以上, 左右 …: the figure is approximate or a bound, as written.
                "target_approx": t.quantity.approx,
                "actual_approx": actual.approx if actual is not None else "",
            }
        )
    return rows


def _sentence(text: str, q: Quantity) -> str:
    """The sentence (or clause list item) of ``text`` that holds ``q``."""
    left = max(text.rfind(p, 0, q.start) for p in "。；\n①②③④⑤⑥⑦⑧⑨")
    right_candidates = [text.find(p, q.end) for p in "。；\n"]
    right = min([r for r in right_candidates if r >= 0], default=len(text))
    return text[left + 1 : right + 1].strip()


def _positions(table: Table, tasks: set) -> dict[tuple[str, int], int]:
    """Row position of each (task_id, target_no) of ``tasks``: a boolean mask per override
    would cost O(rows × overrides). Of two equal keys, the later row's position is kept."""
    ids = table["task_id"]
    mine = np.flatnonzero(pd.Series(ids).isin(tasks).to_numpy(dtype=bool))
    return {(ids[k], int(table["target_no"][k])): int(k) for k in mine}


def _apply_returned(table: Table, returned: pd.DataFrame, report_months: int) -> None:
    """Lay the figures units typed into the form over the ones read from their text."""
    rfile = returned.attrs.get("source_file", "returned_actuals.csv")
    problems = ProblemList()
    position = _positions(table, set(returned["task_id"]))
    n = len(returned)
    column = {
        c: returned[c].tolist() if c in returned.columns else [None] * n
        for c in ("task_id", "target_no", "actual", "actual_period", "source_file")
    }
    for i, tid, tno, actual, period, source in zip(returned.index, *column.values(), strict=True):
        pos = position.get((tid, int(tno)))
        if pos is None:
            problems.add(
                rfile,
                say("data.no_sub_target", task=tid, target_no=tno),
                row=i + 2,
                column="target_no",
            )
            continue
        if is_missing_value(actual):
            continue
        value = float(actual)
        if value < 0 and table["kind"][pos] != "growth":
            # Negative growth is normal data (区级税收增长-29.16%); a negative count is not.
            problems.add(
                rfile, say("data.actual_negative", value=actual), row=i + 2, column="actual"
            )
            continue
        table["actual"][pos] = value
        table["actual_period"][pos] = period or months_label(report_months)
        # The figure's source is the form (``source``, ``returned_file``); its text stays the
        # unit's own sentence read for this sub-target, if any, for the office to compare.
        table["source"][pos] = FigureSource.RETURNED.value
        table["returned_file"][pos] = "" if is_missing_value(source) else str(source)
    problems.raise_if_any()


def figure_source_texts(subtargets: pd.DataFrame) -> list[str]:
    """Each sub-target's figure as the checks and messages quote it: the unit's sentence, and
    for a figure typed into the return form the workbook first (``填报完成值（x.xlsx）：…``)."""
    texts = subtargets["actual_text"].tolist()
    if "returned_file" not in subtargets.columns:
        return texts
    out = []
    for source, file, text in zip(
        subtargets["source"].tolist(), subtargets["returned_file"].tolist(), texts, strict=True
    ):
        if source == FigureSource.RETURNED:
            where = say("data.returned_figure", file=file)
            text = f"{where}：{text}" if text else where
        out.append(text)
    return out


def is_missing_value(value) -> bool:
    """True for an empty cell: None, NaN, NA or a blank string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _apply_curation(table: Table, curation: pd.DataFrame, report_months: int) -> Table:
    """Lay the office's curated values over the table, each with its reason, in the file's
    order (a later row for the same field wins; reasons add up)."""
    cfile = curation.attrs.get("source_file", "curation.csv")
    problems = ProblemList()
    changes = curation[curation["field"] != "add"]
    position = _positions(table, set(changes["task_id"]))
    dropped: list[int] = []
    columns = [changes[c].tolist() for c in ("task_id", "target_no", "field", "value", "reason")]
    for i, tid, tno, field, value, reason in zip(changes.index, *columns, strict=True):
        pos = position.get((tid, int(tno)))
        if pos is None:
            problems.add(
                cfile,
                say("data.no_sub_target", task=tid, target_no=tno),
                row=i + 2,
                column="target_no",
            )
            continue
        if field == "drop":
            dropped.append(pos)
            continue
        if field in {"target", "actual"}:
            table[field][pos] = float(value) if value != "" else float("nan")
            if field == "actual" and value != "" and not table["actual_period"][pos]:
                table["actual_period"][pos] = months_label(report_months)
        else:
            table[field][pos] = value
        table["source"][pos] = FigureSource.CURATED.value
        prev = table["curation_reason"][pos]
        table["curation_reason"][pos] = f"{prev}；{reason}" if prev else reason
    problems.raise_if_any()
    if not dropped:
        return table
    kept = np.ones(len(table["task_id"]), dtype=bool)
    kept[dropped] = False
    return {c: v[kept] for c, v in table.items()}
