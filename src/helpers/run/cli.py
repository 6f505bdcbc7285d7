"""The ``workreport`` command: every thing the pack does, as subcommands.

Data errors print one clear message (file, row, column) and exit with status 2; a failed
notebook exits with status 1; no traceback is shown for a data error.
"""

from __future__ import annotations

import argparse
import errno
import gc
import sys
from pathlib import Path

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.core.messages import say


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", default=str(paths.DATA_DIR), help="数据文件夹（默认：本工具的 data/）"
    )


def _add_period(p: argparse.ArgumentParser, many: bool = False) -> None:
    if many:
        p.add_argument("--year", type=int, nargs="+", default=[2022], help="年度，可多个，如 2022")
        p.add_argument("--quarter", type=int, nargs="+", default=[3], help="季度 1-4，可多个")
    else:
        p.add_argument("--year", type=int, default=2022, help="年度，如 2022")
        p.add_argument("--quarter", type=int, default=3, help="季度 1-4")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="workreport",
        description="政府工作报告重点任务推进情况分析 — workreport-progress",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build-data", help="由原始报告文本重建 data/<年度>/ 下的 CSV")
    _add_common(p)
    _add_period(p)
    p.add_argument("--raw", default=None, help="原始报告文本（默认：data/raw/…）")

    p = sub.add_parser("tables", help="测算并输出数据表（CSV）")
    _add_common(p)
    _add_period(p)
    p.add_argument("--settings", default="", help="设置文件（TOML），覆盖默认的阈值、用语和名称")
    p.add_argument("--out", required=True, help="输出文件夹")

    p = sub.add_parser(
        "extract", help="从任务和进展文字（CSV 或 Excel）中读出目标值和完成值，附原文"
    )
    p.add_argument(
        "csv",
        help="CSV（UTF-8）或 .xlsx 文件，须有任务列（task/工作任务/任务内容）和进展列"
        "（progress/进展情况/完成情况/任务进展情况）",
    )
    p.add_argument("--sheet", default=None, help="Excel 工作表名（默认第一个）")
    p.add_argument("--quarter", type=int, default=3, help="进展所属季度 1-4")
    p.add_argument("--out", default=None, help="结果写入此 CSV 文件（默认直接显示）")

    p = sub.add_parser("run", help="运行全部分册，生成报告（HTML、Word）")
    _add_common(p)
    _add_period(p, many=True)
    p.add_argument("--settings", default="", help="设置文件（TOML），覆盖默认的阈值、用语和名称")
    p.add_argument("--out", default=None, help="输出文件夹（默认：reports/<年度>-Q<季度>/）")
    p.add_argument("--jobs", type=int, default=2, help="同时运行的分册数（默认 2）")
    p.add_argument(
        "--scheduler",
        default="",
        help="Dask 集群调度地址（tcp://主机:8786）：在该集群上运行，代替本机 --jobs 进程"
        "（需安装 .[distributed]）",
    )
    p.add_argument("--timeout", type=int, default=600, help="每个单元格允许的秒数")
    p.add_argument("--notebooks-dir", default=str(paths.NOTEBOOKS_DIR), help=argparse.SUPPRESS)
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")

    p = sub.add_parser("form", help="生成各单位填报用的 Excel 表")
    _add_common(p)
    _add_period(p)
    p.add_argument("--settings", default="", help="设置文件（TOML），覆盖默认的阈值、用语和名称")
    p.add_argument("--out", required=True, help=".xlsx 文件（加 --per-unit 时为文件夹）")
    p.add_argument("--per-unit", action="store_true", help="每个牵头单位一个工作簿")

    p = sub.add_parser(
        "review", help="督查办认定：生成认定表（--out），或把填好的认定表写入进展表（--apply）"
    )
    _add_common(p)
    _add_period(p)
    p.add_argument("--settings", default="", help="设置文件（TOML），覆盖默认的阈值、用语和名称")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", help="认定表 .xlsx 文件或文件夹")
    group.add_argument("--apply", help="填好的认定表 .xlsx")

    p = sub.add_parser("intake", help="收回各单位填好的 Excel 表，写入本季度进展")
    _add_common(p)
    _add_period(p)
    p.add_argument("--settings", default="", help="设置文件（TOML），覆盖默认的阈值、用语和名称")
    p.add_argument("files", nargs="+", help="填好的 .xlsx 工作簿")
    p.add_argument(
        "--partial",
        action="store_true",
        help="写入无误的行，列出其余（默认：有错则整批不写）",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="替换本季度此前收回的全部进展（默认：只替换本次报送涉及的任务，旧文件留作 .bak）",
    )

    p = sub.add_parser("init", help="新建一个督查办的数据文件夹和设置文件（名称）")
    p.add_argument("folder", help="要新建的数据文件夹")
    p.add_argument("--place", required=True, help="地名，如 苍南县")
    p.add_argument(
        "--kind", default="政府工作报告", help="报告类型：政府工作报告、民生实事 或 重点项目"
    )
    p.add_argument("--level", default="", help="区、县 或 市（默认取地名最后一个字）")
    p.add_argument("--year", type=int, default=2023, help="第一个年度")

    p = sub.add_parser("import", help="从督查办的 Word 表格或 Excel 台账导入任务台账和进展")
    _add_common(p)
    _add_period(p)
    p.add_argument("files", nargs="+", help=".docx 或 .xlsx 文件（内置区的 .txt 亦可）")
    p.add_argument("--replace", action="store_true", help="替换已有的台账和本季度进展")
    p.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="表头=列",
        help="本单位自己的表头，如 --column 备注=工作板块（可重复）",
    )
    return parser


def console() -> int:
    """The ``workreport`` program: :func:`main`, then the process ends.

    What is left when the command is done is freed by the exit itself; frozen, the garbage
    collector does not walk it once more on the way out (a quarter's run holds pandas, the
    Word and HTML libraries: about 0.3 s).
    """
    status = main()
    gc.freeze()
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except DataError as err:
        print(say("cli.error", error=err), file=sys.stderr)
        return 2
    except OSError as err:
        print(os_error_message(err), file=sys.stderr)
        return 2


_OS_REASONS = {
    errno.EACCES: "没有写入（或读取）权限",
    errno.EPERM: "操作不被允许（权限不足）",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EROFS: "只读的磁盘或文件夹",
    errno.ENOENT: "路径不存在",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EEXIST: "已存在同名文件",
}


def os_error_message(err: OSError) -> str:
    """One line for an operating-system failure: which path, why, and that nothing half-written
    was left (every write goes to a temporary file first)."""
    reason = _OS_REASONS.get(err.errno, err.strerror or type(err).__name__)
    where = err.filename if err.filename is not None else "?"
    if err.filename2 is not None:
        where = f"{where} -> {err.filename2}"
    return say("cli.os_error", where=where, reason=reason, detail=err.strerror or err)


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
        for path in write_tables(analysis, args.out, args.data_dir):
            print(path)
        return 0
    if args.command == "extract":
        from helpers.run.extract import extract_csv

        df = extract_csv(args.csv, args.quarter, args.sheet)
        if args.out:
            from helpers.run.extract import write_extract

            print(write_extract(df, args.out))
        else:
            from helpers.core.writing import neutralise_frame

            print(neutralise_frame(df).to_csv(index=False), end="")
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
            scheduler=args.scheduler,
        )
    if args.command == "form":
        from helpers.cycle.forms import write_form

        for path in write_form(
            args.data_dir,
            args.year,
            args.quarter,
            Path(args.out),
            per_unit=args.per_unit,
            settings_file=args.settings,
        ):
            print(path)
        return 0
    if args.command == "review":
        from helpers.cycle.review import apply_review, stale_tasks, write_review

        if args.out:
            path = write_review(
                args.data_dir, args.year, args.quarter, Path(args.out), args.settings or None
            )
            print(path)
            stale = stale_tasks(args.data_dir, args.year, args.quarter)
            if stale:
                print(say("review.out_recheck", count=len(stale), ids="、".join(stale)))
            print(
                say(
                    "cli.next_review",
                    folder=args.data_dir,
                    year=args.year,
                    quarter=args.quarter,
                    path=path,
                )
            )
            return 0
        done = apply_review(args.data_dir, args.year, args.quarter, Path(args.apply))
        stale = done["stale"]
        still = say("review.still_stale", count=len(stale), ids="、".join(stale)) if stale else ""
        if done["written"] is None:
            print(say("review.nothing", unchanged=done["unchanged"], blank=done["blank"]))
            if still:
                print(still)
            return 0
        print(
            say(
                "review.summary",
                year=args.year,
                quarter=args.quarter,
                path=done["written"],
                changed=len(done["changed"]),
                ids=f"（{'、'.join(done['changed'])}）" if done["changed"] else "",
                unchanged=done["unchanged"],
                blank=done["blank"],
                backup=done["backup"].name,
            )
        )
        if done["rejudged"]:
            rejudged = done["rejudged"]
            print(say("review.rejudged", count=len(rejudged), ids="、".join(rejudged)))
        if still:
            print(still)
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
                replace=args.replace,
                settings_file=args.settings,
            )
        except DataError as err:
            print(say("cli.error", error=err), file=sys.stderr)
            print(say("cli.intake_nothing_written"), file=sys.stderr)
            return 2
        print(result)
        return 0
    if args.command == "init":
        from helpers.run.init_office import init_office

        for path in init_office(args.folder, args.place, args.kind, args.level, args.year):
            print(path)
        print(say("cli.next_import", folder=args.folder, year=args.year))
        return 0
    if args.command == "import":
        if len(args.files) == 1 and args.files[0].lower().endswith(".txt"):
            from helpers.read.build_data import build

            for path in build(args.files[0], args.data_dir, args.year, args.quarter):
                print(path)
            return 0
        from helpers.read.importers import import_files

        columns = {}
        for item in args.column:
            header, sep, target = item.partition("=")
            if not sep or not header.strip() or not target.strip():
                raise DataError.at(
                    "parameters",
                    say("param.column_form", item=item),
                    column="column",
                )
            columns[header.strip()] = target.strip()
        result = import_files(
            args.files, args.data_dir, args.year, args.quarter, args.replace, columns
        )
        print(result)
        print(say("cli.next_run", folder=args.data_dir, year=args.year, quarter=args.quarter))
        return 0
    raise AssertionError(args.command)  # pragma: no cover
