"""Benchmark the pack on this machine and quote every figure as a ratio within one run.

The machine is small and shared (2 cores, other jobs coming and going), so seconds on their own
mean little from one day to the next. Every figure that matters is a ratio between two things
timed in the same run:

1. **Engine scaling**: synthetic registers (1k, 10k, 100k tasks) through ``analyse`` against the
   floor of reading the same CSV files with pandas; the factor from one size to the next (10× the
   tasks in about 10× the time is linear). The engine times its own steps
   (``Analysis.timings``), so a renamed step cannot silently drop out of the table. The engine
   reads each distinct text once, and a synthetic register repeats the real texts
   (``synthetic.build_register``): the table says how many distinct task texts, progress texts
   and (task, progress) pairs each size has, that is, how much reading the figures include.
2. **Kernel floor**: ``workreport run`` for 2022 Q3 with ``--jobs 1`` against as many empty
   notebooks through papermill, in rounds taking turns (median of the rounds' ratios): how much
   of a run is the report's own work.
3. **HTML size** of that report, page by page.
4. **Parallel runs**: the same districts × quarters with ``--jobs 1`` and ``--jobs 2``, taking
   turns so that load from other jobs falls on both alike.

``make bench`` or ``.venv/bin/python benchmarks/run.py [--quick] [--parts engine kernel parallel]``.
Results: ``benchmarks/results/<timestamp>.json`` (git-ignored). Exit status 1 if any run failed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import (
    DATA_DIR,
    REAL_QUARTER,
    ROOT,
    YEAR,
    build_district,
    build_register,
    read_real,
)

RESULTS_DIR = Path(__file__).resolve().parent / "results"
N_NOTEBOOKS = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
RESULT_MARK = "BENCH_RESULT "


def parse_size(text: str) -> int:
    """``10k`` → 10000.

    >>> parse_size("10k"), parse_size("2500")
    (10000, 2500)
    """
    text = text.strip().lower()
    try:
        return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not like 1000 or 10k") from None


def label(n: int) -> str:
    """``100000`` → ``100k``.

    >>> label(100000), label(2500)
    ('100k', '2500')
    """
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: the first column left-aligned, figures right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(widths[i]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(values)
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, cells)])


def workreport() -> str:
    """The pack's console script beside this interpreter."""
    return str(Path(sys.executable).parent / "workreport")


# --------------------------------------------------------------------------------------------
# 1. Engine scaling (each size in a child process, so memory and caches start clean)
# --------------------------------------------------------------------------------------------
def engine_child(data_dir: str, repeats: int) -> None:
    """Time the read floor and ``analyse`` on one data folder; print one JSON line."""
    from helpers.compute.engine import analyse

    analyse(YEAR, REAL_QUARTER, DATA_DIR)  # warm-up: imports, regex compiles, settings
    files = [p for p in Path(data_dir).rglob("*.csv")]
    reads, walls, steps = [], [], []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for path in files:
            pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        reads.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        analysis = analyse(YEAR, REAL_QUARTER, data_dir)
        walls.append(time.perf_counter() - start)
        steps.append(analysis.timings)
    best = walls.index(min(walls))
    result = {
        "read_seconds": min(reads),
        "engine_seconds": walls[best],
        "steps": steps[best],
        "tasks": len(analysis.tasks),
        "subtargets": len(analysis.subtargets),
        **distinct_texts(analysis.data.tasks, analysis.data.progress),
    }
    print(RESULT_MARK + json.dumps(result), flush=True)


def distinct_texts(tasks: pd.DataFrame, progress: pd.DataFrame) -> dict[str, int]:
    """How many distinct task texts, progress texts and (task, progress) pairs a register has:
    the texts the engine reads (each distinct one once).

    >>> t = pd.DataFrame({"task_id": ["A", "B", "C"], "task": ["x", "x", "y"]})
    >>> p = pd.DataFrame({"task_id": ["A", "B", "C"], "progress": ["1", "2", "1"]})
    >>> distinct_texts(t, p)
    {'distinct_tasks': 2, 'distinct_progress': 2, 'distinct_pairs': 3}
    """
    pairs = tasks[["task_id", "task"]].merge(progress[["task_id", "progress"]], on="task_id")
    return {
        "distinct_tasks": int(tasks["task"].nunique()),
        "distinct_progress": int(progress["progress"].nunique()),
        "distinct_pairs": len(pairs[["task", "progress"]].drop_duplicates()),
    }


def bench_engine(sizes: list[int], repeats: int, timeout: float, work: Path, failures: list[str]):
    real = read_real()
    results = []
    for n in sizes:
        data = work / f"engine-{label(n)}"
        build_register(data, n, real)
        print(f"  engine at {label(n)} tasks …", flush=True)
        code = f"import run; run.engine_child({str(data)!r}, {repeats})"
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code],
                cwd=Path(__file__).parent,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"engine at {label(n)}: stopped after {timeout:.0f} s")
            results.append({"tasks": n, "stopped": True})
            continue
        lines = [x for x in proc.stdout.splitlines() if x.startswith(RESULT_MARK)]
        if proc.returncode or not lines:
            failures.append(f"engine at {label(n)}: exit {proc.returncode}: {proc.stderr[-400:]}")
            results.append({"tasks": n, "failed": True})
            continue
        results.append({"size": n, **json.loads(lines[0][len(RESULT_MARK) :])})
    return results


def engine_text(results: list[dict]) -> str:
    done = [r for r in results if "engine_seconds" in r]
    rows = []
    for i, r in enumerate(done):
        prev = done[i - 1] if i else None
        scale = r["engine_seconds"] / prev["engine_seconds"] if prev else None
        rows.append(
            [
                label(r["size"]),
                f"{r['read_seconds']:.3f}",
                f"{r['engine_seconds']:.3f}",
                f"{r['engine_seconds'] / r['read_seconds']:.1f}×",
                f"{scale:.1f}× for {r['size'] / prev['size']:.0f}× tasks" if prev else "–",
                *(str(r.get(k, "?")) for k in ("distinct_tasks", "distinct_progress")),
                str(r.get("distinct_pairs", "?")),
            ]
        )
    heads = ["tasks", "read s", "engine s", "engine/read", "scaling"]
    heads += ["distinct task texts", "progress texts", "pairs"]
    out = table(heads, rows)
    out += (
        "\n(Each distinct text is read once: the figures hold for a register that repeats its"
        " texts this much.)"
    )
    if done:
        names = list(done[-1]["steps"])
        step_rows = [[s, *(f"{r['steps'].get(s, 0):.3f}" for r in done)] for s in names]
        for a, b in pairwise(done):
            for row, s in zip(step_rows, names, strict=True):
                before = a["steps"].get(s) or float("nan")
                row.append(f"{b['steps'].get(s, 0) / before:.1f}×")
        heads = [label(r["size"]) + " s" for r in done]
        heads += [f"{label(a['size'])}→{label(b['size'])}" for a, b in pairwise(done)]
        out += "\n\nEngine steps (Analysis.timings)\n" + table(["step", *heads], step_rows)
    return out


# --------------------------------------------------------------------------------------------
# 2. Kernel floor and 3. HTML size
# --------------------------------------------------------------------------------------------
def empty_notebook(path: Path) -> Path:
    """A notebook with a ``parameters`` cell and one trivial cell: the floor."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n: int = 0")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def bench_kernel_floor(
    work: Path, failures: list[str], rounds: int = 3
) -> tuple[dict, Path | None]:
    """``workreport run --jobs 1`` against six empty notebooks, in ``rounds`` rounds taking turns
    (run then floor, then floor then run, …), so that load from other jobs falls on both alike.

    The figure is the median of the rounds' ratios; each round's seconds are kept.
    """
    import papermill as pm

    floor = work / "floor"
    floor.mkdir()
    nb = empty_notebook(floor / "empty.ipynb")

    def run_once(k: int) -> tuple[float, Path | None]:
        out = work / f"report-2022-Q3-{k}"
        cmd = [workreport(), "run", "--year", str(YEAR), "--quarter", str(REAL_QUARTER)]
        cmd += ["--data-dir", str(DATA_DIR), "--jobs", "1", "--no-progress", "--out", str(out)]
        cpu = cpu_seconds()
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        cpus.append(cpu_seconds() - cpu)
        if proc.returncode != 0 or not (out / "index.html").is_file():
            failures.append(f"workreport run: exit {proc.returncode}: {proc.stderr[-400:]}")
            return seconds, None
        return seconds, out

    def floor_once(k: int) -> float:
        cpu = cpu_seconds()
        try:
            return floor_notebooks(k)
        finally:
            floor_cpus.append(cpu_seconds() - cpu)

    def floor_notebooks(k: int) -> float:
        start = time.perf_counter()
        for i in range(N_NOTEBOOKS):
            pm.execute_notebook(
                str(nb),
                str(floor / f"out-{k}-{i}.ipynb"),
                parameters={"n": i},
                kernel_name="python3",
                progress_bar=False,
                cwd=str(floor),
                request_save_on_cell_execute=False,
            )
        return time.perf_counter() - start

    # Not timed: papermill's own first import and kernel-spec lookup in this process, which
    # would otherwise fall on the first floor alone (it made that floor about 3 s slower).
    pm.execute_notebook(
        str(nb), str(floor / "warm-up.ipynb"), kernel_name="python3", progress_bar=False,
        cwd=str(floor), request_save_on_cell_execute=False,
    )  # fmt: skip
    runs, floors, report = [], [], None
    cpus: list[float] = []  # CPU seconds of every process of a run, and of a floor
    floor_cpus: list[float] = []
    for k in range(rounds):
        print(f"  round {k + 1}/{rounds}: workreport run --jobs 1 and {N_NOTEBOOKS} empty "
              "notebooks …", flush=True)  # fmt: skip
        if k % 2:
            floors.append(floor_once(k))
            seconds, out = run_once(k)
        else:
            seconds, out = run_once(k)
            floors.append(floor_once(k))
        runs.append(seconds)
        report = out or report
    ratios = sorted(r / f for r, f in zip(runs, floors, strict=True))
    median = ratios[len(ratios) // 2]
    cpu_ratios = sorted(r / f for r, f in zip(cpus, floor_cpus, strict=True))
    result = {
        "rounds": [
            {"run_seconds": r, "floor_seconds": f, "run_cpu_seconds": rc, "floor_cpu_seconds": fc}
            for r, f, rc, fc in zip(runs, floors, cpus, floor_cpus, strict=True)
        ],
        "ratios": ratios,
        "run_over_floor": median,
        "cpu_run_over_floor": cpu_ratios[len(cpu_ratios) // 2],
        "run_seconds": sorted(runs)[len(runs) // 2],
        "floor_seconds": sorted(floors)[len(floors) // 2],
        "own_work_share": 1 - 1 / median,
    }
    return result, report


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and by every child process it has waited for
    (a run's workers and kernels, a floor's kernels)."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def html_sizes(report: Path) -> dict:
    pages = {p.name: round(p.stat().st_size / 1024, 1) for p in sorted(report.glob("*.html"))}
    return {"pages_kb": pages, "html_total_kb": round(sum(pages.values()), 1)}


# --------------------------------------------------------------------------------------------
# 4. Parallel runs
# --------------------------------------------------------------------------------------------
def bench_parallel(n: int, quarters: list[int], work: Path, failures: list[str]) -> dict:
    seconds = {1: 0.0, 2: 0.0}
    for i in range(n):
        district = build_district(work / "districts" / f"d{i + 1:02d}", quarters)
        for jobs in (1, 2) if i % 2 == 0 else (2, 1):
            reports = work / f"reports-jobs{jobs}-d{i + 1:02d}"
            cmd = [workreport(), "run", "--data-dir", str(district), "--year", str(YEAR)]
            cmd += ["--quarter", *map(str, quarters), "--jobs", str(jobs), "--no-progress"]
            env = {**os.environ, "WORKREPORT_REPORTS_DIR": str(reports)}
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
            seconds[jobs] += time.perf_counter() - start
            if proc.returncode:
                failures.append(f"d{i + 1} --jobs {jobs}: exit {proc.returncode}")
        print(f"    district {i + 1}/{n} done", flush=True)
    runs = n * len(quarters)
    return {"quarter_runs": runs, **{f"jobs{j}_seconds": s for j, s in seconds.items()},
            "speedup": seconds[1] / seconds[2]}  # fmt: skip


# --------------------------------------------------------------------------------------------
#: Pages allowed to be larger than PAGE_LIMIT_KB: the annex and the single-file report.
LARGE_PAGES = ("04_annexes.html", "report.html")
PAGE_LIMIT_KB = 300
TOTAL_LIMIT_KB = 2048


def goal_rows(res: dict) -> list[list[str]]:
    """Each figure issue 14 sets a goal for, as measured in this run (only the parts run)."""
    rows = []
    if "kernel_floor" in res:
        k = res["kernel_floor"]["run_over_floor"]
        rows.append(["run ÷ floor", f"{k:.2f}×", "≤ 1.5×", "yes" if k <= 1.5 else "no"])
    if "html" in res:
        total = res["html"]["html_total_kb"]
        ok = total <= TOTAL_LIMIT_KB
        rows.append(["HTML total", f"{total:.0f} KB", "≤ 2048 KB", "yes" if ok else "no"])
        for page, kb in res["html"]["pages_kb"].items():
            if page not in LARGE_PAGES:
                ok = kb <= PAGE_LIMIT_KB
                rows.append([page, f"{kb:.0f} KB", "≤ 300 KB", "yes" if ok else "no"])
    done = {r["size"]: r for r in res.get("engine", []) if "engine_seconds" in r}
    if 100_000 in done:
        r = done[100_000]
        ratio = r["engine_seconds"] / r["read_seconds"]
        rows.append(
            ["engine 100k ÷ read", f"{ratio:.1f}×", "≤ 10×", "yes" if ratio <= 10 else "no"]
        )
        if 10_000 in done:
            scale = r["engine_seconds"] / done[10_000]["engine_seconds"]
            rows.append(["10k → 100k", f"{scale:.1f}×", "≤ 11×", "yes" if scale <= 11 else "no"])
    if "parallel" in res:
        rows.append(
            ["--jobs 2 speed-up", f"{res['parallel']['speedup']:.2f}×", "(2 cores: ≤ 2×)", "–"]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k; 1 district × Q2, Q3")
    parser.add_argument("--sizes", nargs="+", type=parse_size, default=[1000, 10_000, 100_000])
    parser.add_argument("--parts", nargs="+", default=["engine", "kernel", "parallel"])
    parser.add_argument("--districts", type=int, default=2)
    parser.add_argument("--quarters", nargs="+", type=int, default=[1, 2, 3, 4])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--kernel-rounds", type=int, default=5)
    parser.add_argument("--engine-timeout", type=float, default=600)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.districts, args.quarters = [1000, 10_000], 1, [2, 3]
    failures: list[str] = []
    res: dict = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average": list(os.getloadavg()),
    }
    text = []
    with tempfile.TemporaryDirectory(prefix="wr-bench-") as tmp:
        work = Path(tmp)
        if "engine" in args.parts:
            res["engine"] = bench_engine(
                args.sizes, args.repeats, args.engine_timeout, work, failures
            )
            text.append("Engine scaling (best of repeats)\n" + engine_text(res["engine"]))
        if "kernel" in args.parts:
            res["kernel_floor"], report = bench_kernel_floor(work, failures, args.kernel_rounds)
            k = res["kernel_floor"]
            rounds = "; ".join(
                f"{r['run_seconds']:.1f} s ÷ {r['floor_seconds']:.1f} s" for r in k["rounds"]
            )
            text.append(
                f"Kernel floor ({len(k['rounds'])} rounds taking turns: {rounds}): median "
                f"run ÷ {N_NOTEBOOKS} empty notebooks = {k['run_over_floor']:.2f}× (rounds: "
                + ", ".join(f"{x:.2f}×" for x in k["ratios"])
                + f"); the report's own work is {k['own_work_share']:.0%} of the run. In CPU "
                f"time (every process): run ÷ floor = {k['cpu_run_over_floor']:.2f}× ("
                + "; ".join(
                    f"{r['run_cpu_seconds']:.1f} s ÷ {r['floor_cpu_seconds']:.1f} s"
                    for r in k["rounds"]
                )
                + "): the run does more work than the floor and overlaps it on the free core"
            )
            if report is not None:
                res["html"] = html_sizes(report)
                pages = ", ".join(f"{p} {kb:.0f} KB" for p, kb in res["html"]["pages_kb"].items())
                text.append(f"HTML total {res['html']['html_total_kb']:.0f} KB: {pages}")
        if "parallel" in args.parts:
            p = res["parallel"] = bench_parallel(args.districts, args.quarters, work, failures)
            text.append(
                f"--jobs 2 over --jobs 1 across {p['quarter_runs']} quarter runs: "
                f"{p['speedup']:.2f}× ({p['jobs1_seconds']:.0f} s vs {p['jobs2_seconds']:.0f} s)"
            )
    goals = goal_rows(res)
    if goals:
        res["goals"] = goals
        text.append(
            "Against issue 14's goals\n" + table(["figure", "measured", "goal", "met"], goals)
        )
    res["failures"] = failures
    out = "\n\n".join(text + ([f"FAILED: {f}" for f in failures] if failures else []))
    print("\n" + out)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"{stamp}.json").write_text(
        json.dumps({**res, "text": out}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
