"""Read slippage in a unit's progress text, with scope, the way clinical text tools read negation.

NegEx (Chapman et al., 2001) and its successors find a trigger phrase, give it a scope (the rest
of the clause), and drop it when a pseudo-trigger or a terminating context sits in that scope.
Here the trigger is a slippage cue (未启动, 暂缓, 需待…后 …, the ``[cues]`` settings), the scope is
the clause (between ，。；), the cancelling context is completion (已完成, 已通过 …) or intention
(确保, 避免 …; an intention does not cancel a cue that judges the aim itself: 确保…目标的任务依然
十分艰巨), and each hit is bound to the sub-task it sits in (①②③, 一是/二是, 1.2.3.), so that a
secondary part slipping is told apart from the task's main part slipping. A cause is taken from
the same sentence when the text states one (因…, 受…影响, 由于…, 待…后, 根据…安排), or from a
cause stated at length (原因主要是…, to the sentence's end; or the next sentence when it opens
so, or lists the items the cue names: 分别是…), or from the clause an effect follows (…，导致…),
a clause stating a problem, or the step still pending (5个项目未开工，…等待国家发改委批复). A cue
just after a negation (未停工) is none; a heading that is the office's own category (滞后项目：)
is one. A text in traditional characters is converted to simplified ones first (zhconv), with a
converter's pinyin (進(jìn)度) dropped.

This module returns evidence only (kinds, clauses, causes, sub-tasks); the words a reader sees
are written in ``helpers.present.wording``.

>>> from helpers.core.config import load_settings
>>> s = load_settings()
>>> [h.kind for h in read_slippage("①甲项目：已完成前期手续办理，拟于近期开工建设。", s)]
['planned']
>>> read_slippage("项目建设因企业自身原因暂缓推进。", s)[0].cause
'因企业自身原因'
>>> read_slippage("已完成前期手续办理，正在进行土石方施工。", s)
[]
>>> [h.kind for h in read_slippage("確保全年投資增長20%目標的任務依然十分艱巨。", s)]
['at_risk']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from helpers.core.config import Cues, Settings
from helpers.read.quantities import chars_of

#: Where a sub-task starts: a circled number, 一是/二是, or 1. / （1） at a line or sentence start.
SUBTASK_MARK = re.compile(
    r"(?:^|(?<=[\n。；;：:]))\s*("
    r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮]"
    r"|[一二三四五六七八九十]是"
    r"|（[一二三四五六七八九十\d]{1,2}）"
    r"|\d{1,2}[.、．](?!\d)"
    r")"
)
#: An ASCII ? or ! ends a sentence unless a converter's pinyin follows it (齐河?xùn)|盟).
SENTENCE_END = re.compile(r"(?:(?<=[。；;！？\n])|(?<=[!?])(?![A-Za-z\d(（)]))")
CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
GAP = r"[^，,。；;：:！!？?\n]{0,25}?"
#: In a cause the gap is greedy: 因企业自身原因暂缓推进 is read to the clause's end, then cut.
CAUSE_GAP = r"[^，,。；;：:！!？?\n]{1,25}"
#: Pinyin a converter left in brackets after a character: 進(jìn)度, 項(xiàng)目 (a vowel with a tone mark
#: in it, so that (GDP) and (de) stay).
TONED = frozenset("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")
_TONED_CHAR = re.compile("[" + "".join(sorted(TONED)) + "]")
PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[（(](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
    r"[a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,7}[)）]"
)
#: Heading of a sub-task, ``①建设佛罗伦萨小镇二期…：`` (before the first colon, no full stop).
HEADING = re.compile(r"^([^。；;：:\n]{2,60})[：:]")


@dataclass(frozen=True)
class Part:
    """A sub-task of a progress text: its mark (①, 一是, 2.), heading and text."""

    index: int
    mark: str
    heading: str
    text: str


@dataclass(frozen=True)
class Hit:
    """One slippage cue read in context."""

    kind: str  # a key of ``Cues.by_kind`` (not_started, paused …)
    cue: str  # the words matched (未启动, 需待梁滩河…完成后)
    clause: str  # the clause the cue sits in
    sentence: str  # its sentence, without the sub-task mark and heading
    cause: str  # the cause the sentence states, or ""
    part: Part  # the sub-task


def _pattern(cue: str, next_year: int | None, gap: str = GAP) -> str:
    year = str(next_year) if next_year else r"\d{4}"
    out = []
    for piece in re.split(r"(…|\{next_year\})", cue):
        if piece == "…":
            out.append(gap)
        elif piece == "{next_year}":
            out.append(year + "年?")
        elif piece:
            out.append(re.escape(piece))
    return "".join(out)


@lru_cache(maxsize=32)
def _compiled(cues: Cues, next_year: int | None):
    kinds = [
        (kind, re.compile("|".join(_pattern(c, next_year) for c in phrases)))
        for kind, phrases in cues.by_kind().items()
        if phrases
    ]
    cancel = _any_of_cues(cues.completion, next_year)
    intention = _any_of(cues.intention)
    cause = [re.compile(_pattern(c, next_year, CAUSE_GAP)) for c in cues.cause]
    intro = _any_of(cues.cause_intro)
    problem = _any_of(cues.problem)
    # Any cue of any kind: a cue is matched in a clause, a piece of the text, and its pattern has
    # no anchor or lookaround, so a text where this finds nothing has no hit at all.
    any_cue = re.compile("|".join(rx.pattern for _, rx in kinds)) if kinds else None
    return kinds, cancel, intention, cause, intro, problem, any_cue


def _any_of_cues(phrases, next_year: int | None) -> re.Pattern | None:
    return re.compile("|".join(_pattern(c, next_year) for c in phrases)) if phrases else None


def _cancels(clause: str, cancel: re.Pattern | None, cues: Cues) -> bool:
    """Whether completion context in ``clause`` cancels its cues.

    A completion written as a step done without 已 (完成…手续) is none when a ``not_done`` word
    stands just before it (未完成前期手续) or a ``plan`` word earlier in the clause (力争10月底前
    完成前期手续).

    >>> from helpers.core.config import load_settings
    >>> c = load_settings().cues
    >>> rx = _compiled(c, None)[1]
    >>> [_cancels(x, rx, c) for x in ("完成项目前期手续", "尚未完成前期手续", "力争年底完成前期手续")]
    [True, False, False]
    """
    if cancel is None:
        return False
    for m in cancel.finditer(clause):
        if m.group(0).startswith("已") or not _written_as_step(m.group(0), cues):
            return True
        before = clause[: m.start()]
        # 未完成, 尚未完成, 未能完成, 没有完成
        if any(before.endswith(w + x) for w in cues.not_done for x in ("", "能", "有", "曾")):
            continue
        if any(w in before for w in cues.plan):
            continue
        return True
    return False


@lru_cache(maxsize=256)
def _written_as_step(matched: str, cues: Cues) -> bool:
    """Whether ``matched`` is a completion cue with a gap (完成…手续), which the guards check."""
    return any("…" in c and re.fullmatch(_pattern(c, None), matched) for c in cues.completion)


def _any_of(words) -> re.Pattern | None:
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def simplified(text: str, cues: Cues) -> str:
    """``text`` in simplified characters: the ``fold`` pairs first, then the converter (zhconv).

    A text with no character the converter changes (every simplified text) is left as it is,
    without running the converter. Pinyin that a converter left in brackets after a character
    (進(jìn)度) is dropped, so that the words read whole.

    >>> from helpers.core.config import load_settings
    >>> simplified("項目暫緩推進，計畫年底完工", load_settings().cues)
    '项目暂缓推进，计划年底完工'
    >>> simplified("影響了項目前期進(jìn)度（GDP）", load_settings().cues)
    '影响了项目前期进度（GDP）'
    """
    return _simplified(text or "", cues.fold)


@lru_cache(maxsize=4096)
def _simplified(text: str, fold: str) -> str:
    # A search for a character is one compiled pass; a generator over the text is not.
    if _TONED_CHAR.search(text):
        text = PINYIN.sub("", text)
    table, folded = _fold(fold)
    # A translation is a lookup per character: done only where the text has a character to map.
    if folded is not None and folded.search(text):
        text = text.translate(table)
    return _to_simplified(text) if _traditional().search(text) else text


@lru_cache(maxsize=8)
def _fold(fold: str) -> tuple[dict[int, object], re.Pattern | None]:
    """The ``fold`` pairs as a translation table, with a pattern of the characters it maps."""
    table = str.maketrans(fold[0::2], fold[1::2])
    return table, chars_of(table) if table else None


def _to_simplified(text: str) -> str:
    # Imported when first needed: a notebook handed the batch's analysis reads no text, and
    # zhconv's import (it loads pkg_resources) costs about 0.1 s per kernel.
    import zhconv

    return zhconv.convert(text, "zh-hans")


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern:
    """Any character the converter changes on its own (4,300 of them; read once, in 30 ms)."""
    chars = (chr(c) for c in range(0x3400, 0xA000))
    return re.compile("[" + "".join(c for c in chars if _to_simplified(c) != c) + "]")


def split_parts(text: str) -> list[Part]:
    """The sub-tasks of a progress text; the whole text as one part when it has none.

    >>> [p.mark for p in split_parts("①甲：已完成。②乙：未启动。")]
    ['①', '②']
    >>> split_parts("①甲项目：已完成。②乙项目：未启动。")[1].heading
    '乙项目'
    """
    text = text or ""
    marks = list(SUBTASK_MARK.finditer(text))
    # 一是/二是 inside a numbered part belong to that part: split on the outermost kind only.
    if marks:
        first_kind = _mark_kind(marks[0].group(1))
        marks = [m for m in marks if _mark_kind(m.group(1)) == first_kind]
    if len(marks) < 2:
        return [Part(0, "", _heading(text), text)]
    parts = []
    if text[: marks[0].start()].strip():
        parts.append(Part(0, "", "", text[: marks[0].start()]))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.end() : end]
        parts.append(Part(len(parts), m.group(1), _heading(body), body))
    return parts


def _mark_kind(mark: str) -> str:
    if mark[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮":
        return "circled"
    if mark.endswith("是"):
        return "shi"
    if mark.startswith("（"):
        return "paren"
    return "digit"


def _heading(body: str) -> str:
    m = HEADING.match(body.strip())
    return m.group(1).strip() if m else ""


def _clauses(sentence: str):
    start = 0
    for m in CLAUSE_END.finditer(sentence + "\n"):
        yield start, sentence[start : m.start()]
        start = m.end()


def _strip_heading(sentence: str, heading: str) -> str:
    s = sentence.strip()
    if heading and s.startswith(heading):
        s = s[len(heading) :].lstrip("：: ")
    return s.strip()


def _not_a_cause(text: str, m: re.Match, cues: Cues) -> bool:
    """原因是… : the 因 of 原因 does not open a cause (the words after it may); nor do the
    settings' ``not_cause`` words."""
    span = m.group(0)
    return (
        any(span.startswith(n) for n in cues.not_cause) or text[m.start() - 1 : m.start()] == "原"
    )


def _open_causes(clause: str, cause_res, cues: Cues) -> list[tuple[int, int]]:
    """Where an open cause (因…, 由于…: closed by nothing but the clause's end) runs in a clause."""
    return [
        m.span()
        for c, rx in zip(cues.cause, cause_res, strict=True)
        if c.endswith("…")
        for m in rx.finditer(clause)
        if not _not_a_cause(clause, m, cues)
    ]


def _cause(sentence: str, cue_at: int, cause_res, cues: Cues, kinds) -> str:
    """The cause the sentence states, nearest the cue.

    An open cause (因…) in a clause before the cue's is that whole clause (因资金拨付滞后，
    项目进度缓慢 -> 因资金拨付滞后: its 滞后 says what the cause is); one that holds the cue, or
    comes after it, is cut before the first cue in it (因企业自身原因暂缓推进 -> 因企业自身原因).
    """
    best = ""
    best_dist = None
    for c, rx in zip(cues.cause, cause_res, strict=True):
        # A cause closed by its own words (受…影响, 待…后) is whole: a cue inside it is part
        # of the cause (受资金拨付滞后影响), not where it ends.
        closed = not c.endswith("…")
        pos = 0
        while (m := rx.search(sentence, pos)) is not None:
            pos = m.start() + 1
            span = m.group(0)
            if _not_a_cause(sentence, m, cues):
                continue
            before_cue = m.end() <= cue_at  # 因资金拨付滞后，| 项目进度缓慢
            cut = len(span)
            for _, krx in kinds if not closed and not before_cue else ():
                k = krx.search(span, 1)
                if k and k.start() >= 2:
                    cut = min(cut, k.start())
            span = _trim(span[:cut])
            if len(span) < 2:
                continue
            dist = abs(m.start() - cue_at)
            if best_dist is None or dist < best_dist:
                best, best_dist = span, dist
    return best


def _to_full_stop(raws: list[str], i: int) -> str:
    """Sentence ``i`` with the ones after it up to a full stop (a cause's list runs over ；)."""
    out = raws[i]
    for nxt in raws[i + 1 :]:
        if out.rstrip().endswith(("。", "！", "!", "？", "?", "\n")):
            break
        out += nxt
    return out.strip()


def _problem_cause(sentence: str, cue_at: int, problem, cancel=None, cues=None) -> str:
    """An unmarked cause: the clause nearest before the cue's that states a problem (``problem``),
    as in 现有条件不适宜建设风雨连廊，经研究决定取消 or 资金保障难度大，项目暂缓; a clause that
    completion context cancels (对进度没有影响) states none."""
    if problem is None:
        return ""
    best = ""
    for at, clause in _clauses(sentence):
        if at + len(clause) > cue_at:
            break
        if problem.search(clause) and not (cues is not None and _cancels(clause, cancel, cues)):
            best = _clause_cause(clause)
    return best


def _consequence_cause(sentence: str, cue_at: int, cues: Cues) -> str:
    """An unmarked cause stated as its effect: the cue's clause opens with ``consequence`` words
    (导致, 造成, 影响了) and the clause before it is the cause.

    >>> from helpers.core.config import load_settings
    >>> _consequence_cause("部分业主不同意安装，导致充电桩无法安装", 10, load_settings().cues)
    '部分业主不同意安装'
    """
    before = ""
    for at, clause in _clauses(sentence):
        if at + len(clause) >= cue_at:
            opens = (
                clause.strip().startswith(tuple(cues.consequence)) if cues.consequence else False
            )
            return before if opens and len(before) >= 2 else ""
        before = _clause_cause(clause)
    return ""


_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]是|\d{1,2}[.、．]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")


def _intro_cause(sentence: str, intro, kinds, opening: bool = False) -> str:
    """A cause stated at length: from 原因主要是 … to the sentence's end, cut before a cue.

    With ``opening``, only a sentence that opens with such words (the sentence after the
    slippage: 进度滞后。主要原因是征地拆迁未完成。) gives one.
    """
    if intro is None:
        return ""
    m = intro.search(sentence)
    if m is None or (opening and sentence[: m.start()].strip("，,、 ")):
        return ""
    # 主要原因有：一是受经济下行压力…影响 -> 受经济下行压力…影响
    span = _ENUMERATION.sub("", sentence[m.end() :].lstrip("，,、：:；; "))
    cues_at = [k.start() for _, krx in kinds if (k := krx.search(span, 1)) and k.start() >= 2]
    if cues_at:
        # A cue in a later clause states the effect: the cause ends with the clause before it
        # (受疫情影响，项目暂停施工). A cue in the first clause is how the cause is said
        # (重点项目投产延后): that clause is the cause.
        first = CLAUSE_END.search(span)
        at = min(cues_at)
        if first is not None and first.start() < at:
            span = span[: max(c.start() for c in CLAUSE_END.finditer(span[:at]))]
        else:
            span = span[: first.start()] if first is not None else span
    return _trim(span.strip("，,、：:。；; "))[:80]


#: An adverb left at a cause's end when it is cut before the cue it belongs to (…资金无法回笼，
#: 暂取消二期建设 -> …资金无法回笼).
_ADVERB_TAIL = re.compile(
    r"[，,、\s]*(?:现正|正在|目前|已经|一直|迟迟|始终|仍然|暂|现|正|仍|均|尚|还)?[，,、\s]*$"
)


def _trim(span: str) -> str:
    return _ADVERB_TAIL.sub("", span.strip())


#: What opens a clause taken whole as a cause but is not part of it: an ellipsis, a table's cell
#: mark, the form's 存在问题 column name, an item number (| 存在问题 1.部分业主不同意安装).
_CLAUSE_LEAD = re.compile(r"^(?:[…\.。|｜\s，,、]|存在(?:的)?问题[是为]?[：:]?)+")


def _clause_cause(clause: str) -> str:
    """A clause taken whole as a cause, without what opens it but is not part of it.

    >>> _clause_cause("| 存在问题 1.部分小区业主不同意安装充电设施")
    '部分小区业主不同意安装充电设施'
    """
    return _ENUMERATION.sub("", _CLAUSE_LEAD.sub("", clause.strip())).strip()


def _category_hit(heading: str, kinds, cancel, cues: Cues):
    """The cue of a heading that names the office's category for what follows (滞后项目：…,
    进度偏慢的3项分别是：…), or None: after the cue, the heading holds only ``category`` words,
    numbers and 的.

    >>> from helpers.core.config import load_settings
    >>> c = load_settings().cues
    >>> k, cancel = _compiled(c, None)[:2]
    >>> headings = ("滞后项目", "其中，进展偏慢的5项分别是", "取消省界收费站")
    >>> [bool(_category_hit(h, k, cancel, c)) for h in headings]
    [True, True, False]
    """
    if not heading or _cancels(heading, cancel, cues):
        return None
    for kind, rx in kinds:
        m = rx.search(heading)
        if m is None:
            continue
        tail = re.sub(r"[\d一二三四五六七八九十百的\s]", "", heading[m.end() :])
        for word in sorted(cues.category, key=len, reverse=True):
            tail = tail.replace(word, "")
        return (kind, m) if not tail else None
    return None


def read_slippage(text: str, settings: Settings, next_year: int | None = None) -> list[Hit]:
    """Every slippage cue in ``text`` that its clause does not cancel, in text order.

    Parameters
    ----------
    text : str
        A unit's progress text.
    settings : Settings
        Uses ``settings.cues``.
    next_year : int, optional
        The year after the report's, for cues such as ``调整至{next_year}``; any year when None.
    """
    cues = settings.cues
    kinds, cancel, intention, cause_res, intro, problem, any_cue = _compiled(cues, next_year)
    # A cause is cut before a cue it runs into, except a pending step's (设备招标第一次流标,
    # 因市级主管部门审批未通过): that is part of the cause.
    cut_at = [(k, rx) for k, rx in kinds if k not in cues.step_kinds]
    hits: list[Hit] = []
    text = simplified(text, cues)
    if any_cue is None or not any_cue.search(text):
        return hits
    for part in split_parts(text):
        # Words before a colon that introduce what follows (…有一定差距，主要原因有：…; 进度偏慢的
        # 3项分别是：…) are a sentence, read as one; a sub-task's name is not read.
        heading = "" if _introduces(part.heading, cues) else part.heading
        # A heading that is the office's category (滞后项目：…) states the slippage of its part.
        category = _category_hit(heading, kinds, cancel, cues)
        if category is not None:
            kind, m = category
            hits.append(Hit(kind, m.group(0), heading, heading, "", part))
        raws = SENTENCE_END.split(part.text)
        for i, raw in enumerate(raws):
            sentence = _strip_heading(raw, heading)
            if not sentence:
                continue
            found: list[tuple[int, Hit]] = []
            matched = []  # (clause start, clause, kind, match, inside an open cause)
            for at, clause in _clauses(sentence):
                if _cancels(clause, cancel, cues):
                    continue
                # 确保不出现滞后 states an aim; 确保…目标的任务依然十分艰巨 judges it (aim_kinds).
                aimed = intention is not None and intention.search(clause) is not None
                closed = [
                    cm.span()
                    for c, crx in zip(cues.cause, cause_res, strict=True)
                    if not c.endswith("…")
                    for cm in crx.finditer(clause)
                ]
                opened = _open_causes(clause, cause_res, cues)
                for kind, rx in kinds:
                    m = rx.search(clause)
                    if not m or (aimed and kind not in cues.aim_kinds):
                        continue
                    if any(a < m.start() and m.end() <= b for a, b in closed):
                        continue  # 受资金拨付滞后影响: the cue is inside the stated cause
                    if clause[: m.start()].endswith(tuple(cues.negation)):
                        continue  # 项目未停工, 进度没有偏慢
                    inside = any(a < m.start() and m.end() <= b for a, b in opened)
                    matched.append((at, clause, kind, m, inside))
                    break  # one kind per clause: the first listed
            # A cue inside an open cause (因资金拨付滞后，…进度缓慢) says what the cause is when a
            # later clause of the sentence states the slippage it explains; alone it is the
            # slippage (项目建设因企业自身原因暂缓推进).
            last_plain = max((k for k, x in enumerate(matched) if not x[4]), default=-1)
            for k, (at, clause, kind, m, inside) in enumerate(matched):
                if inside and k < last_plain:
                    continue
                cause = _intro_cause(_to_full_stop(raws, i), intro, cut_at) or _cause(
                    sentence, at + m.start(), cause_res, cues, cut_at
                )
                if not cause and i + 1 < len(raws):
                    cause = _intro_cause(raws[i + 1].strip(), intro, cut_at, opening=True)
                if not cause and i + 1 < len(raws):
                    cause = _listed_cause(raws[i + 1].strip(), cause_res, cues, cut_at)
                if not cause:
                    cause = _consequence_cause(sentence, at + m.start(), cues)
                if not cause:
                    cause = _problem_cause(sentence, at, problem, cancel, cues)
                found.append(
                    (
                        at,
                        Hit(
                            kind,
                            m.group(0),
                            clause.strip(),
                            sentence.rstrip("。；;"),
                            cause,
                            part,
                        ),
                    )
                )
            hits.extend(_step_causes(found, cues))
    return hits


def _introduces(heading: str, cues: Cues) -> bool:
    """Whether ``heading`` ends with words that introduce what follows: a cause or a list."""
    return bool(heading) and heading.rstrip().endswith((*cues.cause_intro, *cues.list_opening))


def _listed_cause(following: str, cause_res, cues: Cues, kinds) -> str:
    """The cause stated in the sentence after the cue's when that sentence lists the cue's items
    (``list_opening``: 9个项目分别是：…丰利…，待农作物收割后方可进地施工)."""
    if not cues.list_opening or not any(w in following for w in cues.list_opening):
        return ""
    return _cause(following, 0, cause_res, cues, kinds)


def _step_causes(found: list[tuple[int, Hit]], cues: Cues) -> list[Hit]:
    """Hits of ``outcome_kinds`` with no cause take the clause of the nearest hit of
    ``step_kinds`` in the same sentence: 5个项目未开工，…核准手续等待国家发改委批复."""
    steps = [(at, h) for at, h in found if h.kind in cues.step_kinds]
    out = []
    for at, h in found:
        if not h.cause and h.kind in cues.outcome_kinds and steps:
            _, step = min(steps, key=lambda s: abs(s[0] - at))
            h = replace(h, cause=_clause_cause(step.clause))
        out.append(h)
    return out


__all__ = ["Hit", "Part", "read_slippage", "split_parts"]
