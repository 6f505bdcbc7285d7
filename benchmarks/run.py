"""Benchmark the pack on this machine and quote every figure as a ratio within one run.

The machine the pack runs on is small and shared (2 cores, other jobs coming and going), so an
absolute number of seconds means little from one day to the next. Every figure that matters is
therefore a ratio between two things timed in the same run:

1. **Engine scaling.** Synthetic registers of 1k, 10k and 100k tasks, built from the real 2022
   rows, are timed through ``helpers.compute.engine.analyse`` and against the floor of reading the same
   CSV files with ``pandas.read_csv``: engine/read ratio, tasks per second, and the factor from
   one size to the next (10× the tasks taking close to 10× the time means linear).
2. **Kernel floor.** ``workreport run`` for 2022 Q3 with ``--jobs 1`` against six empty notebooks
   run through papermill one after the other: how much of a report run is the report's own work
   and how much is starting Jupyter kernels.
3. **Parallel runs.** A batch of synthetic districts × quarters run with ``--jobs 1`` and with
   ``--jobs 2``: the speed-up from running two notebooks at once.
4. **HTML size** of the report folder from step 2, page by page.

Run it with ``make bench`` or ``.venv/bin/python benchmarks/run.py [--quick]``; see
``benchmarks/README.md``. Results go to ``benchmarks/results/<timestamp>.json`` (git-ignored).
The script exits 1 if any run failed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
YEAR = 2022
REAL_QUARTER = 3
N_NOTEBOOKS = 6  # the report's notebooks; the kernel floor runs as many empty ones
RESULT_MARK = "BENCH_RESULT "  # prefix of the engine child's one line of JSON on stdout

# Arabic numerals that are quantities, not dates, periods, rankings, ids or document numbers:
# 2022年, 9月30日, 1-9月, 第4名, 〔2022〕25号, PM2.5, 5G and 2号楼 keep their digits, so that the
# synthetic text reads the same way as the real one (same targets, same actuals, other values).
NUMERAL = re.compile(
    r"(?<![\d.,A-Za-z第〔\[/#\-—~至])"
    r"(\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?![\d.,A-Za-z#]|\s*(?:年|月|日|号|时|〕|\]|[\-—~至]\s*\d))"
)


# --------------------------------------------------------------------------------------------
# Small utilities
# --------------------------------------------------------------------------------------------


def machine_facts() -> dict[str, Any]:
    """Describe the machine: cores, CPU model, Python, memory and current load."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": nproc,
        "cpu_model": model,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "platform": platform.platform(),
        "memory_gb": mem_gb,
        "loadavg_start": load_average(),
        "code_start": code_fingerprint(),
    }


def code_fingerprint() -> str:
    """Hash the pack's code and notebooks, to tell which version of them a result measured.

    Taken at the start and the end of a run: if they differ, the code changed while it ran.
    """
    import hashlib

    digest = hashlib.sha256()
    files = [
        *sorted((ROOT / "src" / "helpers").rglob("*")),
        *sorted((ROOT / "notebooks").glob("*.ipynb")),
    ]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_average() -> list[float]:
    """Return the 1, 5 and 15 minute load averages (how busy the shared machine is)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def parse_size(text: str) -> int:
    """Parse a register size such as ``1000``, ``10k`` or ``0.5k``.

    >>> parse_size("10k"), parse_size("2500")
    (10000, 2500)
    """
    text = text.strip().lower()
    try:
        if text.endswith("k"):
            return int(float(text[:-1]) * 1000)
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not like 1000 or 10k") from None


def size_label(n: int) -> str:
    """Label a size as people say it: ``1k``, ``100k``, ``2500``.

    >>> size_label(100000), size_label(2500)
    ('100k', '2500')
    """
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def best_of(func: Callable[[], object], repeats: int) -> float:
    """Time ``func`` ``repeats`` times and return the fastest wall-clock time in seconds."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def folder_kb(folder: Path) -> float:
    """Return the total size of the files under ``folder`` in KB (1 KB = 1024 bytes)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024


def workreport_command() -> Path:
    """Return the ``workreport`` console script of the pack's virtual environment."""
    for candidate in (
        ROOT / ".venv" / "bin" / "workreport",
        Path(sys.executable).parent / "workreport",
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("no workreport console script in .venv/bin; run `make venv` first")


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Lay out rows as a plain-text table: row names on the left, figures on the right."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]

    def line(values: Sequence[str]) -> str:
        # The first column names the row; the others hold figures, aligned on the right.
        return "  ".join(
            v.ljust(widths[i]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(values)
        ).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(c) for c in cells)])


def fmt_ratio(value: float | None, digits: int = 1) -> str:
    """Format a ratio as ``12.3×``; a dash when it could not be measured."""
    return "–" if value is None else f"{value:.{digits}f}×"


def fmt_seconds(value: float | None) -> str:
    """Format seconds with a precision that suits their size; a dash when not measured."""
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


# --------------------------------------------------------------------------------------------
# Synthetic data
# --------------------------------------------------------------------------------------------


def vary_numbers(text: str, factor: float) -> str:
    """Multiply the quantities written in Arabic numerals in ``text`` by ``factor``.

    Whole numbers stay whole (and a non-zero one stays at least 1); decimals keep their places.
    Dates, periods, rankings and document numbers are left alone (see ``NUMERAL``).

    >>> vary_numbers("新建30个社区健身点，1-9月完成20个（第4名），2022年", 1.1)
    '新建33个社区健身点，1-9月完成22个（第4名），2022年'
    >>> vary_numbers("增长5.5%，完成1,000万元", 2)
    '增长11.0%，完成2000万元'
    """

    def scale(match: re.Match[str]) -> str:
        plain = match.group(1).replace(",", "")
        value = float(plain) * factor
        if "." in plain:
            return f"{value:.{len(plain.split('.')[1])}f}"
        if float(plain) == 0:
            return plain
        return str(max(1, round(value)))

    return NUMERAL.sub(scale, text)


def row_factor(i: int) -> float:
    """A per-row factor between 1.01 and 1.23, the same for a task's target and its progress.

    >>> row_factor(0), row_factor(1)
    (1.01, 1.15)
    """
    return 1 + ((i * 37) % 23 + 1) / 100


def read_real(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Read the real 2022 register, its Q3 progress and its curation, all as strings."""
    ydir = data_dir / str(YEAR)
    qdir = ydir / f"Q{REAL_QUARTER}"

    def read(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")

    real = {
        "tasks": read(ydir / "tasks.csv"),
        "indicators": read(ydir / "indicators.csv"),
        "progress": read(qdir / "progress.csv"),
        "indicator_progress": read(qdir / "indicator_progress.csv"),
    }
    curation = ydir / "curation.csv"
    real["curation"] = read(curation) if curation.is_file() else pd.DataFrame()
    return real


def build_register(
    dest: Path, n_tasks: int, real: dict[str, pd.DataFrame], with_curation: bool = True
) -> dict[str, Path]:
    """Write a synthetic register of ``n_tasks`` tasks with Q3 progress for every one.

    Rows cycle through the real tasks and their progress texts; task ids are ``T000001``…;
    the quantities in each row's task and progress texts are multiplied by ``row_factor`` so
    that no two copies of a text are the same. The 10 real indicators and their Q3 progress
    are copied as they are. The real curation rows are copied for each copy of their task
    (values verbatim: they only need to exist for the engine to apply them), because a real
    register of any size has its curation. No ``stated.json``: its counts are the real report's.

    Parameters
    ----------
    dest : Path
        The data folder to create (``dest/2022/…``).
    n_tasks : int
        Number of tasks.
    real : dict of DataFrame
        The real tables, from ``read_real``.
    with_curation : bool
        Write ``curation.csv`` (default True).

    Returns
    -------
    dict of Path
        The CSV files written, by kind: the files the read floor reads.
    """
    tasks, progress = real["tasks"], real["progress"].set_index("task_id")
    width = max(6, len(str(n_tasks)))
    ids = [f"T{i + 1:0{width}d}" for i in range(n_tasks)]
    source = [tasks.iloc[i % len(tasks)] for i in range(n_tasks)]
    factors = [row_factor(i) for i in range(n_tasks)]
    new_tasks = pd.DataFrame([row for row in (r.to_dict() for r in source)])
    new_tasks["task_id"] = ids
    new_tasks["task"] = [vary_numbers(r["task"], f) for r, f in zip(source, factors, strict=True)]
    new_progress = pd.DataFrame(
        {
            "task_id": ids,
            "reported_status": [
                progress.at[r["task_id"], "reported_status"]
                if r["task_id"] in progress.index
                else ""
                for r in source
            ],
            "progress": [
                vary_numbers(progress.at[r["task_id"], "progress"], f)
                if r["task_id"] in progress.index
                else ""
                for r, f in zip(source, factors, strict=True)
            ],
        }
    )
    ydir = dest / str(YEAR)
    qdir = ydir / f"Q{REAL_QUARTER}"
    qdir.mkdir(parents=True)
    files = {
        "tasks": ydir / "tasks.csv",
        "indicators": ydir / "indicators.csv",
        "progress": qdir / "progress.csv",
        "indicator_progress": qdir / "indicator_progress.csv",
    }
    new_tasks.to_csv(files["tasks"], index=False)
    real["indicators"].to_csv(files["indicators"], index=False)
    new_progress.to_csv(files["progress"], index=False)
    real["indicator_progress"].to_csv(files["indicator_progress"], index=False)
    if with_curation and not real["curation"].empty:
        by_task = {k: g for k, g in real["curation"].groupby("task_id", sort=False)}
        parts = []
        for new_id, row in zip(ids, source, strict=True):
            rows = by_task.get(row["task_id"])
            if rows is not None:
                parts.append(rows.assign(task_id=new_id))
        if parts:
            files["curation"] = ydir / "curation.csv"
            pd.concat(parts, ignore_index=True).to_csv(files["curation"], index=False)
    return files


PERIOD = re.compile(r"(\d{1,2})-(\d{1,2})月")


def shift_periods(text: str, quarter: int) -> str:
    """Write the real Q3 text as if it were ``quarter``'s: ``1-9月`` becomes ``1-{3q}月``.

    A period that would end after the new quarter (``1-8月`` in a Q1 report) is cut to the
    quarter's end too: the loader rightly rejects a figure for months not yet over.

    >>> shift_periods("1-9月增长2.6%，1-8月排名第4，1-6月持平", 1)
    '1-3月增长2.6%，1-3月排名第4，1-3月持平'
    >>> shift_periods("1-9月增长2.6%，1-8月排名第4", 4)
    '1-12月增长2.6%，1-8月排名第4'
    """
    months = 3 * quarter
    text = text.replace("1-9月", f"1-{months}月")

    def cut(match: re.Match[str]) -> str:
        return match.group(0) if int(match.group(2)) <= months else f"1-{months}月"

    return PERIOD.sub(cut, text)


def build_district(dest: Path, quarters: Sequence[int], data_dir: Path = DATA_DIR) -> Path:
    """Copy the real data folder as one district, with progress for each of ``quarters``.

    A quarter other than Q3 gets the real Q3 progress with its periods shifted
    (``shift_periods``) and no ``stated.json`` (those counts are Q3's).

    Returns
    -------
    Path
        The district's data folder (pass it as ``--data-dir``).
    """
    shutil.copytree(data_dir / str(YEAR), dest / str(YEAR), ignore=shutil.ignore_patterns("Q[1-4]"))
    real_q = data_dir / str(YEAR) / f"Q{REAL_QUARTER}"
    for q in quarters:
        qdir = dest / str(YEAR) / f"Q{q}"
        qdir.mkdir(parents=True)
        if q == REAL_QUARTER:
            shutil.copytree(real_q, qdir, dirs_exist_ok=True)
            continue
        for name in ("progress.csv", "indicator_progress.csv"):
            text = (real_q / name).read_text(encoding="utf-8-sig")
            (qdir / name).write_text(shift_periods(text, q), encoding="utf-8")
    return dest


# --------------------------------------------------------------------------------------------
# 1. Engine scaling
# --------------------------------------------------------------------------------------------


def read_floor(files: dict[str, Path]) -> None:
    """Read the CSV files as plain strings: the least any engine must do with them."""
    for path in files.values():
        pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


# The engine's steps, timed one by one in the child by wrapping them where ``analyse`` looks them
# up (the engine itself is not changed). ``_apply_curation`` runs inside ``read_targets``.
STAGES: dict[str, tuple[str, ...]] = {
    "helpers.compute.engine": (
        "load_quarter",
        "load_curation",
        "load_trajectories",
        "load_returned",
        "read_targets",
        "compute_progress",
        "classify_indicators",
        "classify_tasks",
        "run_checks",
        "disagreements",
        "_sha256",
    ),
    "helpers.compute.targets": ("_apply_returned", "_apply_curation"),
}
SUB_STAGES = {"_apply_returned", "_apply_curation"}  # already counted in read_targets


def instrument_stages(
    times: dict[str, float], profiler: cProfile.Profile | None = None, profile_step: str = ""
) -> None:
    """Wrap the engine's steps so each adds its wall time to ``times`` and logs it to stderr.

    The log line (``STAGE name seconds``) is written as each step ends, so the parent can still
    tell how far a run got when it has to stop it. With ``profiler``, the profiler runs during
    ``profile_step`` only.
    """
    import importlib

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            if profiler is not None and name == profile_step:
                profiler.enable()
            try:
                return func(*args, **kwargs)
            finally:
                if profiler is not None and name == profile_step:
                    profiler.disable()
                spent = time.perf_counter() - start
                times[name] = times.get(name, 0.0) + spent
                print(f"STAGE {name} {spent:.4f}", file=sys.stderr, flush=True)

        return wrapper

    for module_name, names in STAGES.items():
        module = importlib.import_module(module_name)
        for name in names:
            func = getattr(module, name, None)
            if callable(func):  # a step renamed by a later version is simply not timed
                setattr(module, name, timed(name, func))


def engine_child(
    data_dir: Path, repeats: int, profile_out: Path | None, budget: int, profile_step: str
) -> int:
    """Time ``analyse`` on one data folder (runs in its own process); print one JSON line.

    With ``profile_out``, run once under cProfile (during ``profile_step`` only, if given) and
    stop after ``budget`` seconds if not done, so that a run too slow to wait for still says
    where its time goes.
    """
    import resource

    from helpers.compute.engine import analyse

    # Warm up on the real data so one-off costs (imports, settings, regex compiles) are not
    # charged to the first timed run; that matters when the largest size is timed once.
    analyse(YEAR, REAL_QUARTER, DATA_DIR)
    if profile_out is not None:
        return _profile_child(data_dir, profile_out, budget, profile_step)
    walls, cpus, stages = [], [], []
    stage_times: dict[str, float] = {}
    instrument_stages(stage_times)
    analysis = None
    for i in range(repeats):
        analysis = None
        stage_times.clear()
        gc.collect()
        print(f"RUN {i + 1}", file=sys.stderr, flush=True)
        wall, cpu = time.perf_counter(), time.process_time()
        analysis = analyse(YEAR, REAL_QUARTER, data_dir)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        stages.append(dict(stage_times))
    assert analysis is not None
    sub = analysis.subtargets
    best = walls.index(min(walls))
    result = {
        "seconds": walls,
        "cpu_seconds": cpus,
        "stages": stages[best],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "tasks": len(analysis.tasks),
        "subtargets": len(sub),
        "subtargets_with_actual": int(sub["actual"].notna().sum()),
        "subtargets_curated": int((sub["source"] == "curated").sum()),
        "checks": len(analysis.checks),
    }
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


class _BudgetSpent(Exception):
    """Raised by the alarm in a profiled run that has used its time budget."""


def _profile_child(data_dir: Path, profile_out: Path, budget: int, step: str) -> int:
    from helpers.compute.engine import analyse

    def on_alarm(signum: int, frame: object) -> None:
        raise _BudgetSpent

    profiler = cProfile.Profile()
    instrument_stages({}, profiler, step)
    signal.signal(signal.SIGALRM, on_alarm)
    finished = True
    start = time.perf_counter()
    signal.alarm(budget)
    if not step:
        profiler.enable()
    try:
        analyse(YEAR, REAL_QUARTER, data_dir)
    except _BudgetSpent:
        finished = False
    finally:
        profiler.disable()
        signal.alarm(0)
    profiler.dump_stats(profile_out)
    result = {"finished": finished, "seconds": time.perf_counter() - start}
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


def _run_child(args: list[str], timeout: float, log_dir: Path) -> tuple[dict | None, str, dict]:
    """Run this script as an engine child.

    Returns
    -------
    dict or None, str, dict
        The child's JSON result (None if it failed or ran out of time); an error message
        (``"timeout"`` when stopped); the steps it finished in its last run, with seconds.
    """
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    out_file, err_file = log_dir / "child.out", log_dir / "child.err"
    with out_file.open("w") as out, err_file.open("w") as err:
        try:
            proc = subprocess.run(
                cmd, stdout=out, stderr=err, text=True, timeout=timeout, cwd=ROOT, check=False
            )
            error = "" if proc.returncode == 0 else f"exit status {proc.returncode}"
        except subprocess.TimeoutExpired:  # run() has killed the child
            error = "timeout"
    stderr = err_file.read_text(errors="replace").splitlines()
    finished: dict[str, float] = {}
    for line in stderr:  # the steps of the last run only
        if line.startswith("RUN "):
            finished = {}
        elif line.startswith("STAGE "):
            _, name, seconds = line.split()
            finished[name] = finished.get(name, 0.0) + float(seconds)
    for line in out_file.read_text(errors="replace").splitlines():
        if line.startswith(RESULT_MARK) and not error:
            return json.loads(line[len(RESULT_MARK) :]), "", finished
    if error != "timeout":
        tail = [ln for ln in stderr if not ln.startswith(("STAGE ", "RUN "))]
        error = (tail[-1] if tail else error) or "no result"
    return None, error, finished


def top_functions(profile_file: Path, limit: int = 12) -> dict[str, list[dict]]:
    """The functions a profile spent most time in: by own time and by cumulative time."""
    stats = pstats.Stats(str(profile_file))
    total = stats.total_tt or 1.0
    rows = []
    for (filename, lineno, name), (_cc, ncalls, tottime, cumtime, _) in stats.stats.items():
        where = filename
        for marker, prefix in (
            ("/src/helpers/", "helpers/"),
            ("/site-packages/", ""),
            (f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/", ""),
        ):
            if marker in filename:
                where = prefix + filename.split(marker, 1)[1]
                break
        rows.append(
            {
                "function": f"{where}:{lineno}({name})",
                "calls": ncalls,
                "own_s": round(tottime, 3),
                "cum_s": round(cumtime, 3),
                "own_share": round(tottime / total, 3),
                "cum_share": round(cumtime / total, 3),
            }
        )
    by_own = sorted(rows, key=lambda r: r["own_s"], reverse=True)[:limit]
    by_cum = sorted(rows, key=lambda r: r["cum_s"], reverse=True)[:limit]
    return {"total_s": round(total, 3), "by_own_time": by_own, "by_cumulative_time": by_cum}


def choose_profile(results: list[dict], force: bool) -> tuple[dict, str, str] | None:
    """Pick what to profile: the step that scales worst, on the largest size that finished.

    Profiling happens when a size ran out of time or scaled worse than 1.5× linear (or when
    asked). The step whose time grew most between the last two finished sizes (among steps
    taking at least 5% of the larger run) is profiled on the larger of them: a finished run,
    profiled whole, says more than the first minutes of a run that would not end. With only
    one finished size, or when asked while everything scales linearly, the whole run of the
    largest finished size is profiled.

    Returns
    -------
    (row, step, reason) or None
        The size's result row, the step's name (``""`` for the whole run) and why.
    """
    ok = [r for r in results if r["status"] == "ok"]
    timed_out = [r["label"] for r in results if r["status"] == "timeout"]
    superlinear = [
        r["label"]
        for r in ok
        if r.get("tasks_factor") and r["engine_factor"] > 1.5 * r["tasks_factor"]
    ]
    if not (timed_out or superlinear or force) or not ok:
        return None
    why = (
        "; ".join(
            [
                *(f"{x} ran out of time" for x in timed_out),
                *(f"{x} scales worse than linearly" for x in superlinear),
            ]
        )
        or "asked for"
    )
    if len(ok) < 2 or not (timed_out or superlinear):
        return ok[-1], "", why
    small, large = ok[-2], ok[-1]
    growth = {
        name: large["stages"][name] / small["stages"][name]
        for name in large["stages"]
        if small["stages"].get(name, 0) > 0.001
        and large["stages"][name] >= 0.05 * large["engine_seconds"]
    }
    if not growth:
        return large, "", why
    step = max(growth, key=growth.__getitem__)
    tasks_factor = large["tasks"] / small["tasks"]
    why += (
        f"; {step} grew {growth[step]:.1f}× from {small['label']} to {large['label']} "
        f"({tasks_factor:.0f}× the tasks)"
    )
    return large, step, why


def bench_engine(
    sizes: Sequence[int],
    workdir: Path,
    repeats: int,
    timeout: int,
    profile_budget: int,
    force_profile: bool,
    with_curation: bool,
    failures: list[str],
) -> tuple[list[dict], dict | None]:
    """Time reading and analysing synthetic registers of each size; see the module docstring.

    A size is timed ``repeats`` times (best kept) unless the previous size predicts that would
    take over two minutes, then once. A run over ``timeout`` seconds is stopped. Then, if a size
    was stopped or scaled worse than linearly (or with ``force_profile``), one profile is taken
    (see ``choose_profile``), for at most ``profile_budget`` seconds.

    Returns
    -------
    list of dict, dict or None
        One result per size, and the profile (if one was taken).
    """
    real = read_real()
    results: list[dict] = []
    profile: dict | None = None
    previous: dict | None = None  # the last size that finished
    for n in sorted(sizes):
        data_dir = workdir / f"register-{size_label(n)}"
        t0 = time.perf_counter()
        files = build_register(data_dir, n, real, with_curation)
        built = time.perf_counter() - t0
        row: dict[str, Any] = {
            "tasks": n,
            "label": size_label(n),
            "build_seconds": built,
            "files_kb": round(sum(p.stat().st_size for p in files.values()) / 1024, 1),
        }
        n_repeats = repeats
        if previous and previous.get("engine_seconds"):
            predicted = previous["engine_seconds"] * n / previous["tasks"]
            if predicted * repeats > 120:
                n_repeats = 1
        row["repeats"] = n_repeats
        row["repeats_cut"] = n_repeats < repeats
        row["read_seconds"] = best_of(lambda files=files: read_floor(files), n_repeats)
        print(
            f"  engine {size_label(n):>5}: built in {built:.1f}s, read floor "
            f"{row['read_seconds']:.3f}s, analysing ×{n_repeats} …",
            flush=True,
        )
        # The child gets 30 s more than the runs for its start-up and warm-up run.
        result, err, stages = _run_child(
            ["--engine-child", str(data_dir), "--repeats", str(n_repeats)],
            timeout=timeout * n_repeats + 30,
            log_dir=workdir,
        )
        if previous:
            row["scale_from"] = previous["label"]
            row["tasks_factor"] = n / previous["tasks"]
            row["read_factor"] = row["read_seconds"] / previous["read_seconds"]
        if result is None:
            row["status"] = "timeout" if err == "timeout" else "failed"
            row["stages"] = stages
            if err == "timeout":
                main_stages = [s for s in STAGES["helpers.compute.engine"] if s not in SUB_STAGES]
                running = next((s for s in main_stages if s not in stages), "?")
                row["stopped_in"] = running
                row["error"] = f"over {timeout}s; stopped in {running}"
                # What a stopped run still tells: its time is at least the timeout.
                row["engine_seconds_over"] = timeout
                if previous:
                    row["engine_factor_over"] = timeout / previous["engine_seconds"]
            else:
                row["error"] = err
                failures.append(f"engine {size_label(n)}: {err}")
            print(f"           {row['status']}: {row['error']}", flush=True)
        else:
            row.update(
                {
                    "status": "ok",
                    "engine_seconds": min(result["seconds"]),
                    "engine_all_seconds": result["seconds"],
                    "engine_cpu_seconds": min(result["cpu_seconds"]),
                }
            )
            for key in (
                "subtargets",
                "subtargets_with_actual",
                "subtargets_curated",
                "checks",
                "stages",
                "peak_rss_mb",
            ):
                row[key] = result[key]
            row["engine_over_read"] = row["engine_seconds"] / row["read_seconds"]
            row["tasks_per_second"] = n / row["engine_seconds"]
            row["cpu_over_wall"] = row["engine_cpu_seconds"] / row["engine_seconds"]
            if previous:
                row["engine_factor"] = row["engine_seconds"] / previous["engine_seconds"]
            print(f"           {row['engine_seconds']:.2f}s", flush=True)
        results.append(row)
        if row["status"] == "ok":
            previous = row
    choice = choose_profile(results, force_profile)
    if choice is not None:
        target, step, why = choice
        what = f"step {step}" if step else "the whole run"
        print(
            f"  profiling {target['label']}, {what} ({why}), for up to {profile_budget}s …",
            flush=True,
        )
        prof_file = workdir / f"engine-{target['label']}.prof"
        args = [
            "--engine-child",
            str(workdir / f"register-{target['label']}"),
            "--profile-out",
            str(prof_file),
            "--profile-seconds",
            str(profile_budget),
        ]
        presult, perr, _ = _run_child(
            [*args, "--profile-step", step] if step else args,
            timeout=profile_budget + 120,
            log_dir=workdir,
        )
        if presult is None or not prof_file.is_file():
            failures.append(f"profile {target['label']}: {perr}")
        else:
            profile = {
                "tasks": target["tasks"],
                "step": step,
                "reason": why,
                "finished": presult["finished"],
                "seconds": presult["seconds"],
                **top_functions(prof_file),
            }
    return results, profile


# --------------------------------------------------------------------------------------------
# 2. Kernel floor, 4. HTML size
# --------------------------------------------------------------------------------------------


@contextmanager
def stderr_to(log: Path) -> Iterator[None]:
    """Send this process's stderr (file descriptor 2, which kernels inherit) to ``log``.

    The kernels papermill starts print transport warnings there; they would bury the progress
    lines. The batch driver does the same for its notebooks.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as f:
        os.dup2(f.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def empty_notebook(path: Path) -> Path:
    """Write a notebook with a ``parameters`` cell and one trivial cell, as the floor."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n: int = 0  # unused; papermill injects a value")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def bench_kernel_floor(workdir: Path, failures: list[str]) -> tuple[dict, Path | None]:
    """Time ``workreport run`` (2022 Q3, ``--jobs 1``) against six empty notebooks.

    Returns
    -------
    dict, Path or None
        The timings and ratios, and the report folder (None if the run failed).
    """
    import papermill as pm

    out = workdir / "report-2022-Q3"
    cmd = [
        str(workreport_command()),
        "run",
        "--data-dir",
        str(DATA_DIR),
        "--year",
        str(YEAR),
        "--quarter",
        str(REAL_QUARTER),
        "--jobs",
        "1",
        "--no-progress",
        "--out",
        str(out),
    ]
    print("  workreport run 2022 Q3 --jobs 1 …", flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    run_s = time.perf_counter() - start
    ok = proc.returncode == 0 and (out / "index.html").is_file()
    if not ok:
        failures.append(
            f"workreport run 2022 Q3: exit {proc.returncode}: {proc.stderr.strip()[-500:]}"
        )
    floor_dir = workdir / "floor"
    floor_dir.mkdir()
    nb = empty_notebook(floor_dir / "empty.ipynb")
    print(f"  {N_NOTEBOOKS} empty notebooks through papermill …", flush=True)
    start = time.perf_counter()
    with stderr_to(floor_dir / "kernels.log"):
        for i in range(N_NOTEBOOKS):
            try:
                # The same options as the batch driver's run_notebook, so only the work differs.
                pm.execute_notebook(
                    str(nb),
                    str(floor_dir / f"out-{i}.ipynb"),
                    parameters={"n": i},
                    kernel_name="python3",
                    progress_bar=False,
                    cwd=str(floor_dir),
                    execution_timeout=120,
                    request_save_on_cell_execute=False,
                )
            except Exception as exc:  # the floor failing makes the ratio meaningless: say so
                failures.append(f"empty notebook {i}: {type(exc).__name__}: {exc}")
                break
    floor_s = time.perf_counter() - start
    result = {
        "run_seconds": run_s,
        "run_ok": ok,
        "floor_seconds": floor_s,
        "notebooks": N_NOTEBOOKS,
        "run_over_floor": run_s / floor_s,
        "own_work_share": (run_s - floor_s) / run_s,
        "floor_per_notebook_seconds": floor_s / N_NOTEBOOKS,
    }
    return result, out if ok else None


def html_sizes(report: Path) -> dict:
    """Sizes in KB of ``index.html``, each page and the whole report folder."""
    pages = {p.name: round(p.stat().st_size / 1024, 1) for p in sorted(report.glob("*.html"))}
    others = [p for p in pages if p != "index.html"]
    largest = max(others, key=pages.__getitem__) if others else None
    return {
        "index_kb": pages.get("index.html"),
        "pages_kb": pages,
        "html_total_kb": round(sum(pages.values()), 1),
        "folder_kb": round(folder_kb(report), 1),
        "notebooks_kb": round(folder_kb(report / "notebooks"), 1)
        if (report / "notebooks").is_dir()
        else None,
        "largest_page": largest,
        "largest_page_kb": pages.get(largest) if largest else None,
    }


# --------------------------------------------------------------------------------------------
# 3. Parallel runs
# --------------------------------------------------------------------------------------------


def run_district(
    district: Path, quarters: Sequence[int], jobs: int, reports: Path, failures: list[str]
) -> float:
    """Run one district's quarters with ``workreport run --jobs J``; return the wall time.

    One ``workreport run`` call covers all the quarters, with ``WORKREPORT_REPORTS_DIR`` set to
    a folder of the district's own so that outputs never collide.
    """
    env = {**os.environ, "WORKREPORT_REPORTS_DIR": str(reports)}
    cmd = [
        str(workreport_command()),
        "run",
        "--data-dir",
        str(district),
        "--year",
        str(YEAR),
        "--quarter",
        *map(str, quarters),
        "--jobs",
        str(jobs),
        "--no-progress",
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    missing = [q for q in quarters if not (reports / f"{YEAR}-Q{q}" / "index.html").is_file()]
    if proc.returncode != 0 or missing:
        failures.append(
            f"{district.name} --jobs {jobs}: exit {proc.returncode}, no report for "
            f"Q{missing}: {proc.stderr.strip()[-500:]}"
        )
    return seconds


def bench_parallel(
    n_districts: int, quarters: Sequence[int], workdir: Path, failures: list[str]
) -> dict:
    """Time the same batch of districts × quarters with ``--jobs 1`` and ``--jobs 2``.

    The two settings take turns district by district (and swap who goes first each time), so
    that load from other jobs on the shared machine falls on both alike; each batch time is the
    sum of its districts' times.
    """
    districts = [
        build_district(workdir / "districts" / f"d{i + 1:02d}", quarters)
        for i in range(n_districts)
    ]
    print(
        f"  {n_districts} district(s) × {len(quarters)} quarter(s), --jobs 1 and 2 in turn …",
        flush=True,
    )
    seconds = {1: 0.0, 2: 0.0}
    per_district = []
    for i, d in enumerate(districts):
        times = {}
        for jobs in (1, 2) if i % 2 == 0 else (2, 1):
            times[jobs] = run_district(
                d, quarters, jobs, workdir / f"reports-jobs{jobs}" / d.name, failures
            )
            seconds[jobs] += times[jobs]
        per_district.append(
            {
                "district": d.name,
                "jobs1_seconds": times[1],
                "jobs2_seconds": times[2],
                "speedup": times[1] / times[2],
            }
        )
        print(f"    {d.name}: --jobs 1 {times[1]:.0f}s, --jobs 2 {times[2]:.0f}s", flush=True)
    runs = n_districts * len(quarters)
    return {
        "districts": n_districts,
        "quarters": list(quarters),
        "quarter_runs": runs,
        "jobs1_seconds": seconds[1],
        "jobs2_seconds": seconds[2],
        "speedup": seconds[1] / seconds[2],
        "per_district": per_district,
        "jobs1_per_quarter_seconds": seconds[1] / runs,
        "jobs2_per_quarter_seconds": seconds[2] / runs,
        # The brief's full batch (10 districts × 4 quarters) at this run's pace.
        "estimate_10x4_jobs2_minutes": seconds[2] / runs * 40 / 60,
        "estimate_10x4_jobs1_minutes": seconds[1] / runs * 40 / 60,
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def engine_row(r: dict) -> list[object]:
    """One line of the engine table; a stopped run shows the bounds its timeout gives."""
    cells: list[object] = [
        r["label"],
        r["repeats"],
        r.get("subtargets", "–"),
        fmt_seconds(r["read_seconds"]),
    ]
    scale = f"{r.get('scale_from', '')}→{r['label']}: "
    if r["status"] == "ok":
        cells += [
            fmt_seconds(r["engine_seconds"]),
            fmt_ratio(r["engine_over_read"], 0),
            f"{r['tasks_per_second']:,.0f}",
            scale + fmt_ratio(r["engine_factor"]) if "engine_factor" in r else "–",
        ]
    elif r["status"] == "timeout":
        over = r["engine_seconds_over"]
        cells += [
            f"> {over} (stopped)",
            f"> {over / r['read_seconds']:,.0f}×",
            f"< {r['tasks'] / over:,.0f}",
            scale + "> " + fmt_ratio(r["engine_factor_over"]) if "engine_factor_over" in r else "–",
        ]
    else:
        cells += ["failed", "–", "–", "–"]
    cells += [
        fmt_ratio(r.get("read_factor")),
        f"{r['cpu_over_wall']:.2f}" if "cpu_over_wall" in r else "–",
    ]
    return cells


def stage_table(engine: list[dict]) -> str:
    """Lay out the engine's steps: seconds at each size, scaling, share of the largest run."""
    sized = [r for r in engine if r.get("stages") is not None]
    if not sized:
        return ""
    names = [n for names in STAGES.values() for n in names]
    seen = [n for n in names if any(n in r["stages"] for r in sized)]
    done = [r for r in sized if r["status"] == "ok"]
    largest = done[-1] if done else None
    headers = ["step", *(f"{r['label']} s" for r in sized)]
    headers += [f"{a['label']}→{b['label']}" for a, b in pairwise(sized)]
    if largest:
        headers.append(f"share of {largest['label']}")
    rows = []
    for name in seen:
        row: list[object] = [f"  of which {name}" if name in SUB_STAGES else name]
        for r in sized:
            if name in r["stages"]:
                row.append(fmt_seconds(r["stages"][name]))
            else:
                row.append("stopped" if r.get("stopped_in") == name else "–")
        for a, b in pairwise(sized):
            x, y = a["stages"].get(name), b["stages"].get(name)
            row.append(fmt_ratio(y / x) if x and y and x > 0.001 else "–")
        if largest:
            share = largest["stages"].get(name, 0.0) / largest["engine_seconds"]
            row.append(f"{share:.0%}")
        rows.append(row)
    return render_table(headers, rows)


def report_text(res: dict) -> str:
    """Lay the results out as the tables printed at the end of a run."""
    m = res["machine"]
    out = [
        f"Code fingerprint {m['code_start']} (src/helpers + notebooks, sha256)",
        f"Machine: {m['nproc']} cores · {m['cpu_model']} · Python {m['python']} · "
        f"pandas {m['pandas']} · {m['memory_gb']} GB · load {m['loadavg_start']} at start, "
        f"{res.get('loadavg_end')} at end",
    ]
    eng = res.get("engine")
    if eng:
        out += [
            "",
            "1. Engine scaling — synthetic registers (2022 Q3, every task reported); "
            "times are best of the repeats shown",
        ]
        rows = []
        for r in eng:
            rows.append(engine_row(r))
        out.append(
            render_table(
                [
                    "tasks",
                    "reps",
                    "sub-targets",
                    "read s",
                    "engine s",
                    "engine/read",
                    "tasks/s",
                    "engine scaling",
                    "read scaling",
                    "cpu/wall",
                ],
                rows,
            )
        )
        out.append(
            "   scaling = time at this size ÷ time at the previous size; with 10× the "
            "tasks, ~10× is linear."
        )
        once = [r["label"] for r in eng if r.get("repeats_cut")]
        if once:
            out.append(
                f"   {', '.join(once)}: one repeat only ({res['settings']['repeats']} would "
                "take too long at the previous size's pace)."
            )
        steps = stage_table(eng)
        if steps:
            out += [
                "",
                "   Engine steps (seconds in the best run; scaling between sizes; share of "
                "the largest finished run):",
                steps,
            ]
        real = res.get("engine_real_reference")
        if real:
            shares = ", ".join(
                f"{r['label']} {r['subtargets_with_actual'] / r['subtargets']:.0%}"
                for r in eng
                if r.get("subtargets")
            )
            out.append(
                f"   sub-targets with an actual: real data {real['with_actual_share']:.0%} "
                f"({real['subtargets']} for 131 tasks, with its curation); synthetic "
                f"{'' if res['settings']['curation'] else 'without curation '}{shares}"
            )
    prof = res.get("engine_profile")
    if prof:
        state = "finished" if prof["finished"] else f"stopped after {prof['seconds']:.0f}s"
        out += [
            "",
            f"   Profile of {size_label(prof['tasks'])}, "
            f"{'step ' + prof['step'] if prof['step'] else 'the whole run'} "
            f"({prof['reason']}; {state}; {prof['total_s']:.1f}s profiled under cProfile) — "
            "top functions by own time:",
        ]
        out.append(
            render_table(
                ["function", "calls", "own s", "own %", "cum s"],
                [
                    [
                        p["function"][-70:],
                        p["calls"],
                        f"{p['own_s']:.2f}",
                        f"{p['own_share']:.0%}",
                        f"{p['cum_s']:.2f}",
                    ]
                    for p in prof["by_own_time"][:10]
                ],
            )
        )
        out.append("   by cumulative time:")
        out.append(
            render_table(
                ["function", "calls", "cum s", "cum %"],
                [
                    [p["function"][-70:], p["calls"], f"{p['cum_s']:.2f}", f"{p['cum_share']:.0%}"]
                    for p in prof["by_cumulative_time"][:12]
                ],
            )
        )
    k = res.get("kernel")
    if k:
        out += [
            "",
            "2. Kernel floor — one report run (2022 Q3, --jobs 1) vs "
            f"{k['notebooks']} empty notebooks run one after another",
        ]
        out.append(
            render_table(
                ["what", "seconds", "ratio"],
                [
                    ["workreport run --jobs 1", fmt_seconds(k["run_seconds"]), ""],
                    [
                        f"{k['notebooks']} empty notebooks (floor)",
                        fmt_seconds(k["floor_seconds"]),
                        "",
                    ],
                    ["run ÷ floor", "", fmt_ratio(k["run_over_floor"])],
                    ["report's own work (run − floor) ÷ run", "", f"{k['own_work_share']:.0%}"],
                ],
            )
        )
    p = res.get("parallel")
    if p:
        out += [
            "",
            f"3. Parallel runs — {p['districts']} district(s) × quarters "
            f"{p['quarters']} = {p['quarter_runs']} report runs; --jobs 1 and 2 take turns "
            "district by district",
        ]
        out.append(
            render_table(
                ["what", "seconds", "ratio"],
                [
                    ["batch --jobs 1", fmt_seconds(p["jobs1_seconds"]), ""],
                    ["batch --jobs 2", fmt_seconds(p["jobs2_seconds"]), ""],
                    ["speed-up (jobs 1 ÷ jobs 2)", "", fmt_ratio(p["speedup"], 2)],
                ],
            )
        )
        out.append(
            f"   At this pace, 10 districts × 4 quarters would take about "
            f"{p['estimate_10x4_jobs2_minutes']:.0f} min with --jobs 2 "
            f"({p['estimate_10x4_jobs1_minutes']:.0f} min with --jobs 1)."
        )
    h = res.get("html")
    if h:
        out += ["", "4. HTML size — report folder of step 2"]
        rows = [
            [name, f"{kb:,.0f}", f"{kb / h['index_kb']:.2f}×" if h["index_kb"] else ""]
            for name, kb in h["pages_kb"].items()
        ]
        rows.append(["all HTML pages", f"{h['html_total_kb']:,.0f}", ""])
        rows.append(["executed notebooks (notebooks/)", f"{h['notebooks_kb']:,.0f}", ""])
        rows.append(["whole report folder", f"{h['folder_kb']:,.0f}", ""])
        out.append(render_table(["file", "KB", "÷ index.html"], rows))
        out.append(f"   largest page: {h['largest_page']} ({h['largest_page_kb']:,.0f} KB)")
    out += ["", f"Total wall time: {res['total_seconds'] / 60:.1f} min"]
    if m["code_start"] != res["code_end"]:
        out.append(
            f"WARNING: the pack's code or notebooks changed during the run (fingerprint "
            f"{m['code_start']} → {res['code_end']}): parts may have measured different versions."
        )
    if res["failures"]:
        out += ["", "FAILED:"] + [f"  - {f}" for f in res["failures"]]
    return "\n".join(out)


def real_reference() -> dict:
    """Sub-targets read from the real 2022 Q3 data: the yardstick for the synthetic ones."""
    from helpers.compute.engine import analyse

    sub = analyse(YEAR, REAL_QUARTER, DATA_DIR).subtargets
    return {
        "subtargets": len(sub),
        "with_actual_share": float(sub["actual"].notna().mean()) if len(sub) else 0.0,
    }


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command line of the benchmark."""
    p = argparse.ArgumentParser(
        description="Benchmark the pack; every figure is a ratio within this run.",
        epilog="Results: benchmarks/results/<timestamp>.json. See benchmarks/README.md.",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a fast check: sizes 1k and 10k, 1 district × quarters 2 and 3",
    )
    p.add_argument(
        "--sizes",
        type=parse_size,
        nargs="+",
        default=None,
        help="register sizes for the engine (default: 1k 10k 100k)",
    )
    p.add_argument(
        "--districts",
        type=int,
        default=None,
        help="synthetic districts for the parallel runs (default 2)",
    )
    p.add_argument(
        "--quarters",
        type=int,
        nargs="+",
        default=None,
        choices=[1, 2, 3, 4],
        help="quarters per district (default 1 2 3 4)",
    )
    p.add_argument(
        "--parts",
        nargs="+",
        default=["engine", "kernel", "parallel"],
        choices=["engine", "kernel", "parallel"],
        help="which parts to run (default: all; the HTML sizes come with kernel)",
    )
    p.add_argument("--repeats", type=int, default=3, help="repeats per engine size (best kept)")
    p.add_argument(
        "--engine-timeout",
        type=int,
        default=300,
        help="seconds one analyse run may take before it is stopped and profiled",
    )
    p.add_argument(
        "--profile-seconds", type=int, default=120, help="time budget of a profiled engine run"
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile the largest engine size even if it scales linearly",
    )
    p.add_argument(
        "--no-curation", action="store_true", help="synthetic registers without curation.csv"
    )
    p.add_argument("--results-dir", type=Path, default=RESULTS_DIR, help=argparse.SUPPRESS)
    # Internal: time or profile the engine in a child process (so a slow run can be stopped).
    p.add_argument("--engine-child", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("--profile-out", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("--profile-step", default="", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 if every run succeeded, 1 if any failed."""
    args = build_parser().parse_args(argv)
    if args.engine_child is not None:
        return engine_child(
            args.engine_child,
            args.repeats,
            args.profile_out,
            args.profile_seconds,
            args.profile_step,
        )
    sizes = args.sizes or ([1000, 10000] if args.quick else [1000, 10000, 100000])
    districts = args.districts or (1 if args.quick else 2)
    quarters = args.quarters or ([2, 3] if args.quick else [1, 2, 3, 4])
    if districts < 1 or args.repeats < 1:
        print("--districts and --repeats must be at least 1", file=sys.stderr)
        return 2
    started = time.perf_counter()
    failures: list[str] = []
    res: dict[str, Any] = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_facts(),
        "settings": {
            "sizes": sizes,
            "districts": districts,
            "quarters": quarters,
            "parts": args.parts,
            "repeats": args.repeats,
            "quick": args.quick,
            "engine_timeout": args.engine_timeout,
            "curation": not args.no_curation,
        },
        "failures": failures,
    }
    m = res["machine"]
    print(
        f"Machine: nproc {m['nproc']} · {m['cpu_model']} · Python {m['python']} · "
        f"load {m['loadavg_start']}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="workreport-bench-") as tmp:
        workdir = Path(tmp)
        try:
            if "engine" in args.parts:
                print("1. Engine scaling", flush=True)
                res["engine_real_reference"] = real_reference()
                res["engine"], res["engine_profile"] = bench_engine(
                    sizes,
                    workdir,
                    args.repeats,
                    args.engine_timeout,
                    args.profile_seconds,
                    args.profile,
                    not args.no_curation,
                    failures,
                )
            if "kernel" in args.parts:
                print("2. Kernel floor", flush=True)
                res["kernel"], report = bench_kernel_floor(workdir, failures)
                if report is not None:
                    res["html"] = html_sizes(report)
            if "parallel" in args.parts:
                print("3. Parallel runs", flush=True)
                res["parallel"] = bench_parallel(districts, quarters, workdir, failures)
        except KeyboardInterrupt:
            failures.append("interrupted")
    res["loadavg_end"] = load_average()
    res["code_end"] = code_fingerprint()
    res["total_seconds"] = time.perf_counter() - started
    text = report_text(res)
    print("\n" + text)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    res["table"] = text
    path.write_text(
        json.dumps(res, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print(f"\nResults: {path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
