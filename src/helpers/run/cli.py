"""The ``workreport`` command: every thing the pack does, as subcommands.

Data errors print one clear message (file, row, column) and exit with status 2; a failed
notebook exits with status 1; no traceback is shown for a data error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.core import paths
from helpers.core.errors import DataError


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", default=str(paths.DATA_DIR), help="data folder (default: the pack's data/)"
    )


def _add_period(p: argparse.ArgumentParser, many: bool = False) -> None:
    if many:
        p.add_argument("--year", type=int, nargs="+", default=[2022], help="year(s), e.g. 2022")
        p.add_argument("--quarter", type=int, nargs="+", default=[3], help="quarter(s), 1-4")
    else:
        p.add_argument("--year", type=int, default=2022, help="year, e.g. 2022")
        p.add_argument("--quarter", type=int, default=3, help="quarter, 1-4")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="workreport",
        description="政府工作报告重点任务推进情况分析 — workreport-progress",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build-data", help="rebuild data/<year>/ CSVs from the raw report text")
    _add_common(p)
    _add_period(p)
    p.add_argument("--raw", default=None, help="raw report text (default: data/raw/…)")

    p = sub.add_parser("tables", help="compute and write the engine's CSV tables")
    _add_common(p)
    _add_period(p)
    p.add_argument("--settings", default="", help="settings TOML overriding the defaults")
    p.add_argument("--out", required=True, help="output folder")

    p = sub.add_parser(
        "extract", help="read targets and actuals from a CSV or Excel sheet of task/progress"
    )
    p.add_argument(
        "csv",
        help="a CSV (UTF-8) or .xlsx with a task column (task/工作任务/任务内容) and a progress "
        "column (progress/进展情况/完成情况/任务进展情况)",
    )
    p.add_argument("--sheet", default=None, help="Excel sheet name (default: the first)")
    p.add_argument("--quarter", type=int, default=3, help="quarter the progress covers, 1-4")
    p.add_argument("--out", default=None, help="write the result as CSV here (default: print)")

    p = sub.add_parser("run", help="run every notebook and render the report (HTML, Word)")
    _add_common(p)
    _add_period(p, many=True)
    p.add_argument("--settings", default="", help="settings TOML overriding the defaults")
    p.add_argument("--out", default=None, help="output folder (default: reports/<year>-Q<q>/)")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    p.add_argument("--notebooks-dir", default=str(paths.NOTEBOOKS_DIR), help=argparse.SUPPRESS)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = sub.add_parser("form", help="write the Excel form the units fill in")
    _add_common(p)
    _add_period(p)
    p.add_argument("--out", required=True, help="the .xlsx file (or folder with --per-unit)")
    p.add_argument("--per-unit", action="store_true", help="one workbook per lead unit")

    p = sub.add_parser("intake", help="read filled Excel forms into the quarter's progress data")
    _add_common(p)
    _add_period(p)
    p.add_argument("files", nargs="+", help="filled .xlsx workbooks")
    p.add_argument(
        "--partial",
        action="store_true",
        help="write the valid rows and list the rest (default: all or nothing)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except DataError as err:
        print(f"错误 / error: {err}", file=sys.stderr)
        return 2


def _dispatch(args) -> int:
    if args.command == "build-data":
        from helpers.read.build_data import build

        for path in build(args.raw, args.data_dir, args.year, args.quarter):
            print(path)
        return 0
    if args.command == "tables":
        from helpers.compute.engine import analyse
        from helpers.present.tables import write_tables

        analysis = analyse(args.year, args.quarter, args.data_dir, args.settings or None)
        for path in write_tables(analysis, args.out):
            print(path)
        return 0
    if args.command == "extract":
        from helpers.run.extract import extract_csv

        df = extract_csv(args.csv, args.quarter, args.sheet)
        if args.out:
            from helpers.core.writing import write_csv

            print(write_csv(df, args.out))
        else:
            print(df.to_csv(index=False), end="")
        return 0
    if args.command == "run":
        from helpers.run.batch import run_many

        return run_many(
            years=args.year,
            quarters=args.quarter,
            data_dir=Path(args.data_dir),
            out=Path(args.out) if args.out else None,
            jobs=args.jobs,
            timeout=args.timeout,
            settings_file=args.settings,
            notebooks_dir=Path(args.notebooks_dir),
            progress=not args.no_progress,
        )
    if args.command == "form":
        from helpers.cycle.forms import write_form

        for path in write_form(
            args.data_dir, args.year, args.quarter, Path(args.out), per_unit=args.per_unit
        ):
            print(path)
        return 0
    if args.command == "intake":
        from helpers.cycle.forms import intake

        try:
            result = intake(
                args.data_dir,
                args.year,
                args.quarter,
                [Path(f) for f in args.files],
                partial=args.partial,
            )
        except DataError as err:
            print(f"错误 / error: {err}", file=sys.stderr)
            print(
                "未写入任何文件 / nothing was written. 改正后重新收取，或加 --partial 先写入"
                "有效的报送并列出其余 / fix the forms and run again, or add --partial to write "
                "the valid returns and list the rest.",
                file=sys.stderr,
            )
            return 2
        print(result)
        return 0
    raise AssertionError(args.command)  # pragma: no cover
