"""Where a quarter's progress rows came from, and which text the office's status was judged on.

``progress.csv`` holds two things that look alike: the units' returns (written by
``workreport intake`` from the forms they filled in) and the office's own ledger (written by
``workreport import``). Two columns tell them apart, and both may be absent (files written
before they existed are read as they always were):

* ``source``: ``form`` (a unit's returned form) or ``ledger`` (the office's ledger). Empty or
  absent: not known, counted as a return, as before.
* ``judged_fingerprint``: the :func:`text_fingerprint` of the progress text the office's
  ``reported_status`` was set on (by ``review --apply``, or in the ledger next to its text).
  When a unit re-reports and the text changes, the status is kept but no longer sits on the
  text it was judged on: :func:`stale_judgements` names those tasks. Empty or absent: not known.
"""

from __future__ import annotations

import hashlib

import pandas as pd

SOURCE_COLUMN = "source"
FROM_FORM = "form"
FROM_LEDGER = "ledger"
JUDGED_COLUMN = "judged_fingerprint"


def text_fingerprint(progress: str) -> str:
    """A short fingerprint of a task's progress text (whitespace ignored).

    >>> text_fingerprint("已完成 3 个") == text_fingerprint("已完成3个")
    True
    """
    plain = "".join(str(progress or "").split())
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:12]


def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as plain strings ("" for an absent column or an empty cell)."""
    if column not in frame.columns:
        return [""] * len(frame)
    return ["" if pd.isna(v) else str(v).strip() for v in frame[column].tolist()]


def returned_ids(progress: pd.DataFrame, forms_collected: bool | None = None) -> set[str]:
    """The tasks whose unit has returned its progress this quarter.

    A row returns its task when it holds progress text, except the office's own ledger text
    (:func:`ledger_only_ids`) while the units return forms for the quarter: that text is the
    office's, and the unit is still to return. ``forms_collected`` says whether they do; by
    default, when some row came from a form. A quarter taken from the ledger alone has its
    ledger text as the quarter's progress.

    >>> rows = pd.DataFrame({"task_id": ["T1", "T2", "T3"], "progress": ["已完成", "", "已开工"],
    ...                      "source": ["form", "form", "ledger"]})
    >>> sorted(returned_ids(rows)), sorted(returned_ids(rows.assign(source="ledger")))
    (['T1'], ['T1', 'T3'])
    """
    ledger = ledger_only_ids(progress, forms_collected)
    return {
        str(t)
        for t, text in zip(progress["task_id"].tolist(), _cells(progress, "progress"), strict=True)
        if text and str(t) not in ledger
    }


def ledger_only_ids(progress: pd.DataFrame, forms_collected: bool | None = None) -> set[str]:
    """The tasks whose only text is the office's ledger while the units return forms: not
    returned by their unit, though the report keeps the ledger's text (see :func:`returned_ids`).
    """
    sources = _cells(progress, SOURCE_COLUMN)
    if forms_collected is None:
        forms_collected = FROM_FORM in sources
    if not forms_collected:
        return set()
    return {
        str(t)
        for t, text, source in zip(
            progress["task_id"].tolist(), _cells(progress, "progress"), sources, strict=True
        )
        if text and source == FROM_LEDGER
    }


def stale_judgements(progress: pd.DataFrame, statuses: tuple[str, ...]) -> list[str]:
    """Tasks whose status (one of ``statuses``) was judged on a progress text since replaced.

    >>> rows = pd.DataFrame({"task_id": ["T1", "T2", "T3"],
    ...                      "reported_status": ["正常推进", "正常推进", ""],
    ...                      "progress": ["新的进展", "原进展", "新的进展"],
    ...                      "judged_fingerprint": [text_fingerprint("原进展")] * 3})
    >>> stale_judgements(rows, ("正常推进", "推进较为滞后"))
    ['T1']
    """
    if JUDGED_COLUMN not in progress.columns:
        return []
    return [
        str(t)
        for t, status, text, judged in zip(
            progress["task_id"].tolist(),
            _cells(progress, "reported_status"),
            _cells(progress, "progress"),
            _cells(progress, JUDGED_COLUMN),
            strict=True,
        )
        if status in statuses and judged and judged != text_fingerprint(text)
    ]
