"""The Excel form the responsible units fill in each quarter, and reading the filled forms back.

``write_form`` writes one workbook (or one per lead unit) with the year's register pre-filled and
locked, and pale-yellow cells for the unit's figures and words. ``intake`` reads the returned
workbooks, checks every cell against the register and the rules in the form's own 填报说明, and
writes the quarter's ``progress.csv`` and ``returned_actuals.csv``: all or nothing by default.

The form lists the same sub-targets, with the same numbers, as the engine judges: it reads them
with ``read_targets`` and the year's ``curation.csv`` (so a curated target such as T008's
全覆盖 = 100% is asked for, and a dropped one is not).

Sheet protection has no password: it guards against slips, not against a determined user.
``intake`` compares every locked cell with the register, so an unprotected-and-edited form is
still caught.

The code lives in three modules: ``form_layout`` (columns, register rows, cell readers),
``form_write`` (the workbook) and ``intake`` (reading it back). This module keeps the old names.
"""

from __future__ import annotations

from helpers.cycle.form_layout import (
    COLUMNS,
    FORM_MARKER,
    FORM_SHEET,
    FORM_VERSION,
    GUIDE_SHEET,
    META_SHEET,
    NO_SUBTARGET,
    STATUS_WORDS,
    FormRegister,
    form_rows,
    lead_units,
    load_register,
    register_fingerprint,
)
from helpers.cycle.form_write import build_workbook, write_form
from helpers.cycle.intake import IntakeResult, intake, parse_period, read_workbook

__all__ = [
    "COLUMNS",
    "FORM_MARKER",
    "FORM_SHEET",
    "FORM_VERSION",
    "GUIDE_SHEET",
    "META_SHEET",
    "NO_SUBTARGET",
    "STATUS_WORDS",
    "FormRegister",
    "IntakeResult",
    "build_workbook",
    "form_rows",
    "intake",
    "lead_units",
    "load_register",
    "parse_period",
    "read_workbook",
    "register_fingerprint",
    "write_form",
]
