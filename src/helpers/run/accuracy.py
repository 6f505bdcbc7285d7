"""``make accuracy``: how well the reader reads targets, actuals and 完成率, against hand golds.

Two golds are scored:

* the corpus in ``data/corpus/`` (``items.csv`` with task and progress text of many
  governments, ``gold.csv`` worked out by hand before the code ran);
* the built-in 2022 source, against ``tests/fixtures/hand_worked_targets.csv``.

Each read sub-target is paired with the gold sub-target of the same item whose target value it
read (the unit breaking ties). Per field the scores are:

* ``target``: recall = gold sub-targets whose value was read; precision = read sub-targets
  that are gold ones (the rest are *extra* sub-targets);
* ``unit``, ``kind``: share right among the paired sub-targets;
* ``actual``: precision = actuals read that are right; recall = gold actuals read right; a
  sub-target with no actual in the gold is right only when none is read;
* ``完成率``: share of gold 完成率 (``expected_rate``) that the reader gives within 0.5 pp.

Every wrong read is listed with its text, so a fall in a figure can be traced to a sentence.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core import paths
from helpers.core.config import load_settings
from helpers.read.quantities import UNIT_CANON

CORPUS_DIR = paths.PACK_ROOT / "data" / "corpus"
HAND_WORKED = paths.PACK_ROOT / "tests" / "fixtures" / "hand_worked_targets.csv"
RATE_TOLERANCE_PP = 0.5
VALUE_TOLERANCE = 1e-4  # relative


@dataclass
class Score:
    """Counts per field and the wrong reads, for one gold."""

    name: str
    gold_targets: int = 0
    read_targets: int = 0
    targets_found: int = 0
    unit_right: int = 0
    kind_right: int = 0
    gold_actuals: int = 0
    read_actuals: int = 0
    actuals_right: int = 0  # gold actual read right
    actual_reads_right: int = 0  # read actual that is right
    paired_no_actual_right: int = 0
    paired_no_actual: int = 0
    gold_rates: int = 0
    rates_right: int = 0
    wrong: list[dict] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """The shares ``make accuracy`` prints and the test keeps from falling."""

        def share(a, b):
            return a / b if b else float("nan")

        return {
            "target_recall": share(self.targets_found, self.gold_targets),
            "target_precision": share(self.targets_found, self.read_targets),
            "unit": share(self.unit_right, self.targets_found),
            "kind": share(self.kind_right, self.targets_found),
            "actual_recall": share(self.actuals_right, self.gold_actuals),
            "actual_precision": share(self.actual_reads_right, self.read_actuals),
            "actual_right": share(
                self.actuals_right + self.paired_no_actual_right,
                self.gold_actuals + self.paired_no_actual,
            ),
            "rate_within_0.5pp": share(self.rates_right, self.gold_rates),
            "extra_share": share(self.read_targets - self.targets_found, self.read_targets),
        }


def base_unit(unit) -> str:
    """``元/人·月`` → ``元``; ``名`` → ``人``: the unit a number is counted in."""
    if not isinstance(unit, str) or not unit:
        return ""
    head = unit.split("/")[0].strip()
    return UNIT_CANON.get(head, head)


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b), 1.0)


def load_corpus(corpus_dir: str | Path = CORPUS_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Items (``item_id``, ``task_text``, ``progress_text``) and gold rows of the corpus."""
    corpus_dir = Path(corpus_dir)
    items = pd.read_csv(corpus_dir / "items.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(corpus_dir / "gold.csv", dtype=str, keep_default_na=False)
    return items, gold


def read_items(items: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Run the engine's one text-to-numbers path on each item: sub-targets, actuals, 完成率."""
    from helpers.compute.engine import compute_subtargets

    tasks = pd.DataFrame({"task_id": items["item_id"], "task": items["task_text"]})
    progress = pd.DataFrame({"task_id": items["item_id"], "progress": items["progress_text"]})
    return compute_subtargets(tasks, progress, months, load_settings())


def score(read: pd.DataFrame, gold: pd.DataFrame, name: str, texts: dict | None = None) -> Score:
    """Pair read and gold sub-targets item by item and count what is right.

    ``read`` has the engine's sub-target columns (``task_id``, ``target``, ``unit``, ``kind``,
    ``actual``, ``ratio``); ``gold`` has ``item_id``, ``target``, ``target_unit``, ``kind``,
    ``actual`` and optionally ``expected_rate`` (percent).
    """
    texts = texts or {}
    s = Score(name)
    read_by_item = {k: g for k, g in read.groupby("task_id", sort=False)}
    gold_ids = set(gold["item_id"])
    for item_id, g in gold.groupby("item_id", sort=False):
        r = read_by_item.get(item_id, read.iloc[0:0])
        used: set[int] = set()
        for _, gr in g.iterrows():
            s.gold_targets += 1
            gt, gu = _num(gr["target"]), base_unit(gr["target_unit"])
            ga = _num(gr["actual"])
            if not math.isnan(ga):
                s.gold_actuals += 1
            rate = _num(gr.get("expected_rate", ""))
            if not math.isnan(rate):
                s.gold_rates += 1
            hits = [
                (k, rr) for k, rr in r.iterrows() if k not in used and _same(_num(rr["target"]), gt)
            ]
            hits.sort(key=lambda h: base_unit(h[1]["unit"]) != gu)
            where = {"item": item_id, "target_no": gr["target_no"], "gold_text": gr["target_text"]}
            if not hits:
                s.wrong.append(
                    {**where, "field": "target", "gold": gt, "read": "", **texts.get(item_id, {})}
                )
                continue
            k, rr = hits[0]
            used.add(k)
            s.targets_found += 1
            if base_unit(rr["unit"]) == gu:
                s.unit_right += 1
            else:
                s.wrong.append({**where, "field": "unit", "gold": gu, "read": rr["unit"]})
            if rr["kind"] == gr["kind"]:
                s.kind_right += 1
            else:
                s.wrong.append({**where, "field": "kind", "gold": gr["kind"], "read": rr["kind"]})
            ra = _num(rr["actual"])
            if math.isnan(ga):
                s.paired_no_actual += 1
                if math.isnan(ra):
                    s.paired_no_actual_right += 1
            if not math.isnan(ra):
                s.read_actuals += 1
                if _same(ra, ga):
                    s.actual_reads_right += 1
            if not math.isnan(ga) and _same(ra, ga):
                s.actuals_right += 1
            elif not (math.isnan(ga) and math.isnan(ra)):
                s.wrong.append(
                    {
                        **where,
                        "field": "actual",
                        "gold": ga,
                        "read": ra,
                        "text": rr.get("actual_text", ""),
                        "gold_actual_text": gr.get("actual_text", ""),
                    }
                )
            if not math.isnan(rate):
                got = _num(rr.get("ratio", float("nan"))) * 100
                if not math.isnan(got) and abs(got - rate) <= RATE_TOLERANCE_PP:
                    s.rates_right += 1
                else:
                    s.wrong.append({**where, "field": "完成率", "gold": rate, "read": got})
        for k, rr in r.iterrows():
            s.read_targets += 1
            if k not in used:
                s.wrong.append(
                    {
                        "item": item_id,
                        "target_no": rr["target_no"],
                        "field": "extra",
                        "gold": "",
                        "read": rr["target"],
                        "text": rr["target_text"],
                    }
                )
    # Items the gold does not list (no quantitative target) still count their extra reads.
    for item_id, r in read_by_item.items():
        if item_id in gold_ids:
            continue
        for _, rr in r.iterrows():
            s.read_targets += 1
            s.wrong.append(
                {
                    "item": item_id,
                    "target_no": rr["target_no"],
                    "field": "extra",
                    "gold": "",
                    "read": rr["target"],
                    "text": rr["target_text"],
                }
            )
    return s


def score_corpus(corpus_dir: str | Path = CORPUS_DIR) -> Score:
    """Read the corpus items and score them against the corpus gold."""
    items, gold = load_corpus(corpus_dir)
    read = read_items(items)
    texts = {
        i: {"task_text": t, "progress_text": p}
        for i, t, p in zip(
            items["item_id"], items["task_text"], items["progress_text"], strict=True
        )
    }
    return score(read, gold, "corpus", texts)


def score_builtin(year: int = 2022, quarter: int = 3) -> Score:
    """Score the built-in quarter (with its curation) against the hand-worked sub-targets."""
    from helpers.compute.engine import analyse

    hand = pd.read_csv(HAND_WORKED, dtype=str, keep_default_na=False)
    cumulative = hand["kind"] == "cumulative"
    rate = hand["actual"].map(_num) / hand["target"].map(_num) * 100
    gold = pd.DataFrame(
        {
            "item_id": hand["task_id"],
            "target_no": hand["target_no"],
            "target": hand["target"],
            "target_unit": hand["unit"],
            "kind": hand["kind"],
            "actual": hand["actual"],
            "expected_rate": rate.where(cumulative & rate.notna()).map(
                lambda v: "" if math.isnan(v) else f"{v:.4f}"
            ),
            "target_text": hand["target_text"],
            "actual_text": hand["actual_text"],
        }
    )
    subs = analyse(year, quarter).subtargets
    return score(subs, gold, "built-in 2022 Q3")


LABELS = {
    "target_recall": "目标值 召回率",
    "target_precision": "目标值 精确率",
    "unit": "单位 正确率",
    "kind": "类型 正确率",
    "actual_recall": "完成值 召回率",
    "actual_precision": "完成值 精确率",
    "actual_right": "完成值 正确率（含应为空）",
    "rate_within_0.5pp": "完成率 误差≤0.5个百分点",
    "extra_share": "多读子目标 占所读比例",
}


def _show(value) -> str:
    """A figure as the list prints it: at most 4 decimals, 无 for no figure."""
    if isinstance(value, float):
        return "无" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value) if value != "" else "无"


def report(s: Score, show_wrong: bool = True) -> str:
    """The figures and the wrong reads of one gold, as text."""
    f = s.figures()
    lines = [
        f"== {s.name}: 金标准子目标 {s.gold_targets} 个，读出 {s.read_targets} 个，"
        f"配对 {s.targets_found} 个；金标准完成值 {s.gold_actuals} 个，完成率 {s.gold_rates} 个",
    ]
    for key, label in LABELS.items():
        value = f[key]
        lines.append(f"  {label:<24} {'—' if math.isnan(value) else f'{value:6.1%}'}")
    if show_wrong and s.wrong:
        lines.append(f"  -- 读错 {len(s.wrong)} 处 --")
        for w in s.wrong:
            text = w.get("text") or w.get("gold_text") or ""
            text = str(text).replace("\n", " ")[:90]
            lines.append(
                f"  [{w['field']}] {w['item']}#{w['target_no']} 应为 {_show(w['gold']):<14} "
                f"读作 {_show(w['read']):<14} {text}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures for the corpus and the built-in source."""
    p = argparse.ArgumentParser(prog="python -m helpers.run.accuracy", description=__doc__)
    p.add_argument("--corpus", default=str(CORPUS_DIR), help="folder with items.csv and gold.csv")
    p.add_argument("--quiet", action="store_true", help="figures only, no list of wrong reads")
    args = p.parse_args(argv)
    scores = []
    if (Path(args.corpus) / "gold.csv").is_file():
        scores.append(score_corpus(args.corpus))
    else:
        print(f"（未找到语料 {args.corpus}/gold.csv）")
    scores.append(score_builtin())
    for s in scores:
        print(report(s, show_wrong=not args.quiet))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
