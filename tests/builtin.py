"""The built-in source's expected figures: one place, worked out by hand from the 2022 Q3 report.

Every number here was read from ``data/raw/2022-Q3-key-tasks-progress-report.txt`` by a person
(the document's own statements, or arithmetic on its figures), never pasted from a run. Tests
import these names rather than repeating the figures.
"""

from __future__ import annotations

YEAR, QUARTER = 2022, 3
PERIOD = "1-9月"

# The document's own counts (附件1-3 and the body).
INDICATORS = 10
TASKS = 131
TASKS_NORMAL = 122  # 附件3
TASKS_LAGGING = 9  # 附件2
SECTIONS = 28
REPORTED_COUNTS = {"正常推进": TASKS_NORMAL, "推进较为滞后": TASKS_LAGGING}

# 附件1 judged by the rules (growth: year-to-date growth against the annual rate).
# The body says 1 符合预期, 7 不达预期 (naming only 6: it forgets 固定资产投资), 2 符合时间节点要求.
INDICATOR_STATUS = {
    "地区生产总值": "不达预期",  # 2.6% vs 5.5%
    "固定资产投资": "不达预期",  # 2.9% vs 6% (the body counts it but forgets to name it)
    "工业增加值": "不达预期",  # 3% vs 7%
    "社会消费品零售总额": "不达预期",  # 0.1% vs 8%
    "进出口总额": "符合预期",  # 7.59% (1-8月) vs 5%以上
    "一般公共预算收入": "不达预期",  # -6.8% vs 5%
    "区级税收": "不达预期",  # -29.16% vs 6%
    "全体居民人均可支配收入": "不达预期",  # 2.8% (1-6月) vs 6%
    "空气质量": "符合时间节点要求",  # 预计能够完成年度目标任务
    "节能减排降碳": "符合时间节点要求",
}
INDICATOR_COUNTS = {"不达预期": 7, "符合预期": 1, "符合时间节点要求": 2}
MISSED_INDICATORS_IN_BODY_ORDER = [
    "地区生产总值",
    "固定资产投资",
    "工业增加值",
    "社会消费品零售总额",
    "一般公共预算收入",
    "区级税收",
    "全体居民人均可支配收入",
]

# The 9 tasks of 附件2, in the document's order.
LAGGING_TASK_IDS = ["T001", "T002", "T003", "T004", "T005", "T006", "T007", "T008", "T009"]

# Quantitative sub-targets read by hand (tests/fixtures/hand_worked_targets.csv).
HAND_SUBTARGETS = 69
HAND_TASKS_WITH_TARGETS = 54

# (task_id, target_no): (actual, target, 完成率), each by hand from the text.
WORKED_RATIOS = {
    ("T004", 1): (560_000, 1_500_000, 0.3733),  # 拆除违法建筑 56万 of 150万平方米
    ("T041", 1): (4565, 4500, 1.0144),  # 班列 4565列 of 4500班
    ("T083", 1): (221, 306, 0.7222),  # 优良天数 221 of 306 天
    ("T002", 1): (1688, 5000, 0.3376),  # 进口整车 1688 of 5000辆
}
# 拆除违法建筑: 37.3% against a 75% 序时 is 37.7 个百分点 below.
T004_GAP_PP = -37.7
