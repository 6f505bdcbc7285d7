"""Read numbers from Chinese text: values, multipliers, units, approximations and their context.

Every number read keeps the span of text it came from (``Quantity.raw`` and its offsets), so a
figure in a report can always be traced back to the words a unit wrote.

Examples
--------
>>> [q.value for q in find_quantities("拆除150万平方米违法建筑")]
[1500000.0]
>>> q = find_quantities("已拆除违法建筑56万平方米")[0]
>>> (q.value, q.unit, q.raw)
(560000.0, '平方米', '56万平方米')
>>> parse_number("两")
2.0
>>> parse_number("二十三")
23.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical unit for each way of writing it. 1972平方米 and 0.1972万平方米 are the same unit;
# 班 and 列 both count train runs.
UNIT_CANON = {
    "平方米": "平方米",
    "平米": "平方米",
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "立方米": "立方米",
    "平方公里": "平方公里",
    "公里": "公里",
    "千米": "公里",
    "米": "米",
    "亩": "亩",
    "公顷": "公顷",
    "元": "元",
    "辆": "辆",
    "台": "台",
    "列": "列",
    "班": "列",
    "个": "个",
    "家": "家",
    "户": "户",
    "名": "人",
    "人次": "人次",
    "人": "人",
    "位": "人",
    "座": "座",
    "处": "处",
    "条": "条",
    "所": "所",
    "项": "项",
    "支": "支",
    "批": "批",
    "场": "场",
    "次": "次",
    "天": "天",
    "套": "套",
    "件": "件",
    "栋": "栋",
    "间": "间",
    "张": "张",
    "床": "张",
    "吨": "吨",
    "对": "对",
    "个百分点": "个百分点",
    "%": "%",
    "％": "%",
    "倍": "倍",
    "层": "层",
    "部": "部",
    "片": "片",
    "个点": "个",
    "份": "份",
    "本": "本",
    "只": "只",
    "株": "株",
    "棵": "株",
    "盏": "盏",
    "口": "口",
    "元/人": "元",
    "例": "例",
    "宗": "宗",
    "艘": "艘",
    "架": "架",
    "头": "头",
}
# Units that count distinct things; they may stand for one another when the metric words match
# (a task says 新建3所学校, a unit reports 建成学校2个).
COUNT_UNITS = {
    "个",
    "家",
    "座",
    "处",
    "条",
    "所",
    "项",
    "支",
    "批",
    "栋",
    "间",
    "部",
    "片",
    "套",
    "件",
}
# 场 and 次 count events (活动200场), never things built or brought in: they are their own family.
PEOPLE_UNITS = {"人", "人次"}
# Numbers written with Chinese numerals are read only before one of these classifiers, so that
# 一是, 一体推进, 一批 and 十条举措 are not taken for quantities.
CN_CLASSIFIERS = "个家项所条座名支处场位辆户列班栋套台"
_COMPOSED = re.compile("[十百千]")  # 四十, 一百二十: a numeral composed of places

_UNITS = sorted(UNIT_CANON, key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_CN_NUM = "零一二两三四五六七八九十百千"
NUMBER_RE = re.compile(
    r"(?P<pre>(?<![签集节制合契预公条])约|近|超过|超|突破|达到|达|不低于|不少于|控制在|不超过|不足|"
    r"不到)?"
    r"(?P<sign>[-－—−])?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[" + _CN_NUM + r"]+(?:点[" + _CN_NUM + r"]+)?)"
    r"\s*(?P<approx1>余|多)?"
    r"(?P<mult>万亿|万|亿|千)?"
    r"(?P<approx2>余|多)?"
    r"(?P<unit>" + _UNIT_RE + r")"
    r"(?P<post>以上|左右|以下|以内|余)?"
)
MULTIPLIERS = {None: 1.0, "": 1.0, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}

# Spans that hold numbers which are not progress: dates, document numbers, rankings, titles.
NOT_PROGRESS = [
    re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?"),  # 2022年, 2022年9月30日
    re.compile(r"\d{1,2}月\d{1,2}日"),  # 3月17日
    re.compile(r"\d{1,2}[-—~至]\d{1,2}月"),  # 1-9月
    re.compile(r"\d{1,2}月(?:底|初|中旬|上旬|下旬|份)?"),  # 11月底
    re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号|〔\d{4}〕|\d+号"),  # 沙府发〔2022〕25号
    re.compile(r"第[\d" + _CN_NUM + r"]+[名位批次届个期季]?"),  # 主城区第4名, 第一批
    re.compile(r"《[^》]*》"),  # 《…十条举措》
    re.compile(r"[A-Za-z]+\d+(?:\.\d+)?|\d+[A-Za-z]+"),  # PM2.5, 5G, 5A, T3
    re.compile(r"[①-⑳]"),
    # Prices per something (元/吨); a standard per person (835元/人月) is read, as a level.
    re.compile(r"\d+(?:\.\d+)?(?:万|亿)?元/(?!人)"),
    re.compile(r"\d+号楼|\d+#楼?"),
    re.compile(r"前三季度|上半年|一季度|二季度|三季度|四季度"),
    re.compile(r"“[" + _CN_NUM + r"\d]+[个项大条]"),  # “四个意识”, “十项全面清理”: names
    re.compile(r"[" + _CN_NUM + r"]+(?:支路|横线|纵线|环线|期)"),  # 二支路, 二横线: road names
    re.compile(r"\d+人制"),  # 5人制足球场: a kind of pitch, not 5 people
    re.compile(r"[" + _CN_NUM + r"]项规定|[" + _CN_NUM + r"]个维护|[" + _CN_NUM + r"]个确立"),
]
CLAUSE_BREAK = re.compile(r"[，。；;：:！？\n（）()、]")
PERIOD_RE = re.compile(r"(\d{1,2})\s*[-—~至]\s*(\d{1,2})月")
GROWTH_WORDS = (
    "增长",
    "增速",
    "增幅",
    "同比",
    "下降",
    "提高",
    "降低",
    "减少",
    "回落",
    "下滑",
    "降幅",
)
# The last growth word before a rate says its sign: 下降3.5%, 同比减少3.5%, 负增长3.5% are -3.5%.
DECLINE_RE = re.compile(r"负增长|下降|减少|降低|回落|下滑|降幅")
RISE_RE = re.compile(r"(?<!负)增长|增速|增幅|提高|上升")
PEOPLE_NOUN_RE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(万|亿)"
    r"(?=(?:农村|城镇|城乡|贫困|困难|低收入|规划内)?(?:人口|群众|居民|农民|职工|学生|师生))"
)
# 同比持平 / 与上年持平: a growth rate of zero written in words.
FLAT_RE = re.compile(r"(?:同比|比上年|与上年|较上年|比去年|与去年)(?:同期)?(?:基本)?持平")


def _declines(before: str) -> bool:
    """True when the last growth word in ``before`` is a decline (下降, 减少, 负增长, 回落 …)."""
    down = [m.end() for m in DECLINE_RE.finditer(before)]
    up = [m.end() for m in RISE_RE.finditer(before)]
    return bool(down) and (not up or max(down) >= max(up))


# Traditional characters that carry numbers, units and the words the reader looks for
# (萬, 億, 個, 戶 …): mapped one to one, so every offset into the text stays valid.
TRADITIONAL = str.maketrans(
    "萬億個戶項處條臺張場間輛噸畝計劃預實際達約餘並將於開設業務級區縣幣"
    "與為從達至減長較類點價標準農舊後產區鄉鎮幾萊無總額資號據數"
    "運動園範積現發環護經濟機構進體會學醫療衛養險參電網線鐵橋廣關問題認識說話語讀書記轉選擇擔負責維決爭畫裝輕鬆齊應當對擴匯築備遷銷費稅貸傳統態歲歸裡這麼們來時過還邊連廠屬眾聯興華壓優補貼規幹試",
    "万亿个户项处条台张场间辆吨亩计划预实际达约余并将于开设业务级区县币"
    "与为从达至减长较类点价标准农旧后产区乡镇几莱无总额资号据数"
    "运动园范积现发环护经济机构进体会学医疗卫养险参电网线铁桥广关问题认识说话语读书记转选择担负责维决争画装轻松齐应当对扩汇筑备迁销费税贷传统态岁归里这么们来时过还边连厂属众联兴华压优补贴规干试",
)
# Full-width digits and punctuation as half-width or the office's own marks, one to one.
FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％＋－",
    "0123456789.%+-",
)
# ASCII punctuation used as Chinese clause marks (pages copied from the web), one to one.
ASCII_MARKS = str.maketrans({";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
# Pinyin a converter left after characters: 項(xiàng)目, 實(shí)現(xiàn).
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SPACES = re.compile("[\u00a0\u3000\u2002\u2003\u2009\u202f]")


def normalize(text: str) -> str:
    """Text as the reader reads it: half-width digits, simplified number words, no invisible marks.

    Zero-width and soft-hyphen characters are removed; no-break and ideographic spaces become
    spaces; full-width digits and marks become half-width; ``1，234`` keeps its thousands
    separator as ``1,234``; an ASCII comma, colon, semicolon or bracket used as a Chinese mark
    becomes the Chinese one (``,`` between digits stays a thousands separator); 萬/億/個/戶 …
    become 万/亿/个/户. Apart from the removed invisible marks, every character keeps its place.

    >>> normalize("５６．５万平方米，1，234平方米")
    '56.5万平方米，1,234平方米'
    >>> normalize("56\u200b万平方米")
    '56万平方米'
    >>> normalize("開工10.48萬套,建成7.43萬套")
    '开工10.48万套，建成7.43万套'
    """
    if not isinstance(text, str) or not text:
        return text if isinstance(text, str) else ""
    text = INVISIBLE.sub("", text)
    text = PINYIN.sub("", text)
    text = SPACES.sub(" ", text)
    # A translation is a lookup per character: done only where the text has a character to map.
    if _FULLWIDTH_CHARS.search(text):
        text = text.translate(FULLWIDTH)
    if _TRADITIONAL_CHARS.search(text):
        text = text.translate(TRADITIONAL)
    text = re.sub(r"(?<=\d)，(?=\d{3}(?!\d))", ",", text)
    text = re.sub(r",(?!\d{3}(?!\d))|(?<!\d),", "，", text)
    if _ASCII_MARK_CHARS.search(text) and re.search(r"[\u4e00-\u9fff]", text):
        text = text.translate(ASCII_MARKS)
    return text


def chars_of(table: dict[int, object]) -> re.Pattern[str]:
    """A pattern matching any character that ``table`` (``str.maketrans``) maps.

    >>> bool(chars_of(str.maketrans("萬", "万")).search("1萬"))
    True
    """
    return re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]")


_FULLWIDTH_CHARS = chars_of(FULLWIDTH)
_TRADITIONAL_CHARS = chars_of(TRADITIONAL)
_ASCII_MARK_CHARS = chars_of(ASCII_MARKS)


@dataclass
class Quantity:
    """A number read from text, in its canonical unit, with the text around it."""

    value: float
    unit: str
    raw: str
    start: int
    end: int
    approx: str = ""  # 约, 余, 以上, 左右, 超过 … as written
    before: str = ""  # the clause up to the number
    after: str = ""  # the clause after the number
    growth: bool = False  # a growth rate (增长5.5%), not a level (回收利用率达40%)
    multiplier: float = 1.0

    @property
    def display(self) -> str:
        """The quantity as written, for tables (``56万平方米``)."""
        return self.raw


def parse_number(text: str) -> float:
    """Parse an Arabic or Chinese numeral: ``'1,234.5'``, ``'三'``, ``'两'``, ``'二十三'``, ``'三点五'``.

    Chinese numerals are read by cn2an, a maintained converter.

    Raises
    ------
    ValueError
        If the text is not a number.
    """
    text = text.strip().replace(",", "")
    if not text:
        raise ValueError("empty number")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if not re.fullmatch("[" + _CN_NUM + "点]+", text):
        raise ValueError(f"not a number: {text!r}")
    import cn2an  # imported when a Chinese numeral is first read (its import costs ~0.1 s)

    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pat in NOT_PROGRESS:
        spans.extend(m.span() for m in pat.finditer(text))
    return spans


def _overlaps(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    return any(span[0] < b1 and b0 < span[1] for b0, b1 in blocked)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    left = start
    while left > 0 and not CLAUSE_BREAK.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not CLAUSE_BREAK.match(text[right]):
        right += 1
    return text[left:start], text[end:right]


def find_quantities(text: str) -> list[Quantity]:
    """Find every quantity with a unit in ``text``, skipping dates, document numbers and ranks.

    Parameters
    ----------
    text : str
        Task or progress text, in Chinese.

    Returns
    -------
    list of Quantity
        In order of appearance. Values are in the canonical unit with 万/亿 applied.
    """
    if not isinstance(text, str) or not text:
        return []
    blocked = _blocked_spans(text)
    found: list[Quantity] = []
    for m in NUMBER_RE.finditer(text):
        num_span = m.span("num")
        if _overlaps(num_span, blocked):
            continue
        num = m.group("num")
        is_cn = not num[0].isdigit()
        # A Chinese numeral is a quantity before a classifier (五座), or with 万/亿 (五十六万),
        # or a composed numeral before a measure (四十公里, 一百二十亩); a lone digit before a
        # measure is left alone (最后一公里, 一米阳光 are sayings, not figures).
        if is_cn and not (
            m.group("unit")[0] in CN_CLASSIFIERS
            or (m.group("mult") and len(num) > 1)
            or (len(num) > 1 and _COMPOSED.search(num) and m.group("unit") not in {"%", "％"})
        ):
            continue
        # A digit glued to a letter or another digit run (5G, A3) is a name, not a quantity.
        if num_span[0] > 0 and re.match(r"[A-Za-z.]", text[num_span[0] - 1]):
            continue
        try:
            value = parse_number(num)
        except ValueError:
            continue
        mult = MULTIPLIERS[m.group("mult")]
        sign = -1.0 if m.group("sign") else 1.0
        # A sign is only a sign right after 增长 / 为 / a colon; elsewhere a dash is a range.
        if m.group("sign"):
            lead = text[max(0, m.start() - 2) : m.start()]
            if not lead.endswith(("长", "为", "：", ":", "幅", "速", "达", "是")):
                sign = 1.0
        unit = UNIT_CANON[m.group("unit")]
        before, after = _clause(text, m.start(), m.end())
        approx = "".join(
            g
            for g in (m.group("pre"), m.group("approx1"), m.group("approx2"), m.group("post"))
            if g
        )
        growth = unit == "%" and any(w in before[-8:] for w in GROWTH_WORDS)
        if growth and sign > 0 and _declines(before[-8:]):
            sign = -1.0
        found.append(
            Quantity(
                value=sign * value * mult,
                unit=unit,
                raw=text[m.start("num") if not m.group("sign") else m.start("sign") : m.end()],
                start=m.start(),
                end=m.end(),
                approx=approx,
                before=before,
                after=after,
                growth=growth,
                multiplier=mult,
            )
        )
    # 解决180万农村人口…: people counted by the noun, with no classifier.
    for m in PEOPLE_NOUN_RE.finditer(text):
        if any(q.start <= m.start() < q.end for q in found) or _overlaps(m.span(1), blocked):
            continue
        before, after = _clause(text, m.start(), m.end())
        value = parse_number(m.group(1)) * MULTIPLIERS[m.group(2)]
        found.append(Quantity(value, "人", m.group(0), m.start(), m.end(), "", before, after))
    for m in FLAT_RE.finditer(text):
        if any(q.start <= m.start() < q.end for q in found):
            continue
        before, after = _clause(text, m.start(), m.end())
        found.append(
            Quantity(0.0, "%", m.group(0), m.start(), m.end(), "", before, after, growth=True)
        )
    found.sort(key=lambda q: q.start)
    return found


def find_period(text: str, before: int | None = None) -> tuple[int, int] | None:
    """Return the months (start, end) of the last period stated before position ``before``.

    ``1-9月`` gives (1, 9); ``截至9月30日`` and ``9月底`` give (1, 9); ``上半年`` (1, 6);
    ``前三季度`` (1, 9). None when the text states no period.
    """
    scope = text if before is None else text[:before]
    found: list[tuple[int, tuple[int, int]]] = []
    for m in PERIOD_RE.finditer(scope):
        found.append((m.start(), (int(m.group(1)), int(m.group(2)))))
    for m in re.finditer(r"截至(?:\d{4}年)?(\d{1,2})月(?:底|末|\d{1,2}日)?", scope):
        found.append((m.start(), (1, int(m.group(1)))))
    for word, months in (("前三季度", (1, 9)), ("上半年", (1, 6)), ("一季度", (1, 3))):
        for m in re.finditer(word, scope):
            found.append((m.start(), months))
    if not found:
        return None
    return max(found)[1]


def format_period(months: tuple[int, int] | None) -> str:
    """Format months as the office writes them: (1, 9) -> ``1-9月``."""
    if not months:
        return ""
    return f"{months[0]}-{months[1]}月"


# A ranking among peers, however the peers are named (全市排名第3位, 全省第12名, 某城区第6名):
# the group's name, if any, is up to six characters of the clause just before 第.
RANK_RE = re.compile(r"(?:[^\d，,。；;（）()]{0,6}?)(?:排名|排)?第(\d+)(?:名|位)")


def read_indicator_progress(text: str) -> dict:
    """Read an indicator's progress cell: its period, year-to-date value, rank and side notes.

    >>> r = read_indicator_progress("1-8月，进出口总额增长7.59%。（主城区第6名）")
    >>> (r["period"], r["value"], r["value_unit"], r["rank"])
    ('1-8月', 7.59, '%', 6)
    >>> read_indicator_progress("1-9月，一般公共预算收入增长-6.8%（扣除留抵退税因素后增长-3.6%，主城区第3名）。")["notes"]
    '扣除留抵退税因素后增长-3.6%'
    >>> read_indicator_progress("1-9月，地区生产总值增长5.1%，全市排名第3位。")["rank"]
    3
    """
    text = text or ""
    period = find_period(text)
    rank_m = RANK_RE.search(text)
    # The headline figure is the first quantity outside brackets; bracketed ones are side notes.
    outside = re.sub(r"（[^）]*）|\([^)]*\)", lambda m: " " * len(m.group(0)), text)
    qs = find_quantities(outside)
    head = qs[0] if qs else None
    notes = []
    for inner in re.findall(r"（([^）]*)）", text):
        parts = [p for p in re.split(r"[，,]", inner) if p and not RANK_RE.search(p)]
        notes.extend(parts)
    return {
        "period": format_period(period),
        "value": head.value if head else None,
        "value_unit": head.unit if head else "",
        "value_text": head.raw if head else "",
        "rank": int(rank_m.group(1)) if rank_m else None,
        "notes": "；".join(notes),
    }
