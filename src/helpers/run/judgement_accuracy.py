"""How well the pack reads slippage and its causes, against labels written by hand before the code.

``make accuracy-judgement`` (``python -m helpers.run.judgement_accuracy``) prints, for the
built-in quarter (``tests/fixtures/hand_slippage_builtin.csv``, all 131 tasks) and for each
reading-corpus folder under ``data/corpus/slippage/<name>/`` (``items.csv`` with ``task_text``,
``progress_text``, ``report_period``; ``slippage.csv`` with ``slipping``, ``evidence``,
``cause``; ``sources.csv`` with the ``year``):

- slippage recall: tasks labelled ``yes`` that the pack flags (整体滞后 or 部分滞后);
- slippage precision: flags that fall on tasks labelled ``yes`` or ``partial``;
- cause recall: tasks labelled ``yes`` whose label states a cause, for which the pack reports
  one that overlaps it; cause precision: causes the pack reports on flagged tasks that overlap
  the label's;

and lists every miss. Corpus texts go through the engine's own path (``compute_subtargets`` and
``classify_tasks``), with the figures read from the text, exactly as a quarter's would be.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.compute.classify import classify_tasks
from helpers.compute.engine import analyse, compute_subtargets
from helpers.compute.slippage import simplified
from helpers.core import paths
from helpers.core.config import Settings, load_settings
from helpers.core.vocab import Slippage

ROOT = paths.DATA_DIR.parent
BUILTIN_LABELS = ROOT / "tests" / "fixtures" / "hand_slippage_builtin.csv"
CORPUS_DIR = paths.DATA_DIR / "corpus" / "slippage"


@dataclass
class Score:
    """Counts and misses for one set of labels."""

    name: str
    n: int = 0
    labelled_yes: int = 0
    found_yes: int = 0
    flagged: int = 0
    flagged_right: int = 0
    causes_stated: int = 0
    causes_found: int = 0
    causes_given: int = 0
    causes_right: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    cause_missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_yes / self.labelled_yes if self.labelled_yes else 1.0

    @property
    def precision(self) -> float:
        return self.flagged_right / self.flagged if self.flagged else 1.0

    @property
    def cause_recall(self) -> float:
        return self.causes_found / self.causes_stated if self.causes_stated else 1.0

    @property
    def cause_precision(self) -> float:
        return self.causes_right / self.causes_given if self.causes_given else 1.0

    def __add__(self, other: Score) -> Score:
        out = Score(f"{self.name}+{other.name}")
        for f in (
            "n",
            "labelled_yes",
            "found_yes",
            "flagged",
            "flagged_right",
            "causes_stated",
            "causes_found",
            "causes_given",
            "causes_right",
        ):
            setattr(out, f, getattr(self, f) + getattr(other, f))
        return out


def cause_matches(found: str, label: str) -> bool:
    """Whether a cause the pack found says what the label says (one holds the other, or they
    share at least half the label's characters).

    >>> cause_matches("因企业自身原因", "因企业自身原因")
    True
    >>> cause_matches("因市级主管部门", "因市级主管部门审批未通过")
    True
    >>> cause_matches("受疫情影响", "因经费不足")
    False
    """
    found, label = found.strip(), label.strip()
    # The pack reads traditional text in simplified characters; a label copied from it is
    # compared the same way (土地手續已報省國土廳等待批復 is 土地手续已报省国土厅等待批复).
    label = simplified(label, load_settings().cues)
    if not found or not label:
        return False
    if any(f in label or label in f for f in found.split("；")):
        return True
    shared = sum(1 for ch in set(label) if ch in found)
    return shared >= 0.5 * len(set(label))


def score(name: str, labels: pd.DataFrame, judged: pd.DataFrame, id_col: str) -> Score:
    """Compare ``judged`` (``classify_tasks`` output, ``task_id``) with ``labels``."""
    out = Score(name)
    j = judged.set_index("task_id")
    for r in labels.itertuples():
        tid = getattr(r, id_col)
        if tid not in j.index:
            continue
        out.n += 1
        t = j.loc[tid]
        flagged = t["slippage"] != Slippage.NONE
        label = str(r.slipping).strip()
        cause = "" if pd.isna(r.cause) else str(r.cause)
        found = str(t["cause"] or "")
        line = f"{tid} label={label} pack={t['slippage']}"
        if label == "yes":
            out.labelled_yes += 1
            if flagged:
                out.found_yes += 1
            else:
                out.missed.append(f"{line} | label evidence: {r.evidence}")
        if flagged:
            out.flagged += 1
            if label in ("yes", "partial"):
                out.flagged_right += 1
            else:
                shown = t["evidence"][:80] or f"figures: {t['lagging_metrics']}"
                out.false.append(f"{line} | pack evidence: {shown}")
        if label == "yes" and cause:
            out.causes_stated += 1
            if flagged and cause_matches(found, cause):
                out.causes_found += 1
            else:
                out.cause_missed.append(f"{tid} label cause={cause} | pack cause={found or '—'}")
        if flagged and found:
            out.causes_given += 1
            if cause_matches(found, cause):
                out.causes_right += 1
            elif label in ("yes", "partial") or not cause:
                out.cause_missed.append(f"{tid} pack cause={found} | label cause={cause or '—'}")
    return out


def judge_builtin(settings: Settings | None = None) -> pd.DataFrame:
    """The built-in quarter's tasks as the engine judges them."""
    return analyse(2022, 3).tasks


def _months(period: str, published: str = "", title: str = "") -> int:
    """The months a corpus item's period covers (1-9月, 截至10月31日, 上半年, 前三季度, 年末 …).

    A period that names no month (目前, 截至目前) runs to the period the source's title names
    (西安市上半年重点民生工作进展: 6), else to the month the source was published
    (``published``, YYYY-MM-DD), the time a reader of the text would judge it at; with neither,
    the whole year.

    >>> _months("目前", "", "西安市上半年重点民生工作进展"), _months("截至目前", "2011-07-27")
    (6, 7)
    >>> _months("2024年末(2025-01-02发布)", "2025-01-02")
    12
    """
    for text in (str(period or ""), str(title or "")):
        for word, months in (
            ("上半年", 6),
            ("前三季度", 9),
            ("一季度", 3),
            ("全年", 12),
            ("年末", 12),
            ("年底", 12),
        ):
            if word in text:
                return months
        found = [int(m) for m in re.findall(r"(\d{1,2})月", text) if 1 <= int(m) <= 12]
        if found:
            return max(found)
    date = re.fullmatch(r"\d{4}-(\d{2})-\d{2}", str(published or "").strip())
    return int(date.group(1)) if date and 1 <= int(date.group(1)) <= 12 else 12


def judge_corpus(folder: Path, settings: Settings) -> pd.DataFrame:
    """Run the engine's text-to-judgement path on a corpus folder's items."""
    items = pd.read_csv(folder / "items.csv", dtype=str).fillna("")
    years, published, titles = {}, {}, {}
    if (folder / "sources.csv").is_file():
        src = pd.read_csv(folder / "sources.csv", dtype=str).fillna("")
        years = {r.source_id: int(r.year) for r in src.itertuples() if str(r.year).isdigit()}
        published = dict(zip(src["source_id"], src["date"], strict=True))
        if "title" in src:
            titles = dict(zip(src["source_id"], src["title"], strict=True))
    out = []
    for r in items.itertuples():
        tasks = pd.DataFrame(
            [
                {
                    "task_id": r.item_id,
                    "section": "",
                    "task": r.task_text,
                    "leaders": "",
                    "lead_units": "",
                    "partner_units": "",
                }
            ]
        )
        progress = pd.DataFrame(
            [{"task_id": r.item_id, "reported_status": "", "progress": r.progress_text}]
        )
        months = _months(
            r.report_period, published.get(r.source_id, ""), titles.get(r.source_id, "")
        )
        subs = compute_subtargets(tasks, progress, months, settings)
        year = years.get(r.source_id)
        out.append(
            classify_tasks(
                tasks,
                progress,
                subs,
                settings,
                next_year=year + 1 if year else None,
                report_months=months,
            )
        )
    return pd.concat(out, ignore_index=True)


def run(corpus_dir: Path = CORPUS_DIR) -> list[Score]:
    """Score the built-in labels and every corpus folder; return the scores."""
    settings = load_settings()
    builtin = pd.read_csv(BUILTIN_LABELS, dtype=str).fillna("")
    scores = [score("built-in 2022-Q3", builtin, judge_builtin(settings), "task_id")]
    for folder in sorted(p for p in Path(corpus_dir).glob("*") if p.is_dir()):
        if not (folder / "slippage.csv").is_file():
            continue
        labels = pd.read_csv(folder / "slippage.csv", dtype=str).fillna("")
        scores.append(
            score(f"corpus {folder.name}", labels, judge_corpus(folder, settings), "item_id")
        )
    return scores


def report(scores: list[Score]) -> str:
    """The scores as plain text, with every miss."""
    lines = []
    total = None
    for s in scores:
        total = s if total is None else total + s
    for s in [*scores, *([total] if len(scores) > 1 else [])]:
        lines.append(
            f"{s.name}: {s.n} labelled; slippage recall {s.recall:.0%} ({s.found_yes}/"
            f"{s.labelled_yes}), precision {s.precision:.0%} ({s.flagged_right}/{s.flagged}); "
            f"cause recall {s.cause_recall:.0%} ({s.causes_found}/{s.causes_stated}), "
            f"precision {s.cause_precision:.0%} ({s.causes_right}/{s.causes_given})"
        )
        for title, items in (
            ("missed", s.missed),
            ("flagged wrongly", s.false),
            ("cause missed or wrong", s.cause_missed),
        ):
            for m in items:
                lines.append(f"    {title}: {m}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the scores; exit 0."""
    print(report(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
