"""Judge one task from its words, through the engine's own path (for the judgement rule tests)."""

from __future__ import annotations

import pandas as pd

from helpers.compute.classify import classify_tasks
from helpers.compute.engine import compute_subtargets
from helpers.core.config import load_settings

S = load_settings()


def judge(task: str, text: str, months: int, year: int | None = None) -> pd.Series:
    """The task's row of ``classify_tasks`` for one task with ``text`` as its progress."""
    tasks = pd.DataFrame(
        [
            {
                "task_id": "X",
                "section": "",
                "task": task,
                "leaders": "",
                "lead_units": "",
                "partner_units": "",
            }
        ]
    )
    progress = pd.DataFrame([{"task_id": "X", "reported_status": "", "progress": text}])
    subs = compute_subtargets(tasks, progress, months, S)
    next_year = year + 1 if year else None
    return classify_tasks(tasks, progress, subs, S, next_year=next_year, report_months=months).iloc[
        0
    ]
