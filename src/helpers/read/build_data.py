"""Build the pack's data tables from the raw report text, reproducibly.

``workreport build-data`` runs this. The output is byte-for-byte the same on every run, so the
committed CSVs can be checked against a rebuild.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.core.messages import say
from helpers.core.vocab import TaskStatus
from helpers.core.writing import write_csv, write_json
from helpers.read.quantities import read_indicator_progress
from helpers.read.source_reader import ParsedReport, Row, parse_report, split_people, split_units

LIST_SEP = ";"  # separates names inside one CSV cell (leaders, units)

REPORTED_STATUS = {"lagging": TaskStatus.LAGGING.value, "normal": TaskStatus.NORMAL.value}
ANNEX_NAME = {"lagging": "附件2", "normal": "附件3"}


def _task_rows(rows: list[Row], annex: str, path: str) -> list[dict]:
    """Turn the rows of 附件2 or 附件3 into task records, filling merged sections down."""
    out: list[dict] = []
    section = ""
    for k, row in enumerate(rows, start=1):
        cells = row.cells
        if not row.merged and len(cells) == 7:
            _seq, sec, task, leaders, lead, partner, progress = cells
        elif row.merged and len(cells) == 6:
            sec, task, leaders, lead, partner, progress = cells
        elif row.merged and len(cells) == 5:
            sec = ""
            task, leaders, lead, partner, progress = cells
        else:
            raise DataError.at(
                path,
                say(
                    "source.bad_cells",
                    annex=ANNEX_NAME[annex],
                    k=k,
                    found=len(cells),
                    cells="｜".join(c[:12] for c in cells),
                ),
                row=row.line,
            )
        section = sec.replace("\n", "") or section
        if not section:
            raise DataError.at(path, say("source.no_section"), row=row.line, column="section")
        out.append(
            {
                "section": section,
                "task": task.replace("\n", ""),
                "leaders": LIST_SEP.join(split_people(leaders)),
                "lead_units": LIST_SEP.join(split_units(lead)),
                "partner_units": LIST_SEP.join(split_units(partner)),
                "progress": progress,
                "reported_status": REPORTED_STATUS[annex],
                "source_annex": ANNEX_NAME[annex],
                "source_row": k,
                "source_line": row.line,
            }
        )
    return out


def tables_from_report(parsed: ParsedReport, year: int, quarter: int) -> dict[str, pd.DataFrame]:
    """Build the register and progress tables from a parsed report.

    Returns
    -------
    dict of DataFrame
        ``indicators`` and ``tasks`` (the year's register), ``indicator_progress`` and
        ``progress`` (the quarter's returns).
    """
    ind_records, ind_progress = [], []
    for k, row in enumerate(parsed.indicators, start=1):
        if len(row.cells) != 5:
            raise DataError.at(
                parsed.path,
                say("source.bad_cells_annex1", k=k, found=len(row.cells)),
                row=row.line,
            )
        _seq, target, leaders, units, progress = row.cells
        iid = f"I{k:02d}"
        ind_records.append(
            {
                "indicator_id": iid,
                "target_text": target.replace("\n", ""),
                "leaders": LIST_SEP.join(split_people(leaders)),
                "lead_units": LIST_SEP.join(split_units(units)),
            }
        )
        read = read_indicator_progress(progress)
        ind_progress.append(
            {
                "indicator_id": iid,
                "progress": progress,
                "period": read["period"],
                "value": read["value"],
                "value_unit": read["value_unit"],
                "rank": read["rank"],
                "notes": read["notes"],
            }
        )
    tasks = _task_rows(parsed.lagging, "lagging", parsed.path) + _task_rows(
        parsed.normal, "normal", parsed.path
    )
    for k, t in enumerate(tasks, start=1):
        t["task_id"] = f"T{k:03d}"
    df_tasks = pd.DataFrame(tasks)
    register_cols = [
        "task_id",
        "section",
        "task",
        "leaders",
        "lead_units",
        "partner_units",
        "source_annex",
        "source_row",
        "source_line",
    ]
    progress_cols = ["task_id", "reported_status", "progress"]
    df_ind_progress = pd.DataFrame(ind_progress)
    df_ind_progress["rank"] = df_ind_progress["rank"].astype("Int64")
    return {
        "indicators": pd.DataFrame(ind_records),
        "tasks": df_tasks[register_cols],
        "indicator_progress": df_ind_progress,
        "progress": df_tasks[progress_cols],
    }


def stated_counts(body: str) -> dict:
    """Read the counts the report's body states, to check against the rows.

    The body is the office's hand-written summary; these numbers are what it *says*, not what
    the annexes hold. ``helpers.compute.checks`` compares the two.
    """

    def grab(pattern: str) -> int | None:
        m = re.search(pattern, body)
        return int(m.group(1)) if m else None

    missed_clause = re.search(r"(\d+)项指标不达预期，分别是：(.*?)；", body)
    named_missed = []
    if missed_clause:
        named_missed = [x.strip() for x in missed_clause.group(2).split("，") if x.strip()]
    lagging_part = body.split("推进较为滞后的", 1)[-1].split("附件：", 1)[0]
    lagging_named = re.findall(r"^\d+\.(.+?)$", lagging_part, flags=re.M)
    return {
        "indicators": grab(r"(\d+)项经济社会发展预期目标"),
        "indicators_met": grab(r"(\d+)项指标符合预期"),
        "indicators_missed": grab(r"(\d+)项指标不达预期"),
        "indicators_on_schedule": grab(r"(\d+)项指标符合时间节点要求"),
        "indicators_missed_named": named_missed,
        "tasks": grab(r"(\d+)项重点工作任务中"),
        "tasks_normal": grab(r"(\d+)项任务正常推进"),
        "tasks_lagging": grab(r"(\d+)项任务推进较为滞后"),
        "tasks_lagging_named": len(lagging_named),
    }


def build(
    raw: str | Path | None = None,
    data_dir: str | Path | None = None,
    year: int = 2022,
    quarter: int = 3,
) -> list[Path]:
    """Parse the raw report and write the register and the quarter's progress as CSV.

    Returns the paths written. Writes are atomic: a failure leaves the old files in place.
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    raw = Path(raw or data_dir / "raw" / paths.RAW_SOURCE_2022_Q3)
    parsed = parse_report(raw)
    tables = tables_from_report(parsed, year, quarter)
    ydir, qdir = paths.year_dir(data_dir, year), paths.quarter_dir(data_dir, year, quarter)
    written = [
        write_csv(tables["indicators"], ydir / "indicators.csv", bom=False),
        write_csv(tables["tasks"], ydir / "tasks.csv", bom=False),
        write_csv(tables["indicator_progress"], qdir / "indicator_progress.csv", bom=False),
        write_csv(tables["progress"], qdir / "progress.csv", bom=False),
    ]
    stated = stated_counts(parsed.body)
    stated["source"] = raw.name
    written.append(write_json(stated, qdir / "stated.json"))
    return written


def main_summary(written: list[Path]) -> str:
    """One line per file written, for the CLI."""
    return "\n".join(str(p) for p in written)


if __name__ == "__main__":  # pragma: no cover
    print(main_summary(build()))
    print(
        json.dumps(
            stated_counts(parse_report(paths.RAW_DIR / paths.RAW_SOURCE_2022_Q3).body),
            ensure_ascii=False,
        )
    )
